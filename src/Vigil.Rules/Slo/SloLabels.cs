namespace Vigil.Rules.Slo;

/// <summary>
/// The names the compiled rules use. The series names are Sloth's (so dashboards built for Sloth's rules find
/// them); the identifying labels are Sloth's with an <c>slo_</c> prefix instead of <c>sloth_</c>.
/// </summary>
public static class SloLabels
{
    /// <summary><c>{service}-{name}</c>: one value per SLO.</summary>
    public const string Id = "slo_id";

    /// <summary>The spec's <c>service</c>.</summary>
    public const string Service = "slo_service";

    /// <summary>The SLO's <c>name</c>.</summary>
    public const string Name = "slo_name";

    /// <summary>The window an SLI series is computed over (<c>5m</c> ... <c>30d</c>).</summary>
    public const string Window = "slo_window";

    /// <summary>On alerts: <c>page</c> or <c>ticket</c>.</summary>
    public const string Severity = "slo_severity";

    /// <summary>The SLI error ratio over a window: <c>slo:sli_error:ratio_rate5m</c>.</summary>
    public static string SliErrorRatio(string window) => "slo:sli_error:ratio_rate" + window;

    /// <summary>The objective as a ratio (0.999).</summary>
    public const string ObjectiveRatio = "slo:objective:ratio";

    /// <summary>The error budget as a ratio (0.001).</summary>
    public const string ErrorBudgetRatio = "slo:error_budget:ratio";

    /// <summary>The compliance window in days.</summary>
    public const string TimePeriodDays = "slo:time_period:days";

    /// <summary>The 5m error ratio divided by the budget.</summary>
    public const string CurrentBurnRate = "slo:current_burn_rate:ratio";

    /// <summary>The compliance window's error ratio divided by the budget.</summary>
    public const string PeriodBurnRate = "slo:period_burn_rate:ratio";

    /// <summary><c>1 - period burn rate</c>: the share of the window's budget left (negative when overspent).</summary>
    public const string PeriodErrorBudgetRemaining = "slo:period_error_budget_remaining:ratio";
}

namespace Vigil.Rules.Slo;

/// <summary>
/// One SLO spec file (docs/slo.md): a service and its SLOs. Produced by <see cref="SloSpecReader"/>, which has
/// already validated everything the compiler relies on (names, objective range, PromQL, window, labels).
/// </summary>
/// <param name="Path">The file the spec was read from, as given.</param>
/// <param name="Service">The service the SLOs belong to (<c>slo_service</c>).</param>
/// <param name="Slos">The SLOs, in file order.</param>
public sealed record SloSpec(string Path, string Service, IReadOnlyList<SloDefinition> Slos);

/// <summary>One service level objective.</summary>
/// <param name="Name">The SLO's name, unique within the service (<c>slo_name</c>).</param>
/// <param name="Objective">The objective in percent, 0 &lt; objective &lt; 100, exact as written (99.9 is 99.9, not 99.90000000000001).</param>
/// <param name="Description">Free text, written as a comment above the SLO's rule groups.</param>
/// <param name="Indicator">What counts as an error.</param>
/// <param name="WindowDays">The compliance window in days: 28 or 30.</param>
/// <param name="Labels">Labels added to every series and alert of this SLO (the file's labels, then the SLO's), sorted by name.</param>
/// <param name="Alerting">The burn-rate alerts.</param>
/// <param name="Line">The 1-based line where the SLO starts in its file.</param>
public sealed record SloDefinition(
    string Name,
    decimal Objective,
    string Description,
    SloIndicator Indicator,
    int WindowDays,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    SloAlerting Alerting,
    int Line);

/// <summary>The service level indicator: how the error ratio over a window is computed.</summary>
public abstract record SloIndicator;

/// <summary>
/// An event-based SLI: <c>errors / total</c>, each a PromQL query with <c>{{.window}}</c> where the range goes
/// (<c>sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))</c>).
/// </summary>
/// <param name="ErrorQuery">The rate of bad events.</param>
/// <param name="TotalQuery">The rate of all events.</param>
public sealed record EventsIndicator(string ErrorQuery, string TotalQuery) : SloIndicator;

/// <summary>
/// A latency SLI over a classic histogram: a request is good when it took at most <see cref="Threshold"/>
/// seconds, i.e. it falls in the bucket <c>le="Threshold"</c>.
/// </summary>
/// <param name="Metric">The histogram's base name (<c>http_request_duration_seconds</c>); <c>_bucket</c> and <c>_count</c> are appended.</param>
/// <param name="Matchers">Label matchers as PromQL text (<c>job="demo-api"</c>), in written order.</param>
/// <param name="Threshold">The latency threshold in seconds: one of <see cref="Buckets"/>.</param>
/// <param name="Buckets">The histogram's bucket upper bounds (default: Prometheus's default buckets).</param>
public sealed record LatencyIndicator(string Metric, IReadOnlyList<string> Matchers, double Threshold, IReadOnlyList<double> Buckets) : SloIndicator;

/// <summary>The SLO's multi-window multi-burn-rate alerts.</summary>
/// <param name="Name">The alert name, shared by the page and the ticket alert (they differ in <c>severity</c>).</param>
/// <param name="Labels">Labels on both alerts.</param>
/// <param name="Annotations">Annotations on both alerts (replacing the generated summary/description when given).</param>
/// <param name="Page">The page (fast burn) alert.</param>
/// <param name="Ticket">The ticket (slow burn) alert.</param>
/// <param name="Disable">No alerts at all.</param>
public sealed record SloAlerting(
    string Name,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    IReadOnlyList<KeyValuePair<string, string>> Annotations,
    SloAlertOptions Page,
    SloAlertOptions Ticket,
    bool Disable);

/// <summary>What one of the two alerts adds or switches off.</summary>
/// <param name="Labels">Labels of this alert only (override <see cref="SloAlerting.Labels"/>).</param>
/// <param name="Annotations">Annotations of this alert only.</param>
/// <param name="Disable">This alert is not generated.</param>
public sealed record SloAlertOptions(
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    IReadOnlyList<KeyValuePair<string, string>> Annotations,
    bool Disable)
{
    /// <summary>No extra labels or annotations, enabled.</summary>
    public static SloAlertOptions Default { get; } = new([], [], false);
}

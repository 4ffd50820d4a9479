using System.Diagnostics.CodeAnalysis;
using Vigil.Model;
using Vigil.Model.Relabel;
using Vigil.Scrape.Config;

namespace Vigil.Scrape.Targets;

/// <summary>
/// Turns a discovered label set into a target's labels as Prometheus 2.42's <c>scrape.PopulateLabels</c> does: adds
/// <c>job</c>, <c>__scrape_interval__</c>, <c>__scrape_timeout__</c>, <c>__metrics_path__</c>, <c>__scheme__</c> and
/// <c>__param_*</c> where missing, runs <c>relabel_configs</c>, then checks the address (adding the scheme's default
/// port), interval and timeout, drops <c>__meta_*</c> labels and defaults <c>instance</c> to the address.
/// </summary>
public static class TargetLabels
{
    /// <summary>Prometheus's reserved label names.</summary>
    public const string Address = "__address__", Scheme = "__scheme__", MetricsPath = "__metrics_path__",
        ScrapeInterval = "__scrape_interval__", ScrapeTimeout = "__scrape_timeout__", ParamPrefix = "__param_",
        MetaPrefix = "__meta_", Job = "job", Instance = "instance";

    /// <summary>
    /// Populates one target. Returns false with <paramref name="error"/> set when the target is invalid (<c>no address</c>).
    /// When relabeling dropped it, returns true with <paramref name="labels"/> null. <paramref name="discovered"/> is
    /// the label set before relabeling (what <c>/api/v1/targets</c> shows as discoveredLabels).
    /// </summary>
    public static bool TryPopulate(Labels target, ScrapeConfig config, out Labels? labels, out Labels discovered, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(config);
        labels = null;
        error = null;
        var interval = PromDuration.Format(config.ScrapeInterval);
        var timeout = PromDuration.Format(config.ScrapeTimeout);
        var builder = new LabelsBuilder(target);
        SetIfMissing(builder, target, Job, config.JobName);
        SetIfMissing(builder, target, ScrapeInterval, interval);
        SetIfMissing(builder, target, ScrapeTimeout, timeout);
        SetIfMissing(builder, target, MetricsPath, config.MetricsPath);
        SetIfMissing(builder, target, Scheme, config.Scheme);
        foreach (var (name, values) in config.Params)
        {
            if (values.Count > 0)
            {
                builder.Set(ParamPrefix + name, values[0]);
            }
        }
        discovered = builder.ToLabels();
        if (!Relabeler.Process(builder, config.RelabelConfigs))
        {
            return true;
        }
        var addr = builder.Get(Address);
        if (addr.Length == 0)
        {
            error = "no address";
            return false;
        }
        if (!HasPort(addr) && HasPort(addr + ":1234"))
        {
            switch (builder.Get(Scheme))
            {
                case "http" or "":
                    addr += ":80";
                    break;
                case "https":
                    addr += ":443";
                    break;
                default:
                    error = $"invalid scheme: \"{config.Scheme}\"";
                    return false;
            }
            builder.Set(Address, addr);
        }
        if (addr.Contains('/', StringComparison.Ordinal))
        {
            error = $"\"{addr}\" is not a valid hostname";
            return false;
        }
        // As 2.42: each is parsed only when relabeling changed it, and compared only then.
        TimeSpan intervalValue = TimeSpan.Zero, timeoutValue = TimeSpan.Zero;
        var intervalText = builder.Get(ScrapeInterval);
        if (intervalText != interval)
        {
            if (!PromDuration.TryParse(intervalText, out intervalValue, out var e))
            {
                error = $"error parsing scrape interval: {e}";
                return false;
            }
            if (intervalValue == TimeSpan.Zero)
            {
                error = "scrape interval cannot be 0";
                return false;
            }
        }
        var timeoutText = builder.Get(ScrapeTimeout);
        if (timeoutText != timeout)
        {
            if (!PromDuration.TryParse(timeoutText, out timeoutValue, out var e))
            {
                error = $"error parsing scrape timeout: {e}";
                return false;
            }
            if (timeoutValue == TimeSpan.Zero)
            {
                error = "scrape timeout cannot be 0";
                return false;
            }
        }
        if (timeoutValue > intervalValue)
        {
            error = $"scrape timeout cannot be greater than scrape interval (\"{timeoutText}\" > \"{intervalText}\")";
            return false;
        }
        builder.RemoveWhere(static l => l.Name.StartsWith(MetaPrefix, StringComparison.Ordinal));
        if (builder.Get(Instance).Length == 0)
        {
            builder.Set(Instance, addr);
        }
        labels = builder.ToLabels();
        return true;
    }

    private static void SetIfMissing(LabelsBuilder builder, Labels target, string name, string value)
    {
        if (target.Get(name).Length == 0)
        {
            builder.Set(name, value);
        }
    }

    // Go's net.SplitHostPort succeeding: host:port, [v6]:port; a bare IPv6 address has too many colons.
    private static bool HasPort(string address)
    {
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']', StringComparison.Ordinal);
            return close > 0 && close + 1 < address.Length && address[close + 1] == ':' && address.IndexOf(':', close + 2) < 0;
        }
        var colon = address.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && address.IndexOf(':', colon + 1) < 0 && address.IndexOfAny(['[', ']']) < 0;
    }
}

using Vigil.Model;

namespace Vigil.Server.Federation;

/// <summary>One way <c>/federate</c> writes a sample.</summary>
public interface IFederationWriter
{
    /// <summary>Writes one sample, starting a new family when its metric name differs from the previous one. Nameless series are skipped.</summary>
    void Write(in FederatedSample sample);

    /// <summary>Writes whatever is still buffered (the last family).</summary>
    void Complete();
}

/// <summary>
/// The labels a federated sample is written with (web/federate.go): the series' own labels in order, without
/// <c>__name__</c>, then the external labels the series does not have, by name, where <c>instance=""</c> counts as
/// an external label unless one is configured.
/// </summary>
public sealed class FederationLabels
{
    private readonly Label[] _external;

    /// <summary>Labels adding <paramref name="externalLabels"/>.</summary>
    public FederationLabels(Labels externalLabels)
    {
        ArgumentNullException.ThrowIfNull(externalLabels);
        var external = new List<Label>(externalLabels);
        if (!externalLabels.Has("instance"))
        {
            external.Add(new Label("instance", ""));
        }
        external.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        _external = [.. external];
    }

    /// <summary>The labels to write for a series, in order.</summary>
    public IEnumerable<Label> For(Labels series)
    {
        for (var i = 0; i < series.Count; i++)
        {
            if (series[i].Name != Label.MetricName)
            {
                yield return series[i];
            }
        }
        foreach (var label in _external)
        {
            if (!series.Has(label.Name))
            {
                yield return label;
            }
        }
    }
}

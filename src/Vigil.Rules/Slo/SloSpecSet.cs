namespace Vigil.Rules.Slo;

/// <summary>
/// Several SLO spec files read together, as <c>vigil slo generate</c> and <c>vigil check slos</c> take them: each
/// file on its own, then across files, since one service's SLO defined twice would compile to repeated rule groups.
/// </summary>
public static class SloSpecSet
{
    /// <summary>Reads every file; returns the specs that are valid and every problem found, file by file.</summary>
    public static IReadOnlyList<(string Path, SloSpec? Spec, IReadOnlyList<SloSpecError> Errors)> Load(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var results = new List<(string, SloSpec?, IReadOnlyList<SloSpecError>)>(paths.Count);
        var seen = new Dictionary<string, (string Path, int Line)>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (!SloSpecReader.TryLoadFile(path, out var spec, out var errors))
            {
                results.Add((path, null, errors));
                continue;
            }
            var duplicates = new List<SloSpecError>();
            for (var i = 0; i < spec.Slos.Count; i++)
            {
                var slo = spec.Slos[i];
                var key = spec.Service + "/" + slo.Name;
                if (seen.TryGetValue(key, out var first))
                {
                    duplicates.Add(new SloSpecError(path, slo.Line, $"slos[{i}].name", $"SLO \"{slo.Name}\" of service \"{spec.Service}\" is already defined at {first.Path}:{first.Line}"));
                }
                else
                {
                    seen.Add(key, (path, slo.Line));
                }
            }
            results.Add(duplicates.Count == 0 ? (path, spec, []) : (path, null, duplicates));
        }
        return results;
    }
}

using System.Diagnostics.CodeAnalysis;
using YamlDotNet.Core;
using Vigil.Yaml;

namespace Vigil.Scrape.Config;

/// <summary>
/// Loads a Prometheus configuration file strictly, as Prometheus 2.42's <c>config.LoadFile</c>: unknown or repeated
/// fields, values of the wrong type and invalid values are errors. Unlike Prometheus, every error carries its line,
/// and all errors found are reported rather than only the first semantic one.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads <paramref name="path"/>; relative paths in it are then relative to its directory.</summary>
    public static bool TryLoadFile(string path, [NotNullWhen(true)] out PrometheusConfig? config, out IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            config = null;
            errors = [new ConfigError(path, 0, e.Message)];
            return false;
        }
        if (!TryLoad(text, path, out config, out errors))
        {
            return false;
        }
        config.Directory = Path.GetDirectoryName(Path.GetFullPath(path));
        return true;
    }

    /// <summary>Loads configuration text; <paramref name="fileName"/> (or null) names it in errors.</summary>
    public static bool TryLoad(string yaml, string? fileName, [NotNullWhen(true)] out PrometheusConfig? config, out IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        config = null;
        YamlNode? root;
        try
        {
            root = YamlNode.Parse(yaml);
        }
        catch (YamlException e)
        {
            errors = [new ConfigError(fileName, (int)e.Start.Line, "yaml: " + SyntaxMessage(e))];
            return false;
        }
        var reader = new ConfigReader(fileName);
        var result = reader.ReadConfig(root);
        errors = reader.Errors;
        if (reader.Errors.Count > 0)
        {
            return false;
        }
        config = result;
        return true;
    }

    /// <summary>The message of <see cref="TryLoad"/>'s errors joined one per line, for exceptions and logs.</summary>
    public static string Describe(IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return string.Join('\n', errors.Select(e => e.ToString()));
    }

    private static string SyntaxMessage(YamlException e)
    {
        var message = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
        // YamlDotNet prefixes "(Line: 1, Col: 2, Idx: 1) - (Line: ...): "; the line is reported separately.
        var close = message.LastIndexOf("): ", StringComparison.Ordinal);
        if (close >= 0 && message.StartsWith("(Line", StringComparison.Ordinal))
        {
            message = message[(close + 3)..];
        }
        // libyaml (behind yaml.v2) says only the problem: "did not find expected key".
        if (message.StartsWith("While ", StringComparison.Ordinal) && message.IndexOf(", ", StringComparison.Ordinal) is > 0 and var comma)
        {
            message = message[(comma + 2)..];
        }
        message = message.TrimEnd('.');
        return message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : message;
    }
}

using System.Diagnostics.CodeAnalysis;
using YamlDotNet.Core;
using Vigil.Yaml;

namespace Vigil.Alerting.Config;

/// <summary>
/// Loads an Alertmanager 0.25 configuration strictly, as <c>config.LoadFile</c> does: unknown or repeated fields,
/// values of the wrong type, invalid values and the semantic checks (undefined receiver, root route with matchers,
/// duplicate receiver, zero group_interval, undefined time interval...) are errors with Alertmanager's wording.
/// Unlike Alertmanager every error carries its line, and all errors found are reported, not only the first.
/// </summary>
public static class AlertmanagerConfigLoader
{
    /// <summary>Loads <paramref name="path"/>; relative paths in it are then relative to its directory.</summary>
    public static bool TryLoadFile(string path, [NotNullWhen(true)] out AlertmanagerConfig? config, out IReadOnlyList<ConfigError> errors)
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
        return TryLoad(text, path, Path.GetDirectoryName(Path.GetFullPath(path)), out config, out errors);
    }

    /// <summary>Loads configuration text; <paramref name="fileName"/> names it in errors, <paramref name="directory"/> (or null) resolves relative paths.</summary>
    public static bool TryLoad(string yaml, string? fileName, string? directory, [NotNullWhen(true)] out AlertmanagerConfig? config, out IReadOnlyList<ConfigError> errors)
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
        var result = reader.ReadConfig(root, directory);
        errors = reader.Errors;
        if (reader.Errors.Count > 0 || result is null)
        {
            return false;
        }
        config = result;
        return true;
    }

    /// <summary>Loads <paramref name="path"/> or throws <see cref="InvalidOperationException"/> listing every error.</summary>
    public static AlertmanagerConfig LoadFile(string path)
        => TryLoadFile(path, out var config, out var errors) ? config : throw new InvalidOperationException(string.Join('\n', errors));

    private static string SyntaxMessage(YamlException e)
    {
        var message = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
        // YamlDotNet prefixes "(Line: 1, Col: 2, Idx: 1) - (Line: ...): "; the line is reported separately.
        var close = message.LastIndexOf("): ", StringComparison.Ordinal);
        if (close >= 0 && message.StartsWith("(Line", StringComparison.Ordinal))
        {
            message = message[(close + 3)..];
        }
        if (message.StartsWith("While ", StringComparison.Ordinal) && message.IndexOf(", ", StringComparison.Ordinal) is > 0 and var comma)
        {
            message = message[(comma + 2)..];
        }
        message = message.TrimEnd('.');
        return message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : message;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Vigil.Server.Hosting;

/// <summary>
/// A <c>host:port</c> listen address as Prometheus's <c>--web.listen-address</c> takes it:
/// <c>127.0.0.1:9090</c>, <c>[::1]:9090</c>, <c>localhost:9090</c>, or <c>:9090</c> for every interface.
/// </summary>
public sealed record ListenAddress(string Host, int Port)
{
    /// <summary>Vigil's default: loopback only, Prometheus's port.</summary>
    public static ListenAddress Default { get; } = new("127.0.0.1", 9090);

    /// <summary>Parses <paramref name="text"/>, or says why it is not a listen address.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ListenAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty listen address";
            return false;
        }
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"listen address \"{text}\": missing port (expected host:port, e.g. 127.0.0.1:9090)";
            return false;
        }
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"listen address \"{text}\": invalid port \"{text[(colon + 1)..]}\"";
            return false;
        }
        if (host.Length > 0 && host != "localhost" && !IPAddress.TryParse(host, out _))
        {
            error = $"listen address \"{text}\": host must be an IP address, \"localhost\" or empty";
            return false;
        }
        address = new ListenAddress(host, port);
        error = null;
        return true;
    }

    /// <summary>Whether the address is every interface (<c>:9090</c>).</summary>
    public bool IsAnyInterface => Host.Length == 0;

    /// <summary><c>host:port</c>, with brackets around IPv6 hosts.</summary>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

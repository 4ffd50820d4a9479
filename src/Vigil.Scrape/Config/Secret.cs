namespace Vigil.Scrape.Config;

/// <summary>
/// A secret from the configuration (a password, token, credentials). It never prints itself: <see cref="ToString"/>
/// is <c>&lt;secret&gt;</c>, as Prometheus's <c>config.Secret</c> marshals, so a log line or the status API cannot leak it.
/// </summary>
/// <param name="Value">The secret text; read it only where it is used.</param>
public readonly record struct Secret(string Value)
{
    /// <summary>What Prometheus writes in place of a secret.</summary>
    public const string Mask = "<secret>";

    /// <summary>Whether a value was configured.</summary>
    public bool IsSet => !string.IsNullOrEmpty(Value);

    /// <summary><c>&lt;secret&gt;</c> when set, else empty.</summary>
    public override string ToString() => IsSet ? Mask : "";
}

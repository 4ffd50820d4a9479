namespace Vigil.Scrape.Discovery.Dns;

/// <summary>A name could not be resolved (no server gave a usable answer).</summary>
public sealed class DnsLookupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DnsLookupException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DnsLookupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DnsLookupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Vigil.Server.Hosting;

/// <summary>Vigil cannot start: a flag, file or directory is wrong. The message names it and says why.</summary>
public sealed class StartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StartupException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StartupException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StartupException() : base("Vigil cannot start")
    {
    }
}

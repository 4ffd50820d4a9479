namespace Vigil.Server.Hosting;

/// <summary>Whether the server is ready to serve traffic (<c>/-/ready</c>): set once start-up work has finished.</summary>
public sealed class Readiness
{
    private volatile bool _ready;

    /// <summary>True once <see cref="MarkReady"/> was called.</summary>
    public bool IsReady => _ready;

    /// <summary>Marks the server ready.</summary>
    public void MarkReady() => _ready = true;
}

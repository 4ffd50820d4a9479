namespace Vigil.Server.Hosting;

/// <summary>
/// What <c>/-/reload</c> (and later SIGHUP) runs: re-reads the configuration file and hands it to each
/// part that subscribed. A part that fails keeps its previous configuration, and the reload reports the error.
/// </summary>
public sealed class ConfigReloader
{
    private readonly ServerOptions _options;
    private readonly List<Func<string?, CancellationToken, Task>> _subscribers = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>A reloader for the configuration file named in <paramref name="options"/>.</summary>
    public ConfigReloader(ServerOptions options) => _options = options;

    /// <summary>Registers a part that applies a new configuration (the file's text, or null when running on defaults).</summary>
    public void Subscribe(Func<string?, CancellationToken, Task> apply)
    {
        lock (_subscribers)
        {
            _subscribers.Add(apply);
        }
    }

    /// <summary>Re-reads the file and applies it; throws <see cref="ConfigReloadException"/> saying what failed.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string? text = null;
            if (_options.ConfigFile is { } path)
            {
                try
                {
                    text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new ConfigReloadException($"couldn't load configuration (--config.file=\"{path}\"): {e.Message}", e);
                }
            }
            Func<string?, CancellationToken, Task>[] subscribers;
            lock (_subscribers)
            {
                subscribers = [.. _subscribers];
            }
            var errors = new List<string>();
            foreach (var apply in subscribers)
            {
                try
                {
                    await apply(text, cancellationToken).ConfigureAwait(false);
                }
                catch (ConfigReloadException e)
                {
                    errors.Add(e.Message);
                }
            }
            if (errors.Count > 0)
            {
                throw new ConfigReloadException($"one or more errors occurred while applying the new configuration (--config.file=\"{_options.ConfigFile}\"): {string.Join("; ", errors)}");
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>A configuration could not be loaded or applied; the message says which file and why.</summary>
public sealed class ConfigReloadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigReloadException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConfigReloadException() : this("configuration reload failed")
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConfigReloadException(string message) : this(message, null)
    {
    }
}

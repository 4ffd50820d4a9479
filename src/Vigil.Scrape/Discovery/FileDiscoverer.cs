using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Vigil.Model;

namespace Vigil.Scrape.Discovery;

/// <summary>
/// <c>file_sd_configs</c>, as Prometheus 2.42's <c>discovery/file</c>: reads every file matching the patterns (JSON for
/// <c>.json</c>, YAML for <c>.yml</c>/<c>.yaml</c>), re-reads on a change notification of the watched directories and
/// every refresh interval. Each group gets <c>__meta_filepath</c> and the source <c>path:index</c>. A file that fails
/// to read or parse keeps its previous targets (its error is in <see cref="FileErrors"/>); a deleted file, or a
/// group that disappeared from a file, is sent empty.
/// </summary>
public sealed class FileDiscoverer : ITargetDiscoverer, IDisposable
{
    /// <summary>The label holding the file's path.</summary>
    public const string FilePathLabel = "__meta_filepath";

    private readonly FileSdOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _changed = new(0);
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ConcurrentDictionary<string, string> _errors = new(StringComparer.Ordinal);
    private Dictionary<string, int> _lastRefresh = new(StringComparer.Ordinal);
    private volatile string? _lastError;

    /// <summary>Creates the discoverer.</summary>
    public FileDiscoverer(FileSdOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var file in options.Files)
        {
            if (!HasKnownExtension(file))
            {
                throw new ArgumentException($"path name \"{file}\" is not valid for file discovery", nameof(options));
            }
        }
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string? LastError => _lastError;

    /// <summary>The current read or parse error of each failing file (Prometheus logs these and counts <c>prometheus_sd_file_read_errors_total</c>).</summary>
    public IReadOnlyDictionary<string, string> FileErrors => _errors;

    /// <summary>How many times the files were read.</summary>
    public long Refreshes { get; private set; }

    /// <inheritdoc/>
    public async Task RunAsync(ChannelWriter<IReadOnlyList<TargetGroup>> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        StartWatching();
        try
        {
            while (true)
            {
                await RefreshAsync(updates, cancellationToken).ConfigureAwait(false);
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(_options.RefreshInterval, _time, wake.Token);
                var changed = _changed.WaitAsync(wake.Token);
                await Task.WhenAny(delay, changed).ConfigureAwait(false);
                await wake.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                // Coalesce a burst of notifications (an editor's write is often several events) into one read.
                while (_changed.CurrentCount > 0)
                {
                    await _changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            StopWatching();
        }
    }

    /// <summary>Reads every matching file once and sends what changed (empty groups for what disappeared).</summary>
    internal async Task RefreshAsync(ChannelWriter<IReadOnlyList<TargetGroup>> updates, CancellationToken cancellationToken)
    {
        Refreshes++;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string? firstError = null;
        foreach (var path in ListFiles())
        {
            IReadOnlyList<TargetGroup> groups;
            try
            {
                groups = ReadFile(path);
                _errors.TryRemove(path, out _);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or DecoderFallbackException)
            {
                var message = $"Error reading file \"{path}\": {e.Message}";
                _errors[path] = message;
                firstError ??= message;
                // Prevent the deletion below: the file keeps its previous targets.
                if (_lastRefresh.TryGetValue(path, out var previous))
                {
                    seen[path] = previous;
                }
                continue;
            }
            seen[path] = groups.Count;
            if (groups.Count > 0)
            {
                await updates.WriteAsync(groups, cancellationToken).ConfigureAwait(false);
            }
        }
        var removed = new List<TargetGroup>();
        foreach (var (path, count) in _lastRefresh)
        {
            var now = seen.GetValueOrDefault(path);
            for (var i = now; i < count; i++)
            {
                removed.Add(TargetGroup.Empty(Source(path, i)));
            }
            if (!seen.ContainsKey(path))
            {
                _errors.TryRemove(path, out _);
            }
        }
        if (removed.Count > 0)
        {
            await updates.WriteAsync(removed, cancellationToken).ConfigureAwait(false);
        }
        _lastRefresh = seen;
        _lastError = firstError;
    }

    /// <summary>The files the patterns match now, sorted within each pattern, each once.</summary>
    internal List<string> ListFiles()
    {
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pattern in _options.Files)
        {
            var directory = Path.GetDirectoryName(pattern);
            var name = Path.GetFileName(pattern);
            if (string.IsNullOrEmpty(directory))
            {
                directory = ".";
            }
            if (name.AsSpan().IndexOfAny('*', '?') < 0)
            {
                if (File.Exists(pattern) && seen.Add(pattern))
                {
                    files.Add(pattern);
                }
                continue;
            }
            if (!Directory.Exists(directory))
            {
                continue;
            }
            var matches = new List<string>();
            try
            {
                var options = new EnumerationOptions { MatchType = MatchType.Simple, MatchCasing = MatchCasing.CaseSensitive, RecurseSubdirectories = false };
                foreach (var file in Directory.EnumerateFiles(directory, name, options))
                {
                    // Keep the pattern's spelling of the directory, as Go's filepath.Glob does.
                    matches.Add(Path.Combine(Path.GetDirectoryName(pattern) ?? "", Path.GetFileName(file)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _lastError = $"Error expanding glob \"{pattern}\": {e.Message}";
                continue;
            }
            matches.Sort(StringComparer.Ordinal);
            foreach (var match in matches)
            {
                if (seen.Add(match))
                {
                    files.Add(match);
                }
            }
        }
        return files;
    }

    /// <summary>Parses one file into groups named <c>path:index</c> with <c>__meta_filepath</c>.</summary>
    internal static IReadOnlyList<TargetGroup> ReadFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var parsed = extension == ".json"
            ? TargetGroupFormat.ParseJson(bytes)
            : TargetGroupFormat.ParseYaml(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
        var groups = new TargetGroup[parsed.Count];
        for (var i = 0; i < groups.Length; i++)
        {
            var labels = new LabelsBuilder(parsed[i].Labels).Set(FilePathLabel, path).ToLabels();
            groups[i] = new TargetGroup(Source(path, i), parsed[i].Targets, labels);
        }
        return groups;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        StopWatching();
        _changed.Dispose();
    }

    private static string Source(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}:{index}");

    private static bool HasKnownExtension(string path)
        => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase);

    private void StartWatching()
    {
        // Prometheus watches the directories (editors replace files by renaming), not the files.
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pattern in _options.Files)
        {
            var directory = Path.GetDirectoryName(pattern);
            directories.Add(Path.GetFullPath(string.IsNullOrEmpty(directory) ? "." : directory));
        }
        lock (_watchers)
        {
            foreach (var directory in directories)
            {
                if (!Directory.Exists(directory))
                {
                    continue;
                }
                try
                {
                    var watcher = new FileSystemWatcher(directory)
                    {
                        NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                        IncludeSubdirectories = false,
                    };
                    watcher.Changed += OnChanged;
                    watcher.Created += OnChanged;
                    watcher.Deleted += OnChanged;
                    watcher.Renamed += OnChanged;
                    watcher.EnableRaisingEvents = true;
                    _watchers.Add(watcher);
                }
                catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
                {
                    // Out of inotify watches, for example: the refresh interval still catches changes.
                    _lastError = $"Error adding file watch for \"{directory}\": {e.Message}";
                }
            }
        }
    }

    private void StopWatching()
    {
        lock (_watchers)
        {
            foreach (var watcher in _watchers)
            {
                watcher.EnableRaisingEvents = false;
                watcher.Dispose();
            }
            _watchers.Clear();
        }
    }

    private void OnChanged(object sender, FileSystemEventArgs e)
    {
        if (HasKnownExtension(e.FullPath) || (e is RenamedEventArgs r && HasKnownExtension(r.OldFullPath)))
        {
            try
            {
                _changed.Release();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}

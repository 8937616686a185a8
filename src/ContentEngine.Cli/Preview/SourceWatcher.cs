namespace ContentEngine.Cli.Preview;

/// <summary>
/// Watches folders (recursively) and reports every path that changes; an empty path means the
/// watcher lost events (its buffer overflowed) and everything must be read again.
/// </summary>
public sealed class SourceWatcher : IDisposable
{
    private readonly Action<string> _changed;
    private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public SourceWatcher(Action<string> changed) => _changed = changed;

    public IReadOnlyCollection<string> Folders
    {
        get { lock (_gate) return [.. _watchers.Keys]; }
    }

    /// <summary>Watches exactly these folders (those inside another one are covered by it).</summary>
    public void Watch(IEnumerable<string> folders)
    {
        var wanted = folders.Select(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f))).Where(Directory.Exists).Distinct(StringComparer.Ordinal).ToList();
        wanted = [.. wanted.Where(f => !wanted.Any(o => o != f && IsInside(f, o)))];
        lock (_gate)
        {
            foreach (var gone in _watchers.Keys.Where(k => !wanted.Contains(k)).ToList())
            {
                _watchers[gone].Dispose();
                _watchers.Remove(gone);
            }
            foreach (var folder in wanted.Where(f => !_watchers.ContainsKey(f)))
            {
                var w = new FileSystemWatcher(folder)
                {
                    IncludeSubdirectories = true,
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                    InternalBufferSize = 64 * 1024,
                };
                w.Changed += (_, e) => _changed(e.FullPath);
                w.Created += (_, e) => _changed(e.FullPath);
                w.Deleted += (_, e) => _changed(e.FullPath);
                w.Renamed += (_, e) =>
                {
                    _changed(e.OldFullPath);
                    _changed(e.FullPath);
                };
                w.Error += (_, _) => _changed(string.Empty);
                w.EnableRaisingEvents = true;
                _watchers[folder] = w;
            }
        }
    }

    public static bool IsInside(string path, string folder) =>
        path.Length > folder.Length && path.StartsWith(folder, StringComparison.Ordinal) && path[folder.Length] == Path.DirectorySeparatorChar;

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var w in _watchers.Values) w.Dispose();
            _watchers.Clear();
        }
    }
}

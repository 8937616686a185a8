using System.Collections.Concurrent;
using ContentEngine.Diagnostics;
using ContentEngine.Model;

namespace ContentEngine.Compilation;

/// <summary>
/// What one compilation can hand to the next of the same program, so a watcher that recompiles after
/// an edit only re-reads and re-parses the files that changed. Unchanged modules come back as the
/// very same <see cref="Module"/> objects, so a renderer can tell what changed by reference.
/// Safe to share between compilations that do not run at the same time.
/// </summary>
public sealed class CompilationCache
{
    internal sealed record FileKey(DateTime LastWrite, long Length);

    internal sealed record CachedFile(FileKey Key, object Entry, IReadOnlyList<Diagnostic> Diagnostics);

    internal sealed record CachedModule(object Key, Module Module, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<(string Path, AssetKind Kind)> UsedAssets);

    internal sealed record CachedHeader(object Key, object? Header, BindContext Context);

    internal ConcurrentDictionary<string, CachedFile> Files { get; } = new(StringComparer.Ordinal);

    internal ConcurrentDictionary<string, CachedHeader> Headers { get; } = new(StringComparer.Ordinal);

    internal ConcurrentDictionary<string, CachedModule> Modules { get; } = new(StringComparer.Ordinal);

    internal ConcurrentDictionary<(string Path, FileKey Key), Asset> Assets { get; } = new();

    /// <summary>The Markdown files of a folder (relative to the program) as last listed.</summary>
    internal ConcurrentDictionary<string, string[]> Listings { get; } = new(StringComparer.Ordinal);

    private HashSet<string>? _onlyChanged;

    /// <summary>
    /// Tells the next compilation that, since the last one, only these files changed (paths relative
    /// to the program folder, forward slashes; added and deleted files included). It then neither
    /// lists folders nor looks at other files it has read before. For a caller that watches the
    /// program folder and knows every change; without it, every file's time and size are checked.
    /// Applies to one compilation.
    /// </summary>
    public void OnlyChanged(IEnumerable<string> programPaths) => _onlyChanged = new HashSet<string>(programPaths, StringComparer.Ordinal);

    private HashSet<string>? _unread;

    /// <summary>Takes what <see cref="OnlyChanged"/> said, for one compilation, with the changes an earlier one did not get to read.</summary>
    internal HashSet<string>? TakeChanges()
    {
        var changes = Interlocked.Exchange(ref _onlyChanged, null);
        var unread = Interlocked.Exchange(ref _unread, null);
        if (changes is not null && unread is not null) changes.UnionWith(unread);
        return changes;
    }

    /// <summary>Changes a compilation took but stopped before reading (program.yaml had errors): the next one reads them.</summary>
    internal void Unread(HashSet<string> changes) => _unread = changes;

    internal static FileKey? KeyOf(string fullPath)
    {
        var info = new FileInfo(fullPath);
        return info.Exists ? new FileKey(info.LastWriteTimeUtc, info.Length) : null;
    }
}

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

    internal static FileKey? KeyOf(string fullPath)
    {
        var info = new FileInfo(fullPath);
        return info.Exists ? new FileKey(info.LastWriteTimeUtc, info.Length) : null;
    }
}

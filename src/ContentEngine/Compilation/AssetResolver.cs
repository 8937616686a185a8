using System.Collections.Concurrent;
using System.Security.Cryptography;
using ContentEngine.Model;

namespace ContentEngine.Compilation;

/// <summary>
/// Turns a path written in content into a program-relative media path, refusing any path that leaves
/// the program folder before touching the file system. Remembers which files are used.
/// </summary>
public sealed class AssetResolver(string programRoot)
{
    private readonly string _root = Path.GetFullPath(programRoot);
    private readonly ConcurrentDictionary<string, AssetKind> _used = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Asset?> _assets = new(StringComparer.Ordinal);

    public enum Outcome { Ok, Outside, External, Missing }

    public IReadOnlyDictionary<string, AssetKind> Used => _used;

    public static bool IsExternal(string path) =>
        path.Contains("://", StringComparison.Ordinal) || path.StartsWith("//", StringComparison.Ordinal) || path.StartsWith("data:", StringComparison.OrdinalIgnoreCase);

    /// <param name="relativeToFolder">program-relative folder the path is written from ("" for the program folder).</param>
    public Outcome Resolve(string written, string relativeToFolder, out string programPath)
    {
        programPath = written;
        if (IsExternal(written)) return Outcome.External;
        var path = Uri.UnescapeDataString(written.Split('#', '?')[0]).Replace('\\', '/');
        if (path.Length == 0 || path.StartsWith('/') || (path.Length > 1 && path[1] == ':')) return Outcome.Outside;

        var segments = new List<string>();
        foreach (var part in (relativeToFolder.Length > 0 ? relativeToFolder + "/" + path : path).Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (segments.Count == 0) return Outcome.Outside;
                segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(part);
        }
        if (segments.Count == 0) return Outcome.Outside;
        programPath = string.Join('/', segments);

        // A link inside the folder may still point elsewhere: follow it before trusting the file.
        var full = Path.Combine(_root, programPath);
        var info = new FileInfo(full);
        if (info.LinkTarget is not null)
        {
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !IsInside(target.FullName)) return Outcome.Outside;
        }
        return info.Exists ? Outcome.Ok : Outcome.Missing;
    }

    private bool IsInside(string full) =>
        Path.GetFullPath(full).StartsWith(_root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    public void MarkUsed(string programPath, AssetKind kind) => _used.TryAdd(programPath, kind);

    /// <summary>The file's hash, size and, for audio, its duration; read once.</summary>
    public Asset Describe(string programPath, AssetKind kind) => _assets.GetOrAdd(programPath, p =>
    {
        var full = Path.Combine(_root, p);
        var bytes = File.ReadAllBytes(full);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var duration = kind is AssetKind.Audio or AssetKind.Video ? MediaDuration.Read(bytes, p) : null;
        return new Asset(p, kind, bytes.LongLength, hash, duration);
    })!;

    public static AssetKind KindFromPath(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" or ".jpg" or ".jpeg" or ".gif" or ".svg" or ".webp" or ".avif" => AssetKind.Image,
        ".mp3" or ".m4a" or ".aac" or ".ogg" or ".opus" or ".wav" or ".flac" => AssetKind.Audio,
        ".mp4" or ".webm" or ".mov" or ".m4v" => AssetKind.Video,
        ".vtt" or ".srt" => AssetKind.Captions,
        ".txt" => AssetKind.Transcript,
        _ => AssetKind.Document,
    };
}

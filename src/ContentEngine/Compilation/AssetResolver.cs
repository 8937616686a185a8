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
    private readonly ConcurrentDictionary<string, MediaProblem?> _problems = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string[]> _listings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _realNames = new(StringComparer.Ordinal);

    /// <summary>
    /// Unsafe: the file exists but would run code or fetch from outside in the patient's browser (<see cref="ProblemOf"/>).
    /// WrongCase: a file exists whose name differs only in upper and lower case (<see cref="RealNameOf"/>).
    /// </summary>
    public enum Outcome { Ok, Outside, External, Missing, Unsafe, WrongCase }

    public IReadOnlyDictionary<string, AssetKind> Used => _used;

    /// <summary>How to fix a media path that leaves the program folder (CE0405).</summary>
    public const string KeepMediaInside = "keep media inside the program (for example under media/)";

    /// <summary>How to fix a source file that is a link to outside the program folder (CE0405).</summary>
    public const string CopyLinkedSource = "it is a link to a file outside the program: copy the file into the program folder instead of linking to it";

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

        // A link inside the folder, or a linked folder on the way, may still point elsewhere.
        if (LeavesFolder(_root, programPath)) return Outcome.Outside;
        if (RealCase(programPath) is { } real)
        {
            _realNames[programPath] = real;
            return Outcome.WrongCase;
        }
        if (!File.Exists(Path.Combine(_root, programPath))) return Outcome.Missing;
        return _problems.GetOrAdd(programPath, p => MediaSafety.Check(Path.Combine(_root, p), p)) is null ? Outcome.Ok : Outcome.Unsafe;
    }

    /// <summary>The path as the file's name is spelt, for a path that resolved <see cref="Outcome.WrongCase"/>.</summary>
    public string RealNameOf(string programPath) => _realNames[programPath];

    /// <summary>
    /// <paramref name="written"/> with the names that differ from <paramref name="real"/> only in case spelt as in
    /// <paramref name="real"/>: the path to write instead.
    /// </summary>
    public static string Respell(string written, string real)
    {
        var parts = written.Split('/');
        var names = real.Split('/');
        for (int i = parts.Length - 1, j = names.Length - 1; i >= 0 && j >= 0 && parts[i] is not (".." or "." or ""); i--, j--)
            if (string.Equals(parts[i], names[j], StringComparison.OrdinalIgnoreCase)) parts[i] = names[j];
        return string.Join('/', parts);
    }

    /// <summary>
    /// The path as the names in the program folder are spelt, when the one written differs from them only in case, so
    /// that it would be found on a laptop (whose file system ignores case) but not on a Linux server; null otherwise.
    /// </summary>
    private string? RealCase(string programPath)
    {
        var folder = string.Empty;
        var real = new List<string>();
        var differs = false;
        foreach (var part in programPath.Split('/'))
        {
            var names = _listings.GetOrAdd(folder, f =>
            {
                try
                {
                    var full = Path.Combine(_root, f);
                    return Directory.Exists(full) ? [.. Directory.EnumerateFileSystemEntries(full).Select(e => Path.GetFileName(e))] : [];
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return [];
                }
            });
            var name = Array.Find(names, n => n == part);
            if (name is null)
            {
                var folded = names.Where(n => string.Equals(n, part, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
                if (folded.Count != 1) return null;
                name = folded[0];
                differs = true;
            }
            real.Add(name);
            folder = folder.Length == 0 ? name : folder + "/" + name;
        }
        return differs ? folder : null;
    }

    /// <summary>Why a file that resolved <see cref="Outcome.Ok"/> cannot be used as <paramref name="kind"/> (a text file named .mp3, captions that are not WebVTT), or null.</summary>
    public MediaProblem? FormatOf(string programPath, AssetKind kind)
    {
        try
        {
            using var stream = File.OpenRead(Path.Combine(_root, programPath));
            var head = new byte[512];
            var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return MediaFormat.Check(head.AsSpan(0, read), programPath, kind);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new MediaProblem($"cannot be read ({e.Message})", "make the file readable");
        }
    }

    /// <summary>What makes a file that resolved <see cref="Outcome.Unsafe"/> unsafe.</summary>
    public MediaProblem ProblemOf(string programPath) => _problems[programPath]!;

    /// <summary>
    /// Whether a file of the program, followed through every link on its way (a linked folder too), ends up
    /// outside the program folder. Sources and media alike are refused then: the package holds only the program.
    /// </summary>
    public static bool LeavesFolder(string programRoot, string programPath)
    {
        var root = RealPath(Path.GetFullPath(programRoot));
        var file = RealPath(Path.Combine(Path.GetFullPath(programRoot), programPath));
        return root is null || file is null
            || !file.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>The path with every link in it resolved, one name at a time, as the system would; null for a link loop.</summary>
    private static string? RealPath(string full)
    {
        var pending = new Stack<string>();
        string current = Path.GetPathRoot(full)!;
        foreach (var part in full[current.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(part);
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(current)) ?? current;
                continue;
            }
            var next = Path.Combine(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                target = null;
            }
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > 40) return null;
            if (Path.IsPathRooted(target)) current = Path.GetPathRoot(target)!;
            foreach (var p in target[(Path.IsPathRooted(target) ? Path.GetPathRoot(target)!.Length : 0)..].Split(Separators, StringSplitOptions.RemoveEmptyEntries).Reverse())
                pending.Push(p);
        }
        return current;
    }

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

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

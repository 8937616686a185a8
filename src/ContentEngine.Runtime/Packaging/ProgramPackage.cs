using System.Buffers.Binary;
using System.Collections.Immutable;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using ContentEngine.Model;

namespace ContentEngine.Runtime.Packaging;

/// <summary>Why a package was refused.</summary>
public enum PackageError
{
    /// <summary>The file is not a zip archive, or is damaged.</summary>
    NotAPackage,

    /// <summary>manifest.json is missing.</summary>
    MissingManifest,

    /// <summary>manifest.json cannot be read.</summary>
    InvalidManifest,

    /// <summary>The package format is outside the versions this library reads.</summary>
    UnsupportedFormat,

    /// <summary>A file the manifest lists is not in the package.</summary>
    MissingFile,

    /// <summary>The package holds a file the manifest does not list.</summary>
    ExtraFile,

    /// <summary>A file's content does not match its SHA-256 or size in the manifest.</summary>
    HashMismatch,

    /// <summary>graph.json cannot be read.</summary>
    InvalidGraph,

    /// <summary>
    /// The package, its manifest.json or the files it lists are beyond this library's limits
    /// (<see cref="ProgramPackage.MaxFileBytes"/> and the other limits of <see cref="ProgramPackage"/>), against zip bombs.
    /// </summary>
    TooLarge,

    /// <summary>The package file is not there, or cannot be read (<see cref="ProgramPackage.Open(string)"/>).</summary>
    NotFound,
}

/// <summary>A package was refused; <see cref="Exception.Message"/> says why in one sentence, naming the file.</summary>
public sealed class PackageException(PackageError error, string message, string? path = null, Exception? inner = null) : ContentEngineException(message, inner)
{
    public PackageError Error { get; } = error;

    /// <summary>The file inside the package the problem concerns, if one.</summary>
    public string? Path { get; } = path;
}

/// <summary>A file of the package as the manifest lists it.</summary>
public sealed record PackageFile(string Path, long Size, string Sha256);

/// <summary>manifest.json: what the package holds and how it was made.</summary>
public sealed record PackageManifest(
    int PackageFormat,
    string ProgramId,
    string ProgramVersion,
    ImmutableArray<string> Locales,
    int GraphFormat,
    string Generator,
    string? Created,
    ImmutableArray<string> Bundles,
    ImmutableArray<PackageFile> Files);

/// <summary>
/// An opened and verified program package (<c>&lt;id&gt;-&lt;version&gt;.cepkg</c>). Opening checks the
/// format version, that every file the manifest lists is present with its size and SHA-256, and
/// that nothing else is in it; then reads the program. The files stay in memory: the package
/// needs no open file afterwards.
/// </summary>
public sealed class ProgramPackage
{
    /// <summary>The format this library writes and reads best.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The oldest format this library reads.</summary>
    public const int MinimumFormat = 1;

    public const string ManifestPath = "manifest.json";
    public const string GraphPath = "graph.json";

    private const long Mebi = 1024 * 1024;

    /// <summary>The most the files of a package may hold in all, unpacked (and a package read from a stream that cannot seek, packed).</summary>
    public const long MaxUncompressedBytes = 2048 * Mebi;

    /// <summary>The most one file of a package may hold, unpacked.</summary>
    public const long MaxFileBytes = 512 * Mebi;

    /// <summary>The largest manifest.json this library reads; a manifest lists a file in about 150 bytes.</summary>
    public const long MaxManifestBytes = 8 * Mebi;

    /// <summary>The most entries a package may hold.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>
    /// How many times its own size a package may unpack to, against zip bombs: real packages unpack
    /// to two to five times their size (text compresses, media does not).
    /// </summary>
    public const int MaxExpansion = 20;

    /// <summary>What any package may unpack to whatever its size, so that a small package of text is never taken for a bomb.</summary>
    public const long MinExpansionBytes = 8 * Mebi;

    /// <summary>The most bytes one entry of the zip's central directory may take: its fixed part, a long name and extra fields.</summary>
    private const long MaxDirectoryRecordBytes = 46 + 2048;

    private const int UnixFileTypeMask = 0xF000;
    private const int UnixSymlink = 0xA000;

    private readonly Dictionary<string, byte[]> _files;

    private ProgramPackage(PackageManifest manifest, ProgramGraph program, Dictionary<string, byte[]> files)
    {
        Manifest = manifest;
        Program = program;
        _files = files;
    }

    public PackageManifest Manifest { get; }

    public ProgramGraph Program { get; }

    /// <summary>Every file's path, sorted, manifest.json included.</summary>
    public IEnumerable<string> Paths => _files.Keys.Order(StringComparer.Ordinal);

    public bool Contains(string path) => _files.ContainsKey(path);

    /// <summary>The bytes of a file of the package, such as "content/en/modules/welcome.html"; a path it does not hold throws <see cref="PackageException"/> (<see cref="PackageError.MissingFile"/>).</summary>
    public byte[] ReadFile(string path) =>
        _files.TryGetValue(path, out var bytes) ? bytes
        : throw new PackageException(PackageError.MissingFile, $"the package has no file '{path}': ask for one of its Paths, or check with Contains first", path);

    public string ReadText(string path) => System.Text.Encoding.UTF8.GetString(ReadFile(path));

    /// <summary>Opens the package file at <paramref name="path"/>; a file that is not there or cannot be read throws <see cref="PackageException"/> (<see cref="PackageError.NotFound"/>).</summary>
    public static ProgramPackage Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException or ArgumentException or NotSupportedException)
        {
            throw new PackageException(PackageError.NotFound, $"the package '{path}' cannot be opened ({e.Message}): give the path of a .cepkg file that exists", null, e);
        }
        using (stream)
            return Open(stream);
    }

    public static ProgramPackage Open(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) stream = Buffered(stream);
        var packageBytes = stream.Length - stream.Position;
        CheckEntryCount(stream);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw NotReadable(e);
        }
        using (zip)
        {
            var entries = Entries(zip);
            if (!entries.TryGetValue(ManifestPath, out var manifestEntry))
                throw new PackageException(PackageError.MissingManifest, "the package has no manifest.json: it is not a ContentEngine package, or it was damaged", ManifestPath);
            var manifestBytes = ReadManifestBytes(manifestEntry);
            var manifest = ReadManifest(manifestBytes);
            var files = ReadListedFiles(manifest, entries, packageBytes);
            files[ManifestPath] = manifestBytes;
            return FromFiles(manifest, files);
        }
    }

    private static ProgramPackage FromFiles(PackageManifest manifest, Dictionary<string, byte[]> files)
    {
        if (manifest.GraphFormat != ProgramGraph.GraphFormat)
            throw new PackageException(PackageError.UnsupportedFormat,
                $"manifest.json says graph format {manifest.GraphFormat}, and this version of ContentEngine.Runtime reads graph format {ProgramGraph.GraphFormat}" +
                (manifest.GraphFormat > ProgramGraph.GraphFormat ? "; update ContentEngine.Runtime to open it" : string.Empty), ManifestPath);
        if (!files.TryGetValue(GraphPath, out var graphBytes))
            throw new PackageException(PackageError.MissingFile, "the package has no graph.json", GraphPath);
        ProgramGraph program;
        try
        {
            program = ProgramGraph.FromGraphJson(graphBytes);
        }
        catch (FormatException e)
        {
            throw new PackageException(PackageError.InvalidGraph, e.Message, GraphPath, e);
        }
        if (program.Id != manifest.ProgramId || program.Version != manifest.ProgramVersion)
            throw new PackageException(PackageError.InvalidGraph,
                $"graph.json is the program '{program.Id}' {program.Version} but manifest.json says '{manifest.ProgramId}' {manifest.ProgramVersion}", GraphPath);
        return new ProgramPackage(manifest, program, files);
    }

    private static PackageException NotReadable(Exception e, string? name = null) =>
        new(PackageError.NotAPackage, name is null
            ? $"the file is not a readable zip archive ({e.Message})"
            : $"the package's entry '{name}' cannot be unpacked ({e.Message})", name, e);

    /// <summary>A stream that cannot seek, copied to memory up to <see cref="MaxUncompressedBytes"/> (a zip is read from its end).</summary>
    private static MemoryStream Buffered(Stream stream)
    {
        var copy = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk)) > 0)
        {
            if (copy.Length + n > MaxUncompressedBytes)
                throw new PackageException(PackageError.TooLarge, $"the package is larger than {MaxUncompressedBytes / Mebi} MiB; it is refused");
            copy.Write(chunk, 0, n);
        }
        copy.Position = 0;
        return copy;
    }

    /// <summary>
    /// Refuses a zip whose end record announces more than <see cref="MaxEntries"/> entries, or a central
    /// directory far larger than its entries need, before the zip library reads the directory into memory.
    /// What is not a zip is left to the zip library to refuse.
    /// </summary>
    private static void CheckEntryCount(Stream stream)
    {
        const int EndRecord = 22;
        var start = stream.Position;
        var tail = (int)Math.Min(stream.Length - start, EndRecord + ushort.MaxValue);
        if (tail < EndRecord) return;
        var buffer = new byte[tail];
        stream.Position = stream.Length - tail;
        stream.ReadExactly(buffer);
        stream.Position = start;
        var at = -1;
        for (var i = tail - EndRecord; i >= 0 && at < 0; i--)
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i)) == 0x06054b50) at = i;
        if (at < 0) return;
        long entries = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(at + 10));
        long directory = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at + 12));
        // Zip64: the counts are in a record the locator before the end record points to.
        if ((entries == ushort.MaxValue || directory == uint.MaxValue) && at >= 20
            && BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at - 20)) == 0x07064b50)
        {
            var record = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(at - 20 + 8));
            if (record < 0 || record > stream.Length - 56) return;
            var zip64 = new byte[56];
            stream.Position = record;
            stream.ReadExactly(zip64);
            stream.Position = start;
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip64) != 0x06064b50) return;
            entries = BinaryPrimitives.ReadInt64LittleEndian(zip64.AsSpan(32));
            directory = BinaryPrimitives.ReadInt64LittleEndian(zip64.AsSpan(40));
        }
        if (entries < 0 || entries > MaxEntries)
            throw new PackageException(PackageError.TooLarge, $"the package holds {(ulong)entries} entries, more than the {MaxEntries} this library opens");
        if (directory > (entries + 1) * MaxDirectoryRecordBytes)
            throw new PackageException(PackageError.NotAPackage, $"the package's list of entries takes {directory} bytes for {entries} entries: it is damaged or crafted");
    }

    /// <summary>The zip's file entries by name, every name checked before anything is unpacked.</summary>
    private static Dictionary<string, ZipArchiveEntry> Entries(ZipArchive zip)
    {
        IReadOnlyCollection<ZipArchiveEntry> all;
        try
        {
            all = zip.Entries;
        }
        catch (InvalidDataException e)
        {
            throw NotReadable(e);
        }
        if (all.Count > MaxEntries)
            throw new PackageException(PackageError.TooLarge, $"the package holds {all.Count} entries, more than the {MaxEntries} this library opens");
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        var folded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in all)
        {
            var name = entry.FullName;
            var isFolder = name.EndsWith('/');
            if (UnsafeName(isFolder ? name[..^1] : name) is { } why)
                throw new PackageException(PackageError.NotAPackage, $"the package holds an entry with an unsafe name '{Printable(name)}': {why}", name);
            // The upper 16 bits are the Unix mode where the zip was made on Unix.
            if (((entry.ExternalAttributes >> 16) & UnixFileTypeMask) == UnixSymlink)
                throw new PackageException(PackageError.NotAPackage, $"the package's entry '{name}' is a symbolic link", name);
            if (isFolder) continue; // some zip tools add folder entries
            if (!entries.TryAdd(name, entry))
                throw new PackageException(PackageError.NotAPackage, $"the package holds '{name}' twice", name);
            if (!folded.TryAdd(name, name))
                throw new PackageException(PackageError.NotAPackage, $"the package holds '{folded[name]}' and '{name}', names that differ only in case", name);
        }
        return entries;
    }

    /// <summary>Why a path inside the package is unsafe to unpack anywhere, or null when it is safe.</summary>
    internal static string? UnsafeName(string name)
    {
        if (name.Length == 0) return "it is empty";
        if (name.StartsWith('/')) return "it is absolute";
        if (name.Contains('\\')) return "it contains a backslash";
        if (name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0])) return "it names a drive";
        if (name.Any(char.IsControl)) return "it contains a control character";
        foreach (var segment in name.Split('/'))
            if (segment is "" or "." or "..") return segment.Length == 0 ? "it has an empty segment" : $"it has a '{segment}' segment";
        return null;
    }

    private static string Printable(string name) => string.Concat(name.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    private static byte[] ReadManifestBytes(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxManifestBytes)
            throw new PackageException(PackageError.TooLarge,
                $"manifest.json is {entry.Length / Mebi} MiB, more than the {MaxManifestBytes / Mebi} MiB this library reads", ManifestPath);
        var (bytes, read) = ReadAtMost(entry, (int)entry.Length, (int)MaxManifestBytes, hash: null);
        if (read > MaxManifestBytes)
            throw new PackageException(PackageError.TooLarge,
                $"manifest.json unpacks to more than the {MaxManifestBytes / Mebi} MiB this library reads", ManifestPath);
        return read == bytes.Length ? bytes : bytes[..(int)read];
    }

    /// <summary>
    /// Reads every file the manifest lists, checking first everything that needs no unpacking (names,
    /// declared sizes, the limits), then each file up to its listed size, hashing as it goes.
    /// </summary>
    private static Dictionary<string, byte[]> ReadListedFiles(PackageManifest manifest, Dictionary<string, ZipArchiveEntry> entries, long packageBytes)
    {
        var listed = new Dictionary<string, PackageFile>(StringComparer.Ordinal);
        var folded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        foreach (var f in manifest.Files)
        {
            if (UnsafeName(f.Path) is { } why)
                throw new PackageException(PackageError.InvalidManifest, $"manifest.json lists an unsafe path '{Printable(f.Path)}': {why}", ManifestPath);
            if (!listed.TryAdd(f.Path, f))
                throw new PackageException(PackageError.InvalidManifest, $"manifest.json lists '{f.Path}' twice", ManifestPath);
            if (!folded.TryAdd(f.Path, f.Path))
                throw new PackageException(PackageError.InvalidManifest, $"manifest.json lists '{folded[f.Path]}' and '{f.Path}', paths that differ only in case", ManifestPath);
            if (f.Path == ManifestPath)
                throw new PackageException(PackageError.InvalidManifest, "manifest.json lists itself", ManifestPath);
            if (f.Size < 0)
                throw new PackageException(PackageError.InvalidManifest, $"manifest.json gives '{f.Path}' a negative size", ManifestPath);
            if (f.Size > MaxFileBytes)
                throw new PackageException(PackageError.TooLarge,
                    $"manifest.json gives '{f.Path}' {f.Size / Mebi} MiB, more than the {MaxFileBytes / Mebi} MiB this library opens in one file", f.Path);
            total += f.Size;
            if (total > MaxUncompressedBytes)
                throw new PackageException(PackageError.TooLarge,
                    $"manifest.json lists files of more than {MaxUncompressedBytes / Mebi} MiB in all, more than this library opens", ManifestPath);
        }
        var expansionLimit = Math.Max(MinExpansionBytes, packageBytes * MaxExpansion);
        if (total > expansionLimit)
            throw new PackageException(PackageError.TooLarge,
                $"manifest.json lists {total} bytes of files, more than {MaxExpansion} times the package's {packageBytes} bytes: it is refused as a zip bomb", ManifestPath);

        foreach (var f in manifest.Files)
        {
            if (entries.ContainsKey(f.Path)) continue;
            var cased = entries.Keys.FirstOrDefault(k => string.Equals(k, f.Path, StringComparison.OrdinalIgnoreCase));
            throw new PackageException(PackageError.MissingFile, cased is null
                ? $"the file '{f.Path}' listed in manifest.json is missing from the package"
                : $"the file '{f.Path}' listed in manifest.json is in the package as '{cased}': the names differ in case", f.Path);
        }
        foreach (var name in entries.Keys.Order(StringComparer.Ordinal))
        {
            if (name == ManifestPath || listed.ContainsKey(name)) continue;
            throw folded.TryGetValue(name, out var other)
                ? new PackageException(PackageError.ExtraFile, $"the package holds '{name}', which manifest.json lists as '{other}': the names differ in case", name)
                : new PackageException(PackageError.ExtraFile, $"the package holds '{name}', which manifest.json does not list: it was added after packaging", name);
        }
        foreach (var f in manifest.Files)
            if (entries[f.Path].Length != f.Size)
                throw SizeMismatch(f, entries[f.Path].Length);

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in manifest.Files)
        {
            var (bytes, read) = ReadAtMost(entries[f.Path], (int)f.Size, (int)f.Size, hash);
            if (read != f.Size) throw SizeMismatch(f, read);
            if (!string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), f.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new PackageException(PackageError.HashMismatch, $"the file '{f.Path}' does not match its SHA-256 in manifest.json: it was changed after packaging", f.Path);
            files[f.Path] = bytes;
        }
        return files;
    }

    private static PackageException SizeMismatch(PackageFile f, long actual) =>
        new(PackageError.HashMismatch, actual > f.Size
            ? $"the file '{f.Path}' has more than the {f.Size} bytes manifest.json says: it was changed after packaging"
            : $"the file '{f.Path}' has {actual} bytes where manifest.json says {f.Size}: it was changed after packaging", f.Path);

    /// <summary>
    /// Unpacks at most <paramref name="limit"/> bytes of an entry, then tries one byte more, so that a
    /// longer entry is noticed without unpacking it: the count is the bytes read, <paramref name="limit"/> + 1
    /// when there were more. The buffer starts at <paramref name="expected"/> bytes and grows only as bytes arrive.
    /// </summary>
    private static (byte[] Bytes, long Read) ReadAtMost(ZipArchiveEntry entry, int expected, int limit, IncrementalHash? hash)
    {
        var buffer = new byte[Math.Min(expected, limit)];
        var read = 0;
        try
        {
            using var s = entry.Open();
            while (read < limit)
            {
                if (read == buffer.Length)
                    Array.Resize(ref buffer, (int)Math.Min(limit, Math.Max(4096L, buffer.Length * 2L)));
                var n = s.Read(buffer, read, Math.Min(buffer.Length - read, 1 << 20));
                if (n == 0) break;
                hash?.AppendData(buffer, read, n);
                read += n;
            }
            if (read == limit && s.ReadByte() >= 0) return (buffer, limit + 1L);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw NotReadable(e, entry.FullName);
        }
        return (buffer, read);
    }

    private static string Str(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"a string was expected where the manifest has {e.ValueKind}");

    private static PackageManifest ReadManifest(byte[] bytes)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new PackageException(PackageError.InvalidManifest, $"manifest.json is not valid JSON ({e.Message})", ManifestPath, e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("packageFormat", out var pf) || pf.ValueKind != JsonValueKind.Number || !pf.TryGetInt32(out var format))
                throw new PackageException(PackageError.InvalidManifest, "manifest.json has no packageFormat number", ManifestPath);
            if (format < MinimumFormat || format > CurrentFormat)
                throw new PackageException(PackageError.UnsupportedFormat,
                    $"manifest.json says package format {format}, and this version of ContentEngine.Runtime reads {(MinimumFormat == CurrentFormat ? $"format {CurrentFormat} only" : $"formats {MinimumFormat} to {CurrentFormat}")}" +
                    (format > CurrentFormat ? "; update ContentEngine.Runtime to open it" : string.Empty), ManifestPath);
            try
            {
                var program = root.GetProperty("program");
                var build = root.GetProperty("build");
                return new PackageManifest(
                    format,
                    Str(program.GetProperty("id")),
                    Str(program.GetProperty("version")),
                    [.. program.GetProperty("locales").EnumerateArray().Select(l => Str(l))],
                    root.GetProperty("graphFormat").GetInt32(),
                    Str(build.GetProperty("generator")),
                    build.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null,
                    [.. root.GetProperty("bundles").EnumerateArray().Select(b => Str(b))],
                    [.. root.GetProperty("files").EnumerateArray().Select(f => new PackageFile(
                        Str(f.GetProperty("path")), f.GetProperty("size").GetInt64(), Str(f.GetProperty("sha256"))))]);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new PackageException(PackageError.InvalidManifest, $"manifest.json is incomplete or malformed ({e.Message})", ManifestPath, e);
            }
        }
    }
}

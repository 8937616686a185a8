using System.Collections.Immutable;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using ContentEngine.Runtime.Programs;

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
}

/// <summary>A package was refused; <see cref="Exception.Message"/> says why in one sentence, naming the file.</summary>
public sealed class PackageException(PackageError error, string message, string? path = null, Exception? inner = null) : Exception(message, inner)
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

    /// <summary>The largest package this library opens, against zip bombs.</summary>
    public const long MaxUncompressedBytes = 4L * 1024 * 1024 * 1024;

    private readonly Dictionary<string, byte[]> _files;

    private ProgramPackage(PackageManifest manifest, ProgramDefinition program, Dictionary<string, byte[]> files)
    {
        Manifest = manifest;
        Program = program;
        _files = files;
    }

    public PackageManifest Manifest { get; }

    public ProgramDefinition Program { get; }

    /// <summary>Every file's path, sorted, manifest.json included.</summary>
    public IEnumerable<string> Paths => _files.Keys.Order(StringComparer.Ordinal);

    public bool Contains(string path) => _files.ContainsKey(path);

    /// <summary>The bytes of a file of the package, such as "content/en/modules/welcome.html".</summary>
    public byte[] ReadFile(string path) =>
        _files.TryGetValue(path, out var bytes) ? bytes : throw new FileNotFoundException($"the package has no file '{path}'", path);

    public string ReadText(string path) => System.Text.Encoding.UTF8.GetString(ReadFile(path));

    public static ProgramPackage Open(string path)
    {
        using var stream = File.OpenRead(path);
        return Open(stream);
    }

    public static ProgramPackage Open(Stream stream)
    {
        var files = ReadZip(stream);
        if (!files.TryGetValue(ManifestPath, out var manifestBytes))
            throw new PackageException(PackageError.MissingManifest, "the package has no manifest.json: it is not a ContentEngine package, or it was damaged", ManifestPath);
        var manifest = ReadManifest(manifestBytes);

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in manifest.Files)
        {
            if (!listed.Add(f.Path))
                throw new PackageException(PackageError.InvalidManifest, $"manifest.json lists '{f.Path}' twice", ManifestPath);
            if (!files.TryGetValue(f.Path, out var bytes))
                throw new PackageException(PackageError.MissingFile, $"the file '{f.Path}' listed in manifest.json is missing from the package", f.Path);
            if (bytes.LongLength != f.Size)
                throw new PackageException(PackageError.HashMismatch, $"the file '{f.Path}' has {bytes.LongLength} bytes where manifest.json says {f.Size}: it was changed after packaging", f.Path);
            if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), f.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new PackageException(PackageError.HashMismatch, $"the file '{f.Path}' does not match its SHA-256 in manifest.json: it was changed after packaging", f.Path);
        }
        foreach (var extra in files.Keys.Where(k => k != ManifestPath && !listed.Contains(k)).Order(StringComparer.Ordinal))
            throw new PackageException(PackageError.ExtraFile, $"the package holds '{extra}', which manifest.json does not list: it was added after packaging", extra);

        if (manifest.GraphFormat != ProgramDefinition.GraphFormat)
            throw new PackageException(PackageError.UnsupportedFormat,
                $"manifest.json says graph format {manifest.GraphFormat}, and this version of ContentEngine.Runtime reads graph format {ProgramDefinition.GraphFormat}" +
                (manifest.GraphFormat > ProgramDefinition.GraphFormat ? "; update ContentEngine.Runtime to open it" : string.Empty), ManifestPath);
        if (!files.TryGetValue(GraphPath, out var graphBytes))
            throw new PackageException(PackageError.MissingFile, "the package has no graph.json", GraphPath);
        ProgramDefinition program;
        try
        {
            program = ProgramDefinition.FromGraphJson(graphBytes);
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

    private static Dictionary<string, byte[]> ReadZip(Stream stream)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue; // a folder entry
                var name = entry.FullName;
                if (name.StartsWith('/') || name.Contains('\\') || name.Split('/').Any(s => s is "" or "." or ".."))
                    throw new PackageException(PackageError.NotAPackage, $"the package holds an entry with an unsafe name '{name}'", name);
                total += entry.Length;
                if (total > MaxUncompressedBytes)
                    throw new PackageException(PackageError.NotAPackage, $"the package unpacks to more than {MaxUncompressedBytes / (1024 * 1024)} MiB; it is refused");
                using var s = entry.Open();
                // The declared size only sizes the first buffer, and never beyond 16 MiB: it may lie.
                using var buffer = new MemoryStream((int)Math.Min(entry.Length, 16 * 1024 * 1024));
                s.CopyTo(buffer);
                if (!files.TryAdd(name, buffer.ToArray()))
                    throw new PackageException(PackageError.NotAPackage, $"the package holds '{name}' twice", name);
            }
        }
        catch (InvalidDataException e)
        {
            throw new PackageException(PackageError.NotAPackage, $"the file is not a readable zip archive ({e.Message})", null, e);
        }
        return files;
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

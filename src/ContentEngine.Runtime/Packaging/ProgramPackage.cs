using System.IO.Compression;
using System.Security.Cryptography;
using ContentEngine.Model;

namespace ContentEngine.Runtime.Packaging;

/// <summary>
/// An opened program package (<c>&lt;id&gt;-&lt;version&gt;.cepkg</c>). Opening checks at once what needs no
/// unpacking (the zip's entries and their names, manifest.json, the limits, that every listed file is there with
/// its size and nothing else is), checks the signature, and reads graph.json, hashed; every other file is hashed
/// against the manifest when it is read (<see cref="ReadFile"/>), or all at once by <see cref="Verify"/>. No byte
/// this class returns has not matched its SHA-256 in the manifest.
/// </summary>
public sealed partial class ProgramPackage
{
    /// <summary>The format this library writes and reads best.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The oldest format this library reads.</summary>
    public const int MinimumFormat = 1;

    public const string ManifestPath = "manifest.json";
    public const string GraphPath = "graph.json";

    /// <summary>The publisher's signature of manifest.json, when the package is signed; manifest.json does not list it.</summary>
    public const string SignaturePath = PackageSigning.SignaturePath;

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

    private readonly PackageSource _source;
    private readonly Dictionary<string, PackageFile> _listed;
    private readonly Dictionary<string, byte[]> _held;

    private ProgramPackage(PackageSource source, PackageManifest manifest, ProgramGraph program, PackageSignature? signature,
        Dictionary<string, PackageFile> listed, Dictionary<string, byte[]> held) =>
        (_source, Manifest, Program, Signature, _listed, _held) = (source, manifest, program, signature, listed, held);

    public PackageManifest Manifest { get; }

    public ProgramGraph Program { get; }

    /// <summary>Who signed the package (checked against the manifest), or null when it is not signed.</summary>
    public PackageSignature? Signature { get; }

    /// <summary>Every file's path, sorted, manifest.json (and signature.json, when signed) included.</summary>
    public IEnumerable<string> Paths => _listed.Keys.Concat(_held.Keys.Where(k => !_listed.ContainsKey(k))).Order(StringComparer.Ordinal);

    public bool Contains(string path) => _listed.ContainsKey(path) || _held.ContainsKey(path);

    /// <summary>
    /// The bytes of a file of the package, such as "content/en/modules/welcome.html", unpacked and checked against its
    /// size and SHA-256 in the manifest: a <see cref="PackageException"/> (<see cref="PackageError.HashMismatch"/>) when
    /// it was changed after packaging; a <see cref="PackageException"/> (<see cref="PackageError.MissingFile"/>) when the package lists no such file (see <see cref="Contains"/>).
    /// </summary>
    public byte[] ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_held.TryGetValue(path, out var held)) return (byte[])held.Clone();
        if (!_listed.TryGetValue(path, out var file))
            throw new PackageException(PackageError.MissingFile, $"the package has no file '{path}': ask for one of its Paths, or check with Contains first", path);
        using var zip = _source.OpenZip();
        return ReadVerified(Entry(zip, file), file, keep: true)!;
    }

    public string ReadText(string path) => System.Text.Encoding.UTF8.GetString(ReadFile(path));

    /// <summary>
    /// Unpacks and hashes every file the manifest lists, keeping none of them: returns when all match their size and
    /// SHA-256, or throws the <see cref="PackageException"/> of the first that does not (in path order).
    /// </summary>
    public void Verify()
    {
        using var zip = _source.OpenZip();
        foreach (var f in Manifest.Files)
            if (!_held.ContainsKey(f.Path)) ReadVerified(Entry(zip, f), f, keep: false);
    }

    public static ProgramPackage Open(string path) => Open(path, new PackageOpenOptions());

    /// <summary>Opens the package file at <paramref name="path"/>; its files are read from it when asked for, so keep it where it is.</summary>
    public static ProgramPackage Open(string path, PackageOpenOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Open(PackageSource.FromFile(path), options);
    }

    public static ProgramPackage Open(Stream stream) => Open(stream, new PackageOpenOptions());

    /// <summary>Opens a package from a stream, from its current position; the package's (packed) bytes are copied to memory, and the stream is not needed afterwards.</summary>
    public static ProgramPackage Open(Stream stream, PackageOpenOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Open(PackageSource.FromStream(stream), options);
    }

    private static ProgramPackage Open(PackageSource source, PackageOpenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var zip = source.OpenZip(checkEntryCount: true);
        var entries = Entries(zip);
        if (!entries.TryGetValue(ManifestPath, out var manifestEntry))
            throw new PackageException(PackageError.MissingManifest, "the package has no manifest.json: it is not a ContentEngine package, or it was damaged", ManifestPath);
        var manifestBytes = ReadAtMostOrRefuse(manifestEntry, MaxManifestBytes);
        var signature = CheckSignature(entries, manifestBytes, options.TrustedPublishers);
        var manifest = ReadManifest(manifestBytes);
        var listed = CheckListedFiles(manifest, entries, source.Length);
        var held = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [ManifestPath] = manifestBytes };
        if (signature is not null) held[SignaturePath] = ReadAtMostOrRefuse(entries[SignaturePath], PackageSigning.MaxSignatureBytes);
        var graphBytes = ReadGraph(manifest, listed, entries);
        held[GraphPath] = graphBytes;
        var package = new ProgramPackage(source, manifest, ParseGraph(manifest, graphBytes), signature, listed, held);
        if (options.VerifyAllFiles)
            foreach (var f in manifest.Files)
                if (f.Path != GraphPath) ReadVerified(entries[f.Path], f, keep: false);
        return package;
    }

    /// <summary>signature.json checked against the manifest and the trusted keys; null when the package is not signed.</summary>
    private static PackageSignature? CheckSignature(Dictionary<string, ZipArchiveEntry> entries, byte[] manifestBytes, IReadOnlyList<PublisherKey> trusted)
    {
        if (!entries.TryGetValue(SignaturePath, out var entry))
        {
            if (trusted.Count > 0)
                throw new PackageException(PackageError.Unsigned, "the package is not signed (it has no signature.json), and only packages signed by a trusted publisher key are accepted", SignaturePath);
            return null;
        }
        var signature = PackageSigning.Check(ReadAtMostOrRefuse(entry, PackageSigning.MaxSignatureBytes), manifestBytes, trusted);
        if (trusted.Count > 0 && !signature.Trusted)
            throw new PackageException(PackageError.UntrustedSigner,
                $"the package is signed by '{signature.Signer}' with the key {signature.Fingerprint}, which is not among the trusted publisher keys", SignaturePath);
        return signature;
    }

    private static byte[] ReadGraph(PackageManifest manifest, Dictionary<string, PackageFile> listed, Dictionary<string, ZipArchiveEntry> entries)
    {
        if (manifest.GraphFormat != ProgramGraph.GraphFormat)
            throw new PackageException(PackageError.UnsupportedFormat,
                $"manifest.json says graph format {manifest.GraphFormat}, and this version of ContentEngine.Runtime reads graph format {ProgramGraph.GraphFormat}" +
                (manifest.GraphFormat > ProgramGraph.GraphFormat ? "; update ContentEngine.Runtime to open it" : string.Empty), ManifestPath);
        if (!listed.TryGetValue(GraphPath, out var graph))
            throw new PackageException(PackageError.MissingFile, "the package has no graph.json", GraphPath);
        return ReadVerified(entries[GraphPath], graph, keep: true)!;
    }

    private static ProgramGraph ParseGraph(PackageManifest manifest, byte[] graphBytes)
    {
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
        return program;
    }

    private static PackageException NotReadable(Exception e, string? name = null) =>
        new(PackageError.NotAPackage, name is null
            ? $"the file is not a readable zip archive ({e.Message})"
            : $"the package's entry '{name}' cannot be unpacked ({e.Message})", name, e);

    /// <summary>The entry of a listed file in a zip opened again after <see cref="Open(string)"/>.</summary>
    private static ZipArchiveEntry Entry(ZipArchive zip, PackageFile file)
    {
        ZipArchiveEntry? entry;
        try
        {
            entry = zip.GetEntry(file.Path);
        }
        catch (InvalidDataException e)
        {
            throw NotReadable(e);
        }
        return entry ?? throw new PackageException(PackageError.MissingFile, $"the file '{file.Path}' listed in manifest.json is missing from the package", file.Path);
    }

    /// <summary>
    /// Unpacks a listed file no further than its listed size (one byte more shows it is longer), hashing as it goes;
    /// its bytes when <paramref name="keep"/>, or a <see cref="PackageException"/> when it does not match the manifest.
    /// </summary>
    private static byte[]? ReadVerified(ZipArchiveEntry entry, PackageFile f, bool keep)
    {
        if (entry.Length != f.Size) throw SizeMismatch(f, entry.Length);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var (bytes, read) = ReadAtMost(entry, keep ? (int)f.Size : 0, (int)f.Size, hash, keep);
        if (read != f.Size) throw SizeMismatch(f, read);
        if (!string.Equals(Hex(hash.GetHashAndReset()), f.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new PackageException(PackageError.HashMismatch, $"the file '{f.Path}' does not match its SHA-256 in manifest.json: it was changed after packaging", f.Path);
        return keep ? bytes : null;
    }

    internal static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static PackageException SizeMismatch(PackageFile f, long actual) =>
        new(PackageError.HashMismatch, actual > f.Size
            ? $"the file '{f.Path}' has more than the {f.Size} bytes manifest.json says: it was changed after packaging"
            : $"the file '{f.Path}' has {actual} bytes where manifest.json says {f.Size}: it was changed after packaging", f.Path);
}

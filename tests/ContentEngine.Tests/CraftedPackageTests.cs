using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContentEngine.Runtime.Packaging;

namespace ContentEngine.Tests;

/// <summary>
/// Packages made to hurt the platform that opens them: zip bombs, lying sizes, a huge manifest, many
/// entries, and names that are unsafe to unpack. Each is refused with its own <see cref="PackageError"/>
/// and a message naming the file, before it can take much memory or time.
/// </summary>
public sealed class CraftedPackageTests(Mutation.MutationTests.Reporter reporter) : IClassFixture<Mutation.MutationTests.Reporter>
{
    private const string ContentFile = "content/en/modules/welcome.html";
    private const string BombFile = "content/media/zeros.bin";
    private const long BombBytes = 256L * 1024 * 1024;

    /// <summary>Appends <paramref name="bytes"/> zero bytes as one entry, compressed as small as deflate makes them.</summary>
    private static void Zeros(ZipArchive zip, string name, long bytes)
    {
        var chunk = new byte[1024 * 1024];
        using var s = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
        for (long written = 0; written < bytes; written += chunk.Length)
            s.Write(chunk, 0, (int)Math.Min(chunk.Length, bytes - written));
    }

    private static readonly Lazy<string> BombSha256 = new(() =>
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[1024 * 1024];
        for (long done = 0; done < BombBytes; done += chunk.Length) hash.AppendData(chunk);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    });

    /// <summary>The sample package and a bomb that the manifest does not list; compressing it is the slow part, so it is made once.</summary>
    private static readonly Lazy<byte[]> BombPackage = new(() => PackageTamperTests.Rezip(_ => { }, zip => Zeros(zip, BombFile, BombBytes)));

    /// <summary>The bomb package with its manifest edited; the zip library copies the other entries compressed as they are.</summary>
    private static byte[] WithBomb(Action<PackageTamperTests.Entries> edit)
    {
        using var stream = new MemoryStream();
        stream.Write(BombPackage.Value);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var old = zip.GetEntry(ProgramPackage.ManifestPath)!;
            byte[] manifest;
            using (var s = old.Open())
            using (var buffer = new MemoryStream())
            {
                s.CopyTo(buffer);
                manifest = buffer.ToArray();
            }
            var entries = new PackageTamperTests.Entries([(ProgramPackage.ManifestPath, manifest)]);
            edit(entries);
            old.Delete();
            using var w = zip.CreateEntry(ProgramPackage.ManifestPath).Open();
            w.Write(entries[ProgramPackage.ManifestPath]);
        }
        return stream.ToArray();
    }

    /// <summary>Lists a file in the manifest with the size and hash given.</summary>
    private static void List(PackageTamperTests.Entries e, string path, long size, string sha256)
    {
        var m = e.Manifest;
        m["files"]!.AsArray().Add(new JsonObject { ["path"] = path, ["size"] = size, ["sha256"] = sha256 });
        e.Manifest = m;
    }

    /// <summary>
    /// Rewrites the uncompressed size an entry declares, in its local header and in the central
    /// directory, so that the zip itself lies about it.
    /// </summary>
    private static byte[] DeclareSize(byte[] zip, string name, uint size)
    {
        var bytes = (byte[])zip.Clone();
        var encoded = Encoding.UTF8.GetBytes(name);
        var patched = 0;
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            var (nameAt, lengthAt, sizeAt) = signature switch
            {
                0x04034b50 => (30, 26, 22), // local file header
                0x02014b50 => (46, 28, 24), // central directory header
                _ => (0, 0, 0),
            };
            if (nameAt == 0 || BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + lengthAt)) != encoded.Length
                || i + nameAt + encoded.Length > bytes.Length || !bytes.AsSpan(i + nameAt, encoded.Length).SequenceEqual(encoded))
                continue;
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + sizeAt), size);
            patched++;
        }
        Assert.Equal(2, patched);
        return bytes;
    }

    private static void SetManifest(PackageTamperTests.Entries e, Action<JsonNode> edit)
    {
        var m = e.Manifest;
        edit(m);
        e.Manifest = m;
    }

    /// <summary>One crafted package: its bytes, the refusal expected, and a text the message must hold (the file's name).</summary>
    internal static (byte[] Bytes, PackageError Error, string Named) Craft(string name) => name switch
    {
        // Zip bombs and lying sizes.
        "bomb-not-listed" => (BombPackage.Value, PackageError.ExtraFile, BombFile),
        "bomb-listed-small" => (WithBomb(e => List(e, BombFile, 1000, new string('0', 64))),
            PackageError.HashMismatch, BombFile),
        "bomb-listed-small-zip-lies-too" => (DeclareSize(
            WithBomb(e => List(e, BombFile, 1000, new string('0', 64))), BombFile, 1000),
            PackageError.HashMismatch, BombFile),
        "bomb-listed-honestly" => (WithBomb(e => List(e, BombFile, BombBytes, BombSha256.Value)),
            PackageError.TooLarge, ProgramPackage.ManifestPath),
        "file-beyond-the-limit" => (PackageTamperTests.Rezip(e => List(e, BombFile, ProgramPackage.MaxFileBytes + 1, new string('0', 64))),
            PackageError.TooLarge, BombFile),
        "files-beyond-the-total" => (PackageTamperTests.Rezip(e =>
        {
            for (var i = 0; i < 5; i++) List(e, $"content/media/part-{i}.bin", ProgramPackage.MaxFileBytes, new string('0', 64));
        }), PackageError.TooLarge, ProgramPackage.ManifestPath),
        "huge-manifest" => (PackageTamperTests.Rezip(e => e.Remove(ProgramPackage.ManifestPath), zip =>
        {
            using var s = zip.CreateEntry(ProgramPackage.ManifestPath, CompressionLevel.SmallestSize).Open();
            s.Write("{\"packageFormat\": 1, \"padding\": \""u8);
            var chunk = Enumerable.Repeat((byte)'x', 1024 * 1024).ToArray();
            for (var i = 0; i < 64; i++) s.Write(chunk);
            s.Write("\"}"u8);
        }), PackageError.TooLarge, ProgramPackage.ManifestPath),
        // The zip library reads no more than an entry declares: the manifest is its first 100 bytes, and no JSON.
        "huge-manifest-zip-lies" => (DeclareSize(PackageTamperTests.Rezip(e => e.Remove(ProgramPackage.ManifestPath), zip =>
        {
            using var s = zip.CreateEntry(ProgramPackage.ManifestPath, CompressionLevel.SmallestSize).Open();
            var chunk = Enumerable.Repeat((byte)' ', 1024 * 1024).ToArray();
            for (var i = 0; i < 64; i++) s.Write(chunk);
        }), ProgramPackage.ManifestPath, 100), PackageError.InvalidManifest, ProgramPackage.ManifestPath),
        "many-entries" => (PackageTamperTests.Rezip(_ => { }, zip =>
        {
            for (var i = 0; i < 50_000; i++)
                zip.CreateEntry($"x/{i}", CompressionLevel.NoCompression).Open().Dispose();
        }), PackageError.TooLarge, "entries"),
        "many-entries-count-lies" => (AnnounceEntries(Get("many-entries").Bytes, 200), PackageError.NotAPackage, "entries"),
        "many-entries-not-listed" => (PackageTamperTests.Rezip(_ => { }, zip =>
        {
            for (var i = 0; i < ProgramPackage.MaxEntries - 1000; i++)
                zip.CreateEntry($"x/{i}", CompressionLevel.NoCompression).Open().Dispose();
        }), PackageError.ExtraFile, "x/0"),

        // Names unsafe to unpack.
        "drive-absolute" => (Add("C:/Windows/win.ini"), PackageError.NotAPackage, "C:/Windows/win.ini"),
        "drive-relative" => (Add("C:win.ini"), PackageError.NotAPackage, "C:win.ini"),
        "backslash" => (Add("content\\en\\modules\\welcome.html"), PackageError.NotAPackage, "content\\en\\modules\\welcome.html"),
        "absolute" => (Add("/etc/cron.d/job"), PackageError.NotAPackage, "/etc/cron.d/job"),
        "parent" => (Add("content/../../outside.txt"), PackageError.NotAPackage, "content/../../outside.txt"),
        "dot" => (Add("./content/x.txt"), PackageError.NotAPackage, "./content/x.txt"),
        "empty-segment" => (Add("content//x.txt"), PackageError.NotAPackage, "content//x.txt"),
        "parent-folder-entry" => (Add("../"), PackageError.NotAPackage, "../"),
        "control-character" => (Add("content/a\u0007b.txt"), PackageError.NotAPackage, "content/a\\u0007b.txt"),
        "symbolic-link" => (PackageTamperTests.Rezip(_ => { }, zip =>
        {
            var link = zip.CreateEntry("content/media/link.svg");
            link.ExternalAttributes = (0xA000 | 0x1FF) << 16;
            using var s = link.Open();
            s.Write("/etc/passwd"u8);
        }), PackageError.NotAPackage, "content/media/link.svg"),
        "symbolic-link-listed" => (PackageTamperTests.Rezip(e => List(e, "content/media/link.svg", 11, Convert.ToHexStringLower(SHA256.HashData("/etc/passwd"u8))), zip =>
        {
            var link = zip.CreateEntry("content/media/link.svg");
            link.ExternalAttributes = (0xA000 | 0x1FF) << 16;
            using var s = link.Open();
            s.Write("/etc/passwd"u8);
        }), PackageError.NotAPackage, "content/media/link.svg"),
        "two-entries-differ-in-case" => (PackageTamperTests.Rezip(e => e["Content/en/modules/welcome.html"] = e[ContentFile]),
            PackageError.NotAPackage, "Content/en/modules/welcome.html"),
        "entry-differs-from-manifest-in-case" => (PackageTamperTests.Rezip(e =>
        {
            var data = e[ContentFile];
            e.Remove(ContentFile);
            e["content/en/modules/Welcome.html"] = data;
        }), PackageError.MissingFile, "content/en/modules/Welcome.html"),
        "manifest-lists-two-in-case" => (PackageTamperTests.Rezip(e => SetManifest(e, m =>
        {
            var files = m["files"]!.AsArray();
            var copy = files.First(f => (string?)f!["path"] == ContentFile)!.DeepClone();
            copy["path"] = "content/en/modules/WELCOME.html";
            files.Add(copy);
        })), PackageError.InvalidManifest, "WELCOME.html"),
        "manifest-lists-an-unsafe-path" => (PackageTamperTests.Rezip(e => List(e, "../escape.txt", 1, new string('0', 64))),
            PackageError.InvalidManifest, "../escape.txt"),
        "manifest-negative-size" => (PackageTamperTests.Rezip(e => SetManifest(e, m =>
            m["files"]!.AsArray().First(f => (string?)f!["path"] == ContentFile)!["size"] = -1)), PackageError.InvalidManifest, ContentFile),
        _ => throw new ArgumentException(name),
    };

    /// <summary>Rewrites the number of entries the zip's end record announces.</summary>
    private static byte[] AnnounceEntries(byte[] zip, ushort count)
    {
        var bytes = (byte[])zip.Clone();
        var at = bytes.AsSpan().LastIndexOf((ReadOnlySpan<byte>)[0x50, 0x4b, 0x05, 0x06]);
        Assert.True(at > 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 8), count);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 10), count);
        return bytes;
    }

    private static byte[] Add(string entry) => PackageTamperTests.Rezip(e => e[entry] = "x"u8.ToArray());

    private static readonly string[] Bombs =
    [
        "bomb-not-listed", "bomb-listed-small", "bomb-listed-small-zip-lies-too", "bomb-listed-honestly", "file-beyond-the-limit",
        "files-beyond-the-total", "huge-manifest", "huge-manifest-zip-lies", "many-entries", "many-entries-count-lies", "many-entries-not-listed",
    ];

    private static readonly string[] OddNames =
    [
        "drive-absolute", "drive-relative", "backslash", "absolute", "parent", "dot", "empty-segment", "parent-folder-entry",
        "control-character", "symbolic-link", "symbolic-link-listed", "two-entries-differ-in-case", "entry-differs-from-manifest-in-case",
        "manifest-lists-two-in-case", "manifest-lists-an-unsafe-path", "manifest-negative-size",
    ];

    internal static readonly string[] Names = [.. Bombs, .. OddNames];

    public static TheoryData<string> Cases() => new(Names);

    private static readonly ConcurrentDictionary<string, (byte[] Bytes, PackageError Error, string Named)> Crafted = new();

    private static (byte[] Bytes, PackageError Error, string Named) Get(string name) => Crafted.GetOrAdd(name, Craft);

    /// <summary>Opens and verifies a package, measuring what it allocates on this thread and how long it takes.</summary>
    private static (Exception? Error, long Allocated, TimeSpan Took) Measure(byte[] bytes)
    {
        var stream = new MemoryStream(bytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var e = Record.Exception(() => ProgramPackage.Open(stream).Verify());
        clock.Stop();
        return (e, GC.GetAllocatedBytesForCurrentThread() - before, clock.Elapsed);
    }

    /// <summary>A few times the package's size, and a little for the program itself.</summary>
    private static long AllocationBound(byte[] bytes) => 4L * bytes.Length + 8 * 1024 * 1024;

    [Theory]
    [MemberData(nameof(Cases))]
    public void ACraftedPackageIsRefusedQuicklyAndCheaply(string name)
    {
        var (bytes, error, named) = Get(name);
        var (e, allocated, took) = Measure(bytes);
        Assert.True(e is PackageException, $"{name}: {(e is null ? "opened" : e.GetType().Name + ": " + e.Message)}");
        var refused = (PackageException)e!;
        Assert.True(error == refused.Error, $"{name}: {refused.Error} rather than {error}: {refused.Message}");
        Assert.Contains(named, refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.True(allocated <= AllocationBound(bytes), $"{name}: opening a {bytes.Length} byte package allocated {allocated} bytes");
        Assert.True(took < TimeSpan.FromSeconds(2), $"{name}: refusing took {took.TotalSeconds:0.00} s");
    }

    [Fact]
    public void TheBombsAreSmallPackages()
    {
        // The set stands for the packages of the probe: a few MB that unpack (or claim to) to far more.
        foreach (var name in Bombs)
            Assert.True(Get(name).Bytes.Length < 8 * 1024 * 1024, $"{name}: {Get(name).Bytes.Length} bytes");
        Assert.True(Get("many-entries").Bytes.Length > 2 * 1024 * 1024);
    }

    [Fact]
    public void ARealPackageStillOpensWithinTheBound()
    {
        var bytes = PackageTestData.SampleBytes;
        var (e, allocated, _) = Measure(bytes);
        Assert.Null(e);
        // Verifying keeps no file: the copy of the package, graph.json and the manifest, a little more.
        var graph = ProgramPackage.Open(new MemoryStream(bytes)).Manifest.Files.Single(f => f.Path == ProgramPackage.GraphPath).Size;
        Assert.True(allocated < bytes.Length + 4 * graph + 8 * 1024 * 1024, $"opening and verifying the sample allocated {allocated} bytes");
    }

    [Fact]
    public void OpeningAPackageFileUnpacksOnlyTheManifestAndTheGraph()
    {
        using var t = new TestPaths.TempFolder();
        var path = Path.Combine(t.Path, "p.cepkg");
        File.WriteAllBytes(path, PackageTestData.SampleBytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var package = ProgramPackage.Open(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var unpacked = package.Manifest.Files.Sum(f => f.Size);
        var graph = package.Manifest.Files.Single(f => f.Path == ProgramPackage.GraphPath).Size;
        Assert.True(allocated < 4 * graph + 4 * 1024 * 1024 && allocated < unpacked,
            $"opening the sample's file allocated {allocated} bytes; it unpacks to {unpacked}, graph.json {graph}");
    }

    [Fact]
    public void APackageFromAStreamThatCannotSeekOpens()
    {
        var package = ProgramPackage.Open(new ForwardOnly(PackageTestData.SampleBytes));
        Assert.Equal(PackageTestData.SampleName, package.Program.Id);
        var e = Assert.Throws<PackageException>(() => ProgramPackage.Open(new ForwardOnly(Get("bomb-not-listed").Bytes)));
        Assert.Equal(PackageError.ExtraFile, e.Error);
    }

    [Fact]
    public void EveryCraftedPackageIsRefused()
    {
        var refused = 0;
        var failures = new List<string>();
        foreach (var name in Bombs.Concat(OddNames))
        {
            var (bytes, error, _) = Get(name);
            var (e, allocated, took) = Measure(bytes);
            if (e is PackageException p && p.Error == error && allocated <= AllocationBound(bytes) && took < TimeSpan.FromSeconds(2)) refused++;
            else failures.Add($"{name}: {e?.GetType().Name} {e?.Message}, {allocated} bytes, {took.TotalSeconds:0.00} s");
        }
        reporter.Report($"crafted packages refused: {refused} of {Bombs.Length + OddNames.Length} ({Bombs.Length} bombs and limits, {OddNames.Length} odd names)");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>A stream that reads forward only, as a network stream does.</summary>
    private sealed class ForwardOnly(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContentEngine.Cli;
using ContentEngine.Runtime.Packaging;

namespace ContentEngine.Tests;

/// <summary>
/// A package changed after it was written is refused, each change with its own <see cref="PackageError"/>
/// and a message that says what is wrong and where.
/// </summary>
public sealed class PackageTamperTests
{
    private const string ContentFile = "content/en/modules/welcome.html";
    private const string DroppedFile = "content/sv/modules/values.txt";
    private const string AddedFile = "content/en/modules/unlisted.html";

    /// <summary>The entries of a package being tampered with, in zip order.</summary>
    internal sealed class Entries(List<(string Name, byte[] Data)> items)
    {
        public List<(string Name, byte[] Data)> Items { get; } = items;

        public byte[] this[string name]
        {
            get => Items.Single(e => e.Name == name).Data;
            set
            {
                var i = Items.FindIndex(e => e.Name == name);
                if (i < 0) Items.Add((name, value));
                else Items[i] = (name, value);
            }
        }

        public void Remove(string name) => Assert.Equal(1, Items.RemoveAll(e => e.Name == name));

        public JsonNode Manifest
        {
            get => JsonNode.Parse(this[ProgramPackage.ManifestPath])!;
            set => this[ProgramPackage.ManifestPath] = Encoding.UTF8.GetBytes(value.ToJsonString());
        }

        /// <summary>Replaces a file and lists its new size and SHA-256 in the manifest, as someone covering their tracks would.</summary>
        public void ReplaceAndRehash(string name, byte[] data)
        {
            this[name] = data;
            var manifest = Manifest;
            var file = manifest["files"]!.AsArray().Single(f => (string?)f!["path"] == name)!;
            file["size"] = data.LongLength;
            file["sha256"] = Convert.ToHexStringLower(SHA256.HashData(data));
            Manifest = manifest;
        }
    }

    /// <summary>
    /// The sample package with its entries edited, written as a fresh zip; <paramref name="append"/> may
    /// add entries the list cannot hold (streamed, or with their own attributes).
    /// </summary>
    internal static byte[] Rezip(Action<Entries> edit, Action<ZipArchive>? append = null)
    {
        var items = new List<(string Name, byte[] Data)>();
        using (var zip = new ZipArchive(new MemoryStream(PackageTestData.SampleBytes), ZipArchiveMode.Read))
        {
            foreach (var entry in zip.Entries)
            {
                using var s = entry.Open();
                using var buffer = new MemoryStream();
                s.CopyTo(buffer);
                items.Add((entry.FullName, buffer.ToArray()));
            }
        }
        edit(new Entries(items));
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in items)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(data);
            }
            append?.Invoke(zip);
        }
        return output.ToArray();
    }

    private static byte[] WithGraph(string graphJson) => Rezip(e => e.ReplaceAndRehash(ProgramPackage.GraphPath, Encoding.UTF8.GetBytes(graphJson)));

    private static string SampleGraphJson => Encoding.UTF8.GetString(PackageTestData.OpenSample().ReadFile(ProgramPackage.GraphPath));

    /// <summary>A graph.json edited as a JSON tree.</summary>
    private static string EditGraph(Action<JsonNode> edit)
    {
        var node = JsonNode.Parse(SampleGraphJson)!;
        edit(node);
        return node.ToJsonString();
    }

    /// <summary>One tampered package per way of tampering: the bytes, the error expected, and the file the error concerns.</summary>
    internal static (byte[] Bytes, PackageError Error, string? File) Tampered(string name) => name switch
    {
        "changed-byte" => (Rezip(e =>
        {
            var data = (byte[])e[ContentFile].Clone();
            data[data.Length / 2] ^= 0x20;
            e[ContentFile] = data;
        }), PackageError.HashMismatch, ContentFile),
        "changed-size" => (Rezip(e => e[ContentFile] = [.. e[ContentFile], (byte)'\n']), PackageError.HashMismatch, ContentFile),
        "missing-file" => (Rezip(e => e.Remove(DroppedFile)), PackageError.MissingFile, DroppedFile),
        "extra-file" => (Rezip(e => e[AddedFile] = "<p>Not from the clinic.</p>\n"u8.ToArray()), PackageError.ExtraFile, AddedFile),
        "future-format" => (Rezip(e =>
        {
            var m = e.Manifest;
            m["packageFormat"] = 2;
            e.Manifest = m;
        }), PackageError.UnsupportedFormat, ProgramPackage.ManifestPath),
        "no-manifest" => (Rezip(e => e.Remove(ProgramPackage.ManifestPath)), PackageError.MissingManifest, ProgramPackage.ManifestPath),
        "garbage" => (Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray(), PackageError.NotAPackage, null),
        "listed-twice" => (Rezip(e =>
        {
            var m = e.Manifest;
            var files = m["files"]!.AsArray();
            files.Add(files.First(f => (string?)f!["path"] == ContentFile)!.DeepClone());
            e.Manifest = m;
        }), PackageError.InvalidManifest, ProgramPackage.ManifestPath),
        "malformed-graph" => (WithGraph(SampleGraphJson[..(SampleGraphJson.Length / 2)]), PackageError.InvalidGraph, ProgramPackage.GraphPath),
        _ => throw new ArgumentException(name),
    };

    internal static readonly string[] CaseNames =
        ["changed-byte", "changed-size", "missing-file", "extra-file", "future-format", "no-manifest", "garbage", "listed-twice", "malformed-graph"];

    public static TheoryData<string> Cases() => new(CaseNames);

    /// <summary>The refusal of a package opened and then verified in full: a change to a file other than graph.json is found by <see cref="ProgramPackage.Verify"/>.</summary>
    private static PackageException Refused(byte[] bytes) => Assert.Throws<PackageException>(() => ProgramPackage.Open(new MemoryStream(bytes)).Verify());

    [Fact]
    public void AChangedFileIsRefusedWhenItIsReadOrVerifiedNotBeforeAndNotAnother()
    {
        var bytes = Tampered("changed-byte").Bytes;
        // Open hashes only what it reads: the manifest and graph.json.
        var package = ProgramPackage.Open(new MemoryStream(bytes));
        Assert.NotEmpty(package.ReadFile("content/sv/modules/welcome.html"));
        var read = Assert.Throws<PackageException>(() => package.ReadFile(ContentFile));
        Assert.Equal(PackageError.HashMismatch, read.Error);
        Assert.Equal(ContentFile, read.Path);
        Assert.Equal(read.Message, Assert.Throws<PackageException>(package.Verify).Message);
        // Asked to, Open hashes every file at once.
        var eager = Assert.Throws<PackageException>(() => ProgramPackage.Open(new MemoryStream(bytes), new PackageOpenOptions { VerifyAllFiles = true }));
        Assert.Equal(read.Message, eager.Message);
    }

    [Fact]
    public void APackageFileChangedAfterItWasOpenedIsNotRead()
    {
        using var t = new TestPaths.TempFolder();
        var path = Path.Combine(t.Path, "p.cepkg");
        File.WriteAllBytes(path, PackageTestData.SampleBytes);
        var package = ProgramPackage.Open(path);
        package.Verify();
        Assert.Equal(PackageTestData.OpenSample().ReadFile(ContentFile), package.ReadFile(ContentFile));
        File.WriteAllBytes(path, Tampered("changed-size").Bytes);
        var e = Assert.Throws<PackageException>(() => package.ReadFile(ContentFile));
        Assert.Contains("open it again", e.Message);
        File.Delete(path);
        Assert.Equal(PackageError.NotFound, Assert.Throws<PackageException>(() => package.ReadFile(ContentFile)).Error);
    }

    [Fact]
    public void NoPackageFileAtThePathIsAPackageExceptionNamingIt()
    {
        using var t = new TestPaths.TempFolder();
        var path = Path.Combine(t.Path, "nothing-here.cepkg");
        var e = Assert.Throws<PackageException>(() => ProgramPackage.Open(path));
        Assert.Equal(PackageError.NotFound, e.Error);
        Assert.Contains(path, e.Message);
        Assert.IsAssignableFrom<ContentEngine.Runtime.ContentEngineException>(e);
    }

    [Fact]
    public void TheUntamperedPackageOpens()
    {
        var package = ProgramPackage.Open(new MemoryStream(PackageTestData.SampleBytes));
        Assert.Equal(PackageTestData.SampleName, package.Program.Id);
        // Rewriting the zip without changing a file is not tampering.
        Assert.Equal(package.Paths, ProgramPackage.Open(new MemoryStream(Rezip(_ => { }))).Paths);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ATamperedPackageIsRefusedNamingTheFile(string name)
    {
        var (bytes, error, file) = Tampered(name);
        var e = Refused(bytes);
        Assert.Equal(error, e.Error);
        Assert.Equal(file, e.Path);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.DoesNotContain('\n', e.Message);
        if (file is not null && error != PackageError.UnsupportedFormat)
            Assert.Contains(file, e.Message);
    }

    [Fact]
    public void EveryWayOfTamperingHasItsOwnMessage()
    {
        var refusals = CaseNames.Select(name => (Name: name, Exception: Refused(Tampered(name).Bytes))).ToList();
        var messages = refusals.Select(r => r.Exception.Message).ToList();
        Assert.Equal(messages.Count, messages.Distinct(StringComparer.Ordinal).Count());
        // Between them the cases raise every kind of refusal.
        Assert.Equal(
            new[] { PackageError.NotAPackage, PackageError.MissingManifest, PackageError.InvalidManifest, PackageError.UnsupportedFormat,
                PackageError.MissingFile, PackageError.ExtraFile, PackageError.HashMismatch, PackageError.InvalidGraph }.Order(),
            refusals.Select(r => r.Exception.Error).Distinct().Order());
    }

    [Fact]
    public void AFutureFormatAsksForAnUpdate()
    {
        var e = Refused(Tampered("future-format").Bytes);
        Assert.Contains("format 2", e.Message);
        Assert.Contains("update", e.Message, StringComparison.OrdinalIgnoreCase);

        var old = Rezip(x =>
        {
            var m = x.Manifest;
            m["packageFormat"] = 0;
            x.Manifest = m;
        });
        var tooOld = Refused(old);
        Assert.Equal(PackageError.UnsupportedFormat, tooOld.Error);
        Assert.DoesNotContain("update", tooOld.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ASizeChangeAndAContentChangeAreBothHashMismatches()
    {
        Assert.Contains("bytes", Refused(Tampered("changed-size").Bytes).Message);
        Assert.Contains("SHA-256", Refused(Tampered("changed-byte").Bytes).Message);
    }

    [Fact]
    public void ATruncatedOrEmptyFileIsNotAPackage()
    {
        var bytes = PackageTestData.SampleBytes;
        Assert.Equal(PackageError.NotAPackage, Refused(bytes[..(bytes.Length / 2)]).Error);
        Assert.Equal(PackageError.NotAPackage, Refused([]).Error);
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("/etc/absolute.txt")]
    [InlineData("content/./en/dot.txt")]
    [InlineData("content\\en\\backslash.txt")]
    public void AnEntryWithAnUnsafeNameIsRefused(string entry)
    {
        var e = Refused(Rezip(x => x[entry] = "x"u8.ToArray()));
        Assert.Equal(PackageError.NotAPackage, e.Error);
        Assert.Contains(entry, e.Message);
    }

    [Fact]
    public void AnEntryTwiceInTheZipIsRefused()
    {
        var e = Refused(Rezip(x => x.Items.Add((ContentFile, x[ContentFile]))));
        Assert.Equal(PackageError.NotAPackage, e.Error);
        Assert.Contains(ContentFile, e.Message);
    }

    [Fact]
    public void AGraphOfAnotherProgramIsRefused()
    {
        var e = Refused(WithGraph(EditGraph(g => g["id"] = "another-program")));
        Assert.Equal(PackageError.InvalidGraph, e.Error);
        Assert.Contains("another-program", e.Message);
        Assert.Contains(ProgramPackage.ManifestPath, e.Message);
    }

    /// <summary>Ways graph.json can be malformed while its hash in the manifest matches.</summary>
    public static TheoryData<string> MalformedGraphs() =>
    [
        "not-json", "not-an-object", "no-modules", "graph-format-2", "no-locales", "unknown-phase", "unknown-requirement", "module-twice",
        "bad-offer-tree", "offer-without-source", "week-as-text", "title-not-text", "module-not-an-object", "phase-not-an-object",
        "worksheet-repeat-not-text", "score-without-id",
    ];

    private static string MalformedGraph(string name) => name switch
    {
        "not-json" => "{\"graphFormat\": 1, ",
        "not-an-object" => "[1, 2, 3]",
        "no-modules" => EditGraph(g => g.AsObject().Remove("modules")),
        "graph-format-2" => EditGraph(g => g["graphFormat"] = 2),
        "no-locales" => EditGraph(g => g["locales"] = new JsonArray()),
        "unknown-phase" => EditGraph(g => g["modules"]![0]!["phase"] = "no-such-phase"),
        "unknown-requirement" => EditGraph(g => g["modules"]![1]!["requires"] = new JsonArray("no-such-module")),
        "module-twice" => EditGraph(g => g["modules"]!.AsArray().Add(g["modules"]![0]!.DeepClone())),
        "bad-offer-tree" => EditGraph(g => g["modules"]!.AsArray().First(m => m!["offerWhen"] is not null)!["offerWhen"]!["tree"] = new JsonObject { ["node"] = "frobnicate" }),
        "offer-without-source" => EditGraph(g => g["modules"]!.AsArray().First(m => m!["offerWhen"] is not null)!["offerWhen"]!.AsObject().Remove("source")),
        "week-as-text" => EditGraph(g => g["modules"]![0]!["week"] = "one"),
        "title-not-text" => EditGraph(g => g["modules"]![0]!["title"]!["en"] = 5),
        "module-not-an-object" => EditGraph(g => g["modules"]!.AsArray().Add(5)),
        "phase-not-an-object" => EditGraph(g => g["phases"]!.AsArray().Add(5)),
        "worksheet-repeat-not-text" => EditGraph(g => g["worksheets"]!.AsArray().First(w => w!["repeat"] is not null)!["repeat"] = 7),
        "score-without-id" => EditGraph(g => g["worksheets"]!.AsArray().First(w => w!["scoring"] is not null)!["scoring"]!["scores"]![0]!.AsObject().Remove("id")),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(MalformedGraphs))]
    public void AMalformedGraphIsAnInvalidGraph(string name)
    {
        var bytes = WithGraph(MalformedGraph(name));
        var e = Record.Exception(() => ProgramPackage.Open(new MemoryStream(bytes)));
        Assert.True(e is PackageException, $"{name}: {(e is null ? "no exception" : e.GetType().Name + ": " + e.Message)}");
        var refused = (PackageException)e!;
        Assert.Equal(PackageError.InvalidGraph, refused.Error);
        Assert.Equal(ProgramPackage.GraphPath, refused.Path);
        Assert.Contains(ProgramPackage.GraphPath, refused.Message);
    }

    /// <summary>Ways manifest.json can be malformed: each is an invalid manifest, never another exception.</summary>
    public static TheoryData<string> MalformedManifests() =>
        ["not-json", "an-array", "no-format", "format-as-text", "format-fractional", "no-files", "files-not-a-list", "size-as-text", "path-not-text", "no-program"];

    [Theory]
    [MemberData(nameof(MalformedManifests))]
    public void AMalformedManifestIsAnInvalidManifest(string name)
    {
        var bytes = Rezip(x =>
        {
            if (name == "not-json")
            {
                x[ProgramPackage.ManifestPath] = "{\"packageFormat\": 1,"u8.ToArray();
                return;
            }
            if (name == "an-array")
            {
                x[ProgramPackage.ManifestPath] = "[1]"u8.ToArray();
                return;
            }
            var m = x.Manifest;
            switch (name)
            {
                case "no-format": m.AsObject().Remove("packageFormat"); break;
                case "format-as-text": m["packageFormat"] = "1"; break;
                case "format-fractional": m["packageFormat"] = 1.5; break;
                case "no-files": m.AsObject().Remove("files"); break;
                case "files-not-a-list": m["files"] = "all of them"; break;
                case "size-as-text": m["files"]![0]!["size"] = "big"; break;
                case "path-not-text": m["files"]![0]!["path"] = 5; break;
                case "no-program": m.AsObject().Remove("program"); break;
            }
            x.Manifest = m;
        });
        var e = Record.Exception(() => ProgramPackage.Open(new MemoryStream(bytes)));
        Assert.True(e is PackageException, $"{name}: {(e is null ? "no exception" : e.GetType().Name + ": " + e.Message)}");
        var refused = (PackageException)e!;
        Assert.Equal(PackageError.InvalidManifest, refused.Error);
        Assert.Equal(ProgramPackage.ManifestPath, refused.Path);
        Assert.Contains(ProgramPackage.ManifestPath, refused.Message);
    }

    /// <summary>Runs the command line in this process: its exit code, standard output and standard error.</summary>
    internal static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InspectRefusesATamperedPackageInOneLine(string name)
    {
        using var t = new TestPaths.TempFolder();
        var path = Path.Combine(t.Path, "iact-chronic-pain-1.0.0.cepkg");
        await File.WriteAllBytesAsync(path, Tampered(name).Bytes);
        var (code, output, error) = await Run("inspect", path);
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, output);
        var lines = error.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.Contains("refused", lines[0]);
        Assert.Contains(Refused(Tampered(name).Bytes).Message, lines[0]);
    }

    [Fact]
    public async Task InspectRefusesAMalformedGraphRatherThanFailingInternally()
    {
        using var t = new TestPaths.TempFolder();
        var path = Path.Combine(t.Path, "iact-chronic-pain-1.0.0.cepkg");
        await File.WriteAllBytesAsync(path, WithGraph(MalformedGraph("title-not-text")));
        var (code, _, error) = await Run("inspect", path);
        Assert.True(code == 1, $"exit {code}: {error}");
        Assert.Contains("refused", error);
    }

    [Fact]
    public async Task InspectOfAMissingFileIsAUsageError()
    {
        using var t = new TestPaths.TempFolder();
        var (code, output, error) = await Run("inspect", Path.Combine(t.Path, "nothing-here.cepkg"));
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("no file", error);
    }

    [Fact]
    public async Task InspectPrintsTheVerifiedPackagesPath()
    {
        using var t = new TestPaths.TempFolder();
        var path = Path.Combine(t.Path, "iact-chronic-pain-1.0.0.cepkg");
        await File.WriteAllBytesAsync(path, PackageTestData.SampleBytes);
        var (code, output, error) = await Run("inspect", path);
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        var program = PackageTestData.OpenSample().Program;
        foreach (var m in program.Modules)
            Assert.Contains(m.Id, output);
        Assert.Contains("iact-chronic-pain 1.0.0", output);
        Assert.Contains("weeks 1-6", output);
        Assert.Contains("weeks 7-10", output);
        Assert.Contains("weeks 11-21", output);
        Assert.Contains("0 to 6", output);
        Assert.Contains("2023-11-14T22:13:20Z", output);
        Assert.Contains($"verified: {PackageTestData.OpenSample().Manifest.Files.Length} files", output);
    }
}

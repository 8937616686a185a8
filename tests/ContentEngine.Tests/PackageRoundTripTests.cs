using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Output;
using ContentEngine.Rendering;
using ContentEngine.Rendering.Package;
using ContentEngine.Rendering.Web;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Runtime.Packaging;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Tests;

/// <summary>Builds program packages the way <c>contentengine build --package</c> does, for the package and runtime tests.</summary>
internal static class PackageTestData
{
    public const string SampleName = "iact-chronic-pain";

    public static string SampleFolder => TestPaths.Repo("content", SampleName);

    public static string GoldenFolder(string name) => TestPaths.Repo("tests", "programs", name);

    /// <summary>"sample" for the sample program, else the name of a folder under tests/programs.</summary>
    public static string Folder(string name) => name == "sample" ? SampleFolder : GoldenFolder(name);

    public static ProgramGraph Compile(string folder)
    {
        var result = ProgramCompiler.Compile(folder);
        Assert.True(result.Graph is not null, DiagnosticFormatter.Plain(result.Diagnostics));
        return result.Graph!;
    }

    public static PackageOptions Options(string folder, ProgramGraph graph, long? sourceDateEpoch = null)
    {
        var theme = Theme.Load(folder, graph.Theme);
        var web = WebRenderer.Render(graph, new WebOptions { Theme = theme });
        return new PackageOptions
        {
            Theme = theme,
            Bundles = new Dictionary<string, Bundle>(StringComparer.Ordinal) { ["web"] = web },
            SourceDateEpoch = sourceDateEpoch,
        };
    }

    /// <summary>Compiles the program in <paramref name="folder"/>, renders its web bundle and writes its package.</summary>
    public static (ProgramGraph Graph, PackageOptions Options, byte[] Bytes) Build(string folder, long? sourceDateEpoch = null)
    {
        var graph = Compile(folder);
        var options = Options(folder, graph, sourceDateEpoch);
        return (graph, options, PackageWriter.Write(graph, options));
    }

    private static readonly Lazy<(ProgramGraph Graph, byte[] Bytes)> Sample = new(() =>
    {
        var (graph, _, bytes) = Build(SampleFolder, 1700000000);
        return (graph, bytes);
    });

    /// <summary>The sample program's package, built once.</summary>
    public static byte[] SampleBytes => Sample.Value.Bytes;

    public static ProgramGraph SampleGraph => Sample.Value.Graph;

    public static ProgramPackage OpenSample() => ProgramPackage.Open(new MemoryStream(SampleBytes));

    /// <summary>Copies a folder with everything in it.</summary>
    public static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>A condition tree as the JSON <see cref="ConditionJson.Write"/> gives.</summary>
    public static string TreeJson(Expr tree)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
            ConditionJson.Write(w, tree);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A text per locale, sorted by locale, for comparison.</summary>
    public static List<KeyValuePair<string, string>> Pairs(IEnumerable<KeyValuePair<string, string>>? values) =>
        values is null ? [] : [.. values.OrderBy(kv => kv.Key, StringComparer.Ordinal)];
}

/// <summary>
/// A package written by the compiler's side is read back by the runtime library exactly: the program
/// the runtime sees is the graph the compiler made, every file is listed with its hash, and the bytes
/// are reproducible.
/// </summary>
public sealed class PackageRoundTripTests
{
    private const long Epoch = 1700000000;

    /// <summary>The sample program and every golden program that compiles without errors.</summary>
    public static TheoryData<string> Programs() => new(ProgramNames.Value);

    private static readonly Lazy<string[]> ProgramNames = new(() =>
    [
        "sample",
        .. Directory.EnumerateDirectories(TestPaths.Repo("tests", "programs")).Order(StringComparer.Ordinal)
            .Where(dir => ProgramCompiler.Compile(dir).Graph is not null)
            .Select(dir => Path.GetFileName(dir)),
    ]);

    [Fact]
    public void SomeGoldenProgramsCompileAndAreCovered()
    {
        Assert.True(ProgramNames.Value.Length >= 3, "the round trip covers the sample and at least two golden programs");
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void TheRuntimeReadsTheProgramTheCompilerMade(string name)
    {
        var (graph, _, bytes) = PackageTestData.Build(PackageTestData.Folder(name), Epoch);
        var package = ProgramPackage.Open(new MemoryStream(bytes));
        var p = package.Program;

        Assert.Equal(graph.Id, p.Id);
        Assert.Equal(graph.Version, p.Version);
        Assert.Equal(PackageTestData.Pairs(graph.Title.Values), PackageTestData.Pairs(p.Title.Values));
        Assert.Equal<string>(graph.Locales, p.Locales);
        Assert.Equal(graph.DefaultLocale, p.DefaultLocale);
        Assert.Equal(graph.Release, p.Release);

        Assert.Equal(graph.Phases.Length, p.Phases.Length);
        for (var i = 0; i < graph.Phases.Length; i++)
        {
            var (expected, actual) = (graph.Phases[i], p.Phases[i]);
            Assert.Equal(expected.Id, actual.Id);
            Assert.Equal(PackageTestData.Pairs(expected.Title.Values), PackageTestData.Pairs(actual.Title.Values));
            Assert.Equal(expected.Weeks, actual.Weeks);
            Assert.Equal(expected.FirstWeek, actual.FirstWeek);
            Assert.Equal(expected.PauseBefore, actual.PauseBefore);
            Assert.Equal(expected.FirstWeek + expected.Weeks - 1, actual.LastWeek);
            Assert.Equal(expected.Choose?.Min, actual.Choose?.Min);
            Assert.Equal(expected.Choose?.Max, actual.Choose?.Max);
            Assert.Equal(expected.Choose is null, actual.Choose is null);
        }

        Assert.Equal(graph.Modules.Select(m => m.Id), p.Modules.Select(m => m.Id));
        for (var i = 0; i < graph.Modules.Length; i++)
        {
            var (expected, actual) = (graph.Modules[i], p.Modules[i]);
            var at = $"module '{expected.Id}'";
            Assert.True(ReferenceEquals(actual, p.FindModule(expected.Id)), at);
            Assert.Equal(PackageTestData.Pairs(expected.Title.Values), PackageTestData.Pairs(actual.Title.Values));
            Assert.Equal(PackageTestData.Pairs(expected.Summary?.Values), PackageTestData.Pairs(actual.Summary?.Values));
            Assert.Equal(expected.Phase, actual.Phase);
            Assert.Equal(expected.Week, actual.Week);
            Assert.Equal(expected.ProgramWeek, actual.ProgramWeek);
            Assert.Equal(expected.Optional, actual.Optional);
            Assert.Equal(expected.Minutes, actual.Minutes);
            Assert.Equal(expected.EstimatedMinutes, actual.EstimatedMinutes);
            Assert.Equal<string>(expected.Requires, actual.Requires);
            Assert.Equal<string>(expected.Tags, actual.Tags);
            Assert.Equal<string>(expected.Content.Keys, actual.Content.Keys);
            Assert.Equal(expected.OfferReason is null, actual.OfferReason is null);
            Assert.Equal(PackageTestData.Pairs(expected.OfferReason?.Values), PackageTestData.Pairs(actual.OfferReason?.Values));
            Assert.Equal(expected.OfferWhen is null, actual.OfferWhen is null);
            if (expected.OfferWhen is { } offer)
            {
                Assert.Equal(offer.Source, actual.OfferWhen!.Source);
                Assert.Equal(PackageTestData.TreeJson(offer.Tree), PackageTestData.TreeJson(actual.OfferWhen.Tree));
            }
        }

        Assert.Equal(graph.Worksheets.Select(w => w.Id), p.Worksheets.Select(w => w.Id));
        for (var i = 0; i < graph.Worksheets.Length; i++)
        {
            var (expected, actual) = (graph.Worksheets[i], p.Worksheets[i]);
            Assert.Equal(PackageTestData.Pairs(expected.Title.Values), PackageTestData.Pairs(actual.Title.Values));
            Assert.Equal(expected.Kind, actual.Kind);
            Assert.Equal(expected.Repeat, actual.Repeat);
            Assert.Equal(expected.Days, actual.Days);
            Assert.Equal(expected.Fields.Select(f => f.Id), actual.Fields.Select(f => f.Id));
            Assert.Equal(expected.Fields.Select(f => f.Type), actual.Fields.Select(f => f.Type));
            Assert.Equal(expected.Fields.Select(f => f.Required), actual.Fields.Select(f => f.Required));
            Assert.Equal(expected.Fields.Select(f => f.Min), actual.Fields.Select(f => f.Min));
            Assert.Equal(expected.Fields.Select(f => f.Max), actual.Fields.Select(f => f.Max));
            Assert.Equal(expected.Fields.Select(f => f.Type == FieldType.Choice && f.Multiple), actual.Fields.Select(f => f.Multiple));
            for (var j = 0; j < expected.Fields.Length; j++)
            {
                Assert.Equal(PackageTestData.Pairs(expected.Fields[j].Label.Values), PackageTestData.Pairs(actual.Fields[j].Label.Values));
                Assert.Equal(expected.Fields[j].Type == FieldType.Choice ? expected.Fields[j].Options.Select(o => o.ValueText) : [], actual.Fields[j].Options.Select(o => o.ValueText));
            }
            Assert.Equal(expected.Scoring?.Scores.Select(s => s.Id) ?? [], actual.Scoring?.Scores.Select(s => s.Id) ?? []);
        }
        Assert.Equal(graph.Phases.Max(ph => ph.FirstWeek + ph.Weeks - 1), p.TotalWeeks);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void TheManifestListsEveryFileWithItsHashAndSize(string name)
    {
        var folder = PackageTestData.Folder(name);
        var (graph, options, bytes) = PackageTestData.Build(folder, Epoch);
        var package = ProgramPackage.Open(new MemoryStream(bytes));
        var manifest = package.Manifest;

        Assert.Equal(PackageWriter.Format, manifest.PackageFormat);
        Assert.Equal(ProgramPackage.CurrentFormat, manifest.PackageFormat);
        Assert.Equal(GraphJson.FormatVersion, manifest.GraphFormat);
        Assert.Equal(graph.Id, manifest.ProgramId);
        Assert.Equal(graph.Version, manifest.ProgramVersion);
        Assert.Equal<string>(graph.Locales, manifest.Locales);
        Assert.Equal(new[] { "web" }, manifest.Bundles);
        Assert.Equal(PackageWriter.Generator, manifest.Generator);

        // Every file but the manifest is listed once, in path order, and nothing else is in the zip.
        var listed = manifest.Files.Select(f => f.Path).ToList();
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(ProgramPackage.ManifestPath, listed);
        Assert.Equal(listed.Append(ProgramPackage.ManifestPath).Order(StringComparer.Ordinal), package.Paths);
        foreach (var f in manifest.Files)
        {
            var content = package.ReadFile(f.Path);
            Assert.Equal(content.LongLength, f.Size);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), f.Sha256);
        }

        // The files are those the writer makes, byte for byte.
        var files = PackageWriter.Files(graph, options);
        Assert.Equal(files.Keys, listed);
        foreach (var (path, content) in files)
            Assert.True(content.AsSpan().SequenceEqual(package.ReadFile(path)), $"{path} differs from what the writer makes");
        Assert.Equal(GraphJson.Write(graph), package.ReadText(ProgramPackage.GraphPath));

        // Content per locale for every module and worksheet, media, worksheets as JSON, FHIR, the web bundle.
        foreach (var locale in graph.Locales)
        {
            foreach (var m in graph.Modules)
            {
                Assert.True(package.Contains($"content/{locale}/modules/{m.Id}.html"), $"content/{locale}/modules/{m.Id}.html");
                Assert.True(package.Contains($"content/{locale}/modules/{m.Id}.txt"), $"content/{locale}/modules/{m.Id}.txt");
                Assert.StartsWith(m.Title.Get(locale, graph.DefaultLocale), package.ReadText($"content/{locale}/modules/{m.Id}.txt"));
            }
            foreach (var w in graph.Worksheets)
            {
                Assert.True(package.Contains($"content/{locale}/worksheets/{w.Id}.html"), $"content/{locale}/worksheets/{w.Id}.html");
                Assert.True(package.Contains($"content/{locale}/worksheets/{w.Id}.txt"), $"content/{locale}/worksheets/{w.Id}.txt");
            }
        }
        foreach (var w in graph.Worksheets)
        {
            Assert.Equal(GraphJson.WriteWorksheet(w, graph.DefaultLocale), package.ReadText($"worksheets/{w.Id}.json"));
            Assert.True(package.Contains($"fhir/Questionnaire-{w.Id}.json"), $"fhir/Questionnaire-{w.Id}.json");
        }
        Assert.True(package.Contains($"fhir/PlanDefinition-{graph.Id}.json"));
        foreach (var a in graph.Assets)
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, a.Path)), package.ReadFile("content/" + a.Path));
        foreach (var (path, content) in options.Bundles["web"].Files)
            Assert.Equal(content, package.ReadFile("bundles/web/" + path));
        Assert.Equal(listed.Count, listed.Count(p =>
            p == ProgramPackage.GraphPath || p.StartsWith("content/", StringComparison.Ordinal) || p.StartsWith("worksheets/", StringComparison.Ordinal)
            || p.StartsWith("fhir/", StringComparison.Ordinal) || p.StartsWith("bundles/web/", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheSampleHasMediaAndBothLocalesInItsPackage()
    {
        var package = PackageTestData.OpenSample();
        Assert.Equal(new[] { "sv", "en" }, package.Program.Locales);
        Assert.True(package.Contains("content/media/body-scan.mp3"));
        Assert.True(package.Contains("content/media/bulls-eye.svg"));
        Assert.True(package.Contains("content/en/modules/welcome.html"));
        Assert.True(package.Contains("content/sv/modules/welcome.html"));
        Assert.Contains("Welcome", package.ReadText("content/en/modules/welcome.txt"));
        Assert.Contains("Välkommen", package.ReadText("content/sv/modules/welcome.txt"));
        Assert.Equal(PackageError.MissingFile, Assert.Throws<PackageException>(() => package.ReadFile("content/en/modules/no-such-module.html")).Error);
    }

    [Fact]
    public void WritingTwiceGivesTheSameBytes()
    {
        var folder = PackageTestData.SampleFolder;
        var first = PackageTestData.Build(folder, Epoch).Bytes;
        var second = PackageTestData.Build(folder, Epoch).Bytes;
        Assert.Equal(first, second);

        var graph = PackageTestData.Compile(folder);
        var options = PackageTestData.Options(folder, graph);
        Assert.Equal(PackageWriter.Write(graph, options), PackageWriter.Write(graph, options));
    }

    [Fact]
    public void TheSameProgramInTwoFoldersGivesTheSameBytes()
    {
        using var t = new TestPaths.TempFolder();
        var a = Path.Combine(t.Path, "first", PackageTestData.SampleName);
        var b = Path.Combine(t.Path, "somewhere-else", "entirely", "copy");
        PackageTestData.CopyFolder(PackageTestData.SampleFolder, a);
        PackageTestData.CopyFolder(PackageTestData.SampleFolder, b);
        var fromA = PackageTestData.Build(a, Epoch).Bytes;
        var fromB = PackageTestData.Build(b, Epoch).Bytes;
        if (!fromA.AsSpan().SequenceEqual(fromB))
        {
            // Name the first file that differs, for a useful failure.
            var pa = ProgramPackage.Open(new MemoryStream(fromA));
            var pb = ProgramPackage.Open(new MemoryStream(fromB));
            var differing = pa.Paths.FirstOrDefault(p => !pb.Contains(p) || !pa.ReadFile(p).AsSpan().SequenceEqual(pb.ReadFile(p)));
            Assert.Fail($"the packages differ, first in '{differing}'");
        }
        Assert.Equal(PackageTestData.SampleBytes, fromA);
    }

    [Fact]
    public void SourceDateEpochIsTheOnlyTimeInThePackage()
    {
        var bytes = PackageTestData.SampleBytes;
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains(ProgramPackage.ManifestPath, names);
        var permissions = Convert.ToInt32("100644", 8) << 16;
        foreach (var entry in zip.Entries)
        {
            // The zip format stores a clock time without a zone: the clock reads the epoch's UTC time.
            Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20), entry.LastWriteTime.DateTime);
            Assert.Equal(permissions, entry.ExternalAttributes);
            Assert.False(entry.FullName.EndsWith('/'), "no folder entries");
        }

        var package = ProgramPackage.Open(new MemoryStream(bytes));
        Assert.Equal("2023-11-14T22:13:20Z", package.Manifest.Created);
        using var manifest = JsonDocument.Parse(package.ReadFile(ProgramPackage.ManifestPath));
        var build = manifest.RootElement.GetProperty("build");
        Assert.Equal("2023-11-14T22:13:20Z", build.GetProperty("created").GetString());
        Assert.Equal(Epoch, build.GetProperty("sourceDateEpoch").GetInt64());
    }

    [Fact]
    public void WithoutSourceDateEpochThereIsNoCreationTimeAndEntriesCarry1980()
    {
        var folder = PackageTestData.SampleFolder;
        var graph = PackageTestData.Compile(folder);
        var bytes = PackageWriter.Write(graph, PackageTestData.Options(folder, graph));
        using (var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
            foreach (var entry in zip.Entries)
                Assert.Equal(new DateTime(1980, 1, 1, 0, 0, 0), entry.LastWriteTime.DateTime);
        var package = ProgramPackage.Open(new MemoryStream(bytes));
        Assert.Null(package.Manifest.Created);
        using var manifest = JsonDocument.Parse(package.ReadFile(ProgramPackage.ManifestPath));
        Assert.False(manifest.RootElement.GetProperty("build").TryGetProperty("created", out _));
    }

    [Fact]
    public void TheFileNameIsIdAndVersion()
    {
        Assert.Equal("iact-chronic-pain-1.0.0.cepkg", PackageWriter.FileName(PackageTestData.SampleGraph));
    }
}

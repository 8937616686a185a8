using System.Text.Json;
using ContentEngine.Cli;

namespace ContentEngine.Tests;

public sealed class CommandLineTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Sample => TestPaths.Repo("content", "iact-chronic-pain");

    [Fact]
    public async Task TheSampleProgramChecksCleanWithWarningsAsErrors()
    {
        var (code, output, _) = await Run("check", Sample, "--warnaserror");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public async Task NewMakesAProgramThatChecksClean()
    {
        using var t = new TestPaths.TempFolder();
        var folder = Path.Combine(t.Path, "my-program");
        var (code, _, _) = await Run("new", folder);
        Assert.Equal(0, code);
        Assert.True(File.Exists(Path.Combine(folder, "program.yaml")));
        (code, var output, _) = await Run("check", folder, "--warnaserror");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("id: my-program", File.ReadAllText(Path.Combine(folder, "program.yaml")));

        (code, _, var err) = await Run("new", folder);
        Assert.Equal(2, code);
        Assert.Contains("not empty", err);
    }

    [Fact]
    public async Task VersionPrintsTheVersionOfTheBuild()
    {
        var (code, output, err) = await Run("--version");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, err);
        var props = File.ReadAllText(TestPaths.Repo("Directory.Build.props"));
        var version = System.Text.RegularExpressions.Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
        Assert.Equal(version, output.TrimEnd());
        Assert.Equal(version, CommandLine.Version);
    }

    [Theory]
    [InlineData(0, "0 warnings")]
    [InlineData(1, "1 warning")]
    [InlineData(2, "2 warnings")]
    [InlineData(11, "11 warnings")]
    public void ACountHasOneFormForOneAndAnotherForEveryOtherNumber(int n, string expected) =>
        Assert.Equal(expected, Plural.Count(n, "warning", "warnings"));

    [Fact]
    public async Task TheSummaryLineCountsInTheRightForms()
    {
        var (code, _, err) = await Run("check", Sample);
        Assert.Equal(0, code);
        Assert.Equal($"{Sample}: 17 modules, 11 worksheets, 2 locales; 0 warnings", err.TrimEnd());

        // The template: two modules, one worksheet, one locale.
        using var t = new TestPaths.TempFolder();
        var folder = Path.Combine(t.Path, "p");
        Assert.Equal(0, (await Run("new", folder)).Code);
        (code, _, err) = await Run("check", folder);
        Assert.Equal(0, code);
        Assert.Equal($"{folder}: 2 modules, 1 worksheet, 1 locale; 0 warnings", err.TrimEnd());

        // One module and its one warning.
        using var one = new TestPaths.TempFolder();
        one.File("program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [en]\nprovider: {name: The Clinic, email: pain@example.org}\nprivacy: Your answers stay in this browser.\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n");
        one.File("modules/b.md", "---\ntitle: B\nphase: main\nweek: 1\nminutes: 1\n---\nShort.\n\n::: exercise {title=\"Try\" minutes=10}\nDo it.\n:::\n");
        (code, _, err) = await Run("check", one.Path);
        Assert.Equal(0, code);
        Assert.Equal($"{one.Path}: 1 module, 0 worksheets, 1 locale; 1 warning", err.TrimEnd());
        var output = Path.Combine(one.Path, "out");
        (code, _, err) = await Run("build", one.Path, "--graph", "-o", output);
        Assert.Equal(0, code);
        Assert.Equal($"{one.Path}: wrote {output}; 1 warning", err.TrimEnd());

        // One error and one warning: nothing written.
        using var broken = BrokenProgram();
        (code, _, err) = await Run("check", broken.Path);
        Assert.Equal(1, code);
        Assert.Equal($"{broken.Path}: 1 error, 1 warning; nothing was written", err.TrimEnd());
    }

    private static TestPaths.TempFolder BrokenProgram()
    {
        var t = new TestPaths.TempFolder();
        t.File("program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [en]\nprovider: {name: The Clinic, email: pain@example.org}\nprivacy: Your answers stay in this browser.\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n");
        t.File("modules/a.md", "---\ntitle: A\nphase: main\nweek: 1\nrequires: [bb]\n---\nText.\n");
        t.File("modules/b.md", "---\ntitle: B\nphase: main\nweek: 1\nminutes: 1\n---\nShort.\n\n::: exercise {title=\"Try\" minutes=10}\nDo it.\n:::\n");
        return t;
    }

    [Fact]
    public async Task HumanOutputShowsTheLineAndACaret()
    {
        using var t = BrokenProgram();
        var (code, output, _) = await Run("check", t.Path);
        Assert.Equal(1, code);
        var lines = output.Split('\n');
        var i = Array.FindIndex(lines, l => l.Contains("error CE0201"));
        Assert.True(i >= 0, output);
        Assert.EndsWith("modules/a.md(5,12): error CE0201: There is no module 'bb'; did you mean 'b'?", lines[i]);
        Assert.Equal("  5 | requires: [bb]", lines[i + 1]);
        Assert.Equal("    |            ^~", lines[i + 2]);
        Assert.Contains(lines, l => l.Contains("warning CE0601"));
    }

    [Fact]
    public async Task JsonOutputGivesTheSameFacts()
    {
        using var t = BrokenProgram();
        var (code, output, _) = await Run("check", t.Path, "--format", "json");
        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("errors").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("warnings").GetInt32());
        var error = json.RootElement.GetProperty("diagnostics").EnumerateArray().Single(d => d.GetProperty("severity").GetString() == "error");
        Assert.Equal("CE0201", error.GetProperty("code").GetString());
        Assert.Equal(5, error.GetProperty("line").GetInt32());
        Assert.Equal(12, error.GetProperty("column").GetInt32());
        Assert.EndsWith("modules/a.md", error.GetProperty("file").GetString());
    }

    [Fact]
    public async Task SarifOutputIsSarif210()
    {
        using var t = BrokenProgram();
        var (code, output, _) = await Run("check", t.Path, "--format", "sarif");
        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("2.1.0", json.RootElement.GetProperty("version").GetString());
        var run = json.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        foreach (var r in results)
        {
            var id = r.GetProperty("ruleId").GetString();
            Assert.Equal(rules.IndexOf(id), r.GetProperty("ruleIndex").GetInt32());
            var region = r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
            Assert.True(region.GetProperty("startLine").GetInt32() >= 1);
        }
        Assert.Contains(results, r => r.GetProperty("level").GetString() == "warning" && r.GetProperty("ruleId").GetString() == "CE0601");
    }

    [Fact]
    public async Task WarningsAsErrorsFailsOnWarnings()
    {
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [en]\nprovider: {name: The Clinic, email: pain@example.org}\nprivacy: Your answers stay in this browser.\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n");
        t.File("modules/b.md", "---\ntitle: B\nphase: main\nweek: 1\nminutes: 1\n---\nShort.\n\n::: exercise {title=\"Try\" minutes=10}\nDo it.\n:::\n");
        Assert.Equal(0, (await Run("check", t.Path)).Code);
        var (code, output, _) = await Run("check", t.Path, "--warnaserror");
        Assert.Equal(1, code);
        Assert.Contains("error CE0601", output);
    }

    [Fact]
    public async Task NotesAreCountedApartAndAskForNothing()
    {
        // Two optional modules that a patient in pain is both recommended, where only one may be chosen: a note.
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [en]\nprovider: {name: The Clinic, email: pain@example.org}\nprivacy: Your answers stay in this browser.\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n    choose: {max: 1}\n");
        t.File("worksheets/rating.md", "---\nid: rating\ntitle: Rating\nfields:\n  - id: pain\n    type: scale\n    label: Pain\n    min: 0\n    max: 10\n---\n");
        t.File("modules/a.md", "---\ntitle: A\nphase: main\nweek: 1\n---\nRate your pain.\n\n::: worksheet {ref=rating}\n:::\n");
        foreach (var (id, limit) in new[] { ("b", 4), ("c", 7) })
            t.File($"modules/{id}.md", $"---\ntitle: {id}\nphase: main\nweek: 2\noptional: true\noffer_when: \"rating.pain >= {limit}\"\noffer_reason: Your pain.\n---\nText.\n");
        foreach (var options in new[] { Array.Empty<string>(), ["--warnaserror"] })
        {
            var (code, output, err) = await Run(["check", t.Path, .. options]);
            Assert.Equal(0, code);
            Assert.Contains("note CE0810", output);
            Assert.EndsWith("; 0 warnings, 1 note", err.TrimEnd());
        }
        var (_, json, _) = await Run("check", t.Path, "--format", "json");
        using var doc = JsonDocument.Parse(json);
        Assert.Equal((0, 1), (doc.RootElement.GetProperty("warnings").GetInt32(), doc.RootElement.GetProperty("notes").GetInt32()));
        var (_, sarif, _) = await Run("check", t.Path, "--format", "sarif");
        using var log = JsonDocument.Parse(sarif);
        Assert.Equal("note", log.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("level").GetString());
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("check")]
    [InlineData("check", "no-such-folder")]
    [InlineData("check", "x", "--format", "xml")]
    [InlineData("build", "x", "--bogus")]
    public async Task WrongUsageExitsWithTwo(params string[] args)
    {
        var (code, _, err) = await Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("contentengine: ", err);
    }

    [Fact]
    public async Task BuildWritesTheGraphAndAFailedBuildKeepsTheOldOutput()
    {
        using var t = new TestPaths.TempFolder();
        var output = Path.Combine(t.Path, "out");
        var (code, _, _) = await Run("build", Sample, "-o", output, "--graph", "--web");
        Assert.Equal(0, code);
        var graphPath = Path.Combine(output, "graph.json");
        var first = File.ReadAllText(graphPath);
        using (var graph = JsonDocument.Parse(first))
        {
            Assert.Equal("iact-chronic-pain", graph.RootElement.GetProperty("id").GetString());
            Assert.True(graph.RootElement.GetProperty("modules").GetArrayLength() >= 12);
        }

        using var broken = BrokenProgram();
        (code, _, _) = await Run("build", broken.Path, "-o", output, "--graph", "--web");
        Assert.Equal(1, code);
        Assert.Equal(first, File.ReadAllText(graphPath));
        Assert.Single(Directory.EnumerateFileSystemEntries(t.Path));

        (code, _, _) = await Run("build", Sample, "-o", output, "--graph");
        Assert.Equal(0, code);
        Assert.Equal(first, File.ReadAllText(graphPath));
    }

    [Fact]
    public async Task BuildPackageWritesThePackageOnly()
    {
        using var t = new TestPaths.TempFolder();
        var output = Path.Combine(t.Path, "out");
        var (code, _, err) = await Run("build", Sample, "--package", "-o", output);
        Assert.True(code == 0, err);
        Assert.Equal([OutputFolder.MarkerName, "iact-chronic-pain-1.0.0.cepkg"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(output, "web")));
        var package = ContentEngine.Runtime.Packaging.ProgramPackage.Open(Path.Combine(output, "iact-chronic-pain-1.0.0.cepkg"));
        Assert.Empty(package.Manifest.Bundles);
        Assert.DoesNotContain(package.Paths, p => p.StartsWith("bundles/", StringComparison.Ordinal));

        // With the web bundle, the package carries it.
        (code, _, err) = await Run("build", Sample, "--web", "--package", "-o", output);
        Assert.True(code == 0, err);
        package = ContentEngine.Runtime.Packaging.ProgramPackage.Open(Path.Combine(output, "iact-chronic-pain-1.0.0.cepkg"));
        Assert.Equal(["web"], package.Manifest.Bundles.ToArray());
        Assert.Contains("bundles/web/sv/index.html", package.Paths);
        Assert.True(File.Exists(Path.Combine(output, "web", "sv", "index.html")));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("1700000000", 1700000000L)]
    [InlineData(" 0 ", 0L)]
    public void SourceDateEpochIsReadAsWholeSeconds(string? raw, long? expected) =>
        Assert.Equal(expected, ContentEngine.Rendering.Package.PackageOptions.ParseSourceDateEpoch(raw));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("99999999999999")]
    public void AMalformedSourceDateEpochIsRefusedWithItsValue(string raw)
    {
        var e = Assert.Throws<ArgumentException>(() => ContentEngine.Rendering.Package.PackageOptions.ParseSourceDateEpoch(raw));
        Assert.Contains(raw, e.Message);
        Assert.Contains("SOURCE_DATE_EPOCH", e.Message);
    }
}

using System.IO.Compression;
using System.Text.Json;
using ContentEngine.Runtime.Migration;
using ContentEngine.Runtime.Packaging;
using ContentEngine.Runtime.Patients;
using Json.Schema;

namespace ContentEngine.Tests;

/// <summary>
/// Builds the sample for real (graph, web and audio bundles, and the package holding them), explores it for witnesses,
/// migrates a witness, and keeps every JSON file that came out in step with a published schema: each file must have one
/// (a file without fails the test) and validate against it. The schemas are in schemas/, each with a <c>$id</c>.
/// </summary>
public sealed class OutputSchemaFixture : IDisposable
{
    public TestPaths.TempFolder Output { get; } = new();

    /// <summary>Every file of the build, the package's entries under <c>package/</c>, and the explorer's witnesses under <c>witnesses/</c>.</summary>
    public Dictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public string MigrationReport { get; }

    /// <summary>What the commands print with --format json, each with its schema's name.</summary>
    public List<(string What, string Schema, string Json)> Reports { get; } = [];

    public OutputSchemaFixture()
    {
        var sample = TestPaths.Repo("content", "iact-chronic-pain");
        var build = Path.Combine(Output.Path, "build");
        var key = Path.Combine(Output.Path, "publisher.pem");
        var (code, _, err) = CliProcess.InProcess("key", "new", key).GetAwaiter().GetResult();
        Assert.True(code == 0, err);
        (code, _, err) = CliProcess.InProcess("build", sample, "-o", build, "--graph", "--web", "--audio", "--package", "--sign", key, "--signer", "Test publisher").GetAwaiter().GetResult();
        Assert.True(code == 0, err);
        var witnesses = Path.Combine(Output.Path, "witnesses");
        (code, var explored, err) = CliProcess.InProcess("explore", sample, "--witnesses", witnesses, "--format", "json").GetAwaiter().GetResult();
        Assert.True(code == 0, err);
        Reports.Add(("explore --format json", "explore-report", explored));

        // A program with mistakes, for diagnostics with their places.
        var broken = Path.Combine(Output.Path, "broken");
        Directory.CreateDirectory(Path.Combine(broken, "modules"));
        File.WriteAllText(Path.Combine(broken, "program.yaml"), "id: broken\nversion: 1.0.0\ntitle: Broken\nlocales: [en]\nguidance: self\nrelease: weekly\nphases: [{id: treatment, title: Treatment, weeks: 2}]\n");
        File.WriteAllText(Path.Combine(broken, "modules", "a.md"), "---\nid: a\ntitle: A\nphase: treatment\nweek: 1\n---\n\n::: note {colour=red}\nText.\n:::\n");
        File.WriteAllText(Path.Combine(broken, "modules", "b.md"), "---\nid: a\ntitle: B\nphase: treatment\nweek: 3\n---\n\nText.\n");
        var (_, checkedOut, _) = CliProcess.InProcess("check", broken, "--format", "json").GetAwaiter().GetResult();
        Reports.Add(("check --format json", "diagnostics", checkedOut));

        foreach (var file in Directory.EnumerateFiles(build, "*", SearchOption.AllDirectories))
            Files[Path.GetRelativePath(build, file).Replace('\\', '/')] = File.ReadAllBytes(file);
        foreach (var file in Directory.EnumerateFiles(witnesses, "*", SearchOption.AllDirectories))
            Files["witnesses/" + Path.GetRelativePath(witnesses, file).Replace('\\', '/')] = File.ReadAllBytes(file);
        var packagePath = Directory.EnumerateFiles(build, "*.cepkg").Single();
        using (var zip = ZipFile.OpenRead(packagePath))
            foreach (var entry in zip.Entries)
            {
                using var data = entry.Open();
                using var buffer = new MemoryStream();
                data.CopyTo(buffer);
                Files["package/" + entry.FullName] = buffer.ToArray();
            }

        // A witness moved to the same version: every module's state before and after.
        var package = ProgramPackage.Open(packagePath);
        var witness = Files.First(f => f.Key.StartsWith("witnesses/", StringComparison.Ordinal) && f.Key.EndsWith(".json", StringComparison.Ordinal));
        var state = PatientRecord.Parse(System.Text.Encoding.UTF8.GetString(witness.Value));
        var (_, diffed, _) = CliProcess.InProcess("diff", packagePath, packagePath, "--format", "json").GetAwaiter().GetResult();
        Reports.Add(("diff --format json", "diff", diffed));
        MigrationReport = PatientMigration.Migrate(state, package, package, new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(1))).Report.ToJson();
    }

    public void Dispose() => Output.Dispose();
}

public sealed class OutputSchemaTests(OutputSchemaFixture fixture) : IClassFixture<OutputSchemaFixture>
{
    private const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";

    /// <summary>Which schema describes a file, by its path: the schema's file name, and a pointer into it when the file is one of its definitions.</summary>
    private static (string Schema, string? Pointer)? SchemaFor(string path)
    {
        var name = path.Split('/')[^1];
        var inPackage = path.StartsWith("package/", StringComparison.Ordinal);
        var inner = inPackage ? path["package/".Length..] : path;
        if (inner == "graph.json") return ("graph", null);
        if (inPackage && inner == "manifest.json") return ("manifest", null);
        if (inPackage && inner == "signature.json") return ("package-signature", null);
        if (inPackage && inner.StartsWith("worksheets/", StringComparison.Ordinal)) return ("graph", "/$defs/worksheet");
        if (inPackage && inner.StartsWith("fhir/", StringComparison.Ordinal)) return ("fhir", null);
        if (path.StartsWith("witnesses/", StringComparison.Ordinal)) return ("patient-state", null);
        if (name.EndsWith(".webmanifest", StringComparison.Ordinal)) return ("web-manifest", null);
        if (name.EndsWith(".chapters.json", StringComparison.Ordinal)) return ("audio-chapters", null);
        var audio = inPackage ? "bundles/audio/" : "audio/";
        if (inner.StartsWith(audio, StringComparison.Ordinal) && name == "manifest.json") return ("audio-manifest", null);
        return null;
    }

    private static readonly Dictionary<string, JsonSchema> Loaded = [];

    private static JsonSchema Schema(string name, string? pointer)
    {
        var key = name + pointer;
        lock (Loaded)
        {
            if (Loaded.TryGetValue(key, out var schema)) return schema;
            var registry = new SchemaRegistry();
            var path = name == "fhir"
                ? Environment.GetEnvironmentVariable("CONTENTENGINE_FHIR_SCHEMA") is { Length: > 0 } over ? over : FhirSchemaTests.InstalledSchema
                : TestPaths.Repo("schemas", name + ".schema.json");
            Assert.True(File.Exists(path), $"{path} is missing (the FHIR schema: install it with ./build.sh test)");
            var whole = JsonSchema.FromText(File.ReadAllText(path), new BuildOptions { SchemaRegistry = registry });
            schema = pointer is null ? whole
                : JsonSchema.FromText($$"""{"$schema": "{{Draft202012}}", "$ref": "urn:contentengine:schema:{{name}}#{{pointer}}"}""", new BuildOptions { SchemaRegistry = registry });
            return Loaded[key] = schema;
        }
    }

    private static bool LooksLikeJson(string path, byte[] bytes)
    {
        var extension = Path.GetExtension(path);
        if (extension is ".json" or ".webmanifest" or ".jsonld") return true;
        if (extension is ".mp3" or ".woff2" or ".pdf" or ".svg" or ".html" or ".css" or ".js" or ".xml" or ".m3u" or ".txt" or ".vtt") return false;
        var text = System.Text.Encoding.UTF8.GetString(bytes).TrimStart();
        if (!text.StartsWith('{') && !text.StartsWith('[')) return false;
        try { using var _ = JsonDocument.Parse(bytes); return true; }
        catch (JsonException) { return false; }
    }

    private static void AssertValid(string schema, string? pointer, byte[] json, string what)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 512 });
        var results = Schema(schema, pointer).Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid) return;
        var errors = (results.Details ?? []).Prepend(results)
            .Where(d => d.Errors is { Count: > 0 } && !d.EvaluationPath.ToString().Contains("/if", StringComparison.Ordinal))
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}/{e.Key}): {e.Value}")).Take(20);
        Assert.Fail($"{what} does not match {schema}.schema.json{pointer}:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void EveryJsonFileOfARealBuildHasASchemaAndMatchesIt()
    {
        var json = fixture.Files.Where(f => LooksLikeJson(f.Key, f.Value)).ToList();
        var unknown = json.Where(f => SchemaFor(f.Key) is null).Select(f => f.Key).ToList();
        Assert.True(unknown.Count == 0, "JSON files without a schema: " + string.Join(", ", unknown));
        foreach (var (path, bytes) in json)
        {
            var (schema, pointer) = SchemaFor(path)!.Value;
            AssertValid(schema, pointer, bytes, path);
        }
        // Every kind of file was there to be checked.
        var kinds = json.Select(f => SchemaFor(f.Key)!.Value.Schema).ToHashSet();
        Assert.Equal(["audio-chapters", "audio-manifest", "fhir", "graph", "manifest", "package-signature", "patient-state", "web-manifest"], kinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WhatTheCommandsPrintAsJsonMatchesItsSchema()
    {
        Assert.Equal(3, fixture.Reports.Count);
        foreach (var (what, schema, json) in fixture.Reports)
            AssertValid(schema, null, System.Text.Encoding.UTF8.GetBytes(json), what);
        using var check = JsonDocument.Parse(fixture.Reports.Single(r => r.Schema == "diagnostics").Json);
        Assert.True(check.RootElement.GetProperty("errors").GetInt32() >= 2, check.RootElement.GetRawText());
        Assert.Contains(check.RootElement.GetProperty("diagnostics").EnumerateArray(), d => d.TryGetProperty("line", out _));
    }

    [Fact]
    public void TheMigrationReportMatchesItsSchema() =>
        AssertValid("migration-report", null, System.Text.Encoding.UTF8.GetBytes(fixture.MigrationReport), "the migration report");

    [Fact]
    public void EverySchemaIsDraft202012AndNamesItselfWithItsId()
    {
        foreach (var file in Directory.EnumerateFiles(TestPaths.Repo("schemas"), "*.schema.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var name = Path.GetFileName(file)[..^".schema.json".Length];
            Assert.Equal(Draft202012, document.RootElement.GetProperty("$schema").GetString());
            Assert.Equal($"urn:contentengine:schema:{name}", document.RootElement.GetProperty("$id").GetString());
        }
    }

    [Theory]
    [InlineData("audio-manifest", """{"program": "p", "version": "1", "locale": "en", "tracks": [], "extra": 1}""")]
    [InlineData("audio-chapters", """{"version": "1.2.0", "title": "t", "podcastName": "p", "chapters": [{"startTime": -1, "title": "x"}]}""")]
    [InlineData("web-manifest", """{"lang": "en", "dir": "ltr", "name": "n", "short_name": "n", "start_url": "index.html", "scope": "./", "display": "browser", "theme_color": "#000000", "background_color": "#ffffff", "icons": []}""")]
    [InlineData("migration-report", """{"format": "contentengine-migration-report", "version": 1, "program": "p", "from": "1", "to": "2", "at": "2026-01-01T00:00:00Z", "keptAside": [], "completedRemoved": [], "chosenRemoved": [], "week": {"before": 1, "after": 1}, "modules": [{"id": "m", "before": "gone", "after": null, "recommendedBefore": false, "recommendedAfter": false}]}""")]
    public void AWrongFileDoesNotMatch(string schema, string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.False(Schema(schema, null).Evaluate(document.RootElement).IsValid, $"{schema} accepts {json}");
    }
}

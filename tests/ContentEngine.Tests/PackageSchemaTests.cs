using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentEngine.Compilation;
using ContentEngine.Markdown;
using ContentEngine.Model;
using ContentEngine.Rendering;
using ContentEngine.Rendering.Package;
using ContentEngine.Rendering.Web;
using ContentEngine.Runtime.Programs;
using Json.Schema;

namespace ContentEngine.Tests;

/// <summary>
/// Keeps schemas/manifest.schema.json and schemas/graph.schema.json in step with what PackageWriter and
/// GraphJson write: the sample program's package, with and without SOURCE_DATE_EPOCH, and the graph of
/// every golden program that compiles, must validate against them with a real JSON Schema 2020-12
/// validator; an unknown key or condition node must not; and the schemas' directive rules must be the
/// compiler's. See docs/package-format.md.
/// </summary>
public sealed class PackageSchemaTests
{
    private const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";
    private static readonly string SampleProgram = TestPaths.Repo("content", "iact-chronic-pain");

    public static TheoryData<string> SchemaNames => new() { "manifest", "graph" };

    private static readonly Lazy<JsonSchema> ManifestSchema = new(() => LoadSchema("manifest"));
    private static readonly Lazy<JsonSchema> GraphSchema = new(() => LoadSchema("graph"));
    private static readonly Lazy<(ProgramGraph Graph, Theme Theme, Bundle Web)> Sample = new(BuildSample);
    private static readonly Lazy<Dictionary<string, byte[]>> SamplePackage = new(() => Unzip(Package(sourceDateEpoch: null)));

    private static string SchemaPath(string name) => TestPaths.Repo("schemas", name + ".schema.json");

    private static JsonSchema LoadSchema(string name) =>
        JsonSchema.FromText(File.ReadAllText(SchemaPath(name)), new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    private static (ProgramGraph, Theme, Bundle) BuildSample()
    {
        var result = ProgramCompiler.Compile(SampleProgram);
        Assert.False(result.HasErrors, "the sample program does not compile");
        var graph = result.Graph!;
        var theme = Theme.Load(SampleProgram, graph.Theme);
        var web = WebRenderer.Render(graph, new WebOptions { Theme = theme });
        return (graph, theme, web);
    }

    private static byte[] Package(long? sourceDateEpoch)
    {
        var (graph, theme, web) = Sample.Value;
        return PackageWriter.Write(graph, new PackageOptions
        {
            Theme = theme,
            Bundles = new Dictionary<string, Bundle> { ["web"] = web },
            SourceDateEpoch = sourceDateEpoch,
        });
    }

    private static Dictionary<string, byte[]> Unzip(byte[] package)
    {
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var data = entry.Open();
            using var buffer = new MemoryStream();
            data.CopyTo(buffer);
            files[entry.FullName] = buffer.ToArray();
        }
        return files;
    }

    private static JsonElement Parse(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 512 });
        return document.RootElement.Clone();
    }

    private static JsonElement Parse(string text) => Parse(System.Text.Encoding.UTF8.GetBytes(text));

    private static EvaluationResults Evaluate(JsonSchema schema, JsonElement instance) =>
        schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });

    /// <summary>
    /// Each error of a failed evaluation on a line: where in the instance, which schema keyword, and why. The
    /// conditions of if/then/else fail on every instance they do not apply to, so their "errors" are left out.
    /// </summary>
    private static string Errors(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? []).Prepend(results)
            .Where(d => d.Errors is { Count: > 0 } && !d.EvaluationPath.ToString().Contains("/if", StringComparison.Ordinal))
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}/{e.Key}): {e.Value}"))
            .Take(30));

    private static void AssertValid(JsonSchema schema, JsonElement instance, string what)
    {
        var results = Evaluate(schema, instance);
        Assert.True(results.IsValid, $"{what} does not match its schema:\n{Errors(results)}");
    }

    private static void AssertInvalid(JsonSchema schema, JsonElement instance, string what) =>
        Assert.False(Evaluate(schema, instance).IsValid, $"{what} matches the schema, which should refuse it");

    // ---- the schemas themselves ----

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public void EachSchemaIsJsonOfDraft202012(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SchemaPath(name)), new JsonDocumentOptions { AllowDuplicateProperties = false });
        var schema = document.RootElement;
        Assert.Equal(Draft202012, schema.GetProperty("$schema").GetString());
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        Assert.NotNull(LoadSchema(name));
    }

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public void EveryPropertyHasADescription(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SchemaPath(name)));
        var missing = new List<string>();
        void Walk(JsonElement node, string path)
        {
            if (node.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in node.EnumerateArray()) Walk(item, $"{path}[{i++}]");
                return;
            }
            if (node.ValueKind != JsonValueKind.Object) return;
            foreach (var member in node.EnumerateObject())
            {
                // Entries under if/then/else, contains and not are rules about keys, not the keys themselves.
                var rule = path.Contains("/if") || path.Contains("/then") || path.Contains("/else") || path.Contains("/contains") || path.Contains("/not");
                if (member.Name == "properties" && member.Value.ValueKind == JsonValueKind.Object && !rule)
                    foreach (var key in member.Value.EnumerateObject())
                        if (key.Value.ValueKind == JsonValueKind.Object && !key.Value.TryGetProperty("description", out _))
                            missing.Add($"{path}/properties/{key.Name}");
                Walk(member.Value, $"{path}/{member.Name}");
            }
        }
        Walk(document.RootElement, "#");
        Assert.Empty(missing);
    }

    [Fact]
    public void SharedDefinitionsAreTheSameInBothSchemas()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(SchemaPath("manifest")));
        using var graph = JsonDocument.Parse(File.ReadAllText(SchemaPath("graph")));
        foreach (var name in new[] { "id", "locale", "localizedText", "version", "sha256" })
            Assert.True(JsonElement.DeepEquals(manifest.RootElement.GetProperty("$defs").GetProperty(name), graph.RootElement.GetProperty("$defs").GetProperty(name)),
                $"$defs/{name} differs between manifest.schema.json and graph.schema.json");
    }

    [Fact]
    public void DirectiveRulesAreTheCompilersDirectives()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SchemaPath("graph")));
        var directive = document.RootElement.GetProperty("$defs").GetProperty("directiveBlock");
        var names = directive.GetProperty("properties").GetProperty("name").GetProperty("enum").EnumerateArray().Select(n => n.GetString()!);
        Assert.Equal(Markdown.Directives.InGraph.Keys.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));

        var attributes = directive.GetProperty("properties").GetProperty("attributes").GetProperty("properties").EnumerateObject().Select(p => p.Name);
        Assert.Equal(Markdown.Directives.InGraph.Values.SelectMany(s => s.Attributes).Distinct().Order(StringComparer.Ordinal), attributes.Order(StringComparer.Ordinal));

        var rules = directive.GetProperty("allOf").EnumerateArray()
            .Where(r => r.TryGetProperty("then", out _))
            .ToDictionary(r => r.GetProperty("if").GetProperty("properties").GetProperty("name").GetProperty("const").GetString()!,
                r => r.GetProperty("then").GetProperty("properties").GetProperty("attributes"));
        foreach (var spec in Markdown.Directives.InGraph.Values)
        {
            Assert.True(rules.TryGetValue(spec.Name, out var rule), $"graph.schema.json has no attribute rule for the directive '{spec.Name}'");
            string[] allowed = rule.TryGetProperty("propertyNames", out var p) ? [.. p.GetProperty("enum").EnumerateArray().Select(x => x.GetString()!)] : [];
            string[] required = rule.TryGetProperty("required", out var r) ? [.. r.EnumerateArray().Select(x => x.GetString()!)] : [];
            Assert.Equal(spec.Attributes.Order(StringComparer.Ordinal), allowed.Order(StringComparer.Ordinal));
            Assert.Equal(spec.Required.Order(StringComparer.Ordinal), required.Order(StringComparer.Ordinal));
        }
    }

    // ---- the sample package against the schemas ----

    [Fact]
    public void SampleManifestMatchesTheSchema()
    {
        var files = SamplePackage.Value;
        Assert.True(files.ContainsKey("manifest.json"), "the package has no manifest.json");
        var manifest = Parse(files["manifest.json"]);
        AssertValid(ManifestSchema.Value, manifest, "manifest.json");
        Assert.False(manifest.GetProperty("build").TryGetProperty("created", out _), "without SOURCE_DATE_EPOCH the manifest holds no time");
    }

    [Fact]
    public void ManifestWithSourceDateEpochMatchesTheSchema()
    {
        var manifest = Parse(Unzip(Package(sourceDateEpoch: 1767225600))["manifest.json"]);
        AssertValid(ManifestSchema.Value, manifest, "manifest.json with SOURCE_DATE_EPOCH");
        Assert.Equal("2026-01-01T00:00:00Z", manifest.GetProperty("build").GetProperty("created").GetString());
        Assert.Equal(1767225600, manifest.GetProperty("build").GetProperty("sourceDateEpoch").GetInt64());
    }

    [Fact]
    public void ManifestListsEveryOtherFileOfThePackage()
    {
        var files = SamplePackage.Value;
        var listed = Parse(files["manifest.json"]).GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToList();
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.Equal(files.Keys.Where(k => k != "manifest.json").Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public void SampleGraphMatchesTheSchema() =>
        AssertValid(GraphSchema.Value, Parse(SamplePackage.Value["graph.json"]), "graph.json of the sample package");

    [Fact]
    public void WorksheetFilesAreTheGraphsWorksheets()
    {
        var files = SamplePackage.Value;
        var worksheets = Parse(files["graph.json"]).GetProperty("worksheets").EnumerateArray().ToList();
        Assert.NotEmpty(worksheets);
        foreach (var worksheet in worksheets)
        {
            var path = $"worksheets/{worksheet.GetProperty("id").GetString()}.json";
            Assert.True(files.ContainsKey(path), $"the package has no {path}");
            Assert.True(JsonElement.DeepEquals(worksheet, Parse(files[path])), $"{path} differs from the worksheet in graph.json");
        }
        Assert.Equal(worksheets.Count, files.Keys.Count(k => k.StartsWith("worksheets/", StringComparison.Ordinal)));
    }

    // ---- the schemas are not vacuous ----

    [Theory]
    [InlineData("")]
    [InlineData("program")]
    [InlineData("build")]
    [InlineData("files/0")]
    public void ManifestWithAnUnknownKeyFails(string where)
    {
        var manifest = JsonNode.Parse(SamplePackage.Value["manifest.json"])!;
        var target = where.Length == 0 ? manifest : where.Split('/').Aggregate(manifest, (node, part) => int.TryParse(part, out var i) ? node[i]! : node[part]!);
        target.AsObject()["signature"] = "abc";
        AssertInvalid(ManifestSchema.Value, Parse(manifest.ToJsonString()), $"manifest.json with an unknown key in '{where}'");
    }

    [Fact]
    public void ManifestWithoutAFileListFails()
    {
        var manifest = JsonNode.Parse(SamplePackage.Value["manifest.json"])!.AsObject();
        manifest.Remove("files");
        AssertInvalid(ManifestSchema.Value, Parse(manifest.ToJsonString()), "manifest.json without files");
    }

    /// <summary>The first condition tree of the graph: the offer_when of the first module that has one.</summary>
    private static JsonObject FirstTree(JsonNode graph) =>
        graph["modules"]!.AsArray().Select(m => m!["offerWhen"]).First(c => c is not null)!["tree"]!.AsObject();

    [Fact]
    public void GraphWithAnUnknownConditionNodeFails()
    {
        var graph = JsonNode.Parse(SamplePackage.Value["graph.json"])!;
        FirstTree(graph)["node"] = "mystery";
        var text = graph.ToJsonString();
        AssertInvalid(GraphSchema.Value, Parse(text), "graph.json with an unknown condition node");
        // The runtime refuses it too: the schema and the reader agree.
        Assert.Throws<FormatException>(() => ProgramGraph.FromGraphJson(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void GraphWithAnUnknownKeyInAConditionNodeFails()
    {
        var graph = JsonNode.Parse(SamplePackage.Value["graph.json"])!;
        FirstTree(graph)["start"] = 0;
        AssertInvalid(GraphSchema.Value, Parse(graph.ToJsonString()), "graph.json with an unknown key in a condition node");
    }

    [Fact]
    public void GraphWithAnUnknownModuleKeyFails()
    {
        var graph = JsonNode.Parse(SamplePackage.Value["graph.json"])!;
        graph["modules"]![0]!.AsObject()["colour"] = "red";
        AssertInvalid(GraphSchema.Value, Parse(graph.ToJsonString()), "graph.json with an unknown module key");
    }

    [Fact]
    public void GraphWithAKeyOfAnotherFieldTypeFails()
    {
        var graph = JsonNode.Parse(SamplePackage.Value["graph.json"])!;
        var field = graph["worksheets"]!.AsArray().SelectMany(w => w!["fields"]!.AsArray()).First(f => (string?)f!["type"] == "text")!.AsObject();
        field["options"] = new JsonArray();
        AssertInvalid(GraphSchema.Value, Parse(graph.ToJsonString()), "graph.json with options on a text field");
    }

    // ---- every golden program that compiles ----

    [Fact]
    public void GoldenProgramsThatCompileMatchTheGraphSchema()
    {
        var compiled = new List<string>();
        var problems = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(TestPaths.Repo("tests", "programs")).Order(StringComparer.Ordinal))
        {
            var result = ProgramCompiler.Compile(folder, new CompilerOptions { Today = new DateOnly(2026, 6, 1) });
            if (result.HasErrors || result.Graph is null) continue;
            var name = Path.GetFileName(folder);
            compiled.Add(name);
            var results = Evaluate(GraphSchema.Value, Parse(ContentEngine.Output.GraphJson.Write(result.Graph)));
            if (!results.IsValid) problems.Add($"{name}:\n{Errors(results)}");
        }
        Assert.NotEmpty(compiled);
        Assert.True(problems.Count == 0, "graph.json of golden programs does not match graph.schema.json:\n" + string.Join("\n", problems));
    }
}

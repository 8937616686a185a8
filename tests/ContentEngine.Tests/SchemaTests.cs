using System.Reflection;
using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Model;
using YamlDotNet.RepresentationModel;

namespace ContentEngine.Tests;

/// <summary>
/// Keeps the JSON Schemas in schemas/ from drifting away from the compiler: they are JSON Schema
/// 2020-12, their keys are the keys the binders accept (read from the binders themselves), their
/// enums are the model's, and every key the sample program uses is one the schemas describe.
/// The schemas are an aid while editing; the compiler's diagnostics decide.
/// </summary>
public sealed class SchemaTests
{
    private const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";
    private static readonly string SampleProgram = TestPaths.Repo("content", "iact-chronic-pain");

    public static TheoryData<string> SchemaNames => new() { "program", "module", "worksheet", "theme" };

    private static JsonElement Schema(string name)
    {
        var text = File.ReadAllText(TestPaths.Repo("schemas", name + ".schema.json"));
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = false });
        return document.RootElement.Clone();
    }

    private static JsonElement Definition(JsonElement schema, string name) => schema.GetProperty("$defs").GetProperty(name);

    private static string[] PropertyNames(JsonElement schema) =>
        [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name)];

    private static string[] EnumValues(JsonElement property) =>
        [.. property.GetProperty("enum").EnumerateArray().Select(v => v.GetString()!)];

    private static string[] CompilerKeys(Type binder, string field)
    {
        var info = binder.GetField(field, BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{binder.Name}.{field} not found; the schema tests read the accepted keys from it");
        return (string[])info.GetValue(null)!;
    }

    private static void AssertSameKeys(string[] compiler, string[] schema) =>
        Assert.Equal(compiler.Order(StringComparer.Ordinal), schema.Order(StringComparer.Ordinal));

    private static string[] LowerNames<T>() where T : struct, Enum => [.. Enum.GetNames<T>().Select(n => n.ToLowerInvariant())];

    // ---- the schemas themselves ----

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public void EachSchemaIsJsonOfDraft202012(string name)
    {
        var schema = Schema(name);
        Assert.Equal(JsonValueKind.Object, schema.ValueKind);
        Assert.Equal(Draft202012, schema.GetProperty("$schema").GetString());
        Assert.Equal(JsonValueKind.Object, schema.GetProperty("properties").ValueKind);
    }

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public void EveryPropertyHasADescription(string name)
    {
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
                // Under "properties", each entry documents a key: editors show its description. The
                // entries of if/then/else that forbid or require keys (false, or no type) are rules, not keys.
                if (member.Name == "properties" && member.Value.ValueKind == JsonValueKind.Object)
                    foreach (var key in member.Value.EnumerateObject())
                        if (key.Value.ValueKind == JsonValueKind.Object && !path.Contains("/if") && !path.Contains("/then") && !path.Contains("/else")
                            && !key.Value.TryGetProperty("description", out _))
                            missing.Add($"{path}/properties/{key.Name}");
                Walk(member.Value, $"{path}/{member.Name}");
            }
        }
        Walk(Schema(name), "#");
        Assert.Empty(missing);
    }

    [Fact]
    public void SharedDefinitionsAreTheSameInEverySchema()
    {
        var program = Schema("program");
        foreach (var name in new[] { "module", "worksheet", "theme" })
            foreach (var definition in new[] { "id", "locale", "localizedText" })
                Assert.True(JsonElement.DeepEquals(Definition(program, definition), Definition(Schema(name), definition)),
                    $"$defs/{definition} in {name}.schema.json differs from program.schema.json's");
    }

    // ---- the schemas against the compiler ----

    [Fact]
    public void ProgramSchemaHasTheProgramKeys() =>
        AssertSameKeys(CompilerKeys(typeof(ProgramCompiler), "ProgramKeys"), PropertyNames(Schema("program")));

    [Fact]
    public void ModuleSchemaHasTheModuleKeys() =>
        AssertSameKeys(CompilerKeys(typeof(ProgramCompiler), "ModuleKeys"), PropertyNames(Schema("module")));

    [Fact]
    public void WorksheetSchemaHasTheWorksheetKeys() =>
        AssertSameKeys(CompilerKeys(typeof(WorksheetBinder), "Keys"), PropertyNames(Schema("worksheet")));

    [Fact]
    public void WorksheetFieldSchemaHasTheFieldKeys() =>
        AssertSameKeys(CompilerKeys(typeof(WorksheetBinder), "FieldKeys"), PropertyNames(Definition(Schema("worksheet"), "field")));

    [Fact]
    public void ThemeSchemaHasTheThemeKeys() =>
        AssertSameKeys(CompilerKeys(typeof(IdentityBinder), "Keys"), PropertyNames(Schema("theme")));

    [Fact]
    public void SampleThemeYamlKeysAreInTheSchema()
    {
        var yaml = Yaml(File.ReadAllText(Path.Combine(SampleProgram, "theme.yaml")));
        var problems = new List<string>();
        AssertKnown(Keys(yaml), PropertyNames(Schema("theme")), "theme.yaml", problems);
        Assert.Empty(problems);
    }

    [Fact]
    public void EnumsAreTheModelsValues()
    {
        var program = Schema("program").GetProperty("properties");
        Assert.Equal(LowerNames<Guidance>(), EnumValues(program.GetProperty("guidance")));
        Assert.Equal(LowerNames<ReleaseMode>(), EnumValues(program.GetProperty("release")));
        var worksheet = Schema("worksheet");
        Assert.Equal(LowerNames<WorksheetKind>(), EnumValues(worksheet.GetProperty("properties").GetProperty("kind")));
        Assert.Equal(LowerNames<DiaryRepeat>(), EnumValues(worksheet.GetProperty("properties").GetProperty("repeat")));
        Assert.Equal(LowerNames<FieldType>(), EnumValues(Definition(worksheet, "field").GetProperty("properties").GetProperty("type")));
    }

    // ---- the sample program against the schemas ----

    /// <summary>The YAML between the opening <c>---</c> and the closing <c>---</c> or <c>...</c>.</summary>
    private static YamlMappingNode FrontMatter(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.True(lines.Length > 0 && lines[0].TrimEnd() == "---", $"{path} does not begin with front matter");
        var close = Array.FindIndex(lines, 1, l => l.TrimEnd() is "---" or "...");
        Assert.True(close > 0, $"{path}: front matter is not closed");
        return Yaml(string.Join('\n', lines[1..close]));
    }

    private static YamlMappingNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return Assert.IsAssignableFrom<YamlMappingNode>(stream.Documents.Single().RootNode);
    }

    private static IEnumerable<string> Keys(YamlMappingNode map) => map.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    private static IEnumerable<YamlMappingNode> Items(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlSequenceNode list ? list.OfType<YamlMappingNode>() : [];

    /// <summary>Originals only: a translation (values.en.md) has a locale before .md, and only the keys that hold text.</summary>
    private static string[] Originals(string folder) =>
        [.. Directory.EnumerateFiles(Path.Combine(SampleProgram, folder), "*.md", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileNameWithoutExtension(f).Contains('.'))
            .Order(StringComparer.Ordinal)];

    private static void AssertKnown(IEnumerable<string> keys, string[] known, string where, List<string> problems) =>
        problems.AddRange(keys.Where(k => !known.Contains(k)).Select(k => $"{where}: '{k}' is not in the schema's properties"));

    [Fact]
    public void SampleProgramYamlKeysAreInTheSchema()
    {
        var schema = Schema("program");
        var yaml = Yaml(File.ReadAllText(Path.Combine(SampleProgram, "program.yaml")));
        var problems = new List<string>();
        AssertKnown(Keys(yaml), PropertyNames(schema), "program.yaml", problems);
        var phases = Items(yaml, "phases").ToList();
        Assert.NotEmpty(phases);
        foreach (var phase in phases)
            AssertKnown(Keys(phase), PropertyNames(Definition(schema, "phase")), "program.yaml phase", problems);
        Assert.Empty(problems);
    }

    [Fact]
    public void SampleModuleKeysAreInTheSchema()
    {
        var known = PropertyNames(Schema("module"));
        var files = Originals("modules");
        Assert.NotEmpty(files);
        var problems = new List<string>();
        foreach (var file in files)
            AssertKnown(Keys(FrontMatter(file)), known, Path.GetRelativePath(SampleProgram, file), problems);
        Assert.Empty(problems);
    }

    [Fact]
    public void SampleWorksheetKeysAreInTheSchema()
    {
        var schema = Schema("worksheet");
        var known = PropertyNames(schema);
        var fieldKeys = PropertyNames(Definition(schema, "field"));
        var files = Originals("worksheets");
        Assert.NotEmpty(files);
        var problems = new List<string>();
        foreach (var file in files)
        {
            var where = Path.GetRelativePath(SampleProgram, file);
            var yaml = FrontMatter(file);
            AssertKnown(Keys(yaml), known, where, problems);
            foreach (var field in Items(yaml, "fields"))
            {
                AssertKnown(Keys(field), fieldKeys, where + " field", problems);
                foreach (var column in Items(field, "columns"))
                    AssertKnown(Keys(column), fieldKeys, where + " column", problems);
            }
        }
        Assert.Empty(problems);
    }
}

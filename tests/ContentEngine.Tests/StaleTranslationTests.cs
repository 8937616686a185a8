using System.Text.Json;
using ContentEngine.Cli;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using Json.Schema;

namespace ContentEngine.Tests;

/// <summary>
/// A Swedish paragraph changed after it was translated: check warns at the English paragraph (CE0505),
/// --warnaserror fails, translate status counts it, translate record clears it; texts without a record are not stale.
/// </summary>
public sealed class StaleTranslationTests
{
    private const string Old = "desto större är avståndet.";
    private const string New = "desto större blir avståndet.";

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A copy of the sample with one Swedish paragraph of values.md changed.</summary>
    private static TestPaths.TempFolder ChangedSample()
    {
        var copy = TranslationUnitTests.CopyOfSample();
        var sv = Path.Combine(copy.Path, "modules", "values.md");
        var text = File.ReadAllText(sv);
        Assert.Contains(Old, text);
        File.WriteAllText(sv, text.Replace(Old, New, StringComparison.Ordinal));
        return copy;
    }

    /// <summary>The line (from 1) of the English paragraph that translates the changed one.</summary>
    private static int EnglishLine(string program) =>
        Array.FindIndex(File.ReadAllLines(Path.Combine(program, "modules", "values.en.md")), l => l.StartsWith("The Bull's-eye has four areas.", StringComparison.Ordinal)) + 1;

    [Fact]
    public void TheSampleShipsWithACompleteRecordThatMatchesItsSchema()
    {
        var path = TestPaths.Repo("content", "iact-chronic-pain", "translations", "en.json");
        Assert.True(File.Exists(path), "the sample needs translations/en.json (contentengine translate record content/iact-chronic-pain)");
        var schema = JsonSchema.FromText(File.ReadAllText(TestPaths.Repo("schemas", "translations.schema.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.True(schema.Evaluate(json.RootElement).IsValid, "translations/en.json does not match schemas/translations.schema.json");
        var units = Translation.TranslationCatalog.Load(TestPaths.Repo("content", "iact-chronic-pain"), "en", new DiagnosticBag())!;
        Assert.All(units, u => Assert.Equal(Translation.UnitState.Translated, u.State));
    }

    [Fact]
    public void CheckWarnsAtTheTranslationOfExactlyTheChangedParagraph()
    {
        using var copy = ChangedSample();
        var result = ProgramCompiler.Compile(copy.Path);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("CE0505", DiagnosticSeverity.Warning), (d.Id, d.Severity));
        Assert.Equal("modules/values.en.md", d.Location.Path);
        Assert.Equal(EnglishLine(copy.Path), d.Location.Line + 1);
        Assert.Equal(0, d.Location.Column);
        Assert.Contains("it said \"…längre ut, desto större är avståndet.\" and now says \"…längre ut, desto större blir avståndet.\"", d.Message);
        Assert.Contains("'sv'", d.Message);
        Assert.Contains("module:values.body.7", d.Message);
        var related = Assert.Single(d.RelatedLocations);
        Assert.Equal("modules/values.md", related.Path);
        Assert.NotNull(result.Graph);
    }

    [Fact]
    public async Task WarningsAsErrorsMakesCheckFail()
    {
        using var copy = ChangedSample();
        var (code, output, _) = await Run("check", copy.Path);
        Assert.Equal(0, code);
        Assert.Contains($"modules/values.en.md({EnglishLine(copy.Path)},1): warning CE0505", output);
        (code, output, _) = await Run("check", copy.Path, "--warnaserror");
        Assert.Equal(1, code);
        Assert.Contains("error CE0505", output);
        (code, output, _) = await Run("check", copy.Path, "--format", "json");
        using var json = JsonDocument.Parse(output);
        var diagnostic = Assert.Single(json.RootElement.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("CE0505", diagnostic.GetProperty("code").GetString());
        Assert.Equal(EnglishLine(copy.Path), diagnostic.GetProperty("line").GetInt32());
    }

    [Fact]
    public void AUnitWithoutARecordIsNotStale()
    {
        using var copy = ChangedSample();
        File.Delete(Path.Combine(copy.Path, "translations", "en.json"));
        Assert.Empty(ProgramCompiler.Compile(copy.Path).Diagnostics);
        // Nor one whose entry is missing from a record that has the others.
        using var second = ChangedSample();
        var record = Path.Combine(second.Path, "translations", "en.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(record))!;
        Assert.True(json["units"]!.AsObject().Remove("module:values.body.7"));
        File.WriteAllText(record, json.ToJsonString());
        Assert.Empty(ProgramCompiler.Compile(second.Path).Diagnostics);
    }

    [Fact]
    public async Task StatusCountsTheStaleUnitWithItsWordsInTextAndJson()
    {
        using var copy = ChangedSample();
        var (code, output, err) = await Run("translate", "status", copy.Path);
        Assert.True(code == 0, err);
        Assert.Matches(@"\n  stale\s+1 text\s+28 words\n", output);
        Assert.Matches(@"\n  missing\s+0 texts\s+0 words\n", output);
        Assert.Contains($"modules/values.en.md({EnglishLine(copy.Path)},1) module:values.body.7: the source said \"…längre ut, desto större är avståndet.\"", output);
        Assert.Single(output.Split('\n'), l => l.TrimStart().StartsWith("stale ", StringComparison.Ordinal) && l.Contains("module:", StringComparison.Ordinal));

        (code, output, _) = await Run("translate", "status", copy.Path, "--format", "json");
        Assert.Equal(0, code);
        var schema = JsonSchema.FromText(File.ReadAllText(TestPaths.Repo("schemas", "translate-status.schema.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var json = JsonDocument.Parse(output);
        Assert.True(schema.Evaluate(json.RootElement).IsValid, "translate status --format json does not match schemas/translate-status.schema.json:\n" + output[..Math.Min(2000, output.Length)]);
        var en = Assert.Single(json.RootElement.GetProperty("locales").EnumerateArray());
        Assert.Equal("en", en.GetProperty("locale").GetString());
        Assert.Equal(1, en.GetProperty("stale").GetProperty("units").GetInt32());
        Assert.Equal(28, en.GetProperty("stale").GetProperty("words").GetInt32());
        Assert.Equal(en.GetProperty("units").GetInt32() - 1, en.GetProperty("translated").GetProperty("units").GetInt32());
        var stale = Assert.Single(en.GetProperty("staleUnits").EnumerateArray());
        Assert.Equal("module:values.body.7", stale.GetProperty("id").GetString());
        Assert.Equal(EnglishLine(copy.Path), stale.GetProperty("targetLocation").GetProperty("line").GetInt32());
        Assert.Contains(New, stale.GetProperty("source").GetString());
        Assert.Contains(Old, stale.GetProperty("recordedSource").GetString());
    }

    [Fact]
    public async Task RecordingTheUnitClearsTheWarning()
    {
        using var copy = ChangedSample();
        var before = File.ReadAllText(Path.Combine(copy.Path, "translations", "en.json"));
        var (code, output, err) = await Run("translate", "record", copy.Path);
        Assert.True(code == 0, err);
        Assert.Contains("recorded 0 texts", output); // without ids, a stale text stays stale
        Assert.Equal(before, File.ReadAllText(Path.Combine(copy.Path, "translations", "en.json")));
        Assert.Single(ProgramCompiler.Compile(copy.Path).Diagnostics);

        (code, _, err) = await Run("translate", "record", copy.Path, "module:values.body.99");
        Assert.Equal(2, code);
        Assert.Contains("no unit 'module:values.body.99'", err);

        (code, output, _) = await Run("translate", "record", copy.Path, "module:values.body.7");
        Assert.Equal(0, code);
        Assert.Contains("recorded 1 text", output);
        Assert.Empty(ProgramCompiler.Compile(copy.Path).Diagnostics);
    }

    [Fact]
    public async Task TranslateSaysHowToUseIt()
    {
        var (code, _, err) = await Run("translate", "stauts", TestPaths.Repo("content", "iact-chronic-pain"));
        Assert.Equal(2, code);
        Assert.Contains("did you mean 'status'?", err);
        (code, _, err) = await Run("translate", "status", TestPaths.Repo("content", "iact-chronic-pain"), "--locale", "sv");
        Assert.Equal(2, code);
        Assert.Contains("default language", err);
        (code, var output, _) = await Run("translate", "--help");
        Assert.Equal(0, code);
        Assert.Contains("status <program>", output);
    }
}

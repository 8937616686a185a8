using System.Text.Json;
using ContentEngine.Runtime.Patients;
using Json.Schema;

namespace ContentEngine.Tests;

/// <summary>
/// Keeps schemas/patient-state.schema.json in step with what PatientRecord writes and refuses: every state the
/// runtime writes validates, every refused state of the current format that the schema can judge fails it too.
/// </summary>
public sealed class PatientStateSchemaTests
{
    private static readonly string SchemaPath = TestPaths.Repo("schemas", "patient-state.schema.json");

    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(SchemaPath), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static bool Valid(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List }).IsValid;
    }

    [Fact]
    public void TheSchemaIsJsonOfDraft202012WithTheManifestsIdAndVersion()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SchemaPath), new JsonDocumentOptions { AllowDuplicateProperties = false });
        var schema = document.RootElement;
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.GetProperty("$schema").GetString());
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        using var manifest = JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("schemas", "manifest.schema.json")));
        foreach (var name in new[] { "id", "version" })
            Assert.True(JsonElement.DeepEquals(schema.GetProperty("$defs").GetProperty(name), manifest.RootElement.GetProperty("$defs").GetProperty(name)),
                $"$defs/{name} differs between patient-state.schema.json and manifest.schema.json");
        var keys = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["format", "version", "program", "programVersion", "timeZone", "start", "week", "completed", "chosen", "answers", "keptAside", "saved"], keys);
        Assert.All(schema.GetProperty("properties").EnumerateObject(), p => Assert.True(p.Value.TryGetProperty("description", out _), $"{p.Name} has no description"));
    }

    public static TheoryData<string> WrittenStates => new()
    {
        new PatientRecord { ProgramId = "iact-chronic-pain" }.ToJson(),
        PatientRecord.Parse(DocumentedExample()).ToJson(),
        PatientRecord.Parse(PatientRecordTests.Example).ToJson(),
        new PatientRecord { ProgramId = "p", ProgramVersion = "1.1.0-beta.1", TimeZone = "-05:30", StartDate = new DateOnly(2026, 1, 5), Week = 0 }.ToJson(),
        new PatientRecord { ProgramId = "p", TimeZone = "Z" }.ToJson(),
        PatientRecord.Parse(PatientStateVersion2Tests.Timed).ToJson(),
        PatientRecord.Parse("""{"format": "contentengine-answers", "version": 1, "program": "p", "state": {"week": 2, "answers": {"d": [{"_date": "2026-01-05", "x": null}]}}}""").ToJson(),
    };

    [Theory]
    [MemberData(nameof(WrittenStates))]
    public void EveryStateTheRuntimeWritesMatchesTheSchema(string json) => Assert.True(Valid(json), json);

    /// <summary>What only a reader can tell: whether an IANA id exists, whether a month has the day.</summary>
    private static readonly string[] OnlyTheReaderKnows = ["Europe/Atlantis", "CET+1", "2026-02-30"];

    /// <summary>The refused states of the current format (not those that are not JSON or of another format) that a schema can judge.</summary>
    public static TheoryData<string> RefusedStates
    {
        get
        {
            var data = new TheoryData<string>();
            // Both lists refuse a newer version: each state once.
            foreach (var json in PatientRecordTests.BadStates.Concat(PatientStateVersion2Tests.Refused).Select(row => row[0]).OfType<string>().Distinct(StringComparer.Ordinal))
                if (json.Contains("\"contentengine-patient-state\"", StringComparison.Ordinal)
                    && !OnlyTheReaderKnows.Any(s => json.Contains(s, StringComparison.Ordinal)))
                    data.Add(json);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(RefusedStates))]
    public void WhatTheRuntimeRefusesTheSchemaRefuses(string json) =>
        Assert.False(Valid(json), $"the schema accepts {json}, which the runtime refuses");

    [Fact]
    public void TheDocumentedExampleIsAStateTheRuntimeReadsAndTheSchemaAccepts()
    {
        var json = DocumentedExample();
        Assert.True(Valid(json));
        var record = PatientRecord.Parse(json);
        Assert.Equal("Europe/Stockholm", record.TimeZone);
        Assert.Equal(record, PatientRecord.Parse(record.ToJson()));
    }

    /// <summary>The first JSON example of docs/package-format.md's section "The patient's state".</summary>
    private static string DocumentedExample()
    {
        var doc = File.ReadAllText(TestPaths.Repo("docs", "package-format.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var section = doc[doc.IndexOf("## 14. The patient's state", StringComparison.Ordinal)..];
        // The fence may name the file the documentation's examples read it as (```json file=…).
        var fence = section.IndexOf("```json", StringComparison.Ordinal);
        var start = section.IndexOf('\n', fence) + 1;
        return section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
    }
}

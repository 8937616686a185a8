using System.Text;
using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Text;

namespace ContentEngine.Tests;

/// <summary>
/// The runtime evaluates condition trees it reads from JSON, as a delivery platform does from a
/// package's graph.json: every shared vector must hold for a tree written and read back.
/// </summary>
public sealed class RuntimeVectorTests
{
    private static Lazy<(ProgramGraph Graph, JsonDocument Vectors)> Data => ConditionVectors.Data;

    public static TheoryData<string> Cases() => ConditionVectors.Names();

    private static string Write(Expr tree)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
            ConditionJson.Write(w, tree);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Expr Read(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 1024 });
        return ConditionJson.Read(document.RootElement);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Vector(string name)
    {
        var (graph, vectors) = Data.Value;
        var c = vectors.RootElement.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var source = c.GetProperty("condition").GetString()!;
        var diagnostics = new DiagnosticBag();
        var condition = ConditionCompiler.Compile(source, ScalarPositions.Verbatim(new SourceLocation("vector", 0, 0, 1)), ConditionVectorTests.ScopeOf(graph), diagnostics);
        Assert.True(condition is not null, $"'{source}' does not compile: {DiagnosticFormatter.Plain(diagnostics.Items)}");
        Assert.DoesNotContain(diagnostics.Items, d => d.Severity == DiagnosticSeverity.Error);

        var json = Write(condition!.Tree);
        var tree = Read(json);
        // Read back, the tree writes the same JSON: nothing is lost but the source positions.
        Assert.Equal(json, Write(tree));
        Assert.Equal(condition.Tree.Type, tree.Type);
        Assert.Equal(0, tree.Start);
        Assert.Equal(0, tree.Length);

        var state = PatientState.FromJson(c.GetProperty("state"));
        var expected = c.GetProperty("expected").GetBoolean();
        Assert.Equal(expected, Evaluator.IsTrue(tree, state));
        // The same value as the tree the compiler made.
        Assert.Equal(Evaluator.Evaluate(condition.Tree, state).ToString(), Evaluator.Evaluate(tree, state).ToString());
    }

    /// <summary>A diary entry's date (<c>"_date"</c>) is read beside its answers, never as one; entries from before dates have none.</summary>
    [Fact]
    public void DiaryEntriesKeepTheirDatesApartFromTheAnswers()
    {
        using var json = JsonDocument.Parse("""
            {"answers": {"sleep-diary": [{"hours": 5}, {"_date": "2026-12-05", "hours": 6}, {"_date": "2026-02-30", "nap": true}, {"_date": "2026-12-06"}],
                         "pain": {"_date": "2026-12-06", "intensity": 4}}}
            """);
        var state = PatientState.FromJson(json.RootElement);
        var diary = state.Answers["sleep-diary"];
        Assert.Equal([null, new DateOnly(2026, 12, 5), null, new DateOnly(2026, 12, 6)], diary.Dates);
        Assert.Equal(4, diary.Entries.Count);
        Assert.All(diary.Entries, e => Assert.DoesNotContain(WorksheetAnswers.DateKey, e.Keys));
        Assert.Empty(diary.Entries[3]);
        Assert.Equal(["intensity"], state.Answers["pain"].Entries[0].Keys);
        Assert.Equal([null], state.Answers["pain"].Dates);
        Assert.Throws<ArgumentException>(() => new WorksheetAnswers([new Dictionary<string, Value>()], isDiary: true, []));
    }

    [Fact]
    public void EveryNodeKindIsCoveredByTheVectors()
    {
        var (graph, vectors) = Data.Value;
        var nodes = new HashSet<string>(StringComparer.Ordinal);
        void Collect(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                if (e.TryGetProperty("node", out var n)) nodes.Add(n.GetString()!);
                foreach (var p in e.EnumerateObject()) Collect(p.Value);
            }
        }
        foreach (var c in vectors.RootElement.GetProperty("cases").EnumerateArray())
        {
            var condition = ConditionCompiler.Compile(c.GetProperty("condition").GetString()!, ScalarPositions.Verbatim(new SourceLocation("vector", 0, 0, 1)),
                ConditionVectorTests.ScopeOf(graph), new DiagnosticBag());
            using var doc = JsonDocument.Parse(Write(condition!.Tree));
            Collect(doc.RootElement);
        }
        Assert.Superset(new HashSet<string> { "number", "text", "boolean", "week", "field", "score", "aggregate", "completed", "chosen", "answered", "not", "binary" }, nodes);
    }

    /// <summary>Trees that are not what <see cref="ConditionJson.Write"/> writes.</summary>
    public static TheoryData<string, string> MalformedTrees() => new()
    {
        { "not an object", """[1, 2]""" },
        { "a string", "\"week >= 3\"" },
        { "no node", """{"value": 3}""" },
        { "node not a string", """{"node": 3}""" },
        { "unknown node", """{"node": "frobnicate"}""" },
        { "number without value", """{"node": "number"}""" },
        { "text value not a string", """{"node": "text", "value": 3}""" },
        { "field without worksheet", """{"node": "field", "field": "intensity", "type": "number"}""" },
        { "field of an unknown type", """{"node": "field", "worksheet": "pain", "field": "intensity", "type": "colour"}""" },
        { "field type as a number", """{"node": "field", "worksheet": "pain", "field": "intensity", "type": "1"}""" },
        { "score of an unknown method", """{"node": "score", "worksheet": "check", "score": "total", "method": "median", "items": []}""" },
        { "score without items", """{"node": "score", "worksheet": "check", "score": "total", "method": "sum"}""" },
        { "aggregate of an unknown function", """{"node": "aggregate", "worksheet": "sleep-diary", "function": "median", "field": "hours", "type": "number"}""" },
        { "completed without target", """{"node": "completed"}""" },
        { "answered without requiredFields", """{"node": "answered", "target": "pain", "diary": false}""" },
        { "not without operand", """{"node": "not"}""" },
        { "operand not an object", """{"node": "not", "operand": true}""" },
        { "binary of an unknown operator", """{"node": "binary", "op": "=~", "left": {"node": "week"}, "right": {"node": "number", "value": 1}}""" },
        { "binary without right", """{"node": "binary", "op": "==", "left": {"node": "week"}}""" },
        { "malformed deep inside", """{"node": "binary", "op": "and", "left": {"node": "boolean", "value": true}, "right": {"node": "not", "operand": {"node": "nope"}}}""" },
        { "too deep", string.Concat(Enumerable.Repeat("""{"node": "not", "operand": """, 300)) + """{"node": "week"}""" + new string('}', 300) },
        // Values of the wrong JSON kind: the reader promises FormatException for a malformed tree.
        { "number value as text", """{"node": "number", "value": "7"}""" },
        { "boolean value as text", """{"node": "boolean", "value": "yes"}""" },
        { "score item reverse as text", """{"node": "score", "worksheet": "check", "score": "total", "method": "sum", "items": [{"field": "q1", "reverse": "no", "min": 0, "max": 4}]}""" },
        { "aggregate field as a number", """{"node": "aggregate", "worksheet": "sleep-diary", "function": "mean", "field": 3, "type": "number"}""" },
        { "requiredFields not a list", """{"node": "answered", "target": "pain", "diary": false, "requiredFields": "intensity"}""" },
        { "requiredFields holding a number", """{"node": "answered", "target": "pain", "diary": false, "requiredFields": [3]}""" },
        { "two methods at once", """{"node": "score", "worksheet": "check", "score": "total", "method": "sum,mean", "items": []}""" },
    };

    [Theory]
    [MemberData(nameof(MalformedTrees))]
    public void AMalformedTreeIsAFormatException(string name, string json)
    {
        var e = Record.Exception(() => Read(json));
        Assert.True(e is FormatException, $"{name}: {(e is null ? "no exception" : e.GetType().Name + ": " + e.Message)}");
        Assert.False(string.IsNullOrWhiteSpace(e!.Message));
    }

    [Fact]
    public void EveryWellFormedNodeReadsBack()
    {
        string[] trees =
        [
            """{"node":"number","value":7.5}""",
            """{"node":"text","value":"ok"}""",
            """{"node":"boolean","value":false}""",
            """{"node":"week"}""",
            """{"node":"field","worksheet":"pain","field":"areas","type":"textSet"}""",
            """{"node":"score","worksheet":"check","score":"total","method":"sum","items":[{"field":"q1","reverse":true,"min":0,"max":4}]}""",
            """{"node":"aggregate","worksheet":"sleep-diary","function":"count"}""",
            """{"node":"aggregate","worksheet":"sleep-diary","function":"last","field":"bedtime","type":"text"}""",
            """{"node":"completed","target":"welcome"}""",
            """{"node":"chosen","target":"welcome"}""",
            """{"node":"answered","target":"pain","diary":false,"requiredFields":["intensity"]}""",
            """{"node":"negate","operand":{"node":"week"}}""",
            """{"node":"binary","op":"\u003C=","left":{"node":"week"},"right":{"node":"number","value":3}}""",
        ];
        foreach (var json in trees)
            Assert.Equal(json, Write(Read(json)));
        Assert.Equal(ContentEngine.Runtime.Conditions.ValueType.TextSet, Read(trees[4]).Type);
        Assert.True(Evaluator.IsTrue(Read(trees[12]), PatientState.Empty));
    }
}

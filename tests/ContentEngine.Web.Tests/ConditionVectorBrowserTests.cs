using System.Text;
using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Output;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Text;
using Microsoft.Playwright;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The browser's evaluator, themes/default/assets/conditions.js, in real Chromium against the shared
/// vectors every evaluator must pass, and against the C# reference evaluator value for value.
/// </summary>
[Collection("browser")]
public sealed class ConditionVectorBrowserTests(BrowserFixture browser)
{
    private sealed record Case(string Name, string Source, Expr Tree, JsonElement State, bool Expected);

    private static readonly Lazy<(ProgramGraph Graph, List<Case> Cases)> Data = new(() =>
    {
        var vectors = JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("tests", "vectors", "conditions.json")));
        var program = vectors.RootElement.GetProperty("program").GetString()!;
        var result = ProgramCompiler.Compile(TestPaths.Repo("tests", "vectors", program));
        Assert.True(result.Graph is not null, DiagnosticFormatter.Plain(result.Diagnostics));
        var cases = new List<Case>();
        foreach (var c in vectors.RootElement.GetProperty("cases").EnumerateArray())
        {
            var source = c.GetProperty("condition").GetString()!;
            cases.Add(new Case(c.GetProperty("name").GetString()!, source, CompileCondition(result.Graph!, source),
                c.GetProperty("state").Clone(), c.GetProperty("expected").GetBoolean()));
        }
        return (result.Graph!, cases);
    });

    private static string ScriptPath => TestPaths.Repo("themes", "default", "assets", "conditions.js");

    private static Expr CompileCondition(ProgramGraph graph, string source)
    {
        var scope = new ConditionScope(graph.Worksheets.ToDictionary(w => w.Id, StringComparer.Ordinal),
            graph.Modules.Select(m => m.Id).ToHashSet(StringComparer.Ordinal));
        var diagnostics = new DiagnosticBag();
        var condition = ConditionCompiler.Compile(source, ScalarPositions.Verbatim(new SourceLocation("vector", 0, 0, 1)), scope, diagnostics);
        Assert.True(condition is not null && !diagnostics.Items.Any(d => d.Severity == DiagnosticSeverity.Error),
            $"'{source}' does not compile: {DiagnosticFormatter.Plain(diagnostics.Items)}");
        return condition!.Tree;
    }

    [Fact]
    public async Task EveryVectorPassesInChromium()
    {
        var cases = Data.Value.Cases;
        Assert.True(cases.Count >= 120, $"only {cases.Count} vectors");
        var results = await EvaluateInBrowser(cases.Select(c => (c.Name, c.Tree, c.State)));

        var mismatches = new List<string>();
        foreach (var c in cases)
        {
            var r = results[c.Name];
            var reference = ValueJson(Evaluator.Evaluate(c.Tree, PatientState.FromJson(c.State)));
            if (r.Error is not null)
                mismatches.Add($"{c.Name}: threw {r.Error}");
            else if (r.Holds != c.Expected)
                mismatches.Add($"{c.Name}: expected {Lower(c.Expected)}, got {Lower(r.Holds)} (value {r.Value.GetRawText()}) for `{c.Source}`");
            else if (!SameValue(r.Value, reference))
                mismatches.Add($"{c.Name}: value {r.Value.GetRawText()}, but C# gives {reference.GetRawText()} for `{c.Source}`");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {cases.Count} vectors fail in the browser:\n" + string.Join("\n", mismatches));
    }

    [Fact]
    public async Task EverySubexpressionOfEveryVectorHasTheReferenceValue()
    {
        var items = new List<(string Name, Expr Tree, JsonElement State, JsonElement Reference)>();
        foreach (var c in Data.Value.Cases)
        {
            var state = PatientState.FromJson(c.State);
            var i = 0;
            foreach (var node in Subtrees(c.Tree))
            {
                var text = node.Start >= 0 && node.Start + node.Length <= c.Source.Length ? c.Source.Substring(node.Start, node.Length) : "?";
                items.Add(($"{c.Name} #{i++} `{text}`", node, c.State, ValueJson(Evaluator.Evaluate(node, state))));
            }
        }
        var results = await EvaluateInBrowser(items.Select(x => (x.Name, x.Tree, x.State)));

        var mismatches = items
            .Where(x => results[x.Name].Error is not null || !SameValue(results[x.Name].Value, x.Reference))
            .Select(x => $"{x.Name}: JS {results[x.Name].Error ?? results[x.Name].Value.GetRawText()}, C# {x.Reference.GetRawText()}")
            .ToList();
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {items.Count} subexpressions differ:\n" + string.Join("\n", mismatches));
    }

    /// <summary>States a delivery platform or an old browser might hold: odd shapes the C# reader accepts.</summary>
    [Fact]
    public async Task OddStatesAreReadAsTheReferenceReadsThem()
    {
        string[] conditions =
        [
            "pain.intensity >= 7", "pain.intensity != 7", "pain.intensity + 1 > 0", "pain.hours / pain.intensity >= 0",
            "pain.areas == \"walking\"", "pain.areas != \"walking\"", "pain.mood == \"low\"", "pain.mood != \"low\"",
            "pain.leisure == 4", "pain.working", "not pain.working", "pain.working == false",
            "answered(pain)", "answered(check)", "answered(sleep-diary)",
            "sleep-diary.count() == 0", "sleep-diary.count() >= 1", "sleep-diary.mean(hours) > 0", "sleep-diary.mean(hours) * 23 == 0", "sleep-diary.min(hours) >= 0",
            "sleep-diary.max(hours) > 100", "sleep-diary.last(nap)", "not sleep-diary.last(nap)", "sleep-diary.last(hours) >= 0",
            "check.total >= 0", "check.part >= 0", "week == 1", "week >= 3", "completed(welcome)", "chosen(sleep)",
        ];
        string[] states =
        [
            """{}""",
            """{"week": null, "completed": null, "chosen": null, "answers": null}""",
            """{"week": "3", "completed": "welcome", "chosen": {"sleep": true}, "answers": []}""",
            """{"week": 3, "completed": ["welcome", 1, null, ["welcome"]], "chosen": [true, "sleep"], "answers": {}}""",
            """{"answers": {"pain": 7, "check": "x", "sleep-diary": null}}""",
            """{"answers": {"pain": [], "check": [], "sleep-diary": {}}}""",
            """{"answers": {"pain": [{"intensity": 8}], "check": [{"q1": 1, "q2": 1, "q3": 1, "q4": 1}], "sleep-diary": {"hours": 5, "nap": true}}}""",
            """{"answers": {"pain": {"intensity": {}, "areas": {}, "working": {}}, "check": {"q1": {}}, "sleep-diary": [{"hours": {}, "nap": {}}]}}""",
            """{"answers": {"pain": {"intensity": [7], "areas": "walking", "mood": ["low"], "working": "true"}, "check": {"q1": "1", "q2": 1, "q3": 1, "q4": 1}}}""",
            """{"answers": {"pain": {"areas": ["walking", null, 3, ["walking"], {}]}, "sleep-diary": [1, null, "x", [], {"hours": 2}, {"hours": "9", "nap": 1}]}}""",
            """{"answers": {"pain": {"areas": []}, "sleep-diary": [{}, {"hours": null}]}}""",
            """{"answers": {"pain": {"intensity": null, "hours": null}, "check": {}, "sleep-diary": []}}""",
            """{"answers": {"pain": {"intensity": 0, "hours": 0, "leisure": 4.0}, "sleep-diary": [{"hours": 1e308}, {"hours": 1e308}]}}""",
            """{"answers": {"pain": {"intensity": -0.0, "hours": 5, "note": "anything"}, "sleep-diary": [{"hours": -1e308}, {"hours": 1e308}, {"hours": 1}]}}""",
            """{"answers": {"check": {"q1": 1e308, "q2": -1e308, "q3": 1e308, "q4": 1e308}}}""",
            """{"week": 0, "answers": {"pain": {"note": "text only"}}}""",
            """{"week": -4, "completed": ["welcome", "welcome"], "chosen": ["sleep"]}""",
            // Floating-point sums depend on the order of addition: the mean adds entries oldest first, one by one.
            """{"answers": {"sleep-diary": [""" + string.Join(", ",
                new[] { "1e16" }.Concat(Enumerable.Repeat("1", 17)).Concat(["-1e16", "0.1", "0.7", "0.2", "0.3"]).Select(h => $$"""{"hours": {{h}}}""")) + "]}}",
        ];

        var graph = Data.Value.Graph;
        var items = new List<(string Name, Expr Tree, JsonElement State, JsonElement Reference)>();
        for (var s = 0; s < states.Length; s++)
        {
            var json = JsonDocument.Parse(states[s]).RootElement.Clone();
            var state = PatientState.FromJson(json);
            foreach (var source in conditions)
            {
                var i = 0;
                foreach (var node in Subtrees(CompileCondition(graph, source)))
                    items.Add(($"state {s} `{source}` #{i++}", node, json, ValueJson(Evaluator.Evaluate(node, state))));
            }
        }
        var results = await EvaluateInBrowser(items.Select(x => (x.Name, x.Tree, x.State)));

        var mismatches = items
            .Where(x => results[x.Name].Error is not null || !SameValue(results[x.Name].Value, x.Reference))
            .Select(x => $"{x.Name}: JS {results[x.Name].Error ?? results[x.Name].Value.GetRawText()}, C# {x.Reference.GetRawText()}")
            .ToList();
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {items.Count} odd-state evaluations differ:\n" + string.Join("\n", mismatches));
    }

    /// <summary>Malformed trees and states that only JavaScript can hold: never an exception, never a false "true".</summary>
    [Fact]
    public async Task MalformedTreesAndStatesDoNotThrow()
    {
        var page = await browser.NewPageAsync();
        try
        {
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = ScriptPath });
            var report = await page.EvaluateAsync<string>(MalformedScript);
            Assert.True(report == "", "CE.evaluate misbehaves on malformed input:\n" + report);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private const string MalformedScript = """
        () => {
          const problems = [];
          const field = (ws, f) => ({ node: 'field', worksheet: ws, field: f, type: 'number' });
          const num = v => ({ node: 'number', value: v });
          const bin = (op, l, r) => ({ node: 'binary', op, left: l, right: r });
          const intensity = bin('>=', field('pain', 'intensity'), num(7));
          const cyclic = { week: 3, answers: {} };
          cyclic.answers.pain = cyclic;
          cyclic.self = cyclic;
          const deepArray = []; let d = deepArray; for (let i = 0; i < 10000; i++) { const n = []; d.push(n); d = n; }
          const throwing = {};
          Object.defineProperty(throwing, 'answers', { enumerable: true, get() { throw new Error('boom'); } });
          const inherited = Object.create({ intensity: 9 });
          const states = [
            undefined, null, 0, 42, NaN, '', 'state', true, [], [1, 2], () => 1,
            {}, { week: 'x', completed: 'welcome', chosen: {}, answers: 'none' },
            { week: NaN }, { week: Infinity }, { week: -Infinity }, { week: 1e300 }, { week: 2.5 }, { week: {} },
            { answers: null }, { answers: [] }, { answers: 7 }, { answers: { pain: null } }, { answers: { pain: 7 } },
            { answers: { pain: [1, null, 'x'] } }, { answers: { pain: { intensity: NaN } } }, { answers: { pain: { intensity: Infinity } } },
            { answers: { pain: { intensity: '9' } } }, { answers: { pain: { intensity: [9] } } }, { answers: { pain: { intensity: {} } } },
            { answers: { pain: { intensity: undefined } } }, { answers: { pain: { intensity: () => 9 } } },
            { answers: { pain: { intensity: new Number(9) } } }, { answers: { pain: inherited } },
            { answers: { pain: { intensity: deepArray } } }, { answers: { 'sleep-diary': [null, undefined, 3, deepArray, { hours: NaN }] } },
            { answers: { __proto__: null, pain: { intensity: 9 } } }, { answers: JSON.parse('{"__proto__": {"intensity": 9}}') },
            { answers: { constructor: { intensity: 9 }, toString: [] } },
            cyclic, throwing,
          ];
          const trees = [
            undefined, null, 0, 'week', [], {}, { node: 'unknown' }, { node: null }, { node: 'binary' },
            { node: 'binary', op: '^', left: num(1), right: num(2) }, { node: 'binary', op: '==' },
            bin('and', null, undefined), bin('or', {}, { node: 'week' }), { node: 'not' }, { node: 'negate' },
            { node: 'negate', operand: { node: 'text', value: 'x' } }, { node: 'number', value: '7' }, { node: 'number' },
            { node: 'number', value: Infinity }, { node: 'text' }, { node: 'boolean', value: 'true' },
            { node: 'field' }, field(null, null), field('pain', 'intensity'), field('constructor', 'name'), field('toString', 'length'),
            intensity, bin('!=', field('pain', 'intensity'), num(7)), bin('/', field('pain', 'intensity'), num(0)),
            { node: 'score' }, { node: 'score', worksheet: 'pain', items: 'x' }, { node: 'score', worksheet: 'pain', method: 'sum', items: [null, 1] },
            { node: 'score', worksheet: 'pain', method: 'sum', items: [{ field: 'intensity', reverse: true }] },
            { node: 'score', worksheet: 'pain', method: 'median', items: [{ field: 'intensity', reverse: false, min: 0, max: 10 }] },
            { node: 'aggregate' }, { node: 'aggregate', worksheet: 'sleep-diary', function: 'count' },
            { node: 'aggregate', worksheet: 'sleep-diary', function: 'mean' }, { node: 'aggregate', worksheet: 'sleep-diary', function: 'median', field: 'hours' },
            { node: 'aggregate', worksheet: 'pain', function: 'last', field: 'intensity' },
            { node: 'completed' }, { node: 'completed', target: 1 }, { node: 'chosen', target: {} },
            { node: 'answered' }, { node: 'answered', target: 'pain', requiredFields: 'intensity' },
            { node: 'answered', target: 'pain', diary: 'yes', requiredFields: [null, 3] },
            { node: 'answered', target: 'sleep-diary', diary: true },
          ];
          const allowed = v => v === null || typeof v === 'boolean' || typeof v === 'string' ||
            (typeof v === 'number' && isFinite(v)) || Array.isArray(v) || (typeof v === 'object');
          for (let t = 0; t < trees.length; t++) {
            for (let s = 0; s < states.length; s++) {
              try {
                const v = CE.evaluate(trees[t], states[s]);
                const holds = CE.isTrue(trees[t], states[s]);
                if (!allowed(v)) problems.push(`tree ${t}, state ${s}: returned ${String(v)}`);
                if (holds !== (v === true)) problems.push(`tree ${t}, state ${s}: isTrue ${holds} but evaluate ${JSON.stringify(v)}`);
              } catch (e) {
                problems.push(`tree ${t}, state ${s}: threw ${e}`);
              }
            }
          }
          const expect = (what, actual, expected) => {
            if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
          };
          expect('unknown node', CE.evaluate({ node: 'unknown' }, {}), null);
          expect('unknown operator', CE.evaluate({ node: 'binary', op: '^', left: num(1), right: num(2) }, {}), null);
          expect('week defaults to 1', CE.evaluate({ node: 'week' }, null), 1);
          expect('NaN answer is missing', CE.evaluate(field('pain', 'intensity'), { answers: { pain: { intensity: NaN } } }), null);
          expect('infinite answer is missing', CE.isTrue(intensity, { answers: { pain: { intensity: Infinity } } }), false);
          expect('text answer to a number field', CE.isTrue(intensity, { answers: { pain: { intensity: '9' } } }), false);
          expect('inherited field is not an answer', CE.isTrue(intensity, { answers: { pain: inherited } }), false);
          expect('__proto__ worksheet', CE.isTrue(intensity, { answers: JSON.parse('{"__proto__": {"intensity": 9}}') }), false);
          expect('overflow is missing', CE.evaluate(bin('*', num(1e308), num(10)), {}), null);
          expect('division by zero is missing', CE.evaluate(bin('/', num(1), num(0)), {}), null);
          expect('division by negative zero is missing', CE.evaluate(bin('/', num(1), { node: 'negate', operand: num(0) }), {}), null);
          expect('object answer counts as answered', CE.evaluate({ node: 'answered', target: 'pain', diary: false, requiredFields: ['intensity'] },
            { answers: { pain: { intensity: {} } } }), true);
          expect('object answer != 7', CE.evaluate(bin('!=', field('pain', 'intensity'), num(7)), { answers: { pain: { intensity: {} } } }), true);
          expect('multiple choice value', CE.evaluate({ node: 'field', worksheet: 'pain', field: 'areas', type: 'textSet' },
            { answers: { pain: { areas: ['a', null, 2, NaN] } } }), ['a', 2]);
          expect('cyclic state', CE.evaluate(intensity, cyclic), false);
          expect('throwing state', CE.evaluate(intensity, throwing), null);
          return problems.join('\n');
        }
        """;

    private sealed record BrowserResult(JsonElement Value, bool Holds, string? Error);

    /// <summary>Evaluates many trees in one page and one call; results by name.</summary>
    private async Task<Dictionary<string, BrowserResult>> EvaluateInBrowser(IEnumerable<(string Name, Expr Tree, JsonElement State)> items)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var (name, tree, state) in items)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WritePropertyName("tree");
                ConditionJson.Write(w, tree);
                w.WritePropertyName("state");
                state.WriteTo(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        var payload = Encoding.UTF8.GetString(buffer.ToArray());

        var page = await browser.NewPageAsync();
        try
        {
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = ScriptPath });
            var json = await page.EvaluateAsync<string>("""
                (payload) => JSON.stringify(JSON.parse(payload).map(c => {
                  try {
                    const value = CE.evaluate(c.tree, c.state);
                    return { name: c.name, value: value === undefined ? '(undefined)' : value, holds: CE.isTrue(c.tree, c.state) };
                  } catch (e) {
                    return { name: c.name, value: null, holds: false, error: String(e) };
                  }
                }))
                """, payload);
            using var doc = JsonDocument.Parse(json);
            var results = new Dictionary<string, BrowserResult>(StringComparer.Ordinal);
            foreach (var r in doc.RootElement.EnumerateArray())
            {
                results[r.GetProperty("name").GetString()!] = new BrowserResult(
                    r.GetProperty("value").Clone(),
                    r.GetProperty("holds").GetBoolean(),
                    r.TryGetProperty("error", out var e) ? e.GetString() : null);
            }
            return results;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>A C# value as the browser's evaluator returns it: null for missing, an array for a set, {} for an opaque answer.</summary>
    private static JsonElement ValueJson(Value value)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) Write(w, value);
        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();

        static void Write(Utf8JsonWriter w, Value v)
        {
            if (v.IsMissing) w.WriteNullValue();
            else if (v.IsNumber) w.WriteNumberValue(v.AsNumber);
            else if (v.IsText) w.WriteStringValue(v.AsText);
            else if (v.IsBoolean) w.WriteBooleanValue(v.AsBoolean);
            else if (v.IsSet)
            {
                w.WriteStartArray();
                foreach (var item in v.AsSet) Write(w, item);
                w.WriteEndArray();
            }
            else
            {
                w.WriteStartObject();
                w.WriteEndObject();
            }
        }
    }

    private static bool SameValue(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind) return false;
        return a.ValueKind switch
        {
            JsonValueKind.Number => a.GetDouble() == b.GetDouble(),
            JsonValueKind.String => a.GetString() == b.GetString(),
            JsonValueKind.Array => a.GetArrayLength() == b.GetArrayLength() &&
                                   a.EnumerateArray().Zip(b.EnumerateArray()).All(p => SameValue(p.First, p.Second)),
            JsonValueKind.Object => !a.EnumerateObject().Any() && !b.EnumerateObject().Any(),
            _ => true,
        };
    }

    private static IEnumerable<Expr> Subtrees(Expr e)
    {
        yield return e;
        IEnumerable<Expr> children = e switch
        {
            UnaryExpr u => Subtrees(u.Operand),
            BinaryExpr b => Subtrees(b.Left).Concat(Subtrees(b.Right)),
            _ => [],
        };
        foreach (var child in children) yield return child;
    }

    private static string Lower(bool b) => b ? "true" : "false";
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentEngine.Model;
using ContentEngine.Rendering.Fhir;
using ContentEngine.Runtime.Conditions;
using Hl7.Fhir.Model;
using Value = ContentEngine.Runtime.Conditions.Value;

namespace ContentEngine.Tests;

/// <summary>
/// Every FHIRPath expression of a program's FHIR export (PlanDefinition conditions, Questionnaire enableWhenExpressions and
/// calculatedExpressions, any other), read from the exported files, parsed and evaluated by fhirpath.js on several patients,
/// and compared with Firely's result and with the runtime's: the author's condition (beside the expression) by the
/// reference evaluator, a score by the model's score. All cases of a program go to one Node process.
/// </summary>
public sealed class FhirPathJsProgramTests(FhirPathJsProgramTests.Results results) : IClassFixture<FhirPathJsProgramTests.Results>
{
    private const int Patients = 12;

    /// <summary>An expression of the export: where it is, and what the runtime gives on each patient.</summary>
    public sealed record Found(string Program, string Where, string FhirPath, string? Worksheet, string? Condition, Score? Score);

    public sealed class Results
    {
        public readonly List<Found> Expressions = [];
        public readonly Dictionary<string, JsonElement> Outcomes = new(StringComparer.Ordinal);
        public readonly Dictionary<string, PatientState> States = new(StringComparer.Ordinal);
        public readonly Dictionary<string, Dictionary<string, IEnumerable<PocoNode>>> Firely = new(StringComparer.Ordinal);
        public readonly Dictionary<string, List<QuestionnaireResponse>> Responses = new(StringComparer.Ordinal);

        public Results()
        {
            foreach (var program in new[] { "content/iact-chronic-pain", "tests/vectors/program" })
            {
                var graph = FhirPathProgramTests.Programs[program].Value;
                var found = Expressions.Count;
                foreach (var (path, content) in FhirExport.Export(graph))
                {
                    var worksheet = graph.Worksheets.FirstOrDefault(w => path == $"fhir/Questionnaire-{w.Id}.json");
                    Walk(program, graph, worksheet, path, JsonNode.Parse(content)!, null, null);
                }
                var environments = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
                var random = new Random(2711);
                for (var n = 0; n < Patients; n++)
                {
                    var key = $"{program} patient {n}";
                    var state = States[key] = FhirPathProgramTests.RandomPatient(graph, random);
                    environments[key] = FhirPathJs.Environment(graph, state, onePerEntry: n % 2 == 0);
                    Firely[key] = FhirPathVectorTests.Environment(graph, state, onePerEntry: n % 2 == 0);
                    Responses[key] = FhirPathVectorTests.Responses(graph, state, onePerEntry: true);
                }
                var cases = new List<FhirPathJs.Case>();
                for (var i = found; i < Expressions.Count; i++)
                    for (var n = 0; n < Patients; n++)
                        cases.Add(new($"{i} {n}", Expressions[i].FhirPath, Focus(graph, Expressions[i], Responses[$"{program} patient {n}"]), $"{program} patient {n}"));
                foreach (var (id, outcome) in FhirPathJs.Evaluate(environments, cases)) Outcomes[id] = outcome;
            }
        }

        /// <summary>Finds every FHIRPath Expression under <paramref name="node"/>, with the item and extension it is on.</summary>
        private void Walk(string program, ProgramGraph graph, Worksheet? worksheet, string where, JsonNode? node, string? linkId, string? url)
        {
            if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++) Walk(program, graph, worksheet, $"{where}[{i}]", array[i], linkId, url);
                return;
            }
            if (node is not JsonObject o) return;
            linkId = o["linkId"]?.GetValue<string>() ?? linkId;
            url = o["url"] is JsonValue u && u.TryGetValue<string>(out var s) ? s : url;
            if (o["language"]?.GetValue<string>() == FhirPathCompiler.Language && o["expression"] is { } text)
            {
                var condition = o["extension"]?.AsArray().FirstOrDefault(e => e?["url"]?.GetValue<string>() == FhirExport.ConditionSourceUrl)?["valueString"]?.GetValue<string>();
                var score = url == "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
                    ? worksheet?.Scoring?.Scores.FirstOrDefault(x => x.Id == linkId) : null;
                Expressions.Add(new(program, $"{where} (item {linkId ?? "-"})", text.GetValue<string>(), worksheet?.Id, condition, score));
            }
            foreach (var (key, child) in o) Walk(program, graph, worksheet, $"{where}.{key}", child, linkId, url);
        }
    }

    /// <summary>The focus and <c>%resource</c>: a Questionnaire's response being filled in, else the patient.</summary>
    private static Resource Focus(ProgramGraph graph, Found e, List<QuestionnaireResponse> responses) =>
        e.Worksheet is null ? new Patient { Id = "patient" } : FhirPathVectorTests.Filling(graph, e.Worksheet, responses);

    [Theory]
    [InlineData("content/iact-chronic-pain")]
    [InlineData("tests/vectors/program")]
    public void EveryExpressionAgreesWithFirelyAndTheRuntime(string program)
    {
        var graph = FhirPathProgramTests.Programs[program].Value;
        var firely = new Hl7.FhirPath.FhirPathCompiler();
        var failures = new StringBuilder();
        var checkedByRuntime = 0;
        var expressions = results.Expressions.Select((e, i) => (e, i)).Where(x => x.e.Program == program).ToList();
        Assert.NotEmpty(expressions);
        foreach (var (e, i) in expressions)
        {
            var compiled = firely.Compile(e.FhirPath);
            // The author's condition, as the runtime evaluates it (several conditions are written "(a) and (b)").
            var tree = e.Condition is { } source ? ConditionVectors.Compile(graph, source) : null;
            for (var n = 0; n < Patients; n++)
            {
                var key = $"{program} patient {n}";
                var state = results.States[key];
                var js = results.Outcomes[$"{i} {n}"];
                var fromFirely = FhirPathJs.Firely(compiled, Focus(graph, e, results.Responses[key]), results.Firely[key]);
                string? Differ(string expected, bool agrees) => agrees ? null
                    : $"{e.Where}, patient {n}: {e.FhirPath}\n  the runtime gives {expected}, Firely {FhirPathJs.Describe(fromFirely)}, fhirpath.js {FhirPathJs.Describe(js)}";
                string? problem;
                if (tree is not null)
                {
                    var expected = Evaluator.IsTrue(tree, state);
                    problem = Differ(expected ? "true" : "false", FhirPathJs.Boolean(js) == expected && fromFirely is [bool b] && b == expected);
                }
                else if (e.Score is { } score)
                {
                    var value = Evaluator.Evaluate(new ScoreRef(e.Worksheet!, score.Id, score.Method, score.Items, 0, 0), state);
                    problem = Differ(value.IsMissing ? "[]" : FhirPathJs.Describe([value.AsNumber]),
                        SameNumbers(value, FhirPathJs.Numbers(js)) && SameNumbers(value, fromFirely.Select(v => v is null ? double.NaN : Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)).ToList()));
                }
                else
                {
                    // An expression with no counterpart in the model: fhirpath.js parses it and agrees with Firely.
                    var same = !js.TryGetProperty("error", out _) && js.GetProperty("result").GetRawText() == JsonSerializer.Serialize(fromFirely);
                    problem = same ? null : $"{e.Where}, patient {n}: {e.FhirPath}\n  Firely gives {FhirPathJs.Describe(fromFirely)}, fhirpath.js {FhirPathJs.Describe(js)}";
                }
                if (problem is not null) failures.AppendLine(problem);
                else if (tree is not null || e.Score is not null) checkedByRuntime++;
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
        Assert.True(checkedByRuntime > 0, "no expression was compared with the runtime");
    }

    private static bool SameNumbers(Value expected, List<double>? actual) =>
        actual is not null && (expected.IsMissing ? actual.Count == 0
            : actual.Count == 1 && Math.Abs(actual[0] - expected.AsNumber) <= 1e-9 * Math.Max(1, Math.Abs(expected.AsNumber)));
}

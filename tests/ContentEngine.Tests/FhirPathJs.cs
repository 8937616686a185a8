using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.FhirPath;

namespace ContentEngine.Tests;

/// <summary>
/// fhirpath.js (npm's <c>fhirpath</c> with its FHIR R4 model), the independent FHIRPath engine of JavaScript platforms and
/// of LHC-Forms, run under Node on a batch of cases at once by tests/fhirpath-js/evaluate.mjs.
/// </summary>
/// <remarks>
/// <c>./build.sh test</c> installs it into out/fhirpath/ (ignored by git); CONTENTENGINE_FHIRPATH names another copy of the
/// package's folder (the one holding its package.json).
/// </remarks>
internal static class FhirPathJs
{
    public const string Version = "5.2.2";

    private static string InstalledPackage => TestPaths.Repo("out", "fhirpath", "node_modules", "fhirpath");

    private const string Install =
        "install it with `./build.sh test` (or `npm install --prefix out/fhirpath --ignore-scripts fhirpath@" + Version + "` in the repository), or set CONTENTENGINE_FHIRPATH to the fhirpath package's folder";

    /// <summary>One expression to evaluate with <paramref name="Focus"/> as the focus and <c>%resource</c>, and the named environment's variables.</summary>
    public sealed record Case(string Id, string Expression, Resource Focus, string Environment);

    /// <summary>The variables a platform supplies for a patient (<c>%responses</c>, <c>%programWeek</c>, <c>%completed</c>, <c>%chosen</c>), as JSON.</summary>
    public static JsonObject Environment(ProgramGraph graph, PatientState state, bool onePerEntry) => new()
    {
        [Rendering.Fhir.FhirPathCompiler.ResponsesVariable] = new JsonArray([.. FhirPathVectorTests.Responses(graph, state, onePerEntry).Select(Json)]),
        [Rendering.Fhir.FhirPathCompiler.ProgramWeekVariable] = state.Week,
        [Rendering.Fhir.FhirPathCompiler.CompletedVariable] = new JsonArray([.. state.Completed.Order(StringComparer.Ordinal).Select(id => (JsonNode)id)]),
        [Rendering.Fhir.FhirPathCompiler.ChosenVariable] = new JsonArray([.. state.Chosen.Order(StringComparer.Ordinal).Select(id => (JsonNode)id)]),
    };

    /// <summary>
    /// Every case evaluated in one Node process: by id, <c>{"result": [...]}</c> or <c>{"error": "..."}</c> (an expression
    /// fhirpath.js does not parse, or a failure while evaluating it).
    /// </summary>
    public static Dictionary<string, JsonElement> Evaluate(IReadOnlyDictionary<string, JsonObject> environments, IEnumerable<Case> cases)
    {
        var package = System.Environment.GetEnvironmentVariable("CONTENTENGINE_FHIRPATH") is { Length: > 0 } p ? p : InstalledPackage;
        Assert.True(File.Exists(Path.Combine(package, "esm", "fhirpath.mjs")), $"fhirpath.js is missing ({package}): {Install}.");
        var input = new JsonObject
        {
            ["environments"] = new JsonObject(environments.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value.DeepClone()))),
            ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["expression"] = c.Expression,
                ["focus"] = Json(c.Focus),
                ["environment"] = c.Environment,
            })]),
        };
        using var folder = new TestPaths.TempFolder();
        var file = folder.File("cases.json", input.ToJsonString());
        var output = NodeScript.Run("fhirpath.js", 5, TestPaths.Repo("tests", "fhirpath-js", "evaluate.mjs"), package, file);
        using var document = JsonDocument.Parse(output);
        return document.RootElement.EnumerateObject().ToDictionary(x => x.Name, x => x.Value.Clone(), StringComparer.Ordinal);
    }

    /// <summary>The single Boolean fhirpath.js gave, or null when it gave anything else.</summary>
    public static bool? Boolean(JsonElement outcome) =>
        outcome.TryGetProperty("result", out var r) && r.GetArrayLength() == 1 && r[0].ValueKind is JsonValueKind.True or JsonValueKind.False
            ? r[0].GetBoolean()
            : null;

    /// <summary>The numbers fhirpath.js gave (null when it failed or gave something else).</summary>
    public static List<double>? Numbers(JsonElement outcome) =>
        outcome.TryGetProperty("result", out var r) && r.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number)
            ? [.. r.EnumerateArray().Select(v => v.GetDouble())]
            : null;

    /// <summary>What fhirpath.js gave, for a failure message.</summary>
    public static string Describe(JsonElement outcome) =>
        outcome.TryGetProperty("error", out var e) ? $"an error: {e.GetString()}" : outcome.GetProperty("result").GetRawText();

    /// <summary>What Firely's FHIRPath engine gives, with <paramref name="focus"/> as the focus and <c>%resource</c>.</summary>
    public static List<object?> Firely(CompiledExpression compiled, Resource focus, Dictionary<string, IEnumerable<PocoNode>> environment)
    {
        var node = focus.ToPocoNode(ModelInfo.ModelInspector);
        var context = new EvaluationContext { Environment = environment }.WithResourceOverrides(node, node);
        return [.. compiled([node], context).Select(n => n.Poco is PrimitiveType primitive ? primitive.JsonValue : n.Poco)];
    }

    /// <summary>A list of values as text, for a failure message.</summary>
    public static string Describe(IEnumerable<object?> values) =>
        "[" + string.Join(", ", values.Select(v => v switch { bool b => b ? "true" : "false", IFormattable f => f.ToString(null, CultureInfo.InvariantCulture), null => "null", _ => v.ToString() })) + "]";

    private static JsonNode Json(Resource resource) => JsonNode.Parse(new FhirJsonSerializer().SerializeToString(resource))!;
}

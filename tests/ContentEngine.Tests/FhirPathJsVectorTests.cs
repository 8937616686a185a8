using System.Text.Json;
using System.Text.Json.Nodes;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using Hl7.Fhir.Model;

namespace ContentEngine.Tests;

/// <summary>
/// Every condition vector compiled to FHIRPath and run by fhirpath.js (an engine ContentEngine has no part in) on the FHIR
/// form of the case's patient, as <see cref="FhirPathVectorTests"/> runs it in Firely: as the PlanDefinition has it (diary
/// entries in a response each and all in one), and in each form's own Questionnaire. All cases go to one Node process.
/// </summary>
public sealed class FhirPathJsVectorTests(FhirPathJsVectorTests.Results results) : IClassFixture<FhirPathJsVectorTests.Results>
{
    public static TheoryData<string> Cases() => ConditionVectors.Names();

    /// <summary>The cases of every vector, each with the FHIRPath and what it must give, and fhirpath.js's outcomes.</summary>
    public sealed class Results
    {
        public readonly Dictionary<string, List<(string Id, string Where, string FhirPath, bool Expected)>> ByVector = new(StringComparer.Ordinal);
        public readonly Dictionary<string, JsonElement> Outcomes;

        public Results()
        {
            var (graph, vectors) = ConditionVectors.Data.Value;
            var environments = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            var cases = new List<FhirPathJs.Case>();
            var patient = new Patient { Id = "patient" };
            foreach (var c in vectors.RootElement.GetProperty("cases").EnumerateArray())
            {
                var name = c.GetProperty("name").GetString()!;
                var source = c.GetProperty("condition").GetString()!;
                var condition = ConditionVectors.Compile(graph, source);
                var state = PatientState.FromJson(c.GetProperty("state"));
                var expected = c.GetProperty("expected").GetBoolean();
                var list = ByVector[name] = [];
                void Add(string where, string fhirPath, Resource focus, string environment)
                {
                    var id = $"{name} {list.Count}";
                    list.Add((id, where, fhirPath, expected));
                    cases.Add(new(id, fhirPath, focus, environment));
                }
                var plan = new Rendering.Fhir.FhirPathCompiler(graph).Compile(condition);
                foreach (var onePerEntry in new[] { true, false })
                {
                    var environment = $"{name} {(onePerEntry ? "each" : "all")}";
                    environments[environment] = FhirPathJs.Environment(graph, state, onePerEntry);
                    Add(onePerEntry ? "a response per diary entry" : "one response per diary", plan, patient, environment);
                }
                // In a form's own Questionnaire (an enableWhenExpression) its answers are %resource, the response being filled in.
                var responses = FhirPathVectorTests.Responses(graph, state, onePerEntry: true);
                foreach (var form in graph.Worksheets.Where(w => w.Kind != WorksheetKind.Diary))
                {
                    var response = FhirPathVectorTests.Filling(graph, form.Id, responses);
                    Add($"in {form.Id}'s Questionnaire", new Rendering.Fhir.FhirPathCompiler(graph, form.Id).Compile(condition), response, $"{name} each");
                }
            }
            Outcomes = FhirPathJs.Evaluate(environments, cases);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Vector(string name)
    {
        var source = ConditionVectors.Data.Value.Vectors.RootElement.GetProperty("cases").EnumerateArray()
            .Single(x => x.GetProperty("name").GetString() == name).GetProperty("condition").GetString();
        foreach (var (id, where, fhirPath, expected) in results.ByVector[name])
        {
            var outcome = results.Outcomes[id];
            Assert.True(FhirPathJs.Boolean(outcome) == expected,
                $"vector '{name}': '{source}' ({where}) as {fhirPath}: the runtime and Firely give {(expected ? "true" : "false")}, fhirpath.js gives {FhirPathJs.Describe(outcome)}");
        }
    }
}

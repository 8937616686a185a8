using System.Globalization;
using System.Text.Json;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Fhir;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Text;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using Response = Hl7.Fhir.Model.QuestionnaireResponse;
using ResponseItem = Hl7.Fhir.Model.QuestionnaireResponse.ItemComponent;
using Value = ContentEngine.Runtime.Conditions.Value;

namespace ContentEngine.Tests;

/// <summary>
/// The third evaluator: every condition vector compiled to FHIRPath and run by Firely's FHIRPath engine on the FHIR form of
/// the case's patient (QuestionnaireResponses and the variables <c>%programWeek</c>, <c>%completed</c>, <c>%chosen</c>, as
/// docs/package-format.md describes them), with the same expected result as the C# and browser evaluators.
/// </summary>
public sealed class FhirPathVectorTests
{
    private static readonly Hl7.FhirPath.FhirPathCompiler Firely = new();

    public static TheoryData<string> Cases() => ConditionVectors.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Vector(string name)
    {
        var (graph, vectors) = ConditionVectors.Data.Value;
        var c = vectors.RootElement.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var source = c.GetProperty("condition").GetString()!;
        var diagnostics = new DiagnosticBag();
        var condition = ConditionCompiler.Compile(source, ScalarPositions.Verbatim(new SourceLocation("vector", 0, 0, 1)), ConditionVectorTests.ScopeOf(graph), diagnostics);
        Assert.True(condition is not null, $"'{source}' does not compile: {DiagnosticFormatter.Plain(diagnostics.Items)}");
        var fhirPath = new Rendering.Fhir.FhirPathCompiler(graph).Compile(condition!.Tree);
        var state = PatientState.FromJson(c.GetProperty("state"));
        var expected = c.GetProperty("expected").GetBoolean();
        // A diary may come as one response per entry or as one response holding them all: the result is the same.
        foreach (var onePerEntry in new[] { true, false })
            Assert.True(expected == Evaluate(fhirPath, graph, state, onePerEntry),
                $"'{source}' as {fhirPath} ({(onePerEntry ? "a response per diary entry" : "one response per diary")}) is not {expected.ToString().ToLowerInvariant()}");

        // In a form's own Questionnaire (an enableWhenExpression) its answers are %resource, the response being filled in.
        foreach (var form in graph.Worksheets.Where(w => w.Kind != WorksheetKind.Diary))
        {
            var own = new Rendering.Fhir.FhirPathCompiler(graph, form.Id).Compile(condition.Tree);
            var response = Filling(graph, form.Id, Responses(graph, state, onePerEntry: true));
            Assert.True(expected == Evaluate(own, graph, state, onePerEntry: true, response),
                $"'{source}' in {form.Id}'s Questionnaire as {own} is not {expected.ToString().ToLowerInvariant()}");
        }
    }

    /// <summary>The response being filled in for a worksheet's own Questionnaire (<c>%resource</c>): its last one, or a new one.</summary>
    internal static Response Filling(ProgramGraph graph, string worksheet, IEnumerable<Response> responses)
    {
        var url = $"{FhirExport.QuestionnaireUrl(graph, worksheet)}|{graph.Version}";
        return responses.LastOrDefault(r => r.Questionnaire == url) ?? new Response { Questionnaire = url, Status = Response.QuestionnaireResponseStatus.InProgress };
    }

    /// <summary>The compiled condition's value: it must be exactly one Boolean.</summary>
    /// <param name="focus">The response being filled in (<c>%resource</c>); else the patient is the focus.</param>
    internal static bool Evaluate(string fhirPath, ProgramGraph graph, PatientState state, bool onePerEntry, Resource? focus = null)
    {
        var node = (focus ?? new Patient { Id = "patient" }).ToPocoNode(ModelInfo.ModelInspector);
        // %resource is the focus: the response being filled in (what an SDC renderer sets it to).
        var context = new EvaluationContext { Environment = Environment(graph, state, onePerEntry) }.WithResourceOverrides(node, node);
        var result = Firely.Compile(fhirPath)([node], context).ToList();
        var single = Assert.Single(result);
        return Assert.IsType<bool>(Assert.IsType<PrimitiveType>(single.Poco, exactMatch: false).JsonValue);
    }

    /// <summary>The variables a platform supplies: the patient's responses, oldest first, the week, the completed and chosen modules.</summary>
    internal static Dictionary<string, IEnumerable<PocoNode>> Environment(ProgramGraph graph, PatientState state, bool onePerEntry) => new()
    {
        [Rendering.Fhir.FhirPathCompiler.ResponsesVariable] = [.. Responses(graph, state, onePerEntry).Select(r => r.ToPocoNode(ModelInfo.ModelInspector))],
        [Rendering.Fhir.FhirPathCompiler.ProgramWeekVariable] = [PocoNode.ForAnyPrimitive(state.Week)],
        [Rendering.Fhir.FhirPathCompiler.CompletedVariable] = [.. state.Completed.Order(StringComparer.Ordinal).Select(PocoNode.ForAnyPrimitive)],
        [Rendering.Fhir.FhirPathCompiler.ChosenVariable] = [.. state.Chosen.Order(StringComparer.Ordinal).Select(PocoNode.ForAnyPrimitive)],
    };

    /// <summary>
    /// The patient's answers as QuestionnaireResponses: a form's or questionnaire's one response; a diary's entries as
    /// <c>_entry</c> groups dated with <see cref="FhirExport.EntryDateUrl"/>, in one response each or all in one.
    /// </summary>
    internal static List<Response> Responses(ProgramGraph graph, PatientState state, bool onePerEntry)
    {
        var responses = new List<Response>();
        foreach (var (id, answers) in state.Answers.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var worksheet = graph.FindWorksheet(id) ?? throw new InvalidOperationException($"no worksheet {id}");
            Response New() => new()
            {
                Questionnaire = $"{FhirExport.QuestionnaireUrl(graph, id)}|{graph.Version}",
                Status = Response.QuestionnaireResponseStatus.Completed,
                Subject = new ResourceReference("Patient/patient"),
            };
            if (worksheet.Kind != WorksheetKind.Diary)
            {
                if (answers.Entries.Count == 0) continue;
                var response = New();
                response.Item.AddRange(Items(graph, worksheet, answers.Entries[0]));
                responses.Add(response);
                continue;
            }
            Response? all = null;
            for (var i = 0; i < answers.Entries.Count; i++)
            {
                var entry = new ResponseItem { LinkId = Rendering.Fhir.FhirPathCompiler.EntryLinkId };
                if (answers.Dates[i] is { } date)
                    entry.Extension.Add(new Extension(FhirExport.EntryDateUrl, new Date(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
                entry.Item.AddRange(Items(graph, worksheet, answers.Entries[i]));
                var response = onePerEntry ? New() : all ??= New();
                response.Item.Add(entry);
                if (onePerEntry || i == 0) responses.Add(response);
            }
        }
        return responses;
    }

    /// <summary>One item per answered field, in the worksheet's order, as the Questionnaire asks for it.</summary>
    private static IEnumerable<ResponseItem> Items(ProgramGraph graph, Worksheet worksheet, IReadOnlyDictionary<string, Value> entry)
    {
        foreach (var field in worksheet.Fields)
        {
            if (!entry.TryGetValue(field.Id, out var value) || value.IsMissing) continue;
            var item = new ResponseItem { LinkId = field.Id };
            // A multiple choice with nothing ticked is answered: an item without an answer.
            foreach (var single in value.IsSet ? value.AsSet : [value])
                item.Answer.Add(new Response.AnswerComponent { Value = Answer(graph, worksheet, field, single) });
            yield return item;
        }
    }

    private static bool IntegerScale(Field f) => new[] { f.Min ?? 0, f.Max ?? 10, f.Step ?? 1 }.All(v => v == Math.Floor(v));

    private static DataType Answer(ProgramGraph graph, Worksheet worksheet, Field field, Value value)
    {
        if (value.IsBoolean) return new FhirBoolean(value.AsBoolean);
        if (field.Type == FieldType.Choice)
        {
            var code = value.IsNumber ? value.AsNumber.ToString("R", CultureInfo.InvariantCulture) : value.AsText;
            return new Coding($"{FhirExport.QuestionnaireUrl(graph, worksheet.Id)}:{field.Id}", code);
        }
        if (value.IsText) return new FhirString(value.AsText);
        if (!value.IsNumber) throw new InvalidOperationException($"{worksheet.Id}.{field.Id}: no FHIR answer for {value}");
        var n = value.AsNumber;
        return field.Type switch
        {
            FieldType.Duration => new Quantity((decimal)n, "min") { System = "http://unitsofmeasure.org", Unit = "min" },
            FieldType.Integer or FieldType.Scale when n == Math.Floor(n) && Math.Abs(n) <= int.MaxValue && (field.Type == FieldType.Integer || IntegerScale(field)) => new Integer((int)n),
            _ => new FhirDecimal(decimal.Parse(n.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture)),
        };
    }
}

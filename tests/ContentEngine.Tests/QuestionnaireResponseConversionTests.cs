using System.Globalization;
using System.Text.Json;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Runtime.Fhir;
using ContentEngine.Runtime.Packaging;
using ContentEngine.Runtime.Patients;
using ContentEngine.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.FhirPath;
using Condition = ContentEngine.Model.Condition;

namespace ContentEngine.Tests;

/// <summary>
/// A patient's answers as FHIR QuestionnaireResponses (<see cref="QuestionnaireResponses"/>) and back: the round trip gives
/// the same state, Firely's strict parser reads every response, and Firely's FHIRPath engine evaluates the program's
/// conditions on them as the runtime's evaluator does on the state.
/// </summary>
public sealed class QuestionnaireResponseConversionTests
{
    private static readonly Lazy<ProgramPackage> Sample = new(PackageTestData.OpenSample);

    private static ProgramGraph Program => Sample.Value.Program;

    private static readonly DateTimeOffset Now = new(2026, 10, 20, 12, 0, 0, TimeSpan.Zero);

    private static readonly FhirPathCompiler Firely = new();

    private static string Num(double n) => n.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A valid answer to <paramref name="field"/>; <paramref name="variant"/> picks among several.</summary>
    private static Answer Valid(Field field, int variant)
    {
        double Stepped(double min, double max, double step)
        {
            var steps = (int)Math.Floor((max - min) / step);
            return min + step * ((variant * 3 + 1) % (steps + 1));
        }
        return field.Type switch
        {
            FieldType.Text => Answer.Text($"Svar {variant} på {field.Id} – \"å\""),
            FieldType.LongText => Answer.Text($"Rad ett\nrad två ({variant})"),
            FieldType.Boolean => Answer.Boolean(variant % 2 == 0),
            FieldType.Date => Answer.Date(new DateOnly(2026, 9, 10 + variant)),
            FieldType.Time => Answer.Time(new TimeOnly(7 + variant, 45)),
            FieldType.Duration => Answer.Number(15 + variant * 5),
            FieldType.Number or FieldType.Integer or FieldType.Scale =>
                Answer.Number(Stepped(field.Min ?? 0, field.Max ?? 20, field.Step ?? (field.Type == FieldType.Number ? 0.5 : 1))),
            FieldType.Choice when field.Multiple => Answer.List(field.Options.Where((_, i) => i % 2 == variant % 2).Take(2).Select(Option)),
            FieldType.Choice => Option(field.Options[variant % field.Options.Length]),
            FieldType.Table => Answer.List(Enumerable.Range(0, Math.Min(3, field.RowLabels.Length > 0 ? field.RowLabels.Length : field.RowCount ?? 3))
                .Select(row => row == 1
                    ? Answer.Object([]) // an empty row between two filled ones
                    : Answer.Object(field.Columns.Select(c => KeyValuePair.Create(c.Id, Valid(c, variant + row)))))),
            FieldType.Target => Answer.Object(field.Areas.Take(3).Select((a, i) => KeyValuePair.Create(a.Id, Answer.Number(1 + (i + variant) % (field.Rings ?? 1))))),
            _ => throw new InvalidOperationException(field.Type.ToString()),
        };
    }

    private static Answer Option(ChoiceOption o) => o.Number is { } n ? Answer.Number(n) : Answer.Text(o.Text!);

    /// <summary>Every worksheet of the sample answered, every field of it; a diary with three entries, the last without a date.</summary>
    private static PatientRecord Answered(int variant)
    {
        var record = new PatientRecord { ProgramId = Program.Id, ProgramVersion = Program.Version, StartDate = new DateOnly(2026, 9, 7), Completed = ["welcome", "values"] };
        foreach (var sheet in Program.Worksheets)
        {
            if (sheet.Kind != WorksheetKind.Diary)
            {
                record = sheet.Fields.Aggregate(record, (r, f) => r.RecordAnswer(Program, sheet.Id, f.Id, Valid(f, variant)));
                continue;
            }
            for (var i = 0; i < 3; i++)
                record = record.AddDiaryEntry(Program, sheet.Id, new DateOnly(2026, 9, 8 + i), sheet.Fields.Where((_, j) => i != 1 || j % 2 == 0)
                    .Select(f => KeyValuePair.Create(f.Id, Valid(f, variant + i))));
        }
        // The last diary entry stored without a date, as states written before entries were dated.
        var undated = PatientRecord.Parse(record.ToJson().Replace("\"_date\": \"2026-09-10\",", "", StringComparison.Ordinal));
        Assert.Contains(undated.Answers.Values, a => a.IsDiary && a.Entries[^1].Date is null);
        return undated;
    }

    [Fact]
    public void TheSampleAnswersEveryFieldType()
    {
        var types = Program.Worksheets.SelectMany(w => w.Fields).SelectMany(f => f.Columns.Add(f)).Select(f => f.Type).ToHashSet();
        Assert.Equal(Enum.GetValues<FieldType>().Order(), types.Order());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void TheAnswersGoToResponsesAndBackUnchanged(int variant)
    {
        var record = Answered(variant);
        var responses = QuestionnaireResponses.ToResponses(record, Program, "Patient/p1", Now);
        Assert.Equal(record.Answers.Keys, responses.Select(r => r.Worksheet));
        var back = QuestionnaireResponses.FromResponses(record with { Answers = new Dictionary<string, RecordedWorksheet>() }, Program, responses.Select(r => r.Json));
        Assert.Equal(record, back);
        Assert.Equal(record.ToJson(), back.ToJson());

        // A diary's entries may come one response each: the same answers.
        var split = responses.SelectMany(r => Split(r.Json)).ToList();
        Assert.True(split.Count > responses.Count);
        Assert.Equal(record, QuestionnaireResponses.FromResponses(record, Program, split));
        // A form is its last response.
        var older = QuestionnaireResponses.ToResponses(Answered(variant + 1), Program).Select(r => r.Json);
        Assert.Equal(record, QuestionnaireResponses.FromResponses(record, Program, older.Where(j => !j.Contains("\"_entry\"", StringComparison.Ordinal)).Concat(responses.Select(r => r.Json))));
    }

    /// <summary>A diary's response as one response per entry.</summary>
    private static IEnumerable<string> Split(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        if (node["item"] is not System.Text.Json.Nodes.JsonArray items || items.Count == 0 || items[0]!["linkId"]!.GetValue<string>() != "_entry")
        {
            yield return json;
            yield break;
        }
        foreach (var item in items.ToList())
        {
            var one = node.DeepClone().AsObject();
            one["item"] = new System.Text.Json.Nodes.JsonArray(item!.DeepClone());
            yield return one.ToJsonString();
        }
    }

    [Fact]
    public void TheResponsesParseStrictlyAndFollowTheDocumentedMapping()
    {
        var record = Answered(0);
        var responses = QuestionnaireResponses.ToResponses(record, Program, "Patient/p1", Now);
        foreach (var r in responses)
        {
            var resource = Assert.IsType<QuestionnaireResponse>(FhirJsonDeserializer.STRICT.DeserializeResource(r.Json));
            Assert.Equal($"urn:contentengine:{Program.Id}:questionnaire:{r.Worksheet}|{Program.Version}", resource.Questionnaire);
            Assert.Equal("Patient/p1", resource.Subject?.Reference);
        }
        var sleep = Assert.IsType<QuestionnaireResponse>(FhirJsonDeserializer.STRICT.DeserializeResource(responses.Single(r => r.Worksheet == "sleep-diary").Json));
        Assert.All(sleep.Item, i => Assert.Equal("_entry", i.LinkId));
        Assert.Equal("2026-09-08", Assert.IsType<Date>(sleep.Item[0].GetExtension(QuestionnaireResponses.EntryDateUrl)?.Value).Value);
        var awake = sleep.Item[0].Item.Single(i => i.LinkId == "awake").Answer.Single().Value;
        Assert.Equal("min", Assert.IsType<Quantity>(awake).Code);
        Assert.IsType<Time>(sleep.Item[0].Item.Single(i => i.LinkId == "bedtime").Answer.Single().Value);
        var pain = Assert.IsType<QuestionnaireResponse>(FhirJsonDeserializer.STRICT.DeserializeResource(responses.Single(r => r.Worksheet == "pain-rating").Json));
        Assert.IsType<Integer>(pain.Item.Single(i => i.LinkId == "intensity").Answer.Single().Value);
        var wishes = Assert.IsType<QuestionnaireResponse>(FhirJsonDeserializer.STRICT.DeserializeResource(responses.Single(r => r.Worksheet == "aftercare-wishes").Json));
        Assert.All(wishes.Item.Single(i => i.LinkId == "areas").Answer, a => Assert.IsType<Coding>(a.Value));
        var target = Assert.IsType<QuestionnaireResponse>(FhirJsonDeserializer.STRICT.DeserializeResource(responses.Single(r => r.Worksheet == "bulls-eye").Json))
            .Item.Single(i => i.LinkId == "target");
        Assert.All(target.Item, i => Assert.StartsWith("target.", i.LinkId, StringComparison.Ordinal));

        // A multiple choice with nothing selected is an item without an answer, and comes back as such.
        var none = record.RecordAnswer(Program, "aftercare-wishes", "areas", Answer.List());
        var json = QuestionnaireResponses.ToResponses(none, Program).Single(r => r.Worksheet == "aftercare-wishes").Json;
        Assert.Contains("\"linkId\": \"areas\"\n", json, StringComparison.Ordinal);
        Assert.Equal(none, QuestionnaireResponses.FromResponses(none, Program, QuestionnaireResponses.ToResponses(none, Program).Select(r => r.Json)));
    }

    [Fact]
    public void ResponsesThatAreNotThisProgramsAreRefusedOrPassedOver()
    {
        var record = new PatientRecord { ProgramId = Program.Id };
        Assert.Throws<PatientStateException>(() => QuestionnaireResponses.FromResponses(record, Program, ["{\"resourceType\": \"Patient\"}"]));
        Assert.Throws<PatientStateException>(() => QuestionnaireResponses.FromResponses(record, Program, ["not json"]));
        var e = Assert.Throws<PatientStateException>(() => QuestionnaireResponses.FromResponses(record, Program,
            [$"{{\"resourceType\": \"QuestionnaireResponse\", \"status\": \"completed\", \"questionnaire\": \"urn:contentengine:{Program.Id}:questionnaire:nothing|1\"}}"]));
        Assert.Contains("no worksheet 'nothing'", e.Message, StringComparison.Ordinal);
        Assert.Empty(QuestionnaireResponses.FromResponses(record, Program,
            ["{\"resourceType\": \"QuestionnaireResponse\", \"status\": \"completed\", \"questionnaire\": \"http://example.org/Questionnaire/phq9|1\"}"]).Answers);
        Assert.Throws<PatientStateException>(() => QuestionnaireResponses.ToResponses(record with { ProgramId = "other" }, Program));
    }

    /// <summary>Every condition of the sample: the modules' offer_when and the <c>::: if</c> blocks of modules and worksheets.</summary>
    private static IEnumerable<Condition> Conditions() =>
        Program.Modules.Select(m => m.OfferWhen).OfType<Condition>()
            .Concat(Program.Modules.SelectMany(m => m.Content.Values).Concat(Program.Worksheets.SelectMany(w => w.Content.Values))
                .SelectMany(c => c.Blocks.AllDirectives()).Select(d => d.Directive.Condition).OfType<Condition>())
            .DistinctBy(c => c.Source);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void FirelyEvaluatesTheSamplesConditionsOnTheResponsesAsTheRuntimeDoesOnTheState(int variant)
    {
        var conditions = Conditions().ToList();
        Assert.True(conditions.Count >= 10, $"only {conditions.Count} conditions");
        var record = Answered(variant) with { Week = 12, Completed = ["welcome", "values", "maintaining"], Chosen = ["sleep"] };
        var progress = record.ToProgress(Now);
        var state = new PatientState(progress.Week!.Value, progress.Completed, progress.Chosen, progress.Answers);
        var responses = QuestionnaireResponses.ToResponses(record, Program, authored: Now).Select(r => r.Json).ToList();
        var compiler = new Rendering.Fhir.FhirPathCompiler(Program);
        var results = new List<bool>();
        foreach (var c in conditions)
        {
            var expected = Evaluator.IsTrue(c.Tree, state);
            var fhirPath = compiler.Compile(c.Tree);
            Assert.True(expected == Evaluate(fhirPath, responses, state), $"'{c.Source}' as {fhirPath} is not {expected}");
            results.Add(expected);
        }
        Assert.Contains(true, results);
    }

    [Fact]
    public void EveryConditionVectorGivesTheSameResultOnTheConvertedResponses()
    {
        var (graph, vectors) = ConditionVectors.Data.Value;
        var checkedCases = 0;
        foreach (var c in vectors.RootElement.GetProperty("cases").EnumerateArray())
        {
            var source = c.GetProperty("condition").GetString()!;
            var json = c.GetProperty("state");
            var stored = $"{{\"format\": \"contentengine-patient-state\", \"version\": 1, \"program\": \"{graph.Id}\"" +
                (json.TryGetProperty("answers", out var a) ? $", \"answers\": {a.GetRawText()}" : "") + "}";
            PatientRecord record;
            try
            {
                record = PatientRecord.Parse(stored);
            }
            catch (PatientStateException)
            {
                continue; // not a state a platform stores
            }
            var diagnostics = new DiagnosticBag();
            var condition = ConditionCompiler.Compile(source, ScalarPositions.Verbatim(new SourceLocation("vector", 0, 0, 1)), ConditionVectorTests.ScopeOf(graph), diagnostics);
            Assert.NotNull(condition);
            var state = PatientState.FromJson(json);
            var responses = QuestionnaireResponses.ToResponses(record, graph).Select(r => r.Json).ToList();
            var fhirPath = new Rendering.Fhir.FhirPathCompiler(graph).Compile(condition!.Tree);
            Assert.True(c.GetProperty("expected").GetBoolean() == Evaluate(fhirPath, responses, state), $"{c.GetProperty("name").GetString()}: '{source}' as {fhirPath}");
            checkedCases++;
        }
        Assert.True(checkedCases >= 300, $"only {checkedCases} cases");
    }

    /// <summary>The FHIRPath's one Boolean, with the variables a platform supplies: the responses, the week, the completed and chosen modules.</summary>
    private static bool Evaluate(string fhirPath, IEnumerable<string> responses, PatientState state)
    {
        var focus = new Patient { Id = "patient" }.ToPocoNode(ModelInfo.ModelInspector);
        var environment = new Dictionary<string, IEnumerable<PocoNode>>
        {
            [Rendering.Fhir.FhirPathCompiler.ResponsesVariable] = [.. responses.Select(r => FhirJsonDeserializer.STRICT.DeserializeResource(r).ToPocoNode(ModelInfo.ModelInspector))],
            [Rendering.Fhir.FhirPathCompiler.ProgramWeekVariable] = [PocoNode.ForAnyPrimitive(state.Week)],
            [Rendering.Fhir.FhirPathCompiler.CompletedVariable] = [.. state.Completed.Order(StringComparer.Ordinal).Select(PocoNode.ForAnyPrimitive)],
            [Rendering.Fhir.FhirPathCompiler.ChosenVariable] = [.. state.Chosen.Order(StringComparer.Ordinal).Select(PocoNode.ForAnyPrimitive)],
        };
        var context = new EvaluationContext { Environment = environment }.WithResourceOverrides(focus, focus);
        var result = Firely.Compile(fhirPath)([focus], context).ToList();
        var single = Assert.Single(result);
        return Assert.IsType<bool>(Assert.IsType<PrimitiveType>(single.Poco, exactMatch: false).JsonValue);
    }
}

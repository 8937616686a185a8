using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Fhir;
using ContentEngine.Runtime.Conditions;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using Value = ContentEngine.Runtime.Conditions.Value;

namespace ContentEngine.Tests;

/// <summary>
/// The FHIRPath of real programs: every expression the export writes parses with Firely's FHIRPath compiler, and each of
/// the sample's conditions gives, on many patients, what the reference evaluator gives.
/// </summary>
public sealed class FhirPathProgramTests
{
    private static readonly Hl7.FhirPath.FhirPathCompiler Firely = new();

    private static readonly Dictionary<string, CompiledExpression> Compiled = [];

    internal static readonly Dictionary<string, Lazy<ProgramGraph>> Programs = new()
    {
        ["content/iact-chronic-pain"] = new(() => Compile("content", "iact-chronic-pain")),
        ["tests/vectors/program"] = new(() => Compile("tests", "vectors", "program")),
        ["tests/vectors/schedule-program"] = new(() => Compile("tests", "vectors", "schedule-program")),
    };

    private static ProgramGraph Compile(params string[] path)
    {
        var result = ProgramCompiler.Compile(TestPaths.Repo(path));
        return result.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics));
    }

    public static TheoryData<string> ProgramNames() => [.. Programs.Keys];

    [Theory]
    [MemberData(nameof(ProgramNames))]
    public void EveryExpressionOfTheExportParsesWithFirely(string program)
    {
        var graph = Programs[program].Value;
        var expressions = new List<(string Where, Expression Expression)>();
        var plan = FhirExport.ToPlanDefinition(graph);
        foreach (var action in Actions(plan.Action))
            foreach (var condition in action.Condition)
                expressions.Add(($"PlanDefinition action {action.ElementId}", condition.Expression!));
        foreach (var worksheet in graph.Worksheets)
        {
            var q = FhirExport.ToQuestionnaire(graph, worksheet);
            foreach (var item in Items(q.Item))
                foreach (var extension in item.Extension)
                    if (extension.Value is Expression e)
                        expressions.Add(($"Questionnaire {q.Id} item {item.LinkId}", e));
        }
        Assert.NotEmpty(expressions);
        foreach (var (where, e) in expressions)
        {
            Assert.Equal("text/fhirpath", e.Language);
            var exception = Record.Exception(() => Firely.Compile(e.Expression_));
            Assert.True(exception is null, $"{where}: {e.Expression_} does not parse: {exception?.Message}");
        }
        // Every condition of the program is there, with the author's text beside it.
        var conditions = ConditionsOf(graph).ToList();
        var sources = expressions.Select(x => x.Expression.GetExtensionValue<FhirString>(FhirExport.ConditionSourceUrl)?.Value).OfType<string>().ToHashSet();
        var plainSources = Items(graph.Worksheets.SelectMany(w => FhirExport.ToQuestionnaire(graph, w).Item))
            .Select(i => i.GetExtensionValue<FhirString>(FhirExport.ConditionSourceUrl)?.Value).OfType<string>();
        sources.UnionWith(plainSources);
        Assert.All(conditions, c => Assert.Contains(sources, s => s.Contains(c.Condition.Source, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("content/iact-chronic-pain")]
    [InlineData("tests/vectors/schedule-program")]
    public void TheProgramsConditionsAgreeWithTheReferenceEvaluator(string program)
    {
        var graph = Programs[program].Value;
        var conditions = ConditionsOf(graph).ToList();
        Assert.True(conditions.Count >= 2, $"only {conditions.Count} conditions in {program}");
        var random = new Random(1406);
        var results = new HashSet<(string, bool)>();
        for (var n = 0; n < 150; n++)
        {
            var state = RandomPatient(graph, random);
            var onePerEntry = n % 2 == 0;
            var environment = FhirPathVectorTests.Environment(graph, state, onePerEntry);
            var responses = FhirPathVectorTests.Responses(graph, state, onePerEntry);
            foreach (var (condition, worksheet) in conditions)
            {
                var expected = Evaluator.IsTrue(condition.Tree, state);
                results.Add((condition.Source, expected));
                // As the PlanDefinition has it, with the patient as the focus.
                var plan = new Rendering.Fhir.FhirPathCompiler(graph).Compile(condition.Tree);
                var patient = new Patient { Id = "patient" }.ToPocoNode(ModelInfo.ModelInspector);
                Assert.True(expected == Run(plan, patient, environment), $"patient {n}: '{condition.Source}' as {plan} is not {expected}");
                if (worksheet is null) continue;
                // As the worksheet's own Questionnaire has it: its answers are %resource, the response being filled in.
                var own = new Rendering.Fhir.FhirPathCompiler(graph, worksheet.Id).Compile(condition.Tree);
                var response = FhirPathVectorTests.Filling(graph, worksheet.Id, responses);
                Assert.True(expected == Run(own, response.ToPocoNode(ModelInfo.ModelInspector), environment),
                    $"patient {n}: '{condition.Source}' in {worksheet.Id} as {own} is not {expected}");
            }
        }
        // The patients were varied enough that most conditions were both true and false.
        var both = conditions.Count(c => results.Contains((c.Condition.Source, true)) && results.Contains((c.Condition.Source, false)));
        Assert.True(both * 2 >= conditions.Count, $"only {both} of {conditions.Count} conditions were both true and false");
    }

    [Fact]
    public void LiteralsReadBackInFirely()
    {
        var patient = new Patient { Id = "patient" }.ToPocoNode(ModelInfo.ModelInspector);
        object? Value(string fhirPath) =>
            Assert.IsType<PrimitiveType>(Assert.Single(Firely.Compile(fhirPath)([patient], new EvaluationContext())).Poco, exactMatch: false).JsonValue;
        foreach (var text in new[] { "low", "", "it's", @"a\b", "a \"b\"", "line\nbreak\ttab", "smärta ✓" })
            Assert.Equal(text, Value(Rendering.Fhir.FhirPathCompiler.Str(text)));
        foreach (var number in new[] { 0.0, 7, -3, 3.5, -0.25, 0.1, 2.0 / 3, 1e-7, 1e21, 123456789012, 2147483647, 2147483648 })
        {
            var (literal, integer) = Rendering.Fhir.FhirPathCompiler.Number(number);
            Assert.DoesNotContain("E", literal, StringComparison.OrdinalIgnoreCase);
            var value = Value(literal);
            Assert.Equal(integer, value is int);
            Assert.Equal(number, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    internal static bool Run(string fhirPath, PocoNode focus, Dictionary<string, IEnumerable<PocoNode>> environment)
    {
        if (!Compiled.TryGetValue(fhirPath, out var compiled)) Compiled[fhirPath] = compiled = Firely.Compile(fhirPath);
        // %resource is the focus: the response being filled in (what an SDC renderer sets it to).
        var result = compiled([focus], new EvaluationContext { Environment = environment }.WithResourceOverrides(focus, focus)).ToList();
        return Assert.IsType<bool>(Assert.IsType<PrimitiveType>(Assert.Single(result).Poco, exactMatch: false).JsonValue);
    }

    /// <summary>Every condition of the program, with the worksheet whose body holds it (none for a module's).</summary>
    private static IEnumerable<(Model.Condition Condition, Worksheet? Worksheet)> ConditionsOf(ProgramGraph graph)
    {
        static IEnumerable<Model.Condition> In(IEnumerable<ContentBlock> blocks) =>
            blocks.OfType<DirectiveBlock>().SelectMany(d => In(d.Children).Concat(d.Condition is { } c ? [c] : []));
        // A module's ::: if blocks reach FHIR where they place a worksheet; around its text they are the web page's own.
        static bool PlacesWorksheet(DirectiveBlock d) => d.Name == "worksheet" || d.Children.OfType<DirectiveBlock>().Any(PlacesWorksheet);
        static IEnumerable<Model.Condition> AroundWorksheets(IEnumerable<ContentBlock> blocks) =>
            blocks.OfType<DirectiveBlock>().SelectMany(d => AroundWorksheets(d.Children).Concat(d.Condition is { } c && PlacesWorksheet(d) ? [c] : []));
        foreach (var m in graph.Modules)
        {
            if (m.OfferWhen is { } offer) yield return (offer, null);
            if (m.Content.TryGetValue(graph.DefaultLocale, out var content))
                foreach (var c in AroundWorksheets(content.Blocks)) yield return (c, null);
        }
        foreach (var w in graph.Worksheets)
            if (w.Content.TryGetValue(graph.DefaultLocale, out var content))
                foreach (var c in In(content.Blocks)) yield return (c, w);
    }

    private static IEnumerable<PlanDefinition.ActionComponent> Actions(IEnumerable<PlanDefinition.ActionComponent> actions) =>
        actions.SelectMany(a => Actions(a.Action).Prepend(a));

    private static IEnumerable<Questionnaire.ItemComponent> Items(IEnumerable<Questionnaire.ItemComponent> items) =>
        items.SelectMany(i => Items(i.Item).Prepend(i));

    /// <summary>A patient with some worksheets answered (partly), diaries of a few entries, and some modules done and chosen.</summary>
    internal static PatientState RandomPatient(ProgramGraph graph, Random random)
    {
        var answers = new Dictionary<string, WorksheetAnswers>(StringComparer.Ordinal);
        foreach (var w in graph.Worksheets)
        {
            if (random.Next(4) == 0) continue;
            if (w.Kind == WorksheetKind.Diary)
            {
                var entries = Enumerable.Range(0, random.Next(6)).Select(_ => Entry(w, random)).ToList();
                answers[w.Id] = new WorksheetAnswers(entries, isDiary: true, [.. entries.Select((_, i) => (DateOnly?)new DateOnly(2026, 12, 1).AddDays(i))]);
            }
            else
            {
                answers[w.Id] = new WorksheetAnswers([Entry(w, random)], isDiary: false);
            }
        }
        var modules = graph.Modules.Select(m => m.Id).ToList();
        return new PatientState(random.Next(1, 25), modules.Where(_ => random.Next(2) == 0), modules.Where(_ => random.Next(3) == 0), answers);
    }

    private static Dictionary<string, Value> Entry(Worksheet w, Random random)
    {
        var entry = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var f in w.Fields)
        {
            if (random.Next(5) == 0) continue; // unanswered
            var value = RandomValue(f, random);
            if (!value.IsMissing) entry[f.Id] = value;
        }
        return entry;
    }

    private static Value RandomValue(Field f, Random random)
    {
        double Between(double lo, double hi, double step) => lo + step * random.Next((int)Math.Floor((hi - lo) / step) + 1);
        switch (f.Type)
        {
            case FieldType.Scale:
                return Value.Number(Between(f.Min ?? 0, f.Max ?? 10, f.Step ?? 1));
            case FieldType.Number:
                return Value.Number(Between(f.Min ?? 0, f.Max ?? 20, f.Step ?? 0.5));
            case FieldType.Integer:
                return Value.Number(Between(f.Min ?? 0, f.Max ?? 20, 1));
            case FieldType.Duration:
                return Value.Number(Between(f.Min ?? 0, f.Max ?? 120, 5));
            case FieldType.Boolean:
                return Value.Boolean(random.Next(2) == 0);
            case FieldType.Choice:
                Value Option(ChoiceOption o) => o.Number is { } number ? Value.Number(number) : Value.Text(o.Text!);
                return f.Multiple
                    ? Value.Set([.. f.Options.Where(_ => random.Next(2) == 0).Select(Option)])
                    : Option(f.Options[random.Next(f.Options.Length)]);
            case FieldType.Text or FieldType.LongText:
                return Value.Text("Some text");
            default:
                return Value.Missing; // dates, times, tables and Bull's-eyes: no condition reads their values
        }
    }
}

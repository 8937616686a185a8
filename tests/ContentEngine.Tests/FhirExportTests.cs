using System.Text;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Fhir;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Validation;
using F = Hl7.Fhir.Model;
using Item = Hl7.Fhir.Model.Questionnaire.ItemComponent;
using ItemType = Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType;

namespace ContentEngine.Tests;

/// <summary>The FHIR R4 export of the program package: valid resources that say what the graph says, byte for byte the same each time.</summary>
public sealed class FhirExportTests
{
    private static readonly Lazy<CompilationResult> Sample = new(() => ProgramCompiler.Compile(TestPaths.Repo("content", "iact-chronic-pain")));

    private static ProgramGraph Graph => Sample.Value.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(Sample.Value.Diagnostics));

    private static F.Questionnaire Questionnaire(string worksheet) => FhirExport.ToQuestionnaire(Graph, Graph.FindWorksheet(worksheet)!);

    private static Item ItemOf(F.Questionnaire q, string linkId) =>
        Flatten(q.Item).SingleOrDefault(i => i.LinkId == linkId) ?? throw new InvalidOperationException($"{q.Id} has no item {linkId}");

    private static IEnumerable<Item> Flatten(IEnumerable<Item> items) => items.SelectMany(i => Flatten(i.Item).Prepend(i));

    /// <summary>The value of the one extension with this URL.</summary>
    private static F.DataType Ext(F.IExtendable element, string url) =>
        Assert.Single(element.Extension, e => e.Url == url).Value ?? throw new InvalidOperationException($"{url} has no value");

    private static F.Extension? Find(F.IExtendable element, string url) => element.Extension.FirstOrDefault(e => e.Url == url);

    private static IEnumerable<F.PlanDefinition.ActionComponent> AllActions(IEnumerable<F.PlanDefinition.ActionComponent> actions) =>
        actions.SelectMany(a => AllActions(a.Action).Prepend(a));

    [Fact]
    public void EveryFileParsesBackIntoItsResourceType()
    {
        var files = FhirExport.Export(Graph);
        Assert.Equal(Graph.Worksheets.Length + 1 + FhirExport.Extensions.Count, files.Count);
        Assert.Equal(files.Count, files.Select(f => f.Path).Distinct().Count());
        var deserializer = FhirJsonDeserializer.STRICT;
        foreach (var (path, bytes) in files)
        {
            Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), path);
            var json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            Assert.EndsWith("}\n", json);
            Assert.DoesNotContain("\r", json);
            Assert.Contains("\n  \"resourceType\"", json); // pretty-printed
            var resource = deserializer.DeserializeResource(json);
            Assert.Empty(resource.Validate(F.ModelInfo.ModelInspector, NarrativeValidationKind.FhirXhtml, null, true));
            if (path.StartsWith("fhir/Questionnaire-", StringComparison.Ordinal))
            {
                var q = Assert.IsType<F.Questionnaire>(resource);
                Assert.Equal($"fhir/Questionnaire-{q.Id}.json", path);
                Assert.NotNull(Graph.FindWorksheet(q.Id!));
                Assert.Equal($"urn:contentengine:iact-chronic-pain:questionnaire:{q.Id}", q.Url);
                Assert.Equal("1.0.0", q.Version);
                Assert.Equal(F.PublicationStatus.Active, q.Status);
                Assert.Null(q.Meta);
                Assert.Null(q.DateElement);
            }
            else if (path.StartsWith("fhir/StructureDefinition-", StringComparison.Ordinal))
            {
                var sd = Assert.IsType<F.StructureDefinition>(resource);
                Assert.Equal($"fhir/StructureDefinition-{sd.Id}.json", path);
                Assert.StartsWith("urn:contentengine:", sd.Url);
                Assert.Equal("Extension", sd.Type);
                Assert.Null(sd.DateElement);
            }
            else
            {
                Assert.Equal("fhir/PlanDefinition-iact-chronic-pain.json", path);
                var plan = Assert.IsType<F.PlanDefinition>(resource);
                Assert.Equal("iact-chronic-pain", plan.Id);
                Assert.Equal("IactChronicPain", plan.Name);
                Assert.Null(plan.DateElement);
            }
        }
    }

    [Fact]
    public void ExportingTwiceGivesTheSameBytes()
    {
        var first = FhirExport.Export(Graph);
        var again = FhirExport.Export(ProgramCompiler.Compile(TestPaths.Repo("content", "iact-chronic-pain")).Graph!);
        Assert.Equal(first.Select(f => f.Path), again.Select(f => f.Path));
        foreach (var (a, b) in first.Zip(again)) Assert.True(a.Content.AsSpan().SequenceEqual(b.Content), a.Path);
    }

    [Fact]
    public void TitlesAndLabelsCarryTheirTranslations()
    {
        var q = Questionnaire("pain-rating");
        Assert.Equal("sv", q.Language);
        Assert.Equal("Skatta din smärta", q.Title);
        Assert.Equal("PainRating", q.Name);
        var translation = Assert.Single(q.TitleElement!.Extension, e => e.Url == "http://hl7.org/fhir/StructureDefinition/translation");
        Assert.Equal("en", ((F.Code)Ext(translation, "lang")).Value);
        Assert.Equal("Rate your pain", ((F.FhirString)Ext(translation, "content")).Value);
        var intensity = ItemOf(q, "intensity");
        Assert.Contains(intensity.TextElement!.Extension, e => e.Url == "http://hl7.org/fhir/StructureDefinition/translation"
            && ((F.FhirString)Ext(e, "content")).Value!.Contains("pain", StringComparison.Ordinal));
    }

    [Fact]
    public void APainRatingIsASliderWithItsRangeStepAndEndLabels()
    {
        var intensity = ItemOf(Questionnaire("pain-rating"), "intensity");
        Assert.Equal(ItemType.Integer, intensity.Type);
        Assert.True(intensity.Required);
        var control = Assert.IsType<F.CodeableConcept>(Ext(intensity, "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"));
        Assert.Equal(("http://hl7.org/fhir/questionnaire-item-control", "slider"), (control.Coding[0].System, control.Coding[0].Code));
        Assert.Equal(0, Assert.IsType<F.Integer>(Ext(intensity, "http://hl7.org/fhir/StructureDefinition/minValue")).Value);
        Assert.Equal(10, Assert.IsType<F.Integer>(Ext(intensity, "http://hl7.org/fhir/StructureDefinition/maxValue")).Value);
        Assert.Equal(1, Assert.IsType<F.Integer>(Ext(intensity, "http://hl7.org/fhir/StructureDefinition/questionnaire-sliderStepValue")).Value);

        string? ControlOf(Item i) => Find(i, "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl")?.Value is F.CodeableConcept c ? c.Coding[0].Code : null;
        Assert.All(intensity.Item, i => Assert.Equal(ItemType.Display, i.Type));
        Assert.Equal(["lower", "upper", "help"], intensity.Item.Select(ControlOf));
        Assert.Equal("Ingen smärta", intensity.Item.Single(i => ControlOf(i) == "lower").Text);
        var format = Assert.IsType<F.FhirString>(Ext(intensity, "http://hl7.org/fhir/StructureDefinition/entryFormat"));
        Assert.Equal("0 = Ingen smärta … 10 = Värsta tänkbara smärta", format.Value);

        var control06 = ItemOf(Questionnaire("pain-rating"), "control");
        Assert.Null(control06.Required);
        Assert.Equal(6, Assert.IsType<F.Integer>(Ext(control06, "http://hl7.org/fhir/StructureDefinition/maxValue")).Value);
    }

    [Fact]
    public void NumbersAndDurationsKeepTheirLimitsAndUnits()
    {
        var hours = ItemOf(Questionnaire("sleep-diary"), "hours");
        Assert.Equal(ItemType.Decimal, hours.Type);
        Assert.Equal(14m, Assert.IsType<F.FhirDecimal>(Ext(hours, "http://hl7.org/fhir/StructureDefinition/maxValue")).Value);
        Assert.Equal("timmar", Assert.IsType<F.Coding>(Ext(hours, "http://hl7.org/fhir/StructureDefinition/questionnaire-unit")).Display);

        var lowDays = ItemOf(Questionnaire("aftercare-wishes"), "low-days");
        Assert.Equal(ItemType.Integer, lowDays.Type);
        Assert.Equal(7, Assert.IsType<F.Integer>(Ext(lowDays, "http://hl7.org/fhir/StructureDefinition/maxValue")).Value);

        var awake = ItemOf(Questionnaire("sleep-diary"), "awake");
        Assert.Equal(ItemType.Quantity, awake.Type);
        var unit = Assert.IsType<F.Coding>(Ext(awake, "http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption"));
        Assert.Equal(("http://unitsofmeasure.org", "min"), (unit.System, unit.Code));
    }

    [Fact]
    public void ChoicesCarryAnswerOptions()
    {
        var areas = ItemOf(Questionnaire("aftercare-wishes"), "areas");
        Assert.Equal(ItemType.Choice, areas.Type);
        Assert.True(areas.Repeats);
        var codings = areas.AnswerOption.Select(o => Assert.IsType<F.Coding>(o.Value)).ToList();
        Assert.Equal(["sleep", "stress", "relationships", "work", "flare-ups", "mood"], codings.Select(c => c.Code));
        Assert.Equal("Sömn", codings[0].Display);
        Assert.Contains(codings[0].DisplayElement!.Extension, e => ((F.FhirString)Ext(e, "content")).Value == "Sleep");

        var work = ItemOf(Questionnaire("aftercare-wishes"), "work-situation");
        Assert.Null(work.Repeats);
        Assert.Equal(4, work.AnswerOption.Count);

        var leisure = ItemOf(Questionnaire("health-check"), "leisure-exercise");
        var numeric = leisure.AnswerOption.Select(o => (F.Coding)o.Value).ToList();
        Assert.Equal(["0", "30", "60", "90", "150", "300"], numeric.Select(c => c.Code));
        Assert.Equal(30m, ((F.FhirDecimal)Ext(numeric[1], "http://hl7.org/fhir/StructureDefinition/ordinalValue")).Value);
    }

    [Fact]
    public void ADiaryIsARepeatingGroupOfItsFields()
    {
        var q = Questionnaire("exercise-diary");
        var entry = Assert.Single(q.Item, i => i.Type == ItemType.Group);
        Assert.True(entry.Repeats);
        Assert.Equal(7, Assert.IsType<F.Integer>(Ext(entry, "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs")).Value);
        Assert.Equal("daily", Assert.IsType<F.Code>(Ext(entry, FhirExport.DiaryRepeatUrl)).Value);
        Assert.Equal(["activity", "minutes", "pain"], entry.Item.Select(i => i.LinkId));
        Assert.All(q.Item.Where(i => i != entry), i => Assert.Equal(ItemType.Display, i.Type)); // the instructions
        Assert.DoesNotContain(q.Item, i => Graph.FindWorksheet("exercise-diary")!.Fields.Any(f => f.Id == i.LinkId));
    }

    [Fact]
    public void TablesAreRepeatingGroupsWithAColumnEach()
    {
        var plan = ItemOf(Questionnaire("activity-plan"), "plan");
        Assert.Equal(ItemType.Group, plan.Type);
        Assert.True(plan.Repeats);
        Assert.Equal(["plan.date", "plan.time", "plan.duration", "plan.activity", "plan.choice", "plan.done"], plan.Item.Select(i => i.LinkId));
        Assert.Equal([ItemType.Date, ItemType.Time, ItemType.Quantity, ItemType.String, ItemType.Choice, ItemType.Boolean], plan.Item.Select(i => i.Type!.Value));
        Assert.Equal(7, Assert.IsType<F.Integer>(Ext(plan, "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs")).Value);
        var rows = plan.Extension.Where(e => e.Url == FhirExport.RowLabelUrl).Select(e => Assert.IsType<F.FhirString>(e.Value).Value).ToList();
        Assert.Equal("Måndag", rows[0]);
        Assert.Equal(7, rows.Count);

        var records = ItemOf(Questionnaire("thought-record"), "records");
        Assert.True(records.Repeats);
        Assert.Equal(5, Assert.IsType<F.Integer>(Ext(records, "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs")).Value);
        Assert.Equal(ItemType.Display, ItemOf(Questionnaire("thought-record"), "records.situation_help").Type);
    }

    [Fact]
    public void TheBullsEyeIsAGroupWithARingPerArea()
    {
        var target = ItemOf(Questionnaire("bulls-eye"), "target");
        Assert.Equal(ItemType.Group, target.Type);
        var areas = target.Item.Where(i => i.Type != ItemType.Display).ToList();
        Assert.Equal(["target.work", "target.relationships", "target.leisure", "target.health"], areas.Select(i => i.LinkId));
        Assert.All(areas, a =>
        {
            Assert.Equal(ItemType.Integer, a.Type);
            Assert.True(a.Required);
            Assert.Equal(1, ((F.Integer)Ext(a, "http://hl7.org/fhir/StructureDefinition/minValue")).Value);
            Assert.Equal(4, ((F.Integer)Ext(a, "http://hl7.org/fhir/StructureDefinition/maxValue")).Value);
        });
    }

    [Fact]
    public void ScoresAreCalculatedInFhirPath()
    {
        var total = ItemOf(Questionnaire("flexibility"), "total");
        Assert.True(total.ReadOnly);
        var expression = Assert.IsType<F.Expression>(Ext(total, "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"));
        Assert.Equal("text/fhirpath", expression.Language);
        Assert.StartsWith("(%resource.item.where(linkId = 'q1').answer.value + (6 - %resource.item.where(linkId = 'q2').answer.value)", expression.Expression_);
    }

    [Fact]
    public void ThePlanHasAnActionPerPhaseAndPerModule()
    {
        var plan = FhirExport.ToPlanDefinition(Graph);
        Assert.Equal("workflow-definition", plan.Type!.Coding[0].Code);
        Assert.Equal(["phase.treatment", "phase.aftercare"], plan.Action.Select(a => a.ElementId));
        Assert.Equal("Under rehabiliteringen", plan.Action[0].Title);
        var all = AllActions(plan.Action).ToList();
        foreach (var module in Graph.Modules)
        {
            var action = Assert.Single(all, a => a.ElementId == module.Id);
            Assert.Equal(module.Optional ? F.ActionRequiredBehavior.Could : F.ActionRequiredBehavior.Must, action.RequiredBehavior);
            Assert.Equal(module.ProgramWeek, ((F.Integer)Ext(action, FhirExport.ProgramWeekUrl)).Value);
            var phase = plan.Action.Single(p => p.ElementId == $"phase.{module.Phase}");
            Assert.Contains(action, AllActions(phase.Action));
            var start = Assert.Single(action.RelatedAction, r => r.Relationship == F.ActionRelationshipType.AfterStart);
            Assert.Equal((decimal)(module.Week - 1), Assert.IsType<F.Duration>(start.Offset).Value);
            Assert.Equal(module.Requires, action.RelatedAction.Where(r => r.Relationship == F.ActionRelationshipType.AfterEnd).Select(r => r.ActionId));
            // offer_when in FHIRPath, compiled from the condition's tree, with the author's text beside it.
            var offer = action.Condition.SingleOrDefault()?.Expression;
            Assert.Equal(module.OfferWhen is null, offer is null);
            if (module.OfferWhen is { } when)
            {
                Assert.Equal(F.ActionConditionKind.Applicability, action.Condition[0].Kind);
                Assert.Equal(("text/fhirpath", new FhirPathCompiler(Graph).Compile(when.Tree)), (offer!.Language, offer.Expression_));
                Assert.Equal(when.Source, ((F.FhirString)Ext(offer, FhirExport.ConditionSourceUrl)).Value);
            }
        }
        var aftercare = plan.Action[1];
        var pause = Assert.Single(aftercare.RelatedAction);
        Assert.Equal(("phase.treatment", F.ActionRelationshipType.AfterEnd, 4m), (pause.ActionId, pause.Relationship, Assert.IsType<F.Duration>(pause.Offset).Value));
        var timing = Assert.IsType<F.Timing>(aftercare.Timing);
        Assert.Equal((1, 1m, F.Timing.UnitsOfTime.Wk, 11m), (timing.Repeat!.Frequency, timing.Repeat.Period, timing.Repeat.PeriodUnit, Assert.IsType<F.Duration>(timing.Repeat.Bounds).Value));

        var welcome = all.Single(a => a.ElementId == "welcome");
        Assert.Equal(["welcome.pain-rating", "welcome.flexibility", "welcome.health-check"], welcome.Action.Select(a => a.ElementId));
        Assert.Equal("urn:contentengine:iact-chronic-pain:questionnaire:pain-rating|1.0.0", Assert.IsType<F.Canonical>(welcome.Action[0].Definition).Value);
    }

    [Fact]
    public void TheAftercareChoiceIsAGroupWithItsSelectionBehavior()
    {
        var aftercare = FhirExport.ToPlanDefinition(Graph).Action[1];
        var choice = Assert.Single(aftercare.Action, a => a.ElementId == "phase.aftercare.choice");
        Assert.Equal(F.ActionGroupingBehavior.LogicalGroup, choice.GroupingBehavior);
        var optional = Graph.Modules.Where(m => m.Phase == "aftercare" && m.Optional).Select(m => m.Id).ToList();
        Assert.Equal(optional, choice.Action.Select(a => a.ElementId));
        Assert.DoesNotContain(aftercare.Action, a => a != choice && optional.Contains(a.ElementId!));
        // None to six of seven: no selection code says that, so "any" and the rule itself.
        Assert.Equal(7, optional.Count);
        Assert.Equal(F.ActionSelectionBehavior.Any, choice.SelectionBehavior);
        var rule = Find(choice, FhirExport.ChooseUrl)!;
        Assert.Equal((0, 6), (((F.Integer)Ext(rule, "min")).Value, ((F.Integer)Ext(rule, "max")).Value));
        Assert.Null(FhirExport.ToPlanDefinition(Graph).Action[0].Action.SingleOrDefault(a => a.ElementId == "phase.treatment.choice"));
    }

    [Theory]
    [InlineData(1, 1, F.ActionSelectionBehavior.ExactlyOne)]
    [InlineData(1, null, F.ActionSelectionBehavior.OneOrMore)]
    [InlineData(1, 7, F.ActionSelectionBehavior.OneOrMore)]
    [InlineData(0, 1, F.ActionSelectionBehavior.AtMostOne)]
    [InlineData(0, null, F.ActionSelectionBehavior.Any)]
    [InlineData(7, null, F.ActionSelectionBehavior.All)]
    public void ChooseRulesMapToSelectionBehaviors(int min, int? max, F.ActionSelectionBehavior expected)
    {
        var phases = Graph.Phases.Select(p => p.Choose is null ? p : p with { Choose = new ChooseRule(min, max) }).ToArray();
        var plan = FhirExport.ToPlanDefinition(Graph with { Phases = [.. phases] });
        var choice = plan.Action[1].Action.Single(a => a.ElementId == "phase.aftercare.choice");
        Assert.Equal(expected, choice.SelectionBehavior);
        Assert.Null(Find(choice, FhirExport.ChooseUrl));
    }

    // ---- conditions in a worksheet's body ---------------------------------------------------------------

    internal const string ConditionalWorksheet = """
        ---
        title: W
        fields:
          - id: pain
            type: scale
            label: Pain
            min: 0
            max: 10
          - id: mood
            type: choice
            label: Mood
            options: [{value: low, label: Low}, {value: fine, label: Fine}]
          - id: flag
            type: boolean
            label: Flag
          - id: leisure
            type: choice
            label: Leisure
            options: [{value: 0, label: "<30"}, {value: 30, label: "30-60"}, {value: 60, label: ">60"}]
        ---
        Always shown.

        ::: if {when="w.pain >= 7"}
        High pain.
        :::

        ::: if {when="7 > w.pain and w.mood == 'low'"}
        Low mood.
        :::

        ::: if {when="w.pain >= 7 or w.flag"}
        Either.
        :::

        ::: if {when="w.mood != 'low'"}
        Not low.
        :::

        ::: if {when="w.leisure < 60"}
        Little exercise.
        :::

        ::: if {when="week >= 2"}
        Later.
        :::

        ::: if {when="w.pain >= 7 and (w.flag or w.mood == 'low')"}
        Mixed.
        :::
        """;

    [Fact]
    public void ConditionsOnTheSameWorksheetBecomeEnableWhen()
    {
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [en]\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n");
        t.File("worksheets/w.md", ConditionalWorksheet);
        t.File("modules/m.md", "---\ntitle: M\nphase: main\nweek: 1\n---\n::: worksheet {ref=w}\n:::\n");
        var result = ProgramCompiler.Compile(t.Path);
        Assert.True(result.Graph is not null, DiagnosticFormatter.Plain(result.Diagnostics));
        var q = FhirExport.ToQuestionnaire(result.Graph!, result.Graph!.FindWorksheet("w")!);
        var texts = q.Item.Where(i => i.Type == ItemType.Display).ToList();
        Assert.Equal(["Always shown.", "High pain.", "Low mood.", "Either.", "Not low.", "Little exercise.", "Later.", "Mixed."], texts.Select(i => i.Text));
        Assert.Empty(texts[0].EnableWhen);

        static string Show(F.Questionnaire.EnableWhenComponent w) => $"{w.Question} {w.Operator} {w.Answer switch
        {
            F.Integer i => i.Value.ToString(),
            F.FhirBoolean b => b.Value.ToString(),
            F.Coding c => c.Code,
            _ => "?",
        }}";
        Assert.Equal(["pain GreaterOrEqual 7"], texts[1].EnableWhen.Select(Show));
        Assert.Equal(["pain LessThan 7", "mood Equal low"], texts[2].EnableWhen.Select(Show));
        Assert.Equal(F.Questionnaire.EnableWhenBehavior.All, texts[2].EnableBehavior);
        Assert.Equal(["pain GreaterOrEqual 7", "flag Equal True"], texts[3].EnableWhen.Select(Show));
        Assert.Equal(F.Questionnaire.EnableWhenBehavior.Any, texts[3].EnableBehavior);
        Assert.Equal(["mood Exists True", "mood NotEqual low"], texts[4].EnableWhen.Select(Show));
        Assert.Equal(["leisure Equal 0", "leisure Equal 30"], texts[5].EnableWhen.Select(Show));
        Assert.Equal(F.Questionnaire.EnableWhenBehavior.Any, texts[5].EnableBehavior);
        // Each mapped item keeps the author's text; the others carry SDC enableWhenExpression in FHIRPath, the worksheet's own
        // answers read from %resource (the response being filled in).
        Assert.Equal("w.pain >= 7 or w.flag", ((F.FhirString)Ext(texts[3], FhirExport.ConditionSourceUrl)).Value);
        Assert.All(texts.Skip(1).Take(5), t => Assert.Null(Find(t, "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression")));
        foreach (var (item, source, fhirPath) in new[]
        {
            (texts[6], "week >= 2", "(%programWeek >= 2)"),
            (texts[7], "w.pain >= 7 and (w.flag or w.mood == 'low')",
                "iif(((%resource.item.where(linkId = 'pain').answer.value >= 7) and (%resource.item.where(linkId = 'flag').answer.value"
                + " or (%resource.item.where(linkId = 'mood').answer.value.code = 'low'))), true, false)"),
        })
        {
            Assert.Empty(item.EnableWhen);
            var expression = Assert.IsType<F.Expression>(Ext(item, "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"));
            Assert.Equal(("text/fhirpath", fhirPath), (expression.Language, expression.Expression_));
            Assert.Equal(source, ((F.FhirString)Ext(expression, FhirExport.ConditionSourceUrl)).Value);
        }
        // The answer codings match the options the questions offer.
        var mood = ItemOf(q, "mood");
        Assert.Equal(((F.Coding)mood.AnswerOption[0].Value).System, ((F.Coding)texts[2].EnableWhen[1].Answer).System);
        Assert.IsType<F.Questionnaire>(FhirJsonDeserializer.STRICT.DeserializeResource(Encoding.UTF8.GetString(FhirExport.Serialize(q))));
    }

    [Fact]
    public void ScoresAndADiarysEntryHaveTextInEveryLocale()
    {
        var total = ItemOf(Questionnaire("flexibility"), "total");
        Assert.Equal("Din poäng för ”total” i ”Flexibilitet med smärta”", total.Text);
        Assert.Contains(total.TextElement!.Extension, e => e.Url == "http://hl7.org/fhir/StructureDefinition/translation");
        var entry = Questionnaire("sleep-diary").Item.Single(i => i.LinkId == "_entry");
        Assert.Equal("Anteckning", entry.Text);
    }

    [Fact]
    public void AQuestionnaireDeclaresTheVariablesItsExpressionsRead()
    {
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [en]\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n");
        t.File("worksheets/w.md", "---\ntitle: W\nfields:\n  - id: a\n    type: boolean\n    label: A\n---\n::: if {when=\"completed(m) and not chosen(m)\"}\nDone.\n:::\n\n::: if {when=\"answered(o)\"}\nOther.\n:::\n");
        t.File("worksheets/o.md", "---\ntitle: O\nfields:\n  - id: x\n    type: text\n    label: X\n---\n");
        t.File("modules/m.md", "---\ntitle: M\nphase: main\nweek: 1\n---\n::: worksheet {ref=w}\n:::\n\n::: worksheet {ref=o}\n:::\n");
        var result = ProgramCompiler.Compile(t.Path);
        Assert.True(result.Graph is not null, DiagnosticFormatter.Plain(result.Diagnostics));
        string Declared(string ws) => string.Join(" ", FhirExport.ToQuestionnaire(result.Graph!, result.Graph!.FindWorksheet(ws)!).Extension
            .Where(e => e.Url == "http://hl7.org/fhir/StructureDefinition/variable")
            .Select(e => Assert.IsType<F.Expression>(e.Value)).Select(x => $"{x.Name}={x.Expression_}"));
        Assert.Equal("responses={} completed={} chosen={}", Declared("w"));
        Assert.Equal("", Declared("o"));
    }
}

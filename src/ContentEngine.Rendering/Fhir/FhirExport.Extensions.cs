using F = Hl7.Fhir.Model;

namespace ContentEngine.Rendering.Fhir;

/// <summary>An extension's definition: enough to write its FHIR R4 StructureDefinition.</summary>
/// <param name="Url">The extension's URL, and the StructureDefinition's canonical URL.</param>
/// <param name="Id">The StructureDefinition's id; its file is <c>fhir/StructureDefinition-{Id}.json</c>.</param>
/// <param name="Name">A computable name (<c>[A-Z][A-Za-z0-9_]*</c>).</param>
/// <param name="Title">A short text, the element's <c>short</c>.</param>
/// <param name="Description">What it says and where it is: the StructureDefinition's description and the element's definition.</param>
/// <param name="Contexts">The elements (FHIRPath paths, or data types) it may be on.</param>
/// <param name="ValueType">The FHIR type of its value; null for a complex extension of <paramref name="Parts"/>.</param>
/// <param name="Repeats">Whether an element may have it more than once.</param>
/// <param name="Parts">A complex extension's nested extensions: url, value type, whether required.</param>
public sealed record ExtensionDefinition(
    string Url, string Id, string Name, string Title, string Description, IReadOnlyList<string> Contexts, string? ValueType,
    bool Repeats = false, IReadOnlyList<(string Url, string ValueType, bool Required)>? Parts = null);

public static partial class FhirExport
{
    /// <summary>ContentEngine's own extensions, each published as a StructureDefinition in the package's fhir/ folder.</summary>
    public static IReadOnlyList<ExtensionDefinition> Extensions { get; } =
    [
        new(ConditionSourceUrl, "contentengine-condition", "ContentEngineCondition", "The condition as the author wrote it",
            "The condition as the author wrote it in ContentEngine's condition language, for display and logs only. It is on every " +
            "Expression compiled from a condition (a PlanDefinition action's applicability condition, a Questionnaire item's SDC " +
            "enableWhenExpression) and on a Questionnaire item whose enableWhen says a condition. Evaluate the FHIRPath beside it, or the enableWhen.",
            ["Expression", "Questionnaire.item"], "string"),
        new(EntryDateUrl, "contentengine-entry-date", "ContentEngineEntryDate", "The day a diary entry is for",
            "In a patient's QuestionnaireResponse, on a diary's _entry group: the day the entry is for, as the patient dated it " +
            "(the patient's local date). Conditions do not read it.",
            ["QuestionnaireResponse.item"], "date"),
        new(DiaryRepeatUrl, "contentengine-diary-repeat", "ContentEngineDiaryRepeat", "How often a diary is kept: daily | weekly | entry",
            "On a diary's repeating _entry group: daily (one entry a day), weekly (one a week) or entry (any number).",
            ["Questionnaire.item"], "code"),
        new(RowLabelUrl, "contentengine-row-label", "ContentEngineRowLabel", "The label of a table's row",
            "On a table's repeating group, once per labelled row, in order: the row's label (translatable with the translation extension).",
            ["Questionnaire.item"], "string", Repeats: true),
        new(ChooseUrl, "contentengine-choose", "ContentEngineChoose", "How many optional modules a patient picks",
            "On a PlanDefinition choice group whose selectionBehavior cannot say the phase's rule exactly: min and, when there is " +
            "one, max, how many of the optional modules a patient picks.",
            ["PlanDefinition.action"], null, Parts: [("min", "integer", true), ("max", "integer", false)]),
        new(ProgramWeekUrl, "contentengine-program-week", "ContentEngineProgramWeek", "The program week in which it starts",
            "On a PlanDefinition's phase and module actions: the program week in which the phase or module starts, counting from 1.",
            ["PlanDefinition.action"], "integer"),
        new(ReleaseUrl, "contentengine-release", "ContentEngineRelease", "How modules are released: weekly | all",
            "On the PlanDefinition: weekly (each module in its program week) or all (every module from the first week).",
            ["PlanDefinition"], "code"),
        new(GuidanceUrl, "contentengine-guidance", "ContentEngineGuidance", "Whether a therapist gives feedback: guided | self",
            "On the PlanDefinition: guided (a therapist gives feedback) or self (the patient works alone).",
            ["PlanDefinition"], "code"),
    ];

    /// <summary>An extension's definition as a FHIR R4 StructureDefinition (a differential on Extension; no dates, so the same bytes every time).</summary>
    public static F.StructureDefinition ToStructureDefinition(ExtensionDefinition d)
    {
        var sd = new F.StructureDefinition
        {
            Id = d.Id,
            Url = d.Url,
            Name = d.Name,
            Title = d.Title,
            Status = F.PublicationStatus.Active,
            Description = d.Description,
            FhirVersion = F.FHIRVersion.N4_0_1,
            Kind = F.StructureDefinition.StructureDefinitionKind.ComplexType,
            Abstract = false,
            Type = "Extension",
            BaseDefinition = "http://hl7.org/fhir/StructureDefinition/Extension",
            Derivation = F.StructureDefinition.TypeDerivationRule.Constraint,
            Context = [.. d.Contexts.Select(c => new F.StructureDefinition.ContextComponent { Type = F.StructureDefinition.ExtensionContextType.Element, Expression = c })],
        };
        var elements = new List<F.ElementDefinition>
        {
            new() { ElementId = "Extension", Path = "Extension", Short = d.Title, Definition = d.Description, Min = 0, Max = d.Repeats ? "*" : "1" },
        };
        if (d.Parts is { } parts)
        {
            elements.Add(new()
            {
                ElementId = "Extension.extension", Path = "Extension.extension", Min = 1,
                Slicing = new()
                {
                    Discriminator = [new F.ElementDefinition.DiscriminatorComponent { Type = F.ElementDefinition.DiscriminatorType.Value, Path = "url" }],
                    Rules = F.ElementDefinition.SlicingRules.Closed,
                },
            });
            foreach (var (url, type, required) in parts)
            {
                var slice = $"Extension.extension:{url}";
                elements.Add(new() { ElementId = slice, Path = "Extension.extension", SliceName = url, Short = url, Definition = $"{d.Title}: {url}.", Min = required ? 1 : 0, Max = "1" });
                elements.Add(new() { ElementId = $"{slice}.extension", Path = "Extension.extension.extension", Max = "0" });
                elements.Add(new() { ElementId = $"{slice}.url", Path = "Extension.extension.url", Fixed = new F.FhirUri(url) });
                elements.Add(new() { ElementId = $"{slice}.value[x]", Path = "Extension.extension.value[x]", Min = 1, Type = [new() { Code = type }] });
            }
            elements.Add(new() { ElementId = "Extension.url", Path = "Extension.url", Fixed = new F.FhirUri(d.Url) });
            elements.Add(new() { ElementId = "Extension.value[x]", Path = "Extension.value[x]", Max = "0" });
        }
        else
        {
            elements.Add(new() { ElementId = "Extension.extension", Path = "Extension.extension", Max = "0" });
            elements.Add(new() { ElementId = "Extension.url", Path = "Extension.url", Fixed = new F.FhirUri(d.Url) });
            elements.Add(new() { ElementId = "Extension.value[x]", Path = "Extension.value[x]", Min = 1, Type = [new() { Code = d.ValueType }] });
        }
        sd.Differential = new F.StructureDefinition.DifferentialComponent { Element = elements };
        return sd;
    }
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ContentEngine.Model;
using Hl7.Fhir.Serialization;
using F = Hl7.Fhir.Model;

namespace ContentEngine.Rendering.Fhir;

/// <summary>
/// The program as FHIR R4 resources for the program package: one Questionnaire per worksheet and one
/// PlanDefinition for the schedule. The output is deterministic: the same graph gives the same bytes
/// (no dates, no generated ids, every list in the graph's own order).
/// </summary>
/// <remarks>
/// Canonical URLs are URNs built from the program's and the worksheet's ids:
/// <c>urn:contentengine:{program}:questionnaire:{worksheet}</c> and <c>urn:contentengine:{program}:plan</c>.
/// Texts are written in the program's default locale; every other locale travels in the standard
/// <c>translation</c> extension on the same element. Extensions under <c>urn:contentengine:</c> carry what
/// FHIR has no element for; each is described where it is written, and defined by a StructureDefinition the export writes
/// beside the resources (<see cref="Extensions"/>).
/// </remarks>
public static partial class FhirExport
{
    internal const string TranslationUrl = "http://hl7.org/fhir/StructureDefinition/translation";
    internal const string ItemControlUrl = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl";
    internal const string ItemControlSystem = "http://hl7.org/fhir/questionnaire-item-control";
    internal const string MinValueUrl = "http://hl7.org/fhir/StructureDefinition/minValue";
    internal const string MaxValueUrl = "http://hl7.org/fhir/StructureDefinition/maxValue";
    internal const string SliderStepValueUrl = "http://hl7.org/fhir/StructureDefinition/questionnaire-sliderStepValue";
    internal const string UnitUrl = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit";
    internal const string UnitOptionUrl = "http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption";
    internal const string MaxOccursUrl = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs";
    internal const string OrdinalValueUrl = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
    internal const string RenderingMarkdownUrl = "http://hl7.org/fhir/StructureDefinition/rendering-markdown";
    internal const string MinQuantityUrl = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-minQuantity";
    internal const string MaxQuantityUrl = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-maxQuantity";
    internal const string CalculatedExpressionUrl = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression";
    internal const string EnableWhenExpressionUrl = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression";
    internal const string Ucum = "http://unitsofmeasure.org";

    /// <summary>
    /// On every Expression compiled from a condition (a PlanDefinition action's condition, a Questionnaire item's SDC
    /// enableWhenExpression), and on a Questionnaire item whose enableWhen says a condition: the condition as the author wrote
    /// it in ContentEngine's condition language (valueString), for display and logs. Evaluate the FHIRPath beside it, or the
    /// enableWhen; see <see cref="FhirPathCompiler"/>.
    /// </summary>
    public const string ConditionSourceUrl = "urn:contentengine:condition";

    /// <summary>
    /// In a patient's QuestionnaireResponse (not in the export), on a diary's <c>_entry</c> group: the day the entry is for, as
    /// the patient dated it (valueDate, the patient's local date). Conditions do not read it.
    /// </summary>
    public const string EntryDateUrl = "urn:contentengine:entry-date";

    /// <summary>On a diary's repeating group: <c>daily</c>, <c>weekly</c> or <c>entry</c> (valueCode).</summary>
    public const string DiaryRepeatUrl = "urn:contentengine:diary-repeat";

    /// <summary>On a table's repeating group, once per labelled row in order: the row's label (valueString, translatable).</summary>
    public const string RowLabelUrl = "urn:contentengine:row-label";

    /// <summary>
    /// On a choice group of a PlanDefinition whose <c>selectionBehavior</c> cannot say the phase's rule exactly:
    /// nested <c>min</c> and, when there is one, <c>max</c> (valueInteger), how many optional modules a patient picks.
    /// </summary>
    public const string ChooseUrl = "urn:contentengine:choose";

    /// <summary>On phase and module actions: the program week in which it starts, counting from 1 (valueInteger).</summary>
    public const string ProgramWeekUrl = "urn:contentengine:program-week";

    /// <summary>On the PlanDefinition: <c>weekly</c> or <c>all</c>, how modules are released (valueCode).</summary>
    public const string ReleaseUrl = "urn:contentengine:release";

    /// <summary>On the PlanDefinition: <c>guided</c> or <c>self</c>, whether a therapist gives feedback (valueCode).</summary>
    public const string GuidanceUrl = "urn:contentengine:guidance";

    /// <summary>
    /// The FHIR files of the program package: a Questionnaire per worksheet, then the PlanDefinition, then a StructureDefinition
    /// per extension of ContentEngine's own (<see cref="Extensions"/>), so that a validator resolves them.
    /// </summary>
    public static IReadOnlyList<(string Path, byte[] Content)> Export(ProgramGraph graph)
    {
        var files = new List<(string Path, byte[] Content)>(graph.Worksheets.Length + 1 + Extensions.Count);
        foreach (var worksheet in graph.Worksheets)
            files.Add(($"fhir/Questionnaire-{worksheet.Id}.json", Serialize(ToQuestionnaire(graph, worksheet))));
        files.Add(($"fhir/PlanDefinition-{graph.Id}.json", Serialize(ToPlanDefinition(graph))));
        foreach (var extension in Extensions)
            files.Add(($"fhir/StructureDefinition-{extension.Id}.json", Serialize(ToStructureDefinition(extension))));
        return files;
    }

    /// <summary>A resource as pretty-printed FHIR JSON: UTF-8 without a byte-order mark, "\n" line ends, ending in "\n".</summary>
    public static byte[] Serialize(F.Resource resource)
    {
        var json = new FhirJsonSerializer().SerializeToString(resource, pretty: true).Replace("\r\n", "\n").TrimEnd('\n');
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(json + "\n");
    }

    public static string QuestionnaireUrl(ProgramGraph g, string worksheetId) => $"urn:contentengine:{g.Id}:questionnaire:{worksheetId}";

    public static string PlanDefinitionUrl(ProgramGraph g) => $"urn:contentengine:{g.Id}:plan";

    // ---- shared helpers --------------------------------------------------------------------------

    /// <summary>The text in the program's default locale.</summary>
    internal static string Text(ProgramGraph g, LocalizedText text) => text.Get(g.DefaultLocale, g.DefaultLocale);

    /// <summary>Adds a translation extension to <paramref name="element"/> for every other locale the text has, in the program's locale order.</summary>
    internal static void Translate(ProgramGraph g, F.Element? element, LocalizedText? text)
    {
        if (element is null || text is null) return;
        foreach (var locale in g.Locales.Skip(1))
            if (text.Values.TryGetValue(locale, out var value))
                element.Extension.Add(Translation(locale, new F.FhirString(value)));
    }

    internal static F.Extension Translation(string locale, F.FhirString content)
    {
        var extension = new F.Extension { Url = TranslationUrl };
        extension.Extension.Add(new F.Extension("lang", new F.Code(locale)));
        extension.Extension.Add(new F.Extension("content", content));
        return extension;
    }

    /// <summary>A FHIR computable name (<c>[A-Z][A-Za-z0-9_]*</c>) from an id: <c>pain-rating</c> becomes <c>PainRating</c>.</summary>
    internal static string ComputableName(string id, string prefix)
    {
        var sb = new StringBuilder();
        foreach (var part in id.Split('-', StringSplitOptions.RemoveEmptyEntries))
            sb.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
        var name = sb.ToString();
        return name.Length > 0 && char.IsAsciiLetterUpper(name[0]) ? name : prefix + name;
    }

    internal static F.Extension ItemControl(string code) =>
        new(ItemControlUrl, new F.CodeableConcept { Coding = [new F.Coding(ItemControlSystem, code)] });

    internal static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal static decimal Dec(double value) => (decimal)value;

    internal static bool IsWhole(double value) => Math.Abs(value) <= int.MaxValue && value == Math.Floor(value);

    internal static F.Quantity Minutes(double value) => new() { Value = Dec(value), Unit = "min", System = Ucum, Code = "min" };

    internal static F.Duration Weeks(int value) => new() { Value = value, Unit = "wk", System = Ucum, Code = "wk" };

    /// <summary>
    /// Conditions that must all hold as one FHIRPath Expression (see <see cref="FhirPathCompiler"/>), with the author's text in
    /// <see cref="ConditionSourceUrl"/>. In a Questionnaire's own expressions, <paramref name="currentWorksheet"/> is read from
    /// <c>%resource</c>.
    /// </summary>
    internal static F.Expression ConditionExpression(ProgramGraph g, IReadOnlyList<Model.Condition> conditions, string? currentWorksheet = null)
    {
        var expression = new F.Expression
        {
            Language = FhirPathCompiler.Language,
            Expression_ = new FhirPathCompiler(g, currentWorksheet).CompileAll([.. conditions.Select(c => c.Tree)]),
        };
        expression.Extension.Add(new F.Extension(ConditionSourceUrl, new F.FhirString(ConditionSource(conditions))));
        return expression;
    }

    /// <summary>The author's text of conditions that must all hold: one alone as written, several each in parentheses.</summary>
    internal static string ConditionSource(IReadOnlyList<Model.Condition> conditions) =>
        conditions.Count == 1 ? conditions[0].Source : string.Join(" and ", conditions.Select(c => $"({c.Source})"));

    /// <summary>
    /// The places a body puts worksheets (<c>::: worksheet {ref=…}</c>), each with the <c>::: if</c> conditions around it,
    /// outermost first; a worksheet placed twice under the same conditions is listed once.
    /// </summary>
    internal static List<(string Worksheet, ImmutableArray<Model.Condition> Conditions)> Placements(IEnumerable<ContentBlock> blocks)
    {
        var result = new List<(string, ImmutableArray<Model.Condition>)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Walk(IEnumerable<ContentBlock> items, ImmutableArray<Model.Condition> conditions)
        {
            foreach (var d in items.Directives())
            {
                if (d.Name == "worksheet" && d.Attributes.TryGetValue("ref", out var reference)
                    && seen.Add(reference + "\n" + string.Join("\n", conditions.Select(c => c.Source))))
                    result.Add((reference, conditions));
                Walk(d.Children, d.Name == "if" && d.Condition is { } c ? conditions.Add(c) : conditions);
            }
        }
        Walk(blocks, []);
        return result;
    }
}

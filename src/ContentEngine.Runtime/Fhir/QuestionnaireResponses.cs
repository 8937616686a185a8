using System.Globalization;
using System.Text.Json;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Runtime.Patients;

namespace ContentEngine.Runtime.Fhir;

/// <summary>One worksheet's answers as a FHIR R4 QuestionnaireResponse, as JSON text.</summary>
public sealed record WorksheetResponse(string Worksheet, string Json);

/// <summary>
/// A patient's answers as FHIR R4 QuestionnaireResponses and back, by the mapping of docs/package-format.md, section 7
/// ("The patient's answers as QuestionnaireResponses"): one response per answered worksheet, whose <c>questionnaire</c> is
/// the worksheet's Questionnaire (<c>urn:contentengine:&lt;program&gt;:questionnaire:&lt;worksheet&gt;|&lt;version&gt;</c>);
/// an item per answered field, typed as the Questionnaire asks; a diary's entries as <c>_entry</c> groups dated with the
/// extension <c>urn:contentengine:entry-date</c>. The responses are what FHIRPath conditions read as <c>%responses</c>.
/// </summary>
/// <remarks>
/// Answers to worksheets or fields the program does not have, answers set aside (<c>keptAside</c>) and keys of a diary
/// entry other than its date have no place in a Questionnaire and are not written. Reading refuses, with a
/// <see cref="PatientStateException"/> (<see cref="PatientStateError.Invalid"/>), a response that is not one or does not
/// fit the program's worksheets.
/// </remarks>
public static partial class QuestionnaireResponses
{
    /// <summary>The <c>linkId</c> of a diary entry's group.</summary>
    public const string EntryLinkId = "_entry";

    /// <summary>The extension on an entry's group that holds its date (valueDate).</summary>
    public const string EntryDateUrl = "urn:contentengine:entry-date";

    private const string Ucum = "http://unitsofmeasure.org";

    /// <summary>The canonical URL of a worksheet's Questionnaire, without its version.</summary>
    public static string QuestionnaireUrl(ProgramGraph program, string worksheet)
    {
        ArgumentNullException.ThrowIfNull(program);
        return $"urn:contentengine:{program.Id}:questionnaire:{worksheet}";
    }

    /// <summary>
    /// The patient's answers as one QuestionnaireResponse per answered worksheet of <paramref name="program"/>, in the
    /// order of <see cref="PatientRecord.Answers"/>; status <c>completed</c>.
    /// </summary>
    /// <param name="record">The patient's state; a state of another program throws <see cref="PatientStateException"/>.</param>
    /// <param name="program">The program the state belongs to.</param>
    /// <param name="subject">A reference to the patient, such as <c>Patient/123</c>, written as the response's <c>subject</c>; none when null.</param>
    /// <param name="authored">When the answers were given, written as <c>authored</c>; none when null.</param>
    public static IReadOnlyList<WorksheetResponse> ToResponses(PatientRecord record, ProgramGraph program, string? subject = null, DateTimeOffset? authored = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(program);
        if (record.ProgramId != program.Id)
            throw new PatientStateException(PatientStateError.OtherProgram,
                $"the patient state is for the program '{record.ProgramId}', not '{program.Id}': convert it with the program it belongs to");
        var result = new List<WorksheetResponse>();
        foreach (var (id, answers) in record.Answers)
        {
            if (program.FindWorksheet(id) is not { } sheet || answers.IsDiary != (sheet.Kind == WorksheetKind.Diary)) continue;
            result.Add(new(id, Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("resourceType", "QuestionnaireResponse");
                w.WriteString("questionnaire", $"{QuestionnaireUrl(program, id)}|{program.Version}");
                w.WriteString("status", "completed");
                if (subject is not null)
                {
                    w.WriteStartObject("subject");
                    w.WriteString("reference", subject);
                    w.WriteEndObject();
                }
                if (authored is { } at) w.WriteString("authored", at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                var entries = answers.Entries;
                if (entries.Sum(e => sheet.Kind == WorksheetKind.Diary ? 1 : Answered(sheet, e).Count()) > 0)
                {
                    w.WriteStartArray("item");
                    if (sheet.Kind != WorksheetKind.Diary)
                        Items(w, program, sheet, entries[0]);
                    else
                        foreach (var entry in entries)
                        {
                            w.WriteStartObject();
                            w.WriteString("linkId", EntryLinkId);
                            if (entry.Date is { } date)
                            {
                                w.WriteStartArray("extension");
                                w.WriteStartObject();
                                w.WriteString("url", EntryDateUrl);
                                w.WriteString("valueDate", Day(date));
                                w.WriteEndObject();
                                w.WriteEndArray();
                            }
                            if (Answered(sheet, entry).Any())
                            {
                                w.WriteStartArray("item");
                                Items(w, program, sheet, entry);
                                w.WriteEndArray();
                            }
                            w.WriteEndObject();
                        }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            })));
        }
        return result;
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IEnumerable<(Field Field, Answer Value)> Answered(Worksheet sheet, AnswerEntry entry)
    {
        var values = entry.Values;
        foreach (var f in sheet.Fields)
            if (values.TryGetValue(f.Id, out var v)) yield return (f, v);
    }

    private static void Items(Utf8JsonWriter w, ProgramGraph program, Worksheet sheet, AnswerEntry entry)
    {
        foreach (var (field, value) in Answered(sheet, entry))
        {
            if (field.Type == FieldType.Table)
            {
                foreach (var row in value.Items)
                    Group(w, field.Id, row.Properties.Where(c => c.Value.Kind != AnswerKind.Null)
                        .Select(c => (field.Columns.FirstOrDefault(x => x.Id == c.Key), c.Value)).Where(c => c.Item1 is not null)
                        .Select(c => (c.Item1!, c.Value, $"{field.Id}.{c.Item1!.Id}")), program, sheet);
                continue;
            }
            if (field.Type == FieldType.Target)
            {
                Group(w, field.Id, value.Properties.Where(a => a.Value.AsNumber is not null && field.Areas.Any(x => x.Id == a.Key))
                    .Select(a => (field, a.Value, $"{field.Id}.{a.Key}")), program, sheet);
                continue;
            }
            Item(w, program, sheet, field, value, field.Id);
        }
    }

    private static void Group(Utf8JsonWriter w, string linkId, IEnumerable<(Field Field, Answer Value, string LinkId)> children, ProgramGraph program, Worksheet sheet)
    {
        var list = children.ToList();
        w.WriteStartObject();
        w.WriteString("linkId", linkId);
        if (list.Count > 0)
        {
            w.WriteStartArray("item");
            foreach (var (f, v, id) in list) Item(w, program, sheet, f, v, id);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void Item(Utf8JsonWriter w, ProgramGraph program, Worksheet sheet, Field field, Answer value, string linkId)
    {
        w.WriteStartObject();
        w.WriteString("linkId", linkId);
        var values = field.Type == FieldType.Choice && value.Kind == AnswerKind.List ? value.Items : [value];
        // A multiple choice with nothing selected is answered: an item without an answer.
        if (values.Count > 0)
        {
            w.WriteStartArray("answer");
            foreach (var v in values)
            {
                w.WriteStartObject();
                Value(w, program, sheet, field, v, linkId);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    /// <summary>Whether a field's numbers are FHIR Integers: an integer, a target's ring, a scale whose min, max and step are whole.</summary>
    private static bool IsInteger(Field f) => f.Type is FieldType.Integer or FieldType.Target
        || (f.Type == FieldType.Scale && new[] { f.Min ?? 0, f.Max ?? 10, f.Step ?? 1 }.All(v => v == Math.Floor(v)));

    private static void Value(Utf8JsonWriter w, ProgramGraph program, Worksheet sheet, Field field, Answer value, string linkId)
    {
        switch (field.Type)
        {
            case FieldType.Choice:
                var code = value.AsNumber is { } n ? n.ToString("R", CultureInfo.InvariantCulture) : value.AsText ?? value.ToString();
                w.WriteStartObject("valueCoding");
                w.WriteString("system", $"{QuestionnaireUrl(program, sheet.Id)}:{linkId}");
                w.WriteString("code", code);
                if (field.Options.FirstOrDefault(o => o.ValueText == code) is { } option) w.WriteString("display", program.Text(option.Label));
                w.WriteEndObject();
                return;
            case FieldType.Duration when value.Kind == AnswerKind.Number:
                w.WriteStartObject("valueQuantity");
                w.WritePropertyName("value");
                value.Json.WriteTo(w);
                w.WriteString("unit", "min");
                w.WriteString("system", Ucum);
                w.WriteString("code", "min");
                w.WriteEndObject();
                return;
            case FieldType.Date:
                w.WriteString("valueDate", value.AsText);
                return;
            case FieldType.Time:
                // FHIR's time has seconds.
                w.WriteString("valueTime", value.AsText is { Length: 5 } hm ? hm + ":00" : value.AsText);
                return;
        }
        switch (value.Kind)
        {
            case AnswerKind.Boolean: w.WriteBoolean("valueBoolean", value.AsBoolean!.Value); return;
            case AnswerKind.Text: w.WriteString("valueString", value.AsText); return;
            case AnswerKind.Number when IsInteger(field) && value.AsNumber is { } i && i == Math.Floor(i) && Math.Abs(i) <= int.MaxValue:
                w.WriteNumber("valueInteger", (int)i);
                return;
            case AnswerKind.Number:
                w.WritePropertyName("valueDecimal");
                value.Json.WriteTo(w);
                return;
            default:
                w.WriteString("valueString", value.ToString());
                return;
        }
    }

    private static string Write(Action<Utf8JsonWriter> write) => JsonText.Write(write);
}

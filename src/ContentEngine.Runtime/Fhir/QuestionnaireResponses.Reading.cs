using System.Text.Json;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Runtime.Patients;

namespace ContentEngine.Runtime.Fhir;

public static partial class QuestionnaireResponses
{
    /// <summary>
    /// <paramref name="record"/> with its answers read from the patient's QuestionnaireResponses (JSON texts, oldest first):
    /// a form's or questionnaire's answers are its <em>last</em> response; a diary's entries are the <c>_entry</c> groups of
    /// all its responses, in order. Responses to Questionnaires of other programs are passed over; worksheets without a
    /// response keep no answers. Everything else of the record (start, modules, time zone) is kept.
    /// </summary>
    public static PatientRecord FromResponses(PatientRecord record, ProgramGraph program, IEnumerable<string> responses)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(responses);
        if (record.ProgramId != program.Id)
            throw new PatientStateException(PatientStateError.OtherProgram,
                $"the patient state is for the program '{record.ProgramId}', not '{program.Id}': convert it with the program it belongs to");
        var forms = new Dictionary<string, AnswerEntry>(StringComparer.Ordinal);
        var diaries = new Dictionary<string, List<AnswerEntry>>(StringComparer.Ordinal);
        var order = new List<string>();
        var prefix = $"urn:contentengine:{program.Id}:questionnaire:";
        var n = 0;
        foreach (var text in responses)
        {
            var at = $"response {n++}";
            using var document = Parse(text, at);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("resourceType", out var type) || !type.ValueEquals("QuestionnaireResponse"))
                throw Invalid($"{at} is not a QuestionnaireResponse (its resourceType must be \"QuestionnaireResponse\")");
            if (!root.TryGetProperty("questionnaire", out var q) || q.ValueKind != JsonValueKind.String)
                throw Invalid($"{at} names no questionnaire: give the worksheet's Questionnaire URL followed by |version");
            var url = q.GetString()!;
            if (!url.StartsWith(prefix, StringComparison.Ordinal)) continue; // another program's
            var bar = url.IndexOf('|', prefix.Length);
            if (bar < 0) throw Invalid($"{at}: the questionnaire '{url}' has no |version after the worksheet's URL");
            var id = url[prefix.Length..bar];
            var sheet = program.FindWorksheet(id) ?? throw Invalid($"{at}: the program has no worksheet '{id}'");
            var items = Items(root);
            if (!order.Contains(id)) order.Add(id);
            if (sheet.Kind != WorksheetKind.Diary)
            {
                forms[id] = Entry(program, sheet, null, items, $"{at} ({id})");
                continue;
            }
            var list = diaries.TryGetValue(id, out var l) ? l : diaries[id] = [];
            foreach (var (group, i) in items.Select((g, i) => (g, i)))
            {
                if (LinkId(group) != EntryLinkId)
                    throw Invalid($"{at} ({id}): a diary's items are its \"{EntryLinkId}\" groups, one per entry, not '{LinkId(group)}'");
                list.Add(Entry(program, sheet, EntryDate(group, $"{at} ({id}) entry {i}"), Items(group), $"{at} ({id}) entry {i}"));
            }
        }
        var answers = new OrderedDictionary<string, RecordedWorksheet>(StringComparer.Ordinal);
        foreach (var id in order)
            answers[id] = diaries.TryGetValue(id, out var entries) ? RecordedWorksheet.Diary(entries) : RecordedWorksheet.Of(forms[id].Json);
        return record with { Answers = answers };
    }

    private static PatientStateException Invalid(string message) => new(PatientStateError.Invalid, message);

    private static JsonDocument Parse(string text, string at)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new PatientStateException(PatientStateError.Invalid, $"{at} is not JSON ({e.Message}): give a QuestionnaireResponse as JSON", e);
        }
    }

    private static List<JsonElement> Items(JsonElement e) =>
        e.TryGetProperty("item", out var items) && items.ValueKind == JsonValueKind.Array ? [.. items.EnumerateArray()] : [];

    private static string? LinkId(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("linkId", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;

    private static List<JsonElement> Answers(JsonElement item) =>
        item.TryGetProperty("answer", out var a) && a.ValueKind == JsonValueKind.Array ? [.. a.EnumerateArray()] : [];

    private static DateOnly? EntryDate(JsonElement group, string at)
    {
        if (!group.TryGetProperty("extension", out var ext) || ext.ValueKind != JsonValueKind.Array) return null;
        foreach (var x in ext.EnumerateArray())
            if (x.ValueKind == JsonValueKind.Object && x.TryGetProperty("url", out var u) && u.ValueEquals(EntryDateUrl))
                return x.TryGetProperty("valueDate", out var d) && d.ValueKind == JsonValueKind.String && PatientState.ParseDate(d.GetString()) is { } date
                    ? date : throw Invalid($"{at}: the entry's date ({EntryDateUrl}) must be a valueDate written yyyy-MM-dd");
        return null;
    }

    private static AnswerEntry Entry(ProgramGraph program, Worksheet sheet, DateOnly? date, List<JsonElement> items, string at)
    {
        var values = new List<KeyValuePair<string, Answer>>();
        foreach (var field in sheet.Fields)
        {
            var mine = items.Where(i => LinkId(i) == field.Id).ToList();
            if (mine.Count == 0) continue;
            Answer? value = field.Type switch
            {
                FieldType.Table => Answer.List(mine.Select(row => Answer.Object(field.Columns
                    .Select(c => (c, Items(row).FirstOrDefault(x => LinkId(x) == $"{field.Id}.{c.Id}")))
                    .Where(c => c.Item2.ValueKind == JsonValueKind.Object && Answers(c.Item2).Count > 0)
                    .Select(c => KeyValuePair.Create(c.c.Id, Scalar(c.c, Answers(c.Item2)[0], $"{at}: {field.Id}.{c.c.Id}")))))),
                FieldType.Target => Answer.Object(field.Areas
                    .Select(a => (a, Items(mine[^1]).FirstOrDefault(x => LinkId(x) == $"{field.Id}.{a.Id}")))
                    .Where(a => a.Item2.ValueKind == JsonValueKind.Object && Answers(a.Item2).Count > 0)
                    .Select(a => KeyValuePair.Create(a.a.Id, Scalar(field, Answers(a.Item2)[0], $"{at}: {field.Id}.{a.a.Id}")))),
                FieldType.Choice when field.Multiple => Answer.List(Answers(mine[^1]).Select(a => Scalar(field, a, $"{at}: {field.Id}"))),
                _ => Answers(mine[^1]) is { Count: > 0 } answers ? Scalar(field, answers[0], $"{at}: {field.Id}") : null,
            };
            if (value is not null) values.Add(KeyValuePair.Create(field.Id, value));
        }
        return new AnswerEntry(date, values);
    }

    /// <summary>One answer's value as the state stores it: the number, text or boolean of its <c>value[x]</c>.</summary>
    private static Answer Scalar(Field field, JsonElement answer, string at)
    {
        foreach (var p in answer.EnumerateObject())
        {
            switch (p.Name)
            {
                case "valueInteger" or "valueDecimal" when p.Value.ValueKind == JsonValueKind.Number:
                    return Answer.Of(p.Value.Clone());
                case "valueQuantity" when p.Value.TryGetProperty("value", out var q) && q.ValueKind == JsonValueKind.Number:
                    return Answer.Of(q.Clone());
                case "valueBoolean" when p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    return Answer.Boolean(p.Value.GetBoolean());
                case "valueString" or "valueDate" when p.Value.ValueKind == JsonValueKind.String:
                    return Answer.Text(p.Value.GetString()!);
                case "valueTime" when p.Value.ValueKind == JsonValueKind.String:
                    var t = p.Value.GetString()!;
                    return Answer.Text(t.Length == 8 && t.EndsWith(":00", StringComparison.Ordinal) ? t[..5] : t);
                case "valueCoding" when p.Value.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String:
                    var code = c.GetString()!;
                    if (!field.HasNumericOptions) return Answer.Text(code);
                    return field.Options.FirstOrDefault(o => o.ValueText == code)?.Number is { } number
                        ? Answer.Number(number) : throw Invalid($"{at} has no option '{code}'");
            }
        }
        throw Invalid($"{at}: the answer has no value this library reads (valueInteger, valueDecimal, valueQuantity, valueBoolean, valueString, valueDate, valueTime or valueCoding)");
    }
}

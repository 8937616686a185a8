using System.Text.Json;

namespace ContentEngine.Runtime.Conditions;

/// <summary>One worksheet's answers: a form has one entry, a diary one per entry, oldest first.</summary>
public sealed class WorksheetAnswers
{
    /// <summary>
    /// The key of a diary entry's date in the stored form (<c>{"_date": "2026-12-06", "hours": 7}</c>). Keys that
    /// begin with an underscore are the entry's own, not answers: no field id can begin with one.
    /// </summary>
    public const string DateKey = "_date";

    public WorksheetAnswers(IReadOnlyList<IReadOnlyDictionary<string, Value>> entries, bool isDiary)
        : this(entries, isDiary, null) { }

    /// <param name="entries">The entries: a form's one, a diary's in order, oldest first.</param>
    /// <param name="isDiary">Whether the worksheet is a diary.</param>
    /// <param name="dates">The date of each entry (null for an entry without one); none when not given.</param>
    public WorksheetAnswers(IReadOnlyList<IReadOnlyDictionary<string, Value>> entries, bool isDiary, IReadOnlyList<DateOnly?>? dates)
    {
        Entries = entries;
        IsDiary = isDiary;
        if (dates is not null && dates.Count != entries.Count)
            throw new ArgumentException($"{dates.Count} dates for {entries.Count} entries: give one per entry (null for none).", nameof(dates));
        Dates = dates ?? [.. entries.Select(_ => (DateOnly?)null)];
    }

    public IReadOnlyList<IReadOnlyDictionary<string, Value>> Entries { get; }
    public bool IsDiary { get; }

    /// <summary>The day each entry is for, as the patient dated it, in the order of <see cref="Entries"/>; null for an
    /// entry without a date (answers stored before entries were dated).</summary>
    public IReadOnlyList<DateOnly?> Dates { get; }

    public Value Get(string field) =>
        !IsDiary && Entries.Count > 0 && Entries[0].TryGetValue(field, out var v) ? v : Value.Missing;
}

/// <summary>What is known of a patient when a condition is evaluated.</summary>
public sealed class PatientState
{
    public PatientState(int week, IEnumerable<string> completed, IEnumerable<string> chosen, IReadOnlyDictionary<string, WorksheetAnswers> answers)
    {
        Week = week;
        Completed = new HashSet<string>(completed, StringComparer.Ordinal);
        Chosen = new HashSet<string>(chosen, StringComparer.Ordinal);
        Answers = answers;
    }

    public static PatientState Empty { get; } = new(1, [], [], new Dictionary<string, WorksheetAnswers>());

    public int Week { get; }
    public IReadOnlySet<string> Completed { get; }
    public IReadOnlySet<string> Chosen { get; }
    public IReadOnlyDictionary<string, WorksheetAnswers> Answers { get; }

    /// <summary>Reads the JSON state shape of <see cref="FromJson"/> from its text; text that is not JSON throws <see cref="Patients.PatientStateException"/>.</summary>
    public static PatientState Parse(string json)
    {
        using var document = Patients.PatientRecord.ParseDocument(json);
        return FromJson(document.RootElement);
    }

    /// <summary>
    /// Reads the JSON state shape: <c>{"week": 3, "completed": [...], "chosen": [...], "answers": {ws: {field: value} | [{field: value}, ...]}}</c>.
    /// A field that is absent or null has not been answered. A diary entry may hold its date as
    /// <c>"_date": "yyyy-MM-dd"</c> (<see cref="WorksheetAnswers.DateKey"/>); keys that begin with an underscore are not answers.
    /// </summary>
    internal static PatientState FromJson(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) return Empty;
        var week = json.TryGetProperty("week", out var w) && w.ValueKind == JsonValueKind.Number
            && w.GetDouble() is var d && double.IsFinite(d) && d >= 1 ? (int)Math.Min(Math.Floor(d), int.MaxValue) : 1;
        var completed = ReadStrings(json, "completed");
        var chosen = ReadStrings(json, "chosen");
        var answers = new Dictionary<string, WorksheetAnswers>(StringComparer.Ordinal);
        if (json.TryGetProperty("answers", out var a) && a.ValueKind == JsonValueKind.Object)
        {
            foreach (var ws in a.EnumerateObject())
                answers[ws.Name] = ReadWorksheet(ws.Value);
        }
        return new PatientState(week, completed, chosen, answers);
    }

    /// <summary>One worksheet's stored answers: an object for a form, a list of entries for a diary.</summary>
    internal static WorksheetAnswers ReadWorksheet(JsonElement stored) => stored.ValueKind switch
    {
        JsonValueKind.Array => Diary([.. stored.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)]),
        JsonValueKind.Object => new WorksheetAnswers([ReadEntry(stored)], isDiary: false),
        _ => new WorksheetAnswers([], isDiary: false),
    };

    private static List<string> ReadStrings(JsonElement json, string name) =>
        json.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];

    private static WorksheetAnswers Diary(List<JsonElement> entries) =>
        new([.. entries.Select(ReadEntry)], isDiary: true, [.. entries.Select(ReadDate)]);

    /// <summary>An entry's <c>_date</c> when it is a real calendar day written <c>yyyy-MM-dd</c>; else none.</summary>
    private static DateOnly? ReadDate(JsonElement entry) =>
        entry.TryGetProperty(WorksheetAnswers.DateKey, out var d) && d.ValueKind == JsonValueKind.String ? ParseDate(d.GetString()) : null;

    /// <summary>A real calendar day written <c>yyyy-MM-dd</c>, the one form dates take in a stored state; else none.</summary>
    internal static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var date) ? date : null;

    private static Dictionary<string, Value> ReadEntry(JsonElement entry)
    {
        var result = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var p in entry.EnumerateObject())
        {
            if (p.Name.StartsWith('_')) continue; // the entry's own keys, such as its date: never an answer
            var v = ReadValue(p.Value);
            if (!v.IsMissing) result[p.Name] = v;
        }
        return result;
    }

    private static Value ReadValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => Value.Number(e.GetDouble()),
        JsonValueKind.String => Value.Text(e.GetString()!),
        JsonValueKind.True => Value.True,
        JsonValueKind.False => Value.False,
        JsonValueKind.Array => Value.Set([.. e.EnumerateArray().Select(ReadValue).Where(v => !v.IsMissing)]),
        JsonValueKind.Object => Value.Opaque,
        _ => Value.Missing,
    };
}

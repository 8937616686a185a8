using System.Text.Json;

namespace ContentEngine.Runtime.Conditions;

/// <summary>One worksheet's answers: a form has one entry, a diary one per entry, oldest first.</summary>
public sealed class WorksheetAnswers
{
    public WorksheetAnswers(IReadOnlyList<IReadOnlyDictionary<string, Value>> entries, bool isDiary)
    {
        Entries = entries;
        IsDiary = isDiary;
    }

    public IReadOnlyList<IReadOnlyDictionary<string, Value>> Entries { get; }
    public bool IsDiary { get; }

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

    /// <summary>
    /// Reads the JSON state shape: <c>{"week": 3, "completed": [...], "chosen": [...], "answers": {ws: {field: value} | [{field: value}, ...]}}</c>.
    /// A field that is absent or null has not been answered.
    /// </summary>
    public static PatientState FromJson(JsonElement json)
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
            {
                answers[ws.Name] = ws.Value.ValueKind switch
                {
                    JsonValueKind.Array => new WorksheetAnswers([.. ws.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(ReadEntry)], isDiary: true),
                    JsonValueKind.Object => new WorksheetAnswers([ReadEntry(ws.Value)], isDiary: false),
                    _ => new WorksheetAnswers([], isDiary: false),
                };
            }
        }
        return new PatientState(week, completed, chosen, answers);
    }

    private static List<string> ReadStrings(JsonElement json, string name) =>
        json.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];

    private static Dictionary<string, Value> ReadEntry(JsonElement entry)
    {
        var result = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var p in entry.EnumerateObject())
        {
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

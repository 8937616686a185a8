using System.Globalization;
using System.Text.Json;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Runtime.Patients;

/// <summary>
/// One entry of a worksheet's answers: a form's or questionnaire's one set of answers, or one diary entry with the day it
/// is for. <see cref="Values"/> holds the answered fields by id (a field stored as <c>null</c> is not answered and not listed).
/// </summary>
public sealed class AnswerEntry : IEquatable<AnswerEntry>
{
    private AnswerEntry(JsonElement json) => Json = json;

    /// <summary>An entry of the given answers (a <see cref="Answer.Null"/> is left out), dated when <paramref name="date"/> is given.</summary>
    public AnswerEntry(DateOnly? date, IEnumerable<KeyValuePair<string, Answer>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var properties = new List<(string, JsonElement)>();
        if (date is { } d) properties.Add((WorksheetAnswers.DateKey, Answer.Date(d).Json));
        foreach (var (id, value) in values)
        {
            ArgumentNullException.ThrowIfNull(value);
            if (id.StartsWith('_')) throw new ArgumentException($"'{id}' is not a field id: keys that begin with an underscore belong to the entry", nameof(values));
            if (value.Kind != AnswerKind.Null) properties.Add((id, value.Json));
        }
        Json = StoredJson.Object(properties);
    }

    internal JsonElement Json { get; }

    internal static AnswerEntry Of(JsonElement json) => new(json);

    /// <summary>The day the entry is for (a diary's <c>_date</c>); null for a form, or an entry stored without one.</summary>
    public DateOnly? Date =>
        Json.TryGetProperty(WorksheetAnswers.DateKey, out var d) && d.ValueKind == JsonValueKind.String ? PatientState.ParseDate(d.GetString()) : null;

    /// <summary>The answered fields by id, in stored order.</summary>
    public IReadOnlyDictionary<string, Answer> Values
    {
        get
        {
            var result = new OrderedDictionary<string, Answer>(StringComparer.Ordinal);
            foreach (var (name, value) in StoredJson.Properties(Json))
                if (!name.StartsWith('_') && value.ValueKind != JsonValueKind.Null) result[name] = Answer.Of(value);
            return result;
        }
    }

    /// <summary>The answer to <paramref name="field"/>, or null when it is not answered.</summary>
    public Answer? this[string field] => Values.GetValueOrDefault(field);

    /// <summary>The entry with <paramref name="field"/> answered <paramref name="value"/> (not answered for <see cref="Answer.Null"/>); the entry's own keys are kept.</summary>
    internal AnswerEntry With(string field, Answer value)
    {
        var properties = StoredJson.Properties(Json).Where(p => p.Name != field).ToList();
        if (value.Kind != AnswerKind.Null)
        {
            var at = StoredJson.Properties(Json).Select(p => p.Name).ToList().IndexOf(field);
            properties.Insert(at < 0 ? properties.Count : at, (field, value.Json));
        }
        return new(StoredJson.Object(properties));
    }

    public bool Equals(AnswerEntry? other) => other is not null && JsonElement.DeepEquals(Json, other.Json);

    public override bool Equals(object? obj) => Equals(obj as AnswerEntry);

    public override int GetHashCode() => Values.Count;

    public override string ToString() => Json.GetRawText();
}

/// <summary>
/// One worksheet's answers in a patient's state: a form's or questionnaire's one <see cref="AnswerEntry"/>, or a diary's
/// entries, oldest first. Immutable; kept exactly as read.
/// </summary>
public sealed class RecordedWorksheet : IEquatable<RecordedWorksheet>
{
    private RecordedWorksheet(JsonElement json) => Json = json;

    /// <summary>The stored form: an object (a form) or a list of entries (a diary).</summary>
    internal JsonElement Json { get; }

    internal static RecordedWorksheet Of(JsonElement json) => new(json);

    /// <summary>A form's or questionnaire's answers.</summary>
    public static RecordedWorksheet Form(IEnumerable<KeyValuePair<string, Answer>> values) => new(new AnswerEntry(null, values).Json);

    /// <summary>A diary's entries, oldest first.</summary>
    public static RecordedWorksheet Diary(IEnumerable<AnswerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return new(StoredJson.Array(entries.Select(e => e.Json)));
    }

    public bool IsDiary => Json.ValueKind == JsonValueKind.Array;

    /// <summary>A form's one entry, or a diary's entries oldest first.</summary>
    public IReadOnlyList<AnswerEntry> Entries => IsDiary ? [.. Json.EnumerateArray().Select(AnswerEntry.Of)] : [AnswerEntry.Of(Json)];

    public bool Equals(RecordedWorksheet? other) => other is not null && JsonElement.DeepEquals(Json, other.Json);

    public override bool Equals(object? obj) => Equals(obj as RecordedWorksheet);

    public override int GetHashCode() => HashCode.Combine(IsDiary, IsDiary ? Json.GetArrayLength() : 1);

    public override string ToString() => Json.GetRawText();

    /// <summary>A date written as stored (for messages).</summary>
    internal static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

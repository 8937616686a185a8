using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace ContentEngine.Runtime.Patients;

/// <summary>What kind of value an <see cref="Answer"/> is.</summary>
public enum AnswerKind
{
    /// <summary>A number: a number, integer, scale or duration field (minutes), or a numeric choice option.</summary>
    Number,

    /// <summary>A text: a text field, a date (<c>yyyy-MM-dd</c>), a time (<c>HH:mm</c>), or a text choice option.</summary>
    Text,

    /// <summary>A boolean field's <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A list: the options of a multiple choice, or a table's rows (each an <see cref="Object"/>).</summary>
    List,

    /// <summary>Values by key: a table row (column id → value) or a target's marks (area id → ring).</summary>
    Object,

    /// <summary>Not answered (a value inside a table row may be).</summary>
    Null,
}

/// <summary>
/// One answer as the patient's state stores it: a number, a text, a boolean, a list or an object of answers
/// (docs/package-format.md, "The patient's state"). Immutable; two answers are equal when they are the same value.
/// Kept exactly as read, so that a state read and written again is unchanged.
/// </summary>
public sealed class Answer : IEquatable<Answer>
{
    private Answer(JsonElement json) => Json = json;

    /// <summary>The stored form; always a detached (cloned) element.</summary>
    internal JsonElement Json { get; }

    internal static Answer Of(JsonElement json) => new(json);

    public AnswerKind Kind => Json.ValueKind switch
    {
        JsonValueKind.Number => AnswerKind.Number,
        JsonValueKind.String => AnswerKind.Text,
        JsonValueKind.True or JsonValueKind.False => AnswerKind.Boolean,
        JsonValueKind.Array => AnswerKind.List,
        JsonValueKind.Object => AnswerKind.Object,
        _ => AnswerKind.Null,
    };

    /// <summary>A number; throws <see cref="ArgumentOutOfRangeException"/> for NaN or an infinity, which no state holds.</summary>
    public static Answer Number(double value) =>
        double.IsFinite(value) ? new(StoredJson.Build(w => w.WriteNumberValue(value)))
        : throw new ArgumentOutOfRangeException(nameof(value), value, "an answer is a finite number");

    public static Answer Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(StoredJson.Build(w => w.WriteStringValue(value)));
    }

    public static Answer Boolean(bool value) => new(StoredJson.Build(w => w.WriteBooleanValue(value)));

    /// <summary>A date field's answer, written <c>yyyy-MM-dd</c>.</summary>
    public static Answer Date(DateOnly value) => Text(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>A time field's answer, written <c>HH:mm</c>.</summary>
    public static Answer Time(TimeOnly value) => Text(value.ToString("HH:mm", CultureInfo.InvariantCulture));

    /// <summary>Not answered.</summary>
    public static Answer Null { get; } = new(StoredJson.Build(w => w.WriteNullValue()));

    /// <summary>A list: the selected options of a multiple choice, or a table's rows.</summary>
    public static Answer List(IEnumerable<Answer> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new(StoredJson.Array(items.Select(i => i.Json)));
    }

    /// <inheritdoc cref="List(IEnumerable{Answer})"/>
    public static Answer List(params Answer[] items) => List((IEnumerable<Answer>)items);

    /// <summary>Values by key: a table row by column id, or a target's marks by area id.</summary>
    public static Answer Object(IEnumerable<KeyValuePair<string, Answer>> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return new(StoredJson.Object(properties.Select(p => (p.Key, p.Value.Json))));
    }

    /// <summary>The number, or null when the answer is not a number.</summary>
    public double? AsNumber => Json.ValueKind == JsonValueKind.Number ? Json.GetDouble() : null;

    /// <summary>The text, or null when the answer is not a text.</summary>
    public string? AsText => Json.ValueKind == JsonValueKind.String ? Json.GetString() : null;

    /// <summary>The boolean, or null when the answer is not one.</summary>
    public bool? AsBoolean => Json.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null };

    /// <summary>The items of a list; empty for any other kind.</summary>
    public IReadOnlyList<Answer> Items => Json.ValueKind == JsonValueKind.Array ? [.. Json.EnumerateArray().Select(Of)] : [];

    /// <summary>The values of an object, in stored order; empty for any other kind.</summary>
    public IReadOnlyDictionary<string, Answer> Properties =>
        Json.ValueKind == JsonValueKind.Object
            ? Json.EnumerateObject().Aggregate(new OrderedDictionary<string, Answer>(StringComparer.Ordinal), (d, p) => { d[p.Name] = Of(p.Value); return d; })
            : ImmutableDictionary<string, Answer>.Empty;

    public bool Equals(Answer? other) => other is not null && JsonElement.DeepEquals(Json, other.Json);

    public override bool Equals(object? obj) => Equals(obj as Answer);

    public override int GetHashCode() => HashCode.Combine(Kind, Json.ValueKind is JsonValueKind.Array ? Json.GetArrayLength() : 0);

    /// <summary>The answer as its stored JSON, such as <c>7</c>, <c>"Promenad"</c> or <c>{"work":3}</c>.</summary>
    public override string ToString() => Json.GetRawText();
}

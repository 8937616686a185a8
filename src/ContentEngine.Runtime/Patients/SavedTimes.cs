using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContentEngine.Runtime.Patients;

/// <summary>
/// When each answer of a patient's state was last saved (<c>"saved"</c>, version 2 of the stored format): by
/// worksheet id, an object from a form's field id, or a diary entry's key (<see cref="EntryKeys"/>), to the
/// instant, written in UTC with milliseconds as JavaScript's <c>Date.toISOString()</c> writes it
/// (<c>2026-12-08T09:30:00.000Z</c>), so that every reader writes back the same text. A key whose answer is
/// gone says when it was cleared. The web bundle's backup merges two states by these times: the later wins.
/// </summary>
public static partial class SavedTimes
{
    internal static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, DateTimeOffset>> None =
        ImmutableDictionary<string, IReadOnlyDictionary<string, DateTimeOffset>>.Empty;

    private const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", RegexOptions.CultureInvariant)]
    private static partial Regex Instant();

    /// <summary>
    /// The key of each diary entry, in the list's order: its date (<c>_date</c>) for the first entry of a day,
    /// <c>date#n</c> for the n-th of the same day (n from 2), <c>#n</c> for the n-th entry without a date.
    /// </summary>
    public static IReadOnlyList<string> EntryKeys(IEnumerable<DateOnly?> entryDates)
    {
        ArgumentNullException.ThrowIfNull(entryDates);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (var date in entryDates)
        {
            var d = date is { } day ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";
            var n = seen[d] = seen.GetValueOrDefault(d) + 1;
            keys.Add(d.Length > 0 && n == 1 ? d : $"{d}#{n}");
        }
        return keys;
    }

    /// <summary>An instant as the state writes it: UTC, milliseconds, <c>Z</c>.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString(InstantFormat, CultureInfo.InvariantCulture);

    internal static IReadOnlyDictionary<string, IReadOnlyDictionary<string, DateTimeOffset>> Read(JsonElement json, Func<string, Exception> invalid)
    {
        if (!json.TryGetProperty("saved", out var v)) return None;
        if (v.ValueKind != JsonValueKind.Object) throw invalid("\"saved\" must be an object of times by worksheet id");
        var result = new OrderedDictionary<string, IReadOnlyDictionary<string, DateTimeOffset>>(StringComparer.Ordinal);
        foreach (var ws in v.EnumerateObject())
        {
            if (ws.Name.Length == 0) throw invalid("\"saved\" holds times without a worksheet id");
            if (ws.Value.ValueKind != JsonValueKind.Object) throw invalid($"\"saved.{ws.Name}\" must be an object of times by field id or diary entry");
            var times = new OrderedDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            foreach (var t in ws.Value.EnumerateObject())
            {
                if (t.Value.ValueKind != JsonValueKind.String || !Instant().IsMatch(t.Value.GetString()!)
                    || !DateTimeOffset.TryParseExact(t.Value.GetString(), InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                    throw invalid($"\"saved.{ws.Name}.{t.Name}\" must be an instant written yyyy-MM-ddTHH:mm:ss.fffZ (UTC), not {t.Value.GetRawText()}");
                times[t.Name] = at;
            }
            result[ws.Name] = times;
        }
        return result;
    }

    internal static void Write(Utf8JsonWriter w, IReadOnlyDictionary<string, IReadOnlyDictionary<string, DateTimeOffset>> saved)
    {
        w.WritePropertyName("saved");
        w.WriteStartObject();
        foreach (var (ws, times) in saved)
        {
            w.WritePropertyName(ws);
            w.WriteStartObject();
            foreach (var (key, at) in times) w.WriteString(key, Format(at));
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>Equal when every worksheet has the same keys at the same instants, as written (to the millisecond).</summary>
    internal static bool Same(IReadOnlyDictionary<string, IReadOnlyDictionary<string, DateTimeOffset>> a, IReadOnlyDictionary<string, IReadOnlyDictionary<string, DateTimeOffset>> b) =>
        a.Count == b.Count && a.All(x => b.TryGetValue(x.Key, out var y) && x.Value.Count == y.Count
            && x.Value.All(t => y.TryGetValue(t.Key, out var u) && Format(t.Value) == Format(u)));
}

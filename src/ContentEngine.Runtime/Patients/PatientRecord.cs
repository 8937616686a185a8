using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Runtime.Patients;

/// <summary>
/// A patient's state as it is stored and travels between the web bundle, the preview and a platform:
/// <c>{"format": "contentengine-patient-state", "version": 1, "program": …, "timeZone": …, "start": …,
/// "completed": […], "chosen": […], "answers": {…}}</c> (docs/package-format.md, "The patient's state";
/// schemas/patient-state.schema.json). Answers are typed (<see cref="RecordedWorksheet"/>, <see cref="AnswerEntry"/>,
/// <see cref="Answer"/>) and kept exactly as they were stored, so that a state read and written again is unchanged.
/// To change a state with the program's rules checked, use <see cref="PatientRecordChanges"/> (<c>RecordAnswer</c>,
/// <c>CompleteModule</c>, <c>ChooseModule</c>, <c>AddDiaryEntry</c>, …).
/// </summary>
/// <remarks>
/// Dates are the patient's local dates: <see cref="TimeZone"/> turns an instant into the patient's
/// date (<see cref="LocalDate"/>), from which the weeks count. Reading refuses, with a
/// <see cref="PatientStateException"/>, anything that is not a whole and valid state.
/// </remarks>
public sealed record PatientRecord
{
    /// <summary>The value of the <c>format</c> key.</summary>
    public const string Format = "contentengine-patient-state";

    /// <summary>
    /// The newest version of the format this library reads. It writes version 2 when the state holds
    /// <see cref="Saved"/> times, else version 1, so that a state without them is written as it always was.
    /// </summary>
    public const int FormatVersion = 2;

    /// <summary>The format of the web bundle's older answers file, still read (as version 1, without a time zone).</summary>
    public const string LegacyFormat = "contentengine-answers";

    private static readonly IReadOnlyDictionary<string, RecordedWorksheet> NoAnswers = ImmutableDictionary<string, RecordedWorksheet>.Empty;

    /// <summary>The program's id.</summary>
    public required string ProgramId { get; init; }

    /// <summary>The version of the program the state was last used with, where known.</summary>
    public string? ProgramVersion { get; init; }

    /// <summary>The patient's time zone as written: an IANA id (<c>Europe/Stockholm</c>) or a UTC offset (<c>+01:00</c>, <c>Z</c>); null for UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The patient's local date of day 1 of week 1; null when the patient has not started.</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>A fixed current week (0 before the start); when given it wins over the dates.</summary>
    public int? Week { get; init; }

    /// <summary>Ids of the modules the patient completed, in the order stored.</summary>
    public IReadOnlyList<string> Completed { get; init; } = [];

    /// <summary>Ids of the optional modules the patient chose, in the order stored.</summary>
    public IReadOnlyList<string> Chosen { get; init; } = [];

    /// <summary>Answers by worksheet id, as stored: an object (a form) or a list of entries (a diary, each may hold <c>_date</c>).</summary>
    public IReadOnlyDictionary<string, RecordedWorksheet> Answers { get; init; } = NoAnswers;

    /// <summary>Answers to worksheets or fields the program no longer has, set aside by a migration; never evaluated, never dropped.</summary>
    public IReadOnlyDictionary<string, RecordedWorksheet> KeptAside { get; init; } = NoAnswers;

    /// <summary>
    /// When each answer was last saved, where known (version 2 of the format): by worksheet id, by field id or
    /// diary entry key (<see cref="SavedTimes.EntryKeys"/>); a key whose answer is gone says when it was cleared.
    /// Kept as read and written back; empty for a state without times.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, DateTimeOffset>> Saved { get; init; } = SavedTimes.None;

    /// <summary>The answers as stored, by worksheet id (for the migration, which moves them whole).</summary>
    internal IReadOnlyDictionary<string, JsonElement> StoredAnswers => Stored(Answers);

    /// <summary>The answers set aside as stored, by worksheet id.</summary>
    internal IReadOnlyDictionary<string, JsonElement> StoredKeptAside => Stored(KeptAside);

    private static OrderedDictionary<string, JsonElement> Stored(IReadOnlyDictionary<string, RecordedWorksheet> answers)
    {
        var result = new OrderedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (id, value) in answers) result[id] = value.Json;
        return result;
    }

    /// <summary>Stored answers by worksheet id as typed ones.</summary>
    internal static IReadOnlyDictionary<string, RecordedWorksheet> Typed(IEnumerable<KeyValuePair<string, JsonElement>> stored)
    {
        var result = new OrderedDictionary<string, RecordedWorksheet>(StringComparer.Ordinal);
        foreach (var (id, value) in stored) result[id] = RecordedWorksheet.Of(value);
        return result;
    }

    /// <summary>Reads a stored state; anything else throws <see cref="PatientStateException"/> (never a partial result).</summary>
    public static PatientRecord Parse(string json)
    {
        using var document = ParseDocument(json);
        return Read(document.RootElement);
    }

    /// <summary>The JSON of a state; text that is not JSON throws <see cref="PatientStateException"/>.</summary>
    internal static JsonDocument ParseDocument(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // ArgumentException: the text holds half of a UTF-16 surrogate pair, which no JSON can.
            throw new PatientStateException(PatientStateError.NotAPatientState, $"the patient state is not JSON ({e.Message}): give the JSON the web bundle exports", e);
        }
    }

    /// <summary>Reads a stored state (or the web bundle's older answers file); see <see cref="Parse"/>.</summary>
    internal static PatientRecord Read(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
            throw new PatientStateException(PatientStateError.NotAPatientState, $"a patient state is a JSON object, not {Kind(json)}");
        if (!json.TryGetProperty("format", out var f) || f.ValueKind != JsonValueKind.String)
            throw new PatientStateException(PatientStateError.NotAPatientState,
                $"the JSON has no \"format\": \"{Format}\"; it is not a patient state");
        var legacy = f.ValueEquals(LegacyFormat);
        if (!legacy && !f.ValueEquals(Format))
            throw new PatientStateException(PatientStateError.NotAPatientState,
                $"the JSON is of the format {f.GetRawText()}, not a patient state (\"{Format}\")");
        CheckText(json);
        return legacy ? ReadLegacy(json) : ReadCurrent(json);
    }

    /// <summary>
    /// Refuses, anywhere in the state, what would fail later or mean two things: a text or key holding
    /// half of a UTF-16 surrogate pair, a key given twice in one object, a number no double holds.
    /// </summary>
    private static void CheckText(JsonElement root)
    {
        var pending = new Stack<(JsonElement Value, string Path)>();
        pending.Push((root, ""));
        while (pending.TryPop(out var item))
        {
            var (value, path) = item;
            var at = path.Length == 0 ? "the patient state" : $"\"{path}\"";
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    var names = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var p in value.EnumerateObject())
                    {
                        string name;
                        try
                        {
                            name = p.Name;
                        }
                        catch (InvalidOperationException)
                        {
                            throw Invalid($"a key of {at} holds half of a UTF-16 surrogate pair; keys are text");
                        }
                        var inner = path.Length == 0 ? name : $"{path}.{name}";
                        if (!names.Add(name)) throw Invalid($"\"{inner}\" is given twice");
                        pending.Push((p.Value, inner));
                    }
                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var e in value.EnumerateArray())
                        pending.Push((e, $"{path}[{i++}]"));
                    break;
                case JsonValueKind.String:
                    try
                    {
                        value.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        throw Invalid($"{at} holds half of a UTF-16 surrogate pair; it is not text");
                    }
                    break;
                case JsonValueKind.Number:
                    if (!value.TryGetDouble(out var d) || !double.IsFinite(d))
                        throw Invalid($"{at} is a number beyond what a double holds, {Shorten(value.GetRawText())}");
                    break;
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    private static readonly string[] Keys = ["format", "version", "program", "programVersion", "timeZone", "start", "week", "completed", "chosen", "answers", "keptAside", "saved"];

    private static PatientRecord ReadCurrent(JsonElement json)
    {
        var version = Version(json, Format);
        foreach (var p in json.EnumerateObject())
            if (!Keys.Contains(p.Name, StringComparer.Ordinal) || (p.Name == "saved" && version < 2))
                throw Invalid($"the patient state has the unknown key \"{p.Name}\"{(p.Name == "saved" ? " (it belongs to version 2 of the format)" : "")}");
        var timeZone = OptionalString(json, "timeZone");
        if (timeZone is not null) ResolveTimeZone(timeZone);
        return new PatientRecord
        {
            ProgramId = ProgramOf(json),
            ProgramVersion = OptionalString(json, "programVersion") is { Length: 0 } ? throw Invalid("\"programVersion\" is empty") : OptionalString(json, "programVersion"),
            TimeZone = timeZone,
            StartDate = OptionalDate(json, "start", "start"),
            Week = OptionalWeek(json, "week"),
            Completed = Ids(json, "completed"),
            Chosen = Ids(json, "chosen"),
            Answers = AnswersOf(json, "answers"),
            KeptAside = AnswersOf(json, "keptAside"),
            Saved = SavedTimes.Read(json, Invalid),
        };
    }

    /// <summary>The web bundle's answers file before this format: <c>{"format": "contentengine-answers", "version": 1, "program": …, "state": {…}}</c>.</summary>
    private static PatientRecord ReadLegacy(JsonElement json)
    {
        Version(json, LegacyFormat, newest: 1);
        var program = ProgramOf(json);
        if (!json.TryGetProperty("state", out var state) || state.ValueKind != JsonValueKind.Object)
            throw Invalid($"the answers file has no \"state\" object");
        static bool Set(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;
        return new PatientRecord
        {
            ProgramId = program,
            StartDate = Set(state, "start") ? OptionalDate(state, "start", "state.start") : null,
            Week = Set(state, "week") ? OptionalWeek(state, "state.week", "week") : null,
            Completed = Set(state, "completed") ? Ids(state, "completed", "state.") : [],
            Chosen = Set(state, "chosen") ? Ids(state, "chosen", "state.") : [],
            Answers = Set(state, "answers") ? AnswersOf(state, "answers", "state.") : NoAnswers,
        };
    }

    /// <summary>The state as stored: indented JSON with "\n" line ends and the keys in a fixed order.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteNumber("version", Saved.Count > 0 ? 2 : 1);
            w.WriteString("program", ProgramId);
            if (ProgramVersion is not null) w.WriteString("programVersion", ProgramVersion);
            if (TimeZone is not null) w.WriteString("timeZone", TimeZone);
            if (StartDate is { } start) w.WriteString("start", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (Week is { } week) w.WriteNumber("week", week);
            WriteIds(w, "completed", Completed);
            WriteIds(w, "chosen", Chosen);
            WriteAnswers(w, "answers", Answers);
            if (KeptAside.Count > 0) WriteAnswers(w, "keptAside", KeptAside);
            if (Saved.Count > 0) SavedTimes.Write(w, Saved);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The patient's local date at <paramref name="now"/>, in <see cref="TimeZone"/> (UTC when none).</summary>
    public DateOnly LocalDate(DateTimeOffset now)
    {
        var offset = ResolveTimeZone(TimeZone) switch
        {
            (TimeZoneInfo zone, _) => zone.GetUtcOffset(now),
            (null, var fixedOffset) => fixedOffset,
        };
        // An instant at the calendar's ends may fall outside it in the patient's zone: the first or last day.
        var ticks = Math.Clamp(now.UtcTicks + offset.Ticks, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
        return DateOnly.FromDateTime(new DateTime(ticks));
    }

    /// <summary>What the schedule needs at <paramref name="now"/>: the dates (today is <see cref="LocalDate"/>), the week, the modules and the answers.</summary>
    public PatientProgress ToProgress(DateTimeOffset now) => new()
    {
        StartDate = StartDate,
        Today = LocalDate(now),
        Week = Week,
        Completed = [.. Completed],
        Chosen = [.. Chosen],
        Answers = Answers.ToDictionary(a => a.Key, a => PatientState.ReadWorksheet(a.Value.Json), StringComparer.Ordinal),
    };

    /// <summary>Equal when every value is: the lists in order, the answers by worksheet whatever their order, each as equal JSON.</summary>
    public bool Equals(PatientRecord? other) =>
        other is not null
        && ProgramId == other.ProgramId && ProgramVersion == other.ProgramVersion && TimeZone == other.TimeZone
        && StartDate == other.StartDate && Week == other.Week
        && Completed.SequenceEqual(other.Completed, StringComparer.Ordinal) && Chosen.SequenceEqual(other.Chosen, StringComparer.Ordinal)
        && SameAnswers(Answers, other.Answers) && SameAnswers(KeptAside, other.KeptAside) && SavedTimes.Same(Saved, other.Saved);

    public override int GetHashCode() => HashCode.Combine(ProgramId, ProgramVersion, TimeZone, StartDate, Week, Completed.Count, Chosen.Count, Answers.Count);

    private static bool SameAnswers(IReadOnlyDictionary<string, RecordedWorksheet> a, IReadOnlyDictionary<string, RecordedWorksheet> b) =>
        a.Count == b.Count && a.All(x => b.TryGetValue(x.Key, out var y) && x.Value.Equals(y));

    private static readonly Regex Offset = new(@"^([+-])(\d{2}):(\d{2})$", RegexOptions.CultureInvariant);
    private static readonly Regex IanaId = new(@"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$", RegexOptions.CultureInvariant);

    /// <summary>The zone of an IANA id, or the fixed offset of <c>±hh:mm</c> or <c>Z</c> (UTC for null).</summary>
    internal static (TimeZoneInfo? Zone, TimeSpan Offset) ResolveTimeZone(string? id)
    {
        if (id is null or "Z") return (null, TimeSpan.Zero);
        if (Offset.Match(id) is { Success: true } m)
        {
            var hours = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            var minutes = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            if (hours > 14 || minutes > 59 || (hours == 14 && minutes > 0))
                throw new PatientStateException(PatientStateError.UnknownTimeZone, $"the time zone \"{id}\" is not a UTC offset (from -14:00 to +14:00)");
            var offset = new TimeSpan(hours, minutes, 0);
            return (null, m.Groups[1].Value == "-" ? -offset : offset);
        }
        if (IanaId.IsMatch(id))
        {
            try
            {
                return (TimeZoneInfo.FindSystemTimeZoneById(id), TimeSpan.Zero);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or System.Security.SecurityException
                or UnauthorizedAccessException or IOException or ArgumentException)
            {
                throw new PatientStateException(PatientStateError.UnknownTimeZone, $"the time zone \"{id}\" is not a known IANA time zone", e);
            }
        }
        throw new PatientStateException(PatientStateError.UnknownTimeZone,
            $"the time zone \"{id}\" is neither an IANA time zone (\"Europe/Stockholm\") nor a UTC offset (\"+01:00\", \"Z\")");
    }

    private static PatientStateException Invalid(string message) => new(PatientStateError.Invalid, message);

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    private static int Version(JsonElement json, string format, int newest = FormatVersion)
    {
        if (!json.TryGetProperty("version", out var v))
            throw Invalid($"the {format} file has no \"version\"");
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var version) || version < 1)
            throw Invalid($"\"version\" must be a whole number from 1, not {v.GetRawText()}");
        if (version > newest)
            throw new PatientStateException(PatientStateError.NewerFormat,
                $"the patient state is written in version {version} of the format; this library reads {(newest == 1 ? "version 1" : $"versions 1 to {newest}")}: update it");
        return version;
    }

    private static string ProgramOf(JsonElement json) =>
        json.TryGetProperty("program", out var p) && p.ValueKind == JsonValueKind.String && p.GetString() is { Length: > 0 } id
            ? id : throw Invalid("the patient state does not name its program (\"program\": a program id)");

    private static string? OptionalString(JsonElement json, string name) =>
        !json.TryGetProperty(name, out var v) ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : throw Invalid($"\"{name}\" must be a string, not {Kind(v)}");

    private static DateOnly? OptionalDate(JsonElement json, string name, string where)
    {
        if (!json.TryGetProperty(name, out var v)) return null;
        return v.ValueKind == JsonValueKind.String && PatientState.ParseDate(v.GetString()!) is { } d
            ? d : throw Invalid($"\"{where}\" must be a date written yyyy-MM-dd, not {v.GetRawText()}");
    }

    private static int? OptionalWeek(JsonElement json, string where, string name = "week")
    {
        if (!json.TryGetProperty(name, out var v)) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var w) && w >= 0
            ? w : throw Invalid($"\"{where}\" must be a whole number from 0, not {v.GetRawText()}");
    }

    private static ImmutableArray<string> Ids(JsonElement json, string name, string prefix = "")
    {
        if (!json.TryGetProperty(name, out var v)) return [];
        if (v.ValueKind != JsonValueKind.Array) throw Invalid($"\"{prefix}{name}\" must be a list of module ids, not {Kind(v)}");
        return [.. v.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } id
            ? id : throw Invalid($"\"{prefix}{name}\"[{i}] must be a module id, not {e.GetRawText()}"))];
    }

    private static IReadOnlyDictionary<string, RecordedWorksheet> AnswersOf(JsonElement json, string name, string prefix = "")
    {
        if (!json.TryGetProperty(name, out var v)) return NoAnswers;
        if (v.ValueKind != JsonValueKind.Object) throw Invalid($"\"{prefix}{name}\" must be an object of answers by worksheet id, not {Kind(v)}");
        var result = new OrderedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var ws in v.EnumerateObject())
        {
            var at = $"{prefix}{name}.{ws.Name}";
            if (ws.Name.Length == 0) throw Invalid($"\"{prefix}{name}\" holds answers without a worksheet id");
            if (!result.TryAdd(ws.Name, ws.Value.Clone())) throw Invalid($"\"{at}\" is given twice");
            switch (ws.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var entry in ws.Value.EnumerateArray())
                    {
                        if (entry.ValueKind != JsonValueKind.Object)
                            throw Invalid($"\"{at}\"[{i}] must be a diary entry (an object of answers), not {Kind(entry)}");
                        if (entry.TryGetProperty(WorksheetAnswers.DateKey, out var date)
                            && (date.ValueKind != JsonValueKind.String || PatientState.ParseDate(date.GetString()!) is null))
                            throw Invalid($"\"{at}\"[{i}].{WorksheetAnswers.DateKey} must be a date written yyyy-MM-dd, not {date.GetRawText()}");
                        i++;
                    }
                    break;
                default:
                    throw Invalid($"\"{at}\" must be a form's answers (an object) or a diary's entries (a list), not {Kind(ws.Value)}");
            }
        }
        return Typed(result);
    }

    private static void WriteIds(Utf8JsonWriter w, string name, IReadOnlyList<string> ids)
    {
        w.WriteStartArray(name);
        foreach (var id in ids) w.WriteStringValue(id);
        w.WriteEndArray();
    }

    private static void WriteAnswers(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, RecordedWorksheet> answers)
    {
        w.WritePropertyName(name);
        w.WriteStartObject();
        foreach (var (ws, value) in answers)
        {
            w.WritePropertyName(ws);
            value.Json.WriteTo(w);
        }
        w.WriteEndObject();
    }
}

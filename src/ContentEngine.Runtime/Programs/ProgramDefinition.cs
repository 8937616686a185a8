using System.Collections.Immutable;
using System.Text.Json;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Runtime.Programs;

/// <summary>A text in every locale the program has, such as a title.</summary>
public sealed class LocalizedString
{
    public LocalizedString(IReadOnlyDictionary<string, string> values) => Values = values;

    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>The text in <paramref name="locale"/>, else in <paramref name="fallback"/>, else any.</summary>
    public string Get(string locale, string? fallback = null) =>
        Values.TryGetValue(locale, out var v) ? v
        : fallback is not null && Values.TryGetValue(fallback, out var f) ? f
        : Values.Values.FirstOrDefault() ?? string.Empty;

    public override string ToString() => Values.Values.FirstOrDefault() ?? string.Empty;
}

/// <summary>How many optional modules a patient picks in a phase: at least <see cref="Min"/>, at most <see cref="Max"/> (null: no limit).</summary>
public sealed record ChoiceRule(int Min, int? Max);

/// <summary>A phase of the program; <see cref="FirstWeek"/> is its first program week (1 at the start, after any pause before it).</summary>
public sealed record PhaseDefinition(string Id, LocalizedString Title, int Weeks, int FirstWeek, int PauseBefore, ChoiceRule? Choose)
{
    public int LastWeek => FirstWeek + Weeks - 1;
}

/// <summary>A condition as its author wrote it and as a tree this library evaluates.</summary>
public sealed record ConditionDefinition(string Source, Expr Tree);

/// <summary>A module as a platform needs it to schedule it; its content is in the package's content/ folder.</summary>
public sealed record ModuleDefinition(
    string Id,
    LocalizedString Title,
    LocalizedString? Summary,
    string Phase,
    int Week,
    int ProgramWeek,
    bool Optional,
    int? Minutes,
    double EstimatedMinutes,
    ImmutableArray<string> Requires,
    ConditionDefinition? OfferWhen,
    LocalizedString? OfferReason,
    ImmutableArray<string> Tags,
    ImmutableArray<string> Locales);

/// <summary>A field of a worksheet: enough to store and check answers (the full definition is in worksheets/&lt;id&gt;.json).</summary>
public sealed record FieldDefinition(string Id, string Type, LocalizedString Label, bool Required, double? Min, double? Max, bool Multiple, ImmutableArray<string> Options);

/// <summary>A worksheet: a form, a diary (one entry per day, week or occasion) or a questionnaire with scores.</summary>
public sealed record WorksheetDefinition(string Id, LocalizedString Title, string Kind, string? Repeat, int? Days, ImmutableArray<FieldDefinition> Fields, ImmutableArray<string> Scores);

/// <summary>
/// A compiled program as read from a package's graph.json: its phases, modules in schedule order,
/// and worksheets. Immutable; <see cref="Evaluate(PatientProgress)"/> answers what a patient may see.
/// </summary>
public sealed class ProgramDefinition
{
    /// <summary>The graph format this library reads.</summary>
    public const int GraphFormat = 1;

    private readonly Dictionary<string, ModuleDefinition> _modules;

    private ProgramDefinition(string id, string version, LocalizedString title, ImmutableArray<string> locales, string release,
        ImmutableArray<PhaseDefinition> phases, ImmutableArray<ModuleDefinition> modules, ImmutableArray<WorksheetDefinition> worksheets)
    {
        Id = id;
        Version = version;
        Title = title;
        Locales = locales;
        Release = release;
        Phases = phases;
        Modules = modules;
        Worksheets = worksheets;
        _modules = modules.ToDictionary(m => m.Id, StringComparer.Ordinal);
    }

    public string Id { get; }
    public string Version { get; }
    public LocalizedString Title { get; }

    /// <summary>The program's locales, the default first.</summary>
    public ImmutableArray<string> Locales { get; }

    public string DefaultLocale => Locales[0];

    /// <summary>"weekly": a module opens at the start of its week; "all": every module is open from the start.</summary>
    public string Release { get; }

    public ImmutableArray<PhaseDefinition> Phases { get; }

    /// <summary>Modules in schedule order: by phase, week, then source file.</summary>
    public ImmutableArray<ModuleDefinition> Modules { get; }

    public ImmutableArray<WorksheetDefinition> Worksheets { get; }

    /// <summary>The program's length in weeks, pauses included.</summary>
    public int TotalWeeks => Phases.Length == 0 ? 0 : Phases.Max(p => p.LastWeek);

    public ModuleDefinition? FindModule(string id) => _modules.GetValueOrDefault(id);

    public PhaseDefinition? FindPhase(string id) => Phases.FirstOrDefault(p => p.Id == id);

    /// <summary>What a patient in <paramref name="progress"/> may see: see <see cref="ProgramStatus"/>.</summary>
    public ProgramStatus Evaluate(PatientProgress progress) => Scheduler.Evaluate(this, progress);

    /// <summary>
    /// What the patient of a stored state may see at <paramref name="now"/>, an instant: the state's time zone
    /// gives the patient's local date, which counts the weeks. A state of another program throws
    /// <see cref="Patients.PatientStateException"/> (<see cref="Patients.PatientStateError.OtherProgram"/>), and so does
    /// a start so late that the program's weeks would run past the calendar's last day, 9999-12-31 (<see cref="Patients.PatientStateError.Invalid"/>).
    /// </summary>
    public ProgramStatus Evaluate(Patients.PatientRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.ProgramId != Id)
            throw new Patients.PatientStateException(Patients.PatientStateError.OtherProgram,
                $"the patient state is for the program '{record.ProgramId}', not '{Id}'");
        if (record.StartDate is { } start && (long)start.DayNumber + 7L * Math.Max(1, TotalWeeks) > DateOnly.MaxValue.DayNumber)
            throw new Patients.PatientStateException(Patients.PatientStateError.Invalid,
                $"\"start\" {start:yyyy-MM-dd} is so late that the program's {TotalWeeks} weeks would end after {DateOnly.MaxValue:yyyy-MM-dd}");
        return Scheduler.Evaluate(this, record.ToProgress(now));
    }

    /// <summary>Reads graph.json; anything malformed throws <see cref="FormatException"/> saying where.</summary>
    public static ProgramDefinition FromGraphJson(ReadOnlySpan<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 512 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"graph.json is not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
            {
                // A value of the wrong kind where the reader expected another (JsonElement throws these).
                throw new FormatException($"graph.json is malformed: {e.Message}", e);
            }
        }
    }

    private static ProgramDefinition Read(JsonElement root)
    {
        var r = new Reader("graph.json");
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("graph.json must hold an object");
        var format = r.Int(root, "graphFormat");
        if (format != GraphFormat) throw new FormatException($"graph.json has graph format {format}; this library reads format {GraphFormat}");
        var locales = r.Strings(root, "locales");
        if (locales.IsEmpty) throw new FormatException("graph.json lists no locales");
        var phases = r.Array(root, "phases").Select((p, i) =>
        {
            var at = new Reader($"phases[{i}]");
            ChoiceRule? choose = p.TryGetProperty("choose", out var c) ? new ChoiceRule(at.Int(c, "min"), at.OptionalInt(c, "max")) : null;
            return new PhaseDefinition(at.String(p, "id"), at.Text(p, "title"), at.Int(p, "weeks"), at.Int(p, "firstWeek"), at.Int(p, "pauseBefore"), choose);
        }).ToImmutableArray();
        var modules = r.Array(root, "modules").Select((m, i) =>
        {
            var at = new Reader($"modules[{i}]");
            ConditionDefinition? offer = null;
            if (m.TryGetProperty("offerWhen", out var ow))
            {
                try
                {
                    offer = new ConditionDefinition(at.String(ow, "source"), ConditionJson.Read(ow.GetProperty("tree")));
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    throw new FormatException($"graph.json: modules[{i}].offerWhen: {e.Message}", e);
                }
            }
            var content = m.TryGetProperty("content", out var ct) && ct.ValueKind == JsonValueKind.Object
                ? ct.EnumerateObject().Select(x => x.Name).ToImmutableArray() : [];
            return new ModuleDefinition(at.String(m, "id"), at.Text(m, "title"), at.OptionalText(m, "summary"), at.String(m, "phase"), at.Int(m, "week"),
                at.Int(m, "programWeek"), at.Bool(m, "optional"), at.OptionalInt(m, "minutes"), at.Double(m, "estimatedMinutes"),
                at.Strings(m, "requires"), offer, at.OptionalText(m, "offerReason"), at.Strings(m, "tags"), content);
        }).ToImmutableArray();
        var worksheets = r.Array(root, "worksheets").Select((w, i) =>
        {
            var at = new Reader($"worksheets[{i}]");
            var fields = at.Array(w, "fields").Select((f, j) =>
            {
                var fa = new Reader($"worksheets[{i}].fields[{j}]");
                var options = f.TryGetProperty("options", out var o) && o.ValueKind == JsonValueKind.Array
                    ? o.EnumerateArray().Select(x => x.TryGetProperty("value", out var v) ? v.ToString() : string.Empty).ToImmutableArray() : [];
                return new FieldDefinition(fa.String(f, "id"), fa.String(f, "type"), fa.Text(f, "label"), fa.Bool(f, "required"),
                    fa.OptionalDouble(f, "min"), fa.OptionalDouble(f, "max"), f.TryGetProperty("multiple", out var mu) && mu.ValueKind == JsonValueKind.True, options);
            }).ToImmutableArray();
            var scores = w.TryGetProperty("scoring", out var s) && s.TryGetProperty("scores", out var sc) && sc.ValueKind == JsonValueKind.Array
                ? sc.EnumerateArray().Select(x => x.GetProperty("id").GetString() ?? string.Empty).ToImmutableArray() : [];
            return new WorksheetDefinition(at.String(w, "id"), at.Text(w, "title"), at.String(w, "kind"),
                w.TryGetProperty("repeat", out var rep) ? rep.GetString() : null, at.OptionalInt(w, "days"), fields, scores);
        }).ToImmutableArray();

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in modules)
        {
            if (!ids.Add(m.Id)) throw new FormatException($"graph.json lists the module '{m.Id}' twice");
            if (!phases.Any(p => p.Id == m.Phase)) throw new FormatException($"graph.json: the module '{m.Id}' names the phase '{m.Phase}', which it does not list");
        }
        foreach (var m in modules)
            foreach (var req in m.Requires.Where(x => !ids.Contains(x)))
                throw new FormatException($"graph.json: the module '{m.Id}' requires '{req}', which it does not list");
        return new ProgramDefinition(r.String(root, "id"), r.String(root, "version"), r.Text(root, "title"), locales, r.String(root, "release"),
            phases, modules, worksheets);
    }

    /// <summary>Reads JSON values, naming the place of anything missing or of the wrong kind.</summary>
    private sealed class Reader(string where)
    {
        private JsonElement Get(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : throw new FormatException($"graph.json: {where} lacks \"{name}\"");

        private FormatException Wrong(string name, string kind) => new($"graph.json: {where}.{name} must be {kind}");

        public string String(JsonElement e, string name) => Get(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw Wrong(name, "a string");

        public int Int(JsonElement e, string name) => Get(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i) ? i : throw Wrong(name, "an integer");

        public int? OptionalInt(JsonElement e, string name) => e.TryGetProperty(name, out _) ? Int(e, name) : null;

        public double Double(JsonElement e, string name) => Get(e, name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : throw Wrong(name, "a number");

        public double? OptionalDouble(JsonElement e, string name) => e.TryGetProperty(name, out _) ? Double(e, name) : null;

        public bool Bool(JsonElement e, string name) => Get(e, name).ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, "true or false"),
        };

        public ImmutableArray<string> Strings(JsonElement e, string name) =>
            [.. Array(e, name).Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : throw Wrong(name, "a list of strings"))];

        public IEnumerable<JsonElement> Array(JsonElement e, string name) =>
            Get(e, name) is { ValueKind: JsonValueKind.Array } v ? v.EnumerateArray() : throw Wrong(name, "a list");

        public LocalizedString Text(JsonElement e, string name) =>
            Get(e, name) is { ValueKind: JsonValueKind.Object } v
                ? new LocalizedString(v.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal))
                : throw Wrong(name, "a text per locale");

        public LocalizedString? OptionalText(JsonElement e, string name) => e.TryGetProperty(name, out _) ? Text(e, name) : null;
    }
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentEngine.Runtime.Packaging;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Runtime.Migration;

/// <summary>Why two packages, or a patient and two packages, cannot be compared or migrated.</summary>
public enum MigrationError
{
    /// <summary>The two packages are of two different programs (their ids differ).</summary>
    DifferentPrograms,

    /// <summary>The patient's state is for another program than the packages.</summary>
    OtherProgram,

    /// <summary>The patient's state says it was last used with another version than the package migrated from.</summary>
    OtherVersion,
}

/// <summary>A comparison or a migration was refused; <see cref="Exception.Message"/> says why in one sentence. Nothing was compared or migrated.</summary>
public sealed class MigrationException(MigrationError error, string message) : Exception(message)
{
    public MigrationError Error { get; } = error;
}

/// <summary>Whether an item is new, gone or different in the new version.</summary>
public enum ChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>What kind of item a change concerns.</summary>
public enum ItemKind
{
    /// <summary>The program as a whole: its release rule, its locales.</summary>
    Program,
    Phase,
    Module,
    Worksheet,

    /// <summary>A field of a worksheet; its id is <c>worksheet.field</c>.</summary>
    Field,

    /// <summary>A questionnaire's score; its id is <c>worksheet.score</c>.</summary>
    Score,

    /// <summary>
    /// A condition: a module's <c>offerWhen</c> (id <c>module.offerWhen</c>) or the conditions of the
    /// <c>::: if</c> blocks in a module's or worksheet's text (id <c>module.if</c>, <c>worksheet.if</c>).
    /// </summary>
    Condition,
}

/// <summary>One aspect of an item that differs, as short texts (null where the item has none).</summary>
public sealed record ChangeDetail(string Aspect, string? Before, string? After);

/// <summary>What a change means for patients already in the program.</summary>
public enum ImpactKind
{
    /// <summary>Answers the new version no longer reads are moved to the patient's <c>keptAside</c>.</summary>
    AnswersKeptAside,

    /// <summary>The patient is asked a question again (their old answer is kept aside).</summary>
    AskedAgain,

    /// <summary>A module they completed no longer exists; its completion is listed in the migration report.</summary>
    CompletedModuleRemoved,

    /// <summary>A module they chose no longer exists; the migration report flags it so they can choose again.</summary>
    ChosenModuleRemoved,

    /// <summary>A new module in a week some patients have already passed: it is open for them at once.</summary>
    NewModuleInPassedWeek,

    /// <summary>A module opens earlier than before: patients in the weeks between find it open at once.</summary>
    OpensEarlier,

    /// <summary>A module opens later than before: patients in the weeks between who have not completed it see it locked again.</summary>
    OpensLater,

    /// <summary>A module requires other modules than before: it may lock, or open sooner.</summary>
    RequirementsChanged,

    /// <summary>A module became mandatory or optional.</summary>
    OptionalityChanged,

    /// <summary>Who is recommended a module, or who sees a conditional block, changes.</summary>
    ConditionChanged,

    /// <summary>The text changed: patients who completed the module, or filled in the worksheet, read the earlier text.</summary>
    TextChanged,

    /// <summary>A field became required, or a required field was added: a worksheet answered before may count as unanswered.</summary>
    NewlyRequired,

    /// <summary>Options or the range of a field changed: some old answers may lie outside the new ones; they are kept as they are.</summary>
    AnswersOutsideNewValues,

    /// <summary>A score is computed differently: conditions on it may give another result for the same answers.</summary>
    ScoreChanged,

    /// <summary>A phase's choice rule changed: patients may have chosen more, or fewer, modules than it now allows.</summary>
    ChoiceRuleChanged,

    /// <summary>The schedule of the weeks changed: a phase starts, ends or pauses at another week.</summary>
    ScheduleChanged,
}

/// <summary>What a change means for patients, in one sentence for a platform developer or a therapist.</summary>
public sealed record PatientImpact(ImpactKind Kind, string Message);

/// <summary>One item added, removed or changed between two versions of a program.</summary>
public sealed record ProgramChange(ChangeKind Change, ItemKind Item, string Id, ImmutableArray<ChangeDetail> Details, ImmutableArray<PatientImpact> Impacts)
{
    /// <summary>Whether the item, kept, moved in the schedule: another program week or phase.</summary>
    public bool Moved => Change == ChangeKind.Changed && Details.Any(d => d.Aspect is "programWeek" or "phase");

    /// <summary>The detail of an aspect, if it changed.</summary>
    public ChangeDetail? Detail(string aspect) => Details.FirstOrDefault(d => d.Aspect == aspect);
}

/// <summary>
/// What differs between two versions of one program, read from their packages: phases, modules,
/// worksheets, fields, scores and conditions added, removed and changed (by id, and by the SHA-256
/// the manifest gives each text), modules moved in the schedule, and for each change what it means
/// for patients. <see cref="PatientMigration.Migrate"/> applies the same rules to one patient.
/// </summary>
public sealed class ProgramDiff
{
    private ProgramDiff(string programId, string fromVersion, string toVersion, ImmutableArray<ProgramChange> changes)
    {
        ProgramId = programId;
        FromVersion = fromVersion;
        ToVersion = toVersion;
        Changes = changes;
    }

    public string ProgramId { get; }
    public string FromVersion { get; }
    public string ToVersion { get; }

    /// <summary>
    /// The changes: the program, then phases, modules (in the new schedule order, removed ones after),
    /// worksheets, fields, scores and conditions, each kind in id order within its owner.
    /// </summary>
    public ImmutableArray<ProgramChange> Changes { get; }

    public bool IsEmpty => Changes.IsEmpty;

    /// <summary>The change of an item, if it changed: <c>diff[ItemKind.Field, "pain-rating.intensity"]</c>.</summary>
    public ProgramChange? this[ItemKind item, string id] => Changes.FirstOrDefault(c => c.Item == item && c.Id == id);

    /// <summary>
    /// Compares two packages of the same program. Throws <see cref="MigrationException"/>
    /// (<see cref="MigrationError.DifferentPrograms"/>) when they are of two programs.
    /// </summary>
    public static ProgramDiff Compare(ProgramPackage from, ProgramPackage to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        CheckSameProgram(from, to);
        return new Comparer(from, to).Run();
    }

    internal static void CheckSameProgram(ProgramPackage from, ProgramPackage to)
    {
        if (from.Program.Id != to.Program.Id)
            throw new MigrationException(MigrationError.DifferentPrograms,
                $"the packages are of two programs, '{from.Program.Id}' {from.Program.Version} and '{to.Program.Id}' {to.Program.Version}: only two versions of one program can be compared");
    }

    /// <summary>
    /// The diff as JSON (documented in docs/package-format.md, schema <c>schemas/diff.schema.json</c>):
    /// <c>{"format": "contentengine-diff", "version": 1, "program", "from", "to", "changes": [...]}</c>.
    /// </summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", "contentengine-diff");
            w.WriteNumber("version", 1);
            w.WriteString("program", ProgramId);
            w.WriteString("from", FromVersion);
            w.WriteString("to", ToVersion);
            w.WriteStartArray("changes");
            foreach (var c in Changes)
            {
                w.WriteStartObject();
                w.WriteString("item", Name(c.Item));
                w.WriteString("id", c.Id);
                w.WriteString("change", Name(c.Change));
                w.WriteBoolean("moved", c.Moved);
                w.WriteStartArray("details");
                foreach (var d in c.Details)
                {
                    w.WriteStartObject();
                    w.WriteString("aspect", d.Aspect);
                    if (d.Before is { } b) w.WriteString("before", b);
                    if (d.After is { } a) w.WriteString("after", a);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("patients");
                foreach (var i in c.Impacts)
                {
                    w.WriteStartObject();
                    w.WriteString("impact", Name(i.Kind));
                    w.WriteString("message", i.Message);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    /// <summary>An enum value as JSON writes it: its name with a lowercase first letter (<c>answersKeptAside</c>).</summary>
    public static string Name<T>(T value) where T : struct, Enum
    {
        var s = value.ToString();
        return char.ToLowerInvariant(s[0]) + s[1..];
    }

    /// <summary>Walks both versions and collects the changes.</summary>
    private sealed class Comparer(ProgramPackage fromPackage, ProgramPackage toPackage)
    {
        private readonly ProgramDefinition _from = fromPackage.Program;
        private readonly ProgramDefinition _to = toPackage.Program;
        private readonly Dictionary<string, string> _fromHashes = fromPackage.Manifest.Files.ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal);
        private readonly Dictionary<string, string> _toHashes = toPackage.Manifest.Files.ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal);
        private readonly List<ProgramChange> _changes = [];

        private string Locale => _to.DefaultLocale;

        private void Add(ChangeKind change, ItemKind item, string id, IEnumerable<ChangeDetail> details, IEnumerable<PatientImpact> impacts) =>
            _changes.Add(new ProgramChange(change, item, id, [.. details], [.. impacts]));

        public ProgramDiff Run()
        {
            CompareProgram();
            ComparePhases();
            CompareModules();
            CompareWorksheets();
            CompareConditions();
            return new ProgramDiff(_to.Id, _from.Version, _to.Version, [.. _changes]);
        }

        private void CompareProgram()
        {
            var details = new List<ChangeDetail>();
            var impacts = new List<PatientImpact>();
            if (_from.Release != _to.Release)
            {
                details.Add(new("release", _from.Release, _to.Release));
                impacts.Add(new(ImpactKind.ScheduleChanged, _to.Release == "all"
                    ? "every module is now released in week 1: modules of later weeks open at once, once their requirements are met"
                    : "modules are now released week by week: modules of weeks a patient has not reached lock again unless completed"));
            }
            var addedLocales = _to.Locales.Except(_from.Locales).ToList();
            var removedLocales = _from.Locales.Except(_to.Locales).ToList();
            if (addedLocales.Count > 0 || removedLocales.Count > 0 || _from.DefaultLocale != _to.DefaultLocale)
                details.Add(new("locales", string.Join(", ", _from.Locales), string.Join(", ", _to.Locales)));
            if (_from.TotalWeeks != _to.TotalWeeks)
            {
                details.Add(new("weeks", Num(_from.TotalWeeks), Num(_to.TotalWeeks)));
                impacts.Add(new(ImpactKind.ScheduleChanged, $"the program now lasts {_to.TotalWeeks} weeks instead of {_from.TotalWeeks}"));
            }
            if (_from.Title.Get(Locale) != _to.Title.Get(Locale))
                details.Add(new("title", _from.Title.Get(Locale), _to.Title.Get(Locale)));
            if (details.Count > 0) Add(ChangeKind.Changed, ItemKind.Program, _to.Id, details, impacts);
        }

        private void ComparePhases()
        {
            foreach (var p in _to.Phases)
            {
                var old = _from.FindPhase(p.Id);
                if (old is null)
                {
                    Add(ChangeKind.Added, ItemKind.Phase, p.Id, [new("weeks", null, $"{p.FirstWeek}-{p.LastWeek}")],
                        [new(ImpactKind.ScheduleChanged, $"a new phase in weeks {p.FirstWeek}-{p.LastWeek}")]);
                    continue;
                }
                var details = new List<ChangeDetail>();
                var impacts = new List<PatientImpact>();
                if (old.FirstWeek != p.FirstWeek || old.LastWeek != p.LastWeek || old.PauseBefore != p.PauseBefore)
                {
                    if (old.FirstWeek != p.FirstWeek || old.LastWeek != p.LastWeek)
                        details.Add(new("weeks", $"{old.FirstWeek}-{old.LastWeek}", $"{p.FirstWeek}-{p.LastWeek}"));
                    if (old.PauseBefore != p.PauseBefore) details.Add(new("pauseBefore", Num(old.PauseBefore), Num(p.PauseBefore)));
                    impacts.Add(new(ImpactKind.ScheduleChanged, $"the phase now runs in weeks {p.FirstWeek}-{p.LastWeek} (before: {old.FirstWeek}-{old.LastWeek}); its modules' weeks move with it"));
                }
                if (ChoiceText(old.Choose) != ChoiceText(p.Choose))
                {
                    details.Add(new("choose", ChoiceText(old.Choose), ChoiceText(p.Choose)));
                    impacts.Add(new(ImpactKind.ChoiceRuleChanged, p.Choose?.Max is { } max
                        ? $"patients may now choose at most {max} of its optional modules; those who chose more keep their choices, and the others lock"
                        : "patients may choose its optional modules under the new rule; their choices are kept"));
                }
                if (old.Title.Get(Locale) != p.Title.Get(Locale)) details.Add(new("title", old.Title.Get(Locale), p.Title.Get(Locale)));
                if (details.Count > 0) Add(ChangeKind.Changed, ItemKind.Phase, p.Id, details, impacts);
            }
            foreach (var old in _from.Phases.Where(o => _to.FindPhase(o.Id) is null))
                Add(ChangeKind.Removed, ItemKind.Phase, old.Id, [new("weeks", $"{old.FirstWeek}-{old.LastWeek}", null)],
                    [new(ImpactKind.ScheduleChanged, $"the phase of weeks {old.FirstWeek}-{old.LastWeek} is gone; its modules are removed or moved (listed below)")]);
        }

        private static string? ChoiceText(ChoiceRule? c) => c is null ? null : c.Max is { } max ? $"{c.Min} to {max}" : $"at least {c.Min}";

        private int Release(ProgramDefinition p, ModuleDefinition m) => p.Release == "all" ? 1 : m.ProgramWeek;

        private void CompareModules()
        {
            foreach (var m in _to.Modules)
            {
                var old = _from.FindModule(m.Id);
                var week = Release(_to, m);
                if (old is null)
                {
                    var impacts = new List<PatientImpact>();
                    var what = m.Optional ? "a new optional module they may choose" : "a new module";
                    if (week > 1)
                        impacts.Add(new(ImpactKind.NewModuleInPassedWeek,
                            $"patients past week {week - 1} get {what}, '{m.Id}', in a week they have passed (week {week}): it is open at once" + Requires(m)));
                    else
                        impacts.Add(new(ImpactKind.NewModuleInPassedWeek, $"every patient who has started gets {what}, '{m.Id}', in week 1: it is open at once" + Requires(m)));
                    Add(ChangeKind.Added, ItemKind.Module, m.Id,
                        [new("phase", null, m.Phase), new("programWeek", null, Num(m.ProgramWeek)), new("optional", null, Bool(m.Optional))], impacts);
                    continue;
                }
                CompareModule(old, m);
            }
            foreach (var old in _from.Modules.Where(o => _to.FindModule(o.Id) is null))
            {
                var impacts = new List<PatientImpact>
                {
                    new(ImpactKind.CompletedModuleRemoved, $"patients who completed '{old.Id}' keep their other progress; the completion is listed in the migration report and no longer counts"),
                };
                if (old.Optional)
                    impacts.Add(new(ImpactKind.ChosenModuleRemoved, $"patients who chose '{old.Id}' are flagged: it no longer exists, and they may choose another module"));
                Add(ChangeKind.Removed, ItemKind.Module, old.Id,
                    [new("phase", old.Phase, null), new("programWeek", Num(old.ProgramWeek), null), new("optional", Bool(old.Optional), null)], impacts);
            }
        }

        private static string Requires(ModuleDefinition m) =>
            m.Requires.IsEmpty ? string.Empty : $" when {string.Join(", ", m.Requires.Select(r => $"'{r}'"))} {(m.Requires.Length == 1 ? "is" : "are")} completed";

        private void CompareModule(ModuleDefinition old, ModuleDefinition m)
        {
            var details = new List<ChangeDetail>();
            var impacts = new List<PatientImpact>();
            if (old.Phase != m.Phase) details.Add(new("phase", old.Phase, m.Phase));
            var (was, now) = (Release(_from, old), Release(_to, m));
            if (old.ProgramWeek != m.ProgramWeek)
            {
                details.Add(new("programWeek", Num(old.ProgramWeek), Num(m.ProgramWeek)));
                if (now < was)
                    impacts.Add(new(ImpactKind.OpensEarlier, $"'{m.Id}' now opens in week {now} instead of {was}: patients in {Weeks(now, was - 1)} find it open at once" + Requires(m)));
                else if (now > was)
                    impacts.Add(new(ImpactKind.OpensLater, $"'{m.Id}' now opens in week {now} instead of {was}: patients in {Weeks(was, now - 1)} who have not completed it see it locked again until week {now}"));
            }
            else if (old.Week != m.Week) details.Add(new("week", Num(old.Week), Num(m.Week)));
            if (!old.Requires.SequenceEqual(m.Requires))
            {
                details.Add(new("requires", List(old.Requires), List(m.Requires)));
                var added = m.Requires.Except(old.Requires).ToList();
                impacts.Add(new(ImpactKind.RequirementsChanged, added.Count > 0
                    ? $"'{m.Id}' now also requires {string.Join(", ", added.Select(a => $"'{a}'"))}: patients who have not completed {(added.Count == 1 ? "it" : "them")} find '{m.Id}' locked until they do, unless they completed it already"
                    : $"'{m.Id}' requires fewer modules: it may open sooner"));
            }
            if (old.Optional != m.Optional)
            {
                details.Add(new("optional", Bool(old.Optional), Bool(m.Optional)));
                impacts.Add(new(ImpactKind.OptionalityChanged, m.Optional
                    ? $"'{m.Id}' is now optional: patients who completed it keep it (it counts as chosen); the others may choose it"
                    : $"'{m.Id}' is now mandatory: every patient gets it, chosen or not"));
            }
            var text = ChangedLocales("modules", m.Id);
            if (text.Count > 0)
            {
                details.Add(new("text", null, string.Join(", ", text)));
                impacts.Add(new(ImpactKind.TextChanged, $"patients who completed '{m.Id}' read the earlier text; it stays completed"));
            }
            if (old.Title.Get(Locale) != m.Title.Get(Locale)) details.Add(new("title", old.Title.Get(Locale), m.Title.Get(Locale)));
            if (old.Summary?.Get(Locale) != m.Summary?.Get(Locale)) details.Add(new("summary", old.Summary?.Get(Locale), m.Summary?.Get(Locale)));
            if (old.Minutes != m.Minutes) details.Add(new("minutes", old.Minutes is { } a ? Num(a) : null, m.Minutes is { } b ? Num(b) : null));
            if (old.OfferReason?.Get(Locale) != m.OfferReason?.Get(Locale)) details.Add(new("offerReason", old.OfferReason?.Get(Locale), m.OfferReason?.Get(Locale)));
            if (!old.Tags.SequenceEqual(m.Tags)) details.Add(new("tags", List(old.Tags), List(m.Tags)));
            if (details.Count > 0) Add(ChangeKind.Changed, ItemKind.Module, m.Id, details, impacts);
        }

        /// <summary>The locales in which a text's HTML fragment differs, by the SHA-256 the manifests give.</summary>
        private List<string> ChangedLocales(string folder, string id) =>
            [.. _to.Locales.Union(_from.Locales).Where(l =>
                _fromHashes.GetValueOrDefault($"content/{l}/{folder}/{id}.html") is var a
                && _toHashes.GetValueOrDefault($"content/{l}/{folder}/{id}.html") is var b
                && !string.Equals(a, b, StringComparison.OrdinalIgnoreCase))];

        private void CompareWorksheets()
        {
            var fromById = _from.Worksheets.ToDictionary(w => w.Id, StringComparer.Ordinal);
            var toById = _to.Worksheets.ToDictionary(w => w.Id, StringComparer.Ordinal);
            var fieldChanges = new List<ProgramChange>();
            var scoreChanges = new List<ProgramChange>();
            foreach (var id in fromById.Keys.Union(toById.Keys).Order(StringComparer.Ordinal))
            {
                var old = fromById.GetValueOrDefault(id);
                var now = toById.GetValueOrDefault(id);
                if (old is null)
                {
                    Add(ChangeKind.Added, ItemKind.Worksheet, id, [new("kind", null, now!.Kind), new("fields", null, List(now.Fields.Select(f => f.Id)))], []);
                    continue;
                }
                if (now is null)
                {
                    Add(ChangeKind.Removed, ItemKind.Worksheet, id, [new("kind", old.Kind, null), new("fields", List(old.Fields.Select(f => f.Id)), null)],
                        [new(ImpactKind.AnswersKeptAside, $"answers to {id} are kept aside: the patient's record keeps them under keptAside.{id}, and the program no longer reads them")]);
                    continue;
                }
                var details = new List<ChangeDetail>();
                var impacts = new List<PatientImpact>();
                if (old.Kind != now.Kind)
                {
                    details.Add(new("kind", old.Kind, now.Kind));
                    if (IsDiary(old) != IsDiary(now))
                        impacts.Add(new(ImpactKind.AnswersKeptAside, $"{id} changed from a {old.Kind} to a {now.Kind} without a new id: its answers have another shape, so they are kept aside and the patient fills it in again"));
                }
                if (old.Repeat != now.Repeat) details.Add(new("repeat", old.Repeat, now.Repeat));
                if (old.Days != now.Days) details.Add(new("days", old.Days is { } a ? Num(a) : null, now.Days is { } b ? Num(b) : null));
                if (old.Title.Get(Locale) != now.Title.Get(Locale)) details.Add(new("title", old.Title.Get(Locale), now.Title.Get(Locale)));
                var text = ChangedLocales("worksheets", id);
                if (text.Count > 0)
                {
                    details.Add(new("text", null, string.Join(", ", text)));
                    impacts.Add(new(ImpactKind.TextChanged, $"patients who filled in {id} read the earlier instructions; their answers are kept"));
                }
                var (oldFields, newFields) = (RawFields(fromPackage, id), RawFields(toPackage, id));
                var reshaped = IsDiary(old) != IsDiary(now);
                if (!old.Fields.Select(f => f.Id).SequenceEqual(now.Fields.Select(f => f.Id))
                    && old.Fields.Select(f => f.Id).Order(StringComparer.Ordinal).SequenceEqual(now.Fields.Select(f => f.Id).Order(StringComparer.Ordinal)))
                    details.Add(new("order", List(old.Fields.Select(f => f.Id)), List(now.Fields.Select(f => f.Id))));
                if (details.Count > 0) Add(ChangeKind.Changed, ItemKind.Worksheet, id, details, impacts);
                CompareFields(id, old, now, oldFields, newFields, reshaped, fieldChanges);
                CompareScores(id, RawScores(fromPackage, id), RawScores(toPackage, id), scoreChanges, Locale);
            }
            _changes.AddRange(fieldChanges);
            _changes.AddRange(scoreChanges);
        }

        private static bool IsDiary(WorksheetDefinition w) => w.Kind == "diary";

        private void CompareFields(string worksheet, WorksheetDefinition oldSheet, WorksheetDefinition newSheet,
            Dictionary<string, JsonElement> oldRaw, Dictionary<string, JsonElement> newRaw, bool reshaped, List<ProgramChange> changes)
        {
            var fromById = oldSheet.Fields.ToDictionary(f => f.Id, StringComparer.Ordinal);
            foreach (var f in newSheet.Fields)
            {
                var id = $"{worksheet}.{f.Id}";
                if (!fromById.TryGetValue(f.Id, out var old))
                {
                    changes.Add(new(ChangeKind.Added, ItemKind.Field, id, [new("type", null, f.Type), new("required", null, Bool(f.Required))],
                        f.Required
                            ? [new(ImpactKind.NewlyRequired, $"a new required question: patients who filled in {worksheet} before have not answered {id}, so {worksheet} counts as unanswered for them until they do")]
                            : []));
                    continue;
                }
                var details = new List<ChangeDetail>();
                var impacts = new List<PatientImpact>();
                var retyped = old.Type != f.Type || old.Multiple != f.Multiple;
                if (old.Type != f.Type) details.Add(new("type", old.Type, f.Type));
                if (old.Multiple != f.Multiple) details.Add(new("multiple", Bool(old.Multiple), Bool(f.Multiple)));
                if (retyped && !reshaped)
                {
                    impacts.Add(new(ImpactKind.AnswersKeptAside, $"{id} changed type without a new id: old answers to it are kept aside (keptAside.{worksheet})"));
                    impacts.Add(new(ImpactKind.AskedAgain, $"patients who answered {id} are asked it again" +
                        (f.Required ? $"; it is required, so {worksheet} counts as unanswered for them until they answer it" : string.Empty)));
                }
                if (old.Required != f.Required)
                {
                    details.Add(new("required", Bool(old.Required), Bool(f.Required)));
                    if (f.Required && !retyped)
                        impacts.Add(new(ImpactKind.NewlyRequired, $"{id} is now required: patients who left it empty have {worksheet} counted as unanswered until they answer it"));
                }
                if (old.Min != f.Min || old.Max != f.Max)
                {
                    details.Add(new("range", Range(old), Range(f)));
                    if (!retyped && ((f.Min is { } lo && (old.Min is not { } olo || olo < lo)) || (f.Max is { } hi && (old.Max is not { } ohi || ohi > hi))))
                        impacts.Add(new(ImpactKind.AnswersOutsideNewValues, $"the range of {id} is narrower ({Range(f)}): answers outside it are kept as they are, and conditions still read them"));
                }
                if (!old.Options.SequenceEqual(f.Options))
                {
                    details.Add(new("options", List(old.Options), List(f.Options)));
                    var removed = old.Options.Except(f.Options).ToList();
                    if (removed.Count > 0 && !retyped)
                        impacts.Add(new(ImpactKind.AnswersOutsideNewValues, $"{id} no longer has the option{(removed.Count == 1 ? string.Empty : "s")} {string.Join(", ", removed.Select(r => $"'{r}'"))}: answers holding {(removed.Count == 1 ? "it" : "them")} are kept, but match no option, and conditions comparing with the remaining options are false for them"));
                }
                // Everything else the field's definition holds: the wording, help, unit, labels, columns, areas.
                if (oldRaw.TryGetValue(f.Id, out var a) && newRaw.TryGetValue(f.Id, out var b))
                    foreach (var key in Keys(a).Union(Keys(b)).Where(k => k is not ("id" or "type" or "multiple" or "required" or "min" or "max" or "options")))
                    {
                        var (x, y) = (Prop(a, key), Prop(b, key));
                        if (Canonical(x) != Canonical(y)) details.Add(new(key, Show(x, Locale), Show(y, Locale)));
                    }
                if (details.Count > 0) changes.Add(new(ChangeKind.Changed, ItemKind.Field, id, [.. details], [.. impacts]));
            }
            var newIds = newSheet.Fields.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var old in oldSheet.Fields.Where(o => !newIds.Contains(o.Id)))
                changes.Add(new(ChangeKind.Removed, ItemKind.Field, $"{worksheet}.{old.Id}", [new("type", old.Type, null)],
                    reshaped ? [] : [new(ImpactKind.AnswersKeptAside, $"answers to {worksheet}.{old.Id} are kept aside (keptAside.{worksheet}), and the program no longer reads them")]));
        }

        private static string? Range(FieldDefinition f) =>
            f.Min is null && f.Max is null ? null : $"{(f.Min is { } lo ? Num(lo) : string.Empty)}..{(f.Max is { } hi ? Num(hi) : string.Empty)}";

        private static void CompareScores(string worksheet, Dictionary<string, JsonElement> old, Dictionary<string, JsonElement> now, List<ProgramChange> changes, string locale)
        {
            foreach (var (id, score) in now)
            {
                if (!old.TryGetValue(id, out var before))
                {
                    changes.Add(new(ChangeKind.Added, ItemKind.Score, $"{worksheet}.{id}", [new("method", null, Show(Prop(score, "method")))], []));
                    continue;
                }
                var details = Keys(before).Union(Keys(score)).Where(k => Canonical(Prop(before, k)) != Canonical(Prop(score, k)))
                    .Select(k => new ChangeDetail(k, Show(Prop(before, k), locale), Show(Prop(score, k), locale))).ToList();
                if (details.Count > 0)
                    changes.Add(new(ChangeKind.Changed, ItemKind.Score, $"{worksheet}.{id}", [.. details],
                        details.Any(d => d.Aspect is "method" or "items")
                            ? [new(ImpactKind.ScoreChanged, $"{worksheet}.{id} is computed differently: conditions on it may give another result for the same answers")]
                            : []));
            }
            foreach (var (id, score) in old.Where(o => !now.ContainsKey(o.Key)))
                changes.Add(new(ChangeKind.Removed, ItemKind.Score, $"{worksheet}.{id}", [new("method", Show(Prop(score, "method")), null)], []));
        }

        private void CompareConditions()
        {
            // Offer conditions, by module.
            foreach (var m in _to.Modules)
            {
                var before = _from.FindModule(m.Id)?.OfferWhen?.Source;
                var after = m.OfferWhen?.Source;
                if (before == after || (_from.FindModule(m.Id) is null && after is null)) continue;
                var change = before is null ? ChangeKind.Added : after is null ? ChangeKind.Removed : ChangeKind.Changed;
                Add(change, ItemKind.Condition, $"{m.Id}.offerWhen", [new("source", before, after)],
                    [new(ImpactKind.ConditionChanged, after is null
                        ? $"'{m.Id}' is no longer recommended to anyone; patients who chose it keep it"
                        : $"who is recommended '{m.Id}' changes: patients who were recommended it may no longer be, and others may be; their choices are kept")]);
            }
            foreach (var old in _from.Modules.Where(o => _to.FindModule(o.Id) is null && o.OfferWhen is not null))
                Add(ChangeKind.Removed, ItemKind.Condition, $"{old.Id}.offerWhen", [new("source", old.OfferWhen!.Source, null)], []);

            // The conditions of ::: if blocks, by the module or worksheet whose text holds them.
            var before2 = IfConditions(fromPackage);
            var after2 = IfConditions(toPackage);
            foreach (var owner in before2.Keys.Union(after2.Keys).Distinct().OrderBy(o => Order(o)).ThenBy(o => o.Kind, StringComparer.Ordinal).ThenBy(o => o.Id, StringComparer.Ordinal))
            {
                var a = before2.GetValueOrDefault(owner) ?? [];
                var b = after2.GetValueOrDefault(owner) ?? [];
                var removed = Minus(a, b);
                var added = Minus(b, a);
                if (removed.Count == 0 && added.Count == 0) continue;
                var ownerGone = owner.Kind == "module" ? _to.FindModule(owner.Id) is null : _to.Worksheets.All(w => w.Id != owner.Id);
                var ownerNew = owner.Kind == "module" ? _from.FindModule(owner.Id) is null : _from.Worksheets.All(w => w.Id != owner.Id);
                PatientImpact[] impact = ownerGone || ownerNew ? [] :
                [
                    new PatientImpact(ImpactKind.ConditionChanged, $"who sees which part of the text of {(owner.Kind == "module" ? $"'{owner.Id}'" : owner.Id)} changes"),
                ];
                if (removed.Count == 1 && added.Count == 1)
                    Add(ChangeKind.Changed, ItemKind.Condition, $"{owner.Id}.if", [new("source", removed[0], added[0])], impact);
                else
                {
                    foreach (var r in removed) Add(ChangeKind.Removed, ItemKind.Condition, $"{owner.Id}.if", [new("source", r, null)], impact);
                    foreach (var n in added) Add(ChangeKind.Added, ItemKind.Condition, $"{owner.Id}.if", [new("source", null, n)], impact);
                }
            }
        }

        private int Order((string Kind, string Id) owner) =>
            owner.Kind == "module" ? (_to.Modules.IndexOf(_to.FindModule(owner.Id)!) is var i and >= 0 ? i : 10000) : 20000;

        private static List<string> Minus(List<string> a, List<string> b)
        {
            var rest = b.ToList();
            var result = new List<string>();
            foreach (var x in a)
                if (!rest.Remove(x)) result.Add(x);
            return result;
        }
    }

    /// <summary>Each field's definition in worksheets/&lt;id&gt;.json, by id; empty when the file cannot be read.</summary>
    private static Dictionary<string, JsonElement> RawFields(ProgramPackage package, string worksheet) =>
        RawList(package, worksheet, root => Prop(root, "fields"));

    /// <summary>Each score's definition in worksheets/&lt;id&gt;.json, by id.</summary>
    private static Dictionary<string, JsonElement> RawScores(ProgramPackage package, string worksheet) =>
        RawList(package, worksheet, root => Prop(root, "scoring") is { ValueKind: JsonValueKind.Object } s ? Prop(s, "scores") : null);

    private static Dictionary<string, JsonElement> RawList(ProgramPackage package, string worksheet, Func<JsonElement, JsonElement?> list)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var path = $"worksheets/{worksheet}.json";
        if (!package.Contains(path)) return result;
        try
        {
            using var doc = JsonDocument.Parse(package.ReadFile(path), DeepJson);
            if (list(doc.RootElement) is { ValueKind: JsonValueKind.Array } items)
                foreach (var item in items.EnumerateArray())
                    if (Prop(item, "id") is { ValueKind: JsonValueKind.String } id)
                        result[id.GetString()!] = item.Clone();
        }
        catch (JsonException)
        {
            // The definition in graph.json is what the runtime reads; a damaged copy only hides the finer details.
        }
        return result;
    }

    /// <summary>
    /// The conditions of the <c>::: if</c> blocks in each module's and worksheet's text, in the program's
    /// default locale, from graph.json.
    /// </summary>
    private static Dictionary<(string Kind, string Id), List<string>> IfConditions(ProgramPackage package)
    {
        var result = new Dictionary<(string Kind, string Id), List<string>>();
        using var doc = JsonDocument.Parse(package.ReadFile(ProgramPackage.GraphPath), DeepJson);
        var locale = package.Program.DefaultLocale;
        foreach (var (kind, list) in new[] { ("module", "modules"), ("worksheet", "worksheets") })
        {
            if (Prop(doc.RootElement, list) is not { ValueKind: JsonValueKind.Array } items) continue;
            foreach (var item in items.EnumerateArray())
            {
                if (Prop(item, "id") is not { ValueKind: JsonValueKind.String } id) continue;
                var found = new List<string>();
                if (Prop(item, "content") is { ValueKind: JsonValueKind.Object } content && Prop(content, locale) is { ValueKind: JsonValueKind.Object } body)
                    Collect(Prop(body, "blocks"), found);
                if (found.Count > 0) result[(kind, id.GetString()!)] = found;
            }
        }
        return result;

        static void Collect(JsonElement? blocks, List<string> found)
        {
            if (blocks is not { ValueKind: JsonValueKind.Array } list) return;
            foreach (var b in list.EnumerateArray())
            {
                if (Prop(b, "name") is { ValueKind: JsonValueKind.String } n && n.GetString() == "if"
                    && Prop(b, "condition") is { ValueKind: JsonValueKind.Object } c && Prop(c, "source") is { ValueKind: JsonValueKind.String } s)
                    found.Add(s.GetString()!);
                Collect(Prop(b, "blocks"), found);
            }
        }
    }

    /// <summary>As deep as graph.json may be: a condition tree nests one level per operator.</summary>
    private static readonly JsonDocumentOptions DeepJson = new() { MaxDepth = 512 };

    private static JsonElement? Prop(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : null;

    private static IEnumerable<string> Keys(JsonElement e) => e.ValueKind == JsonValueKind.Object ? e.EnumerateObject().Select(p => p.Name) : [];

    private static string? Canonical(JsonElement? e) => e?.GetRawText();

    /// <summary>A value as a short text: a string as it is, a localized text in <paramref name="locale"/> (else its first), a list of values joined.</summary>
    private static string? Show(JsonElement? value, string? locale = null)
    {
        if (value is not { } e) return null;
        switch (e.ValueKind)
        {
            case JsonValueKind.String: return e.GetString();
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False: return e.GetRawText();
            case JsonValueKind.Object when e.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String):
                return locale is not null && e.TryGetProperty(locale, out var text) ? text.GetString() : e.EnumerateObject().Select(p => p.Value.GetString()).FirstOrDefault();
            case JsonValueKind.Array when e.EnumerateArray().All(x => x.ValueKind is JsonValueKind.String or JsonValueKind.Number):
                return string.Join(", ", e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText()));
            case JsonValueKind.Array when e.EnumerateArray().All(x => Prop(x, "value") is not null || Prop(x, "id") is not null):
                return string.Join(", ", e.EnumerateArray().Select(x => Show(Prop(x, "value") ?? Prop(x, "id"))));
            default:
                var raw = JsonSerializer.Serialize(e);
                return raw.Length <= 120 ? raw : raw[..117] + "...";
        }
    }

    private static string Weeks(int first, int last) => first == last ? $"week {first}" : $"weeks {first}-{last}";

    private static string Num(double n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool b) => b ? "true" : "false";

    private static string? List(IEnumerable<string> ids) => string.Join(", ", ids) is { Length: > 0 } s ? s : null;
}

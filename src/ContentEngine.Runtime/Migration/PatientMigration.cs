using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentEngine.Model;
using ContentEngine.Runtime.Packaging;
using ContentEngine.Runtime.Patients;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Runtime.Migration;

/// <summary>Why answers were moved to the patient's <c>keptAside</c>.</summary>
public enum KeptAsideReason
{
    /// <summary>The new version has no worksheet of that id.</summary>
    WorksheetRemoved,

    /// <summary>The worksheet changed between a form and a diary: its answers have another shape.</summary>
    WorksheetReshaped,

    /// <summary>The worksheet no longer has the field.</summary>
    FieldRemoved,

    /// <summary>The field changed type (or between one choice and several) without a new id: the old answers would be misread, so the question is asked again.</summary>
    FieldRetyped,
}

/// <summary>
/// Answers moved to <c>keptAside</c>: all of a worksheet's (<see cref="Field"/> null) or one field's;
/// <see cref="Values"/> is how many answers (one per diary entry that held one).
/// </summary>
public sealed record KeptAsideAnswers(string Worksheet, string? Field, KeptAsideReason Reason, int Values)
{
    public string Id => Field is null ? Worksheet : $"{Worksheet}.{Field}";
}

/// <summary>
/// A module's state for the patient before the migration (in the old version) and after (in the new),
/// null where the version has no such module; and whether it was, and is, recommended to them.
/// </summary>
public sealed record ModuleTransition(string Id, ModuleState? Before, ModuleState? After, bool RecommendedBefore, bool RecommendedAfter);

/// <summary>The patient's state in the new version, and the report of what changed for them.</summary>
public sealed record MigrationResult(PatientRecord State, MigrationReport Report);

/// <summary>
/// Moves a patient's stored state from one version of a program to another (docs/package-format.md,
/// "Moving patients to a new version"). Nothing is lost: answers the new version no longer reads
/// (to removed worksheets and fields, and to fields whose type changed) are moved to
/// <c>keptAside</c>; completed and chosen modules are kept by id, and those the new version no longer
/// has are listed in the report; the state then names the new version. The week is not stored
/// (unless the state fixes one): it is counted from the start date, so it is the same instant's week
/// in the new schedule, and the report gives every module's state before and after.
/// </summary>
public static partial class PatientMigration
{
    /// <summary>
    /// Migrates <paramref name="state"/> from <paramref name="fromPackage"/>'s version to
    /// <paramref name="toPackage"/>'s, judging the schedule at <paramref name="now"/>. Throws
    /// <see cref="MigrationException"/> when the packages are of two programs, the state is for
    /// another program, or the state says it was last used with another version than
    /// <paramref name="fromPackage"/>'s; and <see cref="PatientStateException"/> when the state's time
    /// zone is unknown. Never returns a partial result.
    /// </summary>
    public static MigrationResult Migrate(PatientRecord state, ProgramPackage fromPackage, ProgramPackage toPackage, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(fromPackage);
        ArgumentNullException.ThrowIfNull(toPackage);
        ProgramDiff.CheckSameProgram(fromPackage, toPackage);
        var from = fromPackage.Program;
        var to = toPackage.Program;
        if (state.ProgramId != from.Id)
            throw new MigrationException(MigrationError.OtherProgram,
                $"the patient state is for the program '{state.ProgramId}', and the packages are of '{from.Id}'");
        if (state.ProgramVersion is { } version && version != from.Version)
            throw new MigrationException(MigrationError.OtherVersion,
                $"the patient state was last used with version {version} of '{from.Id}', not {from.Version}, the version to migrate from" +
                (version == to.Version ? $": it is already on {to.Version}" : $"; migrate it from the package of version {version}"));

        var diff = ProgramDiff.Compare(fromPackage, toPackage);
        var before = from.Evaluate(state, now);

        var answers = new OrderedDictionary<string, JsonElement>(StringComparer.Ordinal);
        var aside = new OrderedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (id, value) in state.StoredKeptAside) aside[id] = value;
        var keptAside = ImmutableArray.CreateBuilder<KeptAsideAnswers>();
        var oldSheets = from.Worksheets.ToDictionary(w => w.Id, StringComparer.Ordinal);
        var newSheets = to.Worksheets.ToDictionary(w => w.Id, StringComparer.Ordinal);
        foreach (var (id, value) in state.StoredAnswers)
        {
            var sheet = newSheets.GetValueOrDefault(id);
            var diary = value.ValueKind == JsonValueKind.Array;
            if (sheet is null || diary != (sheet.Kind == WorksheetKind.Diary))
            {
                SetAside(aside, id, value);
                keptAside.Add(new(id, null, sheet is null ? KeptAsideReason.WorksheetRemoved : KeptAsideReason.WorksheetReshaped, diary ? value.GetArrayLength() : 1));
                continue;
            }
            var old = oldSheets.GetValueOrDefault(id);
            KeptAsideReason? Fate(string field)
            {
                if (field.StartsWith('_')) return null; // the entry's own, such as its date
                if (sheet.Fields.FirstOrDefault(f => f.Id == field) is not { } now) return KeptAsideReason.FieldRemoved;
                return old?.Fields.FirstOrDefault(f => f.Id == field) is { } was && (was.Type != now.Type || was.Multiple != now.Multiple)
                    ? KeptAsideReason.FieldRetyped : null;
            }
            var counts = new OrderedDictionary<string, (KeptAsideReason Reason, int Values)>(StringComparer.Ordinal);
            var entries = diary ? [.. value.EnumerateArray()] : new List<JsonElement> { value };
            var keptEntries = new List<JsonElement>();
            var asideEntries = new List<JsonElement>();
            foreach (var entry in entries)
            {
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    keptEntries.Add(entry);
                    continue;
                }
                var keep = new List<JsonProperty>();
                var move = new List<JsonProperty>();
                foreach (var p in entry.EnumerateObject())
                {
                    if (Fate(p.Name) is { } reason)
                    {
                        move.Add(p);
                        counts[p.Name] = (reason, (counts.TryGetValue(p.Name, out var c) ? c.Values : 0) + 1);
                    }
                    else keep.Add(p);
                }
                if (move.Count == 0)
                {
                    keptEntries.Add(entry);
                    continue;
                }
                var own = keep.Where(p => p.Name.StartsWith('_')).ToList();
                if (keep.Count > own.Count || !diary) keptEntries.Add(Object(keep));
                asideEntries.Add(Object([.. own, .. move]));
            }
            if (asideEntries.Count > 0)
            {
                SetAside(aside, id, diary ? Array(asideEntries) : asideEntries[0]);
                keptAside.AddRange(counts.Select(c => new KeptAsideAnswers(id, c.Key, c.Value.Reason, c.Value.Values)));
            }
            // A form left with no answer, or a diary with no entry, is not kept as an empty one.
            if (diary ? keptEntries.Count > 0 || entries.Count == 0 : keptEntries[0].EnumerateObject().Any() || !value.EnumerateObject().Any())
                answers[id] = asideEntries.Count == 0 ? value : diary ? Array(keptEntries) : keptEntries[0];
        }

        var completedRemoved = state.Completed.Where(id => to.FindModule(id) is null).Distinct().ToImmutableArray();
        var chosenRemoved = state.Chosen.Where(id => to.FindModule(id) is null).Distinct().ToImmutableArray();
        var migrated = state with
        {
            ProgramVersion = to.Version,
            Completed = [.. state.Completed.Where(id => to.FindModule(id) is not null)],
            Chosen = [.. state.Chosen.Where(id => to.FindModule(id) is not null)],
            Answers = PatientRecord.Typed(answers),
            KeptAside = PatientRecord.Typed(aside),
        };
        var after = to.Evaluate(migrated, now);

        ModuleStatus? Before(string id) => before.Modules.FirstOrDefault(s => s.Id == id);
        var modules = to.Modules.Select(m => new ModuleTransition(m.Id, Before(m.Id)?.State, after[m.Id].State, Before(m.Id)?.Recommended ?? false, after[m.Id].Recommended))
            .Concat(from.Modules.Where(m => to.FindModule(m.Id) is null).Select(m => new ModuleTransition(m.Id, before[m.Id].State, null, before[m.Id].Recommended, false)))
            .ToImmutableArray();
        var keptAsideList = keptAside.ToImmutable();
        var report = new MigrationReport(to.Id, from.Version, to.Version, now, keptAsideList, completedRemoved, chosenRemoved,
            before.Week, after.Week, modules, diff)
        {
            Notices = FindNotices(new(from, to, state, migrated, before, after, keptAsideList, completedRemoved, chosenRemoved, now)),
        };
        return new MigrationResult(migrated, report);
    }

    /// <summary>
    /// Adds answers to <c>keptAside</c> without losing what is there: a form's fields join the ones set
    /// aside before when none collides; otherwise (or for a diary) the entries follow the earlier ones in a list.
    /// </summary>
    private static void SetAside(OrderedDictionary<string, JsonElement> aside, string worksheet, JsonElement value)
    {
        if (!aside.TryGetValue(worksheet, out var earlier))
        {
            aside[worksheet] = value;
            return;
        }
        if (earlier.ValueKind == JsonValueKind.Object && value.ValueKind == JsonValueKind.Object
            && !earlier.EnumerateObject().Any(p => value.TryGetProperty(p.Name, out _)))
        {
            aside[worksheet] = Object([.. earlier.EnumerateObject(), .. value.EnumerateObject()]);
            return;
        }
        static IEnumerable<JsonElement> Items(JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : [e];
        aside[worksheet] = Array([.. Items(earlier), .. Items(value)]);
    }

    private static JsonElement Object(IEnumerable<JsonProperty> properties) => Write(w =>
    {
        w.WriteStartObject();
        foreach (var p in properties) p.WriteTo(w);
        w.WriteEndObject();
    });

    private static JsonElement Array(IEnumerable<JsonElement> items) => Write(w =>
    {
        w.WriteStartArray();
        foreach (var i in items) i.WriteTo(w);
        w.WriteEndArray();
    });

    private static JsonElement Write(Action<Utf8JsonWriter> write) => StoredJson.Build(write);
}

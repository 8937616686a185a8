using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ContentEngine.Model;
using ContentEngine.Runtime.Packaging;

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
public sealed class MigrationException(MigrationError error, string message) : ContentEngineException(message)
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
public sealed partial class ProgramDiff
{
    private ProgramDiff(string programId, string fromVersion, string toVersion, ImmutableArray<ProgramChange> changes) =>
        (ProgramId, FromVersion, ToVersion, Changes) = (programId, fromVersion, toVersion, changes);

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
        return JsonText.Write(w =>
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
        });
    }

    /// <summary>An enum value as JSON writes it: its name with a lowercase first letter (<c>answersKeptAside</c>).</summary>
    public static string Name<T>(T value) where T : struct, Enum
    {
        var s = value.ToString();
        return char.ToLowerInvariant(s[0]) + s[1..];
    }

    private static string Weeks(int first, int last) => first == last ? $"week {first}" : $"weeks {first}-{last}";

    private static string Num(double n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Lower<T>(T value) where T : struct, Enum => Output.GraphJson.Lower(value);

    private static string Bool(bool b) => b ? "true" : "false";

    private static string? List(IEnumerable<string> ids) => string.Join(", ", ids) is { Length: > 0 } s ? s : null;
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ContentEngine.Model;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Runtime.Migration;

/// <summary>What a migration did to one patient's state, and what it means for them now.</summary>
public sealed record MigrationReport(
    string ProgramId,
    string FromVersion,
    string ToVersion,
    DateTimeOffset At,
    ImmutableArray<KeptAsideAnswers> KeptAside,
    ImmutableArray<string> CompletedRemoved,
    ImmutableArray<string> ChosenRemoved,
    int WeekBefore,
    int WeekAfter,
    ImmutableArray<ModuleTransition> Modules,
    ProgramDiff Diff)
{
    /// <summary>
    /// Everything the migration found that concerns the patient, each with what to do about it: answers set
    /// aside, questions to ask again or for the first time, answers holding options that are gone, scores that
    /// compute differently or fall in another band, modules moved in weeks the patient has not reached, removed
    /// modules they completed or chose, and offers they can no longer take. In the order of <see cref="NoticeKind"/>.
    /// </summary>
    public ImmutableArray<MigrationNotice> Notices { get; init; } = [];

    /// <summary>Fields whose old answers were set aside because they changed type: ask the patient these again.</summary>
    public IEnumerable<string> AskAgain => KeptAside.Where(k => k.Reason == KeptAsideReason.FieldRetyped).Select(k => k.Id);

    /// <summary>Modules open or offered now that were not before: new ones, moved ones, ones whose requirements changed.</summary>
    public IEnumerable<ModuleTransition> NewlyAvailable =>
        Modules.Where(m => m.After is ModuleState.Open or ModuleState.Offered && m.Before is not (ModuleState.Open or ModuleState.Offered or ModuleState.Completed));

    /// <summary>Optional modules recommended to the patient now that were not before (a condition changed, or the module is new).</summary>
    public IEnumerable<ModuleTransition> NewlyRecommended => Modules.Where(m => m.RecommendedAfter && !m.RecommendedBefore);

    /// <summary>Whether something in the report needs telling the patient or their therapist.</summary>
    public bool NeedsAttention => !KeptAside.IsEmpty || !CompletedRemoved.IsEmpty || !ChosenRemoved.IsEmpty || !Notices.IsEmpty || NewlyAvailable.Any() || NewlyRecommended.Any();

    /// <summary>
    /// The report as JSON, to keep beside the patient's record:
    /// <c>{"format": "contentengine-migration-report", "version": 1, "program", "from", "to", "at", "keptAside", "completedRemoved", "chosenRemoved", "week", "modules", "notices"}</c>;
    /// each notice <c>{"kind", "id", "before", "after", "action", "message"}</c>.
    /// </summary>
    public string ToJson()
    {
        return JsonText.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("format", "contentengine-migration-report");
            w.WriteNumber("version", 1);
            w.WriteString("program", ProgramId);
            w.WriteString("from", FromVersion);
            w.WriteString("to", ToVersion);
            w.WriteString("at", At.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture));
            w.WriteStartArray("keptAside");
            foreach (var k in KeptAside)
            {
                w.WriteStartObject();
                w.WriteString("worksheet", k.Worksheet);
                if (k.Field is { } f) w.WriteString("field", f);
                w.WriteString("reason", ProgramDiff.Name(k.Reason));
                w.WriteNumber("values", k.Values);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("completedRemoved");
            foreach (var id in CompletedRemoved) w.WriteStringValue(id);
            w.WriteEndArray();
            w.WriteStartArray("chosenRemoved");
            foreach (var id in ChosenRemoved) w.WriteStringValue(id);
            w.WriteEndArray();
            w.WriteStartObject("week");
            w.WriteNumber("before", WeekBefore);
            w.WriteNumber("after", WeekAfter);
            w.WriteEndObject();
            w.WriteStartArray("modules");
            foreach (var m in Modules)
            {
                w.WriteStartObject();
                w.WriteString("id", m.Id);
                if (m.Before is { } b) w.WriteString("before", ProgramDiff.Name(b));
                else w.WriteNull("before");
                if (m.After is { } a) w.WriteString("after", ProgramDiff.Name(a));
                else w.WriteNull("after");
                w.WriteBoolean("recommendedBefore", m.RecommendedBefore);
                w.WriteBoolean("recommendedAfter", m.RecommendedAfter);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("notices");
            foreach (var n in Notices)
            {
                w.WriteStartObject();
                w.WriteString("kind", ProgramDiff.Name(n.Kind));
                w.WriteString("id", n.Id);
                if (n.Before is { } b) w.WriteString("before", b);
                else w.WriteNull("before");
                if (n.After is { } a) w.WriteString("after", a);
                else w.WriteNull("after");
                w.WriteString("action", ProgramDiff.Name(n.Action));
                w.WriteString("message", n.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}

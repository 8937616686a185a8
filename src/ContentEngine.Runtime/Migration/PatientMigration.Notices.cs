using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Runtime.Patients;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Runtime.Migration;

public static partial class PatientMigration
{
    /// <summary>The two versions, the patient's state and status in each, and what the migration set aside and removed.</summary>
    private sealed record Moved(
        ProgramGraph From, ProgramGraph To, PatientRecord Old, PatientRecord New, ProgramStatus Before, ProgramStatus After,
        ImmutableArray<KeptAsideAnswers> KeptAside, ImmutableArray<string> CompletedRemoved, ImmutableArray<string> ChosenRemoved, DateTimeOffset Now);

    /// <summary>Every notice of the report, in the order of <see cref="NoticeKind"/>, and within a kind in the new version's order.</summary>
    private static ImmutableArray<MigrationNotice> FindNotices(Moved m)
    {
        var notices = new List<MigrationNotice>();
        SetAsideNotices(m, notices);
        AnswerNotices(m, notices);
        ScoreNotices(m, notices);
        ScheduleNotices(m, notices);
        return [.. notices.OrderBy(n => n.Kind)];
    }

    private static void SetAsideNotices(Moved m, List<MigrationNotice> notices)
    {
        foreach (var k in m.KeptAside)
        {
            notices.Add(k.Reason switch
            {
                KeptAsideReason.FieldRetyped => new(NoticeKind.FieldRetyped, k.Id, null, null, NoticeAction.AskPatient,
                    $"ask the patient {k.Id} again: its type changed, and their earlier answer is kept aside (keptAside.{k.Worksheet})"),
                KeptAsideReason.WorksheetReshaped => new(NoticeKind.FieldRetyped, k.Id, null, null, NoticeAction.AskPatient,
                    $"ask the patient to fill in {k.Id} again: it changed between a form and a diary, and their earlier answers are kept aside (keptAside.{k.Id})"),
                _ => new(NoticeKind.AnswersKeptAside, k.Id, null, null, NoticeAction.TellTherapist,
                    $"the program no longer has {k.Id}: the patient's {Plural(k.Values, "answer")} to it {(k.Values == 1 ? "is" : "are")} kept aside (keptAside.{k.Worksheet}) for their therapist to read"),
            });
        }
        foreach (var id in m.CompletedRemoved)
            notices.Add(new(NoticeKind.CompletedModuleRemoved, id, null, null, NoticeAction.TellTherapist,
                $"'{id}', which the patient completed, is no longer in the program: the completion no longer counts; tell their therapist"));
        foreach (var id in m.ChosenRemoved)
            notices.Add(new(NoticeKind.ChosenModuleRemoved, id, null, null, NoticeAction.AskToChoose,
                $"'{id}', which the patient chose, is no longer in the program: ask them to choose another module" +
                (m.From.FindModule(id)?.Phase is { } phase && m.To.FindPhase(phase) is not null ? $" of {phase}" : string.Empty)));
    }

    /// <summary>The kept answers to worksheets both versions have, field by field: new required questions, options gone, ranges narrowed.</summary>
    private static void AnswerNotices(Moved m, List<MigrationNotice> notices)
    {
        foreach (var sheet in m.To.Worksheets)
        {
            if (!m.New.StoredAnswers.TryGetValue(sheet.Id, out var stored) || m.From.Worksheets.FirstOrDefault(w => w.Id == sheet.Id) is not { } oldSheet) continue;
            var diary = sheet.Kind == WorksheetKind.Diary;
            var entries = (diary ? stored.EnumerateArray().ToList() : [stored]).Where(e => e.ValueKind == JsonValueKind.Object).ToList();
            foreach (var field in sheet.Fields)
            {
                var id = $"{sheet.Id}.{field.Id}";
                var old = oldSheet.Fields.FirstOrDefault(f => f.Id == field.Id);
                if (old is not null && (old.Type != field.Type || old.Multiple != field.Multiple)) continue; // set aside, and asked again
                var values = entries.Select(e => e.TryGetProperty(field.Id, out var v) && v.ValueKind != JsonValueKind.Null ? v : (JsonElement?)null).ToList();

                // A diary's earlier entries are not asked again: a new required field applies to the entries from now on.
                if (!diary && field.Required && old is not { Required: true } && values.All(v => v is null))
                    notices.Add(new(NoticeKind.NewRequiredField, id, old is null ? null : "optional", "required", NoticeAction.AskPatient,
                        $"ask the patient to answer {id}: {sheet.Id}, which they filled in, {(old is null ? "has it as a new required question" : "now requires it")}, and counts as unanswered until they do"));
                if (old is null) continue;

                if (field.Type == FieldType.Choice)
                    OptionNotices(m, id, old, field, values, diary, notices);
                else if (field.Min is not null || field.Max is not null)
                {
                    var outside = values.OfType<JsonElement>().Where(v => v.ValueKind == JsonValueKind.Number
                        && (v.GetDouble() < (field.Min ?? double.NegativeInfinity) || v.GetDouble() > (field.Max ?? double.PositiveInfinity))).ToList();
                    foreach (var group in outside.GroupBy(v => v.GetRawText()))
                        notices.Add(new(NoticeKind.OutsideRange, id, group.Key, Range(field), NoticeAction.AskPatient,
                            $"ask the patient {id} again: their answer {group.Key}{Entries(diary, group.Count())} lies outside its new range, {Range(field)}; it is kept as it is, and conditions still read it"));
                }
            }
        }
    }

    private static void OptionNotices(Moved m, string id, Field old, Field field, List<JsonElement?> values, bool diary, List<MigrationNotice> notices)
    {
        var now = field.Options.Select(o => o.ValueText).ToHashSet(StringComparer.Ordinal);
        var was = old.Options.Select(o => o.ValueText).ToHashSet(StringComparer.Ordinal);
        var held = values.OfType<JsonElement>()
            .SelectMany(v => v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : (IEnumerable<JsonElement>)[v])
            .Select(OptionValue).OfType<string>().Where(v => !now.Contains(v));
        foreach (var group in held.GroupBy(v => v, StringComparer.Ordinal))
        {
            var value = group.Key;
            // Renamed: the old option's label (in the new default locale) is the label of an option the old version did not have.
            var label = old.Options.FirstOrDefault(o => o.ValueText == value)?.Label.Get(m.To.DefaultLocale, m.From.DefaultLocale);
            var renamed = label is null ? null : field.Options.FirstOrDefault(o => !was.Contains(o.ValueText) && o.Label.Get(m.To.DefaultLocale, m.To.DefaultLocale) == label);
            notices.Add(renamed is not null
                ? new(NoticeKind.OptionRenamed, id, value, renamed.ValueText, NoticeAction.ReplaceAnswer,
                    $"replace the patient's answer '{value}' to {id}{Entries(diary, group.Count())} with '{renamed.ValueText}', the option of the same label now, or ask them again; until then it matches no option")
                : new(NoticeKind.OptionRemoved, id, value, null, NoticeAction.AskPatient,
                    $"ask the patient {id} again: their answer '{value}'{Entries(diary, group.Count())} is no longer an option; it is kept, matches no option, and conditions comparing {id} with the other options are false for them"));
        }
    }

    private static string? OptionValue(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The scores the patient has in the old version, computed again in the new one from the answers kept.</summary>
    private static void ScoreNotices(Moved m, List<MigrationNotice> notices)
    {
        var oldAnswers = m.Old.ToProgress(m.Now).Answers;
        var newAnswers = m.New.ToProgress(m.Now).Answers;
        foreach (var oldSheet in m.From.Worksheets.Where(w => w.Scoring is not null))
        {
            var sheet = m.To.Worksheets.FirstOrDefault(w => w.Id == oldSheet.Id);
            foreach (var score in oldSheet.Scoring!.Scores)
            {
                if (ScoreOf(oldSheet.Id, score, oldAnswers) is not { } before) continue;
                var id = $"{oldSheet.Id}.{score.Id}";
                var now = sheet?.Scoring?.Scores.FirstOrDefault(s => s.Id == score.Id);
                double? after = now is null ? null : ScoreOf(sheet!.Id, now, newAnswers);
                if (after != before)
                {
                    var why = sheet is null ? $"the program no longer has {oldSheet.Id}"
                        : now is null ? $"{oldSheet.Id} no longer has the score"
                        : after is null ? "it is computed from other answers, some of which the patient has not given"
                        : "it is computed differently";
                    notices.Add(new(NoticeKind.ScoreChanged, id, Num(before), after is { } a ? Num(a) : null, NoticeAction.TellTherapist,
                        $"{id} was {Num(before)} for the patient and is {(after is { } v ? Num(v) : "no longer computed")} now ({why}): tell their therapist, and do not compare it with earlier results as if nothing changed"));
                }
                if (after is not { } value) continue;
                var bandBefore = BandOf(oldSheet.Scoring, score.Id, before)?.Get(m.To.DefaultLocale, m.From.DefaultLocale);
                var bandAfter = BandOf(sheet!.Scoring!, score.Id, value)?.Get(m.To.DefaultLocale, m.To.DefaultLocale);
                if (bandBefore != bandAfter && (bandBefore is not null || bandAfter is not null))
                    notices.Add(new(NoticeKind.BandChanged, id, bandBefore, bandAfter, NoticeAction.TellTherapist,
                        $"{id} ({Num(value)}) falls in {(bandAfter is null ? "no band" : $"the band '{bandAfter}'")} now, not {(bandBefore is null ? "in none" : $"'{bandBefore}'")}: tell their therapist"));
            }
        }
    }

    private static double? ScoreOf(string worksheet, Score score, IReadOnlyDictionary<string, WorksheetAnswers> answers)
    {
        var value = Evaluator.Evaluate(new ScoreRef(worksheet, score.Id, score.Method, score.Items, 0, 0),
            new PatientState(1, [], [], answers));
        return value.IsNumber ? value.AsNumber : null;
    }

    /// <summary>A score's band: the first whose <c>max</c> it does not exceed, the last holding every higher score.</summary>
    private static LocalizedText? BandOf(Scoring scoring, string score, double value) =>
        scoring.Bands.TryGetValue(score, out var bands) ? bands.FirstOrDefault(b => b.Max is not { } max || value <= max)?.Label : null;

    /// <summary>Modules moved in weeks the patient has not reached, and offers they can no longer take.</summary>
    private static void ScheduleNotices(Moved m, List<MigrationNotice> notices)
    {
        var completed = m.New.Completed.ToHashSet(StringComparer.Ordinal);
        var moved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in m.To.Modules)
        {
            if (m.From.FindModule(module.Id) is not { } old || old.ProgramWeek == module.ProgramWeek || completed.Contains(module.Id)) continue;
            var (was, now) = (Scheduler.ReleaseWeek(m.From, old), Scheduler.ReleaseWeek(m.To, module));
            var (reachedBefore, reachedAfter) = (m.Before.Week >= was, m.After.Week >= now);
            if (reachedBefore && reachedAfter) continue;
            moved.Add(module.Id);
            var opensOn = m.After[module.Id].OpensOn is { } date ? $" ({date:yyyy-MM-dd})" : string.Empty;
            notices.Add(new(NoticeKind.ModuleMoved, module.Id, Num(old.ProgramWeek), Num(module.ProgramWeek), NoticeAction.TellPatient,
                reachedAfter ? $"tell the patient that '{module.Id}' moved from program week {old.ProgramWeek} to {module.ProgramWeek}: it is released for them now, in week {m.After.Week}"
                : reachedBefore ? $"tell the patient that '{module.Id}' moved from program week {old.ProgramWeek} to {module.ProgramWeek}: released for them before, it is locked again until week {now}{opensOn}"
                : $"tell the patient that '{module.Id}' moved from program week {old.ProgramWeek} to {module.ProgramWeek}: it opens in week {now}{opensOn}, not {was}"));
        }

        foreach (var before in m.Before.Modules.Where(s => s.Module.Optional && !s.Chosen && s.State is ModuleState.Offered))
        {
            var id = before.Id;
            if (m.To.FindModule(id) is null)
            {
                notices.Add(new(NoticeKind.OfferRemoved, id, null, null, NoticeAction.TellPatient,
                    $"'{id}', offered to the patient, is no longer in the program: stop offering it" + (before.Recommended ? " (it was recommended to them)" : string.Empty)));
                continue;
            }
            var after = m.After[id];
            if (after.State == ModuleState.Locked && !moved.Contains(id))
                notices.Add(new(NoticeKind.OfferLocked, id, null, string.Join("; ", after.Reasons.Select(r => r.Message)), NoticeAction.TellPatient,
                    $"'{id}', offered to the patient, is locked now ({string.Join("; ", after.Reasons.Select(r => r.Message))}): tell them it is not theirs to choose for now"));
        }

        foreach (var before in m.Before.Modules.Where(s => s.Recommended && s.State != ModuleState.Completed))
        {
            if (m.To.FindModule(before.Id) is not { } module || m.After[before.Id].Recommended) continue;
            var chosen = m.After[before.Id].Chosen;
            notices.Add(new(NoticeKind.NoLongerRecommended, before.Id, before.Module.OfferWhen?.Source, module.OfferWhen?.Source, NoticeAction.TellPatient,
                $"'{before.Id}' is no longer recommended to the patient " +
                (module.OfferWhen is null ? "(the new version recommends it to no one)" : $"(its condition, {module.OfferWhen.Source}, does not hold for them)") +
                (chosen ? ": they chose it and keep it" : ": stop recommending it; they may still choose it")));
        }

        foreach (var choice in m.After.Choices)
        {
            if (choice.Max is not { } max || choice.Chosen <= max) continue;
            var oldMax = m.From.FindPhase(choice.Phase.Id)?.Choose?.Max;
            if (oldMax is { } o && o < choice.Chosen) continue; // over the limit before too: not the migration's doing
            var chosen = m.After.Modules.Where(s => s.Chosen && s.Module.Phase == choice.Phase.Id).Select(s => $"'{s.Id}'");
            notices.Add(new(NoticeKind.ChoiceLimitExceeded, choice.Phase.Id, oldMax is { } x ? Num(x) : null, Num(max), NoticeAction.AskToChoose,
                $"the patient chose {choice.Chosen} modules of {choice.Phase.Id} ({string.Join(", ", chosen)}), and it now allows at most {max}: they keep them all, and the others lock; ask them, with their therapist, which to keep if the platform enforces the limit"));
        }
    }

    private static string Entries(bool diary, int count) => diary ? $" (in {Plural(count, "entry", "entries")})" : string.Empty;

    private static string Plural(int n, string one, string? many = null) => n == 1 ? $"1 {one}" : $"{n} {many ?? one + "s"}";

    private static string Num(double n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Range(Field f) =>
        $"{(f.Min is { } lo ? Num(lo) : string.Empty)}..{(f.Max is { } hi ? Num(hi) : string.Empty)}";
}

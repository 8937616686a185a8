using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Runtime.Programs;

/// <summary>
/// What is known of one patient: where they are in the program (a start date and today, or the
/// current week), which modules they completed and chose, and their worksheet answers.
/// </summary>
public sealed record PatientProgress
{
    /// <summary>The day the patient started week 1; with <see cref="Today"/> it gives the week and the dates modules open.</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>Today, for <see cref="StartDate"/>; the current UTC date when not given.</summary>
    public DateOnly? Today { get; init; }

    /// <summary>The current program week (1 in the first week); when given it wins over the dates.</summary>
    public int? Week { get; init; }

    public IReadOnlyCollection<string> Completed { get; init; } = [];

    public IReadOnlyCollection<string> Chosen { get; init; } = [];

    /// <summary>Answers by worksheet id, as conditions read them.</summary>
    public IReadOnlyDictionary<string, WorksheetAnswers> Answers { get; init; } = ImmutableDictionary<string, WorksheetAnswers>.Empty;

    /// <summary>Reads the shape of <see cref="FromJson"/> from its text; text that is not JSON throws <see cref="Patients.PatientStateException"/>.</summary>
    public static PatientProgress Parse(string json)
    {
        using var document = Patients.PatientRecord.ParseDocument(json);
        return FromJson(document.RootElement);
    }

    /// <summary>
    /// Reads <c>{"start": "2026-01-05", "today": "2026-02-01", "week": 3, "completed": [...], "chosen": [...], "answers": {...}}</c>,
    /// the shape of the web bundle's saved state plus the dates; every key may be left out.
    /// </summary>
    /// <remarks>
    /// The web bundle's older answers file, <c>{"format": "contentengine-answers", "version": 1, "program": …, "state": {…}}</c>,
    /// is read by its <c>state</c>; the stored patient state (<see cref="Patients.PatientRecord"/>) has these keys at its top.
    /// To read a stored state whole, with its time zone and its errors, use <see cref="Patients.PatientRecord.Parse"/>.
    /// </remarks>
    internal static PatientProgress FromJson(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String
            && format.GetString() == "contentengine-answers" && json.TryGetProperty("state", out var inner) && inner.ValueKind == JsonValueKind.Object)
            json = inner;
        var state = PatientState.FromJson(json);
        static DateOnly? Date(JsonElement j, string name) =>
            j.ValueKind == JsonValueKind.Object && j.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                ? PatientState.ParseDate(v.GetString()) : null;
        var hasWeek = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("week", out var w) && w.ValueKind == JsonValueKind.Number;
        return new PatientProgress
        {
            StartDate = Date(json, "start"),
            Today = Date(json, "today"),
            Week = hasWeek ? state.Week : null,
            Completed = [.. state.Completed],
            Chosen = [.. state.Chosen],
            Answers = state.Answers,
        };
    }
}

/// <summary>Where a module stands for a patient.</summary>
public enum ModuleState
{
    /// <summary>Not available yet, or no longer choosable: see the reasons.</summary>
    Locked,

    /// <summary>Available to work on.</summary>
    Open,

    /// <summary>Done.</summary>
    Completed,

    /// <summary>An optional module the patient may choose now.</summary>
    Offered,
}

public enum LockKind
{
    /// <summary>The program has not started for the patient (the start date is in the future).</summary>
    ProgramNotStarted,

    /// <summary>The module's week has not come.</summary>
    NotYetReleased,

    /// <summary>Modules it requires are not completed.</summary>
    RequiresModules,

    /// <summary>An optional module, not chosen, in a phase where the patient has chosen as many as allowed.</summary>
    ChoiceLimitReached,
}

/// <summary>
/// Why a module is locked. <see cref="Message"/> says it in one sentence in the locale asked for when evaluating
/// (English or Swedish: the asked locale when the program has it and it is one of these, else the program's default
/// locale when it is, else English); <see cref="Locale"/> says which.
/// </summary>
public sealed record LockReason(LockKind Kind, int? OpensInWeek, DateOnly? OpensOn, ImmutableArray<string> Modules, string Message)
{
    /// <summary>The locale <see cref="Message"/> is written in (<c>en</c> or <c>sv</c>).</summary>
    public string Locale { get; init; } = "en";
}

/// <summary>One module's state for the patient.</summary>
public sealed record ModuleStatus(
    Module Module,
    ModuleState State,
    ImmutableArray<LockReason> Reasons,
    bool Chosen,
    bool Recommended,
    LocalizedText? RecommendationReason,
    DateOnly? OpensOn)
{
    public string Id => Module.Id;
}

/// <summary>The patient's choice in a phase with a <c>choose</c> rule.</summary>
public sealed record PhaseChoice(Phase Phase, int Chosen, int Min, int? Max)
{
    /// <summary>How many more the patient may choose; null when there is no upper limit.</summary>
    public int? Remaining => Max is { } max ? Math.Max(0, max - Chosen) : null;

    /// <summary>How many more the patient must choose to reach the minimum.</summary>
    public int StillRequired => Math.Max(0, Min - Chosen);
}

/// <summary>The next week in which modules open, and which.</summary>
public sealed record NextRelease(int Week, DateOnly? Date, ImmutableArray<string> Modules);

/// <summary>What a patient may see: every module's state in schedule order, the choices, and the next release.</summary>
public sealed record ProgramStatus(
    int Week,
    Phase? CurrentPhase,
    ImmutableArray<ModuleStatus> Modules,
    ImmutableArray<PhaseChoice> Choices,
    NextRelease? Next)
{
    public IEnumerable<ModuleStatus> Open => Modules.Where(m => m.State == ModuleState.Open);
    public IEnumerable<ModuleStatus> Locked => Modules.Where(m => m.State == ModuleState.Locked);
    public IEnumerable<ModuleStatus> Offered => Modules.Where(m => m.State == ModuleState.Offered);
    /// <summary>Optional modules the patient may choose now and whose <c>offer_when</c> holds.</summary>
    public IEnumerable<ModuleStatus> Recommended => Modules.Where(m => m.Recommended && m.State == ModuleState.Offered);

    /// <summary>The status of the module <paramref name="id"/>; a module the program does not have throws <see cref="UnknownModuleException"/>.</summary>
    public ModuleStatus this[string id] => Find(id) ?? throw new UnknownModuleException(id, Modules.Select(m => m.Id));

    /// <summary>The status of the module <paramref name="id"/>, or null when the program has no such module.</summary>
    public ModuleStatus? Find(string id) => Modules.FirstOrDefault(m => m.Id == id);
}

/// <summary>
/// The schedule's rules. A module opens when its week has come (<c>release: weekly</c>; with
/// <c>release: all</c> every module is released in week 1) and every module it requires is completed.
/// An optional module is offered once released; chosen, it behaves as a mandatory one. Where its
/// phase limits the choice (<c>choose.max</c>) and the patient has chosen that many, the others
/// lock. An optional module is recommended when its <c>offer_when</c> condition holds.
/// </summary>
public static class Scheduler
{
    /// <summary>
    /// The program week in which <paramref name="module"/> is released: its <see cref="Module.ProgramWeek"/>, or week 1
    /// for every module of a program released all at once. The explorer, the diff and the patient's status all ask this;
    /// the browser's <c>schedule.js</c> holds the same rule, and both are held to the vectors of tests/vectors/schedule.json.
    /// </summary>
    public static int ReleaseWeek(ProgramGraph program, Module module) => program.Release == ReleaseMode.All ? 1 : module.ProgramWeek;

    /// <summary>What a patient in <paramref name="progress"/> may see; <see cref="ProgramGraph.Evaluate(PatientProgress, string?)"/> calls this.</summary>
    /// <param name="program">The program.</param>
    /// <param name="progress">The patient.</param>
    /// <param name="locale">The locale of the lock reasons' messages (see <see cref="LockReason"/>); null for the program's default.</param>
    public static ProgramStatus Evaluate(ProgramGraph program, PatientProgress progress, string? locale = null)
    {
        var say = LockMessages.For(program, locale);
        var (week, start) = WeekOf(progress);
        var completed = progress.Completed.ToHashSet(StringComparer.Ordinal);
        // An optional module the patient completed was theirs: it counts as chosen.
        var chosen = progress.Chosen.Concat(completed).Where(id => program.FindModule(id) is { Optional: true }).ToHashSet(StringComparer.Ordinal);
        var state = new PatientState(Math.Max(1, week), completed, chosen, progress.Answers);

        var choices = program.Phases.Where(p => p.Choose is not null)
            .Select(p => new PhaseChoice(p, program.Modules.Count(m => m.Phase == p.Id && chosen.Contains(m.Id)), p.Choose!.Min, p.Choose.Max))
            .ToImmutableArray();

        // A week beyond the calendar's last day has no date.
        DateOnly? DateOf(int w) => start is { } first && (long)first.DayNumber + (w - 1) * 7L is var day && day >= 0 && day <= DateOnly.MaxValue.DayNumber
            ? DateOnly.FromDayNumber((int)day) : null;
        int Release(Module m) => ReleaseWeek(program, m);

        var modules = ImmutableArray.CreateBuilder<ModuleStatus>(program.Modules.Length);
        foreach (var m in program.Modules)
        {
            var release = Release(m);
            var reasons = ImmutableArray.CreateBuilder<LockReason>();
            if (week < 1)
                reasons.Add(new LockReason(LockKind.ProgramNotStarted, release, DateOf(release), [], say.NotStarted(start)) { Locale = say.Locale });
            else if (week < release)
                reasons.Add(new LockReason(LockKind.NotYetReleased, release, DateOf(release), [], say.OpensInWeek(release, DateOf(release))) { Locale = say.Locale });
            var missing = m.Requires.Where(r => !completed.Contains(r)).ToImmutableArray();
            if (!missing.IsEmpty)
                reasons.Add(new LockReason(LockKind.RequiresModules, null, null, missing, say.Requires(missing)) { Locale = say.Locale });

            var isChosen = chosen.Contains(m.Id);
            var recommended = m.Optional && m.OfferWhen is { } offer && Evaluator.IsTrue(offer.Tree, state);
            ModuleState st;
            if (completed.Contains(m.Id)) st = ModuleState.Completed;
            else if (reasons.Count > 0) st = ModuleState.Locked;
            else if (!m.Optional || isChosen) st = ModuleState.Open;
            else if (choices.FirstOrDefault(c => c.Phase.Id == m.Phase) is { Remaining: 0 } full)
            {
                reasons.Add(new LockReason(LockKind.ChoiceLimitReached, null, null, [], say.ChoiceFull(full.Chosen, full.Max, full.Phase.Id)) { Locale = say.Locale });
                st = ModuleState.Locked;
            }
            else st = ModuleState.Offered;
            if (st == ModuleState.Completed) reasons.Clear();
            modules.Add(new ModuleStatus(m, st, reasons.ToImmutable(), isChosen, recommended, recommended ? m.OfferReason : null,
                week < release || week < 1 ? DateOf(release) : null));
        }

        NextRelease? next = null;
        var upcoming = program.Modules.Where(m => Release(m) > week && !completed.Contains(m.Id)).ToList();
        if (upcoming.Count > 0)
        {
            var nextWeek = upcoming.Min(Release);
            next = new NextRelease(nextWeek, DateOf(nextWeek), [.. upcoming.Where(m => Release(m) == nextWeek).Select(m => m.Id)]);
        }
        var phase = program.Phases.FirstOrDefault(p => week >= p.FirstWeek && week <= p.LastWeek);
        return new ProgramStatus(week, phase, modules.MoveToImmutable(), choices, next);
    }

    /// <summary>The week (0 before the start) and the start date where known.</summary>
    private static (int Week, DateOnly? Start) WeekOf(PatientProgress p)
    {
        var today = p.Today ?? DateOnly.FromDateTime(DateTime.UtcNow);
        if (p.Week is { } w)
            return (w, p.StartDate);
        if (p.StartDate is { } start)
        {
            var days = today.DayNumber - start.DayNumber;
            return (days < 0 ? 0 : days / 7 + 1, start);
        }
        return (1, null);
    }
}

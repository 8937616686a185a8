using System.Collections.Immutable;
using ContentEngine.Runtime.Patients;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Model;

/// <summary>
/// A validated, immutable program: what the compiler produces, what graph.json and a package hold
/// (<see cref="FromGraphJson"/> reads it back), and what renderers, the explorer, the diff and the
/// scheduler read. This library owns it; nothing else describes a program.
/// </summary>
public sealed record ProgramGraph(
    string Id,
    string Version,
    LocalizedText Title,
    LocalizedText? Summary,
    ImmutableArray<string> Locales,
    Guidance Guidance,
    ReleaseMode Release,
    int ReadingSpeed,
    ImmutableArray<Phase> Phases,
    ImmutableArray<Module> Modules,
    ImmutableArray<Worksheet> Worksheets,
    ImmutableArray<Asset> Assets)
{
    /// <summary>The graph format this library writes and reads (graph.json's <c>graphFormat</c>).</summary>
    public const int GraphFormat = 1;

    public string DefaultLocale => Locales[0];

    /// <summary>The program's length in weeks, pauses included.</summary>
    public int TotalWeeks => Phases.Length == 0 ? 0 : Phases.Max(p => p.LastWeek);

    /// <summary>Reads graph.json; anything malformed throws <see cref="FormatException"/> saying where.</summary>
    public static ProgramGraph FromGraphJson(ReadOnlySpan<byte> utf8) => GraphReader.Read(utf8);

    /// <summary>What a patient in <paramref name="progress"/> may see: see <see cref="ProgramStatus"/>.</summary>
    /// <param name="progress">The patient.</param>
    /// <param name="locale">The patient's locale, for the lock reasons' messages (<see cref="LockReason"/>); null for the program's default.</param>
    public ProgramStatus Evaluate(PatientProgress progress, string? locale = null) => Scheduler.Evaluate(this, progress, locale);

    /// <summary>
    /// <paramref name="text"/> in <paramref name="locale"/>, else in the program's default locale (the first of
    /// program.yaml's <c>locales</c>), else in its other locales in their order: never an arbitrary one.
    /// </summary>
    public string Text(LocalizedText text, string? locale = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Get(locale ?? DefaultLocale, Locales);
    }

    /// <summary>
    /// What the patient of a stored state may see at <paramref name="now"/>, an instant: the state's time zone
    /// gives the patient's local date, which counts the weeks. A state of another program throws
    /// <see cref="PatientStateException"/> (<see cref="PatientStateError.OtherProgram"/>), and so does
    /// a start so late that the program's weeks would run past the calendar's last day, 9999-12-31 (<see cref="PatientStateError.Invalid"/>).
    /// </summary>
    /// <param name="record">The patient's stored state.</param>
    /// <param name="now">The instant to evaluate at.</param>
    /// <param name="locale">The patient's locale, for the lock reasons' messages (<see cref="LockReason"/>); null for the program's default.</param>
    public ProgramStatus Evaluate(PatientRecord record, DateTimeOffset now, string? locale = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.ProgramId != Id)
            throw new PatientStateException(PatientStateError.OtherProgram,
                $"the patient state is for the program '{record.ProgramId}', not '{Id}'");
        if (record.StartDate is { } start && (long)start.DayNumber + 7L * Math.Max(1, TotalWeeks) > DateOnly.MaxValue.DayNumber)
            throw new PatientStateException(PatientStateError.Invalid,
                $"\"start\" {start:yyyy-MM-dd} is so late that the program's {TotalWeeks} weeks would end after {DateOnly.MaxValue:yyyy-MM-dd}");
        return Scheduler.Evaluate(this, record.ToProgress(now), locale);
    }

    /// <summary>Where renderers read the bytes of <see cref="Assets"/>; every read is checked against its hash.</summary>
    public AssetStore Store { get; init; } = AssetStore.None;

    /// <summary>The theme the program names for its web and print bundles; null for the default.</summary>
    public string? Theme { get; init; }

    /// <summary>The most minutes a week may ask of a patient (<c>max_minutes_per_week</c>); null when not set.</summary>
    public int? MaxMinutesPerWeek { get; init; }

    /// <summary>The program's own look from its <c>theme.yaml</c> (colour, logo, cover image); null when it has none.</summary>
    public ProgramIdentity? Identity { get; init; }

    /// <summary>Who approved this version of the program for patients, and when (<c>approval</c> in program.yaml); null when not recorded.</summary>
    public Approval? Approval { get; init; }

    /// <summary>Who offers the program to patients and how to reach them (<c>provider</c> in program.yaml); null when not given.</summary>
    public ProgramProvider? Provider { get; init; }

    /// <summary>What the program is, in a short paragraph for patients (<c>about</c>); null when not given.</summary>
    public LocalizedText? About { get; init; }

    /// <summary>What is stored where, for how long and who can see it, in words for patients (<c>privacy</c>); null when not given.</summary>
    public LocalizedText? Privacy { get; init; }

    /// <summary>Modules in schedule order: by phase, week, then the order of their files.</summary>
    public IEnumerable<Module> Schedule => Modules;

    private Dictionary<string, int>? _scheduleIndex;

    public Module? FindModule(string id) => ScheduleIndex(id) is var i and >= 0 ? Modules[i] : null;

    /// <summary>The module's position in <see cref="Modules"/>, or -1.</summary>
    public int ScheduleIndex(string id)
    {
        var index = _scheduleIndex ??= Modules.Select((m, i) => (m.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        return index.TryGetValue(id, out var i) ? i : -1;
    }
    public Worksheet? FindWorksheet(string id) => Worksheets.FirstOrDefault(w => w.Id == id);
    public Phase? FindPhase(string id) => Phases.FirstOrDefault(p => p.Id == id);

    /// <summary>The edges between modules: requirements and the order of the schedule.</summary>
    public IEnumerable<ModuleEdge> Edges =>
        Modules.SelectMany(m => m.Requires.Select(r => new ModuleEdge(r, m.Id, EdgeKind.Requires)))
            .Concat(Modules.Zip(Modules.Skip(1), (a, b) => new ModuleEdge(a.Id, b.Id, EdgeKind.Next)));
}

/// <summary>
/// The program's identity (<c>theme.yaml</c>). Colours are <c>#rrggbb</c> and have passed the compiler's contrast
/// check (WCAG AA, 4.5:1): <see cref="PrimaryColor"/> against the light theme's background <see cref="LightBackground"/>
/// and under white button text, <see cref="PrimaryColorDark"/> (for <c>prefers-color-scheme: dark</c>; null: the theme's
/// own) against <see cref="DarkBackground"/> and under that background as button text. <see cref="Logo"/> and
/// <see cref="CoverImage"/> are paths of <see cref="ProgramGraph.Assets"/> (from the program folder, like every media
/// path) and come with their alternative text.
/// </summary>
public sealed record ProgramIdentity(string? PrimaryColor, string? PrimaryColorDark, string? Logo, LocalizedText? LogoAlt, string? CoverImage, LocalizedText? CoverAlt)
{
    /// <summary>The page background and text colours the check is made against; the web and print themes use these.</summary>
    public const string LightBackground = "#ffffff", LightText = "#1b1b1f", DarkBackground = "#16171b", DarkText = "#ececf1";
}

/// <summary>
/// Who offers the program (<c>provider</c> in program.yaml): the clinic's or organisation's name in each locale, and
/// optionally its web address (absolute http or https), e-mail address and telephone number as written.
/// </summary>
public sealed record ProgramProvider(LocalizedText Name, string? Url, string? Email, string? Phone);

public enum Guidance { Guided, Self }

public enum ReleaseMode { Weekly, All }

public enum EdgeKind { Requires, Next }

public sealed record ModuleEdge(string From, string To, EdgeKind Kind);

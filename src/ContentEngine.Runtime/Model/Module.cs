using System.Collections.Immutable;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Model;

/// <summary>How many optional modules a patient picks in a phase; no <see cref="Max"/> means as many as are offered.</summary>
public sealed record ChooseRule(int Min, int? Max);

/// <summary>A phase of the program; <see cref="FirstWeek"/> counts from 1 at the program's start, after any pause before the phase.</summary>
public sealed record Phase(string Id, LocalizedText Title, int Weeks, int FirstWeek, int PauseBefore, ChooseRule? Choose)
{
    /// <summary>The phase's last program week.</summary>
    public int LastWeek => FirstWeek + Weeks - 1;

    /// <summary>Where the phase's <c>choose.min</c> (else its <c>choose</c>) stands in program.yaml (for findings about it).</summary>
    public Text.SourceLocation ChooseLocation { get; init; }

    /// <summary>Where the phase's <c>choose.max</c> (else its <c>choose</c>) stands in program.yaml.</summary>
    public Text.SourceLocation ChooseMaxLocation { get; init; }
}

public sealed record Review(string? By, DateOnly? On, DateOnly? Next);

/// <summary>The approval of a program version for patients: who approved it (a name or a role) and on what date.</summary>
public sealed record Approval(string? By, DateOnly? On);

/// <summary>A condition as written and as a resolved, typed syntax tree.</summary>
public sealed record Condition(string Source, Expr Tree)
{
    /// <summary>Where the condition's text stands in its source file (for findings about it).</summary>
    public Text.SourceLocation Location { get; init; }

    /// <summary>Where a span of the condition's text stands: exact when the text stands verbatim on one line, else the whole condition.</summary>
    public Text.SourceLocation At(int start, int length) =>
        Location.HasPosition && Location.Length == Source.Length ? Location with { Column = Location.Column + start, Length = Math.Max(1, length) } : Location;
}

public sealed record Module(
    string Id,
    string SourcePath,
    LocalizedText Title,
    LocalizedText? Summary,
    string Phase,
    int Week,
    int ProgramWeek,
    bool Optional,
    int? Minutes,
    double EstimatedMinutes,
    ImmutableArray<string> Requires,
    Condition? OfferWhen,
    LocalizedText? OfferReason,
    ImmutableArray<string> Tags,
    Review? Review,
    ImmutableSortedDictionary<string, Content> Content)
{
    /// <summary>The most ruled pages for notes a module may ask for.</summary>
    public const int MaxNotesPages = 4;

    /// <summary>Ruled pages for the patient's notes after the module in the printed workbook (<c>notes_pages</c>); 0 for none.</summary>
    public int NotesPages { get; init; }

    /// <summary>Where each entry of <c>requires</c> stands in the front matter, in the order of <see cref="Requires"/> (for findings about it).</summary>
    public ImmutableArray<Text.SourceLocation> RequiresLocations { get; init; } = [];

    /// <summary>Where the module's time is set: its <c>minutes</c>, else its <c>week</c> (for findings about the week's load).</summary>
    public Text.SourceLocation MinutesLocation { get; init; }
}

using System.Collections.Immutable;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Model;

/// <summary>
/// The compiler's only output: a validated, immutable program. Renderers and the package read this
/// and nothing else.
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
    public string DefaultLocale => Locales[0];

    /// <summary>Where renderers read the bytes of <see cref="Assets"/>; every read is checked against its hash.</summary>
    public AssetStore Store { get; init; } = AssetStore.None;

    /// <summary>The theme the program names for its web and print bundles; null for the default.</summary>
    public string? Theme { get; init; }

    /// <summary>The most minutes a week may ask of a patient (<c>max_minutes_per_week</c>); null when not set.</summary>
    public int? MaxMinutesPerWeek { get; init; }

    /// <summary>The program's own look from its <c>theme.yaml</c> (colour, logo, cover image); null when it has none.</summary>
    public ProgramIdentity? Identity { get; init; }

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

public enum Guidance { Guided, Self }

public enum ReleaseMode { Weekly, All }

public enum EdgeKind { Requires, Next }

public sealed record ModuleEdge(string From, string To, EdgeKind Kind);

/// <summary>A text in every locale it was written in.</summary>
public sealed class LocalizedText(ImmutableSortedDictionary<string, string> values)
{
    public ImmutableSortedDictionary<string, string> Values { get; } = values;

    public string Get(string locale, string defaultLocale) =>
        Values.TryGetValue(locale, out var s) ? s : Values.TryGetValue(defaultLocale, out var d) ? d : Values.Values.FirstOrDefault() ?? string.Empty;

    public override string ToString() => string.Join(" / ", Values.Select(kv => $"{kv.Key}: {kv.Value}"));
}

/// <summary>How many optional modules a patient picks in a phase; no <see cref="Max"/> means as many as are offered.</summary>
public sealed record ChooseRule(int Min, int? Max);

/// <summary>A phase of the program; <see cref="FirstWeek"/> counts from 1 at the program's start, after any pause before the phase.</summary>
public sealed record Phase(string Id, LocalizedText Title, int Weeks, int FirstWeek, int PauseBefore, ChooseRule? Choose)
{
    /// <summary>Where the phase's <c>choose.min</c> (else its <c>choose</c>) stands in program.yaml (for findings about it).</summary>
    public Text.SourceLocation ChooseLocation { get; init; }

    /// <summary>Where the phase's <c>choose.max</c> (else its <c>choose</c>) stands in program.yaml.</summary>
    public Text.SourceLocation ChooseMaxLocation { get; init; }
}

public sealed record Review(string? By, DateOnly? On, DateOnly? Next);

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

public enum WorksheetKind { Form, Diary, Questionnaire }

public enum DiaryRepeat { Daily, Weekly, Entry }

public sealed record Worksheet(
    string Id,
    string SourcePath,
    LocalizedText Title,
    LocalizedText? Summary,
    WorksheetKind Kind,
    DiaryRepeat? Repeat,
    int? Days,
    bool Feedback,
    ImmutableArray<Field> Fields,
    Scoring? Scoring,
    ImmutableSortedDictionary<string, Content> Content);

public enum FieldType { Text, LongText, Number, Integer, Scale, Choice, Boolean, Date, Time, Duration, Table, Target }

public sealed record Field(
    string Id,
    FieldType Type,
    LocalizedText Label,
    LocalizedText? Help,
    bool Required,
    double? Min,
    double? Max,
    double? Step,
    LocalizedText? Unit,
    ImmutableArray<ScaleLabel> Labels,
    ImmutableArray<ChoiceOption> Options,
    bool Multiple,
    ImmutableArray<Field> Columns,
    ImmutableArray<LocalizedText> RowLabels,
    int? RowCount,
    ImmutableArray<TargetArea> Areas,
    int? Rings,
    ScaleDisplay? Display = null)
{
    public bool HasNumericOptions => Options.Length > 0 && Options.All(o => o.Number is not null);
}

/// <summary>How a scale is shown on the web: a row of numbered buttons or a slider.
/// Left out, a scale of at most 11 steps is buttons and a longer one a slider.</summary>
public enum ScaleDisplay { Buttons, Slider }

public sealed record ScaleLabel(double Value, LocalizedText Text);

/// <summary>A choice option's value is a number or a text.</summary>
public sealed record ChoiceOption(string? Text, double? Number, LocalizedText Label)
{
    public string ValueText => Text ?? Number!.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record TargetArea(string Id, LocalizedText Label);

public sealed record Scoring(ImmutableArray<Score> Scores, ImmutableSortedDictionary<string, ImmutableArray<Band>> Bands, ImmutableSortedDictionary<string, double> Mcid);

public sealed record Score(string Id, ScoreMethod Method, ImmutableArray<ScoreItem> Items);

public sealed record Band(double? Max, LocalizedText Label);

public enum AssetKind { Image, Audio, Video, Transcript, Captions, Document }

/// <summary>A file of the program's media with its content hash.</summary>
public sealed record Asset(string Path, AssetKind Kind, long Size, string Sha256, double? DurationSeconds);

/// <summary>A module's or worksheet's body in one locale.</summary>
public sealed record Content(string Locale, string SourcePath, ImmutableArray<ContentBlock> Blocks, int Words);

public abstract record ContentBlock;

/// <summary>Ordinary Markdown; links are canonical (module:id, worksheet:id, media paths from the program folder).</summary>
public sealed record MarkdownBlock(string Markdown) : ContentBlock;

/// <summary>A <c>::: name {attributes}</c> container with its children; <c>if</c> carries its condition.</summary>
public sealed record DirectiveBlock(string Name, ImmutableSortedDictionary<string, string> Attributes, ImmutableArray<ContentBlock> Children, Condition? Condition) : ContentBlock
{
    /// <summary>Where the directive's name stands on its opening line.</summary>
    public Text.SourceLocation Location { get; init; }
}

/// <summary>Reads the content of the program's assets, refusing bytes that differ from the hash in the graph.</summary>
public sealed class AssetStore
{
    private readonly string? _root;

    public AssetStore(string root) => _root = Path.GetFullPath(root);

    private AssetStore() => _root = null;

    public static AssetStore None { get; } = new();

    public byte[] Read(Asset asset)
    {
        if (_root is null) throw new InvalidOperationException("This graph has no asset store.");
        var bytes = File.ReadAllBytes(Path.Combine(_root, asset.Path));
        if (Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) != asset.Sha256)
            throw new IOException($"{asset.Path} changed after it was compiled; build again.");
        return bytes;
    }

    public string ReadText(Asset asset) => System.Text.Encoding.UTF8.GetString(Read(asset)).Replace("\r\n", "\n");
}

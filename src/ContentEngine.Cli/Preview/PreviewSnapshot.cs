using System.Collections.Concurrent;
using System.Collections.Immutable;
using ContentEngine.Exploration;
using ContentEngine.Model;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Cli.Preview;

/// <summary>A problem shown in the page: file, 1-based line and column where known, and the source line.</summary>
public sealed record PreviewProblem(string? File, int? Line, int? Column, int Length, string Id, string Severity, string Message, string? SourceLine);

/// <summary>
/// What the preview serves at one moment: the last good bundle (with the live-reload script in
/// every page), and the problems of the latest build, which may be newer than the bundle.
/// Immutable; a rebuild swaps in a new one.
/// </summary>
public sealed record PreviewSnapshot
{
    public static PreviewSnapshot Empty { get; } = new();

    /// <summary>Counts builds; every build makes a new snapshot, whether or not the bundle changed.</summary>
    public long Generation { get; init; }

    /// <summary>The generation whose build made <see cref="Files"/> or <see cref="Graph"/>: they change only then.</summary>
    public long BundleGeneration { get; init; }

    /// <summary>The bundle as the renderer made it.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; init; } = ImmutableDictionary<string, byte[]>.Empty;

    /// <summary>The HTML pages as served: the bundle's bytes with the preview script before &lt;/body&gt;.</summary>
    public IReadOnlyDictionary<string, byte[]> Pages { get; init; } = ImmutableDictionary<string, byte[]>.Empty;

    /// <summary>SHA-256 of every bundle file.</summary>
    public IReadOnlyDictionary<string, string> Hashes { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Per page: a hash of the page and of every bundle file it loads (scripts, styles, media). A page reloads when it changes.</summary>
    public IReadOnlyDictionary<string, string> Fingerprints { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Per page: the source files it is made from, relative to the program folder.</summary>
    public IReadOnlyDictionary<string, ImmutableArray<string>> PageSources { get; init; } = ImmutableDictionary<string, ImmutableArray<string>>.Empty;

    /// <summary>The graph of the bundle (the last one that compiled), or null before any build succeeded.</summary>
    public ProgramGraph? Graph { get; init; }

    /// <summary>
    /// What the compiler's explorer found on <see cref="ExploredGraph"/>: its witnesses are the panel's example
    /// patients. The preview explores after it has served an edit, so this may be of the graph before it for a moment.
    /// </summary>
    public ExplorationResult? Exploration { get; init; }

    /// <summary>The graph <see cref="Exploration"/> is of.</summary>
    public ProgramGraph? ExploredGraph { get; init; }

    /// <summary>Counts the lists of example patients: it changes when the list does, and the panel fetches it again.</summary>
    public long ExploredGeneration { get; init; }

    /// <summary>The theme the bundle was rendered with (the exploration report takes its strings).</summary>
    internal Theme? Theme { get; init; }

    public ImmutableArray<PreviewProblem> Errors { get; init; } = [];

    /// <summary>This snapshot with the builder's exploration and warnings.</summary>
    internal PreviewSnapshot Explored(PreviewBuilder builder) => this with
    {
        Warnings = builder.Warnings,
        Stale = builder.Stale,
        Exploration = builder.Exploration,
        ExploredGraph = builder.ExploredGraph,
        ExploredGeneration = builder.ExploredGeneration,
    };
    public ImmutableArray<PreviewProblem> Warnings { get; init; } = [];

    /// <summary>Translated texts whose source changed since they were translated, marked in their pages (only in the preview).</summary>
    public ImmutableArray<PreviewStale> Stale { get; init; } = [];

    internal ConcurrentDictionary<string, byte[]> ProgramJsonCache { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The witness list, documents and report, made when first asked for.</summary>
    internal ConcurrentDictionary<string, byte[]?> ExploreCache { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The bundle files each page loads, kept so an unchanged page is not parsed again.</summary>
    internal IReadOnlyDictionary<string, string[]> Dependencies { get; init; } = ImmutableDictionary<string, string[]>.Empty;

    public bool HasErrors => !Errors.IsEmpty;

    /// <summary>The bytes to serve for a key: a page with the preview script, or any other bundle file.</summary>
    public bool TryGet(string key, out byte[] content) =>
        Pages.TryGetValue(key, out content!) || Files.TryGetValue(key, out content!);

    public const string MissingFingerprint = "missing";

    public string FingerprintOf(string page) => Fingerprints.TryGetValue(page, out var f) ? f : MissingFingerprint;

    public byte[]? ProgramJson(string? locale)
    {
        if (Graph is not { } g) return null;
        var l = locale is not null && g.Locales.Contains(locale) ? locale : g.DefaultLocale;
        return ProgramJsonCache.GetOrAdd(l, x => Preview.ProgramJson.Write(g, x));
    }

    /// <summary>The example patients of the program for the panel, in a locale; null before the program was explored.</summary>
    public byte[]? WitnessesJson(string? locale)
    {
        if (ExploredGraph is not { } g || Exploration is not { } x) return null;
        var l = locale is not null && g.Locales.Contains(locale) ? locale : g.DefaultLocale;
        return ExploreCache.GetOrAdd("list:" + l, _ => ExplorePages.WitnessList(g, x, l));
    }

    private WitnessFile[]? _witnesses;

    /// <summary>The witnesses of <see cref="Exploration"/>, as <c>explore --witnesses</c> names them.</summary>
    public IReadOnlyList<WitnessFile> Witnesses =>
        _witnesses ??= ExploredGraph is { } g && Exploration is { } x ? [.. ExplorationJson.Witnesses(g, x)] : [];

    /// <summary>One witness as a stored patient state (as <c>explore --witnesses</c> writes it); null when there is none of that name.</summary>
    public byte[]? WitnessDocument(string file)
    {
        if (ExploredGraph is not { } g || !Witnesses.Any(w => w.FileName == file)) return null;
        return ExploreCache.GetOrAdd("file:" + file, f => ExplorePages.Document(g, Witnesses, f["file:".Length..]));
    }

    /// <summary>The exploration report (what <c>explore --html</c> writes), linked to the preview's pages.</summary>
    public byte[]? ReportHtml()
    {
        if (ExploredGraph is not { } g || Exploration is not { } x || Theme is not { } theme) return null;
        return ExploreCache.GetOrAdd("report", _ => ExplorePages.Report(g, x, theme, PageSources));
    }
}

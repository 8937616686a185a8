using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Exploration;
using ContentEngine.Model;
using ContentEngine.Output;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Cli.Preview;

/// <summary>What one build did and how long it took.</summary>
public sealed record BuildReport(
    PreviewSnapshot Snapshot,
    bool Compiled,
    bool ThemeLoaded,
    bool Rendered,
    ImmutableArray<string> ChangedFiles,
    TimeSpan Compile,
    TimeSpan Theme,
    TimeSpan Render,
    TimeSpan Total)
{
    /// <summary>Pages whose fingerprint changed (they reload), added or removed.</summary>
    public ImmutableArray<string> ChangedPages { get; init; } = [];

    /// <summary>How many files of the bundle were rendered (all of them unless only some could be affected).</summary>
    public int RenderedFiles { get; init; }

    /// <summary>The bundle's size.</summary>
    public int BundleFiles { get; init; }
}

/// <summary>
/// Compiles and renders the program into memory, keeping the last good bundle while the program is
/// broken. What an edit touches is all that is redone:
/// <list type="bullet">
/// <item>the compiler keeps a <see cref="CompilationCache"/>: it re-reads only the files that changed and
/// hands back the very same <see cref="Module"/> objects for modules they do not affect, though it
/// still checks the whole program (references, schedule, conditions);</item>
/// <item>when nothing changed but the bodies of some modules, only those modules' pages, the pages of the
/// worksheets they place are rendered again (the search indexes follow with the full render); anything else (titles, weeks,
/// worksheets, media, program.yaml) renders the whole bundle. A full render follows in the background
/// (<see cref="Verify"/>) and corrects any page the partial one missed;</item>
/// <item>an edit of the theme reloads the theme and renders the last graph, without compiling;</item>
/// <item>the compiler does not explore the program (its patients, for the panel's example patients, the report
/// and the CE08xx warnings): <see cref="PendingExploration"/> is run apart, on any thread, and <see cref="Apply"/>
/// serves what it found, unless the program was compiled again meanwhile.</item>
/// </list>
/// Not thread-safe: one build at a time.
/// </summary>
public sealed partial class PreviewBuilder
{
    private readonly string _root;
    private readonly CompilerOptions _options;
    private ProgramGraph? _graph;
    private Theme? _theme;
    private string? _themeName;
    private ImmutableArray<PreviewProblem> _compileErrors = [];
    private ImmutableArray<PreviewProblem> _warnings = [];
    private ImmutableArray<PreviewStale> _stale = [];
    private PreviewProblem? _themeError;
    private PreviewProblem? _renderError;
    private PreviewSnapshot _current = PreviewSnapshot.Empty;

    // What the current bundle was rendered from, to tell what a new graph changes.
    private ProgramGraph? _renderedGraph;
    private Theme? _renderedTheme;
    private string? _renderedSkeleton;
    private bool _partial;
    private bool _compiledOnce;

    // The exploration (the panel's example patients, the report, the CE08xx warnings): made apart from
    // the compilation, so that an edit shows before the program is explored again (see Explore).
    private readonly bool _explore;
    private HashSet<(string Path, int Line, int Column)> _neverTrue = [];
    private ProgramGraph? _explored;
    private ExplorationResult? _exploration;
    private ImmutableArray<PreviewProblem> _findings = [];
    private long _exploredGeneration;

    public PreviewBuilder(string programFolder, CompilerOptions? options = null)
    {
        _root = Path.GetFullPath(programFolder);
        _explore = options?.Explore ?? true;
        _options = (options ?? new CompilerOptions()) with { Cache = options?.Cache ?? new CompilationCache(), Explore = false };
    }

    public string ProgramFolder => _root;

    public PreviewSnapshot Current => Volatile.Read(ref _current);

    /// <summary>The folders of the theme in use, to watch (empty for the built-in theme).</summary>
    public IReadOnlyList<string> ThemeFolders => _theme?.Folders ?? [];

    /// <param name="compile">false when only theme files changed: the last graph is rendered again.</param>
    /// <param name="reloadTheme">true when theme files changed.</param>
    /// <param name="changedFiles">the files that changed, relative to the program folder where they lie in it (for messages).</param>
    /// <param name="changesComplete">true when <paramref name="changedFiles"/> are all the files that changed since the last build
    /// (a watcher saw every change): the compiler then looks at no other file.</param>
    /// <param name="explore">explore a newly compiled program in this build too (else <see cref="Explore"/> does it later).</param>
    public BuildReport Build(bool compile, bool reloadTheme, IReadOnlyCollection<string> changedFiles, bool changesComplete = false, bool explore = false)
    {
        var total = Stopwatch.StartNew();
        var compileTime = TimeSpan.Zero;
        var themeTime = TimeSpan.Zero;
        var renderTime = TimeSpan.Zero;
        var compiledNew = false;
        var themeNew = false;
        var themeTried = false;
        var compiled = compile || _graph is null;

        if (compiled)
        {
            var sw = Stopwatch.StartNew();
            try
            {
                // Trust the list only after a compilation that finished, and only for whole files: a folder
                // that was moved or deleted needs the folders listed again.
                if (changesComplete && _compiledOnce && changedFiles.All(f => f.EndsWith(".md", StringComparison.Ordinal) || !(f.StartsWith("modules/", StringComparison.Ordinal) || f.StartsWith("worksheets/", StringComparison.Ordinal))))
                    _options.Cache!.OnlyChanged(changedFiles);
                _compiledOnce = false;
                var result = ProgramCompiler.Compile(_root, _options);
                _compiledOnce = true;
                var lines = new Dictionary<string, string[]?>(StringComparer.Ordinal);
                _compileErrors = [.. result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => Problem(d, lines))];
                _warnings = [.. result.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Error).Select(d => Problem(d, lines))];
                _stale = result.Diagnostics.Any(d => d.Id == DiagnosticDescriptors.StaleTranslation.Id) ? PreviewStale.Find(_root) : [];
                if (result.Graph is { } graph && _compileErrors.IsEmpty)
                {
                    _graph = graph;
                    // Conditions already reported as never true (CE0304) are not reported again by the explorer.
                    _neverTrue = result.Diagnostics.Where(d => d.Id == DiagnosticDescriptors.ConditionNeverTrue.Id).Select(d => (d.Location.Path, d.Location.Line, d.Location.Column)).ToHashSet();
                    compiledNew = true;
                    // The same program as the one explored (a build that found nothing changed): its exploration holds.
                    if (_explored is { } before && _exploration is not null && SameProgram(before, graph)) _explored = graph;
                    if (explore && PendingExploration is { } job) Take(job.Run());
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
                var suspects = changedFiles.Where(f => f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal)).ToList();
                var where = suspects.Count switch
                {
                    0 => string.Empty,
                    1 => $" It happened after a change to {suspects[0]}; look there first, or undo that change.",
                    _ => $" It happened after changes to {string.Join(", ", suspects)}.",
                };
                _compileErrors = [new PreviewProblem(suspects.Count == 1 ? suspects[0] : null, null, null, 0, "internal", "error",
                    $"ContentEngine could not read the program: it stopped with an internal error ({inner.GetType().Name}: {inner.Message}). " +
                    $"This is a bug in ContentEngine; please report it.{where}", null)];
            }
            compileTime = sw.Elapsed;
        }

        if (_graph is { } g && (reloadTheme || _theme is null || g.Theme != _themeName))
        {
            var sw = Stopwatch.StartNew();
            try
            {
                _theme = Theme.Load(_root, g.Theme);
                _themeName = g.Theme;
                _themeError = null;
                themeNew = true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A broken template or a missing theme folder: keep rendering with the last theme that loaded.
                var themeFiles = changedFiles.Where(f => !f.EndsWith(".md", StringComparison.Ordinal) && !f.EndsWith(".yaml", StringComparison.Ordinal)).ToList();
                _themeError = new PreviewProblem(themeFiles.Count == 1 ? themeFiles[0] : null, null, null, 0, "theme", "error",
                    e is ThemeException or IOException ? e.Message : $"The theme could not be loaded ({e.GetType().Name}: {e.Message}).", null);
            }
            themeTime = sw.Elapsed;
            themeTried = true;
        }

        var previous = Current;
        IReadOnlyDictionary<string, byte[]>? files = null;
        var renderedFiles = 0;
        if (_graph is { } graph2 && _theme is { } theme && (compiledNew || themeNew || previous.Files.Count == 0))
        {
            var sw = Stopwatch.StartNew();
            try
            {
                var skeleton = Skeleton(graph2);
                if (_renderedGraph is { } old && ReferenceEquals(theme, _renderedTheme) && skeleton == _renderedSkeleton && previous.Files.Count > 0)
                {
                    (files, renderedFiles) = RenderChanged(old, graph2, theme, previous.Files);
                    _partial |= renderedFiles > 0;
                }
                else
                {
                    files = WebRenderer.Render(graph2, new WebOptions { Theme = theme }).Files;
                    renderedFiles = files.Count;
                    _partial = false;
                }
                _renderedGraph = graph2;
                _renderedTheme = theme;
                _renderedSkeleton = skeleton;
                _renderError = null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A media file changed between compiling and rendering, a template failed at run time, or a bug.
                _renderError = new PreviewProblem(null, null, null, 0, "render", "error",
                    e is IOException or ThemeException ? e.Message : $"The web pages could not be made ({e.GetType().Name}: {e.Message}).", null);
            }
            renderTime = sw.Elapsed;
        }

        var errors = _compileErrors;
        if (_themeError is not null) errors = errors.Add(_themeError);
        if (_renderError is not null) errors = errors.Add(_renderError);

        PreviewSnapshot next;
        var changedPages = ImmutableArray<string>.Empty;
        if (files is not null && ReferenceEquals(files, previous.Files))
        {
            // The graph changed in nothing that shows (a comment, a setting the web does not use).
            next = Copy(previous, errors, _graph);
        }
        else if (files is not null)
        {
            next = Snapshot(previous, files, _graph!, errors);
            changedPages = [.. next.Fingerprints.Where(kv => previous.FingerprintOf(kv.Key) != kv.Value).Select(kv => kv.Key)
                .Concat(previous.Fingerprints.Keys.Where(k => !next.Fingerprints.ContainsKey(k))).Order(StringComparer.Ordinal)];
        }
        else
        {
            next = Copy(previous, errors);
        }
        Volatile.Write(ref _current, next);
        return new BuildReport(next, compiled, themeTried, files is not null, [.. changedFiles], compileTime, themeTime, renderTime, total.Elapsed)
        {
            ChangedPages = changedPages,
            RenderedFiles = renderedFiles,
            BundleFiles = next.Files.Count,
        };
    }

    /// <summary>The same bundle with the latest problems.</summary>
    private PreviewSnapshot Copy(PreviewSnapshot previous, ImmutableArray<PreviewProblem> errors, ProgramGraph? graph = null) => (graph is not null
        ? previous with
        {
            Generation = previous.Generation + 1,
            BundleGeneration = previous.Generation + 1, // a new graph: the panel reads program.json again
            PageSources = Sources(graph),
            Graph = graph,
            Theme = _theme,
            ProgramJsonCache = new(StringComparer.Ordinal),
            ExploreCache = new(StringComparer.Ordinal),
            Errors = errors,
        }
        : previous with
        {
            Generation = previous.Generation + 1,
            ExploreCache = previous.ExploredGeneration == _exploredGeneration ? previous.ExploreCache : new(StringComparer.Ordinal),
            Errors = errors,
        }).Explored(this);

    /// <summary>Whether the bundle was last made by rendering only some pages, and not yet checked against a full render.</summary>
    public bool NeedsVerify => _partial;

    /// <summary>
    /// Renders the whole bundle from what the current one was rendered from and swaps it in if any
    /// file differs from the partial render's: a safety net under the partial render. Null when
    /// there was nothing to check or nothing differed.
    /// </summary>
    public BuildReport? Verify()
    {
        if (!_partial || _renderedGraph is not { } graph || _renderedTheme is not { } theme) return null;
        _partial = false;
        var total = Stopwatch.StartNew();
        IReadOnlyDictionary<string, byte[]> files;
        try
        {
            files = WebRenderer.Render(graph, new WebOptions { Theme = theme }).Files;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // the next build reports it
        }
        var previous = Current;
        var differ = files.Count != previous.Files.Count
            || files.Any(kv => !previous.Files.TryGetValue(kv.Key, out var old) || !old.AsSpan().SequenceEqual(kv.Value));
        if (!differ) return null;
        var next = Snapshot(previous, files, previous.Graph ?? graph, previous.Errors);
        Volatile.Write(ref _current, next);
        var changedPages = next.Fingerprints.Where(kv => previous.FingerprintOf(kv.Key) != kv.Value).Select(kv => kv.Key)
            .Concat(previous.Fingerprints.Keys.Where(k => !next.Fingerprints.ContainsKey(k))).Order(StringComparer.Ordinal).ToImmutableArray();
        return new BuildReport(next, false, false, true, [], TimeSpan.Zero, TimeSpan.Zero, total.Elapsed, total.Elapsed)
        {
            ChangedPages = changedPages,
            RenderedFiles = files.Count,
            BundleFiles = files.Count,
        };
    }

    // ---- exploring ----

    /// <summary>Whether the program last compiled has not been explored yet.</summary>
    public bool NeedsExplore => _explore && _graph is not null && !ReferenceEquals(_explored, _graph);

    /// <summary>The graph the current exploration is of (the one compiled last, once <see cref="Explore"/> has run).</summary>
    internal ProgramGraph? ExploredGraph => _explored;
    internal ExplorationResult? Exploration => _exploration;
    internal long ExploredGeneration => _exploredGeneration;

    /// <summary>The warnings of the latest compilation, and the explorer's findings when it has explored that program.</summary>
    /// <summary>The stale translations the last compilation found (CE0505), for the pages' markers.</summary>
    internal ImmutableArray<PreviewStale> Stale => _stale;

    internal ImmutableArray<PreviewProblem> Warnings => ReferenceEquals(_explored, _graph) ? _warnings.AddRange(_findings) : _warnings;

    /// <summary>The program to explore, when the one compiled last has not been explored yet.</summary>
    public ExploreJob? PendingExploration => NeedsExplore ? new ExploreJob(_graph!, _neverTrue) : null;

    /// <summary>
    /// Explores the program compiled last, if it has not been, and serves the result: the panel's
    /// example patients, the report and the explorer's warnings. Null when there was nothing to do.
    /// The pages do not change, and do not reload.
    /// </summary>
    public BuildReport? Explore() => PendingExploration is { } job ? Apply(job.Run()) : null;

    /// <summary>
    /// Serves what a <see cref="ExploreJob"/> found (which may have run on another thread); null when
    /// the program has been compiled again since (the newer one is explored next).
    /// </summary>
    public BuildReport? Apply(ExploreOutcome outcome)
    {
        if (!ReferenceEquals(outcome.Graph, _graph) || ReferenceEquals(_explored, _graph)) return null;
        var previous = Current;
        var generation = _exploredGeneration;
        Take(outcome);
        var next = (previous with
        {
            Generation = previous.Generation + 1,
            ExploreCache = generation == _exploredGeneration ? previous.ExploreCache : new(StringComparer.Ordinal),
        }).Explored(this);
        Volatile.Write(ref _current, next);
        return new BuildReport(next, false, false, false, [], TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, outcome.Took) { BundleFiles = next.Files.Count };
    }

    private void Take(ExploreOutcome outcome)
    {
        var graph = outcome.Graph;
        ImmutableArray<PreviewProblem> findings;
        if (outcome.Result is { } result)
        {
            var lines = new Dictionary<string, string[]?>(StringComparer.Ordinal);
            findings = [.. result.Findings.Select(d => Problem(d, lines))];
        }
        else
        {
            var e = outcome.Error!;
            findings = [new PreviewProblem(null, null, null, 0, "explore", "warning",
                $"The program could not be explored ({e.GetType().Name}: {e.Message}); the panel has no example patients. This is a bug in ContentEngine; please report it.", null)];
        }
        // The panel fetches the example patients again only when they are others than before.
        var same = outcome.Result is not null && _exploration is not null && _explored is not null
            && ExplorePages.WitnessList(_explored, _exploration, graph.DefaultLocale).AsSpan().SequenceEqual(ExplorePages.WitnessList(graph, outcome.Result, graph.DefaultLocale));
        _explored = graph;
        _exploration = outcome.Result;
        _findings = findings;
        if (!same) _exploredGeneration++;
    }

    /// <summary>Two compilations of the same sources: the very same modules (the cache hands back those of unchanged files) and the same graph.</summary>
    private static bool SameProgram(ProgramGraph a, ProgramGraph b) =>
        a.Modules.Length == b.Modules.Length && a.Modules.Zip(b.Modules).All(p => ReferenceEquals(p.First, p.Second))
        && a.MaxMinutesPerWeek == b.MaxMinutesPerWeek && a.DefaultLocale == b.DefaultLocale
        && GraphJson.Write(a) == GraphJson.Write(b);

    // ---- partial renders ----


    /// <summary>The graph without the modules' bodies (and what is counted from them): equal skeletons mean only bodies changed.</summary>
    private static string Skeleton(ProgramGraph g)
    {
        // Everything of the graph but module bodies: what pages other than a module's own may show.
        var sb = new StringBuilder(GraphJson.Write(g with { Modules = [] }));
        foreach (var m in g.Modules)
        {
            sb.Append('\n').Append(m.Id).Append('|').Append(m.Title).Append('|').Append(m.Summary).Append('|').Append(m.Phase).Append('|')
                .Append(m.Week).Append('|').Append(m.ProgramWeek).Append('|').Append(m.Optional).Append('|').Append(m.Minutes).Append('|')
                .Append(string.Join(',', m.Requires)).Append('|').Append(m.OfferWhen?.Source).Append('|').Append(m.OfferReason).Append('|')
                .Append(string.Join(',', m.Tags)).Append('|').Append(m.SourcePath).Append('|').Append(string.Join(',', m.Content.Keys));
        }
        return sb.ToString();
    }

    /// <summary>
    /// Renders the pages a change of module bodies can touch: the modules' own pages, the pages of
    /// the worksheets they place (before or after the edit: a worksheet lists where it is used), the program's
    /// schedule script (it lists each module's homework, which the body places), and not the search indexes,
    /// which <see cref="Verify"/> renders. Every other file is the previous bundle's.
    /// </summary>
    private static (IReadOnlyDictionary<string, byte[]> Files, int Rendered) RenderChanged(ProgramGraph old, ProgramGraph graph, Theme theme, IReadOnlyDictionary<string, byte[]> previous)
    {
        var changed = graph.Modules.Where((m, i) => !ReferenceEquals(m, old.Modules[i])).ToList();
        if (changed.Count == 0) return (previous, 0);
        var worksheets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in changed)
        {
            foreach (var c in m.Content.Values) PlacedWorksheets(c.Blocks, worksheets);
            if (old.FindModule(m.Id) is { } before)
                foreach (var c in before.Content.Values) PlacedWorksheets(c.Blocks, worksheets);
        }
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var locale in graph.Locales)
        {
            // The search indexes hold every module's text: large, and not what the author is looking at.
            // The full render after the partial one (Verify) brings them up to date.
            foreach (var m in changed) wanted.Add($"{locale}/modules/{m.Id}.html");
            foreach (var w in worksheets) wanted.Add($"{locale}/worksheets/{w}.html");
        }
        var jobs = WebRenderer.Pages(graph, theme).Where(j => wanted.Contains(j.Path)).ToList();
        var rendered = jobs.AsParallel().Select(j => (j.Path, Bytes: Encoding.UTF8.GetBytes(j.Render()))).ToList();
        var files = new Dictionary<string, byte[]>(previous, StringComparer.Ordinal);
        foreach (var (path, bytes) in rendered) files[path] = bytes;
        files["assets/program.js"] = Encoding.UTF8.GetBytes(WebRenderer.ProgramScript(graph));
        return (files, rendered.Count + 1);
    }

    private static void PlacedWorksheets(IEnumerable<ContentBlock> blocks, HashSet<string> into)
    {
        foreach (var d in blocks.Directives())
        {
            if (d.Name == "worksheet" && d.Attributes.TryGetValue("ref", out var id)) into.Add(id);
            PlacedWorksheets(d.Children, into);
        }
    }

    private PreviewProblem Problem(Diagnostic d, Dictionary<string, string[]?> lines)
    {
        var loc = d.Location;
        string? source = null;
        if (loc.HasPosition)
        {
            if (!lines.TryGetValue(loc.Path, out var text))
            {
                try
                {
                    var full = Path.Combine(_root, loc.Path);
                    text = File.Exists(full) && new FileInfo(full).Length < 8 * 1024 * 1024 ? File.ReadAllText(full).Replace("\r\n", "\n").Split('\n') : null;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    text = null;
                }
                lines[loc.Path] = text;
            }
            if (text is not null && loc.Line < text.Length)
            {
                source = text[loc.Line].TrimEnd('\r').Replace('\t', ' ');
                if (source.Length > 300) source = source[..300] + "…";
            }
        }
        return new PreviewProblem(loc.Path, loc.HasPosition ? loc.Line + 1 : null, loc.HasPosition ? loc.Column + 1 : null, loc.Length,
            d.Id, d.Severity.Name(), d.Message, source);
    }
}

/// <summary>A program to explore; <see cref="Run"/> touches nothing but the graph, so it may run on any thread.</summary>
public sealed record ExploreJob(ProgramGraph Graph, IReadOnlySet<(string Path, int Line, int Column)> NeverTrue)
{
    public ExploreOutcome Run()
    {
        var took = Stopwatch.StartNew();
        try
        {
            return new ExploreOutcome(Graph, ProgramExplorer.Explore(Graph, NeverTrue), null, took.Elapsed);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ExploreOutcome(Graph, null, e, took.Elapsed);
        }
    }
}

/// <summary>What exploring a program gave: the result, or the exception that stopped it.</summary>
public sealed record ExploreOutcome(ProgramGraph Graph, ExplorationResult? Result, Exception? Error, TimeSpan Took);

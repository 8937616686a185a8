using System.Collections.Immutable;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
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
/// <item>an edit of the theme reloads the theme and renders the last graph, without compiling.</item>
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
    private PreviewProblem? _themeError;
    private PreviewProblem? _renderError;
    private PreviewSnapshot _current = PreviewSnapshot.Empty;

    // What the current bundle was rendered from, to tell what a new graph changes.
    private ProgramGraph? _renderedGraph;
    private Theme? _renderedTheme;
    private string? _renderedSkeleton;
    private bool _partial;
    private bool _compiledOnce;

    public PreviewBuilder(string programFolder, CompilerOptions? options = null)
    {
        _root = Path.GetFullPath(programFolder);
        _options = (options ?? new CompilerOptions()) with { Cache = options?.Cache ?? new CompilationCache() };
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
    public BuildReport Build(bool compile, bool reloadTheme, IReadOnlyCollection<string> changedFiles, bool changesComplete = false)
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
                if (result.Graph is { } graph && _compileErrors.IsEmpty)
                {
                    _graph = graph;
                    compiledNew = true;
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
            next = Snapshot(previous, files, _graph!, errors, _warnings);
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
    private PreviewSnapshot Copy(PreviewSnapshot previous, ImmutableArray<PreviewProblem> errors, ProgramGraph? graph = null) => graph is not null ? new()
    {
        Generation = previous.Generation + 1,
        BundleGeneration = previous.Generation + 1, // a new graph: the panel reads program.json again
        Files = previous.Files,
        Pages = previous.Pages,
        Hashes = previous.Hashes,
        Fingerprints = previous.Fingerprints,
        Dependencies = previous.Dependencies,
        PageSources = Sources(graph),
        Graph = graph,
        Errors = errors,
        Warnings = _warnings,
    } : new()
    {
        Generation = previous.Generation + 1,
        BundleGeneration = previous.BundleGeneration,
        Files = previous.Files,
        Pages = previous.Pages,
        Hashes = previous.Hashes,
        Fingerprints = previous.Fingerprints,
        Dependencies = previous.Dependencies,
        PageSources = previous.PageSources,
        Graph = previous.Graph,
        ProgramJsonCache = previous.ProgramJsonCache,
        Errors = errors,
        Warnings = _warnings,
    };

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
        var next = Snapshot(previous, files, previous.Graph ?? graph, previous.Errors, previous.Warnings);
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
    /// the worksheets they place (before or after the edit: a worksheet lists where it is used), and
    /// not the search indexes, which <see cref="Verify"/> renders. Every other file is the previous bundle's.
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
        return (files, rendered.Count);
    }

    private static void PlacedWorksheets(IEnumerable<ContentBlock> blocks, HashSet<string> into)
    {
        foreach (var d in blocks.OfType<DirectiveBlock>())
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
            d.Id, d.Severity == DiagnosticSeverity.Error ? "error" : "warning", d.Message, source);
    }

    // ---- the snapshot of a new bundle ----

    [GeneratedRegex("""<(?:script|img|audio|video|source|track|link|iframe|embed|object)\b[^>]*?\s(?:src|href|data)\s*=\s*["']([^"']*)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex Loads();

    private static PreviewSnapshot Snapshot(PreviewSnapshot previous, IReadOnlyDictionary<string, byte[]> files, ProgramGraph graph,
        ImmutableArray<PreviewProblem> errors, ImmutableArray<PreviewProblem> warnings)
    {
        var hashes = new Dictionary<string, string>(files.Count, StringComparer.Ordinal);
        foreach (var (key, bytes) in files)
        {
            // Unchanged bytes keep their hash: comparing is cheaper than hashing.
            hashes[key] = previous.Files.TryGetValue(key, out var old) && previous.Hashes.TryGetValue(key, out var oldHash)
                && (ReferenceEquals(old, bytes) || old.AsSpan().SequenceEqual(bytes))
                ? oldHash
                : Convert.ToHexStringLower(SHA256.HashData(bytes));
        }

        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        var pages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var dependencies = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, bytes) in files)
        {
            if (!ContentTypes.IsHtml(key)) continue;
            // A page whose bytes are the very same as before loads the same files: reuse what was found then.
            if (previous.Files.TryGetValue(key, out var before) && ReferenceEquals(before, bytes)
                && previous.Dependencies.TryGetValue(key, out var known) && previous.Pages.TryGetValue(key, out var page)
                && known.All(d => hashes.TryGetValue(d, out var h) && previous.Hashes.TryGetValue(d, out var oh) && h == oh))
            {
                dependencies[key] = known;
                fingerprints[key] = previous.FingerprintOf(key)!;
                pages[key] = page;
                continue;
            }
            var html = Encoding.UTF8.GetString(bytes);
            var deps = new SortedSet<string>(StringComparer.Ordinal);
            foreach (Match m in Loads().Matches(html))
                if (Resolve(key, m.Groups[1].Value) is { } dep && hashes.ContainsKey(dep) && dep != key) deps.Add(dep);
            dependencies[key] = [.. deps];
            var sb = new StringBuilder(hashes[key]);
            foreach (var dep in deps) sb.Append('\n').Append(dep).Append(':').Append(hashes[dep]);
            var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..20];
            fingerprints[key] = fingerprint;
            pages[key] = previous.Pages.TryGetValue(key, out var servedBefore) && previous.FingerprintOf(key) == fingerprint
                ? servedBefore
                : Encoding.UTF8.GetBytes(PreviewPages.Inject(html, key, fingerprint));
        }

        return new PreviewSnapshot
        {
            Generation = previous.Generation + 1,
            BundleGeneration = previous.Generation + 1,
            Files = files,
            Pages = pages,
            Hashes = hashes,
            Fingerprints = fingerprints,
            Dependencies = dependencies,
            PageSources = Sources(graph),
            Graph = graph,
            Errors = errors,
            Warnings = warnings,
        };
    }

    /// <summary>A URL in a page, as a bundle key; null for external, absolute or unresolvable ones.</summary>
    internal static string? Resolve(string page, string url)
    {
        url = System.Net.WebUtility.HtmlDecode(url).Trim();
        var cut = url.IndexOfAny(['?', '#']);
        if (cut >= 0) url = url[..cut];
        if (url.Length == 0 || url.StartsWith("//", StringComparison.Ordinal) || url.Contains(':')) return null;
        var parts = new List<string>();
        if (url.StartsWith('/')) url = url[1..];
        else parts.AddRange(page.Split('/')[..^1]);
        foreach (var segment in Uri.UnescapeDataString(url).Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
            }
            else parts.Add(segment);
        }
        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    private static ImmutableDictionary<string, ImmutableArray<string>> Sources(ProgramGraph g)
    {
        var map = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var locale in g.Locales)
        {
            map[$"{locale}/index.html"] = ["program.yaml"];
            map[$"{locale}/aftercare.html"] = ["program.yaml", .. g.Modules.Where(m => m.Optional).Select(m => m.SourcePath)];
            foreach (var m in g.Modules)
                map[$"{locale}/modules/{m.Id}.html"] = [.. new[] { m.SourcePath }.Concat(m.Content.Values.Select(c => c.SourcePath)).Distinct()];
            foreach (var w in g.Worksheets)
                map[$"{locale}/worksheets/{w.Id}.html"] = [.. new[] { w.SourcePath }.Concat(w.Content.Values.Select(c => c.SourcePath)).Distinct()];
        }
        return map.ToImmutable();
    }
}

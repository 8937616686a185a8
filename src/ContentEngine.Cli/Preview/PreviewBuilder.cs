using System.Collections.Immutable;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
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
}

/// <summary>
/// Compiles and renders the program into memory, keeping the last good bundle while the program is
/// broken. An edit of the program's sources recompiles the program (the compiler checks the whole
/// program at once, which takes tens of milliseconds) and renders it again; an edit of the theme
/// only reloads the theme and renders the last graph again; a build that changes no file of the
/// bundle changes no page. Not thread-safe: one build at a time.
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

    public PreviewBuilder(string programFolder, CompilerOptions? options = null)
    {
        _root = Path.GetFullPath(programFolder);
        _options = options ?? new CompilerOptions();
    }

    public string ProgramFolder => _root;

    public PreviewSnapshot Current => Volatile.Read(ref _current);

    /// <summary>The folders of the theme in use, to watch (empty for the built-in theme).</summary>
    public IReadOnlyList<string> ThemeFolders => _theme?.Folders ?? [];

    /// <param name="compile">false when only theme files changed: the last graph is rendered again.</param>
    /// <param name="reloadTheme">true when theme files changed.</param>
    /// <param name="changedFiles">the files that changed, relative to the program folder where they lie in it (for messages).</param>
    public BuildReport Build(bool compile, bool reloadTheme, IReadOnlyCollection<string> changedFiles)
    {
        var total = Stopwatch.StartNew();
        var compileTime = TimeSpan.Zero;
        var themeTime = TimeSpan.Zero;
        var renderTime = TimeSpan.Zero;
        var compiledNew = false;
        var themeNew = false;
        var compiled = compile || _graph is null;

        if (compiled)
        {
            var sw = Stopwatch.StartNew();
            try
            {
                var result = ProgramCompiler.Compile(_root, _options);
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
                _themeError = new PreviewProblem(null, null, null, 0, "theme", "error",
                    e is ThemeException or IOException ? e.Message : $"The theme could not be loaded ({e.GetType().Name}: {e.Message}).", null);
            }
            themeTime = sw.Elapsed;
        }

        var previous = Current;
        IReadOnlyDictionary<string, byte[]>? files = null;
        if (_graph is { } graph2 && _theme is { } theme && (compiledNew || themeNew || previous.Files.Count == 0))
        {
            var sw = Stopwatch.StartNew();
            try
            {
                files = WebRenderer.Render(graph2, new WebOptions { Theme = theme }).Files;
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
        if (files is not null)
        {
            next = Snapshot(previous, files, _graph!, errors, _warnings);
            changedPages = [.. next.Fingerprints.Where(kv => previous.FingerprintOf(kv.Key) != kv.Value).Select(kv => kv.Key)
                .Concat(previous.Fingerprints.Keys.Where(k => !next.Fingerprints.ContainsKey(k))).Order(StringComparer.Ordinal)];
        }
        else
        {
            next = new PreviewSnapshot
            {
                Generation = previous.Generation + 1,
                BundleGeneration = previous.BundleGeneration,
                Files = previous.Files,
                Pages = previous.Pages,
                Hashes = previous.Hashes,
                Fingerprints = previous.Fingerprints,
                PageSources = previous.PageSources,
                Graph = previous.Graph,
                ProgramJsonCache = previous.ProgramJsonCache,
                Errors = errors,
                Warnings = _warnings,
            };
        }
        Volatile.Write(ref _current, next);
        return new BuildReport(next, compiled, themeNew, files is not null, [.. changedFiles], compileTime, themeTime, renderTime, total.Elapsed)
        {
            ChangedPages = changedPages,
        };
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
            hashes[key] = previous.Files.TryGetValue(key, out var old) && previous.Hashes.TryGetValue(key, out var oldHash) && old.AsSpan().SequenceEqual(bytes)
                ? oldHash
                : Convert.ToHexStringLower(SHA256.HashData(bytes));
        }

        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        var pages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, bytes) in files)
        {
            if (!ContentTypes.IsHtml(key)) continue;
            var html = Encoding.UTF8.GetString(bytes);
            var deps = new SortedSet<string>(StringComparer.Ordinal);
            foreach (Match m in Loads().Matches(html))
                if (Resolve(key, m.Groups[1].Value) is { } dep && hashes.ContainsKey(dep) && dep != key) deps.Add(dep);
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

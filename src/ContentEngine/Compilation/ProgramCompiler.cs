using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;
using ContentEngine.Exploration;
using ContentEngine.Markdown;
using ContentEngine.Model;
using ContentEngine.Text;
using ContentEngine.Yaml;
using Condition = ContentEngine.Model.Condition;

namespace ContentEngine.Compilation;

public sealed record CompilerOptions
{
    /// <summary>The date against which review dates are judged.</summary>
    public DateOnly Today { get; init; } = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Results of an earlier compilation of the same program to reuse where its files are unchanged.</summary>
    public CompilationCache? Cache { get; init; }

    /// <summary>Explore the compiled program over its patients and report what that finds (CE08xx); on by default.</summary>
    public bool Explore { get; init; } = true;
}

/// <summary>The result of a compilation: the graph when there are no errors, and every diagnostic.</summary>
public sealed record CompilationResult(ProgramGraph? Graph, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The program explored over its patients (when it compiled and <see cref="CompilerOptions.Explore"/> was on).</summary>
    public ExplorationResult? Exploration { get; init; }
}

/// <summary>Sources -> parse -> bind -> validate -> <see cref="ProgramGraph"/>.</summary>
public sealed partial class ProgramCompiler
{
    private static readonly string[] ProgramKeys = ["id", "version", "title", "summary", "locales", "guidance", "release", "phases", "reading_speed", "theme", "max_minutes_per_week"];
    private static readonly string[] ModuleKeys = ["id", "title", "summary", "phase", "week", "optional", "minutes", "requires", "offer_when", "offer_reason", "tags", "review", "notes_pages"];

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVer();

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
    private static partial Regex LocalePattern();

    private readonly string _root;
    private readonly CompilerOptions _options;
    private readonly DiagnosticBag _diagnostics = new();
    private readonly AssetResolver _assets;
    private readonly HashSet<string>? _changes;
    private BindContext _context = null!;
    private bool _sourcesRead;

    private ProgramCompiler(string root, CompilerOptions options)
    {
        _root = Path.GetFullPath(root);
        _options = options;
        _assets = new AssetResolver(_root);
        _changes = options.Cache?.TakeChanges();
    }

    public static CompilationResult Compile(string programFolder, CompilerOptions? options = null)
    {
        var compiler = new ProgramCompiler(programFolder, options ?? new CompilerOptions());
        var graph = compiler.Run();
        if (!compiler._sourcesRead && compiler._changes is not null) compiler._options.Cache!.Unread(compiler._changes);
        var diagnostics = compiler._diagnostics.Items
            .OrderBy(d => d.Location.Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
        var hasErrors = diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        ExplorationResult? exploration = null;
        if (!hasErrors && graph is not null && compiler._options.Explore)
        {
            // The program over every patient who can go through it: its findings are warnings of check too.
            var neverTrue = diagnostics.Where(d => d.Id == DiagnosticDescriptors.ConditionNeverTrue.Id).Select(d => (d.Location.Path, d.Location.Line, d.Location.Column)).ToHashSet();
            exploration = ProgramExplorer.Explore(graph, neverTrue);
            diagnostics = [.. diagnostics.Concat(exploration.Findings)
                .OrderBy(d => d.Location.Path, StringComparer.Ordinal)
                .ThenBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ThenBy(d => d.Id, StringComparer.Ordinal)];
        }
        return new CompilationResult(hasErrors ? null : graph, diagnostics) { Exploration = exploration };
    }

    // ---- sources ----

    /// <summary>A Markdown source: an original or a translation of one.</summary>
    private sealed record SourceEntry(string Path, string BaseName, string? Locale, FrontMatterDocument? Document);

    private sealed record Unit(SourceEntry Original, List<SourceEntry> Translations);

    internal static (string BaseName, string? Locale) SplitName(string programPath)
    {
        var name = programPath[..^3];
        var dot = name.LastIndexOf('.');
        var slash = name.LastIndexOf('/');
        if (dot > slash && LocalePattern().IsMatch(name[(dot + 1)..])) return (name[..dot], name[(dot + 1)..]);
        return (name, null);
    }

    private List<Unit> LoadUnits(string folder)
    {
        var dir = Path.Combine(_root, folder);
        var cache = _options.Cache;
        var changes = _changes;
        string[] files;
        // A watcher that reported every change vouches for the last listing unless a file it names was added or removed.
        if (changes is not null && cache!.Listings.TryGetValue(folder, out var listed)
            && !changes.Any(c => c.StartsWith(folder + "/", StringComparison.Ordinal) && c.EndsWith(".md", StringComparison.Ordinal)
                && Array.BinarySearch(listed, c, StringComparer.Ordinal) < 0 == File.Exists(Path.Combine(_root, c))))
            files = listed;
        else
        {
            if (!Directory.Exists(dir)) return [];
            files = [.. Directory.EnumerateFiles(dir, "*.md", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(_root, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)];
            cache?.Listings[folder] = files;
        }
        if (files.Length == 0) return [];
        // Reading and parsing files is independent work: spread it over the cores, keep the order.
        var loaded = files.AsParallel().AsOrdered().Select(path =>
        {
            var full = Path.Combine(_root, path);
            if (changes is not null && !changes.Contains(path) && cache!.Files.TryGetValue(path, out var known))
                return ((SourceEntry)known.Entry, known.Diagnostics);
            var key = cache is null ? null : CompilationCache.KeyOf(full);
            if (key is not null && cache!.Files.TryGetValue(path, out var hit) && hit.Key == key)
                return ((SourceEntry)hit.Entry, hit.Diagnostics);
            var bag = new DiagnosticBag();
            var (baseName, locale) = SplitName(path);
            var file = SourceReader.Read(_root, path, bag);
            var document = file is null ? null : FrontMatter.Read(file, bag);
            var entry = new SourceEntry(path, baseName, locale, document);
            if (key is not null) cache!.Files[path] = new CompilationCache.CachedFile(key, entry, bag.Items.ToArray());
            return (entry, (IReadOnlyList<Diagnostic>)bag.Items);
        }).ToList();
        var entries = new List<SourceEntry>();
        foreach (var (entry, diagnostics) in loaded)
        {
            _diagnostics.AddRange(diagnostics);
            entries.Add(entry);
        }
        var originals = entries.Where(e => e.Locale is null).ToDictionary(e => e.BaseName, e => new Unit(e, []), StringComparer.Ordinal);
        foreach (var t in entries.Where(e => e.Locale is not null))
        {
            if (!originals.TryGetValue(t.BaseName, out var unit))
            {
                _diagnostics.Report(DiagnosticDescriptors.OrphanTranslation, SourceLocation.File(t.Path), t.Path, t.BaseName + ".md");
                continue;
            }
            if (!_context.Locales.Contains(t.Locale!) || t.Locale == _context.DefaultLocale)
            {
                _diagnostics.Report(DiagnosticDescriptors.TranslationLocale, SourceLocation.File(t.Path), t.Locale,
                    string.Join(", ", _context.Locales) + (t.Locale == _context.DefaultLocale ? $"; '{t.Locale}' is the default locale, which the original holds" : string.Empty));
                continue;
            }
            unit.Translations.Add(t);
        }
        return [.. originals.Values.OrderBy(u => u.Original.Path, StringComparer.Ordinal)];
    }

    private YMapping? Merged(Unit unit) => Merged(unit, _context);

    private static YMapping? Merged(Unit unit, BindContext context)
    {
        if (unit.Original.Document is not { } doc) return null;
        var yaml = doc.Yaml;
        foreach (var t in unit.Translations)
            if (t.Document is { } td)
                yaml = TranslationMerger.Merge(yaml, td.Yaml, t.Locale!, context.DefaultLocale, unit.Original.Path, context.Diagnostics);
        return yaml;
    }

    private static string FileId(string path) => Path.GetFileName(SplitName(path).BaseName);

    // ---- the pipeline ----

    private sealed record ProgramHeader(string Id, string Version, LocalizedText Title, LocalizedText? Summary, ImmutableArray<string> Locales,
        Guidance Guidance, ReleaseMode Release, int ReadingSpeed, ImmutableArray<Phase> Phases, Dictionary<string, SourceLocation> ChooseLocations, string? Theme, int? MaxMinutesPerWeek);

    private sealed record ModuleHeader(Unit Unit, string Id, LocalizedText? Title, LocalizedText? Summary, string? Phase, SourceLocation PhaseLocation,
        int? Week, SourceLocation WeekLocation, bool Optional, int? Minutes, ImmutableArray<(string Id, SourceLocation Location)> Requires,
        YScalar? OfferWhen, LocalizedText? OfferReason, ImmutableArray<string> Tags, Review? Review, SourceLocation? ReviewNextLocation, SourceLocation IdLocation)
    {
        /// <summary>Ruled pages for notes after the module in the printed workbook (<c>notes_pages</c>).</summary>
        public int NotesPages { get; init; }
    }

    private ProgramGraph? Run()
    {
        var programPath = Path.Combine(_root, "program.yaml");
        if (!Directory.Exists(_root) || !File.Exists(programPath))
        {
            _diagnostics.Report(DiagnosticDescriptors.NoProgramFile, SourceLocation.File("program.yaml"), Path.GetFileName(_root.TrimEnd(Path.DirectorySeparatorChar)));
            return null;
        }
        var programFile = SourceReader.Read(_root, "program.yaml", _diagnostics);
        var programYaml = programFile is null ? null : FrontMatter.ReadYamlFile(programFile, _diagnostics);
        _context = new BindContext(["en"], _diagnostics);
        var program = programYaml is null ? null : BindProgram(programYaml);
        if (program is null) return null;
        var identity = BindIdentity();

        var worksheetUnits = LoadUnits("worksheets");
        var moduleUnits = LoadUnits("modules");
        _sourcesRead = true;

        // Worksheets first: conditions and placements name them.
        var worksheets = new Dictionary<string, (WorksheetBinder.Header Header, Unit Unit)>(StringComparer.Ordinal);
        var broken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var unit in worksheetUnits)
        {
            var yaml = Merged(unit);
            var names = new HashSet<string>(StringComparer.Ordinal);
            var header = yaml is null ? null : WorksheetBinder.Bind(yaml, FileId(unit.Original.Path), _context, names);
            if (header is null)
            {
                broken.Add(DeclaredId(unit));
                continue;
            }
            broken.UnionWith(names.Select(n => header.Id + "." + n));
            var at = yaml!["id"]?.Location ?? yaml.Location;
            if (worksheets.TryGetValue(header.Id, out var first))
            {
                var firstAt = first.Unit.Original.Document!.Yaml["id"]?.Location ?? SourceLocation.File(first.Unit.Original.Path);
                _diagnostics.Report(DiagnosticDescriptors.DuplicateId, at, [firstAt], "worksheet", header.Id, firstAt);
                continue;
            }
            worksheets[header.Id] = (header, unit);
        }

        var modules = new List<ModuleHeader>();
        var seenModules = new Dictionary<string, ModuleHeader>(StringComparer.Ordinal);
        // Binding front matter is per file: in parallel, each with its own diagnostics, reused while the file is unchanged.
        var programSignature = $"{string.Join(',', program.Locales)}|{string.Join(',', program.Phases.Select(p => $"{p.Id}:{p.Weeks}:{p.FirstWeek}"))}";
        var headers = moduleUnits.AsParallel().AsOrdered().Select(unit =>
        {
            var key = new ModuleKey(programSignature, [unit.Original, .. unit.Translations]);
            if (_options.Cache is { } cache && cache.Headers.TryGetValue(unit.Original.Path, out var hit) && hit.Key.Equals(key))
                return ((ModuleHeader?)hit.Header, hit.Context);
            var context = new BindContext(_context.Locales, new DiagnosticBag());
            var header = Merged(unit, context) is { } yaml ? BindModule(unit, yaml, program, context) : null;
            if (_options.Cache is { } c) c.Headers[unit.Original.Path] = new CompilationCache.CachedHeader(key, header, context);
            return (header, context);
        }).ToList();
        foreach (var (header, context) in headers)
        {
            _diagnostics.AddRange(context.Diagnostics.Items);
            foreach (var (k, items) in context.MissingLocales)
            {
                if (!_context.MissingLocales.TryGetValue(k, out var list)) _context.MissingLocales[k] = list = [];
                list.AddRange(items);
            }
            if (header is null) continue;
            if (!seenModules.TryAdd(header.Id, header))
            {
                var first = seenModules[header.Id];
                _diagnostics.Report(DiagnosticDescriptors.DuplicateId, header.IdLocation, [first.IdLocation], "module", header.Id, first.IdLocation);
                continue;
            }
            modules.Add(header);
        }

        // A module whose file or header failed still exists as far as references go: don't cascade.
        var moduleIds = modules.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        moduleIds.UnionWith(moduleUnits.Select(DeclaredId));

        var worksheetGraph = new Dictionary<string, Worksheet>(StringComparer.Ordinal);
        var scopeWorksheets = worksheets.ToDictionary(w => w.Key, w => ToWorksheet(w.Value.Header, w.Value.Unit, ImmutableSortedDictionary<string, Content>.Empty), StringComparer.Ordinal);
        var scope = new ConditionScope(scopeWorksheets, moduleIds, broken);
        var fileLinks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var unit in worksheetUnits)
            foreach (var e in unit.Translations.Prepend(unit.Original)) fileLinks[e.Path] = "worksheet:" + DeclaredId(unit);
        foreach (var unit in moduleUnits)
            foreach (var e in unit.Translations.Prepend(unit.Original)) fileLinks[e.Path] = "module:" + DeclaredId(unit);
        var bodyContext = new BodyContext { Scope = scope, Assets = _assets, FileLinks = fileLinks };

        foreach (var (id, (header, unit)) in worksheets)
        {
            var (content, _, _, _, _) = ReadContent(unit, bodyContext, "The worksheet '" + id + "'", _diagnostics);
            worksheetGraph[id] = ToWorksheet(header, unit, content);
        }

        // A module whose files, program header and scope are unchanged is the same module: reuse it.
        var signature = ScopeSignature(program, scopeWorksheets, moduleIds, broken, fileLinks);
        var builtModules = modules.AsParallel().AsOrdered().Select(m =>
        {
            var key = new ModuleKey(signature, [m.Unit.Original, .. m.Unit.Translations]);
            if (_options.Cache is { } cache && cache.Modules.TryGetValue(m.Id, out var hit) && hit.Key.Equals(key))
            {
                foreach (var (path, kind) in hit.UsedAssets) _assets.MarkUsed(path, kind);
                return (hit.Module, hit.Diagnostics);
            }
            var bag = new DiagnosticBag();
            var used = new List<(string, AssetKind)>();
            var module = BuildModule(m, bodyContext with { UsedAssets = used }, scope, program, bag);
            if (_options.Cache is { } c) c.Modules[m.Id] = new CompilationCache.CachedModule(key, module, bag.Items.ToArray(), used);
            return (module, (IReadOnlyList<Diagnostic>)bag.Items);
        }).ToList();
        foreach (var (_, diagnostics) in builtModules) _diagnostics.AddRange(diagnostics);

        CheckSchedule(modules, moduleIds, program);
        CheckMissingLocales(builtModules.Select(b => (b.Item1.SourcePath, b.Item1.Content))
            .Concat(worksheetGraph.Values.Select(w => (w.SourcePath, w.Content))));
        var assets = CheckMedia();
        CheckTranslations(program.Locales);

        var ordered = builtModules.Select(b => b.Item1)
            .OrderBy(m => program.Phases.IndexOf(program.Phases.First(p => p.Id == m.Phase)))
            .ThenBy(m => m.Week)
            .ThenBy(m => m.SourcePath, StringComparer.Ordinal)
            .ToImmutableArray();
        return new ProgramGraph(program.Id, program.Version, program.Title, program.Summary, program.Locales, program.Guidance, program.Release,
            program.ReadingSpeed, program.Phases, ordered, [.. worksheetGraph.Values.OrderBy(w => w.Id, StringComparer.Ordinal)], assets)
        {
            Store = new AssetStore(_root),
            Theme = program.Theme,
            MaxMinutesPerWeek = program.MaxMinutesPerWeek,
            Identity = identity,
        };
    }

    /// <summary>The program's theme.yaml, when it has one.</summary>
    private ProgramIdentity? BindIdentity()
    {
        var path = Path.Combine(_root, IdentityBinder.FileName);
        if (!File.Exists(path)) return null;
        var file = SourceReader.Read(_root, IdentityBinder.FileName, _diagnostics);
        var yaml = file is null ? null : FrontMatter.ReadYamlFile(file, _diagnostics);
        return yaml is null ? null : IdentityBinder.Bind(yaml, _context, _assets);
    }

    private Module BuildModule(ModuleHeader m, BodyContext bodyContext, ConditionScope scope, ProgramHeader program, DiagnosticBag bag)
    {
        var (content, words, seconds, exerciseMinutes, placed) = ReadContent(m.Unit, bodyContext, "The module '" + m.Id + "'", bag);
        Condition? offer = null;
        if (m.OfferWhen is { } offerNode)
        {
            if (!m.Optional)
                bag.Report(DiagnosticDescriptors.OfferOnMandatory, m.Unit.Original.Document!.Yaml.KeyNode("offer_when")?.Location ?? offerNode.Location, "offer_when");
            else
                    offer = ConditionCompiler.Compile(offerNode.Value, ScalarPositions.Map(offerNode, m.Unit.Original.Document!.File), scope, bag, m.Unit.Original.Document!.File);
        }
        if (m.OfferReason is not null && !m.Optional && m.OfferWhen is null)
            bag.Report(DiagnosticDescriptors.OfferOnMandatory, m.Unit.Original.Document!.Yaml.KeyNode("offer_reason")?.Location ?? m.IdLocation, "offer_reason");

        // The patient's time for the week's part: reading, listening, the exercises and the worksheets placed here.
        var worksheetMinutes = placed.Sum(id => scope.Worksheets.TryGetValue(id, out var w) ? WorksheetTime.Minutes(w) : 0);
        var estimate = words / (double)program.ReadingSpeed + seconds / 60 + exerciseMinutes + worksheetMinutes;
        if (m.Minutes is { } minutes && (estimate < minutes / 2.0 || estimate > minutes * 2.0) && Math.Abs(estimate - minutes) >= 3)
            bag.Report(DiagnosticDescriptors.EstimatedTime, m.Unit.Original.Document!.Yaml["minutes"]?.Location ?? m.IdLocation,
                m.Id, minutes, estimate < 1 ? "less than a minute" : $"about {Math.Round(estimate).ToString(CultureInfo.InvariantCulture)} minutes",
                string.Create(CultureInfo.InvariantCulture, $"{words} words at {program.ReadingSpeed} a minute, {seconds / 60:0.#} minutes of audio, {exerciseMinutes:0.#} minutes of exercises, {worksheetMinutes:0.#} minutes of worksheets"));
        if (m.Review?.Next is { } next && next < _options.Today)
            bag.Report(DiagnosticDescriptors.ReviewOverdue, m.ReviewNextLocation!.Value, next.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        var phase = program.Phases.FirstOrDefault(p => p.Id == m.Phase);
        return new Module(m.Id, m.Unit.Original.Path, m.Title!, m.Summary, m.Phase!, m.Week ?? 1,
            (phase?.FirstWeek ?? 1) + (m.Week ?? 1) - 1, m.Optional, m.Minutes, Math.Round(estimate, 1),
            [.. m.Requires.Select(r => r.Id)], offer, m.OfferReason, m.Tags, m.Review, content)
        {
            NotesPages = m.NotesPages,
            RequiresLocations = [.. m.Requires.Select(r => r.Location)],
            MinutesLocation = m.Unit.Original.Document!.Yaml["minutes"]?.Location ?? m.WeekLocation,
        };
    }

    /// <summary>A module's inputs: the scope signature and its source files (the very objects, unchanged files being cached).</summary>
    private sealed class ModuleKey(string signature, SourceEntry[] entries)
    {
        private readonly string _signature = signature;
        private readonly SourceEntry[] _entries = entries;

        public override bool Equals(object? obj) =>
            obj is ModuleKey k && k._signature == _signature && k._entries.Length == _entries.Length
            && k._entries.Zip(_entries).All(p => ReferenceEquals(p.First, p.Second));

        public override int GetHashCode() => _signature.GetHashCode(StringComparison.Ordinal);
    }

    /// <summary>Everything outside a module's own files that reading its body depends on.</summary>
    private string ScopeSignature(ProgramHeader program, Dictionary<string, Worksheet> worksheets, HashSet<string> moduleIds,
        HashSet<string> broken, Dictionary<string, string> fileLinks)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(string.Join(',', program.Locales)).Append('|').Append(program.ReadingSpeed).Append('|').Append(_options.Today).Append('|');
        foreach (var p in program.Phases) sb.Append(p.Id).Append(':').Append(p.FirstWeek).Append(':').Append(p.Weeks).Append(',');
        foreach (var id in moduleIds.Order(StringComparer.Ordinal)) sb.Append(id).Append(',');
        sb.Append('|');
        foreach (var (id, w) in worksheets.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            sb.Append(id).Append(':').Append(w.Kind);
            foreach (var f in w.Fields) sb.Append(';').Append(f.Id).Append('=').Append(f.Type).Append(f.Multiple).Append(f.Min).Append('~').Append(f.Max).Append(string.Join('/', f.Options.Select(o => o.ValueText))).Append(f.Required);
            foreach (var s in w.Scoring?.Scores ?? []) sb.Append(";s:").Append(s.Id).Append(s.Method).Append(string.Join('/', s.Items.Select(i => $"{i.Field}{i.Reverse}{i.Min}{i.Max}")));
            sb.Append(',');
        }
        sb.Append('|').Append(string.Join(',', broken.Order(StringComparer.Ordinal))).Append('|');
        foreach (var (path, target) in fileLinks.OrderBy(l => l.Key, StringComparer.Ordinal)) sb.Append(path).Append('>').Append(target).Append(',');
        var media = Path.Combine(_root, "media");
        if (Directory.Exists(media))
            foreach (var file in Directory.EnumerateFiles(media, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                sb.Append(file).Append(CompilationCache.KeyOf(file)).Append(',');
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>The id a file declares, or its file name: what references to it use even when it failed to bind.</summary>
    private static string DeclaredId(Unit unit) =>
        unit.Original.Document?.Yaml["id"] is YScalar { } s && MappingReader.IsId(s.Value) ? s.Value : FileId(unit.Original.Path);

    private static Worksheet ToWorksheet(WorksheetBinder.Header h, Unit unit, ImmutableSortedDictionary<string, Content> content) =>
        new(h.Id, unit.Original.Path, h.Title, h.Summary, h.Kind, h.Repeat, h.Days, h.Feedback, h.Fields, h.Scoring, content);

    private ProgramHeader? BindProgram(YMapping yaml)
    {
        var probe = new BindContext(["en"], new DiagnosticBag());
        var r0 = new MappingReader(yaml, "program.yaml", probe, ProgramKeys);
        var locales = ImmutableArray.CreateBuilder<string>();
        var localesNode = r0.Node("locales");
        if (localesNode is YSequence seq)
        {
            foreach (var item in seq.Items)
            {
                if (item is YScalar s && LocalePattern().IsMatch(s.Value) && !locales.Contains(s.Value)) locales.Add(s.Value);
                else _diagnostics.Report(DiagnosticDescriptors.InvalidValue, item.Location, "locales",
                    item is YScalar d && locales.Contains(d.Value) ? $"lists '{d.Value}' twice" : $"must list language codes such as sv or en, not {item.Describe()}");
            }
        }
        else if (localesNode is not null)
            _diagnostics.Report(DiagnosticDescriptors.WrongType, localesNode.Location, "locales", "a list of language codes, such as [sv, en]", localesNode.Describe());
        else
            _diagnostics.Report(DiagnosticDescriptors.MissingKey, yaml.Location, "program.yaml", "locales", "the program's languages, the default first, such as [sv, en]");
        if (locales.Count == 0)
        {
            if (localesNode is YSequence { Items.Count: 0 })
                _diagnostics.Report(DiagnosticDescriptors.InvalidValue, localesNode.Location, "locales", "must list at least one language, the default first, such as [sv, en]");
            locales.Add("en");
        }
        _context = new BindContext(locales.ToImmutable(), _diagnostics);

        var r = new MappingReader(yaml, "program.yaml", _context, ProgramKeys);
        var id = r.Id("id", "the program's stable id, such as iact-chronic-pain");
        var version = r.String("version", "the published version, such as 1.0.0");
        if (version is not null && !SemVer().IsMatch(version))
        {
            _diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.Node("version")!.Location, "version", $"must be a semantic version such as 1.0.0, not '{version}'");
            version = null;
        }
        var title = r.Text("title", "the program's name as patients see it");
        var summary = r.Text("summary");
        var guidance = r.Enum<Guidance>("guidance") ?? Guidance.Guided;
        var release = r.Enum<ReleaseMode>("release") ?? ReleaseMode.Weekly;
        var readingSpeed = r.Integer("reading_speed", null, 50, 1000) ?? 200;
        var theme = r.Id("theme");
        var maxMinutes = r.Integer("max_minutes_per_week", null, 1, 10080);

        var phases = ImmutableArray.CreateBuilder<Phase>();
        var phaseLocations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var chooseLocations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var week = 1;
        var phaseList = r.Sequence("phases", "the program's phases, each with id, title and weeks");
        if (phaseList is { Items.Count: 0 })
            _diagnostics.Report(DiagnosticDescriptors.InvalidValue, phaseList.Location, "phases", "must list at least one phase, each with id, title and weeks");
        foreach (var item in phaseList?.Items ?? [])
        {
            if (item is not YMapping pm)
            {
                _diagnostics.Report(DiagnosticDescriptors.WrongType, item.Location, "phases", "a list of phases (id, title, weeks)", item.Describe());
                continue;
            }
            var pr = new MappingReader(pm, "a phase", _context, "id", "title", "weeks", "choose", "pause_before");
            var pid = pr.Id("id", "a name for the phase, such as treatment");
            var ptitle = pr.Text("title", "the phase's name as patients see it");
            var weeks = pr.Integer("weeks", "how many weeks the phase lasts", 1, 520);
            var pause = pr.Integer("pause_before", null, 0, 520) ?? 0;
            ChooseRule? choose = null;
            if (pr.Mapping("choose") is { } cm)
            {
                var cr = new MappingReader(cm, "choose", _context, "min", "max");
                var min = cr.Integer("min", null, 0, 1000) ?? 0;
                var max = cr.Integer("max", null, 0, 1000);
                if (max is { } mx && mx < min)
                    _diagnostics.Report(DiagnosticDescriptors.InvalidValue, cr.KeyLocation("max"), "max", $"must be at least choose.min ({min})");
                choose = new ChooseRule(min, max);
                if (pid is not null)
                {
                    chooseLocations[pid] = cm["min"]?.Location ?? cm.Location;
                    chooseLocations[pid + "\0max"] = cm["max"]?.Location ?? cm.Location;
                }
            }
            if (pid is null || ptitle is null || weeks is null) continue;
            if (phaseLocations.TryGetValue(pid, out var first))
            {
                _diagnostics.Report(DiagnosticDescriptors.DuplicateId, pm["id"]?.Location ?? pm.Location, [first], "phase", pid, first);
                continue;
            }
            phaseLocations[pid] = pm["id"]?.Location ?? pm.Location;
            phases.Add(new Phase(pid, ptitle, weeks.Value, week + pause, pause, choose) 
            {
                ChooseLocation = chooseLocations.GetValueOrDefault(pid, SourceLocation.File("program.yaml")),
                ChooseMaxLocation = chooseLocations.GetValueOrDefault(pid + "\0max", SourceLocation.File("program.yaml")),
            });
            week += pause + weeks.Value;
        }
        if (id is null || version is null || title is null || phases.Count == 0) return null;
        return new ProgramHeader(id, version, title, summary, _context.Locales, guidance, release, readingSpeed, phases.ToImmutable(), chooseLocations, theme, maxMinutes);
    }

    private static ModuleHeader? BindModule(Unit unit, YMapping yaml, ProgramHeader program, BindContext context)
    {
        var r = new MappingReader(yaml, "the module front matter", context, ModuleKeys);
        var fileId = FileId(unit.Original.Path);
        var idLocation = yaml["id"]?.Location ?? unit.Original.Document!.File.Location(0, 0, 3);
        var id = r.Id("id", fallback: MappingReader.IsId(fileId) ? fileId : null);
        if (id is null && !r.Has("id"))
            context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, idLocation, "id", $"is not given and the file name '{fileId}' is not an id; add id: with lowercase letters, digits and hyphens");
        var title = r.Text("title", "the module's title as patients see it");
        var summary = r.Text("summary");
        var phase = r.String("phase", "the phase the module belongs to (" + string.Join(", ", program.Phases.Select(p => p.Id)) + ")");
        if (r.Node("phase") is YScalar ps && r.IsTypographic(ps)) phase = null;
        var phaseLocation = r.Node("phase")?.Location ?? idLocation;
        var week = r.Integer("week", "the week of its phase in which it opens, from 1");
        var weekLocation = r.Node("week")?.Location ?? idLocation;
        var optional = r.Boolean("optional") ?? false;
        var minutes = r.Integer("minutes", null, 1, 600);
        var requires = r.IdList("requires");
        YScalar? offerWhen = null;
        if (r.Node("offer_when") is { } ow)
        {
            if (ow is YScalar s) offerWhen = s;
            else context.Diagnostics.Report(DiagnosticDescriptors.WrongType, ow.Location, "offer_when", "a condition in quotes", ow.Describe());
        }
        var offerReason = r.Text("offer_reason");
        var tags = r.IdList("tags").Select(t => t.Id).ToImmutableArray();
        var notesPages = r.Integer("notes_pages", null, 0, Module.MaxNotesPages) ?? 0;
        Review? review = null;
        SourceLocation? nextLocation = null;
        if (r.Mapping("review") is { } rm)
        {
            var rr = new MappingReader(rm, "review", context, "by", "on", "next");
            review = new Review(rr.String("by"), rr.Date("on"), rr.Date("next"));
            nextLocation = rm["next"]?.Location;
            if (review.On is { } on && review.Next is { } nx && nx <= on)
                context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, nextLocation!.Value, "review.next", "must come after review.on");
        }

        Phase? p = null;
        if (phase is not null)
        {
            p = program.Phases.FirstOrDefault(x => x.Id == phase);
            if (p is null)
                context.Diagnostics.Report(DiagnosticDescriptors.UnknownPhase, phaseLocation, phase, Suggestions.ForReference(phase, program.Phases.Select(x => x.Id), "phases"));
        }
        if (p is not null && week is { } w && (w < 1 || w > p.Weeks))
            context.Diagnostics.Report(DiagnosticDescriptors.WeekOutsidePhase, weekLocation, w, p.Id, p.Weeks);

        if (id is null || title is null || p is null || week is null || week < 1 || week > p.Weeks) return null;
        return new ModuleHeader(unit, id, title, summary, phase, phaseLocation, week, weekLocation, optional, minutes, requires, offerWhen, offerReason,
            tags, review, nextLocation, idLocation) { NotesPages = notesPages };
    }

    private (ImmutableSortedDictionary<string, Content> Content, int Words, double Seconds, double ExerciseMinutes, IReadOnlyList<string> Worksheets) ReadContent(
        Unit unit, BodyContext context, string what, DiagnosticBag diagnostics)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, Content>(StringComparer.Ordinal);
        var doc = unit.Original.Document!;
        var original = BodyReader.Read(doc.File, doc.BodyStart, context, diagnostics);
        result[_context.DefaultLocale] = new Content(_context.DefaultLocale, doc.File.Path, original.Blocks, original.Words);
        var hasBody = original.Blocks.Length > 0;

        foreach (var locale in _context.Locales.Skip(1))
        {
            var t = unit.Translations.FirstOrDefault(x => x.Locale == locale);
            if (t is null)
            {
                if (hasBody)
                    diagnostics.Report(DiagnosticDescriptors.MissingTranslation, SourceLocation.File(unit.Original.Path), what, locale,
                        $"; add {unit.Original.BaseName[(unit.Original.BaseName.LastIndexOf('/') + 1)..]}.{locale}.md beside it");
                continue;
            }
            if (t.Document is not { } td) continue;
            var translated = BodyReader.Read(td.File, td.BodyStart, context, diagnostics);
            if (!original.StructureBroken && !translated.StructureBroken)
                CompareStructure(original.Structure, translated.Structure, td.File, unit.Original.Path, diagnostics);
            result[locale] = new Content(locale, td.File.Path, translated.Blocks, translated.Words);
        }
        return (result.ToImmutable(), original.Words, original.RecordedSeconds, original.ExerciseMinutes, original.WorksheetRefs);
    }

    private static void CompareStructure(IReadOnlyList<DirectiveMark> original, IReadOnlyList<DirectiveMark> translated, SourceFile file, string originalPath, DiagnosticBag diagnostics)
    {
        static string Show(DirectiveMark m) => m.Key is null ? $"'::: {m.Name}'" : $"'::: {m.Name}' ({m.Key})";
        for (var i = 0; i < Math.Max(original.Count, translated.Count); i++)
        {
            if (i >= translated.Count)
            {
                diagnostics.Report(DiagnosticDescriptors.TranslationStructure, file.Location(Math.Max(0, file.Text.Length - 1)), originalPath,
                    $"it lacks {Show(original[i])}, directive {i + 1} of the original; translations keep every directive in the same order");
                return;
            }
            if (i >= original.Count)
            {
                diagnostics.Report(DiagnosticDescriptors.TranslationStructure, translated[i].Location, originalPath, $"it has {Show(translated[i])}, which the original does not");
                return;
            }
            if (original[i].Failed || translated[i].Failed) continue; // its own error is reported where it is
            if (original[i].Name != translated[i].Name || original[i].Key != translated[i].Key)
            {
                diagnostics.Report(DiagnosticDescriptors.TranslationStructure, translated[i].Location, originalPath,
                    $"directive {i + 1} is {Show(translated[i])} here but {Show(original[i])} in the original");
                return;
            }
        }
    }

    private void CheckSchedule(List<ModuleHeader> modules, HashSet<string> allIds, ProgramHeader program)
    {
        var byId = modules.ToDictionary(m => m.Id, StringComparer.Ordinal);
        var known = modules.Select(m => m.Id).ToList();
        int Position(ModuleHeader m) => program.Phases.First(p => p.Id == m.Phase).FirstWeek + m.Week!.Value - 1;
        string When(ModuleHeader m) => $"{m.Phase} week {m.Week}";

        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var m in modules)
        {
            edges[m.Id] = [];
            foreach (var (req, location) in m.Requires)
            {
                if (!byId.TryGetValue(req, out var target))
                {
                    if (allIds.Contains(req)) continue;
                    _diagnostics.Report(DiagnosticDescriptors.UnknownModule, location, req, Suggestions.ForReference(req, allIds, "modules"));
                    continue;
                }
                if (req == m.Id)
                {
                    _diagnostics.Report(DiagnosticDescriptors.RequiresCycle, location, $"{m.Id} requires itself");
                    continue;
                }
                edges[m.Id].Add(req);
                if (Position(target) > Position(m))
                    _diagnostics.Report(DiagnosticDescriptors.RequiresLater, location, m.Id, When(m), req, When(target));
            }
        }

        foreach (var cycle in StronglyConnected(edges).Where(c => c.Count > 1))
        {
            var members = cycle.OrderBy(id => modules.FindIndex(m => m.Id == id)).ToList();
            var first = byId[members[0]];
            var at = first.Requires.First(r => members.Contains(r.Id)).Location;
            var related = members.Skip(1).Select(id => byId[id].Requires.First(r => members.Contains(r.Id)).Location).ToList();
            _diagnostics.Report(DiagnosticDescriptors.RequiresCycle, at, related, string.Join(" -> ", OrderCycle(members, edges)));
        }

        foreach (var phase in program.Phases.Where(p => p.Choose is not null))
        {
            var optional = modules.Count(m => m.Phase == phase.Id && m.Optional);
            if (phase.Choose!.Min > optional)
                _diagnostics.Report(DiagnosticDescriptors.ChooseExceedsOptional, program.ChooseLocations[phase.Id], phase.Id, phase.Choose.Min, optional);
        }
    }

    /// <summary>Orders a cycle's members so that each requires the next, closing on the first.</summary>
    private static IEnumerable<string> OrderCycle(List<string> members, Dictionary<string, List<string>> edges)
    {
        var path = new List<string> { members[0] };
        var current = members[0];
        while (true)
        {
            var next = edges[current].FirstOrDefault(n => members.Contains(n) && (!path.Contains(n) || n == members[0]));
            if (next is null || next == members[0] || path.Count > members.Count) break;
            path.Add(next);
            current = next;
        }
        path.Add(members[0]);
        return path;
    }

    /// <summary>Tarjan's strongly connected components, iterative.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, List<string>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var result = new List<List<string>>();
        var counter = 0;
        foreach (var start in edges.Keys)
        {
            if (index.ContainsKey(start)) continue;
            var work = new Stack<(string Node, int Next)>();
            work.Push((start, 0));
            index[start] = low[start] = counter++;
            stack.Push(start);
            onStack.Add(start);
            while (work.Count > 0)
            {
                var (node, next) = work.Pop();
                var targets = edges[node];
                if (next < targets.Count)
                {
                    work.Push((node, next + 1));
                    var t = targets[next];
                    if (!index.ContainsKey(t))
                    {
                        index[t] = low[t] = counter++;
                        stack.Push(t);
                        onStack.Add(t);
                        work.Push((t, 0));
                    }
                    else if (onStack.Contains(t)) low[node] = Math.Min(low[node], index[t]);
                    continue;
                }
                if (low[node] == index[node])
                {
                    var component = new List<string>();
                    string w;
                    do
                    {
                        w = stack.Pop();
                        onStack.Remove(w);
                        component.Add(w);
                    } while (w != node);
                    result.Add(component);
                }
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }
            }
        }
        return result;
    }

    private void CheckMissingLocales(IEnumerable<(string Path, ImmutableSortedDictionary<string, Content> Content)> bodies)
    {
        // A body with no translation file for a locale is reported once, for the file; its texts are not reported again.
        var untranslated = new HashSet<(string, string)>();
        foreach (var (path, content) in bodies)
            if (content.TryGetValue(_context.DefaultLocale, out var original) && original.Blocks.Length > 0)
                foreach (var locale in _context.Locales.Skip(1).Where(l => !content.ContainsKey(l)))
                    untranslated.Add((path, locale));
        foreach (var ((path, locale), items) in _context.MissingLocales.OrderBy(k => k.Key.Path, StringComparer.Ordinal).ThenBy(k => k.Key.Locale, StringComparer.Ordinal))
        {
            if (untranslated.Contains((path, locale))) continue;
            var keys = string.Join(", ", items.Select(i => $"'{i.Key}'").Distinct());
            _diagnostics.Report(DiagnosticDescriptors.MissingTranslation, items[0].Location, keys, locale,
                $"; give it as a map like {{{_context.DefaultLocale}: …, {locale}: …}} or in a translation file");
        }
    }

    /// <summary>
    /// By the records in translations/ (written by 'contentengine translate'): each translated text whose
    /// source has changed since it was translated (CE0505), at the translation, per locale.
    /// </summary>
    private void CheckTranslations(ImmutableArray<string> locales)
    {
        var folder = Path.Combine(_root, Translation.TranslationRecord.Folder);
        if (!Directory.Exists(folder)) return;
        var records = new List<Translation.TranslationRecord>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var locale = Path.GetFileNameWithoutExtension(file);
            if (!locales.Skip(1).Contains(locale))
            {
                _diagnostics.Report(DiagnosticDescriptors.TranslationRecordUnreadable, SourceLocation.File(Translation.TranslationRecord.ProgramPath(locale)),
                    $"it is for '{locale}', which is not a translated language of the program ({string.Join(", ", locales.Skip(1))}); delete it, or add '{locale}' to 'locales' in program.yaml");
                continue;
            }
            if (Translation.TranslationRecord.Read(_root, locales[0], locale, _diagnostics) is { } record) records.Add(record);
        }
        // Units pair the original's blocks with the translation's: with errors in the sources, that pairing means little.
        if (records.Count == 0 || _diagnostics.HasErrors) return;
        if (Translation.TranslationSources.Read(_root, new DiagnosticBag()) is not { } sources) return;
        foreach (var record in records)
            foreach (var unit in sources.Units(record.Locale, record).Where(u => u.State == Translation.UnitState.Stale))
            {
                var (old, now) = Translation.TranslationText.Difference(unit.RecordedSource!, unit.Source);
                _diagnostics.Report(DiagnosticDescriptors.StaleTranslation, unit.TargetLocation!.Value, [unit.SourceLocation],
                    locales[0], record.Locale, Quote(old), Quote(now), unit.Id);
            }

        static string Quote(string text) => "\"" + text + "\"";
    }

    private ImmutableArray<Asset> CheckMedia()
    {
        var media = Path.Combine(_root, "media");
        if (Directory.Exists(media))
        {
            foreach (var file in Directory.EnumerateFiles(media, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root, f).Replace('\\', '/')).Order(StringComparer.Ordinal))
                if (!_assets.Used.ContainsKey(file) && !Path.GetFileName(file).StartsWith('.') && !AssetResolver.LeavesFolder(_root, file))
                    _diagnostics.Report(DiagnosticDescriptors.UnusedMedia, SourceLocation.File(file), file);
        }
        return [.. _assets.Used.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u =>
        {
            if (_options.Cache is not { } cache || CompilationCache.KeyOf(Path.Combine(_root, u.Key)) is not { } key)
                return _assets.Describe(u.Key, u.Value);
            return cache.Assets.GetOrAdd((u.Key, key), _ => _assets.Describe(u.Key, u.Value));
        })];
    }
}

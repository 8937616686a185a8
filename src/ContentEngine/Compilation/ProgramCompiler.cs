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

    /// <summary>How hard a module's text may be to read, as program.yaml sets it (or the defaults).</summary>
    public ReadabilityLimits Readability { get; init; } = ReadabilityLimits.Default;

    /// <summary>How the audio bundle speaks, as program.yaml's <c>speech</c> sets it (or the defaults).</summary>
    public Speech.SpeechSettings Speech { get; init; } = ContentEngine.Speech.SpeechSettings.Default;
}

/// <summary>Sources -> parse -> bind -> validate -> <see cref="ProgramGraph"/>.</summary>
public sealed partial class ProgramCompiler
{
    private static readonly string[] ProgramKeys = ["id", "version", "title", "summary", "locales", "guidance", "release", "phases", "reading_speed", "theme", "max_minutes_per_week", "readability", "approval", "provider", "about", "privacy", "speech"];
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
    private bool _bodiesUnread;
    private ReadabilityLimits _readability = ReadabilityLimits.Default;
    private Speech.SpeechSettings _speech = ContentEngine.Speech.SpeechSettings.Default;

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
        var diagnostics = SnippetSet.Merge(compiler._diagnostics.Items)
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
        return new CompilationResult(hasErrors ? null : graph, diagnostics) { Exploration = exploration, Readability = compiler._readability, Speech = compiler._speech };
    }

    // ---- the pipeline ----

    private sealed record ProgramHeader(string Id, string Version, LocalizedText Title, LocalizedText? Summary, ImmutableArray<string> Locales,
        Guidance Guidance, ReleaseMode Release, int ReadingSpeed, ImmutableArray<Phase> Phases, Dictionary<string, SourceLocation> ChooseLocations, string? Theme, int? MaxMinutesPerWeek)
    {
        /// <summary>Phases with an id whose other keys were reported: their modules are not reported again for naming them.</summary>
        public IReadOnlySet<string> FaultyPhases { get; init; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Who approved the version for patients, and when (<c>approval</c>).</summary>
        public Approval? Approval { get; init; }

        /// <summary>How hard a module's text may be to read (<c>readability</c>).</summary>
        public ReadabilityLimits Readability { get; init; } = ReadabilityLimits.Default;

        /// <summary>Who offers the program (<c>provider</c>), what it is (<c>about</c>) and what happens to patients' data (<c>privacy</c>).</summary>
        public ProgramProvider? Provider { get; init; }
        public LocalizedText? About { get; init; }
        public LocalizedText? Privacy { get; init; }

        /// <summary>How the audio bundle speaks (<c>speech</c>).</summary>
        public Speech.SpeechSettings Speech { get; init; } = ContentEngine.Speech.SpeechSettings.Default;
    }

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
        _readability = program.Readability;
        _speech = program.Speech;
        var identity = BindIdentity();

        var (worksheetUnits, moduleUnits) = Place(LoadUnits("worksheets"), LoadUnits("modules"));
        var snippets = SnippetSet.Load(_root, _context.Locales, _diagnostics);
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
                _bodiesUnread = true;
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
            if (header is null)
            {
                _bodiesUnread = true;
                continue;
            }
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
        var placed = CheckPlacements(worksheetUnits, moduleUnits);
        CheckDiaryDays(modules, worksheets, program);
        var scope = new ConditionScope(scopeWorksheets, moduleIds, broken) { Placed = placed };
        var fileLinks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var unit in worksheetUnits)
            foreach (var e in unit.Translations.Prepend(unit.Original))
                fileLinks[e.Path] = fileLinks[SourceNames.Canonical(e.Path) ?? e.Path] = "worksheet:" + DeclaredId(unit);
        foreach (var unit in moduleUnits)
            foreach (var e in unit.Translations.Prepend(unit.Original))
                fileLinks[e.Path] = fileLinks[SourceNames.Canonical(e.Path) ?? e.Path] = "module:" + DeclaredId(unit);
        // The ids each module gives its headings, for links to a place in another module (module:id#place).
        var anchors = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var (unit, ids) in moduleUnits.AsParallel().AsOrdered().Select(u => (u, u.Original.Document is { } d ? BodyReader.AnchorsOf(d.File.Text[d.BodyStart..]) : null)))
            if (ids is not null) anchors.TryAdd(DeclaredId(unit), ids);
        var bodyContext = new BodyContext { Scope = scope, Assets = _assets, FileLinks = fileLinks, Anchors = anchors, Snippets = snippets, ProgramLocale = program.Locales.FirstOrDefault() };

        foreach (var (id, (header, unit)) in worksheets)
        {
            var (content, _, _, _, _) = ReadContent(unit, bodyContext, "The worksheet '" + id + "'", _diagnostics);
            worksheetGraph[id] = ToWorksheet(header, unit, content);
        }

        // A module whose files, program header and scope are unchanged is the same module: reuse it.
        var signature = ScopeSignature(program, scopeWorksheets, moduleIds, broken, fileLinks)
            + string.Concat(anchors.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"|{a.Key}#{string.Join('#', a.Value.Order(StringComparer.Ordinal))}"))
            + snippets.Signature() + "|" + (placed is null ? "?" : string.Join(",", placed.Order(StringComparer.Ordinal)));
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
        _diagnostics.AddRange(OncePerUnplacedWorksheet(builtModules.SelectMany(b => b.Item2)));

        snippets.CheckUse(moduleUnits.Concat(worksheetUnits).SelectMany(u => u.Translations.Prepend(u.Original))
            .Where(e => e.Document is not null).Select(e => (e.Document!.File.Text, e.Locale)), _diagnostics);
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
            Approval = program.Approval,
            Provider = program.Provider,
            About = program.About,
            Privacy = program.Privacy,
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
        var empty = EmptyBody(m, bag);
        Condition? offer = null;
        if (m.OfferWhen is { } offerNode)
        {
            if (!m.Optional)
                bag.Report(DiagnosticDescriptors.OfferOnMandatory, m.Unit.Original.Document!.Yaml.KeyNode("offer_when")?.Location ?? offerNode.Location, "offer_when");
            else
            {
                if (m.OfferReason is null)
                    bag.Report(DiagnosticDescriptors.MissingKey, m.Unit.Original.Document!.Yaml.KeyNode("offer_when")?.Location ?? offerNode.Location,
                        $"The optional module '{m.Id}', which has offer_when,", "offer_reason", "the words that tell patients why it is recommended to them, such as 'You have told us that you sleep badly.'");
                offer = ConditionCompiler.Compile(offerNode.Value, ScalarPositions.Map(offerNode, m.Unit.Original.Document!.File), scope, bag, m.Unit.Original.Document!.File);
            }
        }
        if (m.OfferReason is not null && !m.Optional && m.OfferWhen is null)
            bag.Report(DiagnosticDescriptors.OfferOnMandatory, m.Unit.Original.Document!.Yaml.KeyNode("offer_reason")?.Location ?? m.IdLocation, "offer_reason");

        // The patient's time for the week's part: reading, listening, the exercises and the worksheets placed here.
        var worksheetMinutes = placed.Sum(id => scope.Worksheets.TryGetValue(id, out var w) ? WorksheetTime.Minutes(w) : 0);
        var estimate = words / (double)program.ReadingSpeed + seconds / 60 + exerciseMinutes + worksheetMinutes;
        // Only a module clearly over its figure is reported: more than half as long again, and 5 minutes or more over.
        // One that takes less leaves the patient time to reflect and practise, which is no mistake.
        if (m.Minutes is { } minutes && !empty && estimate > minutes * 1.5 && estimate - minutes >= 5)
            bag.Report(DiagnosticDescriptors.EstimatedTime, m.Unit.Original.Document!.Yaml["minutes"]?.Location ?? m.IdLocation,
                m.Id, minutes, estimate < 1 ? "less than a minute" : $"about {Math.Round(estimate).ToString(CultureInfo.InvariantCulture)} minutes",
                string.Create(CultureInfo.InvariantCulture, $"{words} words at {program.ReadingSpeed} a minute, {seconds / 60:0.#} minutes of audio, {exerciseMinutes:0.#} minutes of exercises, {worksheetMinutes:0.#} minutes of worksheets"));
        CheckReadability(m, content, program.Readability, bag);
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
        sb.Append(string.Join(',', program.Locales)).Append('|').Append(program.ReadingSpeed).Append('|').Append(program.Readability).Append('|').Append(_options.Today).Append('|');
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
}

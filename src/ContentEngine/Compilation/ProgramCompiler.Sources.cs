using System.Collections.Immutable;
using ContentEngine.Diagnostics;
using ContentEngine.Markdown;
using ContentEngine.Model;
using ContentEngine.Text;
using ContentEngine.Yaml;

namespace ContentEngine.Compilation;

/// <summary>The compiler's sources: the Markdown files and their translations, and the bodies read from them.</summary>
public sealed partial class ProgramCompiler
{
    /// <summary>A Markdown source: an original or a translation of one.</summary>
    private sealed record SourceEntry(string Path, string BaseName, string? Locale, FrontMatterDocument? Document);

    private sealed record Unit(SourceEntry Original, List<SourceEntry> Translations);

    internal static (string BaseName, string? Locale) SplitName(string programPath)
    {
        var name = (SourceNames.Canonical(programPath) ?? programPath)[..^3];
        var dot = name.LastIndexOf('.');
        var slash = name.LastIndexOf('/');
        if (dot > slash && LocalePattern().IsMatch(name[(dot + 1)..])) return (name[..dot], name[(dot + 1)..]);
        return (name, null);
    }

    private List<Unit> LoadUnits(string folder)
    {
        var cache = _options.Cache;
        var changes = _changes;
        string[] files;
        // A watcher that reported every change vouches for the last listing unless a file it names was added or removed.
        if (changes is not null && cache!.Listings.TryGetValue(folder, out var listed)
            && !changes.Any(c => SourceNames.Canonical(c) is { } k && k.StartsWith(folder + "/", StringComparison.Ordinal)
                && Array.BinarySearch(listed, c, StringComparer.Ordinal) < 0 == File.Exists(Path.Combine(_root, c))))
            files = listed;
        else
        {
            files = SourceNames.List(_root, folder);
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
        SourceNames.ReportNearMisses(files, _diagnostics);
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
                var missing = _context.Locales.Except(entries.Where(e => e.BaseName == t.BaseName).Select(e => e.Locale).OfType<string>()).ToList();
                var meant = t.Locale == _context.DefaultLocale ? null : LocaleMistakes.Meant(t.Locale!, _context.Locales, missing);
                var name = t.BaseName[(t.BaseName.LastIndexOf('/') + 1)..];
                _diagnostics.Report(DiagnosticDescriptors.TranslationLocale, new SourceLocation(t.Path, 0, 0, 0), t.Locale,
                    string.Join(", ", _context.Locales) + (t.Locale == _context.DefaultLocale ? $"; '{t.Locale}' is the default locale, which the original holds" : string.Empty),
                    meant is { } m ? $"{m.Why}: rename it to {name}.{m.Locale}.md" : "add it to 'locales' in program.yaml, or rename the file");
                // Read as the translation it was meant to be, so that its original is not reported as untranslated too.
                if (meant is { } mt && unit.Translations.All(x => x.Locale != mt.Locale) && !entries.Any(e => e.BaseName == t.BaseName && e.Locale == mt.Locale))
                    unit.Translations.Add(t with { Locale = mt.Locale });
                continue;
            }
            unit.Translations.Add(t);
        }
        return [.. originals.Values.OrderBy(u => u.Original.Path, StringComparer.Ordinal)];
    }

    /// <summary>
    /// A worksheet written in modules/ (it has fields, and no phase or week), or a module in worksheets/ (the other way
    /// round): reported once, and read as what it is, so that nothing that names it reports again.
    /// </summary>
    private (List<Unit> Worksheets, List<Unit> Modules) Place(List<Unit> worksheets, List<Unit> modules)
    {
        static bool Has(Unit u, string key) => u.Original.Document?.Yaml[key] is not null;
        static bool IsWorksheet(Unit u) => Has(u, "fields") && !Has(u, "phase") && !Has(u, "week");
        static bool IsModule(Unit u) => (Has(u, "phase") || Has(u, "week")) && !Has(u, "fields") && !Has(u, "kind");
        var toWorksheets = modules.Where(IsWorksheet).ToList();
        var toModules = worksheets.Where(IsModule).ToList();
        foreach (var u in toWorksheets)
            _diagnostics.Report(DiagnosticDescriptors.SourceInWrongFolder, new SourceLocation(u.Original.Path, 0, 0, 3),
                "a worksheet", "fields", "modules", "modules (with a phase and a week)", "worksheets");
        foreach (var u in toModules)
            _diagnostics.Report(DiagnosticDescriptors.SourceInWrongFolder, new SourceLocation(u.Original.Path, 0, 0, 3),
                "a module", Has(u, "phase") ? "phase" : "week", "worksheets", "worksheets (with fields)", "modules");
        if (toWorksheets.Count + toModules.Count == 0) return (worksheets, modules);
        static List<Unit> Sorted(IEnumerable<Unit> units) => [.. units.OrderBy(u => u.Original.Path, StringComparer.Ordinal)];
        return (Sorted(worksheets.Except(toModules).Concat(toWorksheets)), Sorted(modules.Except(toWorksheets).Concat(toModules)));
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
            var translated = BodyReader.Read(td.File, td.BodyStart, context with { Locale = locale }, diagnostics);
            if (!original.StructureBroken && !translated.StructureBroken)
                CompareStructure(original.Structure, translated.Structure, td.File, unit.Original.Path, diagnostics);
            result[locale] = new Content(locale, td.File.Path, translated.Blocks, translated.Words);
        }
        return (result.ToImmutable(), original.Words, original.RecordedSeconds, original.ExerciseMinutes, original.WorksheetRefs);
    }

    /// <summary>A module with nothing after its front matter: reported at the front matter's closing line.</summary>
    private static bool EmptyBody(ModuleHeader m, DiagnosticBag diagnostics)
    {
        var doc = m.Unit.Original.Document!;
        if (!string.IsNullOrWhiteSpace(doc.File.Text[doc.BodyStart..])) return false;
        var line = doc.File.GetLineColumn(Math.Max(0, doc.BodyStart - 1)).Line;
        diagnostics.Report(DiagnosticDescriptors.EmptyModule, doc.File.Location(line, 0, Math.Max(1, doc.File.GetLine(line).TrimEnd().Length)), m.Id);
        return true;
    }
}

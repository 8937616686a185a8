using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ContentEngine.Diagnostics;
using ContentEngine.Text;

namespace ContentEngine.Compilation;

/// <summary>
/// The program's reusable parts: the Markdown files of <c>snippets/</c>, each included in modules and worksheets with
/// <c>::: include {ref=name}</c>. <c>snippets/name.sv.md</c> is its Swedish translation, which translated modules
/// (<c>x.sv.md</c>) include in its place.
/// </summary>
public sealed partial class SnippetSet
{
    public const string Folder = "snippets";

    /// <summary>How deep includes may stand inside one another: a module's include is the first.</summary>
    public const int MaxDepth = 4;

    /// <summary>A snippet's text: its file and where its Markdown starts.</summary>
    public sealed record Text(SourceFile File, int BodyStart);

    public sealed record Snippet(string Name, Text Original, ImmutableDictionary<string, Text> Translations);

    public static SnippetSet Empty { get; } = new(ImmutableSortedDictionary<string, Snippet>.Empty);

    private SnippetSet(ImmutableSortedDictionary<string, Snippet> byName) => ByName = byName;

    public ImmutableSortedDictionary<string, Snippet> ByName { get; }

    [GeneratedRegex(@"^[ \t>*+\-\d.]*:{3,}[ \t]*include[ \t]*\{[^}\n]*?\bref[ \t]*=[ \t]*[""']?([^""'\s}]+)", RegexOptions.Multiline)]
    private static partial Regex IncludeLine();

    /// <summary>The snippets a text includes, as written on its include lines.</summary>
    public static IEnumerable<string> RefsIn(string text) => IncludeLine().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>
    /// Reads <c>snippets/*.md</c>: a file with front matter is warned about (CE0443) and read without it; a translation
    /// without its original, or for a locale the program does not have, is reported as a module's would be.
    /// </summary>
    public static SnippetSet Load(string root, ImmutableArray<string> locales, DiagnosticBag diagnostics)
    {
        var dir = Path.Combine(root, Folder);
        if (!Directory.Exists(dir)) return Empty;
        var originals = new Dictionary<string, Text>(StringComparer.Ordinal);
        var translations = new List<(string Name, string Locale, string Path, Text Text)>();
        foreach (var full in Directory.EnumerateFiles(dir, "*.md", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            var path = Path.GetRelativePath(root, full).Replace('\\', '/');
            if (SourceReader.Read(root, path, diagnostics) is not { } file) continue;
            var (baseName, locale) = ProgramCompiler.SplitName(path);
            var name = baseName[(Folder.Length + 1)..];
            var text = new Text(file, BodyStart(file, diagnostics));
            if (locale is null) originals[name] = text;
            else translations.Add((name, locale, path, text));
        }
        var byName = originals.ToDictionary(o => o.Key, o => ImmutableDictionary.CreateBuilder<string, Text>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (name, locale, path, text) in translations)
        {
            if (!byName.TryGetValue(name, out var list))
                diagnostics.Report(DiagnosticDescriptors.OrphanTranslation, SourceLocation.File(path), path, $"{Folder}/{name}.md");
            else if (!locales.Contains(locale) || locale == locales[0])
                diagnostics.Report(DiagnosticDescriptors.TranslationLocale, SourceLocation.File(path), locale,
                    string.Join(", ", locales) + (locale == locales[0] ? $"; '{locale}' is the default locale, which the original holds" : string.Empty));
            else list[locale] = text;
        }
        return new SnippetSet(originals.ToImmutableSortedDictionary(o => o.Key, o => new Snippet(o.Key, o.Value, byName[o.Key].ToImmutable()), StringComparer.Ordinal));
    }

    /// <summary>Where a snippet's Markdown starts: after front matter, which a snippet should not have (CE0443).</summary>
    private static int BodyStart(SourceFile file, DiagnosticBag diagnostics)
    {
        if (file.GetLine(0).TrimEnd() != "---") return 0;
        for (var line = 1; line < file.LineCount; line++)
        {
            if (file.GetLine(line).TrimEnd() != "---") continue;
            diagnostics.Report(DiagnosticDescriptors.SnippetFrontMatter, file.Location(0, 0, 3), line + 1);
            return file.GetOffset(line + 1, 0);
        }
        return 0;
    }

    /// <summary>The text a body in <paramref name="locale"/> (null: the default) includes: the snippet's translation when it has one.</summary>
    public Text For(Snippet snippet, string? locale) =>
        locale is not null && snippet.Translations.TryGetValue(locale, out var t) ? t : snippet.Original;

    /// <summary>
    /// What changes the text includes read: every snippet file, for the compilation cache's signature.
    /// </summary>
    public string Signature() => string.Join(',', ByName.Values.SelectMany(s => s.Translations.Values.Prepend(s.Original))
        .Select(t => t.File.Path + ":" + t.BodyStart + ":" + t.File.Text.GetHashCode(StringComparison.Ordinal)));

    /// <summary>
    /// After reading: snippets nobody includes (CE0444), and snippets included by a translated text that have no
    /// translation in its locale (CE0502). <paramref name="texts"/> are the modules' and worksheets' files with their locale.
    /// </summary>
    public void CheckUse(IEnumerable<(string Text, string? Locale)> texts, DiagnosticBag diagnostics)
    {
        if (ByName.Count == 0) return;
        var sources = texts.Concat(ByName.Values.SelectMany(s => s.Translations.Select(t => (t.Value.File.Text, (string?)t.Key)))).ToList();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var untranslated = new SortedSet<(string Name, string Locale)>();
        foreach (var (text, locale) in sources)
        {
            foreach (var name in RefsIn(text))
            {
                used.Add(name);
                if (locale is not null && ByName.TryGetValue(name, out var s) && !s.Translations.ContainsKey(locale)) untranslated.Add((name, locale));
            }
        }
        // A snippet included only by snippets nobody includes is used all the same: one warning, at the one left over.
        foreach (var s in ByName.Values) foreach (var name in RefsIn(s.Original.File.Text).Where(n => n != s.Name)) used.Add(name);
        // A misspelt include is reported (CE0440) with the snippet it probably meant: that one is not unused as well.
        foreach (var name in used.Where(n => !ByName.ContainsKey(n)).ToList())
            if (Suggestions.ClosestId(name, ByName.Keys) is { } meant) used.Add(meant);
        foreach (var s in ByName.Values.Where(s => !used.Contains(s.Name)))
            diagnostics.Report(DiagnosticDescriptors.UnusedSnippet, SourceLocation.File(s.Original.File.Path), s.Original.File.Path, s.Name);
        foreach (var (name, locale) in untranslated)
            diagnostics.Report(DiagnosticDescriptors.MissingTranslation, SourceLocation.File($"{Folder}/{name}.md"), $"The snippet '{name}'", locale,
                $", so the '{locale}' text of the modules that include it shows it untranslated; add {name}.{locale}.md beside it");
    }

    /// <summary>
    /// One diagnostic for one cause: a problem in a snippet included in several places is reported once at the
    /// snippet's line, with every including line as a related location, named in its message.
    /// </summary>
    public static IEnumerable<Diagnostic> Merge(IEnumerable<Diagnostic> diagnostics)
    {
        var merged = new Dictionary<(string, SourceLocation, string), int>();
        var result = new List<Diagnostic>();
        foreach (var d in diagnostics)
        {
            if (!d.Location.Path.StartsWith(Folder + "/", StringComparison.Ordinal) || d.RelatedLocations.Count == 0)
            {
                result.Add(d);
                continue;
            }
            var key = (d.Id, d.Location, d.Message);
            if (merged.TryGetValue(key, out var at))
                result[at] = result[at] with { RelatedLocations = [.. result[at].RelatedLocations.Union(d.RelatedLocations)] };
            else
            {
                merged[key] = result.Count;
                result.Add(d);
            }
        }
        foreach (var at in merged.Values)
        {
            var d = result[at];
            var sites = d.RelatedLocations.Where(r => r.Path.EndsWith(".md", StringComparison.Ordinal)).Select(r => r.ToString()).ToList();
            if (sites.Count > 0) result[at] = d with { Message = $"{d.Message} (in a snippet included at {string.Join(", ", sites)})" };
        }
        return result;
    }
}

using System.Collections.Immutable;
using ContentEngine.Diagnostics;
using ContentEngine.Markdown;
using ContentEngine.Translation;

namespace ContentEngine.Cli.Preview;

/// <summary>
/// A translated text whose source changed since it was translated (CE0505), as the preview marks it
/// in the translation's page: the text to find in the page, and the source now and then.
/// </summary>
/// <param name="Locale">the translation's language: the pages under &lt;locale&gt;/ show it.</param>
/// <param name="File">the file the translated text is in, relative to the program folder.</param>
/// <param name="Line">its line, from 1.</param>
/// <param name="Text">the translated text as the page shows it (plain text, to find the element).</param>
/// <param name="Source">the source text now (plain text).</param>
/// <param name="Old">the source text it was translated from (plain text).</param>
public sealed record PreviewStale(string Locale, string File, int Line, string Id, string Kind, string Text, string Source, string Old, string SourceLocale)
{
    /// <summary>The program's stale texts, by its translation records; none when it has no records or cannot be read.</summary>
    public static ImmutableArray<PreviewStale> Find(string programFolder)
    {
        if (!Directory.Exists(Path.Combine(programFolder, TranslationRecord.Folder))) return [];
        var bag = new DiagnosticBag();
        if (TranslationSources.Read(programFolder, bag) is not { } sources || sources.Locales.Length < 2) return [];
        var result = ImmutableArray.CreateBuilder<PreviewStale>();
        foreach (var locale in sources.Locales.Skip(1))
        {
            if (TranslationRecord.Read(programFolder, sources.DefaultLocale, locale, bag) is not { } record) continue;
            foreach (var unit in sources.Units(locale, record).Where(u => u.State == UnitState.Stale))
                result.Add(new PreviewStale(locale, unit.TargetRange!.Path, unit.TargetLocation!.Value.Line + 1, unit.Id, unit.Kind,
                    Plain(unit.Target!, unit.TargetRange.Syntax), Plain(unit.Source, unit.TargetRange.Syntax), Plain(unit.RecordedSource!, unit.TargetRange.Syntax), sources.DefaultLocale));
        }
        return result.ToImmutable();
    }

    /// <summary>A text as a reader sees it: Markdown's syntax gone, white space as single spaces.</summary>
    private static string Plain(string text, TextSyntax syntax) =>
        TranslationText.Normalize(syntax == TextSyntax.Markdown ? Markdig.Markdown.ToPlainText(text, ContentPipeline.Instance) : text);
}

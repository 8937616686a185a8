using System.Collections.Immutable;
using System.Globalization;
using ContentEngine.Diagnostics;
using ContentEngine.Markdown;
using ContentEngine.Model;
using ContentEngine.Text;
using ContentEngine.Yaml;

namespace ContentEngine.Compilation;

/// <summary>Readability: the limits program.yaml sets, and each module's text measured per locale against them (CE0604).</summary>
public sealed partial class ProgramCompiler
{
    private ReadabilityLimits BindReadability(MappingReader program)
    {
        if (program.Mapping("readability") is not { } map) return ReadabilityLimits.Default;
        var r = new MappingReader(map, "readability", _context, "lix", "flesch");
        // A limit written wrongly is reported (CE0104) and not judged by: no second warning from a default it did not mean.
        var lix = r.Number("lix", null, 10, 100) ?? (r.Has("lix") ? double.PositiveInfinity : ReadabilityLimits.DefaultLix);
        var flesch = r.Number("flesch", null, 0, 100) ?? (r.Has("flesch") ? double.NegativeInfinity : ReadabilityLimits.DefaultFlesch);
        return new ReadabilityLimits(lix, flesch);
    }

    /// <summary>The scores of a module's or worksheet's text per locale: those of locales with a measure and some words.</summary>
    public static ImmutableSortedDictionary<string, ReadabilityScore> Scores(IReadOnlyDictionary<string, Content> content)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, ReadabilityScore>(StringComparer.Ordinal);
        foreach (var (locale, c) in content)
            if (Readability.MeasureFor(locale) is { } measure && Readability.Measure(measure, Prose.Paragraphs(c.Blocks)) is { } score)
                result[locale] = score;
        return result.ToImmutable();
    }

    /// <summary>A warning for each locale whose text is harder to read than the program allows, at its longest sentence.</summary>
    private static void CheckReadability(ModuleHeader m, ImmutableSortedDictionary<string, Content> content, ReadabilityLimits limits, DiagnosticBag bag)
    {
        foreach (var (locale, score) in Scores(content))
        {
            if (!limits.TooHard(score)) continue;
            var entry = m.Unit.Translations.FirstOrDefault(t => t.Locale == locale && t.Document is not null) ?? m.Unit.Original;
            var file = entry.Document!.File;
            var at = SentenceLocation(file, entry.Document.BodyStart, score.LongestSentences[0]) ?? (entry.Document.Yaml.KeyNode("title")?.Location ?? entry.Document.Yaml.Location);
            var why = score.Measure == ReadabilityMeasure.Lix
                ? string.Create(CultureInfo.InvariantCulture, $"{score.Words / (double)score.Sentences:0} words a sentence and {100.0 * score.LongWords / score.Words:0}% words of more than {Readability.LongWordLetters} letters")
                : string.Create(CultureInfo.InvariantCulture, $"{score.Words / (double)score.Sentences:0} words a sentence and {score.Syllables / (double)score.Words:0.0} syllables a word");
            bag.Report(DiagnosticDescriptors.HardToRead, at, m.Id, locale, score.Display, limits.LimitOf(score.Measure), why,
                string.Join(" and ", score.LongestSentences.Select(s => $"\"{Shorten(s)}\" ({Readability.Words(s).Count} words)")),
                string.Join(", ", score.LongestWords.Select(w => $"'{w}'")), score.Measure == ReadabilityMeasure.Lix ? "lix" : "flesch");
        }
    }

    /// <summary>Where a sentence starts in a file's body, found by its first words; null when it is not there as written (a snippet's).</summary>
    private static SourceLocation? SentenceLocation(SourceFile file, int bodyStart, string sentence)
    {
        var words = Readability.Words(sentence);
        if (words.Count == 0) return null;
        var at = file.Text.IndexOf(words[0], bodyStart, StringComparison.Ordinal);
        while (at >= 0)
        {
            var line = file.GetLineColumn(at);
            var rest = file.Text[at..Math.Min(file.Text.Length, at + sentence.Length * 2 + 40)];
            if (Readability.Words(rest).Take(Math.Min(5, words.Count)).SequenceEqual(words.Take(5)))
                return file.Location(line.Line, line.Column, Math.Max(1, Math.Min(file.GetLine(line.Line).Length - line.Column, sentence.Length)));
            at = file.Text.IndexOf(words[0], at + 1, StringComparison.Ordinal);
        }
        return null;
    }

    private static string Shorten(string sentence) => sentence.Length <= 80 ? sentence : sentence[..77].TrimEnd() + "…";
}

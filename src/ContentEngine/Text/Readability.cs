using System.Globalization;

namespace ContentEngine.Text;

/// <summary>The measure of how hard a text is to read that a locale uses.</summary>
public enum ReadabilityMeasure { Lix, Flesch }

/// <summary>What a text's sentences and words add up to, and its score on its locale's measure.</summary>
/// <param name="Score">LIX (higher is harder) or Flesch reading ease (lower is harder).</param>
/// <param name="LongestSentences">the sentences with the most words, longest first.</param>
/// <param name="LongestWords">the longest words (by letters), longest first, each once.</param>
public sealed record ReadabilityScore(ReadabilityMeasure Measure, double Score, int Words, int Sentences, int LongWords, int Syllables,
    IReadOnlyList<string> LongestSentences, IReadOnlyList<string> LongestWords)
{
    /// <summary>"LIX 38" or "Flesch 64": the score as the docs and the stats table write it.</summary>
    public string Display => $"{(Measure == ReadabilityMeasure.Lix ? "LIX" : "Flesch")} {Math.Round(Score).ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// Readability of patients' text: LIX (Björnsson) for Swedish, Danish and Norwegian, Flesch reading ease for English.
/// A sentence ends at '.', '!', '?' or ':' before a space or the end of its paragraph, and at the end of every paragraph
/// or list item. A word is a run of letters and digits (with ' and - inside it).
/// </summary>
public static class Readability
{
    /// <summary>A LIX word is long when it has more than this many letters.</summary>
    public const int LongWordLetters = 6;

    /// <summary>The measure a locale is read with, or null when it has none (its text is not measured).</summary>
    public static ReadabilityMeasure? MeasureFor(string locale) => locale.Split('-', '_')[0].ToLowerInvariant() switch
    {
        "sv" or "da" or "no" or "nb" or "nn" => ReadabilityMeasure.Lix,
        "en" => ReadabilityMeasure.Flesch,
        _ => null,
    };

    /// <summary>The score of paragraphs of prose on a measure; null when they hold no words.</summary>
    public static ReadabilityScore? Measure(ReadabilityMeasure measure, IEnumerable<string> paragraphs)
    {
        var sentences = paragraphs.SelectMany(Sentences).Select(s => (Text: s, Words: Words(s))).Where(s => s.Words.Count > 0).ToList();
        var words = sentences.SelectMany(s => s.Words).ToList();
        if (words.Count == 0) return null;
        var longWords = words.Count(w => Letters(w) > LongWordLetters);
        var syllables = measure == ReadabilityMeasure.Flesch ? words.Sum(Syllables) : 0;
        double perSentence = words.Count / (double)sentences.Count;
        var score = measure == ReadabilityMeasure.Lix
            ? perSentence + 100.0 * longWords / words.Count
            : 206.835 - 1.015 * perSentence - 84.6 * syllables / words.Count;
        return new ReadabilityScore(measure, score, words.Count, sentences.Count, longWords, syllables,
            [.. sentences.OrderByDescending(s => s.Words.Count).Take(2).Select(s => s.Text)],
            [.. words.Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(Letters).ThenBy(w => w, StringComparer.Ordinal).Take(3)]);
    }

    /// <summary>The sentences of a paragraph, trimmed.</summary>
    public static IEnumerable<string> Sentences(string paragraph)
    {
        var start = 0;
        for (var i = 0; i < paragraph.Length; i++)
        {
            if (paragraph[i] is not ('.' or '!' or '?' or ':')) continue;
            var end = i + 1;
            while (end < paragraph.Length && paragraph[end] is '.' or '!' or '?' or '"' or '”' or '’' or ')' or '»') end++;
            if (end < paragraph.Length && !char.IsWhiteSpace(paragraph[end])) continue;
            if (paragraph[start..end].Trim() is { Length: > 0 } s) yield return s;
            start = end;
            i = end - 1;
        }
        if (paragraph[start..].Trim() is { Length: > 0 } rest) yield return rest;
    }

    /// <summary>The words of a text: runs of letters and digits, with ' and - inside them.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            var inside = char.IsLetterOrDigit(c) || (start >= 0 && c is '\'' or '’' or '-' && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]));
            if (inside && start < 0) start = i;
            else if (!inside && start >= 0)
            {
                words.Add(text[start..i]);
                start = -1;
            }
        }
        return words;
    }

    private static int Letters(string word) => word.Count(char.IsLetter);

    /// <summary>
    /// English syllables by rule: groups of vowels (a e i o u y) count one each; a final silent 'e' (not '-le') counts
    /// none, and a final '-ed' none unless after t or d ("walked" 1, "wanted" 2); every word has at least one.
    /// </summary>
    public static int Syllables(string word)
    {
        var w = new string([.. word.ToLowerInvariant().Where(char.IsLetter)]);
        if (w.Length == 0) return 1;
        var count = 0;
        var previousVowel = false;
        foreach (var c in w)
        {
            var vowel = c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';
            if (vowel && !previousVowel) count++;
            previousVowel = vowel;
        }
        if (w.Length > 2 && w.EndsWith('e') && !w.EndsWith("le", StringComparison.Ordinal) && !IsVowel(w[^2])) count--;
        else if (w.Length > 3 && w.EndsWith("ed", StringComparison.Ordinal) && !IsVowel(w[^3]) && w[^3] is not ('t' or 'd')) count--;
        return Math.Max(1, count);
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';
}

/// <summary>
/// How hard a module's text may be (program.yaml's <c>readability</c>): LIX at most <see cref="Lix"/>, Flesch reading
/// ease at least <see cref="Flesch"/>. Text of fewer than <see cref="MinWords"/> words is not judged.
/// </summary>
public sealed record ReadabilityLimits(double Lix = ReadabilityLimits.DefaultLix, double Flesch = ReadabilityLimits.DefaultFlesch)
{
    /// <summary>LIX over 45 is factual or official prose, 50 and over "hard"; easy patient material is under 40.</summary>
    public const double DefaultLix = 45;

    /// <summary>Flesch under 50 is "difficult" (college level); plain English is 60-70.</summary>
    public const double DefaultFlesch = 50;

    public const int MinWords = 50;

    public static ReadabilityLimits Default { get; } = new();

    public bool TooHard(ReadabilityScore score) => score.Words >= MinWords
        && (score.Measure == ReadabilityMeasure.Lix ? score.Score > Lix : score.Score < Flesch);

    /// <summary>"at most LIX 50", "at least Flesch 50".</summary>
    public string LimitOf(ReadabilityMeasure measure) => measure == ReadabilityMeasure.Lix
        ? $"at most LIX {Lix.ToString(CultureInfo.InvariantCulture)}" : $"at least Flesch {Flesch.ToString(CultureInfo.InvariantCulture)}";
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace ContentEngine.Speech;

/// <summary>
/// How the audio bundle speaks, from program.yaml's <c>speech</c>: the pace of theme text and of guided exercises per
/// locale (words per minute between pauses), the gap between words, and the command of a speech engine per locale
/// (none: espeak-ng).
/// </summary>
public sealed record SpeechSettings
{
    /// <summary>A reading-aloud pace for theme text: within 140–160 words per minute between pauses.</summary>
    public const int DefaultRate = 150;

    /// <summary>Clearly slower, for exercises a listener follows while doing them.</summary>
    public const int DefaultExerciseRate = 125;

    public const int MinRate = 60, MaxRate = 300, MaxWordGapMilliseconds = 500;

    public static SpeechSettings Default { get; } = new();

    /// <summary>Words per minute for theme text, by locale; a locale not listed speaks at <see cref="DefaultRate"/>.</summary>
    public ImmutableSortedDictionary<string, int> Rates { get; init; } = ImmutableSortedDictionary<string, int>.Empty;

    /// <summary>Words per minute inside exercises, by locale; a locale not listed speaks at <see cref="DefaultExerciseRate"/>.</summary>
    public ImmutableSortedDictionary<string, int> ExerciseRates { get; init; } = ImmutableSortedDictionary<string, int>.Empty;

    /// <summary>A silence after each word, in milliseconds (espeak-ng's word gap); counted in the pace.</summary>
    public int WordGapMilliseconds { get; init; }

    /// <summary>The command of the speech engine by locale; a locale not listed is spoken by espeak-ng.</summary>
    public ImmutableSortedDictionary<string, SpeechCommand> Commands { get; init; } = ImmutableSortedDictionary<string, SpeechCommand>.Empty;

    public int RateFor(string locale, bool exercise) =>
        (exercise ? ExerciseRates : Rates).TryGetValue(locale, out var rate) ? rate : exercise ? DefaultExerciseRate : DefaultRate;
}

/// <summary>
/// A speech engine's command line with placeholders: <c>{output}</c> (the WAVE file to write; required), <c>{text}</c>
/// (a UTF-8 text file holding the words; without it the words go to the program's input), <c>{locale}</c>,
/// <c>{rate}</c> (words per minute) and <c>{length_scale}</c> (150 divided by the rate, as Piper's
/// <c>--length_scale</c> takes it). It is split into arguments as a shell would split words ("…" and '…' quote), but
/// no shell runs it: a placeholder is replaced inside its argument and never splits it, so no text can become a command.
/// </summary>
public sealed record SpeechCommand(string Template, ImmutableArray<string> Arguments)
{
    public static readonly ImmutableArray<string> Placeholders = ["output", "text", "locale", "rate", "length_scale"];

    /// <summary>The program to run: the first argument.</summary>
    public string Program => Arguments[0];

    /// <summary>Whether the words go to a file (<c>{text}</c>) rather than to the program's input.</summary>
    public bool TextAsFile => Arguments.Any(a => a.Contains("{text}", StringComparison.Ordinal));

    /// <summary>The template as arguments, or why it cannot be one (a sentence beginning with a verb: "has …").</summary>
    public static SpeechCommand? Parse(string template, out string? error)
    {
        var arguments = ImmutableArray.CreateBuilder<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in template)
        {
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else current.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) arguments.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (quote is not null)
        {
            error = $"has a {quote} that is not closed; close it or leave it out";
            return null;
        }
        if (inWord) arguments.Add(current.ToString());
        if (arguments.Count == 0 || arguments[0].Length == 0)
        {
            error = "is empty; write the command that speaks, such as \"piper --model voices/{locale}.onnx --output_file {output}\"";
            return null;
        }
        foreach (var argument in arguments)
            foreach (System.Text.RegularExpressions.Match m in PlaceholderPattern().Matches(argument))
                if (!Placeholders.Contains(m.Groups[1].Value))
                {
                    error = $"has the placeholder {m.Value}, which is not one of {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}";
                    return null;
                }
        if (arguments[0].Contains('{'))
        {
            error = "must start with the program to run, not a placeholder";
            return null;
        }
        if (!arguments.Any(a => a.Contains("{output}", StringComparison.Ordinal)))
        {
            error = "has no {output}; the engine must write its WAVE file where {output} says, such as --output_file {output}";
            return null;
        }
        error = null;
        return new SpeechCommand(template, arguments.ToImmutable());
    }

    /// <summary>The arguments after the program, each with its placeholders filled in.</summary>
    public IEnumerable<string> Fill(string output, string? textFile, string locale, int rate) =>
        Arguments.Skip(1).Select(a => PlaceholderPattern().Replace(a, m => m.Groups[1].Value switch
        {
            "output" => output,
            "text" => textFile ?? string.Empty,
            "locale" => locale,
            "rate" => rate.ToString(CultureInfo.InvariantCulture),
            _ => (150.0 / rate).ToString("0.00", CultureInfo.InvariantCulture),
        }));

    private static System.Text.RegularExpressions.Regex PlaceholderPattern() => Pattern;

    private static readonly System.Text.RegularExpressions.Regex Pattern = new(@"\{([a-z_]*)\}", System.Text.RegularExpressions.RegexOptions.Compiled);
}

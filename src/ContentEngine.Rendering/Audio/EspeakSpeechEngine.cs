using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace ContentEngine.Rendering.Audio;

/// <summary>
/// Speech by espeak-ng, run as a process. The voice for a locale is its language code (<c>sv</c> for <c>sv</c>,
/// <c>pt</c> for <c>pt-BR</c>). Text goes to the program's input as SSML, so it is never read as an option, with a
/// fixed pause after each sentence and a longer one between paragraphs, for calm listening (espeak-ng's own pause at a
/// full stop is about 0.4 s; an SSML break sets the whole silence).
/// </summary>
public sealed partial class EspeakSpeechEngine : ISpeechEngine
{
    private readonly string? _searchPath;
    private readonly ConcurrentDictionary<string, Task> _voiceChecks = new(StringComparer.Ordinal);
    private string? _executable;

    /// <param name="searchPath">folders to look for espeak-ng in, separated as in PATH; null for the PATH of this process.</param>
    public EspeakSpeechEngine(string? searchPath = null) => _searchPath = searchPath;

    /// <summary>A silence after each word, in milliseconds (espeak-ng's <c>-g</c>, in steps of 10 ms).</summary>
    public int WordGapMilliseconds { get; init; }

    /// <summary>The pause between paragraphs (and after a heading or a list item), in milliseconds.</summary>
    public int ParagraphPauseMilliseconds { get; init; } = 1400;

    /// <summary>The pause after a sentence within a paragraph, in milliseconds.</summary>
    public int SentencePauseMilliseconds { get; init; } = 750;

    /// <summary>How long one synthesis may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public string Name => string.Create(CultureInfo.InvariantCulture, $"espeak-ng;paces={EspeakRate.Version};wordgap={WordGap * 10}ms;pause={ParagraphPauseMilliseconds}ms;sentence={SentencePauseMilliseconds}ms;ssml");

    public string VoiceFor(string locale)
    {
        var dash = locale.IndexOfAny(['-', '_']);
        return (dash < 0 ? locale : locale[..dash]).ToLowerInvariant();
    }

    public IReadOnlyList<string> MissingTools() => AudioTools.Missing([AudioTools.EspeakNg], _searchPath);

    public Task CheckVoiceAsync(string locale, CancellationToken cancellationToken) =>
        _voiceChecks.GetOrAdd(VoiceFor(locale), voice => CheckVoiceCoreAsync(locale, voice, cancellationToken));

    private async Task CheckVoiceCoreAsync(string locale, string voice, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunCheckedAsync(Executable(), [$"--voices={voice}"], null, Timeout, "listing its voices", cancellationToken);
        // The first line is a header; each further line is a voice whose language matches. MBROLA voices (mb/…) need
        // another package, and espeak-ng does not choose them for a plain language code.
        var voices = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .Where(line => !line.Contains(" mb/", StringComparison.Ordinal));
        if (!voices.Any())
            throw new AudioException($"espeak-ng has no voice for locale '{locale}' (none listed by: espeak-ng --voices={voice}); install one or leave '{locale}' out of the audio bundle.");
    }

    private int WordGap => (WordGapMilliseconds + 5) / 10;

    /// <summary>
    /// Speaks at <paramref name="rate"/> words per minute between pauses: espeak-ng's <c>-s</c> is set from measured
    /// paces (<see cref="EspeakRate"/>), since its own words per minute are not what a listener hears.
    /// </summary>
    public async Task SynthesizeAsync(string text, string locale, int rate, string wavPath, CancellationToken cancellationToken)
    {
        await CheckVoiceAsync(locale, cancellationToken);
        var speed = EspeakRate.For(VoiceFor(locale), rate, WordGap * 10);
        string[] arguments = ["-v", VoiceFor(locale), "-s", speed.ToString(CultureInfo.InvariantCulture), "-g", WordGap.ToString(CultureInfo.InvariantCulture), "-m", "-b", "1", "-w", wavPath, "--stdin"];
        await ProcessRunner.RunCheckedAsync(Executable(), arguments, Ssml(text), Timeout, $"speaking {locale} text", cancellationToken);
        if (!File.Exists(wavPath) || new FileInfo(wavPath).Length <= 44)
            throw new AudioException($"espeak-ng wrote no audio for {locale} text beginning \"{Shorten(text)}\".");
    }

    /// <summary>
    /// The text as SSML: paragraphs separated by a pause, sentences by a shorter one, and XML's special characters
    /// escaped. A sentence ends at '.', '!', '?' or '…' (and a closing quote or bracket after it) followed by a space and
    /// a capital letter, a digit or an opening quote, so "e.g. this" or "3.5" runs on.
    /// </summary>
    public string Ssml(string text)
    {
        var sb = new StringBuilder("<speak>");
        var first = true;
        foreach (var paragraph in text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!first) sb.Append(CultureInfo.InvariantCulture, $"<break time=\"{ParagraphPauseMilliseconds}ms\"/>");
            first = false;
            var sentenceBreak = string.Create(CultureInfo.InvariantCulture, $"<break time=\"{SentencePauseMilliseconds}ms\"/>");
            var ends = SentenceEnd().Matches(paragraph).Select(m => m.Index).ToHashSet();
            for (var i = 0; i < paragraph.Length; i++)
            {
                var c = paragraph[i];
                if (ends.Contains(i)) sb.Append(sentenceBreak);
                sb.Append(c switch
                {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '\n' or '\t' => " ",
                    _ when char.IsControl(c) => " ",
                    _ => c.ToString(),
                });
            }
            sb.Append('\n');
        }
        return sb.Append("</speak>\n").ToString();
    }

    /// <summary>The space after a sentence: its index is where the sentence's break goes.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=[.!?…][""'”’»)\]]*)\s+(?=[\p{Lu}\p{Nd}""“„«'‘(])")]
    private static partial System.Text.RegularExpressions.Regex SentenceEnd();

    private string Executable() =>
        _executable ??= AudioTools.Find(AudioTools.EspeakNg, _searchPath) ?? throw new AudioToolMissingException([AudioTools.EspeakNg]);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

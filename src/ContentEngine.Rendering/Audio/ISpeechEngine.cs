namespace ContentEngine.Rendering.Audio;

/// <summary>
/// A text-to-speech engine. <see cref="Name"/> and <see cref="VoiceFor"/> go into the audio cache's keys, so they must
/// change whenever the engine would say the same text differently, and must not start a process: a rebuild that
/// finds every track in the cache asks for nothing else.
/// </summary>
public interface ISpeechEngine
{
    /// <summary>The engine and its settings, such as <c>espeak-ng;rate=150</c>.</summary>
    string Name { get; }

    /// <summary>The voice that speaks <paramref name="locale"/>, such as <c>sv</c>.</summary>
    string VoiceFor(string locale);

    /// <summary>The programs the engine needs that are not installed (see <see cref="AudioTools"/>); empty when it can run.</summary>
    IReadOnlyList<string> MissingTools();

    /// <summary>Throws an <see cref="AudioException"/> that names the locale when the engine has no voice for it.</summary>
    Task CheckVoiceAsync(string locale, CancellationToken cancellationToken);

    /// <summary>
    /// Speaks <paramref name="text"/> in <paramref name="locale"/> into a WAVE file, at <paramref name="rate"/> words per
    /// minute between pauses. Paragraphs are separated by a blank line; the engine pauses between them.
    /// </summary>
    Task SynthesizeAsync(string text, string locale, int rate, string wavPath, CancellationToken cancellationToken);
}

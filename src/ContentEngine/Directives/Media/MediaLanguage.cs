namespace ContentEngine.Directives;

/// <summary>
/// The languages of an <c>::: audio</c>: its recording speaks its <c>lang</c> (default: the program's default locale);
/// its transcript is in a locale when its name says so as a translation's does (<c>body-scan.en.txt</c>), else in the
/// recording's language. A text in another locale than the recording's speaks a transcript in its own language rather
/// than play the recording, and says in which language the recording is when it has none.
/// </summary>
public static class MediaLanguage
{
    /// <summary>The language spoken in the recording.</summary>
    public static string Recording(IReadOnlyDictionary<string, string> attributes, string defaultLocale) =>
        attributes.TryGetValue("lang", out var lang) && lang.Length > 0 ? lang : defaultLocale;

    public static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the transcript's name marks it as the <paramref name="locale"/> text, as <c>body-scan.en.txt</c>.</summary>
    public static bool TranscriptIn(string transcript, string locale) =>
        Path.GetFileNameWithoutExtension(transcript).EndsWith("." + locale, StringComparison.OrdinalIgnoreCase);

    /// <summary>The name a transcript in <paramref name="locale"/> would have: <c>media/body-scan.txt</c> → <c>media/body-scan.en.txt</c>.</summary>
    public static string TranscriptName(string transcript, string locale)
    {
        var extension = Path.GetExtension(transcript);
        return transcript[..^extension.Length] + "." + locale + extension;
    }
}

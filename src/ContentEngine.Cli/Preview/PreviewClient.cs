using System.Text.Encodings.Web;
using System.Text.Json;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Cli.Preview;

/// <summary>
/// The preview's browser side, from the theme's preview/ folder (the built-in theme's until a program's
/// theme has loaded): the script and style sheet every page loads, the worker that retires a bundle's
/// offline worker, and the panel's words, the theme's <c>preview-*</c> strings in the page's locale.
/// </summary>
public static class PreviewClient
{
    public const string Script = "preview.js";
    public const string Style = "preview.css";
    public const string Strings = "strings.json";
    public const string StylePath = "/" + UrlPaths.ReservedPrefix + Style;

    private const string KeyPrefix = "preview-";

    public sealed record File(string ContentType, byte[] Content);

    /// <summary>One of the preview's files by its name under /__contentengine/; null for another name.</summary>
    public static File? Get(string name, PreviewSnapshot snapshot, string? locale)
    {
        var theme = snapshot.Theme ?? Theme.BuiltIn;
        return name switch
        {
            Script => new("text/javascript; charset=utf-8", Read(theme, Script)),
            Style => new("text/css; charset=utf-8", Read(theme, Style)),
            Strings => new("application/json; charset=utf-8", StringsJson(theme.Strings, locale)),
            _ => null,
        };
    }

    /// <summary>What the preview serves as the bundle's service worker (see retired-worker.js).</summary>
    public static byte[] RetiredWorker(PreviewSnapshot snapshot) => Read(snapshot.Theme ?? Theme.BuiltIn, "retired-worker.js");

    private static byte[] Read(Theme theme, string file) =>
        theme.PreviewFiles.TryGetValue(file, out var content) ? content : Theme.BuiltIn.PreviewFiles[file];

    /// <summary>
    /// The locale whose strings a page gets: its own when the theme has strings in it, else its language
    /// without the region ("sv" for "sv-FI"), else English, as the theme's other strings fall back.
    /// </summary>
    public static string LocaleOf(UiStrings strings, string? locale)
    {
        if (string.IsNullOrEmpty(locale)) return "en";
        if (strings.Raw.ContainsKey(locale)) return locale;
        var dash = locale.IndexOf('-');
        return dash > 0 && strings.Raw.ContainsKey(locale[..dash]) ? locale[..dash] : "en";
    }

    /// <summary>The panel's strings in a locale (English where that locale lacks one) and in English, for the overlay.</summary>
    public static byte[] StringsJson(UiStrings strings, string? locale)
    {
        var chosen = LocaleOf(strings, locale);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("locale", chosen);
            Write(w, "strings", strings.For(chosen));
            Write(w, "english", strings.For("en"));
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void Write(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> strings)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in strings.Where(s => s.Key.StartsWith(KeyPrefix, StringComparison.Ordinal)).OrderBy(s => s.Key, StringComparer.Ordinal))
            w.WriteString(key[KeyPrefix.Length..], value);
        w.WriteEndObject();
    }

    /// <summary>A preview string in a locale, with {0}, {1} filled in (for the pages the preview makes itself).</summary>
    public static string Say(UiStrings strings, string locale, string key, params object[] args)
    {
        var text = strings.Get(LocaleOf(strings, locale), KeyPrefix + key);
        for (var i = 0; i < args.Length; i++) text = text.Replace("{" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}", Convert.ToString(args[i], System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return text;
    }
}

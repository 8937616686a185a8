using System.Text;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Cli.Preview;

/// <summary>What the preview adds to pages: the script tag, and its own page for a path the bundle does not have.</summary>
public static class PreviewPages
{
    public const string ScriptPath = "/__contentengine/preview.js";
    public const string EventsPath = "/__contentengine/events";
    public const string ProgramPath = "/__contentengine/program.json";

    public static string ScriptTag(string page, string fingerprint) =>
        $"<script src=\"{ScriptPath}\" data-page=\"{Html.Attr(page)}\" data-fingerprint=\"{Html.Attr(fingerprint)}\"></script>\n";

    /// <summary>The page with the preview script just before &lt;/body&gt; (at the end when there is none).</summary>
    public static string Inject(string html, string page, string fingerprint)
    {
        var tag = ScriptTag(page, fingerprint);
        var at = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? html + tag : string.Concat(html.AsSpan(0, at), tag, html.AsSpan(at));
    }

    /// <summary>
    /// The answer for a page the bundle does not have (yet): it carries the preview script, so the
    /// errors show and the browser reloads by itself once the page exists.
    /// </summary>
    public static byte[] NotFound(string key, PreviewSnapshot snapshot)
    {
        var slash = key.IndexOf('/');
        var locale = slash > 0 && snapshot.Graph is { } g && g.Locales.Contains(key[..slash]) ? key[..slash] : snapshot.Graph?.DefaultLocale ?? "en";
        var strings = (snapshot.Theme ?? Theme.BuiltIn).Strings;
        string Say(string k, params object[] args) => PreviewClient.Say(strings, locale, k, args);
        var title = Say("missing-title");
        var text = snapshot.Files.Count == 0 ? Say("missing-not-compiled") : Say("missing-page", key);
        var home = snapshot.Graph is { } graph ? $"/{graph.DefaultLocale}/index.html" : "/";
        var html = $$"""
            <!doctype html>
            <html lang="{{Html.Attr(locale)}}" data-locale="{{Html.Attr(locale)}}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{Html.Text(title)}}</title>
            <link rel="stylesheet" href="{{PreviewClient.StylePath}}"></head>
            <body class="ce-preview-missing"><main><h1>{{Html.Text(title)}}</h1><p>{{Html.Text(text)}}</p><p><a href="{{Html.Attr(home)}}">{{Html.Text(Say("missing-home"))}}</a></p></main>
            {{ScriptTag(key, PreviewSnapshot.MissingFingerprint)}}</body>
            </html>
            """;
        return Encoding.UTF8.GetBytes(html);
    }
}

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

    /// <summary>
    /// What the preview serves as the bundle's service worker (sw.js). The pages do not register a worker
    /// in the preview; but a bundle served earlier on the same address (another server, the same port) may
    /// have left its worker, which would answer the pages from its cache. The browser checks for a new
    /// worker on every page it opens, gets this one, and this one removes itself and that cache and
    /// reloads the pages it took over, which then come from the preview.
    /// </summary>
    public const string RetiredWorker = """
        /* contentengine serve: no offline worker in the preview. */
        'use strict';
        self.addEventListener('install', function () { self.skipWaiting(); });
        self.addEventListener('activate', function (event) {
          event.waitUntil(self.registration.unregister()
            .then(function () { return caches.keys(); })
            .then(function (keys) { return Promise.all(keys.filter(function (k) { return k.indexOf('contentengine ') === 0; }).map(function (k) { return caches.delete(k); })); })
            .then(function () { return self.clients.matchAll({ type: 'window' }); })
            .then(function (pages) { pages.forEach(function (page) { page.navigate(page.url); }); }));
        });

        """;

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
        var sv = locale == "sv";
        var title = sv ? "Sidan finns inte i förhandsvisningen" : "This page is not in the preview";
        var text = snapshot.Files.Count == 0
            ? (sv ? "Programmet har inte gått att bygga än. Felen visas ovanför; sidan laddas om av sig själv när de är rättade."
                  : "The program has not compiled yet. The errors are listed above; this page reloads by itself when they are fixed.")
            : (sv ? $"Det finns ingen sida /{key} i programmets webbpaket. Sidan laddas om av sig själv om den dyker upp."
                  : $"There is no page /{key} in the program's web bundle. This page reloads by itself if it appears.");
        var home = snapshot.Graph is { } graph ? $"/{graph.DefaultLocale}/index.html" : "/";
        var html = $$"""
            <!doctype html>
            <html lang="{{Html.Attr(locale)}}" data-locale="{{Html.Attr(locale)}}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{Html.Text(title)}}</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;color:#1b1b1b;background:#fff;margin:0;padding:2rem} main{max-width:40rem;margin:8rem auto 0} a{color:#1d4f91}</style></head>
            <body><main><h1>{{Html.Text(title)}}</h1><p>{{Html.Text(text)}}</p><p><a href="{{Html.Attr(home)}}">{{(sv ? "Till programmets startsida" : "To the program's start page")}}</a></p></main>
            {{ScriptTag(key, PreviewSnapshot.MissingFingerprint)}}</body>
            </html>
            """;
        return Encoding.UTF8.GetBytes(html);
    }
}

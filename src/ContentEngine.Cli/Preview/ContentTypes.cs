namespace ContentEngine.Cli.Preview;

/// <summary>The Content-Type of a bundle file by its extension.</summary>
public static class ContentTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".htm"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
        [".vtt"] = "text/vtt; charset=utf-8",
        [".xml"] = "application/xml; charset=utf-8",
        [".rss"] = "application/rss+xml; charset=utf-8",
        [".m3u"] = "audio/x-mpegurl; charset=utf-8",
        [".m3u8"] = "audio/x-mpegurl; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".avif"] = "image/avif",
        [".ico"] = "image/x-icon",
        [".mp3"] = "audio/mpeg",
        [".m4a"] = "audio/mp4",
        [".ogg"] = "audio/ogg",
        [".oga"] = "audio/ogg",
        [".opus"] = "audio/ogg",
        [".wav"] = "audio/wav",
        [".mp4"] = "video/mp4",
        [".webm"] = "video/webm",
        [".pdf"] = "application/pdf",
        [".woff"] = "font/woff",
        [".woff2"] = "font/woff2",
        [".ttf"] = "font/ttf",
        [".otf"] = "font/otf",
    };

    public static string For(string key) =>
        ByExtension.TryGetValue(Path.GetExtension(key), out var type) ? type : "application/octet-stream";

    public static bool IsHtml(string key) =>
        key.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || key.EndsWith(".htm", StringComparison.OrdinalIgnoreCase);
}

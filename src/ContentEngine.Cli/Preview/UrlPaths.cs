namespace ContentEngine.Cli.Preview;

/// <summary>
/// Maps a request target to a key of the in-memory bundle. Only plain relative keys come out: a
/// target with dot segments (written or percent-encoded), backslashes, encoded slashes, empty
/// segments, drive letters, control characters or an absolute form is refused, so no request can
/// name anything outside the bundle.
/// </summary>
public static class UrlPaths
{
    /// <summary>The prefix of the preview's own endpoints, which no bundle file can have.</summary>
    public const string ReservedPrefix = "__contentengine/";

    /// <param name="rawTarget">the request target exactly as the client sent it ("/sv/index.html?x=1").</param>
    /// <param name="key">the bundle key ("sv/index.html"); a folder ("/sv/") maps to its index.html.</param>
    public static bool TryMap(string? rawTarget, out string key)
    {
        key = string.Empty;
        if (string.IsNullOrEmpty(rawTarget) || rawTarget[0] != '/') return false; // "*", "http://host/…", "C:/…"
        var end = rawTarget.IndexOfAny(['?', '#']);
        var path = end < 0 ? rawTarget : rawTarget[..end];
        if (path.Length > 2048) return false;

        // Refuse encodings that could smuggle a separator or a dot segment past the checks below.
        foreach (var bad in (ReadOnlySpan<string>)["%2e", "%2f", "%5c", "%00", "%25"])
            if (path.Contains(bad, StringComparison.OrdinalIgnoreCase)) return false;

        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(path);
        }
        catch (UriFormatException)
        {
            return false;
        }
        if (decoded.Any(c => char.IsControl(c) || c is '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|')) return false;

        var relative = decoded[1..];
        if (relative.Length == 0 || relative.EndsWith('/')) relative += "index.html";
        foreach (var segment in relative.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or "..") return false;
            if (segment.Trim().Length != segment.Length || segment.EndsWith('.')) return false; // "a " or "a." alias "a" on some systems
        }
        key = relative;
        return true;
    }
}

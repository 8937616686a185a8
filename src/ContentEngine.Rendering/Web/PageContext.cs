using ContentEngine.Model;

namespace ContentEngine.Rendering.Web;

/// <summary>The output a page is rendered for; <c>::: only {formats=…}</c> names them in lower case.</summary>
public enum OutputMedium { Web, Print }

/// <summary>
/// Where a page stands in the web bundle, and how it links to the rest with relative URLs only, so
/// the bundle works from any base path and from file://.
/// </summary>
public sealed class PageContext
{
    public PageContext(ProgramGraph graph, string locale, string path, Theme theme, OutputMedium medium = OutputMedium.Web)
    {
        Medium = medium;
        Graph = graph;
        Locale = locale;
        Path = path;
        Theme = theme;
        var depth = path.Count(c => c == '/');
        Root = string.Concat(Enumerable.Repeat("../", depth));
    }

    public ProgramGraph Graph { get; }

    /// <summary>What the page is made for: the web shows players and forms, print their paper forms.</summary>
    public OutputMedium Medium { get; }
    public string Locale { get; }

    /// <summary>This page's path in the bundle, such as "sv/modules/values.html".</summary>
    public string Path { get; }

    /// <summary>The theme the page is drawn with: its strings, and the templates of the forms it holds.</summary>
    public Theme Theme { get; }

    public UiStrings Strings => Theme.Strings;

    /// <summary>The relative prefix from this page to the bundle's root ("../../").</summary>
    public string Root { get; }

    /// <summary>How much larger than the theme's normal print size a printed page's text is: 1, or 4/3 for large print (16 pt for 12 pt).</summary>
    public double PrintScale { get; init; } = 1;

    /// <summary>The stable ids of the page's body's blocks (<see cref="StableIds"/>), for the data-ce-id of an <c>::: if</c>; empty when unknown.</summary>
    public IReadOnlyDictionary<ContentBlock, string> BlockIds { get; set; } = new Dictionary<ContentBlock, string>();

    public string T(LocalizedText? text) => text?.Get(Locale, Graph.DefaultLocale) ?? string.Empty;

    public string S(string key) => Strings.Get(Locale, key);

    public string LocaleUrl(string relative, string? locale = null) => $"{Root}{locale ?? Locale}/{relative}";

    public string ModuleUrl(string id, string? locale = null) => LocaleUrl($"modules/{id}.html", locale);

    public string WorksheetUrl(string id, string? locale = null) => LocaleUrl($"worksheets/{id}.html", locale);

    public string AssetUrl(string programPath) => Root + programPath;

    public string ThemeUrl(string file) => $"{Root}assets/{file}";

    /// <summary>A canonical content link (module:x, worksheet:y, media/…) as a URL from this page.</summary>
    public string ContentUrl(string url)
    {
        if (url.StartsWith("module:", StringComparison.Ordinal)) return Split(url, 7, ModuleUrl);
        if (url.StartsWith("worksheet:", StringComparison.Ordinal)) return Split(url, 10, WorksheetUrl);
        if (url.StartsWith("media/", StringComparison.Ordinal)) return AssetUrl(url);
        return url;
    }

    private static string Split(string url, int prefix, Func<string, string?, string> map)
    {
        var rest = url[prefix..];
        var hash = rest.IndexOf('#');
        return hash < 0 ? map(rest, null) : map(rest[..hash], null) + rest[hash..];
    }
}

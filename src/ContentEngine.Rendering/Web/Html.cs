using System.Net;

namespace ContentEngine.Rendering.Web;

/// <summary>Escaping for text and attribute values: everything an author writes passes through here.</summary>
public static class Html
{
    public static string Text(string? s) => WebUtility.HtmlEncode(s ?? string.Empty);

    public static string Attr(string? s) => WebUtility.HtmlEncode(s ?? string.Empty);
}

using ContentEngine.Model;
using Scriban.Runtime;

namespace ContentEngine.Rendering.Web;

/// <summary>
/// What every page's footer says about who offers the program and how to reach them (<c>provider</c> in
/// program.yaml), with links to the two pages the web bundle writes per locale from program.yaml's
/// <c>about</c> and <c>privacy</c>: <see cref="AboutPath"/> and <see cref="PrivacyPath"/>.
/// </summary>
internal static class WebFooter
{
    /// <summary>The page "About this program", in each locale's folder.</summary>
    public const string AboutPath = "about.html";

    /// <summary>The page "Privacy: your answers", in each locale's folder.</summary>
    public const string PrivacyPath = "privacy.html";

    /// <summary>The footer's model: the provider (null when program.yaml names none) and the links to about and privacy.</summary>
    public static void Add(ScriptObject o, PageContext p)
    {
        o["provider"] = Provider(p);
        o["about_url"] = p.LocaleUrl(AboutPath);
        o["privacy_url"] = p.LocaleUrl(PrivacyPath);
    }

    private static ScriptObject? Provider(PageContext p) => p.Graph.Provider is not { } provider ? null : WebRenderer.Obj(
        ("name", p.T(provider.Name)), ("url", provider.Url), ("email", provider.Email),
        ("mailto", provider.Email is null ? null : "mailto:" + provider.Email),
        ("phone", provider.Phone), ("tel", provider.Phone is null ? null : Tel(provider.Phone)));

    /// <summary>A telephone number as a tel: URL: its digits, with the leading + of an international number.</summary>
    public static string? Tel(string phone)
    {
        var digits = new string([.. phone.Where(char.IsAsciiDigit)]);
        return digits.Length == 0 ? null : "tel:" + (phone.TrimStart().StartsWith('+') ? "+" : "") + digits;
    }

    /// <summary>"About this program": what it is (program.yaml's about, else its summary), who offers it and its version.</summary>
    public static ScriptObject AboutModel(PageContext p) => WebRenderer.Obj(
        ("about", Paragraphs(p.T(p.Graph.About ?? p.Graph.Summary))), ("summary", p.Graph.About is null ? null : p.T(p.Graph.Summary)),
        ("approval_by", p.Graph.Approval?.By), ("approval_on", p.Graph.Approval?.On?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// "Privacy: your answers": program.yaml's privacy text; without one, the theme's words for what this web
    /// bundle does itself (answers only in this browser, sent nowhere), marked as general.
    /// </summary>
    public static ScriptObject PrivacyModel(PageContext p) => WebRenderer.Obj(
        ("privacy", p.Graph.Privacy is null ? null : Paragraphs(p.T(p.Graph.Privacy))),
        ("general", Paragraphs(p.S("privacy-default"))));

    /// <summary>A text's paragraphs (blank-line separated) for the template to write each as a &lt;p&gt;.</summary>
    private static List<string> Paragraphs(string text) =>
        [.. text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

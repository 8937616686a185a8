using ContentEngine.Model;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Rendering.Directives;

/// <summary>A safety message: set apart with a warning sign; said in audio even inside an <c>::: if</c>.</summary>
public sealed class SafetyRenderer() : DirectiveRenderer("safety")
{
    public override void Html(DirectiveBlock d, DirectiveHtml html)
    {
        var page = html.Page;
        html.Out.Append($"<aside class=\"ce-safety\" aria-label=\"{Web.Html.Attr(page.S("safety"))}\"><p class=\"ce-callout-title\"><span aria-hidden=\"true\">⚠</span> {Web.Html.Text(d.Attributes.GetValueOrDefault("title") ?? page.S("safety"))}</p>\n");
        html.Out.Append(html.Children(d)).Append("</aside>\n");
    }

    public override void Speak(DirectiveBlock d, IDirectiveSpeech speech) => CalloutRenderer.SayTitled(d, speech);
}

using ContentEngine.Model;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Rendering.Directives;

/// <summary>A video: a player with captions on the web, its captions as text on paper, nothing in audio (its text describes the film).</summary>
public sealed class VideoRenderer() : DirectiveRenderer("video")
{
    public override void Html(DirectiveBlock d, DirectiveHtml html)
    {
        var page = html.Page;
        var title = d.Attributes.GetValueOrDefault("title");
        var sb = html.Out;
        if (page.Medium == OutputMedium.Print)
        {
            var name = title ?? page.S("video");
            sb.Append($"<figure class=\"ce-print-media\"><figcaption><span class=\"ce-kind\">{Web.Html.Text(page.S("video"))}</span> {Web.Html.Text(name)}</figcaption>\n");
            sb.Append($"<p class=\"ce-print-listen\">{Web.Html.Text(string.Format(page.S("print-watch"), name))}</p>\n");
            if (page.Graph.Assets.FirstOrDefault(a => a.Path == d.Attributes.GetValueOrDefault("captions")) is { } captions)
            {
                sb.Append($"<div class=\"ce-print-transcript\"><p class=\"ce-print-transcript-title\">{Web.Html.Text(page.S("print-transcript"))}</p>\n<p>");
                sb.Append(Web.Html.Text(CaptionText(page.Graph.Store.ReadText(captions)))).Append("</p>\n</div>\n");
            }
            sb.Append("</figure>\n");
            return;
        }
        var id = html.NextId("video");
        sb.Append($"<figure class=\"ce-video\" aria-labelledby=\"{id}\"><video controls preload=\"none\" src=\"{Web.Html.Attr(page.AssetUrl(d.Attributes["src"]))}\">");
        sb.Append($"<track kind=\"captions\" src=\"{Web.Html.Attr(page.AssetUrl(d.Attributes["captions"]))}\" srclang=\"{Web.Html.Attr(page.Locale)}\" label=\"{Web.Html.Attr(page.S("captions"))}\" default></video>\n");
        sb.Append($"<figcaption id=\"{id}\">{Web.Html.Text(title ?? page.S("video"))}</figcaption></figure>\n");
    }

    public override void Speak(DirectiveBlock d, IDirectiveSpeech speech)
    {
    }

    /// <summary>The words of WebVTT captions without the header, cue timings and cue numbers.</summary>
    private static string CaptionText(string vtt) =>
        string.Join(' ', vtt.Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("WEBVTT", StringComparison.Ordinal) && !l.Contains("-->", StringComparison.Ordinal) && !l.All(char.IsDigit)
                && !l.StartsWith("NOTE", StringComparison.Ordinal)));
}

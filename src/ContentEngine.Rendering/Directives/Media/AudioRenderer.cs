using ContentEngine.Model;
using ContentEngine.Rendering.Audio;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Rendering.Directives;

/// <summary>A recording: a player and its transcript on the web, the transcript and where to listen on paper, the recording itself in audio.</summary>
public sealed class AudioRenderer() : DirectiveRenderer("audio")
{
    public override void Html(DirectiveBlock d, DirectiveHtml html)
    {
        var page = html.Page;
        var title = d.Attributes.GetValueOrDefault("title");
        // A recording is the same file in every locale (translations keep its src): it speaks the program's default language.
        var lang = page.Locale == page.Graph.DefaultLocale ? string.Empty : $" lang=\"{Web.Html.Attr(page.Graph.DefaultLocale)}\"";
        var sb = html.Out;
        if (page.Medium == OutputMedium.Print)
        {
            // Paper cannot play: the transcript in full, and where to listen.
            var printed = page.Graph.Assets.FirstOrDefault(a => a.Path == d.Attributes.GetValueOrDefault("transcript"));
            var name = title ?? page.S("recording");
            sb.Append($"<figure class=\"ce-print-media\"><figcaption><span class=\"ce-kind\">{Web.Html.Text(page.S("recording"))}</span> {Web.Html.Text(name)}</figcaption>\n");
            sb.Append($"<p class=\"ce-print-listen\">{Web.Html.Text(string.Format(page.S("print-listen"), name))}</p>\n");
            if (printed is not null)
            {
                sb.Append($"<div class=\"ce-print-transcript\"{lang}><p class=\"ce-print-transcript-title\">{Web.Html.Text(page.S("print-transcript"))}</p>\n");
                Paragraphs(page, printed, sb);
                sb.Append("</div>\n");
            }
            sb.Append("</figure>\n");
            return;
        }
        var transcript = page.Graph.Assets.FirstOrDefault(a => a.Path == d.Attributes["transcript"]);
        var id = html.NextId("audio");
        sb.Append($"<figure class=\"ce-audio\" aria-labelledby=\"{id}\"><figcaption id=\"{id}\">{Web.Html.Text(title ?? page.S("recording"))}</figcaption>\n");
        sb.Append($"<audio controls preload=\"none\" src=\"{Web.Html.Attr(page.AssetUrl(d.Attributes["src"]))}\"></audio>\n");
        if (transcript is not null)
        {
            sb.Append($"<details class=\"ce-transcript\"><summary>{Web.Html.Text(page.S("transcript"))}</summary>\n<div{lang}>");
            Paragraphs(page, transcript, sb);
            sb.Append("</div></details>\n");
        }
        sb.Append("</figure>\n");
    }

    private static void Paragraphs(PageContext page, Asset transcript, System.Text.StringBuilder sb)
    {
        foreach (var paragraph in page.Graph.Store.ReadText(transcript).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            sb.Append("<p>").Append(Web.Html.Text(paragraph)).Append("</p>\n");
    }

    public override void Speak(DirectiveBlock d, IDirectiveSpeech speech)
    {
        var label = d.Attributes.GetValueOrDefault("title");
        if (!string.IsNullOrWhiteSpace(label)) speech.Say(SpokenScript.Sentence(label));
        speech.Walk(d.Children);
        var graph = speech.Graph;
        var recording = graph.Assets.FirstOrDefault(a => a.Path == d.Attributes.GetValueOrDefault("src"));
        if (recording is null) return;
        var transcriptAsset = graph.Assets.FirstOrDefault(a => a.Path == d.Attributes.GetValueOrDefault("transcript"));
        speech.Recording(recording, transcriptAsset is null ? string.Empty : graph.Store.ReadText(transcriptAsset).Trim(), label);
    }
}

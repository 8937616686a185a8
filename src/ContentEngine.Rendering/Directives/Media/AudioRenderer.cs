using ContentEngine.Directives;
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
        // The recording speaks its lang (default: the program's default locale); its transcript is in the page's language
        // when named so (MediaLanguage), else in the recording's. A recording in another language says so.
        var spoken = MediaLanguage.Recording(d.Attributes, page.Graph.DefaultLocale);
        var foreign = !MediaLanguage.Same(spoken, page.Locale);
        var transcriptLanguage = foreign && !MediaLanguage.TranscriptIn(d.Attributes.GetValueOrDefault("transcript") ?? string.Empty, page.Locale) ? spoken : page.Locale;
        var lang = MediaLanguage.Same(transcriptLanguage, page.Locale) ? string.Empty : $" lang=\"{Web.Html.Attr(transcriptLanguage)}\"";
        var note = foreign ? $"<p class=\"ce-recorded-in\">{Web.Html.Text(RecordedIn(page.S, "recorded-in", spoken))}</p>\n" : string.Empty;
        var sb = html.Out;
        if (page.Medium == OutputMedium.Print)
        {
            // Paper cannot play: the transcript in full, and where to listen.
            var printed = page.Graph.Assets.FirstOrDefault(a => a.Path == d.Attributes.GetValueOrDefault("transcript"));
            var name = title ?? page.S("recording");
            sb.Append($"<figure class=\"ce-print-media\"><figcaption><span class=\"ce-kind\">{Web.Html.Text(page.S("recording"))}</span> {Web.Html.Text(name)}</figcaption>\n");
            sb.Append($"<p class=\"ce-print-listen\">{Web.Html.Text(string.Format(page.S("print-listen"), name))}</p>\n").Append(note);
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
        sb.Append($"<audio controls preload=\"none\" src=\"{Web.Html.Attr(page.AssetUrl(d.Attributes["src"]))}\"{(foreign ? $" lang=\"{Web.Html.Attr(spoken)}\"" : string.Empty)}></audio>\n").Append(note);
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

    /// <summary>"Recorded in Swedish", with the language's name in the page's or track's language (its code when the theme has no name for it).</summary>
    internal static string RecordedIn(Func<string, string> s, string key, string language)
    {
        var name = s("language." + language);
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, s(key), name == "language." + language ? language : name);
    }

    /// <summary>
    /// The title, the text inside, then the recording. A track in another language than the recording's speaks the
    /// transcript instead when it is in the track's language, else says in which language the recording is first.
    /// </summary>
    public override void Speak(DirectiveBlock d, IDirectiveSpeech speech)
    {
        var label = d.Attributes.GetValueOrDefault("title");
        if (!string.IsNullOrWhiteSpace(label)) speech.Say(SpokenScript.Sentence(label));
        speech.Walk(d.Children);
        var graph = speech.Graph;
        var recording = graph.Assets.FirstOrDefault(a => a.Path == d.Attributes.GetValueOrDefault("src"));
        if (recording is null) return;
        var transcriptAsset = graph.Assets.FirstOrDefault(a => a.Path == d.Attributes.GetValueOrDefault("transcript"));
        var words = transcriptAsset is null ? string.Empty : graph.Store.ReadText(transcriptAsset).Trim();
        var spoken = MediaLanguage.Recording(d.Attributes, graph.DefaultLocale);
        if (!MediaLanguage.Same(spoken, speech.Language))
        {
            if (transcriptAsset is not null && MediaLanguage.TranscriptIn(transcriptAsset.Path, speech.Language))
            {
                foreach (var paragraph in words.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) speech.Say(paragraph);
                return;
            }
            speech.Say(RecordedIn(speech.String, "recorded-in-spoken", spoken));
        }
        speech.Recording(recording, words, label, spoken);
    }
}

using System.Globalization;
using ContentEngine.Model;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Rendering.Directives;

/// <summary>
/// A pause: its words, then on paper a line that says how long; on the web also a timer that pause.js shows and runs
/// only when the reader starts it; in audio an exact silence no voice reads.
/// </summary>
public sealed class PauseRenderer() : DirectiveRenderer("pause")
{
    public override void Html(DirectiveBlock d, DirectiveHtml html)
    {
        var page = html.Page;
        var sb = html.Out;
        var seconds = int.Parse(d.Attributes["seconds"], CultureInfo.InvariantCulture);
        string Plural(string key) => page.S(key + (seconds == 1 ? ".one" : ".other"));
        var line = string.Format(CultureInfo.InvariantCulture, Plural("pause-for"), seconds);
        var lineId = html.NextId("pause");
        sb.Append($"<div class=\"ce-timed-pause\" data-seconds=\"{seconds}\">\n").Append(html.Children(d));
        sb.Append($"<p class=\"ce-pause-line\" id=\"{lineId}\">{Web.Html.Text(line)}</p>\n");
        if (page.Medium == OutputMedium.Web)
        {
            var id = lineId + "-timer";
            sb.Append($"<div class=\"ce-pause-timer\" id=\"{id}\" role=\"group\" aria-labelledby=\"{lineId}\" hidden");
            sb.Append($" data-start-text=\"{Web.Html.Attr(page.S("pause-start"))}\" data-stop-text=\"{Web.Html.Attr(page.S("pause-stop"))}\" data-again-text=\"{Web.Html.Attr(page.S("pause-again"))}\"");
            sb.Append($" data-started-text=\"{Web.Html.Attr(string.Format(CultureInfo.InvariantCulture, Plural("pause-started"), seconds))}\"");
            sb.Append($" data-halfway-text=\"{Web.Html.Attr(page.S("pause-halfway"))}\" data-done-text=\"{Web.Html.Attr(page.S("pause-done"))}\" data-stopped-text=\"{Web.Html.Attr(page.S("pause-stopped"))}\" data-left-text=\"{Web.Html.Attr(page.S("pause-left"))}\">\n");
            sb.Append($"<button type=\"button\" class=\"ce-button ce-pause-button\">{Web.Html.Text(page.S("pause-start"))}</button>\n");
            sb.Append("<div class=\"ce-pause-bar\" aria-hidden=\"true\"><span></span></div>\n");
            sb.Append($"<p class=\"ce-pause-clock\">{seconds / 60}:{seconds % 60:00}</p>\n");
            sb.Append("<p class=\"ce-sr\" role=\"status\"></p>\n</div>\n");
        }
        sb.Append("</div>\n");
    }

    public override void Speak(DirectiveBlock d, IDirectiveSpeech speech)
    {
        if (!int.TryParse(d.Attributes.GetValueOrDefault("seconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            speech.Walk(d.Children);
            return;
        }
        // Its words, then the silence: a piece of its own, so it is exact and no voice reads it.
        speech.Walk(d.Children);
        speech.Silence(seconds, string.Format(CultureInfo.InvariantCulture, speech.String(seconds == 1 ? "audio-pause.one" : "audio-pause.other"), seconds));
    }
}

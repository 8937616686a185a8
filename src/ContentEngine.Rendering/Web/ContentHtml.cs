using System.Text;
using ContentEngine.Model;

namespace ContentEngine.Rendering.Web;

/// <summary>Renders a body's content blocks for the web: Markdown, and each directive set apart as it should be.</summary>
public sealed class ContentHtml(PageContext page)
{
    private int _ids;
    private int _headingShift = 1;

    /// <summary>Renders a whole body: its top heading level becomes h2, under the page's h1.</summary>
    public string RenderBody(IReadOnlyList<ContentBlock> blocks)
    {
        var top = TopHeadingLevel(blocks);
        _headingShift = top is { } level ? 2 - level : 1;
        return Render(blocks);
    }

    private static int? TopHeadingLevel(IEnumerable<ContentBlock> blocks)
    {
        int? top = null;
        foreach (var b in blocks)
        {
            var level = b switch
            {
                MarkdownBlock md => MarkdownHtml.TopHeadingLevel(md.Markdown),
                MarkdownWithDirectivesBlock nested => MarkdownHtml.TopHeadingLevel(nested.Markdown),
                DirectiveBlock d => TopHeadingLevel(d.Children),
                _ => null,
            };
            if (level is { } l && (top is null || l < top)) top = l;
        }
        return top;
    }

    public string Render(IEnumerable<ContentBlock> blocks)
    {
        var sb = new StringBuilder();
        foreach (var block in blocks) Render(block, sb);
        return sb.ToString();
    }

    /// <summary>The words of WebVTT captions without the header, cue timings and cue numbers.</summary>
    private static string CaptionText(string vtt) =>
        string.Join(' ', vtt.Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("WEBVTT", StringComparison.Ordinal) && !l.Contains("-->", StringComparison.Ordinal) && !l.All(char.IsDigit)
                && !l.StartsWith("NOTE", StringComparison.Ordinal)));

    private string NextId(string kind) => $"ce-{kind}-{++_ids}";

    private void Render(ContentBlock block, StringBuilder sb)
    {
        if (block is MarkdownBlock md)
        {
            sb.Append(MarkdownHtml.Render(md.Markdown, page, _headingShift));
            return;
        }
        if (block is MarkdownWithDirectivesBlock nested)
        {
            // Each directive in a list item or a quote renders as it does at the top level.
            sb.Append(MarkdownHtml.Render(nested.Markdown, page, _headingShift, (nested.Directives, d => Render([d]))));
            return;
        }
        var d = (DirectiveBlock)block;
        var title = d.Attributes.GetValueOrDefault("title");
        switch (d.Name)
        {
            case "exercise":
            {
                var id = NextId("exercise");
                var minutes = d.Attributes.TryGetValue("minutes", out var m) ? $" <span class=\"ce-minutes\">{Html.Text(string.Format(page.S("minutes-format"), m))}</span>" : string.Empty;
                sb.Append($"<section class=\"ce-exercise\" aria-labelledby=\"{id}\"><h2 id=\"{id}\" class=\"ce-directive-title\"><span class=\"ce-kind\">{Html.Text(page.S("exercise"))}</span> {Html.Text(title)}{minutes}</h2>\n");
                sb.Append(Render(d.Children)).Append("</section>\n");
                break;
            }
            case "note" or "tip" or "warning":
                sb.Append($"<aside class=\"ce-callout ce-{d.Name}\" aria-label=\"{Html.Attr(page.S(d.Name))}\"><p class=\"ce-callout-title\">{Html.Text(title ?? page.S(d.Name))}</p>\n");
                sb.Append(Render(d.Children)).Append("</aside>\n");
                break;
            case "safety":
                sb.Append($"<aside class=\"ce-safety\" aria-label=\"{Html.Attr(page.S("safety"))}\"><p class=\"ce-callout-title\"><span aria-hidden=\"true\">⚠</span> {Html.Text(title ?? page.S("safety"))}</p>\n");
                sb.Append(Render(d.Children)).Append("</aside>\n");
                break;
            case "worksheet" when page.Medium == OutputMedium.Print:
            {
                // On paper the worksheet is printed where it is placed, to fill in with a pen.
                var ws = page.Graph.FindWorksheet(d.Attributes["ref"])!;
                var id = NextId("worksheet");
                sb.Append($"<section class=\"ce-print-worksheet\" aria-labelledby=\"{id}\"><h3 id=\"{id}\" class=\"ce-directive-title\"><span class=\"ce-kind\">{Html.Text(page.S("worksheet"))}</span> {Html.Text(page.T(ws.Title))}</h3>\n");
                sb.Append(Render(d.Children));
                sb.Append(Print.PaperForm.Render(ws, page)).Append("</section>\n");
                break;
            }
            case "worksheet":
            {
                var ws = page.Graph.FindWorksheet(d.Attributes["ref"])!;
                sb.Append($"<section class=\"ce-worksheet-ref\" aria-label=\"{Html.Attr(page.S("worksheet"))}\">\n");
                sb.Append(Render(d.Children));
                sb.Append($"<p><a class=\"ce-button\" href=\"{Html.Attr(page.WorksheetUrl(ws.Id))}\">{Html.Text(page.S("open-worksheet"))}: {Html.Text(page.T(ws.Title))}</a></p>\n</section>\n");
                break;
            }
            case "audio" when page.Medium == OutputMedium.Print:
            {
                // Paper cannot play: the transcript in full, and where to listen.
                var transcript = page.Graph.Assets.FirstOrDefault(a => a.Path == d.Attributes.GetValueOrDefault("transcript"));
                var name = title ?? page.S("recording");
                sb.Append($"<figure class=\"ce-print-media\"><figcaption><span class=\"ce-kind\">{Html.Text(page.S("recording"))}</span> {Html.Text(name)}</figcaption>\n");
                sb.Append($"<p class=\"ce-print-listen\">{Html.Text(string.Format(page.S("print-listen"), name))}</p>\n");
                if (transcript is not null)
                {
                    var lang = page.Locale == page.Graph.DefaultLocale ? string.Empty : $" lang=\"{Html.Attr(page.Graph.DefaultLocale)}\"";
                    sb.Append($"<div class=\"ce-print-transcript\"{lang}><p class=\"ce-print-transcript-title\">{Html.Text(page.S("print-transcript"))}</p>\n");
                    foreach (var paragraph in page.Graph.Store.ReadText(transcript).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        sb.Append("<p>").Append(Html.Text(paragraph)).Append("</p>\n");
                    sb.Append("</div>\n");
                }
                sb.Append("</figure>\n");
                break;
            }
            case "video" when page.Medium == OutputMedium.Print:
            {
                var name = title ?? page.S("video");
                sb.Append($"<figure class=\"ce-print-media\"><figcaption><span class=\"ce-kind\">{Html.Text(page.S("video"))}</span> {Html.Text(name)}</figcaption>\n");
                sb.Append($"<p class=\"ce-print-listen\">{Html.Text(string.Format(page.S("print-watch"), name))}</p>\n");
                if (page.Graph.Assets.FirstOrDefault(a => a.Path == d.Attributes.GetValueOrDefault("captions")) is { } captions)
                {
                    sb.Append($"<div class=\"ce-print-transcript\"><p class=\"ce-print-transcript-title\">{Html.Text(page.S("print-transcript"))}</p>\n<p>");
                    sb.Append(Html.Text(CaptionText(page.Graph.Store.ReadText(captions)))).Append("</p>\n</div>\n");
                }
                sb.Append("</figure>\n");
                break;
            }
            case "audio":
            {
                var src = d.Attributes["src"];
                var transcript = page.Graph.Assets.FirstOrDefault(a => a.Path == d.Attributes["transcript"]);
                var id = NextId("audio");
                sb.Append($"<figure class=\"ce-audio\" aria-labelledby=\"{id}\"><figcaption id=\"{id}\">{Html.Text(title ?? page.S("recording"))}</figcaption>\n");
                // A recording is the same file in every locale (translations keep its src): it speaks the program's default language.
                var lang = page.Locale == page.Graph.DefaultLocale ? string.Empty : $" lang=\"{Html.Attr(page.Graph.DefaultLocale)}\"";
                sb.Append($"<audio controls preload=\"none\" src=\"{Html.Attr(page.AssetUrl(src))}\"></audio>\n");
                if (transcript is not null)
                {
                    sb.Append($"<details class=\"ce-transcript\"><summary>{Html.Text(page.S("transcript"))}</summary>\n<div{lang}>");
                    foreach (var paragraph in page.Graph.Store.ReadText(transcript).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        sb.Append("<p>").Append(Html.Text(paragraph)).Append("</p>\n");
                    sb.Append("</div></details>\n");
                }
                sb.Append("</figure>\n");
                break;
            }
            case "video":
            {
                var id = NextId("video");
                sb.Append($"<figure class=\"ce-video\" aria-labelledby=\"{id}\"><video controls preload=\"none\" src=\"{Html.Attr(page.AssetUrl(d.Attributes["src"]))}\">");
                sb.Append($"<track kind=\"captions\" src=\"{Html.Attr(page.AssetUrl(d.Attributes["captions"]))}\" srclang=\"{Html.Attr(page.Locale)}\" label=\"{Html.Attr(page.S("captions"))}\" default></video>\n");
                sb.Append($"<figcaption id=\"{id}\">{Html.Text(title ?? page.S("video"))}</figcaption></figure>\n");
                break;
            }
            case "pause":
            {
                // The words to say, then the pause: on paper a line that says how long; on the web also a timer that
                // pause.js shows and runs only when the reader starts it.
                var seconds = int.Parse(d.Attributes["seconds"], System.Globalization.CultureInfo.InvariantCulture);
                string Plural(string key) => page.S(key + (seconds == 1 ? ".one" : ".other"));
                var line = string.Format(System.Globalization.CultureInfo.InvariantCulture, Plural("pause-for"), seconds);
                var lineId = NextId("pause");
                sb.Append($"<div class=\"ce-timed-pause\" data-seconds=\"{seconds}\">\n").Append(Render(d.Children));
                sb.Append($"<p class=\"ce-pause-line\" id=\"{lineId}\">{Html.Text(line)}</p>\n");
                if (page.Medium == OutputMedium.Web)
                {
                    var id = lineId + "-timer";
                    sb.Append($"<div class=\"ce-pause-timer\" id=\"{id}\" role=\"group\" aria-labelledby=\"{lineId}\" hidden");
                    sb.Append($" data-start-text=\"{Html.Attr(page.S("pause-start"))}\" data-stop-text=\"{Html.Attr(page.S("pause-stop"))}\" data-again-text=\"{Html.Attr(page.S("pause-again"))}\"");
                    sb.Append($" data-started-text=\"{Html.Attr(string.Format(System.Globalization.CultureInfo.InvariantCulture, Plural("pause-started"), seconds))}\"");
                    sb.Append($" data-halfway-text=\"{Html.Attr(page.S("pause-halfway"))}\" data-done-text=\"{Html.Attr(page.S("pause-done"))}\" data-stopped-text=\"{Html.Attr(page.S("pause-stopped"))}\" data-left-text=\"{Html.Attr(page.S("pause-left"))}\">\n");
                    sb.Append($"<button type=\"button\" class=\"ce-button ce-pause-button\">{Html.Text(page.S("pause-start"))}</button>\n");
                    sb.Append("<div class=\"ce-pause-bar\" aria-hidden=\"true\"><span></span></div>\n");
                    sb.Append($"<p class=\"ce-pause-clock\">{seconds / 60}:{seconds % 60:00}</p>\n");
                    sb.Append("<p class=\"ce-sr\" role=\"status\"></p>\n</div>\n");
                }
                sb.Append("</div>\n");
                break;
            }
            case "narration":
                break;
            case "only":
                if (d.Attributes.GetValueOrDefault("formats", string.Empty).Split(' ').Contains(page.Medium == OutputMedium.Print ? "print" : "web")) sb.Append(Render(d.Children));
                break;
            case "if" when page.Medium == OutputMedium.Print:
                // Paper cannot know the answers: the condition in words, then what it shows.
                sb.Append($"<div class=\"ce-print-if\"><p class=\"ce-print-condition\">{Html.Text(Print.ConditionWords.Describe(d.Condition!, page))}</p>\n");
                sb.Append(Render(d.Children)).Append("</div>\n");
                break;
            case "if":
                sb.Append($"<div class=\"ce-if\" data-condition=\"{Html.Attr(WebRenderer.TreeJson(d.Condition!))}\" hidden>\n");
                sb.Append(Render(d.Children)).Append("</div>\n");
                break;
            default:
                sb.Append(Render(d.Children));
                break;
        }
    }
}

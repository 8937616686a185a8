using ContentEngine.Model;
using ContentEngine.Rendering.Audio;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Rendering.Directives;

/// <summary>A placed worksheet: a button to open it on the web, the form itself on paper, its title in audio.</summary>
public sealed class WorksheetRenderer() : DirectiveRenderer("worksheet")
{
    public override void Html(DirectiveBlock d, DirectiveHtml html)
    {
        var page = html.Page;
        var ws = page.Graph.FindWorksheet(d.Attributes["ref"])!;
        if (page.Medium == OutputMedium.Print)
        {
            // On paper the worksheet is printed where it is placed, to fill in with a pen.
            var id = html.NextId("worksheet");
            html.Out.Append($"<section class=\"ce-print-worksheet\" aria-labelledby=\"{id}\"><h3 id=\"{id}\" class=\"ce-directive-title\"><span class=\"ce-kind\">{Web.Html.Text(page.S("worksheet"))}</span> {Web.Html.Text(page.T(ws.Title))}</h3>\n");
            html.Out.Append(html.Children(d));
            html.Out.Append(Print.PaperForm.Render(ws, page)).Append("</section>\n");
            return;
        }
        html.Out.Append($"<section class=\"ce-worksheet-ref\" aria-label=\"{Web.Html.Attr(page.S("worksheet"))}\">\n");
        html.Out.Append(html.Children(d));
        html.Out.Append($"<p><a class=\"ce-button\" href=\"{Web.Html.Attr(page.WorksheetUrl(ws.Id))}\">{Web.Html.Text(page.S("open-worksheet"))}: {Web.Html.Text(page.T(ws.Title))}</a></p>\n</section>\n");
    }

    public override void Speak(DirectiveBlock d, IDirectiveSpeech speech)
    {
        if (d.Attributes.TryGetValue("ref", out var id) && speech.Graph.FindWorksheet(id) is { } worksheet)
            speech.Say(SpokenScript.Sentence(worksheet.Title.Get(speech.Language, speech.Graph.DefaultLocale)));
        speech.Walk(d.Children);
    }
}

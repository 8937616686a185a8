using ContentEngine.Model;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Rendering.Directives;

/// <summary>
/// Content under a condition: hidden on the web until the patient's answers show it, the condition in words on paper,
/// an item with enableWhen in a questionnaire. A track is one file for every patient, so audio says only the safety
/// messages inside it (hearing one meant for others is harmless; missing one is not).
/// </summary>
public sealed class IfRenderer() : DirectiveRenderer("if")
{
    public override void Html(DirectiveBlock d, DirectiveHtml html)
    {
        if (html.Page.Medium == OutputMedium.Print)
        {
            // Paper cannot know the answers: the condition in words, then what it shows.
            html.Out.Append($"<div class=\"ce-print-if\"><p class=\"ce-print-condition\">{Web.Html.Text(Print.ConditionWords.Describe(d.Condition!, html.Page))}</p>\n");
            html.Out.Append(html.Children(d)).Append("</div>\n");
            return;
        }
        var id = html.Page.BlockIds.TryGetValue(d, out var blockId) ? $" data-ce-id=\"{blockId}\"" : "";
        html.Out.Append($"<div class=\"ce-if\"{id} data-condition=\"{Web.Html.Attr(WebRenderer.TreeJson(d.Condition!))}\" hidden>\n");
        html.Out.Append(html.Children(d)).Append("</div>\n");
    }

    public override void Speak(DirectiveBlock d, IDirectiveSpeech speech) => speech.Walk(d.Children, safetyOnly: true);

    public override void Fhir(DirectiveBlock d, IDirectiveText text)
    {
        if (d.Condition is { } condition) text.Walk(d.Children, condition);
        else base.Fhir(d, text);
    }
}

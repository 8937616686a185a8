using ContentEngine.Model;
using ContentEngine.Rendering.Audio;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Rendering.Directives;

/// <summary>A note, tip or warning: an aside with its title (or the kind's name); in audio, its title, then its text.</summary>
public sealed class CalloutRenderer(string name) : DirectiveRenderer(name)
{
    public override void Html(DirectiveBlock d, DirectiveHtml html)
    {
        var page = html.Page;
        html.Out.Append($"<aside class=\"ce-callout ce-{d.Name}\" aria-label=\"{Web.Html.Attr(page.S(d.Name))}\"><p class=\"ce-callout-title\">{Web.Html.Text(d.Attributes.GetValueOrDefault("title") ?? page.S(d.Name))}</p>\n");
        html.Out.Append(html.Children(d)).Append("</aside>\n");
    }

    public override void Speak(DirectiveBlock d, IDirectiveSpeech speech) => SayTitled(d, speech);

    /// <summary>The title when there is one, then the children.</summary>
    internal static void SayTitled(DirectiveBlock d, IDirectiveSpeech speech)
    {
        if (d.Attributes.GetValueOrDefault("title") is { } label && !string.IsNullOrWhiteSpace(label)) speech.Say(SpokenScript.Sentence(label));
        speech.Walk(d.Children);
    }
}

using ContentEngine.Model;

namespace ContentEngine.Rendering.Directives;

/// <summary>Narration: words for listeners only, so nothing on the web, on paper or in a questionnaire.</summary>
public sealed class NarrationRenderer() : DirectiveRenderer("narration")
{
    public override bool OnWeb(DirectiveBlock d) => false;

    public override void Html(DirectiveBlock d, DirectiveHtml html)
    {
    }

    public override void Fhir(DirectiveBlock d, IDirectiveText text)
    {
    }
}

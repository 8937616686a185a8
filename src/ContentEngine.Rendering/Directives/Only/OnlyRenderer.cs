using ContentEngine.Model;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Rendering.Directives;

/// <summary>Content for some formats: rendered where its formats name the medium (a questionnaire is read as the web).</summary>
public sealed class OnlyRenderer() : DirectiveRenderer("only")
{
    public override void Html(DirectiveBlock d, DirectiveHtml html)
    {
        if (d.Attributes.GetValueOrDefault("formats", string.Empty).Split(' ').Contains(html.Page.Medium == OutputMedium.Print ? "print" : "web"))
            html.Out.Append(html.Children(d));
    }

    public override bool OnWeb(DirectiveBlock d) => Formats(d).Contains("web", StringComparer.Ordinal);

    public override void Speak(DirectiveBlock d, IDirectiveSpeech speech)
    {
        if (Formats(d).Contains("audio", StringComparer.Ordinal)) speech.Walk(d.Children);
    }

    public override void Fhir(DirectiveBlock d, IDirectiveText text)
    {
        if (Formats(d).Contains("web", StringComparer.Ordinal)) text.Walk(d.Children);
    }

    private static string[] Formats(DirectiveBlock d) =>
        d.Attributes.GetValueOrDefault("formats", string.Empty).Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
}

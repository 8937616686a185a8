using System.Globalization;
using ContentEngine.Model;
using ContentEngine.Rendering.Audio;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Rendering.Directives;

/// <summary>An exercise: a section with its title and minutes; in audio, a cue that opens a chapter.</summary>
public sealed class ExerciseRenderer() : DirectiveRenderer("exercise")
{
    public override void Html(DirectiveBlock d, DirectiveHtml html)
    {
        var page = html.Page;
        var id = html.NextId("exercise");
        var minutes = d.Attributes.TryGetValue("minutes", out var m) ? $" <span class=\"ce-minutes\">{Web.Html.Text(string.Format(page.S("minutes-format"), m))}</span>" : string.Empty;
        html.Out.Append($"<section class=\"ce-exercise\" aria-labelledby=\"{id}\"><h2 id=\"{id}\" class=\"ce-directive-title\"><span class=\"ce-kind\">{Web.Html.Text(page.S("exercise"))}</span> {Web.Html.Text(d.Attributes.GetValueOrDefault("title"))}{minutes}</h2>\n");
        html.Out.Append(html.Children(d)).Append("</section>\n");
    }

    public override void Speak(DirectiveBlock d, IDirectiveSpeech speech)
    {
        // A cue that an exercise starts, which opens its own chapter.
        var label = d.Attributes.GetValueOrDefault("title");
        var cue = string.IsNullOrWhiteSpace(label)
            ? speech.String("audio-exercise-untitled")
            : string.Format(CultureInfo.InvariantCulture, speech.String("audio-exercise"), SpokenScript.Collapse(label));
        speech.Chapter(cue.TrimEnd('.'));
        speech.Exercise(() =>
        {
            speech.Say(SpokenScript.Sentence(cue));
            speech.Walk(d.Children);
        });
    }
}

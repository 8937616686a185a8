using System.Text;
using ContentEngine.Model;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Rendering.Directives;

/// <summary>
/// How one directive kind renders in each medium: web and print HTML, the audio script, and the text of a FHIR
/// questionnaire. Each kind's folder holds its renderer; <see cref="DirectiveRenderers"/> registers them. A renderer is
/// given the bound directive, wherever it stood in the body (top level, list item, quote, another directive).
/// </summary>
/// <param name="name">the directive's name, as the compiler's kind has it.</param>
public abstract class DirectiveRenderer(string name)
{
    public string Name => name;

    /// <summary>Whether its content is on the web (and so in the web's search text); by default, it is.</summary>
    public virtual bool OnWeb(DirectiveBlock d) => true;

    /// <summary>Web and print HTML (<see cref="PageContext.Medium"/> tells which); by default, its children.</summary>
    public virtual void Html(DirectiveBlock d, DirectiveHtml html) => html.Out.Append(html.Children(d));

    /// <summary>The audio script; by default, its children are said.</summary>
    public virtual void Speak(DirectiveBlock d, IDirectiveSpeech speech) => speech.Walk(d.Children);

    /// <summary>The text of a FHIR questionnaire; by default, its title in bold, then its children.</summary>
    public virtual void Fhir(DirectiveBlock d, IDirectiveText text)
    {
        if (d.Attributes.TryGetValue("title", out var heading) && heading.Length > 0) text.Add($"**{heading}**");
        text.Walk(d.Children);
    }
}

/// <summary>What an HTML renderer of a directive writes to and with.</summary>
public sealed class DirectiveHtml(PageContext page, StringBuilder output, Func<IEnumerable<ContentBlock>, string> render, Func<string, string> nextId)
{
    public PageContext Page => page;
    public StringBuilder Out => output;

    /// <summary>The directive's children, rendered as the body is.</summary>
    public string Children(DirectiveBlock d) => render(d.Children);

    /// <summary>A page-unique id for an element of the directive, such as ce-exercise-1.</summary>
    public string NextId(string kind) => nextId(kind);
}

/// <summary>What an audio renderer of a directive says with.</summary>
public interface IDirectiveSpeech
{
    ProgramGraph Graph { get; }

    /// <summary>The language of the track's words.</summary>
    string Language { get; }

    /// <summary>A string of the theme in the track's language.</summary>
    string String(string key);

    /// <summary>Says a paragraph.</summary>
    void Say(string text);

    /// <summary>Starts a chapter with this title.</summary>
    void Chapter(string title);

    /// <summary>Says what <paramref name="speak"/> says at the slower pace of a guided exercise.</summary>
    void Exercise(Action speak);

    /// <summary>Says blocks; with <paramref name="safetyOnly"/>, only the safety messages among them.</summary>
    void Walk(IEnumerable<ContentBlock> blocks, bool safetyOnly = false);

    /// <summary>A silence of exactly this many seconds, marked in the transcript.</summary>
    void Silence(int seconds, string transcript);

    /// <summary>Plays a recording speaking <paramref name="language"/>; a title that differs from the chapter's opens a chapter of its own.</summary>
    void Recording(Asset recording, string transcript, string? title, string language);
}

/// <summary>What a FHIR renderer of a directive adds questionnaire text with.</summary>
public interface IDirectiveText
{
    /// <summary>Adds Markdown under the conditions in force.</summary>
    void Add(string markdown);

    /// <summary>Adds blocks under the conditions in force, and <paramref name="condition"/> when given.</summary>
    void Walk(IEnumerable<ContentBlock> blocks, Condition? condition = null);
}

/// <summary>The registration list of the renderers: one per directive kind, beside the compiler's <c>DirectiveKinds</c>.</summary>
public static class DirectiveRenderers
{
    public static IReadOnlyList<DirectiveRenderer> All { get; } =
    [
        new ExerciseRenderer(),
        new CalloutRenderer("note"),
        new CalloutRenderer("tip"),
        new CalloutRenderer("warning"),
        new SafetyRenderer(),
        new WorksheetRenderer(),
        new AudioRenderer(),
        new VideoRenderer(),
        new NarrationRenderer(),
        new OnlyRenderer(),
        new IfRenderer(),
        new PauseRenderer(),
    ];

    private static readonly Dictionary<string, DirectiveRenderer> ByName = All.ToDictionary(r => r.Name, StringComparer.Ordinal);

    /// <summary>The renderer of a directive; one that renders its children only for a name with none (a directive left out).</summary>
    public static DirectiveRenderer For(DirectiveBlock d) => ByName.GetValueOrDefault(d.Name) ?? Children.Instance;

    private sealed class Children() : DirectiveRenderer(string.Empty)
    {
        public static readonly Children Instance = new();
    }
}

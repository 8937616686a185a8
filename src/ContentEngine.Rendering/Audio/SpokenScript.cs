using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ContentEngine.Markdown;
using ContentEngine.Model;
using ContentEngine.Rendering.Directives;
using ContentEngine.Rendering.Web;
using Markdig.Extensions.Footnotes;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ContentEngine.Rendering.Audio;

/// <summary>A piece of a track; <see cref="Chapter"/> is the title of the chapter that starts with it, or null.</summary>
public abstract record ScriptSegment(string? Chapter);

/// <summary>
/// Text to be spoken in <see cref="Language"/>; paragraphs are separated by a blank line. <see cref="Exercise"/>: the
/// words of a guided exercise, spoken at program.yaml's slower <c>speech.exercise_rate</c>.
/// </summary>
public sealed record SpeechSegment(string? Chapter, string Language, string Text, bool Exercise = false) : ScriptSegment(Chapter);

/// <summary>A recording played as it is, with the words spoken in it (from its transcript file).</summary>
public sealed record RecordingSegment(string? Chapter, Asset Recording, string Transcript) : ScriptSegment(Chapter)
{
    /// <summary>The language spoken in the recording (its <c>lang</c>); null when not known.</summary>
    public string? Language { get; init; }
}

/// <summary>
/// Silence of exactly <see cref="Seconds"/>, from a <c>::: pause</c>; <see cref="Transcript"/> marks it in the track's
/// transcript, such as "[Pause: 30 seconds]".
/// </summary>
public sealed record SilenceSegment(string? Chapter, int Seconds, string Transcript) : ScriptSegment(Chapter);

/// <summary>
/// What a module's track says, in order: its title, then its body as a listener needs it. Chapters start at the title,
/// at each heading, at each exercise (and at a recording whose title differs from its heading's).
/// <list type="bullet">
/// <item>An exercise opens with a spoken cue in the track's language, "Exercise: its title" (the theme's strings
/// <c>audio-exercise</c> and <c>audio-exercise-untitled</c>), which is also its chapter's title.</item>
/// <item>A <c>::: pause</c> says its words, then is silent for its seconds.</item>
/// <item>Spoken: headings, paragraphs, lists, tables (a row at a time), quotes, exercises, callouts (note, tip,
/// warning), <c>safety</c>, <c>narration</c>, and the introduction of a placed worksheet with the worksheet's title.
/// Titles of exercises, callouts and recordings are spoken before their text.</item>
/// <item>Played: the recording of each <c>::: audio</c>, where the text places it; its transcript goes into the
/// track's transcript. A recording in another language than the track's (its <c>lang</c>) is replaced by its transcript,
/// spoken, when that is in the track's language (<c>body-scan.en.txt</c>), else announced ("The recording that follows is
/// in Swedish").</item>
/// <item>An image's alt text is spoken where the image stands: the authoring guide asks for alt text "for the audio
/// version", and the text around an image often refers to what it shows.</item>
/// <item>Left out: <c>::: only</c> blocks whose formats do not include <c>audio</c> (a <c>safety</c> inside one too:
/// the author excluded audio), videos (a listener cannot see them; their text describes the film), HTML, footnotes (their references and their text).</item>
/// <item><c>::: if</c> blocks are left out. A track is one file for every patient, so it cannot know whose answers fit
/// the condition, and a condition such as <c>pain-rating.intensity &gt;= 7</c> does not read aloud the way print
/// states it. The one exception is a <c>safety</c> message inside an <c>if</c>: it is spoken, since hearing a safety
/// message meant for others is harmless and missing one is not.</item>
/// </list>
/// </summary>
public sealed partial record SpokenScript(string Locale, string Language, string Title, ImmutableArray<ScriptSegment> Segments)
{
    /// <summary>The script of <paramref name="module"/> for the track of <paramref name="locale"/>; without a translation, the default locale's text.</summary>
    /// <param name="strings">the words of the cues (the theme's strings); null for the built-in theme's.</param>
    public static SpokenScript For(ProgramGraph graph, Module module, string locale, UiStrings? strings = null)
    {
        var content = module.Content.TryGetValue(locale, out var c) ? c : module.Content[graph.DefaultLocale];
        var language = content.Locale;
        var title = module.Title.Get(language, graph.DefaultLocale);
        var builder = new Builder(graph, language, title, strings ?? AudioStrings.BuiltIn);
        builder.Begin();
        builder.Walk(content.Blocks, safetyOnly: false);
        return new SpokenScript(locale, language, title, builder.Finish());
    }

    /// <summary>The words of the track as plain text: a paragraph per spoken paragraph, and each recording's transcript.</summary>
    public string Transcript()
    {
        var parts = new List<string>();
        foreach (var segment in Segments)
        {
            if (segment is SpeechSegment speech) parts.Add(speech.Text);
            else if (segment is RecordingSegment recording && recording.Transcript.Length > 0) parts.Add(recording.Transcript);
            else if (segment is SilenceSegment silence) parts.Add(silence.Transcript);
        }
        return string.Join("\n\n", parts) + "\n";
    }

    private sealed class Builder(ProgramGraph graph, string language, string title, UiStrings strings) : IDirectiveSpeech
    {
        private readonly List<ScriptSegment> _segments = [];
        private readonly List<string> _paragraphs = [];
        private string? _pendingChapter;
        private string _currentChapter = string.Empty;
        private bool _sawHeading;
        private int _exercise;

        /// <summary>The track opens with the module's title, the first chapter.</summary>
        public void Begin()
        {
            StartChapter(title);
            Say(Sentence(title));
        }

        public void Walk(IEnumerable<ContentBlock> blocks, bool safetyOnly)
        {
            foreach (var block in blocks)
            {
                if (block is MarkdownBlock md)
                {
                    if (!safetyOnly) Markdown(md.Markdown);
                    continue;
                }
                if (block is MarkdownWithDirectivesBlock nested)
                {
                    // Its directives are said where they stand in the text, as at the top level.
                    if (safetyOnly) Walk(nested.Directives, safetyOnly: true);
                    else Markdown(nested.Markdown, nested.Directives);
                    continue;
                }
                var d = (DirectiveBlock)block;
                if (safetyOnly)
                {
                    if (d.Name == "safety") Directive(d);
                    else Walk(d.Children, safetyOnly: true);
                    continue;
                }
                Directive(d);
            }
        }

        private void Directive(DirectiveBlock d) => DirectiveRenderers.For(d).Speak(d, this);

        public ProgramGraph Graph => graph;
        public string Language => language;
        public string String(string key) => strings.Get(language, key);
        public void Chapter(string title) => StartChapter(title);

        public void Exercise(Action speak)
        {
            Flush();
            _exercise++;
            try
            {
                speak();
                Flush();
            }
            finally
            {
                _exercise--;
            }
        }

        void IDirectiveSpeech.Walk(IEnumerable<ContentBlock> blocks, bool safetyOnly) => Walk(blocks, safetyOnly);

        public void Silence(int seconds, string transcript)
        {
            Flush();
            var chapter = _pendingChapter;
            _pendingChapter = null;
            _segments.Add(new SilenceSegment(chapter, seconds, transcript));
        }

        public void Recording(Asset recording, string transcript, string? title, string language)
        {
            Flush();
            var chapter = _pendingChapter;
            if (chapter is null && !string.IsNullOrWhiteSpace(title) && !Same(title, _currentChapter)) chapter = title.Trim();
            _pendingChapter = null;
            if (chapter is not null) _currentChapter = chapter;
            _segments.Add(new RecordingSegment(chapter, recording, transcript) { Language = language });
        }

        /// <summary>The bound directives nested in the Markdown being said, in the order they stand in it.</summary>
        private Queue<DirectiveBlock>? _nested;

        private void Markdown(string markdown, IEnumerable<DirectiveBlock>? nested = null)
        {
            var outer = _nested;
            _nested = nested is null ? null : new Queue<DirectiveBlock>(nested);
            MarkdownBlocks(markdown);
            _nested = outer;
        }

        private void MarkdownBlocks(string markdown)
        {
            var document = Markdig.Markdown.Parse(markdown, ContentPipeline.Instance);
            // The compiler splits directives out of the Markdown, so a chunk should hold none. One that does repeats
            // the body from its start (the compiler slices a trailing footnote group from the top of the file): what
            // comes up to its last directive is already in the blocks before it.
            var blocks = document.ToList();
            var last = blocks.FindLastIndex(b => b is Markdig.Extensions.CustomContainers.CustomContainer);
            foreach (var block in blocks.Skip(last + 1)) Block(block);
        }

        private void Block(Block block)
        {
            switch (block)
            {
                case ContentEngine.Directives.DirectiveNode when _nested is not null:
                    if (_nested.TryDequeue(out var directive)) Directive(directive);
                    break;
                case HeadingBlock heading:
                {
                    var text = InlineText(heading.Inline);
                    if (text.Length == 0) break;
                    // The body's first heading usually repeats the module's title, which the track has just said.
                    var repeatsTitle = !_sawHeading && Same(text, title);
                    _sawHeading = true;
                    if (repeatsTitle) break;
                    StartChapter(text);
                    Say(Sentence(text));
                    break;
                }
                case ParagraphBlock paragraph:
                    Say(InlineText(paragraph.Inline));
                    break;
                case ListBlock list:
                {
                    var number = list.IsOrdered && int.TryParse(list.OrderedStart, out var start) ? start : 1;
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var first = true;
                        foreach (var child in item)
                        {
                            if (first && child is ParagraphBlock p)
                            {
                                var text = Sentence(InlineText(p.Inline));
                                Say(list.IsOrdered ? $"{number}. {text}" : text);
                            }
                            else
                            {
                                Block(child);
                            }
                            first = false;
                        }
                        number++;
                    }
                    break;
                }
                case Table table:
                    foreach (var row in table.OfType<TableRow>())
                    {
                        // A row as "first cell: the others", which reads as a label and what goes with it.
                        var cells = row.OfType<TableCell>().Select(cell => string.Join(" ", cell.OfType<LeafBlock>().Select(l => InlineText(l.Inline)))).Where(s => s.Length > 0).ToList();
                        if (cells.Count > 0) Say(Sentence(cells.Count == 1 ? cells[0] : cells[0].TrimEnd(':') + ": " + string.Join(", ", cells.Skip(1))));
                    }
                    break;
                case FootnoteGroup or HtmlBlock or ThematicBreakBlock or LinkReferenceDefinitionGroup:
                    break;
                case CodeBlock code:
                    Say(code.Lines.ToString());
                    break;
                case ContainerBlock container:
                    foreach (var child in container) Block(child);
                    break;
                case LeafBlock leaf:
                    Say(InlineText(leaf.Inline));
                    break;
            }
        }

        private static string InlineText(ContainerInline? inline)
        {
            if (inline is null) return string.Empty;
            var sb = new StringBuilder();
            Append(inline, sb);
            return Collapse(sb.ToString());
        }

        private static void Append(ContainerInline container, StringBuilder sb)
        {
            for (var inline = container.FirstChild; inline is not null; inline = inline.NextSibling)
            {
                switch (inline)
                {
                    case LiteralInline literal:
                        sb.Append(literal.Content.ToString());
                        break;
                    case CodeInline code:
                        sb.Append(code.Content);
                        break;
                    case LineBreakInline:
                        sb.Append(' ');
                        break;
                    case HtmlEntityInline entity:
                        sb.Append(entity.Transcoded.ToString());
                        break;
                    case AutolinkInline auto:
                        sb.Append(auto.IsEmail && auto.Url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? auto.Url[7..] : auto.Url);
                        break;
                    case FootnoteLink or HtmlInline:
                        break;
                    case LinkInline { IsImage: true } image:
                        // Alt text, set apart from the text around it.
                        var alt = new StringBuilder();
                        Append(image, alt);
                        var description = Collapse(alt.ToString());
                        if (description.Length > 0) sb.Append(' ').Append(Sentence(description)).Append(' ');
                        break;
                    case ContainerInline nested:
                        Append(nested, sb);
                        break;
                }
            }
        }

        private void StartChapter(string chapter)
        {
            Flush();
            _pendingChapter = chapter;
            _currentChapter = chapter;
        }

        public void Say(string text)
        {
            // A footnote reference whose definition is in another chunk stays as text, such as "[^who]".
            text = Collapse(FootnoteReference().Replace(text, string.Empty));
            if (text.Length > 0) _paragraphs.Add(text);
        }

        private void Flush()
        {
            if (_paragraphs.Count == 0) return;
            _segments.Add(new SpeechSegment(_pendingChapter, language, string.Join("\n\n", _paragraphs), _exercise > 0));
            _pendingChapter = null;
            _paragraphs.Clear();
        }

        public ImmutableArray<ScriptSegment> Finish()
        {
            Flush();
            return [.. _segments];
        }
    }

    /// <summary>Whitespace, line breaks included, as single spaces.</summary>
    internal static string Collapse(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>A title or list item ended like a sentence, so the voice closes it and pauses.</summary>
    internal static string Sentence(string text)
    {
        text = Collapse(text);
        return text.Length > 0 && char.IsLetterOrDigit(text[^1]) ? text + "." : text;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\[\^[^\]\s]+\]")]
    private static partial System.Text.RegularExpressions.Regex FootnoteReference();

    private static bool Same(string a, string b) =>
        string.Equals(Collapse(a).TrimEnd('.', ':', '!', '?'), Collapse(b).TrimEnd('.', ':', '!', '?'), StringComparison.OrdinalIgnoreCase);
}

using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Audio;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Tests;

/// <summary>
/// A <c>::: pause</c> as each output reads it from the graph, without running any tool: the script's silence and its
/// mark in the transcript, the web's timer and the printed line; and the pauses espeak-ng is asked for between
/// sentences and paragraphs.
/// </summary>
public sealed class PauseDirectiveTests : IDisposable
{
    private readonly TestPaths.TempFolder _program = new();

    private ProgramGraph Compile(string body)
    {
        _program.File("program.yaml", """
            id: pause-unit
            version: 1.0.0
            title: Calm
            locales: [en]
            guidance: self
            release: weekly
            phases:
              - id: treatment
                title: Treatment
                weeks: 2
            """);
        _program.File("modules/calm.md", "---\nid: calm\ntitle: Calm\nphase: treatment\nweek: 1\n---\n\n" + body);
        var result = ProgramCompiler.Compile(_program.Path);
        return result.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics));
    }

    private const string Body = """
        Sit down.

        :::: exercise {title="One breath"}
        ::: pause {seconds=1}
        Breathe in.
        :::

        ::: pause {seconds=45}
        :::
        ::::
        """;

    [Fact]
    public void TheScriptSaysThePauseWordsThenHasItsSilenceMarkedInTheTranscript()
    {
        var graph = Compile(Body);
        var script = SpokenScript.For(graph, graph.Modules[0], "en");
        var kinds = script.Segments.Select(s => s switch
        {
            SpeechSegment speech => "say:" + speech.Text.Replace("\n\n", " | "),
            SilenceSegment silence => $"silence:{silence.Seconds}",
            _ => "other",
        });
        Assert.Equal(["say:Calm. | Sit down.", "say:Exercise: One breath. | Breathe in.", "silence:1", "silence:45"], kinds);
        Assert.Equal("Exercise: One breath", script.Segments[1].Chapter);
        Assert.Equal("Calm.\n\nSit down.\n\nExercise: One breath.\n\nBreathe in.\n\n[Pause: 1 second]\n\n[Pause: 45 seconds]\n", script.Transcript());
    }

    [Fact]
    public void TheWebHasATimerThatWaitsAndPrintHasTheLineOnly()
    {
        var graph = Compile(Body);
        var theme = Theme.Load(_program.Path);
        var blocks = graph.Modules[0].Content["en"].Blocks;
        var web = new ContentHtml(new PageContext(graph, "en", "en/modules/calm.html", theme)).RenderBody(blocks);
        var print = new ContentHtml(new PageContext(graph, "en", "en/modules/calm.html", theme, OutputMedium.Print)).RenderBody(blocks);

        Assert.Contains("<p>Breathe in.</p>\n<p class=\"ce-pause-line\" id=\"ce-pause-2\">Pause for 1 second</p>", web);
        Assert.Contains(">Pause for 45 seconds</p>", web);
        Assert.Equal(2, CountOf(web, "<div class=\"ce-pause-timer\""));
        // Hidden until pause.js runs, so a page without scripts shows the words and the line alone.
        Assert.Contains("role=\"group\" aria-labelledby=\"ce-pause-2\" hidden", web);
        Assert.Contains("<button type=\"button\" class=\"ce-button ce-pause-button\">Start the pause</button>", web);
        Assert.Contains("<p class=\"ce-pause-clock\">0:45</p>", web);

        Assert.Contains("<p>Breathe in.</p>\n<p class=\"ce-pause-line\" id=\"ce-pause-2\">Pause for 1 second</p>", print);
        Assert.Contains(">Pause for 45 seconds</p>", print);
        Assert.DoesNotContain("ce-pause-timer", print);
        Assert.DoesNotContain("<button", print);
    }

    [Fact]
    public void SentencesAndParagraphsGetTheirBreaksAndNumbersAndAbbreviationsRunOn()
    {
        var ssml = new EspeakSpeechEngine().Ssml("Sit down. Rest your hands, e.g. on your lap! Is it 3.5 or 4? “Yes.” Fine.\n\nNext & last.");
        Assert.Equal(
            "<speak>Sit down.<break time=\"750ms\"/> Rest your hands, e.g. on your lap!<break time=\"750ms\"/> Is it 3.5 or 4?<break time=\"750ms\"/> “Yes.”<break time=\"750ms\"/> Fine.\n"
            + "<break time=\"1400ms\"/>Next &amp; last.\n</speak>\n",
            ssml);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    public void Dispose() => _program.Dispose();
}

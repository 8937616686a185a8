using System.Text;
using System.Text.RegularExpressions;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Audio;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Tests;

/// <summary>
/// Recordings per locale, on a small program in Swedish (its default) and English whose module plays a Swedish
/// recording: the compiler warns (CE0422) where the English text uses it without English words; a transcript in English
/// (<c>scan.en.txt</c>) is spoken in the English track instead, an English recording (<c>lang="en"</c>) played; left as
/// it is, the page and the track say it is recorded in Swedish. The web bundle carries the tracks and their transcripts'
/// pages.
/// </summary>
public sealed class RecordingLanguageTests : IDisposable
{
    // The graph reads its media from the folder while rendering: it lives as long as the test.
    private readonly TestPaths.TempFolder _program = new();

    public void Dispose() => _program.Dispose();

    private const string Original = """
        ---
        id: scan
        title: {sv: Kroppsskanning, en: Body scan}
        phase: treatment
        week: 1
        ---

        Lyssna på övningen.

        ::: audio {src="media/scan.mp3" transcript="media/scan.txt" title="Kroppsskanning"}
        :::
        """;

    private static string English(string attributes) => $"""
        ---
        title: Body scan
        ---

        Listen to the exercise.

        ::: audio {attributes}
        :::
        """;

    private (ProgramGraph? Graph, IReadOnlyList<Diagnostic> Diagnostics) Compile(string englishAttributes)
    {
        var program = _program;
        program.File("program.yaml", """
            id: scan-case
            version: 1.0.0
            title: {sv: Lugn, en: Calm}
            locales: [sv, en]
            guidance: self
            release: weekly
            phases:
              - id: treatment
                title: {sv: Behandling, en: Treatment}
                weeks: 2
            provider:
              name:
                sv: Kliniken
                en: The Clinic
              email: pain@example.org
            privacy:
              sv: Svaren sparas i webbläsaren.
              en: Answers stay in this browser.
            """);
        program.File("modules/scan.md", Original);
        program.File("modules/scan.en.md", English(englishAttributes));
        program.File("media/scan.txt", "Sätt dig bekvämt.\n\nAndas lugnt.\n");
        program.File("media/scan.en.txt", "Sit comfortably.\n\nBreathe calmly.\n");
        var recording = TestPaths.Repo("content", "iact-chronic-pain", "media", "body-scan.mp3");
        File.Copy(recording, Path.Combine(program.Path, "media", "scan.mp3"));
        File.Copy(recording, Path.Combine(program.Path, "media", "scan-en.mp3"));
        var result = ProgramCompiler.Compile(program.Path, new CompilerOptions { Today = new DateOnly(2026, 6, 1) });
        // Files a case leaves unused (the English transcript or recording) are not what it is about.
        return (result.Graph, [.. result.Diagnostics.Where(d => d.Id != "CE0603")]);
    }

    [Fact]
    public void TheEnglishTextOfASwedishRecordingWithoutEnglishWordsIsWarnedAboutAtItsDirective()
    {
        var (graph, diagnostics) = Compile("""{src="media/scan.mp3" transcript="media/scan.txt" title="Body scan"}""");
        var d = Assert.Single(diagnostics);
        Assert.Equal(("CE0422", DiagnosticSeverity.Warning), (d.Id, d.Severity));
        Assert.Equal("modules/scan.en.md", d.Location.Path);
        Assert.Equal((7, 5), (d.Location.Line + 1, d.Location.Column + 1));
        Assert.Contains("'media/scan.mp3' speaks 'sv'", d.Message);
        Assert.Contains("'media/scan.en.txt'", d.Message);

        // Left as it is: the English track says so before the recording, and the page shows it by the player.
        var script = SpokenScript.For(graph!, graph!.FindModule("scan")!, "en");
        var at = script.Segments.ToList().FindIndex(s => s is RecordingSegment);
        Assert.EndsWith("The recording that follows is in Swedish.", ((SpeechSegment)script.Segments[at - 1]).Text);
        Assert.Equal("sv", ((RecordingSegment)script.Segments[at]).Language);
        var page = Render(graph)["en/modules/scan.html"];
        Assert.Contains("<p class=\"ce-recorded-in\">Recorded in Swedish</p>", page);
        Assert.Contains("<div lang=\"sv\"><p>Sätt dig bekvämt.</p>", page);
        Assert.DoesNotContain("ce-recorded-in", Render(graph)["sv/modules/scan.html"]);
    }

    [Fact]
    public void AWrittenLangIsWhereTheWarningPoints()
    {
        var (_, diagnostics) = Compile("""{src="media/scan.mp3" transcript="media/scan.txt" lang="sv"}""");
        var d = Assert.Single(diagnostics);
        Assert.Equal("CE0422", d.Id);
        Assert.Equal((7, 67), (d.Location.Line + 1, d.Location.Column + 1));
        Assert.DoesNotContain("names no lang", d.Message);
    }

    [Fact]
    public void AnEnglishTranscriptIsSpokenInTheEnglishTrackAndTheSwedishTrackPlaysTheRecording()
    {
        var (graph, diagnostics) = Compile("""{src="media/scan.mp3" transcript="media/scan.en.txt" title="Body scan"}""");
        Assert.Empty(diagnostics);
        var english = SpokenScript.For(graph!, graph!.FindModule("scan")!, "en");
        Assert.DoesNotContain(english.Segments, s => s is RecordingSegment);
        Assert.Contains("Sit comfortably.\n\nBreathe calmly.", english.Transcript());
        var swedish = SpokenScript.For(graph, graph.FindModule("scan")!, "sv");
        Assert.Equal("sv", Assert.Single(swedish.Segments.OfType<RecordingSegment>()).Language);
        Assert.Contains("<div><p>Sit comfortably.</p>", Render(graph)["en/modules/scan.html"]);
    }

    [Fact]
    public void AnEnglishRecordingOfItsOwnIsNoStructuralDifferenceAndIsPlayed()
    {
        var (graph, diagnostics) = Compile("""{src="media/scan-en.mp3" transcript="media/scan.en.txt" lang="en"}""");
        Assert.Empty(diagnostics);
        var recording = Assert.Single(SpokenScript.For(graph!, graph!.FindModule("scan")!, "en").Segments.OfType<RecordingSegment>());
        Assert.Equal(("media/scan-en.mp3", "en"), (recording.Recording.Path, recording.Language));
        Assert.DoesNotContain("ce-recorded-in", Render(graph)["en/modules/scan.html"]);
    }

    [Theory]
    [InlineData("english!")]
    [InlineData("")]
    public void ALangThatIsNoLanguageCodeIsAnErrorAtItsValue(string lang)
    {
        var (_, diagnostics) = Compile("{src=\"media/scan.mp3\" transcript=\"media/scan.en.txt\" lang=\"" + lang + "\"}");
        var d = Assert.Single(diagnostics);
        Assert.Equal(("CE0408", 7), (d.Id, d.Location.Line + 1));
        Assert.Contains("not a language code", d.Message);
    }

    [Fact]
    public void TheWebBundleCarriesEachTrackAndItsTranscriptAsAPageAndItsWorkerKeepsTracksApart()
    {
        var (graph, _) = Compile("""{src="media/scan.mp3" transcript="media/scan.txt" title="Body scan"}""");
        byte[] sv = [1, 2, 3], en = [4, 5, 6];
        var audio = new WebAudio(new Dictionary<string, WebAudioTrack>
        {
            ["sv/scan"] = new(sv, [new(0, "Kroppsskanning")]),
            ["en/scan"] = new(en, [new(0, "Body scan")]),
        });
        var bundle = WebRenderer.Render(graph!, new WebOptions { Theme = Theme.BuiltIn, Audio = audio });
        Assert.Same(sv, bundle.Files["sv/audio/scan.mp3"]);
        Assert.Same(en, bundle.Files["en/audio/scan.mp3"]);
        var module = Encoding.UTF8.GetString(bundle.Files["en/modules/scan.html"]);
        Assert.Contains("src=\"../../en/audio/scan.mp3\"", module);
        Assert.Contains("href=\"../../en/transcripts/scan.html\"", module);

        var transcript = Encoding.UTF8.GetString(bundle.Files["en/transcripts/scan.html"]);
        Assert.Contains("<html lang=\"en\"", transcript);
        Assert.Contains("<meta charset=\"utf-8\">", transcript);
        Assert.Contains("<p>The recording that follows is in Swedish.</p>", transcript);
        Assert.Contains("<p lang=\"sv\">Sätt dig bekvämt.</p>", transcript);
        Assert.Contains("href=\"../../en/modules/scan.html\"", transcript);
        Assert.DoesNotContain("lang=\"sv\"", Encoding.UTF8.GetString(bundle.Files["sv/transcripts/scan.html"]).Split("<main")[1]);

        // The worker installs every file but the tracks, which it keeps as they are visited or played, by their hash.
        var worker = Encoding.UTF8.GetString(bundle.Files["sw.js"]);
        var files = Regex.Match(worker, @"var FILES = (\[.*?\]);").Groups[1].Value;
        Assert.Contains("\"en/transcripts/scan.html\"", files);
        Assert.DoesNotContain("/audio/", files);
        Assert.Matches("""var MEDIA = \{"en/audio/scan.mp3":"[0-9a-f]{16}","sv/audio/scan.mp3":"[0-9a-f]{16}"\};""", worker);

        // Without the audio bundle: no player, no track, no transcript page.
        var alone = WebRenderer.Render(graph!, new WebOptions { Theme = Theme.BuiltIn });
        Assert.DoesNotContain(alone.Files.Keys, f => f.Contains("/audio/") || f.Contains("/transcripts/"));
        Assert.DoesNotContain("ce-player", Encoding.UTF8.GetString(alone.Files["en/modules/scan.html"]));
    }

    private static Dictionary<string, string> Render(ProgramGraph graph) =>
        WebRenderer.Render(graph, new WebOptions { Theme = Theme.BuiltIn }).Files
            .Where(f => f.Key.EndsWith(".html", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => Encoding.UTF8.GetString(f.Value));
}

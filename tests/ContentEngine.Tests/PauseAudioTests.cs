using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering;
using ContentEngine.Rendering.Audio;
using Xunit.Abstractions;

namespace ContentEngine.Tests;

/// <summary>
/// A small program in two languages whose one module has an exercise with a 30-second pause, built to an audio bundle
/// once for <see cref="PauseAudioTests"/>.
/// </summary>
public sealed class PauseAudioFixture : IDisposable
{
    public const string Program = """
        id: pause-case
        version: 1.0.0
        title: {en: Calm, sv: Lugn}
        locales: [en, sv]
        guidance: self
        release: weekly
        phases:
          - id: treatment
            title: {en: Treatment, sv: Behandling}
            weeks: 2
        provider:
          name:
            en: The Clinic
            sv: Kliniken
          email: pain@example.org
        privacy:
          en: Answers stay in this browser.
          sv: Svaren sparas i webbläsaren.
        """;

    public const string ModuleEn = """
        ---
        id: breathing
        title: {en: Breathing, sv: Andning}
        phase: treatment
        week: 1
        ---

        # Breathing

        Your breath is always with you. You can use it to land in the present.

        It helps to sit comfortably. Let your hands rest in your lap.

        :::: exercise {title="Three breaths" minutes=2}
        Close your eyes if you like.

        ::: pause {seconds=30}
        Breathe in and out slowly, three times.
        :::

        Now open your eyes again.
        ::::

        ## Afterwards

        Notice how you feel.
        """;

    public const string ModuleSv = """
        ---
        title: Andning
        ---

        # Andning

        Andningen finns alltid med dig. Du kan använda den för att landa i nuet.

        Det hjälper att sitta bekvämt. Låt händerna vila i knät.

        :::: exercise {title="Tre andetag" minutes=2}
        Blunda om du vill.

        ::: pause {seconds=30}
        Andas in och ut långsamt, tre gånger.
        :::

        Öppna nu ögonen igen.
        ::::

        ## Efteråt

        Lägg märke till hur du mår.
        """;

    public PauseAudioFixture()
    {
        Source.File("program.yaml", Program);
        Source.File("modules/breathing.md", ModuleEn);
        Source.File("modules/breathing.sv.md", ModuleSv);
        var result = ProgramCompiler.Compile(Source.Path);
        Graph = result.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics));
        Bundle = AudioRenderer.Render(Graph, new AudioOptions { CacheFolder = Cache.Path, BaseUrl = "https://example.org/calm/audio" });
        Bundle.WriteTo(Output.Path);
    }

    public TestPaths.TempFolder Source { get; } = new();
    public TestPaths.TempFolder Cache { get; } = new();
    public TestPaths.TempFolder Output { get; } = new();
    public ProgramGraph Graph { get; }
    public Bundle Bundle { get; }

    public string Text(string path) => System.Text.Encoding.UTF8.GetString(Bundle.Files[path]);

    public void Dispose()
    {
        Source.Dispose();
        Cache.Dispose();
        Output.Dispose();
    }
}

/// <summary>
/// The pacing of a track, measured in the encoded MP3 with ffmpeg's silencedetect filter: a <c>::: pause</c> of 30
/// seconds is 30 seconds of silence, an exercise opens with its cue and its own chapter, and sentences and paragraphs
/// are followed by the pauses docs/authoring.md states. Needs ffmpeg and espeak-ng.
/// </summary>
[Trait("Category", "Audio")]
public sealed class PauseAudioTests(PauseAudioFixture fixture, ITestOutputHelper output) : IClassFixture<PauseAudioFixture>
{
    public static TheoryData<string, string, string> Cues => new()
    {
        { "en", "Exercise: Three breaths", "[Pause: 30 seconds]" },
        { "sv", "Övning: Tre andetag", "[Paus: 30 sekunder]" },
    };

    [Theory]
    [MemberData(nameof(Cues))]
    public async Task APauseOf30SecondsIsThirtySecondsOfSilenceInTheTrack(string locale, string cue, string _)
    {
        var silences = await AudioProbe.SilencesAsync(Path.Combine(fixture.Output.Path, locale, "breathing.mp3"), noiseDb: -60, minimumSeconds: 0.3);
        foreach (var s in silences) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{locale}: silence {s.Start:0.000}–{s.End:0.000} ({s.Duration:0.000} s)"));
        var longest = silences.MaxBy(s => s.Duration)!;
        // The pause itself, plus the voice's own quiet end of the words before it; nothing else is near as long.
        Assert.InRange(longest.Duration, 29.0, 31.5);
        Assert.All(silences.Where(s => s != longest), s => Assert.True(s.Duration < 3, $"an unexpected long silence at {s.Start} s"));

        // It comes after the exercise's chapter starts, and the words after it follow.
        var chapters = Chapters(locale);
        var exercise = chapters.Single(c => c.Title == cue);
        Assert.True(longest.Start > exercise.Start, $"the pause ({longest.Start} s) should come after the exercise's start ({exercise.Start} s)");
        var after = chapters.First(c => c.Start > exercise.Start);
        Assert.True(longest.End < after.Start, $"the pause should end before the next chapter ({after.Title}) at {after.Start} s");
    }

    [Theory]
    [MemberData(nameof(Cues))]
    public void AnExerciseOpensWithASpokenCueAndItsOwnChapter(string locale, string cue, string pause)
    {
        var chapters = Chapters(locale);
        Assert.Equal(
            locale == "en" ? ["Breathing", cue, "Afterwards"] : ["Andning", cue, "Efteråt"],
            chapters.Select(c => c.Title));
        Assert.Equal(0, chapters[0].Start);
        Assert.True(chapters[2].Start - chapters[1].Start > 30, "the exercise's chapter holds its pause");

        // The cue is the first thing said in the exercise; the transcript marks the pause where it is.
        var transcript = fixture.Text($"{locale}/breathing.txt");
        var cueAt = transcript.IndexOf(cue + ".", StringComparison.Ordinal);
        var pauseAt = transcript.IndexOf(pause, StringComparison.Ordinal);
        var eyes = transcript.IndexOf(locale == "en" ? "Close your eyes" : "Blunda", StringComparison.Ordinal);
        var breathe = transcript.IndexOf(locale == "en" ? "Breathe in and out" : "Andas in och ut", StringComparison.Ordinal);
        var open = transcript.IndexOf(locale == "en" ? "Now open your eyes" : "Öppna nu ögonen", StringComparison.Ordinal);
        Assert.True(cueAt >= 0 && cueAt < eyes && eyes < breathe && breathe < pauseAt && pauseAt < open, transcript);

        // The feed points at the chapters.
        Assert.Contains($"url=\"https://example.org/calm/audio/{locale}/breathing.chapters.json\" type=\"application/json+chapters\"", fixture.Text($"{locale}/feed.xml"));
    }

    [Fact]
    public async Task SentencesAndParagraphsAreFollowedByTheDocumentedPauses()
    {
        // The first chapter: the title, then two paragraphs of two sentences each.
        var file = Path.Combine(fixture.Output.Path, "en", "breathing.mp3");
        var chapters = Chapters("en");
        var silences = (await AudioProbe.SilencesAsync(file, noiseDb: -60, minimumSeconds: 0.3)).Where(s => s.Start < chapters[1].Start).ToList();
        foreach (var s in silences) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"silence {s.Start:0.000}–{s.End:0.000} ({s.Duration:0.000} s)"));
        // After the title and after the first paragraph: 1.4 s; after a sentence within a paragraph: 0.75 s; before the
        // exercise's chapter: the 2 s gap and the voice's quiet end. MP3 blurs the edges by some tens of milliseconds.
        var durations = silences.Select(s => s.Duration).ToList();
        Assert.Equal(2, durations.Count(d => d is > 0.6 and < 0.95));
        Assert.Equal(2, durations.Count(d => d is > 1.25 and < 1.6));
        Assert.Equal(1, durations.Count(d => d is > 2.0 and < 2.8));
        Assert.Equal(5, durations.Count);
    }

    [Fact]
    public void ThePauseIsPartOfTheCacheKey()
    {
        var module = fixture.Graph.Modules.Single();
        var script = SpokenScript.For(fixture.Graph, module, "en");
        var silence = Assert.Single(script.Segments.OfType<SilenceSegment>());
        Assert.Equal(30, silence.Seconds);
        var options = new AudioOptions { CacheFolder = fixture.Cache.Path };
        var longer = script with { Segments = [.. script.Segments.Select(s => s == silence ? silence with { Seconds = 31 } : s)] };
        Assert.NotEqual(AudioRenderer.CacheKey(script, options), AudioRenderer.CacheKey(longer, options));
    }

    [Fact]
    public async Task BuildWithWebAndAudioGivesEachModulePageThePlayerOfItsTrackAndWebAloneDoesNot()
    {
        using var output = new TestPaths.TempFolder();
        var both = Path.Combine(output.Path, "both");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await ContentEngine.Cli.CommandLine.RunAsync(["build", fixture.Source.Path, "--web", "--audio", "-o", both, "--cache", fixture.Cache.Path], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        foreach (var locale in fixture.Graph.Locales)
        {
            var page = Path.Combine(both, "web", locale, "modules", "breathing.html");
            var html = File.ReadAllText(page);
            // The track and its transcript page inside the web bundle, so that hosting web/ alone is enough.
            var links = Regex.Matches(html, @"<(?:audio[^>]*src|a[^>]*href)=""(?<url>\.\./\.\./[a-z-]+/(?:audio|transcripts)/[^""]+)""").Select(m => m.Groups["url"].Value).ToList();
            Assert.Equal([$"../../{locale}/audio/breathing.mp3", $"../../{locale}/transcripts/breathing.html"], links);
            // Relative to the page, as a browser resolves them from file://.
            foreach (var link in links)
                Assert.True(File.Exists(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, link))), link);
            var seeks = Regex.Matches(html, @"data-seek=""(?<s>[0-9.]+)""").Select(m => double.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture));
            Assert.Equal(Chapters(locale).Select(c => Math.Round(c.Start, 3)), seeks);
        }

        var webOnly = Path.Combine(output.Path, "web-only");
        code = await ContentEngine.Cli.CommandLine.RunAsync(["build", fixture.Source.Path, "--web", "-o", webOnly], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.DoesNotContain("ce-player", File.ReadAllText(Path.Combine(webOnly, "web", "en", "modules", "breathing.html")));
        Assert.False(Directory.Exists(Path.Combine(webOnly, "audio")));
    }

    private List<(double Start, string Title)> Chapters(string locale)
    {
        using var json = JsonDocument.Parse(fixture.Bundle.Files[$"{locale}/breathing.chapters.json"]);
        return [.. json.RootElement.GetProperty("chapters").EnumerateArray().Select(c => (c.GetProperty("startTime").GetDouble(), c.GetProperty("title").GetString()!))];
    }
}

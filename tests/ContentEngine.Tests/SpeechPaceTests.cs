using System.Text.Json;
using System.Text.RegularExpressions;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering;
using ContentEngine.Rendering.Audio;
using ContentEngine.Speech;
using Xunit.Abstractions;

namespace ContentEngine.Tests;

/// <summary>
/// A small program in Swedish and English, a module of theme text and a module that is one guided exercise, with
/// program.yaml's <c>speech</c> setting English faster than the default and exercises slower, built once to an audio
/// bundle with espeak-ng for <see cref="SpeechPaceTests"/>.
/// </summary>
public sealed class SpeechPaceFixture : IDisposable
{
    public const string Program = """
        id: pace-case
        version: 1.0.0
        title: {sv: Takt, en: Pace}
        locales: [sv, en]
        guidance: self
        release: weekly
        speech:
          rate: {en: 160}        # Swedish keeps the default, 150
          exercise_rate: 120
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
        """;

    public const string ThemeSv = """
        ---
        id: values
        title: {sv: Värderingar, en: Values}
        phase: treatment
        week: 1
        ---

        # Värderingar

        Smärta kan ta mycket plats i livet. Många märker att dagarna till slut handlar om att undvika det som gör ont. Det är begripligt, men det kan också göra livet mindre. I den här delen tittar vi på vad som är viktigt för dig, oavsett hur ont det gör just nu.

        Värderingar är riktningar, inte mål. Ett mål kan du bocka av, men en riktning kan du följa hela livet. Att vara en omtänksam förälder eller en nyfiken vän är exempel på värderingar. De visar vägen även de dagar då kroppen säger nej.

        Tänk på en vanlig vecka. När kände du dig mest som dig själv? Vad gjorde du då, och vem var du med? Skriv gärna ner några ord om det innan du går vidare till nästa del.
        """;

    public const string ThemeEn = """
        ---
        title: Values
        ---

        # Values

        Pain can take up a lot of room in life. Many people notice that their days end up being about avoiding what hurts. That makes sense, but it can also make life smaller. In this part we look at what matters to you, however much it hurts right now.

        Values are directions, not goals. A goal is something you can tick off, but a direction is something you can follow all your life. Being a caring parent or a curious friend are examples of values. They show the way even on the days when your body says no.

        Think of an ordinary week. When did you feel most like yourself? What were you doing then, and who were you with? You may want to write down a few words about it before you go on to the next part.
        """;

    public const string ExerciseSv = """
        ---
        id: body-scan
        title: {sv: Kroppsskanning, en: Body scan}
        phase: treatment
        week: 1
        ---

        :::: exercise {title="Kroppsskanning" minutes=5}
        Sätt dig bekvämt och låt fötterna vila mot golvet. Låt händerna vila i knät. Blunda om du vill, eller låt blicken vila på en punkt framför dig.

        Rikta uppmärksamheten mot fötterna. Lägg märke till hur de känns just nu. Kanske känner du värme eller kyla, tyngd eller lätthet. Du behöver inte ändra på något, bara märka det som finns där.

        Låt uppmärksamheten vandra upp genom benen, till magen och bröstet. Följ andningen en stund, hur den kommer och går av sig själv. Om tankarna drar iväg, för vänligt tillbaka dem till kroppen.

        När du är redo, ta ett djupare andetag och öppna ögonen igen.
        ::::
        """;

    public const string ExerciseEn = """
        ---
        title: Body scan
        ---

        :::: exercise {title="Body scan" minutes=5}
        Sit comfortably and let your feet rest on the floor. Let your hands rest in your lap. Close your eyes if you like, or let your gaze rest on a point in front of you.

        Turn your attention to your feet. Notice how they feel right now. Perhaps you feel warmth or cold, heaviness or lightness. You do not need to change anything, only notice what is there.

        Let your attention travel up through your legs, to your belly and your chest. Follow your breath for a while, how it comes and goes by itself. If your thoughts wander off, kindly bring them back to your body.

        When you are ready, take a deeper breath and open your eyes again.
        ::::
        """;

    public SpeechPaceFixture()
    {
        Source.File("program.yaml", Program);
        Source.File("modules/values.md", ThemeSv);
        Source.File("modules/values.en.md", ThemeEn);
        Source.File("modules/body-scan.md", ExerciseSv);
        Source.File("modules/body-scan.en.md", ExerciseEn);
        var result = ProgramCompiler.Compile(Source.Path);
        Graph = result.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics));
        Diagnostics = result.Diagnostics;
        Settings = result.Speech;
        Bundle = AudioRenderer.Render(Graph, new AudioOptions { CacheFolder = Cache.Path, Voice = Settings });
        Bundle.WriteTo(Output.Path);
    }

    public TestPaths.TempFolder Source { get; } = new();
    public TestPaths.TempFolder Cache { get; } = new();
    public TestPaths.TempFolder Output { get; } = new();
    public ProgramGraph Graph { get; }
    public System.Collections.Immutable.ImmutableArray<Diagnostic> Diagnostics { get; }
    public SpeechSettings Settings { get; }
    public Bundle Bundle { get; }

    public void Dispose()
    {
        Source.Dispose();
        Cache.Dispose();
        Output.Dispose();
    }
}

/// <summary>
/// The pace of each track, measured in the encoded MP3: words of its transcript per minute over the whole track
/// (pauses included) and between pauses (silences of a quarter second or more, found by ffmpeg's silencedetect, left
/// out), held to program.yaml's <c>speech</c>. Needs ffmpeg and espeak-ng.
/// </summary>
[Trait("Category", "Audio")]
public sealed partial class SpeechPaceTests(SpeechPaceFixture fixture, ITestOutputHelper output) : IClassFixture<SpeechPaceFixture>
{
    /// <summary>How far the pace between pauses may be from the rate set: espeak-ng's pace varies with the words.</summary>
    private const double Tolerance = 0.12;

    public static TheoryData<string, string, int> Tracks => new()
    {
        { "sv", "values", 150 },
        { "en", "values", 160 },
        { "sv", "body-scan", 120 },
        { "en", "body-scan", 120 },
    };

    [Fact]
    public void TheSettingsAreRead()
    {
        Assert.Empty(fixture.Diagnostics);
        Assert.Equal(150, fixture.Settings.RateFor("sv", exercise: false));
        Assert.Equal(160, fixture.Settings.RateFor("en", exercise: false));
        Assert.Equal(120, fixture.Settings.RateFor("sv", exercise: true));
        Assert.Equal(120, fixture.Settings.RateFor("en", exercise: true));
    }

    [Theory]
    [MemberData(nameof(Tracks))]
    public async Task ThePaceBetweenPausesIsTheRateSet(string locale, string module, int rate)
    {
        var pace = await PaceAsync(locale, module);
        output.WriteLine($"{locale}/{module}: {pace.Words} words in {pace.Duration:0.0} s, {pace.Silent:0.0} s of it silent: {pace.Overall:0} words a minute overall, {pace.BetweenPauses:0} between pauses (set: {rate})");
        Assert.InRange(pace.BetweenPauses, rate * (1 - Tolerance), rate * (1 + Tolerance));
        // The pauses slow the whole track down, but not to a crawl.
        Assert.InRange(pace.Overall, rate * 0.6, pace.BetweenPauses);
    }

    [Theory]
    [InlineData("sv")]
    [InlineData("en")]
    public async Task AnExerciseIsSpokenMeasurablySlowerThanThemeText(string locale)
    {
        var theme = await PaceAsync(locale, "values");
        var exercise = await PaceAsync(locale, "body-scan");
        Assert.True(exercise.BetweenPauses < theme.BetweenPauses * 0.88, $"exercise {exercise.BetweenPauses:0}, theme text {theme.BetweenPauses:0} words a minute");
    }

    [Fact]
    public void TheExerciseIsMarkedAndItsRateIsPartOfTheCacheKey()
    {
        var module = fixture.Graph.FindModule("body-scan")!;
        var script = SpokenScript.For(fixture.Graph, module, "en");
        var speech = script.Segments.OfType<SpeechSegment>().ToList();
        Assert.False(speech[0].Exercise); // the module's title
        Assert.All(speech.Skip(1), s => Assert.True(s.Exercise));
        var slower = new AudioOptions { CacheFolder = fixture.Cache.Path, Voice = fixture.Settings };
        var faster = slower with { Voice = fixture.Settings with { ExerciseRates = fixture.Settings.ExerciseRates.SetItem("en", 130) } };
        Assert.NotEqual(AudioRenderer.CacheKey(script, slower), AudioRenderer.CacheKey(script, faster));
        var themeScript = SpokenScript.For(fixture.Graph, fixture.Graph.FindModule("values")!, "en");
        Assert.Equal(AudioRenderer.CacheKey(themeScript, slower), AudioRenderer.CacheKey(themeScript, faster));
    }

    [Theory]
    [InlineData("sv", 150, 0)]
    [InlineData("en", 150, 0)]
    [InlineData("en", 125, 0)]
    [InlineData("en", 150, 40)]
    [InlineData("fi", 150, 0)]
    public void EspeakSpeedComesFromTheMeasuredPaces(string language, int rate, int gap)
    {
        var speed = EspeakRate.For(language, rate, gap);
        // espeak-ng speaks faster than its -s says, English the most; a word gap takes part of each word's time.
        Assert.InRange(speed, EspeakRate.Slowest, rate);
        if (gap > 0) Assert.True(speed > EspeakRate.For(language, rate), "a gap between words leaves less time for them");
        Assert.True(EspeakRate.For(language, rate - 25, gap) < speed);
    }

    private sealed record Pace(int Words, double Duration, double Silent)
    {
        public double Overall => Words / Duration * 60;
        public double BetweenPauses => Words / (Duration - Silent) * 60;
    }

    private async Task<Pace> PaceAsync(string locale, string module)
    {
        var words = Word().Count(System.Text.Encoding.UTF8.GetString(fixture.Bundle.Files[$"{locale}/{module}.txt"]));
        var file = Path.Combine(fixture.Output.Path, locale, module + ".mp3");
        var duration = await AudioProbe.DurationAsync(file);
        var silences = await AudioProbe.SilencesAsync(file, noiseDb: -50, minimumSeconds: 0.25);
        return new Pace(words, duration, silences.Sum(s => s.Duration));
    }

    [GeneratedRegex(@"\p{L}[\p{L}\p{N}'’-]*|\p{N}+")]
    private static partial Regex Word();
}

using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Rendering.Audio;
using ContentEngine.Rendering.Web;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// A small program built as <c>build</c> builds it with both bundles: the audio bundle in <c>audio/</c> and the web
/// bundle, which carries its tracks, in <c>web/</c> beside it.
/// </summary>
public sealed class WebWithAudioFixture : IDisposable
{
    private readonly TestPaths.TempFolder _temp = new();

    public WebWithAudioFixture()
    {
        var source = Path.Combine(_temp.Path, "program");
        Write(source, "program.yaml", """
            id: player-case
            version: 1.0.0
            title: {en: Calm, sv: Lugn}
            locales: [en, sv]
            guidance: self
            release: weekly
            phases:
              - id: treatment
                title: {en: Treatment, sv: Behandling}
                weeks: 2
            """);
        Write(source, "modules/breathing.md", """
            ---
            id: breathing
            title: {en: Breathing, sv: Andning}
            phase: treatment
            week: 1
            ---

            Your breath is always with you.

            :::: exercise {title="Three breaths"}
            ::: pause {seconds=5}
            Breathe in and out slowly.
            :::
            ::::

            ## Afterwards

            Notice how you feel.
            """);
        Write(source, "modules/breathing.sv.md", """
            ---
            title: Andning
            ---

            Andningen finns alltid med dig.

            :::: exercise {title="Tre andetag"}
            ::: pause {seconds=5}
            Andas in och ut långsamt.
            :::
            ::::

            ## Efteråt

            Lägg märke till hur du mår.
            """);
        var compiled = ProgramCompiler.Compile(source);
        var graph = compiled.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(compiled.Diagnostics));
        Theme = Theme.Load(source, graph.Theme);
        var audio = AudioRenderer.Render(graph, new AudioOptions { CacheFolder = Path.Combine(_temp.Path, "cache"), Strings = Theme.Strings });
        audio.WriteTo(Path.Combine(Output, "audio"));
        WebRenderer.Render(graph, new WebOptions { Theme = Theme, Audio = AudioRenderer.Describe(audio) }).WriteTo(Path.Combine(Output, "web"));
    }

    public Theme Theme { get; }

    /// <summary>The build's output folder, holding web/ and audio/.</summary>
    public string Output => Path.Combine(_temp.Path, "out");

    public string Url(string relative) => new Uri(Path.Combine(Output, relative)).AbsoluteUri;

    private static void Write(string folder, string relative, string text)
    {
        var full = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>
/// With the audio bundle built with it, a module page has the player of its track: the MP3 and the transcript's page,
/// both in the web bundle, by relative links that work from file://, and a button per chapter that moves the track to where it starts. Needs
/// espeak-ng and ffmpeg to build the track.
/// </summary>
[Collection("browser")]
[Trait("Category", "Audio")]
public sealed class ModulePlayerTests(BrowserFixture browser, WebWithAudioFixture fixture) : IClassFixture<WebWithAudioFixture>
{
    [Theory]
    [InlineData("en", "Exercise: Three breaths")]
    [InlineData("sv", "Övning: Tre andetag")]
    public async Task AModulePagePlaysItsTrackFromEachChapterAndLinksItsTranscript(string locale, string exercise)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(fixture.Url($"web/{locale}/modules/breathing.html"));

        var player = page.Locator(".ce-player");
        await Expect(player).ToBeVisibleAsync();
        await Expect(player.GetByRole(AriaRole.Heading)).ToHaveTextAsync(fixture.Theme.Strings.Get(locale, "player-title"));
        var audio = player.Locator("audio[controls]");
        await Expect(audio).ToHaveAttributeAsync("preload", "none");
        Assert.True(await audio.EvaluateAsync<bool>("a => a.paused"), "the track must not play by itself");

        // The MP3 (the audio bundle's bytes, inside the web bundle) and the transcript's page, from the page's own relative links.
        var mp3 = new Uri(await audio.EvaluateAsync<string>("a => a.src"));
        Assert.Equal(Path.Combine(fixture.Output, "web", locale, "audio", "breathing.mp3"), mp3.LocalPath);
        Assert.Equal(File.ReadAllBytes(Path.Combine(fixture.Output, "audio", locale, "breathing.mp3")), File.ReadAllBytes(mp3.LocalPath));
        var transcriptLink = player.GetByRole(AriaRole.Link, new() { Name = fixture.Theme.Strings.Get(locale, "player-transcript") });
        var transcript = new Uri(await transcriptLink.EvaluateAsync<string>("a => a.href"));
        Assert.Equal(Path.Combine(fixture.Output, "web", locale, "transcripts", "breathing.html"), transcript.LocalPath);
        Assert.Contains($">{exercise}</h2>", File.ReadAllText(transcript.LocalPath));

        // A button per chapter, in the order and at the times of the chapters file.
        using var chapters = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(fixture.Output, "audio", locale, "breathing.chapters.json")));
        var expected = chapters.RootElement.GetProperty("chapters").EnumerateArray()
            .Select(c => (Title: c.GetProperty("title").GetString()!, Start: c.GetProperty("startTime").GetDouble())).ToList();
        Assert.Equal(3, expected.Count);
        Assert.Equal(exercise, expected[1].Title);
        var list = player.GetByRole(AriaRole.List, new() { Name = fixture.Theme.Strings.Get(locale, "player-chapters") });
        var buttons = list.GetByRole(AriaRole.Button);
        await Expect(buttons).ToHaveCountAsync(3);
        for (var i = 0; i < 3; i++)
            await Expect(buttons.Nth(i)).ToContainTextAsync(expected[i].Title);

        // The exercise's chapter, by keyboard: the track moves there and plays.
        await buttons.Nth(1).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("s => { const a = document.querySelector('.ce-player audio'); return !a.paused && a.currentTime >= s - 0.01 && a.currentTime < s + 3; }", expected[1].Start);
        // And the last chapter with Space.
        await buttons.Nth(2).FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await page.WaitForFunctionAsync("s => { const a = document.querySelector('.ce-player audio'); return a.currentTime >= s - 0.01 && a.currentTime < s + 3; }", expected[2].Start);

        // The page's pause timer is there too; axe-core finds nothing against WCAG 2.2 AA on the page, the timer running.
        await Expect(page.Locator(".ce-pause-timer")).ToBeVisibleAsync();
        await page.Locator(".ce-pause-button").ClickAsync();
        var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
        Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Target))})")));
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the player scrolls sideways at 390 px");
        Assert.Empty(errors);
    }
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// Only the web bundle hosted, as platforms host it (web/ served over http by a plain static server on 127.0.0.1, the
/// audio bundle nowhere): every module page's player plays its track from inside the web bundle, online and, after a
/// first visit, offline from the service worker's cache, which answers the media element's Range requests with 206.
/// The transcript the player links to is a page of the site in the page's language. Needs espeak-ng and ffmpeg to build
/// the tracks (the small program of <see cref="WebWithAudioFixture"/>).
/// </summary>
[Collection("browser")]
[Trait("Category", "Audio")]
public sealed class HostedAudioTests(BrowserFixture browser, WebWithAudioFixture fixture) : IClassFixture<WebWithAudioFixture>
{
    private const string WaitControlled = "() => !!navigator.serviceWorker.controller && navigator.serviceWorker.controller.state === 'activated'";

    /// <summary>Loads the media element and waits for <c>canplay</c>; a media error fails with its code.</summary>
    private const string CanPlay = """
        a => new Promise((resolve, reject) => {
          a.addEventListener('canplay', () => resolve(a.readyState), { once: true });
          a.addEventListener('error', () => reject(new Error('media error ' + (a.error && a.error.code))), { once: true });
          a.load();
        })
        """;

    /// <summary>A part of a file fetched by the page (through its service worker when one controls it): status and Content-Range.</summary>
    private const string FetchPart = """
        async url => { const r = await fetch(url, { headers: { Range: 'bytes=100-199' } }); const b = await r.arrayBuffer(); return [String(r.status), r.headers.get('Content-Range') || '', String(b.byteLength)]; }
        """;

    private string Web => Path.Combine(fixture.Output, "web");

    private List<string> ModulePages() =>
        [.. Directory.EnumerateFiles(Web, "*.html", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Web, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f.Split('/') is [_, "modules", _]).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task WithOnlyTheWebBundleHostedEveryModulesTrackPlaysOnlineAndOfflineAfterAFirstVisit()
    {
        using var site = StaticSite.Start(Web, "/program/");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ServiceWorkers = ServiceWorkerPolicy.Allow, ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        var pages = ModulePages();
        Assert.Equal(["en/modules/breathing.html", "sv/modules/breathing.html"], pages);

        var tracks = new List<string>();
        foreach (var path in pages)
        {
            await page.GotoAsync(site.Url(path));
            await page.WaitForFunctionAsync(WaitControlled, null, new() { Timeout = 20_000 });
            var players = page.Locator("audio[src]");
            var count = await players.CountAsync();
            Assert.True(count > 0, $"{path} has no player");
            for (var i = 0; i < count; i++)
            {
                var src = await players.Nth(i).EvaluateAsync<string>("a => a.src");
                Assert.StartsWith(site.Root, src); // inside the web bundle, not ../audio/
                var whole = await context.APIRequest.GetAsync(src);
                Assert.Equal(200, whole.Status);
                Assert.Equal("audio/mpeg", whole.Headers["content-type"]);
                var size = (await whole.BodyAsync()).Length;
                // The same bytes as the audio bundle's track.
                var relative = src[site.Root.Length..];
                Assert.Equal(File.ReadAllBytes(Path.Combine(fixture.Output, "audio", relative.Replace("/audio/", "/"))), await whole.BodyAsync());
                Assert.Equal(["206", $"bytes 100-199/{size}", "100"], await page.EvaluateAsync<string[]>(FetchPart, src));
                Assert.True(await players.Nth(i).EvaluateAsync<int>(CanPlay) >= 3, $"{src} does not reach canplay");
                tracks.Add(src);
            }
        }
        Assert.Contains(site.Url("en/audio/breathing.mp3"), tracks);
        Assert.Contains(site.Url("sv/audio/breathing.mp3"), tracks);

        // Every track of the pages visited is in the worker's cache before the network goes.
        await page.WaitForFunctionAsync("""
            async urls => {
              const names = (await caches.keys()).filter(k => k.startsWith('contentengine '));
              const kept = [];
              for (const n of names) for (const r of await (await caches.open(n)).keys()) kept.push(r.url.split('?')[0]);
              return urls.every(u => kept.includes(u));
            }
            """, tracks.ToArray(), new() { Timeout = 20_000, PollingInterval = 200 });

        await context.SetOfflineAsync(true);
        foreach (var path in pages)
        {
            await page.GotoAsync(site.Url(path));
            var players = page.Locator("audio[src]");
            for (var i = 0; i < await players.CountAsync(); i++)
            {
                var src = await players.Nth(i).EvaluateAsync<string>("a => a.src");
                var size = new FileInfo(Path.Combine(Web, src[site.Root.Length..])).Length;
                Assert.Equal(["206", $"bytes 100-199/{size}", "100"], await page.EvaluateAsync<string[]>(FetchPart, src));
                Assert.True(await players.Nth(i).EvaluateAsync<int>(CanPlay) >= 3, $"{src} does not reach canplay offline");
            }
            // The transcript is a page of the site, kept offline too.
            await page.GetByRole(AriaRole.Link, new() { Name = fixture.Theme.Strings.Get(path[..2], "player-transcript") }).ClickAsync();
            await Expect(page).ToHaveURLAsync(site.Url($"{path[..2]}/transcripts/breathing.html"));
        }
        await context.SetOfflineAsync(false);
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("en", "Breathing", "Exercise: Three breaths")]
    [InlineData("sv", "Andning", "Övning: Tre andetag")]
    public async Task TheTranscriptIsAPageOfTheSiteInThePagesLanguageThatLeadsBackToTheModule(string locale, string title, string exercise)
    {
        using var site = StaticSite.Start(Web, "/program/");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(site.Url($"{locale}/modules/breathing.html"));
        await Shot(page, $"module-{locale}");
        var link = page.Locator(".ce-player").GetByRole(AriaRole.Link, new() { Name = fixture.Theme.Strings.Get(locale, "player-transcript") });
        Assert.EndsWith($"{locale}/transcripts/breathing.html", await link.EvaluateAsync<string>("a => a.href"));
        var response = await page.RunAndWaitForResponseAsync(() => link.ClickAsync(), r => r.Url.EndsWith("/transcripts/breathing.html", StringComparison.Ordinal));
        Assert.Equal(200, response.Status);
        Assert.Equal("UTF-8", await page.EvaluateAsync<string>("() => document.characterSet"));
        Assert.Matches("(?i)<meta charset=\"utf-8\">", await response.TextAsync());
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", locale);
        // The site's layout: its header and navigation; the words of the track, a section per chapter; the way back.
        await Expect(page.Locator("header nav, nav").First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(title);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = exercise })).ToBeVisibleAsync();
        await Expect(page.Locator("main p.ce-transcript-pause")).ToHaveCountAsync(1);
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the transcript scrolls sideways at 390 px");
        await Shot(page, $"transcript-{locale}");
        await page.Locator(".ce-transcript-back a").ClickAsync();
        await Expect(page).ToHaveURLAsync(site.Url($"{locale}/modules/breathing.html"));
    }

    /// <summary>Saves a screenshot where CONTENTENGINE_SCREENSHOTS points, for a person to look at; nothing otherwise.</summary>
    private static async Task Shot(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("CONTENTENGINE_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder)) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "hosted-audio-" + name + ".png"), FullPage = true });
    }
}

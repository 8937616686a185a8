using ContentEngine.Cli.Preview;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The preview marks a translated text whose source changed since it was translated (CE0505) in the
/// translation's page: a visible marker with an accessible name and the source as it is now; only
/// that text, only in that language's page, and it goes when the translation is recorded as up to date.
/// </summary>
[Collection("browser")]
public sealed class PreviewStaleTranslationTests(BrowserFixture browser)
{
    private const string Old = "desto större är avståndet.";
    private const string New = "desto större blir avståndet.";

    private static TestPaths.TempFolder ChangedSample()
    {
        var sample = TestPaths.Repo("content", "iact-chronic-pain");
        var copy = new TestPaths.TempFolder();
        foreach (var file in Directory.EnumerateFiles(sample, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy.Path, Path.GetRelativePath(sample, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var sv = Path.Combine(copy.Path, "modules", "values.md");
        File.WriteAllText(sv, File.ReadAllText(sv).Replace(Old, New, StringComparison.Ordinal));
        return copy;
    }

    private async Task<IPage> OpenAsync(PreviewServer server, string page, int width)
    {
        var tab = await browser.NewPageAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
        await tab.GotoAsync(new Uri(server.Url, page).ToString());
        await tab.WaitForFunctionAsync("() => window.__cePreview && window.__cePreview.connected === true", null, new() { Timeout = 20_000 });
        return tab;
    }

    /// <summary>Saves a screenshot where CONTENTENGINE_SCREENSHOTS points, for a person to look at; nothing otherwise.</summary>
    private static async Task ShotAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("CONTENTENGINE_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder)) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    [Fact]
    public async Task TheStaleParagraphAndOnlyItIsMarkedInTheEnglishPage()
    {
        using var program = ChangedSample();
        await using var server = await PreviewServer.StartAsync(new PreviewOptions { ProgramFolder = program.Path }, new StringWriter());
        foreach (var width in new[] { 390, 1280 })
        {
            var page = await OpenAsync(server, "en/modules/values.html", width);
            var marker = page.GetByRole(AriaRole.Note, new() { Name = "Stale translation" });
            await Expect(marker).ToHaveCountAsync(1, new() { Timeout = 10_000 });
            await Expect(marker).ToBeVisibleAsync();
            // Not colour alone: the marker says what it is, and the source as it is now is shown beside it, in Swedish.
            await Expect(marker).ToContainTextAsync("Source changed since this was translated");
            var now = marker.Locator(".ce-stale-now");
            await Expect(now).ToHaveTextAsync("Måltavlan har fyra områden. Mitten betyder att du lever helt i linje med det som är viktigt för dig inom området. Ju längre ut, desto större blir avståndet.");
            await Expect(now).ToHaveAttributeAsync("lang", "sv");
            await Expect(marker.Locator(".ce-stale-old")).ToContainTextAsync(Old);
            await Expect(marker).ToContainTextAsync("modules/values.en.md, line 29");

            // Exactly the paragraph that translates the changed one is marked, and the marker follows it.
            var marked = page.Locator("[data-ce-stale]");
            await Expect(marked).ToHaveCountAsync(1);
            await Expect(marked).ToHaveAttributeAsync("data-ce-stale", "module:values.body.7");
            Assert.Equal("P", await marked.EvaluateAsync<string>("e => e.tagName"));
            await Expect(marked).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^The Bull's-eye has four areas\\."));
            Assert.True(await marked.EvaluateAsync<bool>("e => e.nextElementSibling && e.nextElementSibling.classList.contains('ce-stale')"));
            Assert.Equal("dashed", await marked.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
            // The marker fits the narrow screen.
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"the page scrolls sideways at {width} px");
            await ShotAsync(page, $"stale-translation-{width}");
            await page.Context.CloseAsync();
        }

        // The Swedish page is the source: nothing is stale there. Nor in another English page.
        foreach (var other in new[] { "sv/modules/values.html", "en/modules/welcome.html" })
        {
            var page = await OpenAsync(server, other, 1280);
            await page.WaitForFunctionAsync("() => window.__cePreview.status !== null");
            await Expect(page.Locator(".ce-stale, [data-ce-stale]")).ToHaveCountAsync(0);
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task TheMarkerGoesWhenTheTranslationIsRecordedAndIsNeverInTheBundle()
    {
        using var program = ChangedSample();
        await using var server = await PreviewServer.StartAsync(new PreviewOptions { ProgramFolder = program.Path }, new StringWriter());
        var page = await OpenAsync(server, "en/modules/values.html", 1280);
        await Expect(page.Locator(".ce-stale")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
        // The page's own HTML, as the bundle has it, has no marker: it is the preview's script that adds it.
        Assert.True(server.Current.Files.TryGetValue("en/modules/values.html", out var html));
        Assert.DoesNotContain("ce-stale", System.Text.Encoding.UTF8.GetString(html));
        Assert.DoesNotContain(server.Current.Files, f => System.Text.Encoding.UTF8.GetString(f.Value).Contains("ce-stale", StringComparison.Ordinal));

        var code = await ContentEngine.Cli.CommandLine.RunAsync(["translate", "record", program.Path, "module:values.body.7"], new StringWriter(), new StringWriter());
        Assert.Equal(0, code);
        await Expect(page.Locator(".ce-stale, [data-ce-stale]")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await page.Context.CloseAsync();
    }
}

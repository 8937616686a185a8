using ContentEngine.Cli.Preview;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>The preview's counts in the page, for one and for many, in Swedish and English.</summary>
[Collection("browser")]
public sealed class PreviewPluralTests(BrowserFixture browser)
{
    private static TestPaths.TempFolder Program(string locale, int modules)
    {
        var t = new TestPaths.TempFolder();
        t.File("program.yaml", $"id: p\nversion: 1.0.0\ntitle: P\nlocales: [{locale}]\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n");
        for (var i = 1; i <= modules; i++)
            t.File($"modules/m{i}.md", $"---\ntitle: M{i}\nphase: main\nweek: 1\n---\nText.\n");
        return t;
    }

    private async Task<IPage> OpenAsync(PreviewServer server, string page)
    {
        var tab = await browser.NewPageAsync();
        await tab.GotoAsync(new Uri(server.Url, page).ToString());
        await tab.WaitForFunctionAsync("() => window.__cePreview && window.__cePreview.connected === true", null, new() { Timeout = 10_000 });
        return tab;
    }

    [Theory]
    [InlineData("sv", 1, "Vecka 1: 1 av 1 modul öppen, 0 rekommenderas.")]
    [InlineData("sv", 2, "Vecka 1: 2 av 2 moduler öppna, 0 rekommenderas.")]
    [InlineData("en", 1, "Week 1: 1 of 1 module open, 0 recommended.")]
    [InlineData("en", 2, "Week 1: 2 of 2 modules open, 0 recommended.")]
    public async Task ThePanelCountsModulesInTheRightForm(string locale, int modules, string expected)
    {
        using var program = Program(locale, modules);
        await using var server = await PreviewServer.StartAsync(new PreviewOptions { ProgramFolder = program.Path }, new StringWriter());
        var page = await OpenAsync(server, $"{locale}/index.html");
        await page.ClickAsync("#ce-preview-toggle");
        await Expect(page.Locator("#ce-preview-summary")).ToHaveTextAsync(expected);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheOverlayCountsOneErrorAndMore()
    {
        using var program = Program("en", 2);
        await using var server = await PreviewServer.StartAsync(new PreviewOptions { ProgramFolder = program.Path }, new StringWriter());
        var page = await OpenAsync(server, "en/index.html");
        var heading = page.Locator("#ce-preview-overlay h2");

        program.File("modules/m1.md", "---\ntitle: M1\nphase: main\nweek: 1\nrequires: [m9]\n---\nText.\n");
        await Expect(heading).ToHaveTextAsync("1 error in the program", new() { Timeout = 10_000 });
        program.File("modules/m2.md", "---\ntitle: M2\nphase: main\nweek: 1\nrequires: [m8]\n---\nText.\n");
        await Expect(heading).ToHaveTextAsync("2 errors in the program", new() { Timeout = 10_000 });
        await page.Context.CloseAsync();
    }
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The frame around every page, as a patient on a phone meets it: the root page that asks for the
/// language and remembers it, a slim header, no language switch for one language, the text-size
/// control, and the program's own colours on light and dark pages.
/// </summary>
[Collection("browser")]
public sealed class ShellTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    private static readonly BrowserNewContextOptions Phone = new() { ViewportSize = new ViewportSize { Width = 390, Height = 844 } };

    [Fact]
    public async Task TheRootPageIsTitledByTheProgramAndRemembersTheLanguageChosen()
    {
        await using var tab = await BundleTab.OpenAsync(browser, bundle, Phone);
        var page = tab.Page;
        await page.GotoAsync(bundle.Url("index.html"));
        await tab.WaitReadyAsync();
        var title = bundle.Graph.Title;
        Assert.Contains(title.Get("sv", "sv"), await page.TitleAsync(), StringComparison.Ordinal);
        Assert.Contains(title.Get("en", "sv"), await page.TitleAsync(), StringComparison.Ordinal);
        await Expect(page.Locator("main h1")).ToHaveTextAsync(title.Get(bundle.DefaultLocale, bundle.DefaultLocale));
        await Expect(page.Locator(".ce-front-logo")).ToHaveAttributeAsync("alt", bundle.Graph.Identity!.LogoAlt!.Get(bundle.DefaultLocale, bundle.DefaultLocale));
        foreach (var locale in bundle.Locales)
            await Expect(page.Locator($"[data-locale-chooser] li[lang={locale}] a[hreflang={locale}]")).ToHaveTextAsync(bundle.S(locale, "language-name"));

        // The patient chooses English; the next visit to the root goes straight there.
        await page.Locator("a[data-choose-locale=en]").ClickAsync();
        await tab.ArriveAtAsync("en/index.html");
        await page.GotoAsync(bundle.Url("index.html"));
        await tab.ArriveAtAsync("en/index.html");

        // Switching language in a page's header changes what the root remembers.
        await page.Locator(".ce-languages a[hreflang=sv]").ClickAsync();
        await tab.ArriveAtAsync("sv/index.html");
        await page.GotoAsync(bundle.Url("index.html"));
        await tab.ArriveAtAsync("sv/index.html");
        tab.AssertClean();
    }

    [Theory]
    [InlineData("sv")]
    [InlineData("en")]
    public async Task ThePhoneHeaderTakesUnderFifteenPercentOfTheScreenOnEveryPageType(string locale)
    {
        await using var tab = await BundleTab.OpenAsync(browser, bundle, Phone);
        foreach (var (kind, path) in bundle.PageTypes(locale))
        {
            var page = await tab.GotoAsync(path);
            var height = await page.EvaluateAsync<double>("() => document.querySelector('.ce-header').getBoundingClientRect().height");
            Assert.True(height < 0.15 * 844, $"the header of the {kind} page {path} is {height} px high, over 15% of 844 px");
            Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, $"the {kind} page {path} scrolls sideways at 390 px");
        }
        tab.AssertClean();
    }

    [Fact]
    public async Task TheTextSizeControlEnlargesTheTextAndIsRemembered()
    {
        await using var tab = await BundleTab.OpenAsync(browser, bundle, Phone);
        var page = await tab.GotoAsync("en/modules/values.html");
        const string size = "() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)";
        var before = await page.EvaluateAsync<double>(size);
        var larger = page.Locator("button[data-text-size='1']");
        await Expect(larger).ToHaveAccessibleNameAsync(bundle.S("en", "text-larger"));
        await Expect(page.Locator("button[data-text-size='-1']")).ToHaveAttributeAsync("aria-disabled", "true");
        await larger.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Enter");
        var after = await page.EvaluateAsync<double>(size);
        Assert.True(after >= before * 1.25, $"two steps up made the text {after} px from {before} px");
        await Expect(page.Locator("[data-text-size-status]")).ToHaveTextAsync(bundle.S("en", "text-size-is").Replace("{0}", "130"));
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "larger text scrolls sideways");

        // Another page, later: the same size, from the first paint.
        page = await tab.GotoAsync("sv/index.html");
        const string root = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)";
        Assert.Equal(16 * 1.3, await page.EvaluateAsync<double>(root), 1);
        tab.AssertClean();
    }

    [Fact]
    public async Task TheProgramsColourIsUsedOnTheLightPageAndItsDarkShadeOnTheDarkPage()
    {
        var identity = bundle.Graph.Identity!;
        await using var tab = await BundleTab.OpenAsync(browser, bundle, new BrowserNewContextOptions { ColorScheme = ColorScheme.Light });
        var page = await tab.GotoAsync("en/index.html");
        const string link = "() => getComputedStyle(document.querySelector('main .ce-module-item a')).color";
        const string background = "() => getComputedStyle(document.body).backgroundColor";
        Assert.Equal(Rgb(identity.PrimaryColor!), await page.EvaluateAsync<string>(link));
        Assert.Equal(Rgb("#ffffff"), await page.EvaluateAsync<string>(background));
        Assert.StartsWith("\"Atkinson Hyperlegible Next\"", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).fontFamily"), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("async () => { await document.fonts.ready; return document.fonts.check('16px \"Atkinson Hyperlegible Next\"'); }"), "the bundled font did not load");

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        Assert.Equal(Rgb(identity.PrimaryColorDark!), await page.EvaluateAsync<string>(link));
        Assert.Equal(Rgb(Model.ProgramIdentity.DarkBackground), await page.EvaluateAsync<string>(background));

        // A worksheet stays a light sheet on the dark page, in the colours it was checked in.
        page = await tab.GotoAsync("en/worksheets/pain-rating.html");
        Assert.Equal(Rgb("#ffffff"), await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('form.ce-worksheet')).backgroundColor"));
        tab.AssertClean();
    }

    [Fact]
    public async Task AProgramInOneLanguageHasNoLanguageSwitchAndItsRootOpensItAtOnce()
    {
        using var program = new TestPaths.TempFolder();
        program.File("program.yaml", """
            id: single
            version: 1.0.0
            title: One language
            locales: [en]
            guidance: self
            release: weekly
            phases:
              - id: main
                title: Main
                weeks: 1
            """);
        program.File("modules/start.md", """
            ---
            id: start
            title: Start
            phase: main
            week: 1
            ---

            Welcome.
            """);
        using var single = WebBundleFixture.For(program.Path);
        await using var tab = await BundleTab.OpenAsync(browser, single, Phone);
        var page = tab.Page;
        await page.GotoAsync(single.Url("index.html"));
        await tab.ArriveAtAsync("en/index.html");
        Assert.Equal("One language", await page.EvaluateAsync<string>("() => document.querySelector('.ce-program').textContent.trim()"));
        await Expect(page.Locator(".ce-languages")).ToHaveCountAsync(0);
        // No worksheets and no aftercare: no empty sections for them (a folded week's heading stands in its summary).
        await Expect(page.Locator(".ce-worksheets")).ToHaveCountAsync(0);
        await Expect(page.Locator(".ce-nav a[href$='aftercare.html']")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('main h2, main h3')].every(h => (h.parentElement.tagName === 'SUMMARY' ? h.parentElement : h).nextElementSibling !== null)"), "a heading with nothing under it");
        tab.AssertClean();
    }

    private static string Rgb(string hex)
    {
        var v = Convert.ToInt32(hex.TrimStart('#'), 16);
        return $"rgb({(v >> 16) & 255}, {(v >> 8) & 255}, {v & 255})";
    }
}

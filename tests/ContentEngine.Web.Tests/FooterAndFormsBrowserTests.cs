using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// Who offers the program and how to reach them on every page's footer, the pages "About this program" and
/// "Privacy: your answers" with program.yaml's texts; "Clear answer" buttons smaller than the answers; and no
/// worksheet wider than a 390 px phone, at normal and at 200% text.
/// </summary>
[Collection("browser")]
public sealed class FooterAndFormsBrowserTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    private IEnumerable<string> PageTypes(string locale) =>
    [
        $"{locale}/index.html", $"{locale}/modules/values.html", $"{locale}/worksheets/pain-rating.html",
        $"{locale}/aftercare.html", $"{locale}/search.html", $"{locale}/about.html", $"{locale}/privacy.html",
    ];

    private async Task<BundleTab> OpenAsync(int textSizeStep = 0)
    {
        var tab = await BundleTab.OpenAsync(browser, bundle, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        if (textSizeStep > 0)
            await tab.Context.AddInitScriptAsync($"try {{ localStorage.setItem('contentengine:{bundle.Graph.Id}:text-size', '{textSizeStep}'); }} catch (e) {{}}");
        return tab;
    }

    [Fact]
    public async Task EveryPageTypeHasTheProviderAndItsContactsInTheFooter()
    {
        var provider = bundle.Graph.Provider!;
        Assert.NotNull(provider.Url);
        Assert.NotNull(provider.Email);
        Assert.NotNull(provider.Phone);
        await using var tab = await OpenAsync();
        foreach (var locale in bundle.Locales)
            foreach (var path in PageTypes(locale))
            {
                var page = await tab.GotoAsync(path);
                var footer = page.Locator("footer.ce-footer");
                var name = provider.Name.Get(locale, bundle.DefaultLocale);
                await Expect(footer.Locator($"a[href='{provider.Url}']")).ToHaveTextAsync(name);
                await Expect(footer.Locator($"a[href='mailto:{provider.Email}']")).ToHaveTextAsync(provider.Email!);
                await Expect(footer.Locator("a[href^='tel:']")).ToHaveTextAsync(provider.Phone!);
                Assert.Equal("tel:+46812345600", await footer.Locator("a[href^='tel:']").GetAttributeAsync("href"));
                await Expect(footer.Locator("a[href$='about.html']")).ToHaveTextAsync(bundle.S(locale, "about-program"));
                await Expect(footer.Locator("a[href$='privacy.html']")).ToHaveTextAsync(bundle.S(locale, "privacy-title"));
            }
        tab.AssertClean();
    }

    [Fact]
    public async Task AboutAndPrivacyPagesHaveTheProgramsTextsInEachLocale()
    {
        await using var tab = await OpenAsync();
        foreach (var locale in bundle.Locales)
        {
            var about = await tab.GotoAsync($"{locale}/about.html");
            await Expect(about.Locator("main h1")).ToHaveTextAsync(bundle.S(locale, "about-program"));
            await Expect(about.Locator("main")).ToContainTextAsync(bundle.Graph.About!.Get(locale, bundle.DefaultLocale));
            await Expect(about.Locator("main")).ToContainTextAsync(bundle.Graph.Provider!.Name.Get(locale, bundle.DefaultLocale));
            await Expect(about.Locator("html")).ToHaveAttributeAsync("lang", locale);

            var privacy = await tab.GotoAsync($"{locale}/privacy.html");
            await Expect(privacy.Locator("main h1")).ToHaveTextAsync(bundle.S(locale, "privacy-title"));
            await Expect(privacy.Locator("main")).ToContainTextAsync(bundle.Graph.Privacy!.Get(locale, bundle.DefaultLocale));
            await Expect(privacy.Locator("main")).ToContainTextAsync(bundle.S(locale, "privacy-default").Split("\n\n")[0]);
            await Expect(privacy.Locator("footer a[aria-current='page']")).ToHaveTextAsync(bundle.S(locale, "privacy-title"));
        }
        tab.AssertClean();
    }

    [Fact]
    public async Task ClearButtonsAreSmallerThanTheAnswersButStillTargetsReachedByTab()
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync("en/worksheets/pain-rating.html");
        var answer = page.Locator("#ws-pain-rating-intensity_o3");
        await answer.CheckAsync();
        var field = page.Locator(".ce-ws-field").Filter(new() { Has = answer });
        var clear = field.Locator("[data-ws-clear]");
        await Expect(clear).ToBeVisibleAsync();
        var c = (await clear.BoundingBoxAsync())!;
        var a = (await page.Locator("label[for=ws-pain-rating-intensity_o3] .ce-ws-scale-value").BoundingBoxAsync())!;
        Assert.True(c.Height < a.Height, $"the clear button is {c.Height} px high, the answer {a.Height} px");
        Assert.True(c.Width >= 24 && c.Height >= 24, $"the clear button is {c.Width}×{c.Height} px, under 24 px");
        var fontSizes = await page.EvaluateAsync<double[]>("([c, a]) => [parseFloat(getComputedStyle(c).fontSize), parseFloat(getComputedStyle(a).fontSize)]",
            new[] { await clear.ElementHandleAsync(), await page.Locator("label[for=ws-pain-rating-intensity_o3] .ce-ws-scale-value").ElementHandleAsync() });
        Assert.True(fontSizes[0] < fontSizes[1], $"the clear button's text ({fontSizes[0]} px) is not smaller than the answer's ({fontSizes[1]} px)");

        await answer.FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(clear).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(answer).Not.ToBeCheckedAsync();

        // A choice's clear button is smaller than its options too.
        page = await tab.GotoAsync("en/worksheets/health-check.html");
        var choiceField = page.Locator(".ce-ws-field[data-type=choice]").Filter(new() { Has = page.Locator("input[type=radio]") }).First;
        var option = choiceField.Locator("input[type=radio]").First;
        await option.CheckAsync();
        var choiceClear = (await choiceField.Locator("[data-ws-clear]").BoundingBoxAsync())!;
        var optionBox = (await choiceField.Locator("label.ce-ws-option").First.BoundingBoxAsync())!;
        Assert.True(choiceClear.Height < optionBox.Height, $"the clear button is {choiceClear.Height} px high, the option {optionBox.Height} px");
        tab.AssertClean();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task NoWorksheetIsWiderThanA390PxPhone(int textSizeStep)
    {
        await using var tab = await OpenAsync(textSizeStep);
        var problems = new List<string>();
        foreach (var locale in bundle.Locales)
            foreach (var path in bundle.Graph.Worksheets.Select(w => $"{locale}/worksheets/{w.Id}.html").Concat([$"{locale}/about.html", $"{locale}/privacy.html"]))
            {
                var page = await tab.GotoAsync(path);
                await page.EvaluateAsync("() => document.fonts.ready");
                Assert.Equal(textSizeStep == 5 ? "2" : "1", await page.EvaluateAsync<string>("() => String(CE.textSize.steps[CE.textSize.get()])"));
                var wide = await page.EvaluateAsync<string[]>("""
                    () => [...document.querySelectorAll('body *')].filter(e => e.getClientRects().length && e.getBoundingClientRect().right > 390.5 && !e.closest('.ce-sr, .ce-ws-sr'))
                        .slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
                    """);
                var scroll = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                if (scroll > 390) problems.Add($"{path} at {(textSizeStep == 5 ? 200 : 100)}% text is {scroll} px wide: {string.Join(", ", wide)}");
                if (textSizeStep == 5 && path.EndsWith("pain-rating.html", StringComparison.Ordinal)) await ShotAsync(page, $"worksheet-200-{locale}");
            }
        tab.AssertClean();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task TheZeroToTenScaleIsAVerticalListAt200PercentText()
    {
        await using var tab = await OpenAsync(5);
        var page = await tab.GotoAsync("en/worksheets/pain-rating.html");
        var boxes = new List<LocatorBoundingBoxResult>();
        for (var i = 0; i <= 10; i++)
            boxes.Add((await page.Locator($"label[for=ws-pain-rating-intensity_o{i}] .ce-ws-scale-value").BoundingBoxAsync())!);
        Assert.All(boxes.Skip(1), (b, i) => Assert.True(b.Y > boxes[i].Y, "the numbers are not one under the other"));
        Assert.All(boxes, b => Assert.True(b.Width >= 24 && b.Height >= 24));
        // The texts of the ends stand beside their numbers.
        await Expect(page.Locator("label[for=ws-pain-rating-intensity_o0] .ce-ws-scale-text")).ToBeVisibleAsync();
        var footer = page.Locator("footer.ce-footer");
        await footer.ScrollIntoViewIfNeededAsync();
        await ShotAsync(page, "footer-200", footer);
    }

    /// <summary>Saves a screenshot where CONTENTENGINE_SCREENSHOTS points, for a person to look at; nothing otherwise.</summary>
    private static async Task ShotAsync(IPage page, string name, ILocator? part = null)
    {
        var folder = Environment.GetEnvironmentVariable("CONTENTENGINE_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder)) return;
        Directory.CreateDirectory(folder);
        if (part is not null) await part.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(folder, name + ".png") });
        else await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}

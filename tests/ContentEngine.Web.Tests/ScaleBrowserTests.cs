using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>Scales as patients use them on a phone: a 0–10 row that fits 320 px, and both the row and the slider worked by keyboard.</summary>
[Collection("browser")]
public sealed class ScaleBrowserTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    [Fact]
    public async Task TheZeroToTenRowFits320PxInOneRowWithoutHorizontalScrolling()
    {
        await using var tab = await BundleTab.OpenAsync(browser, bundle, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 320, Height = 640 } });
        var page = await tab.GotoAsync("en/worksheets/pain-rating.html");
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 320, "the page scrolls sideways at 320 px");
        var boxes = new List<LocatorBoundingBoxResult>();
        for (var i = 0; i <= 10; i++)
            boxes.Add((await page.Locator($"label[for=ws-pain-rating-intensity_o{i}] .ce-ws-scale-value").BoundingBoxAsync())!);
        Assert.All(boxes, b => Assert.Equal(boxes[0].Y, b.Y, 1)); // one row
        Assert.All(boxes, b => Assert.True(b.Width >= 24 && b.Height >= 24, $"a number is {b.Width}×{b.Height} px, under 24 px"));
        Assert.True(boxes[^1].X + boxes[^1].Width <= 320, "the 10 is off screen");
        Assert.True(boxes[1].X > boxes[0].X, "the numbers are not left to right");
    }

    [Fact]
    public async Task ButtonsAndSliderAreWorkedWithTheArrowKeys()
    {
        await using var tab = await BundleTab.OpenAsync(browser, bundle);
        var page = await tab.GotoAsync("en/worksheets/pain-rating.html");
        await page.Locator("#ws-pain-rating-intensity_o3").CheckAsync();
        await page.Locator("#ws-pain-rating-intensity_o3").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(page.Locator("#ws-pain-rating-intensity_o4")).ToBeCheckedAsync();
        await Expect(page.Locator("#ws-pain-rating-intensity_o4")).ToBeFocusedAsync();

        page = await tab.GotoAsync("en/worksheets/health-check.html");
        var slider = page.Locator("#ws-health-check-health-today");
        await Expect(slider).ToHaveAttributeAsync("aria-valuetext", "Not answered");
        Assert.Null(await slider.GetAttributeAsync("aria-required"));
        await slider.FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        var value = await slider.InputValueAsync();
        Assert.NotEqual("Not answered", await slider.GetAttributeAsync("aria-valuetext"));
        Assert.Contains(value, await slider.GetAttributeAsync("aria-valuetext") ?? "", StringComparison.Ordinal);
        await page.Keyboard.PressAsync("End");
        await Expect(slider).ToHaveValueAsync("100");
        await Expect(slider).ToHaveAttributeAsync("aria-valuetext", "100, The best health I can imagine");
    }
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The timer of a <c>::: pause</c> on the sample's mindfulness page (a 30-second pause in the three-breaths exercise):
/// it waits for the patient, runs by keyboard, shows the time left, and tells a screen reader only when it begins, at
/// half time and when it is over. The page's clock is Playwright's, so 30 seconds pass at once. A bundle built without
/// the audio bundle has no player.
/// </summary>
[Collection("browser")]
public sealed class PauseTimerTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    private static readonly BrowserNewContextOptions Phone = new() { ViewportSize = new ViewportSize { Width = 390, Height = 844 } };

    [Theory]
    [InlineData("sv")]
    [InlineData("en")]
    public async Task ThePauseTimerWaitsForThePatientAndRunsByKeyboard(string locale)
    {
        await using var tab = await BundleTab.OpenAsync(browser, bundle, Phone);
        await tab.Context.Clock.InstallAsync();
        var page = await tab.GotoAsync($"{locale}/modules/mindfulness.html");
        string S(string key) => bundle.S(locale, key);

        var pause = page.Locator(".ce-exercise .ce-timed-pause");
        await Expect(pause).ToHaveCountAsync(1);
        await Expect(pause.Locator(".ce-pause-line")).ToHaveTextAsync(S("pause-for.other").Replace("{0}", "30"));
        var timer = pause.Locator(".ce-pause-timer");
        await Expect(timer).ToBeVisibleAsync();
        await Expect(timer).ToHaveAccessibleNameAsync(S("pause-for.other").Replace("{0}", "30"));
        var button = timer.GetByRole(AriaRole.Button);
        var status = timer.GetByRole(AriaRole.Status);
        var clock = timer.Locator(".ce-pause-clock");

        // Nothing starts by itself.
        await page.Clock.RunForAsync(60_000);
        await Expect(clock).ToHaveTextAsync("0:30");
        await Expect(status).ToHaveTextAsync("");
        await Expect(button).ToHaveTextAsync(S("pause-start"));

        // A native button in the tab order (Shift+Tab leaves it and Tab comes back), started with Enter.
        await button.FocusAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await Expect(button).Not.ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(button).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(button).ToHaveTextAsync(S("pause-stop"));
        await page.Clock.RunForAsync(1_000);
        await Expect(status).ToHaveTextAsync(S("pause-started.other").Replace("{0}", "30"));

        // At half time, a polite word; the time left is shown without being read out each second.
        await page.Clock.RunForAsync(15_000);
        await Expect(status).ToHaveTextAsync(S("pause-halfway"));
        await Expect(clock).ToHaveTextAsync(S("pause-left").Replace("{0}", "0:14"));
        // The bar's width is set as a share of the pause (it then glides there with a CSS transition).
        var share = await timer.Locator(".ce-pause-bar > span").EvaluateAsync<double>("e => parseFloat(e.style.width)");
        Assert.InRange(share, 50, 56);

        await page.Clock.RunForAsync(15_000);
        await Expect(status).ToHaveTextAsync(S("pause-done"));
        await Expect(button).ToHaveTextAsync(S("pause-again"));
        await Expect(button).ToBeFocusedAsync();

        // Again with Space, and stopped early with Enter.
        await page.Keyboard.PressAsync("Space");
        await page.Clock.RunForAsync(5_000);
        await Expect(clock).ToHaveTextAsync(S("pause-left").Replace("{0}", "0:25"));
        await page.Keyboard.PressAsync("Enter");
        await page.Clock.RunForAsync(1_000);
        await Expect(status).ToHaveTextAsync(S("pause-stopped"));
        await Expect(button).ToHaveTextAsync(S("pause-start"));
        await Expect(clock).ToHaveTextAsync("0:30");
        await page.Clock.RunForAsync(40_000);
        await Expect(status).ToHaveTextAsync(S("pause-stopped"));

        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the timer scrolls sideways at 390 px");
        tab.AssertClean();
    }

    [Fact]
    public async Task WithoutTheAudioBundleModulePagesHaveNoPlayer()
    {
        await using var tab = await BundleTab.OpenAsync(browser, bundle, Phone);
        foreach (var locale in bundle.Locales)
            foreach (var module in bundle.Graph.Modules)
            {
                var page = await tab.GotoAsync($"{locale}/modules/{module.Id}.html");
                await Expect(page.Locator(".ce-player")).ToHaveCountAsync(0);
            }
        tab.AssertClean();
    }
}

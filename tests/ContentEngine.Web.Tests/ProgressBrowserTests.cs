using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using ContentEngine.Model;
using ContentEngine.Output;
using ContentEngine.Runtime.Programs;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The patient's progress in the sample's web bundle, in Chromium on a phone in Stockholm on a fixed
/// day: the start date set on the first visit and changed on the overview, the week counted from it
/// in local dates, every module's state as the runtime's scheduler gives it with the date it opens
/// in the page's language, "continue where you left off", and "I have done this part".
/// </summary>
[Collection("browser")]
public sealed class ProgressBrowserTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    public static TheoryData<string> Locales => ["sv", "en"];

    private const string TimeZone = "Europe/Stockholm";

    /// <summary>Wednesday 2 December 2026, mid-morning in Stockholm.</summary>
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(1));

    private static readonly DateOnly Today = new(2026, 12, 2);

    /// <summary>Three weeks before today: today is the first day of week 4.</summary>
    private const string Start = "2026-11-11";

    private static readonly string[] Done = ["welcome", "physical-exercise", "values"];

    /// <summary>The runtime's scheduler on the sample's graph.</summary>
    private ProgramGraph Runtime => bundle.Graph;

    private async Task<BundleTab> OpenAsync(int width = 390, int height = 844, DateTimeOffset? now = null)
    {
        var tab = await BundleTab.OpenAsync(browser, bundle, new BrowserNewContextOptions
        {
            TimezoneId = TimeZone,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        await tab.Context.Clock.SetFixedTimeAsync((now ?? Now).UtcDateTime);
        return tab;
    }

    private string Title(string id, string locale) => bundle.Graph.FindModule(id)!.Title.Get(locale, bundle.DefaultLocale);

    internal static async Task SetStateAsync(IPage page, string start, string[] completed) =>
        await page.EvaluateAsync("([start, completed]) => CE.state.update(s => { s.start = start; s.week = null; s.completed = completed; })", new object[] { start, completed });

    /// <summary>Saves a screenshot where CONTENTENGINE_SCREENSHOTS points, for a person to look at; nothing otherwise.</summary>
    internal static async Task ShotAsync(IPage page, string name, bool fullPage = true)
    {
        var folder = Environment.GetEnvironmentVariable("CONTENTENGINE_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder)) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = fullPage });
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task TheOverviewShowsDoneNextAndLockedWithTheDatesTheyOpen(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/index.html");
        await SetStateAsync(page, Start, Done);

        var status = Runtime.Evaluate(new PatientProgress { StartDate = DateOnly.Parse(Start), Today = Today, Completed = Done });
        Assert.Equal(4, status.Week);
        await Expect(page.Locator("[data-current-week]")).ToHaveTextAsync("4");
        await Expect(page.Locator("[data-done-count]")).ToContainTextAsync(locale == "sv" ? "3 av" : "3 of");

        // Every module's state is the runtime's, and said in words.
        foreach (var m in status.Modules)
        {
            var item = page.Locator($".ce-module-item[data-module='{m.Id}']");
            await Expect(item).ToHaveAttributeAsync("data-state", m.State.ToString().ToLowerInvariant());
            var text = await item.Locator("[data-status]").TextContentAsync() ?? ""; // most weeks are folded
            var word = m.State switch
            {
                ModuleState.Completed => bundle.S(locale, "progress-done"),
                ModuleState.Locked => bundle.S(locale, "progress-locked"),
                ModuleState.Offered => bundle.S(locale, "progress-offered"),
                _ => m.Id == "acceptance" ? bundle.S(locale, "progress-next") : bundle.S(locale, "progress-open"),
            };
            Assert.Contains(word, text);
            foreach (var reason in m.Reasons)
            {
                if (reason.OpensInWeek is { } week)
                    Assert.Contains($"({(locale == "sv" ? "vecka" : "week")} {week})", text);
                foreach (var required in reason.Modules)
                    Assert.Contains(Title(required, locale), text);
            }
        }

        // The dates, in the page's language: this week's module, one next week, one next year.
        string[] expected = locale == "sv"
            ? ["○Låst: efter ”" + Title("acceptance", "sv") + "”",
               "○Låst: öppnas ons 9 dec. (vecka 5), efter ”" + Title("mindfulness", "sv") + "”",
               "○Låst: öppnas ons 20 jan. 2027 (vecka 11), efter ”" + Title("committed-action", "sv") + "”"]
            : ["○Locked: after “" + Title("acceptance", "en") + "”",
               "○Locked: opens Wed 9 Dec (week 5), after “" + Title("mindfulness", "en") + "”",
               "○Locked: opens Wed, 20 Jan 2027 (week 11), after “" + Title("committed-action", "en") + "”"];
        await Expect(page.Locator(".ce-module-item[data-module='mindfulness'] [data-status]")).ToHaveTextAsync(expected[0]);
        await Expect(page.Locator(".ce-module-item[data-module='defusion'] [data-status]")).ToHaveTextAsync(expected[1]);
        await Expect(page.Locator(".ce-module-item[data-module='maintaining'] [data-status]")).ToHaveTextAsync(expected[2]);
        await Expect(page.Locator(".ce-module-item[data-module='welcome'] [data-status]")).ToHaveTextAsync("✓" + bundle.S(locale, "progress-done"));
        await Expect(page.Locator("h3.ce-this-week")).ToHaveCountAsync(1);
        await Expect(page.Locator("h3.ce-this-week")).ToContainTextAsync(bundle.S(locale, "progress-this-week"));
        await Expect(page.Locator("h3[data-week='5'] [data-week-date]")).ToHaveTextAsync(locale == "sv" ? " · ons 9 dec." : " · Wed 9 Dec");
        await Expect(page.Locator("[data-next-release]")).ToHaveTextAsync(locale == "sv"
            ? "Nästa del öppnas onsdag 9 december." : "The next part opens Wednesday 9 December.");

        // "Continue where you left off" leads to the first open module not done.
        var next = status.Open.First();
        Assert.Equal("acceptance", next.Id);
        var go = page.Locator("[data-continue] a");
        await Expect(go).ToContainTextAsync(bundle.S(locale, "progress-continue"));
        await Expect(go).ToContainTextAsync(Title(next.Id, locale));
        await Expect(page.Locator($".ce-module-item[data-module='{next.Id}']")).ToHaveAttributeAsync("data-next", "true");
        await AssertFitsAsync(page, $"{locale} overview");
        await ShotAsync(page, $"overview-{locale}-390");
        await go.ClickAsync();
        await tab.WaitReadyAsync();
        Assert.Equal($"{locale}/modules/acceptance.html", tab.Here);
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task MarkingAModuleDoneMovesContinueOnToTheNext(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/index.html");
        await SetStateAsync(page, Start, Done);
        await page.Locator("[data-continue] a").ClickAsync();
        await tab.WaitReadyAsync();

        // An open module: no status above it; the patient's own mark below it.
        await Expect(page.Locator("[data-module-status]")).ToBeHiddenAsync();
        var button = page.Locator("button[data-complete='acceptance']");
        await Expect(button).ToHaveTextAsync(bundle.S(locale, "mark-completed"));
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "false");
        await ShotAsync(page, $"module-{locale}-390-open");
        await button.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(button).ToHaveTextAsync(bundle.S(locale, "mark-completed"));
        await Expect(page.Locator("[data-complete-note]")).ToHaveTextAsync(bundle.S(locale, "progress-saved-module").Replace("{0}", Title("acceptance", locale)));
        await Expect(page.Locator("[data-module-status]")).ToHaveTextAsync("✓" + bundle.S(locale, "progress-module-done"));
        var onward = page.Locator("[data-continue-after] [data-next-module] a");
        await Expect(onward).ToHaveTextAsync(Title("mindfulness", locale));
        await ShotAsync(page, $"module-{locale}-390-done");

        // Back on the overview (from the browser's history), continue points at the next module.
        await page.GoBackAsync();
        await tab.WaitReadyAsync();
        Assert.Equal($"{locale}/index.html", tab.Here);
        await Expect(page.Locator(".ce-module-item[data-module='acceptance']")).ToHaveAttributeAsync("data-state", "completed");
        await Expect(page.Locator("[data-continue] a")).ToContainTextAsync(Title("mindfulness", locale));
        await Expect(page.Locator(".ce-module-item[data-module='mindfulness']")).ToHaveAttributeAsync("data-next", "true");
        await Expect(page.Locator("[data-done-count]")).ToContainTextAsync(locale == "sv" ? "4 av" : "4 of");

        // Undone on the module page, and the overview follows at once (another tab sees it through storage).
        var other = await tab.Context.NewPageAsync();
        await other.GotoAsync(bundle.Url($"{locale}/modules/acceptance.html"));
        await other.WaitForFunctionAsync("() => !!(window.CE && CE.refresh)");
        await other.Locator("button[data-complete='acceptance']").ClickAsync();
        await Expect(other.Locator("[data-complete-note]")).ToHaveTextAsync(bundle.S(locale, "progress-unmarked"));
        await Expect(page.Locator("[data-continue] a")).ToContainTextAsync(Title("acceptance", locale));
        await Expect(page.Locator(".ce-module-item[data-module='acceptance']")).ToHaveAttributeAsync("data-state", "open");
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task ALockedModulesPageSaysWhyAndWhenItOpens(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/index.html");
        await SetStateAsync(page, Start, Done);
        await tab.GotoAsync($"{locale}/modules/defusion.html");
        var said = page.Locator("[data-module-status]");
        await Expect(said).ToHaveAttributeAsync("data-state", "locked");
        await Expect(said).ToHaveTextAsync(locale == "sv"
            ? "○Låst: öppnas ons 9 dec. (vecka 5), efter ”" + Title("mindfulness", "sv") + "”."
            : "○Locked: opens Wed 9 Dec (week 5), after “" + Title("mindfulness", "en") + "”.");
        // The module it waits for is a link.
        await Expect(said.Locator("a")).ToHaveAttributeAsync("href", "mindfulness.html");
        await AssertFitsAsync(page, $"{locale} locked module");
        await ShotAsync(page, $"module-{locale}-390-locked");
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task TheAftercareOffersSayWhyAndWhenTheyOpen(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/index.html");
        await SetStateAsync(page, Start, Done);
        await tab.GotoAsync($"{locale}/aftercare.html");

        var status = Runtime.Evaluate(new PatientProgress { StartDate = DateOnly.Parse(Start), Today = Today, Completed = Done });
        var offers = page.Locator(".ce-offer[data-module]");
        Assert.True(await offers.CountAsync() > 0);
        foreach (var offer in await offers.AllAsync())
        {
            var m = status[(await offer.GetAttributeAsync("data-module"))!];
            // In week 4 every aftercare offer waits: the week it opens and the module it follows, as on the overview.
            Assert.Equal(ModuleState.Locked, m.State);
            await Expect(offer).ToHaveAttributeAsync("data-state", "locked");
            var said = offer.Locator("[data-offer-status]");
            await Expect(said).ToBeVisibleAsync();
            var text = await said.InnerTextAsync();
            Assert.StartsWith("○" + bundle.S(locale, "progress-locked"), text);
            foreach (var reason in m.Reasons)
            {
                if (reason.OpensInWeek is { } week) Assert.Contains($"({(locale == "sv" ? "vecka" : "week")} {week})", text);
                foreach (var required in reason.Modules)
                    await Expect(said.Locator($"a[href='modules/{required}.html']")).ToHaveTextAsync(Title(required, locale));
            }
        }
        await AssertFitsAsync(page, $"{locale} aftercare");
        await ShotAsync(page, $"aftercare-{locale}-390-locked");
        tab.AssertClean();
    }

    [Fact]
    public async Task TheFirstVisitStartsTheProgramTodayAndTheStartDateCanBeChanged()
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync("en/index.html");
        var state = await tab.StateAsync();
        Assert.Equal("2026-12-02", state.GetProperty("start").GetString());
        await Expect(page.Locator("[data-current-week]")).ToHaveTextAsync("1");
        var input = page.Locator("input[type=date][data-start-input]");
        await Expect(input).ToHaveValueAsync("2026-12-02");
        await Expect(page.GetByLabel(bundle.S("en", "progress-start-date"), new() { Exact = true })).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-continue] a")).ToContainTextAsync(bundle.S("en", "progress-start-here"));
        await Expect(page.Locator("[data-continue] a")).ToContainTextAsync(Title("welcome", "en"));

        // A later visit keeps it.
        await tab.Context.Clock.SetFixedTimeAsync(Now.AddDays(9).UtcDateTime);
        await tab.ReloadAsync();
        Assert.Equal("2026-12-02", (await tab.StateAsync()).GetProperty("start").GetString());
        await Expect(page.Locator("[data-current-week]")).ToHaveTextAsync("2");

        // Seven weeks back: week 8, in the pause before aftercare, so no phase's module is open for it.
        await input.FillAsync("2026-10-21");
        await Expect(page.Locator("[data-current-week]")).ToHaveTextAsync("8");
        await Expect(page.Locator("[data-start-status]")).ToHaveTextAsync("You are now in week 8.");
        Assert.Equal("2026-10-21", (await tab.StateAsync()).GetProperty("start").GetString());
        await Expect(page.Locator("h3.ce-this-week")).ToHaveCountAsync(0); // week 8 is a pause: no module has it
        await Expect(page.Locator("h3[data-week='1'] [data-week-date]")).ToHaveTextAsync(" · Wed 21 Oct");

        // A week set by the preview gives way to a start date the patient sets.
        await page.EvaluateAsync("() => CE.state.update(s => { s.week = 3; })");
        await Expect(page.Locator("[data-current-week]")).ToHaveTextAsync("3");
        await input.FillAsync("2026-12-04");
        Assert.Equal(JsonValueKindNull, (await tab.StateAsync()).GetProperty("week").ValueKind);
        await Expect(page.Locator("[data-current-week]")).ToHaveTextAsync("2");

        // A start date to come: nothing is open yet, and the page says when it starts.
        await input.FillAsync("2026-12-14");
        await Expect(page.Locator("[data-week-line]")).ToBeHiddenAsync();
        await Expect(page.Locator("[data-not-started]")).ToHaveTextAsync("Your program starts Monday 14 December.");
        await Expect(page.Locator(".ce-module-item[data-module='welcome'] [data-status]")).ToHaveTextAsync("○Locked: opens Mon 14 Dec (week 1)");
        await Expect(page.Locator("[data-continue]")).ToBeHiddenAsync();
        tab.AssertClean();
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    /// <summary>The week is counted on the calendar: half an hour into the first Monday after the spring change is week 2.</summary>
    [Fact]
    public async Task TheWeekChangesAtLocalMidnightAcrossADaylightSavingChange()
    {
        await using var tab = await OpenAsync(now: new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.FromHours(2)));
        var page = await tab.GotoAsync("sv/index.html");
        await SetStateAsync(page, "2026-03-23", []);
        await Expect(page.Locator("[data-current-week]")).ToHaveTextAsync("2");
        await Expect(page.Locator("h3[data-week='2'] [data-week-date]")).ToHaveTextAsync(" · mån 30 mars · den här veckan");
        Assert.Equal(2, await page.EvaluateAsync<int>("() => CE.state.forConditions().week"));
        tab.AssertClean();
    }

    /// <summary>The progress on a 320 px screen scrolls only down, and axe-core finds nothing on it in either state of a module.</summary>
    [Theory]
    [MemberData(nameof(Locales))]
    public async Task ProgressFitsA320PixelScreenAndAxeFindsNothing(string locale)
    {
        await using var tab = await OpenAsync(320, 640);
        var page = await tab.GotoAsync($"{locale}/index.html");
        await SetStateAsync(page, Start, Done);
        var problems = new List<string>();
        foreach (var path in new[] { $"{locale}/index.html", $"{locale}/modules/acceptance.html", $"{locale}/modules/defusion.html", $"{locale}/modules/welcome.html" })
        {
            await tab.GotoAsync(path);
            await AssertFitsAsync(page, path, 320);
            var result = await tab.WithoutConsoleErrorsAsync(() => page.RunAxe(new AxeRunOptions
            {
                RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
            }));
            problems.AddRange(result.Violations.Select(v => $"{path}: {v.Id} {v.Help}: " + string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await ShotAsync(page, $"module-{locale}-320-done");
        tab.AssertClean();
    }

    private static async Task AssertFitsAsync(IPage page, string what, int width = 390)
    {
        var scroll = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scroll <= width, $"{what} is {scroll} px wide on a {width} px screen");
    }
}

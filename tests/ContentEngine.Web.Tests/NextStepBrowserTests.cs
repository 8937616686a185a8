using ContentEngine.Model;
using ContentEngine.Runtime.Programs;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// Always a clear next step, in the sample's web bundle in Chromium on a 390 × 844 phone in Stockholm on a fixed
/// day: after "I have done this part" and after a worksheet is saved the page says what was saved, the next module
/// (a link) and the day the next part opens, in the page's language; the done button refuses a locked module and
/// one whose required homework is unanswered, saying why, and changes nothing; the overview's first screen holds
/// this week's work, and the other weeks are folded.
/// </summary>
[Collection("browser")]
public sealed class NextStepBrowserTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    public static TheoryData<string> Locales => ["sv", "en"];

    /// <summary>Wednesday 2 December 2026, mid-morning in Stockholm.</summary>
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(1));

    /// <summary>Three weeks before today: today is the first day of week 4, and week 5 opens on Wednesday 9 December.</summary>
    private const string Start = "2026-11-11";

    private static readonly string[] Done = ["welcome", "physical-exercise", "values"];

    private const int Width = 390, Height = 844;

    /// <summary>A button marked aria-disabled still takes a patient's press (to say why); Playwright would wait for it to be enabled.</summary>
    private static readonly LocatorClickOptions Pressable = new() { Force = true };

    private async Task<BundleTab> OpenAsync()
    {
        var tab = await BundleTab.OpenAsync(browser, bundle, new BrowserNewContextOptions
        {
            TimezoneId = "Europe/Stockholm",
            ViewportSize = new ViewportSize { Width = Width, Height = Height },
        });
        await tab.Context.Clock.SetFixedTimeAsync(Now.UtcDateTime);
        return tab;
    }

    private string Title(string id, string locale) => bundle.Graph.FindModule(id)!.Title.Get(locale, bundle.DefaultLocale);

    private string WorksheetTitle(string id, string locale) => bundle.Graph.FindWorksheet(id)!.Title.Get(locale, bundle.DefaultLocale);

    private string Say(string locale, string key, params string[] args)
    {
        var text = bundle.S(locale, key);
        for (var i = 0; i < args.Length; i++) text = text.Replace("{" + i + "}", args[i], StringComparison.Ordinal);
        return text;
    }

    private static string Quote(string locale, string text) => locale == "sv" ? $"”{text}”" : $"“{text}”";

    /// <summary>Wednesday 9 December 2026 as the page's language writes it: never the United States' "December 9" on an English page.</summary>
    private static string December9(string locale) => locale == "sv" ? "onsdag 9 december" : "Wednesday 9 December";

    private static Task SetStateAsync(IPage page, string start, string[] completed) => ProgressBrowserTests.SetStateAsync(page, start, completed);

    private static Task AnswerWelcomeHomeworkAsync(IPage page, bool painRating = true) => page.EvaluateAsync(@"(painRating) => CE.state.update(s => {
        if (painRating) s.answers['pain-rating'] = { intensity: 5 };
        s.answers['health-check'] = { 'health-today': 60, 'leisure-exercise': 30 };
        s.answers['flexibility'] = { q1: 3, q2: 3, q3: 3, q4: 3, q5: 3, q6: 3, q7: 3, q8: 3 };
    })", painRating);

    private static async Task<string[]> CompletedAsync(BundleTab tab) =>
        [.. (await tab.StateAsync()).GetProperty("completed").EnumerateArray().Select(e => e.GetString()!)];

    private static Task ShotAsync(IPage page, string name, bool fullPage = true) => ProgressBrowserTests.ShotAsync(page, name, fullPage);

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task AfterDoneThePageNamesTheNextModuleAndTheDayTheNextPartOpens(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/index.html");
        await SetStateAsync(page, Start, Done);
        await tab.GotoAsync($"{locale}/modules/acceptance.html");
        await page.Locator("button[data-complete='acceptance']").ClickAsync();

        await Expect(page.Locator("[data-complete-note]")).ToHaveTextAsync(Say(locale, "progress-saved-module", Title("acceptance", locale)));
        var after = page.Locator("[data-continue-after]");
        await Expect(after).ToBeVisibleAsync();
        var next = after.Locator("[data-next-module] a");
        await Expect(next).ToHaveTextAsync(Title("mindfulness", locale));
        await Expect(next).ToHaveAttributeAsync("href", "mindfulness.html");
        var opens = after.Locator("[data-next-opens]");
        await Expect(opens).ToHaveTextAsync(Say(locale, "progress-next-opens-module", Quote(locale, Title("defusion", locale)), December9(locale)));
        await Expect(opens.Locator("a")).ToHaveAttributeAsync("href", "defusion.html");
        var completed = await CompletedAsync(tab);
        Assert.Equal([.. Done, "acceptance"], completed);
        await ShotAsync(page, $"nextstep-module-{locale}-390-done");
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task AfterAWorksheetIsSavedThePageSaysWhatWasSavedAndWhatComesNext(string locale)
    {
        await using var tab = await OpenAsync();
        // The first visit starts the program today: week 1, the welcome module open with three worksheets to fill in.
        var page = await tab.GotoAsync($"{locale}/worksheets/pain-rating.html");
        await page.Locator("label[for='ws-pain-rating-intensity_o5']").ClickAsync();
        var note = page.Locator("[data-ws-next='pain-rating']");
        await Expect(note.Locator("[data-saved]")).ToHaveTextAsync(Say(locale, "progress-saved-worksheet", WorksheetTitle("pain-rating", locale)));
        await Expect(note).ToContainTextAsync(bundle.S(locale, "progress-still-to-do"));
        await Expect(note.Locator("a[href='../worksheets/flexibility.html']")).ToHaveTextAsync(WorksheetTitle("flexibility", locale));
        await Expect(note.Locator("a[href='../worksheets/health-check.html']")).ToHaveTextAsync(WorksheetTitle("health-check", locale));
        await ShotAsync(page, $"nextstep-worksheet-{locale}-390-still-to-do");

        // With the rest of the welcome module's homework answered, the next step is to mark the module done.
        await AnswerWelcomeHomeworkAsync(page, painRating: false);
        await page.Locator("label[for='ws-pain-rating-intensity_o6']").ClickAsync();
        var mark = note.Locator("[data-next-module='welcome']");
        await Expect(mark).ToHaveTextAsync(Say(locale, "progress-next-mark-module", Title("welcome", locale)));
        await Expect(mark.Locator("a")).ToHaveAttributeAsync("href", "../modules/welcome.html#ce-complete");

        // A worksheet no open module waits for: the next module to do, and the day the next part opens.
        await SetStateAsync(page, Start, Done);
        await tab.GotoAsync($"{locale}/worksheets/thought-record.html");
        await page.Locator("form[data-worksheet='thought-record'] textarea, form[data-worksheet='thought-record'] input[type=text]").First.FillAsync("x");
        note = page.Locator("[data-ws-next='thought-record']");
        await Expect(note.Locator("[data-next-module] a")).ToHaveTextAsync(Title("acceptance", locale));
        await Expect(note.Locator("[data-next-module] a")).ToHaveAttributeAsync("href", "../modules/acceptance.html");
        await Expect(note.Locator("[data-next-opens]")).ToHaveTextAsync(Say(locale, "progress-next-opens-module", Quote(locale, Title("defusion", locale)), December9(locale)));
        await ShotAsync(page, $"nextstep-worksheet-{locale}-390-next");
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task DoneIsRefusedWhileTheModuleIsLocked(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/index.html");
        await SetStateAsync(page, Start, Done);
        await tab.GotoAsync($"{locale}/modules/defusion.html");
        var button = page.Locator("button[data-complete='defusion']");
        await Expect(button).ToHaveAttributeAsync("aria-disabled", "true");
        var why = page.Locator("[data-complete-why]");
        await Expect(why).ToHaveTextAsync(bundle.S(locale, "progress-done-refused-locked"));
        await Expect(button).ToHaveAttributeAsync("aria-describedby", (await why.GetAttributeAsync("id"))!);
        await button.ClickAsync(Pressable);
        await Expect(page.Locator("[data-complete-note]")).ToHaveTextAsync(bundle.S(locale, "progress-done-refused-locked"));
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Equal(Done, await CompletedAsync(tab));
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task DoneIsRefusedWhileRequiredHomeworkIsEmpty(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/modules/welcome.html");
        var button = page.Locator("button[data-complete='welcome']");
        await Expect(button).ToHaveAttributeAsync("aria-disabled", "true");
        var why = page.Locator("[data-complete-why]");
        await Expect(why).ToContainTextAsync(bundle.S(locale, "progress-done-refused-homework"));
        foreach (var ws in new[] { "pain-rating", "flexibility", "health-check" })
            await Expect(why.Locator($"a[href='../worksheets/{ws}.html']")).ToHaveTextAsync(WorksheetTitle(ws, locale));
        await ShotAsync(page, $"nextstep-module-{locale}-390-refused");
        await button.ClickAsync(Pressable);
        await Expect(page.Locator("[data-complete-note]")).ToContainTextAsync(bundle.S(locale, "progress-done-refused-homework"));
        Assert.Empty(await CompletedAsync(tab));

        // One worksheet left: only it is named. All answered: the module is marked.
        await AnswerWelcomeHomeworkAsync(page, painRating: false);
        await Expect(why.Locator("a")).ToHaveCountAsync(1);
        await Expect(why.Locator("a")).ToHaveAttributeAsync("href", "../worksheets/pain-rating.html");
        await button.ClickAsync(Pressable);
        Assert.Empty(await CompletedAsync(tab));
        await AnswerWelcomeHomeworkAsync(page);
        await Expect(why).ToBeHiddenAsync();
        await Expect(button).Not.ToHaveAttributeAsync("aria-disabled", "true");
        await button.ClickAsync();
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal(["welcome"], await CompletedAsync(tab));

        // The runtime refuses the same module for the same reason.
        var runtime = Assert.Throws<ContentEngine.Runtime.Patients.PatientChangeException>(() => ContentEngine.Runtime.Patients.PatientRecordChanges.CompleteModule(
            new ContentEngine.Runtime.Patients.PatientRecord { ProgramId = bundle.Graph.Id, ProgramVersion = bundle.Graph.Version, StartDate = new DateOnly(2026, 12, 2) }, bundle.Graph, "welcome", Now));
        Assert.Equal(ContentEngine.Runtime.Patients.PatientChangeError.HomeworkMissing, runtime.Error);
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task TheOverviewsFirstScreenHoldsThisWeeksWorkAndTheOtherWeeksAreFolded(string locale)
    {
        await using var tab = await OpenAsync();
        // Week 1 on the first visit: the welcome module and its three worksheets.
        var page = await tab.GotoAsync($"{locale}/index.html");
        var box = page.Locator("[data-week-now]");
        await Expect(box).ToBeVisibleAsync();
        await Expect(box.Locator("[data-week-now-module='welcome'] a")).ToHaveTextAsync(Title("welcome", locale));
        foreach (var ws in new[] { "pain-rating", "flexibility", "health-check" })
        {
            var item = box.Locator($"[data-week-now-homework='{ws}']");
            await Expect(item).ToContainTextAsync(bundle.S(locale, "progress-homework-todo"));
            await AssertAboveTheFoldAsync(item, ws);
        }
        await AssertAboveTheFoldAsync(page.Locator("[data-continue] a"), "the continue button");
        await AssertAboveTheFoldAsync(page.Locator("[data-next-release]"), "the next opening");
        await ShotAsync(page, $"nextstep-overview-{locale}-390-week1", fullPage: false);
        await ShotAsync(page, $"nextstep-overview-{locale}-390-week1-full");

        // The start date is no longer beside the main button: it is set lower down, in its own section.
        var input = page.Locator("input[data-start-input]");
        await Expect(page.Locator(".ce-settings input[data-start-input]")).ToHaveCountAsync(1);
        var inputBox = (await input.BoundingBoxAsync())!;
        Assert.True(inputBox.Y > Height, $"the start date is at {inputBox.Y} px, in the first screen");

        // Week 4: the module left open from week 3 and this week's, both above the fold; only week 4 is unfolded.
        await SetStateAsync(page, Start, Done);
        await Expect(box.Locator("[data-week-now-module='acceptance']")).ToContainTextAsync(bundle.S(locale, "progress-next"));
        await Expect(box.Locator("[data-week-now-module='mindfulness']")).ToContainTextAsync(bundle.S(locale, "progress-locked"));
        await AssertAboveTheFoldAsync(box, "this week");
        await Expect(box.Locator("[data-week-now-homework]")).ToHaveCountAsync(0);
        var open = await page.Locator("details[data-week-details]").EvaluateAllAsync<string[]>("ds => ds.filter(d => d.open).map(d => d.getAttribute('data-week-details'))");
        Assert.Equal(["4"], open);
        await Expect(page.Locator(".ce-module-item[data-module='mindfulness'] a")).ToBeVisibleAsync();
        await Expect(page.Locator(".ce-module-item[data-module='welcome'] a")).ToBeHiddenAsync();
        await Expect(page.Locator(".ce-module-item[data-module='defusion'] a")).ToBeHiddenAsync();
        // A folded week opens on a tap.
        await page.Locator("details[data-week-details='5'] > summary").ClickAsync();
        await Expect(page.Locator(".ce-module-item[data-module='defusion'] a")).ToBeVisibleAsync();
        await tab.ReloadAsync();
        await ShotAsync(page, $"nextstep-overview-{locale}-390-week4", fullPage: false);
        var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        // 4,576 px before the weeks were folded; now the backup section and the footer stand on it too.
        Assert.True(height < 3.5 * Height, $"the overview is {height} px tall: more than three and a half phone screens");
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task DatesAreWrittenInThePagesLanguage(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/index.html");
        await SetStateAsync(page, Start, Done);
        await Expect(page.Locator("[data-next-release]")).ToHaveTextAsync(Say(locale, "progress-next-opens", December9(locale)));
        await Expect(page.Locator("h3[data-week='5'] [data-week-date]")).ToHaveTextAsync(locale == "sv" ? " · ons 9 dec." : " · Wed 9 Dec");
        await Expect(page.Locator(".ce-module-item[data-module='maintaining'] [data-status]")).ToContainTextAsync(locale == "sv" ? "ons 20 jan. 2027" : "Wed, 20 Jan 2027");
        Assert.Equal(locale == "sv" ? "sv" : "en-GB", await page.EvaluateAsync<string>("() => CE.dateLocale()"));
        tab.AssertClean();
    }

    private static async Task AssertAboveTheFoldAsync(ILocator element, string what)
    {
        var box = await element.BoundingBoxAsync();
        Assert.True(box is not null, $"{what} is not shown");
        Assert.True(box.Y >= 0 && box.Y + box.Height <= Height, $"{what} is at {box.Y}–{box.Y + box.Height} px: below the first {Height} px screen");
    }
}

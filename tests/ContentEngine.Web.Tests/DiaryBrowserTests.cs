using System.Text.Json;
using System.Text.Json.Nodes;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// Diaries as patients keep them on a phone, in real Chromium: one dated entry open (today's), a list of
/// the entries written to open and edit, and "add entry"; by pointer and by keyboard; dated in each
/// locale's words; kept over a reload with their dates; answers saved before entries were dated still load.
/// </summary>
[Collection("browser")]
public sealed class DiaryBrowserTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    public static TheoryData<string> Locales => ["sv", "en"];

    /// <summary>A Tuesday, at noon in UTC: the same day wherever the browser thinks it is.</summary>
    private const string Now = "2026-09-08T12:00:00Z";

    private const int PhoneWidth = 390, PhoneHeight = 844;

    /// <summary>The day's name as each locale writes it (Chromium's own Intl data).</summary>
    private static readonly Dictionary<string, (string Today, string Yesterday, string LastWeek)> Days = new(StringComparer.Ordinal)
    {
        ["en"] = ("Today, Tuesday 8 September", "Monday 7 September", "Tuesday 1 September"),
        ["sv"] = ("I dag, tisdag 8 september", "måndag 7 september", "tisdag 1 september"),
    };

    private async Task<BundleTab> OpenAsync(int width = PhoneWidth, int height = PhoneHeight, WebBundleFixture? on = null)
    {
        var tab = await BundleTab.OpenAsync(browser, on ?? bundle, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            TimezoneId = "Europe/Stockholm",
        });
        await tab.Context.Clock.SetFixedTimeAsync(Now);
        return tab;
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task ADailyDiaryShowsTodaysEntryOnlyWithinOneAndAHalfPhoneScreens(string locale)
    {
        await using var tab = await OpenAsync();
        foreach (var diary in new[] { "sleep-diary", "exercise-diary" })
        {
            var page = await tab.GotoAsync($"{locale}/worksheets/{diary}.html");
            var entries = page.Locator("form.ce-worksheet fieldset.ce-ws-entry");
            await Expect(entries).ToHaveCountAsync(1);
            await Expect(page.Locator($"[id$='_d2'], [id$='_d1']")).ToHaveCountAsync(0);
            await Expect(page.Locator($"#ws-{diary}-entry_title")).ToHaveTextAsync(Days[locale].Today);
            await Expect(entries).ToHaveAccessibleNameAsync(Days[locale].Today);
            await Expect(page.Locator($"#ws-{diary}-entry_date")).ToHaveValueAsync("2026-09-08");
            var box = (await entries.BoundingBoxAsync())!;
            Assert.True(box.Height <= 1.5 * PhoneHeight, $"{locale} {diary}: the entry is {box.Height} px high, over 1.5 × {PhoneHeight}");
            Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= PhoneWidth, $"{locale} {diary} scrolls sideways");
            await Expect(page.Locator("[data-ws-empty]")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-ws-empty]")).ToHaveTextAsync(bundle.S(locale, "ws.no-entries"));
        }

        // The 0–10 pain scale of the exercise diary is one row inside the entry, and an answer saves a dated entry.
        var p = tab.Page;
        Assert.Equal((await p.Locator("label[for='ws-exercise-diary-pain_e_o0']").BoundingBoxAsync())!.Y,
            (await p.Locator("label[for='ws-exercise-diary-pain_e_o10']").BoundingBoxAsync())!.Y, 1);
        await p.Locator("label[for='ws-exercise-diary-pain_e_o4']").ClickAsync();
        await Expect(p.Locator("#ws-exercise-diary-pain_e_o4")).ToBeCheckedAsync();
        AssertJson("""[{"_date": "2026-09-08", "pain": 4}]""", await tab.AnswersAsync("exercise-diary"), "the exercise diary");
        await Expect(p.Locator("[data-ws-open]")).ToHaveCountAsync(1);
        await Expect(p.Locator("[data-ws-open]")).ToHaveAttributeAsync("aria-current", "true");
        await Expect(p.Locator("[data-ws-open]")).ToHaveAccessibleNameAsync($"{Days[locale].Today} 4/10");
        await Expect(p.Locator("[data-ws-progress]")).ToHaveTextAsync(bundle.S(locale, "ws.days-written").Replace("{n}", "1").Replace("{days}", "7"));
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task AddingAnEntryAndEditingAnEarlierOneKeepsEveryAnswerOverAReload(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/worksheets/exercise-diary.html");
        var title = page.Locator("#ws-exercise-diary-entry_title");
        var date = page.Locator("#ws-exercise-diary-entry_date");
        var activity = page.Locator("#ws-exercise-diary-activity_e");
        var minutes = page.Locator("#ws-exercise-diary-minutes_e");
        var list = page.Locator("[data-ws-list] [data-ws-open]");

        // Today's entry.
        await activity.FillAsync("Walk");
        await minutes.FillAsync("30");
        await page.Locator("label[for='ws-exercise-diary-pain_e_o3']").ClickAsync();

        // Add entry: today is written, so the new entry is for yesterday, a day missed.
        await page.Locator("[data-ws-add]").ClickAsync();
        await Expect(title).ToHaveTextAsync(Days[locale].Yesterday);
        await Expect(date).ToHaveValueAsync("2026-09-07");
        await Expect(date).ToBeFocusedAsync();
        await Expect(activity).ToHaveValueAsync("");
        await Expect(page.Locator("input[name='ws-exercise-diary-pain_e']:checked")).ToHaveCountAsync(0);
        await activity.FillAsync("Cycling");
        await page.Locator("label[for='ws-exercise-diary-pain_e_o6']").ClickAsync();

        // Another, dated a week back by the patient.
        await page.Locator("[data-ws-add]").ClickAsync();
        await Expect(date).ToHaveValueAsync("2026-09-06");
        await date.FillAsync("2026-09-01");
        await Expect(title).ToHaveTextAsync(Days[locale].LastWeek);
        await activity.FillAsync("Swimming");

        AssertJson("""
            [{"_date": "2026-09-01", "activity": "Swimming"},
             {"_date": "2026-09-07", "activity": "Cycling", "pain": 6},
             {"_date": "2026-09-08", "activity": "Walk", "minutes": 30, "pain": 3}]
            """, await tab.AnswersAsync("exercise-diary"), "the diary, oldest first");

        // The list: newest first, each a button named by its date and what was written.
        await Expect(list).ToHaveCountAsync(3);
        await Expect(list.Nth(0)).ToHaveAccessibleNameAsync($"{Days[locale].Today} Walk · 30 min · 3/10");
        await Expect(list.Nth(1)).ToHaveAccessibleNameAsync($"{Days[locale].Yesterday} Cycling · 6/10");
        await Expect(list.Nth(2)).ToHaveAccessibleNameAsync($"{Days[locale].LastWeek} Swimming");
        await Expect(list.Nth(2)).ToHaveAttributeAsync("aria-current", "true");

        // Open yesterday's and change it.
        await list.Nth(1).ClickAsync();
        await Expect(title).ToHaveTextAsync(Days[locale].Yesterday);
        await Expect(activity).ToHaveValueAsync("Cycling");
        await Expect(page.Locator("#ws-exercise-diary-pain_e_o6")).ToBeCheckedAsync();
        await Expect(list.Nth(1)).ToHaveAttributeAsync("aria-current", "true");
        await minutes.FillAsync("45");
        await activity.FillAsync("Cycling to work");

        // After a reload the page opens today's entry, and yesterday's has kept its change.
        await tab.ReloadAsync();
        await Expect(title).ToHaveTextAsync(Days[locale].Today);
        await Expect(activity).ToHaveValueAsync("Walk");
        await Expect(page.Locator("#ws-exercise-diary-pain_e_o3")).ToBeCheckedAsync();
        await list.Nth(1).ClickAsync();
        await Expect(activity).ToHaveValueAsync("Cycling to work");
        await Expect(minutes).ToHaveValueAsync("45");
        var stored = JsonDocument.Parse(await page.EvaluateAsync<string>("key => localStorage.getItem(key)", "contentengine:" + bundle.Graph.Id)).RootElement;
        AssertJson("""
            [{"_date": "2026-09-01", "activity": "Swimming"},
             {"_date": "2026-09-07", "activity": "Cycling to work", "minutes": 45, "pain": 6},
             {"_date": "2026-09-08", "activity": "Walk", "minutes": 30, "pain": 3}]
            """, stored.GetProperty("answers").GetProperty("exercise-diary"), "the diary in the browser's storage");

        // Moving an entry to another day puts it in its place in the list.
        await date.FillAsync("2026-08-31");
        AssertJson("""["2026-08-31", "2026-09-01", "2026-09-08"]""",
            JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(CE.state.getAnswers('exercise-diary').map(e => e._date))")).RootElement,
            "the dates after moving one");

        // Removing it asks first (the tab accepts), and opens today's entry again.
        await page.Locator("[data-ws-remove]").ClickAsync();
        await Expect(title).ToHaveTextAsync(Days[locale].Today);
        await Expect(list).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-ws-add]")).ToBeFocusedAsync();
        tab.AssertClean();
    }

    [Fact]
    public async Task AddEntryAndEarlierEntriesAreReachedAndUsedByKeyboardAlone()
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync("en/worksheets/sleep-diary.html");
        await page.EvaluateAsync("() => CE.state.setAnswers('sleep-diary', [{_date: '2026-09-06', hours: 7}, {_date: '2026-09-07', hours: 5.5, quality: 2}])");
        await tab.ReloadAsync();
        var title = page.Locator("#ws-sleep-diary-entry_title");
        await Expect(title).ToHaveTextAsync(Days["en"].Today);

        // Tab from today's last answer to "add entry", and Enter.
        await page.Locator("#ws-sleep-diary-nap_e_o0").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(page.Locator("#ws-sleep-diary-nap_e_o0")).ToBeCheckedAsync();
        Assert.True(await TabToAsync(page, "[data-ws-add]"), "Tab does not reach 'add entry'");
        await page.Keyboard.PressAsync("Enter");
        // Today and yesterday are written, so the new entry is for the day before them; the focus is in it.
        await Expect(page.Locator("#ws-sleep-diary-entry_date")).ToBeFocusedAsync();
        await Expect(page.Locator("#ws-sleep-diary-entry_date")).ToHaveValueAsync("2026-09-05");
        await Expect(page.Locator("[data-ws-announce]")).ToContainTextAsync(bundle.S("en", "ws.entry-added").Replace("{entry}", "Saturday 5 September"));
        Assert.True(await TabToAsync(page, "#ws-sleep-diary-awake_e"), "Tab does not reach the new entry's fields");
        await page.Keyboard.TypeAsync("30");
        await Expect(page.Locator("#ws-sleep-diary-awake_e")).ToHaveValueAsync("30");

        // Tab on to the list, to the entry of 7 September, and open it with Enter.
        Assert.True(await TabToAsync(page, "[data-ws-open]"), "Tab does not reach the list of entries");
        var names = await page.Locator("[data-ws-open]").EvaluateAllAsync<string[]>("bs => bs.map(b => b.textContent)");
        Assert.Equal(4, names.Length);
        for (var i = 0; i < 4 && !(await page.EvaluateAsync<string>("() => document.activeElement.textContent")).StartsWith("Monday 7 September", StringComparison.Ordinal); i++)
            await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(":focus")).ToHaveAccessibleNameAsync("Monday 7 September 5.5 hours · 2/5");
        await page.Keyboard.PressAsync("Enter");
        await Expect(title).ToHaveTextAsync("Monday 7 September");
        await Expect(page.Locator("#ws-sleep-diary-entry_date")).ToBeFocusedAsync();
        await Expect(page.Locator("#ws-sleep-diary-hours_e")).ToHaveValueAsync("5.5");
        await Expect(page.Locator("[data-ws-announce]")).ToContainTextAsync(bundle.S("en", "ws.entry-opened").Replace("{entry}", "Monday 7 September"));

        // Edit it by keyboard: the quality scale with the arrow keys.
        await page.Locator("#ws-sleep-diary-quality_e_o1").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(page.Locator("#ws-sleep-diary-quality_e_o2")).ToBeCheckedAsync();
        AssertJson("""
            [{"_date": "2026-09-05", "awake": 30}, {"_date": "2026-09-06", "hours": 7}, {"_date": "2026-09-07", "hours": 5.5, "quality": 3},
             {"_date": "2026-09-08", "nap": true}]
            """, await tab.AnswersAsync("sleep-diary"), "the diary after keyboard use");
        tab.AssertClean();
    }

    /// <summary>Answers saved before entries were dated (a daily diary's days by position, an empty day among them) still load and can be edited.</summary>
    [Theory]
    [MemberData(nameof(Locales))]
    public async Task AnswersSavedWithoutDatesStillLoad(string locale)
    {
        const string old = """[{"bedtime": "22:30", "hours": 5.5, "quality": 2}, {}, {"hours": 6}]""";
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/index.html");
        await page.EvaluateAsync("json => CE.state.setAnswers('sleep-diary', JSON.parse(json))", old);
        await tab.GotoAsync($"{locale}/worksheets/sleep-diary.html");
        // Nothing is changed by looking: the page opens a new entry for today, and lists the days written.
        AssertJson(old, await tab.AnswersAsync("sleep-diary"), "the old answers after opening the page");
        await Expect(page.Locator("#ws-sleep-diary-entry_title")).ToHaveTextAsync(Days[locale].Today);
        var list = page.Locator("[data-ws-open]");
        var day = bundle.S(locale, "ws.day");
        await Expect(list).ToHaveCountAsync(2);
        await Expect(list.Nth(0).Locator(".ce-ws-entry-link-date")).ToHaveTextAsync(day.Replace("{n}", "3"));
        await Expect(list.Nth(1).Locator(".ce-ws-entry-link-date")).ToHaveTextAsync(day.Replace("{n}", "1"));
        await list.Nth(1).ClickAsync();
        await Expect(page.Locator("#ws-sleep-diary-entry_title")).ToHaveTextAsync(day.Replace("{n}", "1"));
        await Expect(page.Locator("#ws-sleep-diary-entry_date")).ToHaveValueAsync("");
        await Expect(page.Locator("#ws-sleep-diary-bedtime_e")).ToHaveValueAsync("22:30");
        await Expect(page.Locator("#ws-sleep-diary-hours_e")).ToHaveValueAsync("5.5");
        await page.Locator("#ws-sleep-diary-hours_e").FillAsync("5");
        // The edit stays in its place; the undated entries stay undated.
        AssertJson("""[{"bedtime": "22:30", "hours": 5, "quality": 2}, {}, {"hours": 6}]""", await tab.AnswersAsync("sleep-diary"), "the old answers after an edit");
        // Today's entry joins them, dated, after them.
        await list.Nth(0).ClickAsync();
        await page.Locator("[data-ws-add]").ClickAsync();
        await Expect(page.Locator("#ws-sleep-diary-entry_date")).ToHaveValueAsync("2026-09-08");
        await page.Locator("#ws-sleep-diary-hours_e").FillAsync("7");
        AssertJson("""[{"bedtime": "22:30", "hours": 5, "quality": 2}, {}, {"hours": 6}, {"_date": "2026-09-08", "hours": 7}]""",
            await tab.AnswersAsync("sleep-diary"), "old and new entries");
        // And conditions read them all as before: the mean of 5, 6 and 7 hours is 6.
        Assert.True(await page.EvaluateAsync<bool>("() => CE.isTrue({node: 'binary', op: '==', left: {node: 'aggregate', worksheet: 'sleep-diary', function: 'mean', field: 'hours', type: 'number'}, right: {node: 'number', value: 6}}, CE.state.forConditions())"));
        tab.AssertClean();
    }

    /// <summary>Weekly and per-entry diaries follow the same pattern: one entry open, the others in the list.</summary>
    [Fact]
    public async Task WeeklyAndPerEntryDiariesOpenOneEntryAndListTheOthers()
    {
        using var program = new TestPaths.TempFolder();
        program.File("program.yaml", """
            id: entries
            version: 1.0.0
            title: Entries
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

            Write down every flare-up, and look back on each week.

            ::: worksheet {ref=flare-log}
            Your log.
            :::

            ::: worksheet {ref=week-review}
            Your week.
            :::
            """);
        program.File("worksheets/flare-log.md", """
            ---
            id: flare-log
            title: Flare-up log
            kind: diary
            repeat: entry
            fields:
              - id: strength
                type: scale
                label: How strong was it?
                min: 0
                max: 10
              - id: note
                type: text
                label: What helped?
            ---

            Write an entry for every flare-up.
            """);
        program.File("worksheets/week-review.md", """
            ---
            id: week-review
            title: Week review
            kind: diary
            repeat: weekly
            fields:
              - id: best
                type: longtext
                label: What went well this week?
            ---

            Once a week.
            """);
        using var entries = WebBundleFixture.For(program.Path);
        await using var tab = await OpenAsync(on: entries);

        // Per entry: two flare-ups on the same day are two entries.
        var page = await tab.GotoAsync("en/worksheets/flare-log.html");
        await Expect(page.Locator("#ws-flare-log-entry_title")).ToHaveTextAsync(Days["en"].Today);
        await page.Locator("label[for='ws-flare-log-strength_e_o6']").ClickAsync();
        await page.Locator("#ws-flare-log-note_e").FillAsync("Rest and a walk");
        await page.Locator("[data-ws-add]").ClickAsync();
        await Expect(page.Locator("#ws-flare-log-entry_date")).ToHaveValueAsync("2026-09-08");
        await Expect(page.Locator("#ws-flare-log-note_e")).ToHaveValueAsync("");
        await page.Locator("#ws-flare-log-note_e").FillAsync("Body scan");
        AssertJson("""[{"_date": "2026-09-08", "strength": 6, "note": "Rest and a walk"}, {"_date": "2026-09-08", "note": "Body scan"}]""",
            await tab.AnswersAsync("flare-log"), "the flare-ups");
        var ids = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[id]')].map(e => e.id)");
        Assert.Equal(ids.Length, ids.Distinct().Count());
        // An entry left empty is not kept.
        await page.Locator("[data-ws-add]").ClickAsync();
        await page.Locator("[data-ws-open]").Nth(1).ClickAsync();
        await Expect(page.Locator("#ws-flare-log-note_e")).ToHaveValueAsync("Rest and a walk");
        await Expect(page.Locator("[data-ws-open]")).ToHaveCountAsync(2);
        await tab.ReloadAsync();
        await Expect(page.Locator("#ws-flare-log-note_e")).ToHaveValueAsync("Body scan");
        await Expect(page.Locator("[data-ws-open]")).ToHaveCountAsync(2);

        // Weekly: an entry written five days ago is still this week's, and the page opens it.
        page = await tab.GotoAsync("en/worksheets/week-review.html");
        await page.EvaluateAsync("() => CE.state.setAnswers('week-review', [{_date: '2026-08-27', best: 'Walks'}, {_date: '2026-09-03', best: 'A swim'}])");
        await tab.ReloadAsync();
        await Expect(page.Locator("#ws-week-review-entry_title")).ToHaveTextAsync("Thursday 3 September");
        await Expect(page.Locator("#ws-week-review-best_e")).ToHaveValueAsync("A swim");
        await Expect(page.Locator("[data-ws-open]")).ToHaveCountAsync(2);
        await page.Locator("[data-ws-add]").ClickAsync();
        await Expect(page.Locator("#ws-week-review-entry_title")).ToHaveTextAsync(Days["en"].Today);
        await page.Locator("#ws-week-review-best_e").FillAsync("Back at work");
        await Expect(page.Locator("[data-ws-open]")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-ws-progress]")).ToBeHiddenAsync();
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task TheDiaryDoesNotScrollSidewaysAt320Px(string locale)
    {
        await using var tab = await OpenAsync(320, 640);
        foreach (var diary in new[] { "sleep-diary", "exercise-diary" })
        {
            var page = await tab.GotoAsync($"{locale}/worksheets/{diary}.html");
            await page.EvaluateAsync("""
                ws => CE.state.setAnswers(ws, [{_date: '2026-09-02', activity: 'A long walk round the lake with the dog and the children', bedtime: '23:00', hours: 6, minutes: 300, pain: 7},
                                               {_date: '2026-09-07', activity: 'Walk', hours: 7.5, quality: 4}])
                """, diary);
            await tab.ReloadAsync();
            await Expect(page.Locator("[data-ws-open]")).ToHaveCountAsync(2);
            Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 320, $"{locale} {diary} scrolls sideways at 320 px");
            foreach (var button in await page.Locator("[data-ws-open]").AllAsync())
            {
                var box = (await button.BoundingBoxAsync())!;
                Assert.True(box.X >= 0 && box.X + box.Width <= 320 && box.Height >= 44, $"{locale} {diary}: an entry's button is {box.Width}×{box.Height} at {box.X}");
            }
        }
        tab.AssertClean();
    }

    /// <summary>axe-core finds nothing on a diary with entries, an earlier one open, on a light and on a dark page.</summary>
    [Theory]
    [MemberData(nameof(Locales))]
    public async Task AxeFindsNoViolationOnADiaryWithAnEarlierEntryOpen(string locale)
    {
        var problems = new List<string>();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await using var tab = await BundleTab.OpenAsync(browser, bundle, new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = PhoneWidth, Height = PhoneHeight },
                ColorScheme = scheme,
            });
            await tab.Context.Clock.SetFixedTimeAsync(Now);
            var page = await tab.GotoAsync($"{locale}/worksheets/exercise-diary.html");
            await page.EvaluateAsync("() => CE.state.setAnswers('exercise-diary', [{pain: 2}, {_date: '2026-09-06', activity: 'Walk', minutes: 20, pain: 5}, {_date: '2026-09-08', activity: 'Yoga'}])");
            await tab.ReloadAsync();
            await page.Locator("[data-ws-open]").Nth(1).ClickAsync();
            await Expect(page.Locator("[data-ws-open][aria-current='true']")).ToHaveCountAsync(1);
            await Expect(page.Locator("[data-ws-remove]")).ToBeVisibleAsync();
            var result = await tab.WithoutConsoleErrorsAsync(() => page.RunAxe(new AxeRunOptions
            {
                RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
            }));
            problems.AddRange(result.Violations.Select(v => $"{scheme}: {v.Id} {v.Help}: " + string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))));
            tab.AssertClean();
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Presses Tab until the focus is on an element matching the selector (at most 40 times).</summary>
    private static async Task<bool> TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => !!document.activeElement && document.activeElement.matches(s)", selector)) return true;
        }
        return false;
    }

    private static void AssertJson(string expected, JsonElement actual, string what)
    {
        var e = JsonNode.Parse(expected);
        var a = JsonNode.Parse(actual.GetRawText());
        Assert.True(JsonNode.DeepEquals(e, a), $"{what}:\n expected {e?.ToJsonString()}\n actual   {a?.ToJsonString()}");
    }
}

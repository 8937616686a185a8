using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The worksheets of the sample's web bundle in real Chromium: every field type filled as a patient
/// fills it (mouse and keyboard), the answers in the shapes the condition language reads, kept over
/// a reload and carried by export and import; and what the answers change: <c>::: if</c> blocks,
/// recommended aftercare modules, and the chooser's limit.
/// </summary>
[Collection("browser")]
public sealed class WorksheetBrowserTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    public static TheoryData<string> Locales => ["sv", "en"];

    /// <summary>The day the tests' browser believes it is (diaries date their entries by it).</summary>
    private const string Today = "2026-09-08T12:00:00Z";

    private async Task<BundleTab> OpenAsync()
    {
        var tab = await BundleTab.OpenAsync(browser, bundle);
        await tab.Context.Clock.SetFixedTimeAsync(Today);
        return tab;
    }

    /// <summary>What <see cref="FillEveryWorksheetAsync"/> enters, as the state holds it: every field type of the sample.</summary>
    internal static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["bulls-eye"] = """{"value-work": "Learning new things", "value-relationships": "Being a present parent", "target": {"work": 2, "relationships": 3, "leisure": 4}, "obstacles": "Fear of a flare-up\nafter a bad night"}""",
        ["pain-rating"] = """{"intensity": 8, "control": 2}""",
        ["health-check"] = """{"health-today": 75, "leisure-exercise": 30}""",
        ["aftercare-wishes"] = """{"areas": ["sleep", "work"], "stress": 8, "low-days": 5, "relationship-strain": 3, "work-situation": "part-sick-leave"}""",
        ["looking-back"] = """{"manage-life": 4, "active": 5, "proudest": "Walking to the lake again", "keep-diary": true}""",
        ["relapse-plan"] = """{"warning-signs": "I stop walking", "what-helps": "The body scan", "small-step": "Five minutes outside", "support": "My sister", "review-date": "2026-10-01"}""",
        ["sleep-diary"] = """[{"_date": "2026-09-07", "hours": 6}, {"_date": "2026-09-08", "bedtime": "22:30", "wake-time": "06:15", "awake": 45, "hours": 5.5, "quality": 2, "pain-woke": true, "nap": false}]""",
        ["exercise-diary"] = """[{"_date": "2026-09-08", "activity": "Walk", "minutes": 30, "pain": 9}]""",
        ["activity-plan"] = """{"value": "Being active with my children", "plan": [{"date": "2026-09-07", "time": "10:00", "duration": 20, "activity": "Walk", "choice": "valued", "done": true}, {}, {"activity": "Rest", "choice": "recovery", "done": false}, {}, {}, {}, {}], "ready": false}""",
        ["thought-record"] = """{"records": [{"situation": "At the party", "thought": "I will never manage this", "feeling": "Sad", "intensity": 70, "alternative": "I notice the thought"}, {}, {}, {}, {}]}""",
        ["flexibility"] = """{"q1": 1, "q2": 5, "q3": 2, "q4": 6, "q5": 0, "q6": 4, "q7": 3, "q8": 5}""",
    };

    [Fact]
    public async Task EveryFieldTypeCanBeFilledAndTheAnswersSurviveAReload()
    {
        Assert.Equal(bundle.Graph.Worksheets.Select(w => w.Id).Order(), Expected.Keys.Order());
        await using var tab = await OpenAsync();
        await FillEveryWorksheetAsync(tab);

        // The state holds every answer in the shape the condition language reads.
        var state = await tab.StateAsync();
        foreach (var (worksheet, json) in Expected)
            AssertJson(json, state.GetProperty("answers").GetProperty(worksheet), $"the answers of {worksheet}");

        // After a reload every page shows what was entered.
        foreach (var worksheet in Expected.Keys)
        {
            var page = await tab.GotoAsync($"en/worksheets/{worksheet}.html");
            await tab.ReloadAsync();
            await AssertFormShowsSavedAnswersAsync(page, worksheet);
        }
        var p = tab.Page;
        await tab.GotoAsync("en/worksheets/bulls-eye.html");
        await Expect(p.Locator("#ws-bulls-eye-value-work")).ToHaveValueAsync("Learning new things");
        await Expect(p.Locator("#ws-bulls-eye-obstacles")).ToHaveValueAsync("Fear of a flare-up\nafter a bad night");
        await Expect(p.Locator("#ws-bulls-eye-target_a0_r2")).ToBeCheckedAsync();
        await Expect(p.Locator("#ws-bulls-eye-target_a1_r3")).ToBeCheckedAsync();
        await Expect(p.Locator("#ws-bulls-eye-target_a2_r4")).ToBeCheckedAsync();
        await Expect(p.Locator("input[name='ws-bulls-eye-target_a3']:checked")).ToHaveCountAsync(0);
        await Expect(p.Locator(".ce-ws-target-cell.ce-ws-on")).ToHaveCountAsync(3);
        await Expect(p.Locator(".ce-ws-target-cell.ce-ws-on[data-area='relationships'][data-ring='3']")).ToHaveCountAsync(1);
        await tab.GotoAsync("en/worksheets/health-check.html");
        await Expect(p.Locator("#ws-health-check-health-today")).ToHaveValueAsync("75");
        await Expect(p.Locator("#ws-health-check-health-today_out")).ToHaveTextAsync("75");
        await Expect(p.Locator("#ws-health-check-health-today")).ToHaveAttributeAsync("aria-valuetext", new System.Text.RegularExpressions.Regex("^75\\b"));
        await tab.GotoAsync("en/worksheets/sleep-diary.html");
        await Expect(p.Locator("#ws-sleep-diary-entry_date")).ToHaveValueAsync("2026-09-08");
        await Expect(p.Locator("#ws-sleep-diary-bedtime_e")).ToHaveValueAsync("22:30");
        await Expect(p.Locator("#ws-sleep-diary-hours_e")).ToHaveValueAsync("5.5");
        await p.Locator("[data-ws-open]:not([aria-current])").ClickAsync();
        await Expect(p.Locator("#ws-sleep-diary-entry_date")).ToHaveValueAsync("2026-09-07");
        await Expect(p.Locator("#ws-sleep-diary-bedtime_e")).ToHaveValueAsync("");
        await Expect(p.Locator("#ws-sleep-diary-hours_e")).ToHaveValueAsync("6");
        await tab.GotoAsync("en/worksheets/activity-plan.html");
        await Expect(p.Locator("#ws-activity-plan-plan_r1_c0")).ToHaveValueAsync("2026-09-07");
        await Expect(p.Locator("#ws-activity-plan-plan_r1_c4")).ToHaveValueAsync("valued");
        await Expect(p.Locator("#ws-activity-plan-plan_r3_c5")).ToHaveValueAsync("false");
        tab.AssertClean();
    }

    [Fact]
    public async Task AClearedAnswerIsRemovedFromTheState()
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync("en/worksheets/pain-rating.html");
        await ChooseAsync(page, "ws-pain-rating-intensity", "8");
        await ChooseAsync(page, "ws-pain-rating-control", "2");
        AssertJson("""{"intensity": 8, "control": 2}""", await tab.AnswersAsync("pain-rating"), "pain-rating");
        var clear = page.Locator(".ce-ws-field[data-field='intensity'] [data-ws-clear]");
        await Expect(clear).ToBeVisibleAsync();
        await clear.ClickAsync();
        AssertJson("""{"control": 2}""", await tab.AnswersAsync("pain-rating"), "pain-rating after clearing");
        await Expect(page.Locator("input[name='ws-pain-rating-intensity']:checked")).ToHaveCountAsync(0);
        await Expect(clear).Not.ToBeVisibleAsync();
        tab.AssertClean();
    }

    [Fact]
    public async Task ExportedAnswersAreRestoredByImportAfterStorageIsCleared()
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync("en/index.html");
        await page.EvaluateAsync("""
            json => {
              for (const [ws, value] of Object.entries(JSON.parse(json))) CE.state.setAnswers(ws, value);
              CE.state.update(s => { s.completed = ['welcome', 'values']; s.chosen = ['sleep']; s.week = 3; });
            }
            """, "{" + string.Join(", ", Expected.Select(e => $"\"{e.Key}\": {e.Value.Replace("\n", "\\n")}")) + "}");
        var before = await tab.StateAsync();
        foreach (var (worksheet, json) in Expected)
            AssertJson(json, before.GetProperty("answers").GetProperty(worksheet), $"the answers of {worksheet} set through the state");

        // Export: the overview's button downloads one file with the whole state.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-export]").ClickAsync());
        Assert.EndsWith(".json", download.SuggestedFilename);
        using var temp = new TestPaths.TempFolder();
        var file = Path.Combine(temp.Path, download.SuggestedFilename);
        await download.SaveAsAsync(file);
        var exported = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
        Assert.Equal("contentengine-patient-state", exported.GetProperty("format").GetString());
        Assert.Equal(bundle.Graph.Id, exported.GetProperty("program").GetString());
        Assert.Equal(bundle.Graph.Version, exported.GetProperty("programVersion").GetString());
        foreach (var key in new[] { "timeZone", "start", "week", "completed", "chosen", "answers" })
            AssertJson(before.GetProperty(key).GetRawText(), exported.GetProperty(key), $"the exported {key}");

        // Another browser, or cleared storage: nothing is left.
        await page.EvaluateAsync("() => localStorage.clear()");
        await tab.GotoAsync("en/worksheets/bulls-eye.html");
        AssertJson("null", await tab.AnswersAsync("bulls-eye"), "the answers after clearing");
        await Expect(page.Locator("#ws-bulls-eye-value-work")).ToHaveValueAsync("");

        // Import: the overview's file input shows what the file changes; merged into the empty browser it
        // restores every answer, and the page reloads to show them.
        await tab.GotoAsync("en/index.html");
        await page.EvaluateAsync("() => { window.__beforeImport = true; }");
        await page.Locator("input[type=file][data-import]").SetInputFilesAsync(file);
        await page.Locator("[data-backup-choice='merge']").ClickAsync();
        await page.WaitForFunctionAsync("() => !window.__beforeImport");
        await tab.WaitReadyAsync();
        AssertJson(before.GetRawText(), await tab.StateAsync(), "the state after import");
        foreach (var worksheet in Expected.Keys)
        {
            await tab.GotoAsync($"en/worksheets/{worksheet}.html");
            await AssertFormShowsSavedAnswersAsync(page, worksheet);
        }
        await tab.GotoAsync("en/modules/values.html");
        await Expect(page.Locator("button[data-complete='values']")).ToHaveAttributeAsync("aria-pressed", "true");

        // A file that is not an answers file is refused, and says so.
        var wrong = Path.Combine(temp.Path, "wrong.json");
        await File.WriteAllTextAsync(wrong, """{"hello": "world"}""");
        await tab.GotoAsync("en/index.html");
        await page.Locator("input[type=file][data-import]").SetInputFilesAsync(wrong);
        await Expect(page.Locator("[data-import-status]")).ToContainTextAsync(bundle.S("en", "import-failed"));
        AssertJson(before.GetRawText(), await tab.StateAsync(), "the state after a failed import");
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task IfBlocksShowAndHideWithTheAnswers(string locale)
    {
        await using var tab = await OpenAsync();
        var module = await tab.GotoAsync($"{locale}/modules/work.html");
        var block = module.Locator("main .ce-if");
        await Expect(block).ToHaveCountAsync(1);
        await Expect(block).Not.ToBeVisibleAsync();

        // The pain rating, filled in another tab of the same browser: the module follows at once.
        var sheet = await tab.Context.NewPageAsync();
        await sheet.GotoAsync(bundle.Url($"{locale}/worksheets/pain-rating.html"));
        await ChooseAsync(sheet, "ws-pain-rating-intensity", "8");
        await Expect(block).ToBeVisibleAsync();
        await ChooseAsync(sheet, "ws-pain-rating-intensity", "3");
        await Expect(block).Not.ToBeVisibleAsync();
        await ChooseAsync(sheet, "ws-pain-rating-intensity", "7");
        await sheet.CloseAsync();
        await tab.ReloadAsync();
        await Expect(block).ToBeVisibleAsync();

        // Conditions on a diary's aggregate, and on a chosen module.
        await tab.GotoAsync($"{locale}/modules/committed-action.html");
        var diary = module.Locator("main .ce-if");
        await Expect(diary).Not.ToBeVisibleAsync();
        await module.EvaluateAsync("() => CE.state.setAnswers('exercise-diary', [{minutes: 10}, {minutes: 20}])");
        await Expect(diary).ToBeVisibleAsync();
        await module.EvaluateAsync("() => CE.state.setAnswers('exercise-diary', [{minutes: 30}, {minutes: 20}])");
        await Expect(diary).Not.ToBeVisibleAsync();

        await tab.GotoAsync($"{locale}/modules/relapse-prevention.html");
        var chosen = module.Locator("main .ce-if");
        await Expect(chosen).Not.ToBeVisibleAsync();
        await tab.GotoAsync($"{locale}/aftercare.html");
        await module.Locator("label[for='choose-flare-ups']").ClickAsync();
        await tab.GotoAsync($"{locale}/modules/relapse-prevention.html");
        await Expect(chosen).ToBeVisibleAsync();
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task AnOptionalModuleIsRecommendedWhenTheAnswersMeetItsCondition(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/aftercare.html");
        var offers = page.Locator(".ce-offer");
        // Before any answer, only pacing: it is for patients who have not said what they want to work on.
        await ExpectRecommendedAsync(page, "pacing");
        await Expect(page.Locator(".ce-recommended-badge:visible")).ToHaveCountAsync(1);
        await Expect(page.Locator(".ce-offer-reason:visible")).ToHaveCountAsync(1);

        // Stress at 8 through the real form: "stress >= 7" holds; nothing else does.
        await tab.GotoAsync($"{locale}/worksheets/aftercare-wishes.html");
        await ChooseAsync(page, "ws-aftercare-wishes-stress", "8");
        await ChooseAsync(page, "ws-aftercare-wishes-relationship-strain", "2");
        await page.Locator("#ws-aftercare-wishes-low-days").FillAsync("1");
        await tab.GotoAsync($"{locale}/aftercare.html");
        await ExpectRecommendedAsync(page, "stress");
        var stress = page.Locator(".ce-offer[data-module='stress']");
        await Expect(stress.Locator(".ce-recommended-badge")).ToBeVisibleAsync();
        await Expect(stress.Locator(".ce-recommended-badge")).ToHaveTextAsync(bundle.S(locale, "recommended"));
        await Expect(stress.Locator(".ce-offer-reason")).ToBeVisibleAsync();
        // A screen reader hears it with the checkbox.
        await Expect(stress.Locator("input[type=checkbox]")).ToHaveAccessibleNameAsync(
            bundle.Graph.FindModule("stress")!.Title.Get(locale, bundle.DefaultLocale) + " " + bundle.S(locale, "recommended"));

        // Answers set through the state: the page follows without a reload.
        await page.EvaluateAsync("() => CE.state.setAnswers('sleep-diary', [{hours: 5}, {hours: 6.5}])");
        await ExpectRecommendedAsync(page, "sleep", "stress");
        await page.EvaluateAsync("() => CE.state.setAnswers('sleep-diary', [{hours: 7}, {hours: 6.5}])");
        await ExpectRecommendedAsync(page, "stress");

        // Low stress again: not recommended any more.
        await tab.GotoAsync($"{locale}/worksheets/aftercare-wishes.html");
        await ChooseAsync(page, "ws-aftercare-wishes-stress", "3");
        await page.Locator("#ws-aftercare-wishes-low-days").FillAsync("6");
        await tab.GotoAsync($"{locale}/aftercare.html");
        await ExpectRecommendedAsync(page, "low-mood");
        await Expect(page.Locator(".ce-offer[data-module='stress'] .ce-recommended-badge")).Not.ToBeVisibleAsync();
        Assert.Equal(bundle.Graph.Modules.Count(m => m.Optional), await offers.CountAsync());
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task ChoosingRespectsTheMaximum(string locale)
    {
        var phase = bundle.Graph.Phases.Single(p => p.Choose is not null);
        var max = phase.Choose!.Max!.Value;
        var optional = bundle.Graph.Modules.Where(m => m.Optional && m.Phase == phase.Id).Select(m => m.Id).ToList();
        Assert.True(optional.Count > max, "the sample offers no more modules than may be chosen");

        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/aftercare.html");
        var left = page.Locator("[data-choices-left]");
        await Expect(left).ToHaveTextAsync(max.ToString());
        await Expect(page.Locator("[aria-live='polite']:has([data-choices-left])")).ToHaveCountAsync(1);
        foreach (var id in optional.Take(max))
            await page.Locator($"label[for='choose-{id}']").ClickAsync();
        await Expect(left).ToHaveTextAsync("0");
        foreach (var id in optional.Skip(max))
            await Expect(page.Locator($"#choose-{id}")).ToBeDisabledAsync();
        foreach (var id in optional.Take(max))
            await Expect(page.Locator($"#choose-{id}")).ToBeEnabledAsync();
        // A click on a full chooser's disabled box changes nothing.
        await page.Locator($"label[for='choose-{optional[^1]}']").ClickAsync(new LocatorClickOptions { Force = true });
        await Expect(page.Locator($"#choose-{optional[^1]}")).Not.ToBeCheckedAsync();
        Assert.Equal(optional.Take(max), (await tab.StateAsync()).GetProperty("chosen").EnumerateArray().Select(e => e.GetString()));

        // The choice is kept, and undoing one frees the rest.
        await tab.ReloadAsync();
        await Expect(left).ToHaveTextAsync("0");
        await Expect(page.Locator($"#choose-{optional[^1]}")).ToBeDisabledAsync();
        await page.Locator($"label[for='choose-{optional[0]}']").ClickAsync();
        await Expect(left).ToHaveTextAsync("1");
        foreach (var id in optional)
            await Expect(page.Locator($"#choose-{id}")).ToBeEnabledAsync();
        tab.AssertClean();
    }

    // ---- filling -----------------------------------------------------------------------------

    /// <summary>Fills every worksheet of the sample (English) as a patient does, with mouse and keyboard.</summary>
    private async Task FillEveryWorksheetAsync(BundleTab tab)
    {
        var page = await tab.GotoAsync("en/worksheets/bulls-eye.html");
        await page.Locator("#ws-bulls-eye-value-work").FillAsync("Learning new things");
        await page.Locator("#ws-bulls-eye-value-relationships").PressSequentiallyAsync("Being a present parent");
        // The Bull's-eye by pointer: a click in the target's ring...
        await ClickTargetAsync(page, "work", 2);
        await ClickTargetAsync(page, "leisure", 3);
        await ClickTargetAsync(page, "leisure", 4);
        await Expect(page.Locator(".ce-ws-target-cell.ce-ws-on[data-area='leisure']")).ToHaveCountAsync(1);
        // ... and by keyboard: Tab to the area's rings, Space to mark, arrows to move the mark.
        await page.Locator("#ws-bulls-eye-target_a0_r2").FocusAsync();
        for (var i = 0; i < 10 && !await FocusedIdStartsWith(page, "ws-bulls-eye-target_a1_"); i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.True(await FocusedIdStartsWith(page, "ws-bulls-eye-target_a1_"), "Tab does not reach the rings of the second area");
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(page.Locator("#ws-bulls-eye-target_a1_r3")).ToBeCheckedAsync();
        await Expect(page.Locator(".ce-ws-target-cell.ce-ws-on[data-area='relationships'][data-ring='3']")).ToHaveCountAsync(1);
        await page.Locator("#ws-bulls-eye-obstacles").FillAsync("Fear of a flare-up\nafter a bad night");

        await tab.GotoAsync("en/worksheets/pain-rating.html");
        await ChooseAsync(page, "ws-pain-rating-intensity", "8");
        await ChooseAsync(page, "ws-pain-rating-control", "2");

        // A long scale is a slider: not answered until touched, then moved with the keyboard.
        await tab.GotoAsync("en/worksheets/health-check.html");
        var slider = page.Locator("#ws-health-check-health-today");
        await Expect(page.Locator("#ws-health-check-health-today_out")).ToHaveTextAsync(bundle.S("en", "ws.not-answered"));
        await slider.FocusAsync();
        await page.Keyboard.PressAsync("End");
        for (var i = 0; i < 25; i++) await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(page.Locator("#ws-health-check-health-today_out")).ToHaveTextAsync("75");
        await ChooseAsync(page, "ws-health-check-leisure-exercise", "30");

        await tab.GotoAsync("en/worksheets/aftercare-wishes.html");
        await ChooseAsync(page, "ws-aftercare-wishes-areas", "sleep");
        await ChooseAsync(page, "ws-aftercare-wishes-areas", "stress");
        await ChooseAsync(page, "ws-aftercare-wishes-areas", "work");
        await ChooseAsync(page, "ws-aftercare-wishes-areas", "stress"); // and unticked again
        await ChooseAsync(page, "ws-aftercare-wishes-stress", "8");
        await page.Locator("#ws-aftercare-wishes-low-days").FillAsync("5");
        await ChooseAsync(page, "ws-aftercare-wishes-relationship-strain", "3");
        await ChooseAsync(page, "ws-aftercare-wishes-work-situation", "part-sick-leave");

        await tab.GotoAsync("en/worksheets/looking-back.html");
        await ChooseAsync(page, "ws-looking-back-manage-life", "4");
        await ChooseAsync(page, "ws-looking-back-active", "5");
        await page.Locator("#ws-looking-back-proudest").FillAsync("Walking to the lake again");
        await ChooseAsync(page, "ws-looking-back-keep-diary", "true");

        await tab.GotoAsync("en/worksheets/relapse-plan.html");
        await page.Locator("#ws-relapse-plan-warning-signs").FillAsync("I stop walking");
        await page.Locator("#ws-relapse-plan-what-helps").FillAsync("The body scan");
        await page.Locator("#ws-relapse-plan-small-step").FillAsync("Five minutes outside");
        await page.Locator("#ws-relapse-plan-support").FillAsync("My sister");
        await page.Locator("#ws-relapse-plan-review-date").FillAsync("2026-10-01");

        // A daily diary: today's entry, and one added for the day before.
        await tab.GotoAsync("en/worksheets/sleep-diary.html");
        await page.Locator("#ws-sleep-diary-bedtime_e").FillAsync("22:30");
        await page.Locator("#ws-sleep-diary-wake-time_e").FillAsync("06:15");
        await page.Locator("#ws-sleep-diary-awake_e").FillAsync("45");
        await page.Locator("#ws-sleep-diary-hours_e").FillAsync("5.5");
        await ChooseAsync(page, "ws-sleep-diary-quality_e", "2");
        await ChooseAsync(page, "ws-sleep-diary-pain-woke_e", "true");
        await ChooseAsync(page, "ws-sleep-diary-nap_e", "false");
        await page.Locator("[data-ws-add]").ClickAsync();
        await Expect(page.Locator("#ws-sleep-diary-entry_date")).ToHaveValueAsync("2026-09-07");
        await page.Locator("#ws-sleep-diary-hours_e").PressSequentiallyAsync("6");

        await tab.GotoAsync("en/worksheets/exercise-diary.html");
        await page.Locator("#ws-exercise-diary-activity_e").FillAsync("Walk");
        await page.Locator("#ws-exercise-diary-minutes_e").FillAsync("30");
        await ChooseAsync(page, "ws-exercise-diary-pain_e", "9");

        // Tables: a row per day of the week with every kind of cell; numbered rows.
        await tab.GotoAsync("en/worksheets/activity-plan.html");
        await page.Locator("#ws-activity-plan-value").FillAsync("Being active with my children");
        await page.Locator("#ws-activity-plan-plan_r1_c0").FillAsync("2026-09-07");
        await page.Locator("#ws-activity-plan-plan_r1_c1").FillAsync("10:00");
        await page.Locator("#ws-activity-plan-plan_r1_c2").FillAsync("20");
        await page.Locator("#ws-activity-plan-plan_r1_c3").FillAsync("Walk");
        await page.Locator("#ws-activity-plan-plan_r1_c4").SelectOptionAsync("valued");
        await page.Locator("#ws-activity-plan-plan_r1_c5").SelectOptionAsync("true");
        await page.Locator("#ws-activity-plan-plan_r3_c3").FillAsync("Rest");
        await page.Locator("#ws-activity-plan-plan_r3_c4").SelectOptionAsync("recovery");
        await page.Locator("#ws-activity-plan-plan_r3_c5").SelectOptionAsync("false");
        await ChooseAsync(page, "ws-activity-plan-ready", "false");

        await tab.GotoAsync("en/worksheets/thought-record.html");
        await page.Locator("#ws-thought-record-records_r1_c0").FillAsync("At the party");
        await page.Locator("#ws-thought-record-records_r1_c1").FillAsync("I will never manage this");
        await page.Locator("#ws-thought-record-records_r1_c2").FillAsync("Sad");
        await page.Locator("#ws-thought-record-records_r1_c3").SelectOptionAsync("70");
        await page.Locator("#ws-thought-record-records_r1_c4").FillAsync("I notice the thought");

        await tab.GotoAsync("en/worksheets/flexibility.html");
        foreach (var (q, v) in new[] { ("q1", 1), ("q2", 5), ("q3", 2), ("q4", 6), ("q5", 0), ("q6", 4), ("q7", 3), ("q8", 5) })
            await ChooseAsync(page, $"ws-flexibility-{q}", v.ToString());
    }

    /// <summary>Clicks the label of the radio or checkbox with this name and value, as a patient does.</summary>
    private static async Task ChooseAsync(IPage page, string name, string value)
    {
        var input = page.Locator($"input[name='{name}'][value='{value}']");
        await Expect(input).ToHaveCountAsync(1);
        var id = await input.GetAttributeAsync("id");
        var wasChecked = await input.IsCheckedAsync();
        await page.Locator($"label[for='{id}']").ClickAsync();
        if (await input.GetAttributeAsync("type") == "checkbox") await Expect(input).ToBeCheckedAsync(new() { Checked = !wasChecked });
        else await Expect(input).ToBeCheckedAsync();
    }

    /// <summary>A real click on the Bull's-eye where the mark of this ring of this area is drawn.</summary>
    private static async Task ClickTargetAsync(IPage page, string area, int ring)
    {
        await page.Locator("svg.ce-ws-target-svg").ScrollIntoViewIfNeededAsync();
        var point = await page.EvaluateAsync<double[]>("""
            ([area, ring]) => {
              const dot = document.querySelector(`.ce-ws-target-dot[data-area="${area}"][data-ring="${ring}"]`);
              const svg = dot.ownerSVGElement;
              const p = svg.createSVGPoint();
              p.x = +dot.getAttribute('cx');
              p.y = +dot.getAttribute('cy');
              const q = p.matrixTransform(svg.getScreenCTM());
              const hit = document.elementFromPoint(q.x, q.y);
              if (!hit || hit.getAttribute('data-area') !== area || hit.getAttribute('data-ring') !== String(ring))
                throw new Error(`the point of ring ${ring} of ${area} is not on its cell but on ${hit && hit.outerHTML.slice(0, 120)}`);
              return [q.x, q.y];
            }
            """, new object[] { area, ring });
        await page.Mouse.ClickAsync((float)point[0], (float)point[1]);
        await Expect(page.Locator($".ce-ws-target-area[data-area='{area}'] input[type=radio][value='{ring}']")).ToBeCheckedAsync();
        await Expect(page.Locator($".ce-ws-target-cell.ce-ws-on[data-area='{area}'][data-ring='{ring}']")).ToHaveCountAsync(1);
    }

    private static Task<bool> FocusedIdStartsWith(IPage page, string prefix) =>
        page.EvaluateAsync<bool>("p => !!document.activeElement && document.activeElement.id.startsWith(p)", prefix);

    /// <summary>The form, read back from the page's controls, holds exactly the saved answers.</summary>
    private static async Task AssertFormShowsSavedAnswersAsync(IPage page, string worksheet)
    {
        var json = await page.EvaluateAsync<string>("""
            ws => {
              const sheet = CE.worksheets.sheets.find(s => s.id === ws);
              if (!sheet) return JSON.stringify({ error: 'no form' });
              const shown = sheet.collect();
              return JSON.stringify({ shown: shown === undefined ? null : shown, saved: CE.state.getAnswers(ws) ?? null });
            }
            """, worksheet);
        var result = JsonDocument.Parse(json).RootElement;
        Assert.False(result.TryGetProperty("error", out _), $"{worksheet}: the page has no worksheet form");
        Assert.True(result.GetProperty("saved").ValueKind != JsonValueKind.Null, $"{worksheet}: no answers are saved ({json})");
        AssertJson(result.GetProperty("saved").GetRawText(), result.GetProperty("shown"), $"the form of {worksheet} after loading");
    }

    private static void AssertJson(string expected, JsonElement actual, string what)
    {
        var e = JsonNode.Parse(expected);
        var a = JsonNode.Parse(actual.GetRawText());
        Assert.True(JsonNode.DeepEquals(e, a), $"{what}:\n expected {e?.ToJsonString()}\n actual   {a?.ToJsonString()}");
    }

    private static async Task ExpectRecommendedAsync(IPage page, params string[] modules)
    {
        foreach (var offer in await page.Locator(".ce-offer").AllAsync())
        {
            var id = await offer.GetAttributeAsync("data-module");
            var badge = offer.Locator(".ce-recommended-badge");
            if (modules.Contains(id))
            {
                await Expect(offer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bce-recommended\b"));
                await Expect(badge).ToBeVisibleAsync();
            }
            else
            {
                await Expect(offer).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bce-recommended\b"));
                await Expect(badge).Not.ToBeVisibleAsync();
            }
        }
    }
}

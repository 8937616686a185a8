using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The patient's work is never lost (assets/backup.js): the backup section near the top of the overview and a link
/// to it from every page; a dated backup file that brings every answer back into an emptied browser; an older
/// backup merged over newer answers keeps the newer ones and takes what only the file has, and Replace takes the
/// file; a damaged file changes nothing, byte for byte, and says why; persistent storage is asked for when the
/// patient first saves something; reminders before a pause and after 14 days without a backup.
/// </summary>
[Collection("browser")]
public sealed class BackupBrowserTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    /// <summary>The browsers' clock: Tuesday 8 December 2026, 11:00 in Stockholm.</summary>
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Records each call of navigator.storage.persist in window.__persistCalls; window.__grant says what it answers.</summary>
    private const string PersistStub = """
        (() => {
          window.__persistCalls = 0;
          const persist = () => { window.__persistCalls++; return Promise.resolve(localStorage.getItem('test:grant') === 'yes'); };
          const persisted = () => Promise.resolve(false);
          if (navigator.storage) { navigator.storage.persist = persist; navigator.storage.persisted = persisted; }
          else Object.defineProperty(navigator, 'storage', { value: { persist, persisted }, configurable: true });
        })();
        """;

    private async Task<BundleTab> OpenAsync(DateTimeOffset? now = null, int width = 1000)
    {
        var tab = await BundleTab.OpenAsync(browser, bundle, new BrowserNewContextOptions
        {
            AcceptDownloads = true,
            TimezoneId = "Europe/Stockholm",
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
        });
        await tab.Context.Clock.SetFixedTimeAsync((now ?? Now).UtcDateTime);
        await tab.Context.AddInitScriptAsync(PersistStub);
        return tab;
    }

    private string Key => "contentengine:" + bundle.Graph.Id;

    private static async Task<string> StoredAsync(IPage page, string key) =>
        await page.EvaluateAsync<string?>("k => localStorage.getItem(k)", key) ?? "null";

    private static async Task<(string Name, string Text)> ExportAsync(IPage page, string selector = "[data-export]")
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(selector).ClickAsync());
        using var temp = new TestPaths.TempFolder();
        var file = Path.Combine(temp.Path, download.SuggestedFilename);
        await download.SaveAsAsync(file);
        return (download.SuggestedFilename, await File.ReadAllTextAsync(file));
    }

    private static async Task ChooseFileAsync(IPage page, string json) =>
        await page.Locator("input[type=file][data-import]").SetInputFilesAsync(new FilePayload
        {
            Name = "backup.json",
            MimeType = "application/json",
            Buffer = Encoding.UTF8.GetBytes(json),
        });

    /// <summary>Clicks Merge or Replace and waits for the page to have reloaded with the state.</summary>
    private static async Task ChooseAsync(BundleTab tab, string choice)
    {
        await tab.Page.EvaluateAsync("() => { window.__beforeImport = true; }");
        await tab.Page.Locator($"[data-backup-choice='{choice}']").ClickAsync();
        await tab.Page.WaitForFunctionAsync("() => !window.__beforeImport");
        await tab.WaitReadyAsync();
    }

    /// <summary>The changes the preview lists, by kind (data-change) to the number it says.</summary>
    private static async Task<Dictionary<string, string>> ChangesAsync(IPage page)
    {
        await Expect(page.Locator("[data-backup-preview]")).ToBeVisibleAsync();
        var json = await page.EvaluateAsync<string>("() => JSON.stringify([...document.querySelectorAll('[data-backup-changes] li')].map(li => [li.getAttribute('data-change'), li.textContent]))");
        return JsonSerializer.Deserialize<string[][]>(json)!.ToDictionary(x => x[0], x => x[1]);
    }

    private static void AssertJson(string expected, JsonNode? actual, string what) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"{what}: expected {expected}, got {actual?.ToJsonString()}");

    [Fact]
    public async Task EveryAnswerComesBackFromADatedBackupIntoAnEmptiedBrowser()
    {
        await using var tab = await OpenAsync();
        // Some answers typed into the forms, the rest of every worksheet set through the state.
        var page = await tab.GotoAsync("en/worksheets/bulls-eye.html");
        await page.Locator("#ws-bulls-eye-value-work").FillAsync("Learning new things");
        await page.Locator("#ws-bulls-eye-obstacles").FillAsync("Fear of a flare-up\nafter a bad night");
        await tab.GotoAsync("en/worksheets/relapse-plan.html");
        await page.Locator("#ws-relapse-plan-warning-signs").FillAsync("I stop walking");
        await page.EvaluateAsync("""
            json => {
              for (const [ws, value] of Object.entries(JSON.parse(json))) if (ws !== 'bulls-eye' && ws !== 'relapse-plan') CE.state.setAnswers(ws, value);
              CE.state.update(s => { s.completed = ['welcome', 'values']; s.chosen = ['sleep']; });
            }
            """, "{" + string.Join(", ", WorksheetBrowserTests.Expected.Select(e => $"\"{e.Key}\": {e.Value.Replace("\n", "\\n")}")) + "}");
        page = await tab.GotoAsync("en/index.html");
        var before = JsonNode.Parse(await StoredAsync(page, Key))!;
        Assert.Equal(2, (int)before["version"]!);
        Assert.Equal(WorksheetBrowserTests.Expected.Count, before["answers"]!.AsObject().Count);
        Assert.Equal("2026-12-08T10:00:00.000Z", (string?)before["saved"]!["bulls-eye"]!["value-work"]);

        // The file is named by the program and the patient's date, and holds the state as stored.
        var (name, text) = await ExportAsync(page);
        Assert.Equal($"{bundle.Graph.Id}-backup-2026-12-08.json", name);
        Assert.True(JsonNode.DeepEquals(before, JsonNode.Parse(text)), "the backup differs from the stored state");
        await Expect(page.Locator("[data-import-status]")).ToHaveTextAsync(bundle.S("en", "progress-backup-saved").Replace("{0}", name, StringComparison.Ordinal));

        // The browser forgets everything; the backup brings every answer back.
        await page.EvaluateAsync("() => localStorage.clear()");
        page = await tab.GotoAsync("en/index.html");
        await ChooseFileAsync(page, text);
        var changes = await ChangesAsync(page);
        Assert.Contains("answers-file-only", changes.Keys);
        Assert.Contains("entries-file-only", changes.Keys);
        Assert.Equal(bundle.S("en", "progress-backup-done-file-only").Replace("{0}", "2", StringComparison.Ordinal), changes["done-file-only"]);
        await ChooseAsync(tab, "merge");
        await Expect(page.Locator("[data-import-status]")).ToHaveTextAsync(bundle.S("en", "progress-backup-merged"));
        var after = JsonNode.Parse(await StoredAsync(page, Key))!;
        Assert.True(JsonNode.DeepEquals(before, after), $"the state after the backup came back:\n{after.ToJsonString()}\nbefore:\n{before.ToJsonString()}");
        foreach (var (worksheet, json) in WorksheetBrowserTests.Expected.Where(e => e.Key is not ("bulls-eye" or "relapse-plan")))
            AssertJson(json, after["answers"]![worksheet], worksheet);
        AssertJson("""{"value-work": "Learning new things", "obstacles": "Fear of a flare-up\nafter a bad night"}""", after["answers"]!["bulls-eye"], "bulls-eye");
        AssertJson("""{"warning-signs": "I stop walking"}""", after["answers"]!["relapse-plan"], "relapse-plan");
        await tab.GotoAsync("en/worksheets/bulls-eye.html");
        await Expect(page.Locator("#ws-bulls-eye-obstacles")).ToHaveValueAsync("Fear of a flare-up\nafter a bad night");
        tab.AssertClean();
    }

    /// <summary>A backup saved on 1 December: older than what the browser saved after it, newer than what it saved before.</summary>
    private const string OlderBackup = """
        {"format": "contentengine-patient-state", "version": 2, "program": "iact-chronic-pain", "timeZone": "Europe/Stockholm", "start": "2026-11-23",
         "completed": ["welcome", "values"], "chosen": [],
         "answers": {
           "pain-rating": {"intensity": 3, "control": 5},
           "bulls-eye": {"value-work": "From the file"},
           "sleep-diary": [{"_date": "2026-11-30", "hours": 5}, {"_date": "2026-12-01", "hours": 7}]
         },
         "saved": {
           "pain-rating": {"intensity": "2026-12-01T08:00:00.000Z", "control": "2026-12-01T08:00:00.000Z"},
           "bulls-eye": {"value-work": "2026-12-01T08:00:00.000Z"},
           "sleep-diary": {"2026-11-30": "2026-12-01T08:00:00.000Z", "2026-12-01": "2026-12-01T08:00:00.000Z"}
         }}
        """;

    /// <summary>The browser's own answers: the Bull's-eye on 20 November (before the backup), the rest today (after it).</summary>
    private static async Task AnswerHereAsync(BundleTab tab)
    {
        await tab.Context.Clock.SetFixedTimeAsync(new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc));
        var page = await tab.GotoAsync("en/index.html");
        await page.EvaluateAsync("() => { CE.state.update(s => { s.start = '2026-11-23'; s.completed = ['welcome']; }); CE.state.setAnswers('bulls-eye', {'value-work': 'Typed here first'}); }");
        await tab.Context.Clock.SetFixedTimeAsync(Now.UtcDateTime);
        await tab.ReloadAsync();
        await page.EvaluateAsync("() => { CE.state.setAnswers('pain-rating', {intensity: 8}); CE.state.setAnswers('sleep-diary', [{_date: '2026-11-30', hours: 6}]); }");
    }

    [Fact]
    public async Task AnOlderBackupMergedKeepsTheNewerAnswersAndTakesWhatOnlyTheFileHasAndReplaceTakesTheFile()
    {
        await using var tab = await OpenAsync();
        await AnswerHereAsync(tab);
        var page = tab.Page;

        // Before anything changes, the page says what the file would change.
        var before = await StoredAsync(page, Key);
        await ChooseFileAsync(page, OlderBackup);
        var changes = await ChangesAsync(page);
        string Say(string key, int n) => bundle.S("en", "progress-backup-" + key).Replace("{0}", n.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string>
        {
            ["answers-newer"] = Say("answers-newer", 1),          // the Bull's-eye: saved here before the backup
            ["answers-file-only"] = Say("answers-file-only", 1),  // control
            ["answers-older"] = Say("answers-older", 1),          // intensity: saved here after the backup
            ["entries-file-only"] = Say("entries-file-only", 1),  // 1 December
            ["entries-older"] = Say("entries-older", 1),          // 30 November
            ["done-file-only"] = Say("done-file-only", 1),        // values
        }, changes);
        Assert.Equal(before, await StoredAsync(page, Key));

        // Cancel changes nothing.
        await page.Locator("[data-backup-choice='cancel']").ClickAsync();
        await Expect(page.Locator("[data-backup-preview]")).ToBeHiddenAsync();
        await Expect(page.Locator("[data-import-status]")).ToHaveTextAsync(bundle.S("en", "progress-backup-cancelled"));
        Assert.Equal(before, await StoredAsync(page, Key));

        // Merge: the newest answer of each field and entry; what only the file has; modules done in either.
        await ChooseFileAsync(page, OlderBackup);
        await ChangesAsync(page);
        await ChooseAsync(tab, "merge");
        var merged = JsonNode.Parse(await StoredAsync(page, Key))!;
        AssertJson("""{"intensity": 8, "control": 5}""", merged["answers"]!["pain-rating"], "pain-rating");
        AssertJson("""{"value-work": "From the file"}""", merged["answers"]!["bulls-eye"], "bulls-eye");
        AssertJson("""[{"_date": "2026-11-30", "hours": 6}, {"_date": "2026-12-01", "hours": 7}]""", merged["answers"]!["sleep-diary"], "sleep-diary");
        AssertJson("""["welcome", "values"]""", merged["completed"], "completed");
        AssertJson("""{"intensity": "2026-12-08T10:00:00.000Z", "control": "2026-12-01T08:00:00.000Z"}""", merged["saved"]!["pain-rating"], "the times of pain-rating");
        // Opening the same file again finds nothing new.
        await ChooseFileAsync(page, OlderBackup);
        var again = await ChangesAsync(page);
        Assert.DoesNotContain(again.Keys, k => k.EndsWith("file-only", StringComparison.Ordinal) || k.EndsWith("newer", StringComparison.Ordinal));
        await page.Locator("[data-backup-choice='cancel']").ClickAsync();

        // Replace: everything as in the file.
        await ChooseFileAsync(page, OlderBackup);
        await ChangesAsync(page);
        await ChooseAsync(tab, "replace");
        await Expect(page.Locator("[data-import-status]")).ToHaveTextAsync(bundle.S("en", "progress-backup-replaced"));
        var replaced = JsonNode.Parse(await StoredAsync(page, Key))!;
        var file = JsonNode.Parse(OlderBackup)!;
        foreach (var key in new[] { "answers", "saved", "completed", "chosen", "start", "timeZone" })
            AssertJson(file[key]!.ToJsonString(), replaced[key], key);
        tab.AssertClean();
    }

    public static TheoryData<string> Locales => ["en", "sv"];

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task ADamagedFileChangesNothingByteForByteAndSaysWhyInThePatientsLanguage(string locale)
    {
        await using var tab = await OpenAsync();
        await AnswerHereAsync(tab);
        var page = await tab.GotoAsync($"{locale}/index.html");
        var before = await StoredAsync(page, Key);
        var (_, good) = await ExportAsync(page);
        var backupInfo = await StoredAsync(page, Key + ":backup");
        var damaged = new Dictionary<string, string>
        {
            ["invalid"] = good.Replace("\"hours\": 6", "\"hours\": 6}, 5, {\"x\": 1", StringComparison.Ordinal),
            ["not-state"] = good[..(good.Length / 2)],
            ["newer"] = good.Replace("\"version\": 2", "\"version\": 3", StringComparison.Ordinal),
        };
        damaged["invalid-time"] = good.Replace(".000Z\"", "Z\"", StringComparison.Ordinal);
        foreach (var (why, text) in damaged)
        {
            await ChooseFileAsync(page, text);
            var code = why == "invalid-time" ? "invalid" : why;
            await Expect(page.Locator("[data-import-status]")).ToHaveTextAsync(bundle.S(locale, "import-failed") + ": " + bundle.S(locale, "progress-import-" + code));
            await Expect(page.Locator("[data-backup-preview]")).ToBeHiddenAsync();
            Assert.True(before == await StoredAsync(page, Key), $"{why}: the stored state changed");
            Assert.Equal(backupInfo, await StoredAsync(page, Key + ":backup"));
        }
        tab.AssertClean();
    }

    [Fact]
    public async Task PersistentStorageIsAskedForWhenThePatientFirstSavesAndTheBackupSectionSaysWhenItWasNotGranted()
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync("en/index.html");
        // Opening the program (which records its start date) asks nothing.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.__persistCalls"));
        await Expect(page.Locator("[data-backup-not-kept]")).ToBeVisibleAsync();

        // The first answer asks, once on the page; the browser's refusal is remembered.
        await tab.GotoAsync("en/worksheets/bulls-eye.html");
        await page.Locator("#ws-bulls-eye-value-work").FillAsync("Learning");
        await page.Locator("#ws-bulls-eye-value-work").FillAsync("Learning new things");
        await page.WaitForFunctionAsync("() => window.__persistCalls === 1 && JSON.parse(localStorage.getItem(CE.state.key + ':backup')).persisted === 'denied'");
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.__persistCalls"));
        await tab.GotoAsync("en/index.html");
        await Expect(page.Locator("[data-backup-not-kept]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-backup-not-kept]")).ToHaveTextAsync(bundle.S("en", "backup-not-kept"));

        // Setting the start date asks again; granted, it is remembered, the warning goes, and nothing asks again.
        await page.EvaluateAsync("() => localStorage.setItem('test:grant', 'yes')");
        await page.Locator("[data-start-input]").FillAsync("2026-12-01");
        await page.Locator("[data-start-input]").DispatchEventAsync("change");
        await page.WaitForFunctionAsync("() => window.__persistCalls === 1");
        await Expect(page.Locator("[data-backup-not-kept]")).ToBeHiddenAsync();
        await tab.GotoAsync("en/worksheets/bulls-eye.html");
        await page.Locator("#ws-bulls-eye-value-work").FillAsync("Learning new things, slowly");
        await page.WaitForFunctionAsync("() => CE.state.getAnswers('bulls-eye')['value-work'] === 'Learning new things, slowly'");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.__persistCalls"));
        tab.AssertClean();
    }

    [Fact]
    public async Task TheOverviewRemindsOfABackupWhenNoneWasMadeAndAfter14DaysAndNotNowPutsItAway()
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync("en/index.html");
        var reminder = page.Locator("[data-backup-reminder]");
        // Nothing to lose yet: no reminder.
        await Expect(reminder).ToBeHiddenAsync();

        await page.EvaluateAsync("() => CE.state.setAnswers('pain-rating', {intensity: 6})");
        await Expect(reminder).ToBeVisibleAsync();
        await Expect(reminder).ToContainTextAsync(bundle.S("en", "progress-backup-remind-never"));
        // Its button saves the backup, and the reminder goes.
        var (name, _) = await ExportAsync(page, "[data-backup-save]");
        Assert.Equal($"{bundle.Graph.Id}-backup-2026-12-08.json", name);
        await Expect(reminder).ToBeHiddenAsync();
        await Expect(page.Locator("[data-backup-last]")).ToContainTextAsync("8 December");

        // 13 days later: still quiet; 15 days later: reminded, once a week at most after "Not now".
        await tab.Context.Clock.SetFixedTimeAsync(Now.AddDays(13).UtcDateTime);
        await tab.ReloadAsync();
        await Expect(reminder).ToBeHiddenAsync();
        await tab.Context.Clock.SetFixedTimeAsync(Now.AddDays(15).UtcDateTime);
        await tab.ReloadAsync();
        await Expect(reminder).ToBeVisibleAsync();
        await Expect(reminder).ToContainTextAsync(bundle.S("en", "progress-backup-remind-old"));
        await page.Locator("[data-backup-dismiss]").ClickAsync();
        await Expect(reminder).ToBeHiddenAsync();
        await tab.ReloadAsync();
        await Expect(reminder).ToBeHiddenAsync();
        // Other pages never remind.
        await tab.GotoAsync("en/worksheets/pain-rating.html");
        Assert.Equal(0, await page.Locator("[data-backup-reminder]").CountAsync());
        await tab.Context.Clock.SetFixedTimeAsync(Now.AddDays(23).UtcDateTime);
        await tab.GotoAsync("en/index.html");
        await Expect(reminder).ToBeVisibleAsync();
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task TheOverviewRemindsOfABackupInTheWeekBeforeAPause(string locale)
    {
        // The sample's aftercare begins in week 11 after a pause of 4 weeks: the pause starts on day 43.
        var phase = bundle.Graph.Phases.Single(p => p.PauseBefore > 0);
        var pauseDay = (phase.FirstWeek - phase.PauseBefore - 1) * 7;
        var pause = DateOnly.FromDateTime(Now.UtcDateTime);
        await using var tab = await OpenAsync(width: 390);
        var page = await tab.GotoAsync($"{locale}/index.html");
        var reminder = page.Locator("[data-backup-reminder]");
        async Task StartAsync(int daysBeforePause)
        {
            var start = pause.AddDays(daysBeforePause - pauseDay).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            await page.EvaluateAsync("start => CE.state.update(s => { s.start = start; s.week = null; })", start);
            await tab.ReloadAsync();
        }

        // Three weeks before the pause, with a backup made a while ago: nothing.
        await page.EvaluateAsync("k => localStorage.setItem(k, JSON.stringify({last: '2026-11-30T09:00:00.000Z'}))", Key + ":backup");
        await StartAsync(21);
        await Expect(reminder).ToBeHiddenAsync();
        // Four days before it: reminded, with the pause's date.
        await StartAsync(4);
        await Expect(reminder).ToBeVisibleAsync();
        await Expect(reminder).ToHaveAttributeAsync("data-reason", "pause");
        var date = await page.EvaluateAsync<string>("d => CE.formatDate(d, true)", pause.AddDays(4).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(reminder).ToContainTextAsync(bundle.S(locale, "progress-backup-remind-pause").Replace("{0}", date, StringComparison.Ordinal));
        await ShotAsync(page, $"backup-overview-390-{locale}");
        // A backup made now is enough.
        await ExportAsync(page, "[data-backup-save]");
        await Expect(reminder).ToBeHiddenAsync();
        await tab.ReloadAsync();
        await Expect(reminder).ToBeHiddenAsync();
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task EveryPageLinksToTheBackupSectionNearTheTopOfTheOverview(string locale)
    {
        await using var tab = await OpenAsync(width: 390);
        foreach (var (_, path) in bundle.PageTypes(locale))
        {
            var page = await tab.GotoAsync(path);
            var link = page.Locator("a[data-backup-link]");
            await Expect(link).ToHaveTextAsync(bundle.S(locale, "backup-nav"));
            await link.ClickAsync();
            await tab.ArriveAtAsync($"{locale}/index.html");
            await Expect(page.Locator("#backup")).ToBeInViewportAsync();
        }
        // The section comes before the modules, high on the page.
        var page2 = tab.Page;
        var top = await page2.EvaluateAsync<double>("() => document.getElementById('backup').getBoundingClientRect().top + window.scrollY");
        var phases = await page2.EvaluateAsync<double>("() => document.querySelector('.ce-phase').getBoundingClientRect().top + window.scrollY");
        Assert.True(top < phases, $"the backup section ({top}px) comes after the modules ({phases}px)");
        tab.AssertClean();
    }

    /// <summary>Saves a screenshot where CONTENTENGINE_SCREENSHOTS points, for a person to look at; nothing otherwise.</summary>
    private static async Task ShotAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("CONTENTENGINE_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder)) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}

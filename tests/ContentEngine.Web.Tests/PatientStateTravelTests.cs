using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentEngine.Cli.Preview;
using ContentEngine.Runtime.Patients;
using ContentEngine.Runtime.Programs;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The stored patient state travels (docs/package-format.md, "The patient's state"): the runtime writes it,
/// the web bundle imports and exports it in Chromium, the preview imports and exports that, and the runtime
/// reads back what it wrote. The browser counts the patient's days in the state's time zone, across
/// daylight-saving changes, and refuses a file it cannot use, changing nothing and saying why.
/// </summary>
[Collection("browser")]
public sealed class PatientStateTravelTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    /// <summary>The instant the browsers' clocks are fixed at: week 4 for a patient who started on 2026-09-07.</summary>
    private static readonly DateTimeOffset Now = new(2026, 9, 29, 10, 0, 0, TimeSpan.Zero);

    private PatientRecord Patient()
    {
        var answers = """
            {
              "pain-rating": {"intensity": 7, "control": 3},
              "sleep-diary": [
                {"_date": "2026-09-08", "bedtime": "23:30", "hours": 5, "quality": 4},
                {"_date": "2026-09-09", "hours": 6.5, "pain-woke": true}
              ],
              "activity-plan": {"value": "Vara med familjen", "plan": [{"date": "2026-09-10", "activity": "Promenad", "duration": 30}, {}, {"activity": "Simning – 20 min"}]},
              "bulls-eye": {"value-work": "Vara närvarande \"på riktigt\"", "target": {"work": 3, "health": 2}}
            }
            """;
        var kept = """{"old-worksheet": {"field": 3}}""";
        Assert.NotNull(bundle.Graph.FindModule("sleep"));
        return new PatientRecord
        {
            ProgramId = bundle.Graph.Id,
            ProgramVersion = bundle.Graph.Version,
            TimeZone = "Europe/Stockholm",
            StartDate = new DateOnly(2026, 9, 7),
            Completed = ["welcome", "values", "sleep"],
            Chosen = ["sleep"],
            Answers = PatientRecord.Typed(JsonDocument.Parse(answers).RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.Clone()))),
            KeptAside = PatientRecord.Typed(JsonDocument.Parse(kept).RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.Clone()))),
        };
    }

    /// <summary>JSON with every object's keys in ordinal order, to compare two writers' files whatever their key order.</summary>
    private static string Normalised(string json)
    {
        static JsonNode? Sort(JsonNode? node) => node switch
        {
            JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value?.DeepClone())))),
            JsonArray a => new JsonArray([.. a.Select(x => Sort(x?.DeepClone()))]),
            _ => node?.DeepClone(),
        };
        return Sort(JsonNode.Parse(json))!.ToJsonString();
    }

    /// <summary>
    /// Chooses a file in the overview's import, replaces the state with it when the page has shown what it
    /// changes, waits for the page to reload with it, and returns nothing until it has.
    /// </summary>
    private static async Task ImportAsync(IPage page, string name, string json)
    {
        await page.EvaluateAsync("() => { window.__beforeImport = true; }");
        await page.Locator("input[type=file][data-import]").SetInputFilesAsync(new FilePayload
        {
            Name = name,
            MimeType = "application/json",
            Buffer = Encoding.UTF8.GetBytes(json),
        });
        await page.Locator("[data-backup-choice='replace']").ClickAsync();
        await page.WaitForFunctionAsync("() => !window.__beforeImport");
        await page.WaitForFunctionAsync("() => document.readyState === 'complete' && !!(window.CE && CE.state && CE.refresh)");
    }

    /// <summary>Clicks the overview's export and returns the file it downloads.</summary>
    private static async Task<string> ExportAsync(IPage page)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-export]").ClickAsync());
        using var temp = new TestPaths.TempFolder();
        var file = Path.Combine(temp.Path, download.SuggestedFilename);
        await download.SaveAsAsync(file);
        return await File.ReadAllTextAsync(file);
    }

    [Fact]
    public async Task AStateWrittenByTheRuntimeComesBackEqualThroughTheWebBundleAndThePreview()
    {
        var record = Patient();
        var written = record.ToJson();
        var program = bundle.Graph;
        var expectedWeek = program.Evaluate(record, Now).Week;
        Assert.Equal(4, expectedWeek);

        // The web bundle, opened from file:// in a fresh browser whose own time zone is not the patient's.
        string fromWeb;
        await using (var tab = await BundleTab.OpenAsync(browser, bundle, new BrowserNewContextOptions { AcceptDownloads = true, TimezoneId = "America/New_York" }))
        {
            await tab.Context.Clock.SetFixedTimeAsync(Now.UtcDateTime);
            var page = await tab.GotoAsync("sv/index.html");
            await ImportAsync(page, "iact-chronic-pain-answers.json", written);
            await Expect(page.Locator("[data-import-status]")).ToHaveTextAsync(bundle.S("sv", "progress-backup-replaced"));
            await Expect(page.Locator("[data-current-week]")).ToHaveTextAsync(expectedWeek.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("Europe/Stockholm", await page.EvaluateAsync<string>("() => CE.state.get().timeZone"));
            await tab.GotoAsync("sv/modules/values.html");
            await Expect(page.Locator("button[data-complete='values']")).ToHaveAttributeAsync("aria-pressed", "true");
            await tab.GotoAsync("sv/index.html");
            fromWeb = await ExportAsync(page);
            tab.AssertClean();
        }
        Assert.Equal(Normalised(written), Normalised(fromWeb));

        // The preview, served by the running preview server, in another fresh browser.
        string fromPreview;
        using var temp = new TestPaths.TempFolder();
        var folder = Path.Combine(temp.Path, "iact-chronic-pain");
        CopyFolder(TestPaths.Repo("content", "iact-chronic-pain"), folder);
        await using (var preview = await PreviewServer.StartAsync(new PreviewOptions { ProgramFolder = folder }, new StringWriter()))
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, TimezoneId = "Asia/Tokyo" });
            await context.Clock.SetFixedTimeAsync(Now.UtcDateTime);
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(preview.Url, "sv/index.html").ToString());
            await page.WaitForFunctionAsync("() => window.__cePreview && window.__cePreview.connected === true", null, new() { Timeout = 10_000 });
            await ImportAsync(page, "iact-chronic-pain-answers.json", fromWeb);
            await Expect(page.Locator("[data-current-week]")).ToHaveTextAsync(expectedWeek.ToString(System.Globalization.CultureInfo.InvariantCulture));
            fromPreview = await ExportAsync(page);
            await context.CloseAsync();
        }
        Assert.Equal(Normalised(written), Normalised(fromPreview));

        // And the runtime reads back the patient it wrote.
        var back = PatientRecord.Parse(fromPreview);
        Assert.Equal(record, back);
        Assert.Equal(written, back.ToJson());
        Assert.Equal(expectedWeek, program.Evaluate(back, Now).Week);
    }

    [Fact]
    public async Task TheWebBundleReadsTheOlderAnswersFileAndRecordsTheTimeZoneWithTheStartDate()
    {
        await using var tab = await BundleTab.OpenAsync(browser, bundle, new BrowserNewContextOptions { AcceptDownloads = true, TimezoneId = "Europe/Stockholm" });
        await tab.Context.Clock.SetFixedTimeAsync(Now.UtcDateTime);
        var page = await tab.GotoAsync("en/index.html");
        // The first visit starts the program today, in the browser's time zone, which the state records.
        var first = JsonNode.Parse(await page.EvaluateAsync<string>("() => CE.state.exportJson()"))!;
        Assert.Equal("contentengine-patient-state", (string?)first["format"]);
        Assert.Equal(bundle.Graph.Version, (string?)first["programVersion"]);
        Assert.Equal("Europe/Stockholm", (string?)first["timeZone"]);
        Assert.Equal("2026-09-29", (string?)first["start"]);

        await ImportAsync(page, "old.json", """
            {"format": "contentengine-answers", "version": 1, "program": "PROGRAM",
             "state": {"week": null, "start": "2026-09-07", "completed": ["welcome"], "chosen": [], "answers": {"pain-rating": {"intensity": 4}}}}
            """.Replace("PROGRAM", bundle.Graph.Id, StringComparison.Ordinal));
        var record = PatientRecord.Parse(await ExportAsync(page));
        Assert.Equal(new PatientRecord
        {
            ProgramId = bundle.Graph.Id,
            ProgramVersion = bundle.Graph.Version,
            StartDate = new DateOnly(2026, 9, 7),
            Completed = ["welcome"],
            Answers = PatientRecord.Parse("""{"format": "contentengine-patient-state", "version": 1, "program": "x", "answers": {"pain-rating": {"intensity": 4}}}""").Answers,
        }, record);

        // What this browser kept before the stored format (the bare state, its dates local to the browser) is read
        // on the browser's time zone, and stored in the format at the next change.
        await page.EvaluateAsync("key => localStorage.setItem(key, JSON.stringify({week: null, start: '2026-09-14', completed: ['welcome'], chosen: [], answers: {}}))",
            "contentengine:" + bundle.Graph.Id);
        await tab.ReloadAsync();
        Assert.Equal(3, await page.EvaluateAsync<int>("() => CE.state.week()"));
        await page.EvaluateAsync("() => CE.state.setAnswers('pain-rating', {intensity: 5})");
        var stored = PatientRecord.Parse(await page.EvaluateAsync<string>("key => localStorage.getItem(key)", "contentengine:" + bundle.Graph.Id));
        Assert.Equal(("Europe/Stockholm", new DateOnly(2026, 9, 14)), (stored.TimeZone, stored.StartDate));
        Assert.Equal(["welcome"], stored.Completed);
        tab.AssertClean();
    }

    public static TheoryData<string, string, string> RefusedFiles => new()
    {
        { "not JSON", "{\"format\": ", "import-not-state" },
        { "another format", """{"resourceType": "QuestionnaireResponse", "status": "completed"}""", "import-not-state" },
        { "another program", """{"format": "contentengine-patient-state", "version": 1, "program": "another-program"}""", "import-other-program" },
        { "a newer format", """{"format": "contentengine-patient-state", "version": 3, "program": "iact-chronic-pain"}""", "import-newer" },
        { "an unknown time zone", """{"format": "contentengine-patient-state", "version": 1, "program": "iact-chronic-pain", "timeZone": "Europe/Atlantis"}""", "import-time-zone" },
        { "a malformed date", """{"format": "contentengine-patient-state", "version": 1, "program": "iact-chronic-pain", "start": "2026-02-30"}""", "import-invalid" },
        { "a malformed diary entry", """{"format": "contentengine-patient-state", "version": 1, "program": "iact-chronic-pain", "answers": {"sleep-diary": [5]}}""", "import-invalid" },
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task AFileTheBundleCannotUseIsRefusedInThePatientsLanguageAndChangesNothing(string what, string json, string message)
    {
        await using var tab = await BundleTab.OpenAsync(browser, bundle);
        await tab.Context.Clock.SetFixedTimeAsync(Now.UtcDateTime);
        foreach (var locale in bundle.Locales)
        {
            var page = await tab.GotoAsync($"{locale}/index.html");
            await page.EvaluateAsync("() => CE.state.update(s => { s.completed = ['welcome']; s.answers = {'pain-rating': {intensity: 6}}; })");
            var before = await page.EvaluateAsync<string>("() => CE.state.exportJson()");
            await page.Locator("input[type=file][data-import]").SetInputFilesAsync(new FilePayload { Name = "file.json", MimeType = "application/json", Buffer = Encoding.UTF8.GetBytes(json) });
            var said = bundle.S(locale, "import-failed") + ": " + bundle.S(locale, "progress-" + message)
                .Replace("{0}", message == "import-other-program" ? "another-program" : message == "import-time-zone" ? "Europe/Atlantis" : "{0}", StringComparison.Ordinal);
            await Expect(page.Locator("[data-import-status]")).ToHaveTextAsync(said);
            Assert.True(before == await page.EvaluateAsync<string>("() => CE.state.exportJson()"), $"{what}: the state changed");
            var e = await page.EvaluateAsync<string>("text => { try { CE.state.importJson(text); return 'imported'; } catch (e) { return e.code; } }", json);
            Assert.Equal(message["import-".Length..], e);
        }
        tab.AssertClean();
    }

    /// <summary>
    /// The same patients as the runtime's daylight-saving test (DaylightSaving.Cases): the browser's clock just
    /// before and after the patient's local midnight, in a browser whose own time zone is another, gives the
    /// date and week of the state's time zone; and in the zone itself, as recorded on the first visit.
    /// </summary>
    [Fact]
    public async Task TheWeekTurnsAtThePatientsLocalMidnightAcrossADaylightSavingChangeInTheBrowser()
    {
        var problems = new List<string>();
        foreach (var browserZone in new[] { "Asia/Tokyo", null })
        {
            foreach (var zone in new[] { "Europe/Stockholm", "America/New_York" })
            {
                await using var tab = await BundleTab.OpenAsync(browser, bundle, new BrowserNewContextOptions { TimezoneId = browserZone ?? zone });
                await tab.Context.Clock.SetFixedTimeAsync(new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc));
                var page = await tab.GotoAsync("en/index.html");
                if (browserZone is null)
                    Assert.Equal(zone, await page.EvaluateAsync<string>("() => CE.state.get().timeZone"));
                foreach (var row in DaylightSaving.Cases)
                {
                    if ((string)row[0] != zone) continue;
                    var (start, instant, date, week) = ((string)row[1], (string)row[2], (string)row[3], (int)row[4]);
                    var state = $$"""{"format": "contentengine-patient-state", "version": 1, "program": "{{bundle.Graph.Id}}", "timeZone": "{{zone}}", "start": "{{start}}"}""";
                    await tab.Context.Clock.SetFixedTimeAsync(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime);
                    // In another zone the state's is imported; in the zone itself the start date is set on the zone the first visit recorded.
                    var shown = JsonDocument.Parse(await page.EvaluateAsync<string>("""
                        ([text, start]) => {
                          if (text) CE.state.importJson(text); else CE.state.update(s => { s.start = start; s.week = null; });
                          return JSON.stringify({ today: CE.state.today(), week: CE.state.week() });
                        }
                        """, new object?[] { browserZone is null ? null : state, start })).RootElement;
                    var (today, w) = (shown.GetProperty("today").GetString(), shown.GetProperty("week").GetInt32());
                    if (today != date || w != week)
                        problems.Add($"{zone} from {start} at {instant} in a browser in {browserZone ?? zone}: {today}, week {w}; expected {date}, week {week}");
                }
                tab.AssertClean();
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

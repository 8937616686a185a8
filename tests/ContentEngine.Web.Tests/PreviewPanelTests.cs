using System.Text;
using System.Text.Json;
using ContentEngine.Cli.Preview;
using ContentEngine.Output;
using ContentEngine.Runtime.Programs;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The patient panel as real files of the theme: its words come from the theme's strings in the page's
/// locale (English where the theme has none), and what it shows comes from the bundle's scheduler
/// (schedule.js), which must agree with the runtime's.
/// </summary>
[Collection("browser")]
public sealed class PreviewPanelTests(BrowserFixture browser)
{
    private async Task<(IPage Page, List<string> Errors)> OpenAsync(PreviewServer server, string page)
    {
        var tab = await browser.NewPageAsync();
        var errors = new List<string>();
        tab.PageError += (_, e) => errors.Add(e);
        tab.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        await tab.GotoAsync(new Uri(server.Url, page).ToString());
        await tab.WaitForFunctionAsync("() => window.__cePreview && window.__cePreview.connected === true", null, new() { Timeout = 10_000 });
        await tab.ClickAsync("#ce-preview-toggle");
        await tab.WaitForFunctionAsync("() => document.querySelectorAll('#ce-preview-panel li[data-state]').length > 0");
        return (tab, errors);
    }

    [Theory]
    [InlineData("sv", "Patientvy", "Aktuell vecka", "Nollställ patienten", "Öppen", "Sidan finns inte i förhandsvisningen")]
    [InlineData("en", "Patient preview", "Current week", "Reset patient", "Open", "This page is not in the preview")]
    public async Task ThePanelSpeaksEachLocaleOfTheSample(string locale, string title, string week, string reset, string open, string missing)
    {
        using var temp = new TestPaths.TempFolder();
        var program = Path.Combine(temp.Path, "iact-chronic-pain");
        CopyTree(TestPaths.Repo("content", "iact-chronic-pain"), program);
        await using var server = await PreviewServer.StartAsync(new PreviewOptions { ProgramFolder = program }, new StringWriter());
        var (page, errors) = await OpenAsync(server, $"{locale}/modules/welcome.html");
        await Expect(page.Locator("#ce-preview-toggle")).ToHaveTextAsync(title);
        await Expect(page.Locator("#ce-preview-panel h2")).ToHaveTextAsync(title);
        await Expect(page.Locator("#ce-preview-panel")).ToHaveAttributeAsync("aria-label", title);
        await Expect(page.Locator("label[for='ce-preview-week']")).ToHaveTextAsync(week);
        await Expect(page.Locator("#ce-preview-reset")).ToHaveTextAsync(reset);
        await Expect(page.Locator("#ce-preview-panel li[data-module='welcome'] .ce-preview-status")).ToHaveTextAsync(open);
        // The style sheet is the theme's file, served beside the script.
        Assert.Equal("fixed", await page.EvalOnSelectorAsync<string>("#ce-preview-panel", "e => getComputedStyle(e).position"));
        Assert.Empty(errors);

        // A page the bundle lacks says so in the page's language, styled by the same sheet.
        var response = await page.GotoAsync(new Uri(server.Url, $"{locale}/no-such-page.html").ToString());
        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync(missing);
        Assert.Equal("640px", await page.EvalOnSelectorAsync<string>("main", "e => getComputedStyle(e).maxWidth")); // 40rem
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ALocaleTheThemeLacksGetsEnglishAndAThemeMayAddOne()
    {
        using var temp = new TestPaths.TempFolder();
        temp.File("fi/program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [fi]\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n");
        temp.File("fi/modules/m1.md", "---\ntitle: M1\nphase: main\nweek: 1\n---\nText.\n");
        await using (var server = await PreviewServer.StartAsync(new PreviewOptions { ProgramFolder = Path.Combine(temp.Path, "fi") }, new StringWriter()))
        {
            var (page, errors) = await OpenAsync(server, "fi/index.html");
            await Expect(page.Locator("#ce-preview-toggle")).ToHaveTextAsync("Patient preview");
            await Expect(page.Locator("#ce-preview-summary")).ToHaveTextAsync("Week 1: 1 of 1 module open, 0 recommended.");
            Assert.Empty(errors);
            await page.Context.CloseAsync();

            // The bundle's offline worker is never served: the theme's retiring worker is.
            using var worker = new HttpClient { BaseAddress = server.Url };
            Assert.Equal(await File.ReadAllTextAsync(TestPaths.Repo("themes", "default", "preview", "retired-worker.js")), await worker.GetStringAsync("sw.js"));

            // The strings the server gives: the page's locale, its language without the region, else English.
            using var http = new HttpClient { BaseAddress = server.Url };
            foreach (var (asked, given) in new[] { ("sv", "sv"), ("sv-FI", "sv"), ("fi", "en"), ("", "en") })
            {
                using var json = JsonDocument.Parse(await http.GetStringAsync($"__contentengine/strings.json?locale={Uri.EscapeDataString(asked)}"));
                Assert.Equal(given, json.RootElement.GetProperty("locale").GetString());
                Assert.Equal("Patient preview", json.RootElement.GetProperty("english").GetProperty("panel").GetString());
            }
        }

        // A theme of the program's own that has strings in its locale: the panel speaks it, English where it has no string.
        temp.File("de/program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [de]\ntheme: mine\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n");
        temp.File("de/modules/m1.md", "---\ntitle: M1\nphase: main\nweek: 1\n---\nText.\n");
        temp.File("themes/mine/strings-preview.json", "{ \"de\": { \"preview-panel\": \"Patientenansicht\", \"preview-summary.one\": \"Woche {0}: {1} von {2} Modul offen, {3} empfohlen.\" } }");
        await using (var server = await PreviewServer.StartAsync(new PreviewOptions { ProgramFolder = Path.Combine(temp.Path, "de") }, new StringWriter()))
        {
            var (page, errors) = await OpenAsync(server, "de/index.html");
            await Expect(page.Locator("#ce-preview-toggle")).ToHaveTextAsync("Patientenansicht");
            await Expect(page.Locator("#ce-preview-summary")).ToHaveTextAsync("Woche 1: 1 von 1 Modul offen, 0 empfohlen.");
            await Expect(page.Locator("label[for='ce-preview-week']")).ToHaveTextAsync("Current week");
            Assert.Empty(errors);
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Patients at several weeks, with modules completed and chosen, as (week, completed, chosen).</summary>
    private static readonly (int Week, string[] Completed, string[] Chosen)[] Patients =
    [
        (1, [], []),
        (2, ["welcome"], []),
        (4, ["welcome", "values"], []),
        (7, [], []),
        (12, ["welcome", "values", "maintaining"], ["sleep"]),
        (12, ["maintaining", "sleep"], ["flare-ups", "low-mood", "relationships", "work", "pacing"]),
        (20, ["maintaining"], ["flare-ups", "low-mood", "relationships", "work", "pacing", "stress"]),
    ];

    [Fact]
    public async Task ThePanelAgreesWithTheRuntimesSchedulerWeekByWeek()
    {
        using var temp = new TestPaths.TempFolder();
        var program = Path.Combine(temp.Path, "iact-chronic-pain");
        CopyTree(TestPaths.Repo("content", "iact-chronic-pain"), program);
        await using var server = await PreviewServer.StartAsync(new PreviewOptions { ProgramFolder = program }, new StringWriter());
        var graph = server.Current.Graph!;
        var runtime = graph;
        var (page, errors) = await OpenAsync(server, "en/aftercare.html");

        var problems = new List<string>();
        var locked = 0;
        foreach (var (week, completed, chosen) in Patients)
        {
            var rows = await page.EvaluateAsync<JsonElement>("""
                p => {
                  CE.state.update(s => { s.week = p.week; s.completed = p.completed; s.chosen = p.chosen; s.answers = {}; });
                  window.__cePreview.update();
                  return [...document.querySelectorAll('#ce-preview-panel li[data-module]')].map(li => ({
                    module: li.getAttribute('data-module'), state: li.getAttribute('data-state'), open: li.getAttribute('data-open'),
                    status: li.querySelector('.ce-preview-status').textContent }));
                }
                """, new { week, completed, chosen });
            var status = runtime.Evaluate(new PatientProgress { Week = week, Completed = completed, Chosen = chosen });
            var name = $"week {week}, completed [{string.Join(", ", completed)}], chosen [{string.Join(", ", chosen)}]";
            Assert.Equal(graph.Modules.Length, rows.GetArrayLength());
            foreach (var row in rows.EnumerateArray())
            {
                var id = row.GetProperty("module").GetString()!;
                var s = status[id];
                var text = row.GetProperty("status").GetString()!;
                if (row.GetProperty("state").GetString() != s.State.ToString().ToLowerInvariant())
                    problems.Add($"{name}: the panel has '{id}' {row.GetProperty("state").GetString()}, the runtime {s.State}");
                if (row.GetProperty("open").GetString() != (s.State == ModuleState.Locked ? "false" : "true"))
                    problems.Add($"{name}: the panel has '{id}' open={row.GetProperty("open").GetString()}, the runtime {s.State}");
                if (s.State != ModuleState.Locked)
                {
                    if (text != "Open") problems.Add($"{name}: '{id}' says '{text}', not Open");
                    continue;
                }
                locked++;
                // Each of the runtime's reasons, in the panel's words.
                foreach (var reason in s.Reasons)
                {
                    var expected = reason.Kind switch
                    {
                        LockKind.NotYetReleased or LockKind.ProgramNotStarted => $"opens in week {reason.OpensInWeek}",
                        LockKind.RequiresModules => "needs " + string.Join(", ", reason.Modules.Select(m => graph.FindModule(m)!.Title.Get("en", graph.DefaultLocale))),
                        _ => $"the choice is full ({status.Choices.Single(c => c.Phase.Id == s.Module.Phase).Chosen} of at most {status.Choices.Single(c => c.Phase.Id == s.Module.Phase).Max} chosen)",
                    };
                    if (!text.Contains(expected, StringComparison.Ordinal)) problems.Add($"{name}: '{id}' says '{text}', without '{expected}'");
                }
                if (!text.StartsWith("Locked: ", StringComparison.Ordinal)) problems.Add($"{name}: '{id}' says '{text}'");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(locked > 10, $"only {locked} locked rows: the patients should reach every kind of lock");
        Assert.Empty(errors);
        await page.Context.CloseAsync();
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

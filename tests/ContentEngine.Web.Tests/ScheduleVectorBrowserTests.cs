using System.Text;
using System.Text.Json.Nodes;
using ContentEngine.Model;
using ContentEngine.Output;
using ContentEngine.Rendering.Web;
using ContentEngine.Runtime.Programs;
using Microsoft.Playwright;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The browser's scheduler, themes/default/assets/schedule.js, in real Chromium on the schedule the
/// web bundle writes (assets/program.js): every shared vector, each in its time zone at its moment
/// where it has a clock, and the runtime's scheduler status for status on many more patients.
/// </summary>
[Collection("browser")]
public sealed class ScheduleVectorBrowserTests(BrowserFixture browser)
{
    private static string Asset(string name) => TestPaths.Repo("themes", "default", "assets", name);

    /// <summary>The vectors' program's assets/program.js, as the web bundle writes it.</summary>
    private static readonly Lazy<string> ProgramScript = new(() =>
    {
        var graph = ScheduleVectors.Data.Value.Graph;
        var bundle = WebRenderer.Render(graph, new WebOptions { Theme = Theme.Load(TestPaths.Repo("tests", "vectors", "schedule-program"), graph.Theme) });
        Assert.True(bundle.TryGet("assets/program.js", out var script), "the web bundle has no assets/program.js");
        return Encoding.UTF8.GetString(script);
    });

    /// <summary>Runs CE.schedule.evaluate on each progress and returns each status in the vectors' shape (or an error).</summary>
    private const string EvaluateScript = """
        (payload) => {
          const { release, items } = JSON.parse(payload);
          const program = release ? Object.assign({}, window.CE_PROGRAM, { release }) : window.CE_PROGRAM;
          return JSON.stringify(items.map(progress => {
            try {
              const s = CE.schedule.evaluate(program, progress);
              if (!s) return { error: 'no status' };
              const modules = {};
              for (const m of s.modules)
                modules[m.id] = {
                  state: m.state,
                  reasons: m.reasons.map(r => ({ kind: r.kind, week: r.week, date: r.date, modules: r.modules })),
                  chosen: m.chosen, recommended: m.recommended, opensOn: m.opensOn
                };
              const choices = {};
              for (const c of s.choices)
                choices[c.phase] = { chosen: c.chosen, min: c.min, max: c.max, remaining: c.remaining, stillRequired: c.stillRequired };
              return { status: { week: s.week, phase: s.phase, modules, choices, next: s.next } };
            } catch (e) {
              return { error: String(e) };
            }
          }));
        }
        """;

    private async Task<IPage> PageAsync(BrowserNewContextOptions? options = null)
    {
        var page = await browser.NewPageAsync(options);
        await page.SetContentAsync("<!doctype html><html><head><title>schedule</title></head><body></body></html>");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Asset("conditions.js") });
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Asset("schedule.js") });
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = ProgramScript.Value });
        return page;
    }

    private static async Task<List<JsonObject>> EvaluateAsync(IPage page, IEnumerable<JsonObject> progress, string? release = null)
    {
        var payload = new JsonObject { ["release"] = release, ["items"] = new JsonArray([.. progress.Select(p => (JsonNode?)p.DeepClone())]) };
        var json = await page.EvaluateAsync<string>(EvaluateScript, payload.ToJsonString());
        return [.. JsonNode.Parse(json)!.AsArray().Select(r => r!.AsObject())];
    }

    [Fact]
    public async Task EveryVectorPassesInChromium()
    {
        var (_, program, cases) = ScheduleVectors.Data.Value;
        Assert.True(cases.Count >= 30, $"only {cases.Count} vectors");
        var problems = new List<string>();

        void Check(ScheduleVectors.Case c, JsonObject result)
        {
            if (result["error"] is { } error)
            {
                problems.Add($"{c.Name}: {error}");
                return;
            }
            var status = result["status"]!.AsObject();
            problems.AddRange(ScheduleVectors.Differences(c.Expected, status).Select(d => $"{c.Name}: {d}"));
            var reference = ScheduleVectors.Write(program.Evaluate(ScheduleVectors.ProgressOf(c)));
            if (!JsonNode.DeepEquals(status, reference))
                problems.Add($"{c.Name}: the browser gives\n  {status.ToJsonString()}\nthe runtime\n  {reference.ToJsonString()}");
        }

        // The cases without a clock say what today is (or need no date): one page for all of them.
        var plain = cases.Where(c => c.Clock is null).ToList();
        var page = await PageAsync();
        try
        {
            var results = await EvaluateAsync(page, plain.Select(c => c.Progress));
            for (var i = 0; i < plain.Count; i++) Check(plain[i], results[i]);
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        // A case with a clock runs in its time zone at its moment, and the browser takes today from its own clock.
        foreach (var c in cases.Where(c => c.Clock is not null))
        {
            Assert.False(c.Progress.ContainsKey("today"), $"{c.Name}: a case with a clock takes today from it");
            var clocked = await PageAsync(new BrowserNewContextOptions { TimezoneId = c.Clock!.TimeZone });
            try
            {
                await clocked.Clock.SetFixedTimeAsync(c.Clock.Now.UtcDateTime);
                var today = await clocked.EvaluateAsync<string>("() => CE.schedule.today()");
                Assert.Equal(c.Clock.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), today);
                Check(c, (await EvaluateAsync(clocked, [c.Progress]))[0]);
            }
            finally
            {
                await clocked.Context.CloseAsync();
            }
        }
        Assert.True(problems.Count == 0, $"{problems.Count} disagreements:\n" + string.Join("\n", problems));
    }

    /// <summary>Patients in every week, before, during and after the program, with many completed and chosen modules and answers, under both release modes.</summary>
    [Fact]
    public async Task TheBrowserAgreesWithTheRuntimeOnManyPatients()
    {
        var graph = ScheduleVectors.Data.Value.Graph;
        var treatment = graph.Modules.Where(m => m.Phase == "treatment").Select(m => m.Id).ToArray();
        string[][] completedSets =
        [
            [], ["welcome"], ["values"], treatment, [.. treatment, "maintaining"], [.. treatment, "maintaining", "sleep"],
            [.. treatment, "maintaining", "flare-ups", "stress", "review"], ["no-such-module", "work"],
        ];
        string[][] chosenSets = [[], ["sleep"], ["stress", "work"], ["sleep", "flare-ups", "work"], ["maintaining", "no-such-module"]];
        JsonObject[] answers = [new(), new() { ["check-in"] = new JsonObject { ["sleep"] = 4, ["pain"] = 9 } }, new() { ["check-in"] = new JsonObject { ["pain"] = 6 } }];
        var start = new DateOnly(2026, 3, 2);
        var items = new List<JsonObject>();
        foreach (var completed in completedSets)
            foreach (var chosen in chosenSets)
                foreach (var answer in answers)
                {
                    JsonObject Progress() => new()
                    {
                        ["completed"] = new JsonArray([.. completed.Select(x => (JsonNode?)x)]),
                        ["chosen"] = new JsonArray([.. chosen.Select(x => (JsonNode?)x)]),
                        ["answers"] = answer.DeepClone(),
                    };
                    for (var day = -9; day <= 80; day += 4)
                    {
                        var p = Progress();
                        p["start"] = start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                        p["today"] = start.AddDays(day).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                        items.Add(p);
                    }
                    for (var week = 0; week <= 11; week += 1)
                    {
                        var p = Progress();
                        p["week"] = week;
                        items.Add(p);
                    }
                }

        var problems = new List<string>();
        var page = await PageAsync();
        try
        {
            foreach (var release in new[] { "weekly", "all" })
            {
                var program = graph with { Release = release == "all" ? ReleaseMode.All : ReleaseMode.Weekly };
                var results = await EvaluateAsync(page, items, release);
                for (var i = 0; i < items.Count; i++)
                {
                    using var doc = System.Text.Json.JsonDocument.Parse(items[i].ToJsonString());
                    var reference = ScheduleVectors.Write(program.Evaluate(PatientProgress.FromJson(doc.RootElement)));
                    if (results[i]["error"] is { } error) problems.Add($"release {release}, {items[i].ToJsonString()}: {error}");
                    else if (!JsonNode.DeepEquals(results[i]["status"], reference))
                        problems.Add($"release {release}, {items[i].ToJsonString()}:\n  browser {results[i]["status"]!.ToJsonString()}\n  runtime {reference.ToJsonString()}");
                }
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
        Assert.True(items.Count > 2000, $"only {items.Count} patients");
        Assert.True(problems.Count == 0, $"{problems.Count} of {items.Count * 2} patients differ:\n" + string.Join("\n", problems.Take(20)));
    }

    /// <summary>Input only a browser can hold: never an exception, never a status that is not one.</summary>
    [Fact]
    public async Task OddProgramsAndProgressDoNotThrow()
    {
        var page = await PageAsync();
        try
        {
            var report = await page.EvaluateAsync<string>("""
                () => {
                  const problems = [];
                  const odd = [undefined, null, 0, 'x', [], {}, { week: NaN }, { week: Infinity }, { start: 5 }, { start: '2026-13-01' },
                    { start: '0000-01-01', today: '2026-01-01' }, { completed: 'welcome', chosen: {} }, { completed: [null, 3, ['welcome']] },
                    { answers: null }, { answers: 7 }, { start: '2026-01-05', today: 'yesterday' }];
                  for (let i = 0; i < odd.length; i++) {
                    try {
                      const s = CE.schedule.evaluate(window.CE_PROGRAM, odd[i]);
                      if (!s || typeof s.week !== 'number' || s.modules.length !== window.CE_PROGRAM.modules.length) problems.push(`progress ${i}: ${JSON.stringify(s)}`);
                    } catch (e) { problems.push(`progress ${i}: threw ${e}`); }
                  }
                  for (const program of [undefined, null, {}, { modules: 'x' }, { modules: [null] }, { phases: [null] }]) {
                    try { CE.schedule.evaluate(program, {}); } catch (e) { problems.push(`program ${JSON.stringify(program)}: threw ${e}`); }
                  }
                  const expect = (what, actual, expected) => { if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`); };
                  expect('a month has no 13th month', CE.schedule.isDate('2026-13-01'), false);
                  expect('2028 has a leap day', CE.schedule.isDate('2028-02-29'), true);
                  expect('2026 has none', CE.schedule.isDate('2026-02-29'), false);
                  expect('days across a change of year', CE.schedule.daysBetween('2025-12-31', '2026-01-01'), 1);
                  expect('adding days is on the calendar', CE.schedule.addDays('2026-10-19', 7), '2026-10-26');
                  expect('the program is nine weeks long', CE.schedule.totalWeeks(window.CE_PROGRAM), 9);
                  return problems.join('\n');
                }
                """);
            Assert.True(report == "", "CE.schedule misbehaves:\n" + report);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}

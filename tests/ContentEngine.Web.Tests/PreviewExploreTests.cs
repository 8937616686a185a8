using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContentEngine.Cli.Preview;
using ContentEngine.Exploration;
using ContentEngine.Output;
using ContentEngine.Runtime.Programs;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>The patient panel's example patients: the compiler's witnesses, listed, loaded with a click, served, and reported.</summary>
public sealed partial class PreviewTests
{
    private static IReadOnlyList<WitnessFile> WitnessesOf(PreviewServer server)
    {
        var current = server.Current;
        Assert.NotNull(current.ExploredGraph);
        Assert.NotNull(current.Exploration);
        var witnesses = ExplorationJson.Witnesses(current.ExploredGraph, current.Exploration);
        Assert.NotEmpty(witnesses);
        Assert.Equal(witnesses.Select(w => w.FileName), current.Witnesses.Select(w => w.FileName));
        return witnesses;
    }

    /// <summary>The patient state the page holds, as its export writes it (the stored format, as the witness files are).</summary>
    private static async Task<JsonNode> StateOfAsync(IPage page) =>
        JsonNode.Parse(await page.EvaluateAsync<string>("() => CE.state.exportJson()"))!;

    private static JsonNode StateOf(string document) => JsonNode.Parse(document)!;

    [Fact]
    public async Task ThePanelListsTheExamplePatientsAndAClickOrAKeyLoadsOne()
    {
        await using var preview = await Preview.StartAsync();
        var server = preview.Server;
        var witnesses = WitnessesOf(server);
        var graph = server.Current.Graph!;
        var page = await OpenAsync(preview, "sv/aftercare.html");
        await page.ClickAsync("#ce-preview-toggle");

        // The list is folded away; the keyboard opens it.
        var examples = page.Locator("#ce-preview-examples");
        await Expect(examples.Locator("summary")).ToContainTextAsync($"Exempelpatienter ({witnesses.Count})");
        await examples.Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var buttons = examples.Locator("button[data-witness]");
        await Expect(buttons).ToHaveCountAsync(witnesses.Count);
        await Expect(buttons.First).ToBeVisibleAsync();
        var files = await buttons.EvaluateAllAsync<string[]>("bs => bs.map(b => b.getAttribute('data-witness'))");
        Assert.Equal(witnesses.Select(w => w.FileName).Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));

        // Grouped by module, in the page's language, each with the patient in a line.
        var sleepTitle = graph.FindModule("sleep")!.Title.Get("sv", graph.DefaultLocale);
        await Expect(examples.Locator("h3", new() { HasTextString = sleepTitle })).ToHaveCountAsync(1);
        var gets = examples.Locator("button[data-witness='sleep.gets.json']");
        await Expect(gets).ToHaveTextAsync($"En patient som rekommenderas ”{sleepTitle}”");
        await Expect(examples.Locator("button[data-witness='sleep.not.json']")).ToHaveTextAsync($"En patient som inte rekommenderas ”{sleepTitle}”");
        await Expect(examples.Locator("button[data-witness='sleep-line-47.gets.json']")).ToContainTextAsync("sleep-diary.mean(hours) < 6");
        var description = await gets.GetAttributeAsync("aria-describedby");
        await Expect(page.Locator($"#{description}")).ToContainTextAsync("aftercare-wishes.areas = [sleep]");
        await Expect(examples.Locator("h3", new() { HasTextString = "Valet i" })).ToHaveCountAsync(1);
        await AssertAccessibleAsync(page.Locator("#ce-preview-panel"));

        // A click loads the patient: the aftercare page recommends them the sleep module, as the runtime does.
        var sleep = page.Locator(".ce-offer[data-module='sleep']");
        await Expect(sleep).Not.ToHaveClassAsync(new Regex(@"\bce-recommended\b"));
        await gets.ClickAsync();
        await Expect(gets).ToHaveAttributeAsync("aria-current", "true");
        Assert.Equal("/sv/aftercare.html", new Uri(page.Url).AbsolutePath);
        await Expect(sleep).ToHaveClassAsync(new Regex(@"\bce-recommended\b"));
        await Expect(sleep.Locator(".ce-recommended-badge")).ToBeVisibleAsync();
        await Expect(page.Locator("#ce-preview-witness-status")).ToContainTextAsync($"Visar nu: En patient som rekommenderas ”{sleepTitle}”");
        await Expect(page.Locator("#ce-preview-panel li[data-module='sleep']")).ToHaveAttributeAsync("data-recommended", "true");
        await Expect(page.Locator("#ce-preview-panel li[data-module='sleep']")).ToHaveAttributeAsync("data-state", "offered");
        var document = ExplorationJson.WitnessDocument(graph, witnesses.First(w => w.FileName == "sleep.gets.json"));
        Assert.True(JsonNode.DeepEquals(StateOf(document), await StateOfAsync(page)), "the page holds the witness's state");
        await AssertAccessibleAsync(page.Locator("#ce-preview-panel"));

        // The keyboard loads another: the patient who is not recommended the module.
        var not = examples.Locator("button[data-witness='sleep.not.json']");
        await not.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(not).ToHaveAttributeAsync("aria-current", "true");
        await Expect(gets).Not.ToHaveAttributeAsync("aria-current", "true");
        await Expect(sleep).Not.ToHaveClassAsync(new Regex(@"\bce-recommended\b"));

        // A patient who sees a block: the module's page opens and shows it.
        await examples.Locator("button[data-witness='sleep-line-47.gets.json']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/sv/modules/sleep\.html$"));
        await Expect(page.Locator("button[data-witness='sleep-line-47.gets.json']")).ToHaveAttributeAsync("aria-current", "true");
        var block = page.Locator("main .ce-if").First;
        await Expect(block).ToBeVisibleAsync();
        await examples.Locator("button[data-witness='sleep-line-47.not.json']").ClickAsync();
        await Expect(page.Locator("button[data-witness='sleep-line-47.not.json']")).ToHaveAttributeAsync("aria-current", "true");
        await Expect(block).ToBeHiddenAsync();

        // Editing the patient's state lets go of the example.
        await page.FillAsync("#ce-preview-week", "13");
        await Expect(page.Locator("button[data-witness='sleep-line-47.not.json']")).Not.ToHaveAttributeAsync("aria-current", "true");
        await Expect(page.Locator("#ce-preview-witness-status")).ToHaveTextAsync("");

        // The report's links open the patient in the preview, on the page that shows them.
        await page.GotoAsync(preview.Url("__contentengine/explore/report.html"));
        await Expect(page.Locator("h1")).ToContainTextAsync("every patient's path");
        var link = page.Locator("a[href$='#ce-witness=stress.gets.json']");
        await Expect(link).ToHaveCountAsync(1);
        await link.ClickAsync();
        // The page loads the patient, takes the hash away and reloads itself, as after a click in the panel.
        await page.WaitForFunctionAsync("""
            () => location.pathname === '/sv/aftercare.html' && location.hash === '' && performance.getEntriesByType('navigation')[0].type === 'reload'
              && document.readyState === 'complete' && !!document.querySelector(".ce-offer[data-module='stress'].ce-recommended")
            """);
        var stress = ExplorationJson.WitnessDocument(graph, witnesses.First(w => w.FileName == "stress.gets.json"));
        Assert.True(JsonNode.DeepEquals(StateOf(stress), await StateOfAsync(page)), "the report's link loads the witness's state");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheWitnessesAreServedTheirPathsAreTheRuntimesAndTheListFollowsEdits()
    {
        await using var preview = await Preview.StartAsync();
        var server = preview.Server;
        var witnesses = WitnessesOf(server);
        var graph = server.Current.Graph!;
        using var http = new HttpClient { BaseAddress = server.Url };

        // The list, every witness as the explore command writes it, the report; nothing else under the prefix.
        var list = JsonNode.Parse(await http.GetStringAsync("__contentengine/explore/witnesses.json?locale=en"))!;
        Assert.Equal(witnesses.Count, list["count"]!.GetValue<int>());
        var listed = list["groups"]!.AsArray().SelectMany(g => g!["witnesses"]!.AsArray()).ToList();
        Assert.Equal(witnesses.Select(w => w.FileName).Order(StringComparer.Ordinal), listed.Select(w => w!["file"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Contains(list["groups"]!.AsArray(), g => g!["title"]!.GetValue<string>() == graph.FindModule("sleep")!.Title.Get("en", graph.DefaultLocale));
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var w in witnesses)
        {
            using var response = await http.GetAsync(ExplorePagesUrl(w.FileName));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(ExplorationJson.WitnessDocument(graph, w), text);
            documents[w.FileName] = text;
        }
        using (var report = await http.GetAsync("__contentengine/explore/report.html"))
        {
            Assert.Equal(HttpStatusCode.OK, report.StatusCode);
            Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
            var html = await report.Content.ReadAsStringAsync();
            foreach (var w in witnesses) Assert.Contains($"#ce-witness={w.FileName}\"", html);
            Assert.DoesNotContain(preview.Program, html);
        }
        foreach (var missing in new[] { "__contentengine/explore/witnesses/nobody.gets.json", "__contentengine/explore/witnesses/", "__contentengine/explore/", "__contentengine/explore/witnesses/sleep.gets.json/x" })
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(missing)).StatusCode);

        // The panel shows every witness the path the runtime gives them: each module open, offered, completed or locked, and recommended or not.
        var runtime = graph;
        var page = await OpenAsync(preview, "sv/aftercare.html");
        await page.ClickAsync("#ce-preview-toggle");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#ce-preview-panel li[data-state]').length > 0");
        var problems = new List<string>();
        async Task CompareAsync(string name, string document)
        {
            var rows = await page.EvaluateAsync<JsonElement>("""
                text => {
                  CE.state.importJson(text);
                  return [...document.querySelectorAll('#ce-preview-panel li[data-module]')].map(li => ({
                    module: li.getAttribute('data-module'), state: li.getAttribute('data-state'),
                    recommended: li.getAttribute('data-recommended'), completed: li.getAttribute('data-completed') }));
                }
                """, document);
            using var doc = JsonDocument.Parse(document);
            var status = runtime.Evaluate(PatientProgress.FromJson(doc.RootElement));
            Assert.Equal(graph.Modules.Length, rows.GetArrayLength());
            foreach (var row in rows.EnumerateArray())
            {
                var module = row.GetProperty("module").GetString()!;
                var s = status[module];
                var state = row.GetProperty("state").GetString();
                if (state != s.State.ToString().ToLowerInvariant())
                    problems.Add($"{name}: the panel has '{module}' {state}, the runtime {s.State} ({string.Join("; ", s.Reasons.Select(r => r.Message))})");
                if (s.Module.Optional && row.GetProperty("recommended").GetString() != (s.Recommended ? "true" : "false"))
                    problems.Add($"{name}: the panel has '{module}' recommended={row.GetProperty("recommended").GetString()}, the runtime {s.Recommended}");
                if (row.GetProperty("completed").GetString() != (s.State == ModuleState.Completed ? "true" : "false"))
                    problems.Add($"{name}: the panel has '{module}' completed={row.GetProperty("completed").GetString()}, the runtime {s.State}");
            }
        }
        foreach (var w in witnesses) await CompareAsync(w.FileName, documents[w.FileName]);

        // A full choice: the optional modules not chosen lock (a completed one counts as chosen, as in the runtime).
        var most = JsonNode.Parse(documents["phase-aftercare.most.json"])!;
        var optional = graph.Modules.Where(m => m.Optional && m.Phase == "aftercare").Select(m => m.Id).ToList();
        var max = graph.FindPhase("aftercare")!.Choose!.Max!.Value;
        Assert.True(optional.Count > max);
        most["chosen"] = new JsonArray([.. optional.Take(max).Select(id => (JsonNode)JsonValue.Create(id))]);
        await CompareAsync("the most witness who chose as many as they may", most.ToJsonString());
        most["chosen"] = new JsonArray([.. optional.Skip(1).Take(max - 1).Select(id => (JsonNode)JsonValue.Create(id))]);
        most["completed"]!.AsArray().Add(optional[0]);
        await CompareAsync("the most witness who completed one and chose the others they may", most.ToJsonString());
        await Expect(page.Locator($"#ce-preview-panel li[data-module='{optional[^1]}']")).ToHaveAttributeAsync("data-state", "locked");
        await Expect(page.Locator($"#ce-preview-panel li[data-module='{optional[^1]}'] .ce-preview-status")).ToContainTextAsync("valet är fullt");
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // An edit that adds a block: the list is made again, and the open panel shows its two patients.
        var before = server.Current.Exploration!.Targets.Length;
        var reports = new List<BuildReport>();
        server.Rebuilt += r => { lock (reports) reports.Add(r); };
        foreach (var file in new[] { "values.md", "values.en.md" })
        {
            // At the end, so that the blocks above keep their lines (and their witnesses their names).
            var path = preview.Source(Path.Combine("modules", file));
            var text = await File.ReadAllTextAsync(path);
            await File.WriteAllTextAsync(path, text.TrimEnd('\n') + "\n\n::: if {when=\"pain-rating.intensity >= 9\"}\nOm smärtan är mycket stark.\n:::\n");
        }
        await page.WaitForFunctionAsync("n => document.querySelectorAll('#ce-preview-examples button[data-witness]').length === n", witnesses.Count + 2, new() { Timeout = 15_000 });
        Assert.Equal(before + 1, server.Current.Exploration!.Targets.Length);
        // The edit was served before the program was explored again: exploring holds up no reload.
        BuildReport[] seen;
        lock (reports) seen = [.. reports];
        var compiled = Array.FindIndex(seen, r => r.Compiled && r.Rendered && !r.Snapshot.HasErrors);
        var explored = Array.FindLastIndex(seen, r => ReferenceEquals(r.Snapshot.ExploredGraph, r.Snapshot.Graph) && r.Snapshot.Exploration?.Targets.Length == before + 1);
        Assert.True(compiled >= 0 && explored > compiled, string.Join(", ", seen.Select(r => $"compiled={r.Compiled} rendered={r.Rendered} explored={ReferenceEquals(r.Snapshot.ExploredGraph, r.Snapshot.Graph)}")));
        Assert.False(ReferenceEquals(seen[compiled].Snapshot.ExploredGraph, seen[compiled].Snapshot.Graph));
        Assert.Empty(seen[explored].ChangedPages);
        var added = WitnessesOf(server).Select(w => w.FileName).Except(witnesses.Select(w => w.FileName)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, added.Count);
        Assert.All(added, f => Assert.StartsWith("values-line-", f));
        await Expect(page.Locator($"#ce-preview-examples button[data-witness='{added[0]}']")).ToBeAttachedAsync();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(ExplorePagesUrl(added[0]))).StatusCode);
        await page.Context.CloseAsync();
    }

    private static string ExplorePagesUrl(string file) => "__contentengine/explore/witnesses/" + Uri.EscapeDataString(file);
}

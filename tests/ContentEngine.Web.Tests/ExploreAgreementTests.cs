using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentEngine.Exploration;
using ContentEngine.Model;
using ContentEngine.Output;
using ContentEngine.Rendering.Web;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Runtime.Patients;
using ContentEngine.Runtime.Programs;
using Microsoft.Playwright;

namespace ContentEngine.Web.Tests;

/// <summary>
/// Every witness the explorer writes for the sample program, given to the C# runtime (the
/// reference) and to the web bundle in Chromium: both must show the patient the same
/// recommendations, the same choices, the same completed modules and the same <c>::: if</c> blocks.
/// The web bundle shows no module as open or locked (only the preview's panel does; see
/// <see cref="PreviewTests"/>), so that is compared there.
/// </summary>
[Collection("browser")]
public sealed class ExploreAgreementTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    /// <summary>One witness: its file as the explorer writes it, and what the runtime gives that patient.</summary>
    private sealed record Case(WitnessFile File, string Json, JsonNode State, ProgramStatus Status, PatientState Conditions, TargetResult? Target, PhaseResult? Phase);

    /// <summary>What one page of the bundle shows, read by <see cref="Probe"/>.</summary>
    private sealed record Shown(JsonNode State, string? Week, Offer[] Offers, Chooser[] Choosers, Block[] Blocks, Completion[] Completions);

    private sealed record Offer(string Module, string? Phase, bool Recommended, bool Badge, bool Checked, bool Disabled);

    private sealed record Chooser(string Phase, string Left);

    private sealed record Block(string Condition, bool Visible);

    private sealed record Completion(string Module, string Pressed);

    private static readonly JsonSerializerOptions Camel = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Imports an answers file with the page's own <c>CE.state.importJson</c> (when given one; the
    /// page refreshes itself through its state listener) and reads what the page shows.
    /// </summary>
    private const string Probe = """
        text => {
          if (text !== null) CE.state.importJson(text);
          const visible = el => !!el && el.checkVisibility();
          const week = document.querySelector('[data-current-week]');
          return JSON.stringify({
            state: JSON.parse(CE.state.exportJson()),
            week: week ? week.textContent.trim() : null,
            offers: [...document.querySelectorAll('.ce-offer')].map(li => {
              const box = li.querySelector('input[data-choose]');
              const chooser = li.closest('[data-chooser]');
              return {
                module: li.getAttribute('data-module'),
                phase: chooser ? chooser.getAttribute('data-phase') : null,
                recommended: li.classList.contains('ce-recommended'),
                badge: visible(li.querySelector('.ce-recommended-badge')),
                checked: !!box && box.checked,
                disabled: !!box && box.disabled
              };
            }),
            choosers: [...document.querySelectorAll('[data-chooser]')].map(c => ({
              phase: c.getAttribute('data-phase'),
              left: (c.querySelector('[data-choices-left]') || { textContent: '' }).textContent.trim()
            })),
            blocks: [...document.querySelectorAll('main .ce-if')].map(b => ({ condition: b.getAttribute('data-condition'), visible: visible(b) })),
            completions: [...document.querySelectorAll('[data-complete]')].map(b => ({ module: b.getAttribute('data-complete'), pressed: b.getAttribute('aria-pressed') }))
          });
        }
        """;

    private ImmutableArray<Case> Cases()
    {
        var graph = bundle.Graph;
        var exploration = bundle.Exploration;
        Assert.NotNull(exploration);
        var runtime = graph;
        var witnesses = ExplorationJson.Witnesses(graph, exploration);
        Assert.NotEmpty(witnesses);
        var cases = ImmutableArray.CreateBuilder<Case>();
        foreach (var w in witnesses)
        {
            var json = ExplorationJson.WitnessDocument(graph, w);
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            Assert.Equal("contentengine-patient-state", root.GetProperty("format").GetString());
            var target = exploration.Targets.FirstOrDefault(t => t.Name == w.Target);
            var phase = exploration.Phases.FirstOrDefault(p => $"phase-{p.Phase.Id}" == w.Target);
            Assert.True(target is not null || phase is not null, $"{w.FileName}: no target or phase is called '{w.Target}'");
            var record = PatientRecord.Parse(json);
            cases.Add(new Case(w, json, JsonNode.Parse(json)!,
                runtime.Evaluate(record, DateTimeOffset.UtcNow), PatientState.FromJson(root), target, phase));
        }
        return cases.ToImmutable();
    }

    /// <summary>The pages compared: the overview (the week), the aftercare chooser (offers) and every module page (blocks, completion).</summary>
    private IEnumerable<string> Pages()
    {
        var locale = bundle.DefaultLocale;
        yield return $"{locale}/index.html";
        if (bundle.Graph.Phases.Any(p => p.Choose is not null)) yield return $"{locale}/aftercare.html";
        foreach (var m in bundle.Graph.Modules) yield return $"{locale}/modules/{m.Id}.html";
    }

    private static async Task<Shown> ReadAsync(IPage page, string? import) =>
        JsonSerializer.Deserialize<Shown>(await page.EvaluateAsync<string>(Probe, import), Camel)!;

    [Fact]
    public async Task EveryPageShowsEveryWitnessWhatTheRuntimeGivesThem()
    {
        var cases = Cases();
        var problems = new List<string>();
        var checks = 0;
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        await using var tab = await BundleTab.OpenAsync(browser, bundle);
        foreach (var path in Pages())
        {
            var page = await tab.GotoAsync(path);
            foreach (var c in cases)
            {
                var shown = await ReadAsync(page, c.Json);
                checks += Compare(c, shown, path, problems, claimed);
            }
        }
        tab.AssertClean();
        Assert.True(problems.Count == 0, $"{problems.Count} disagreements between the runtime and the web bundle:\n" + string.Join("\n", problems));
        // Every witness was checked for what it witnesses (on the page that shows it), not only for what it happens to show elsewhere.
        Assert.Equal(cases.Select(c => c.File.FileName).Order(StringComparer.Ordinal), claimed.Order(StringComparer.Ordinal));
        Assert.True(checks > cases.Length * Pages().Count(), $"only {checks} comparisons were made");
    }

    [Fact]
    public async Task EveryWitnessFileImportsThroughTheImportButton()
    {
        var cases = Cases();
        var problems = new List<string>();
        var checks = 0;
        await using var tab = await BundleTab.OpenAsync(browser, bundle);
        var overview = $"{bundle.DefaultLocale}/index.html";
        var page = await tab.GotoAsync(overview);
        foreach (var c in cases)
        {
            // The overview's own file input: the file replaces the state, and the page reloads itself (and stays the overview).
            await page.EvaluateAsync("() => { window.__beforeImport = true; }");
            await page.Locator("input[type=file][data-import]").SetInputFilesAsync(new FilePayload
            {
                Name = c.File.FileName,
                MimeType = "application/json",
                Buffer = Encoding.UTF8.GetBytes(c.Json),
            });
            await page.Locator("[data-backup-choice='replace']").ClickAsync();
            await page.WaitForFunctionAsync("() => !window.__beforeImport");
            await tab.WaitReadyAsync();
            Assert.Equal(overview, tab.Here);
            var shown = await ReadAsync(page, null);
            Assert.NotNull(shown.Week);
            checks += Compare(c, shown, overview, problems, []);
        }
        // What the other pages show of each imported state is compared above, page by page.
        tab.AssertClean();
        Assert.True(problems.Count == 0, $"{problems.Count} disagreements between the runtime and the web bundle:\n" + string.Join("\n", problems));
        Assert.True(checks >= cases.Length * 2, $"only {checks} comparisons were made");
    }

    /// <summary>Compares what a page shows a witness with the runtime; adds a line per disagreement; returns how many things it compared.</summary>
    private int Compare(Case c, Shown shown, string path, List<string> problems, HashSet<string> claimed)
    {
        var graph = bundle.Graph;
        var n = 0;
        void Check(bool same, string what)
        {
            n++;
            if (!same) problems.Add($"{c.File.FileName} on {path}: {what}");
        }

        // The page holds the witness's state as the file has it.
        Check(JsonNode.DeepEquals(c.State, shown.State), $"the state in the browser is {shown.State.ToJsonString()}, the file's is {c.State.ToJsonString()}");
        if (shown.Week is { } week)
            Check(week == c.Status.Week.ToString(System.Globalization.CultureInfo.InvariantCulture), $"the page shows week {week}, the runtime {c.Status.Week}");

        // The aftercare chooser: recommended modules, the boxes chosen and closed, the choices left.
        foreach (var offer in shown.Offers)
        {
            var status = c.Status[offer.Module];
            Check(offer.Recommended == status.Recommended, $"the page {Recommends(offer.Recommended)} '{offer.Module}', the runtime {Recommends(status.Recommended)} it (and has it {status.State})");
            Check(offer.Badge == status.Recommended, $"the badge of '{offer.Module}' is {(offer.Badge ? "shown" : "hidden")}, the runtime {Recommends(status.Recommended)} it");
            Check(offer.Checked == status.Chosen, $"the page has '{offer.Module}' {(offer.Checked ? "ticked" : "not ticked")}, the runtime has it {(status.Chosen ? "chosen" : "not chosen")}");
            var choice = c.Status.Choices.FirstOrDefault(x => x.Phase.Id == offer.Phase);
            if (choice is not null)
            {
                var closed = !status.Chosen && choice.Remaining == 0;
                Check(offer.Disabled == closed, $"'{offer.Module}' can{(offer.Disabled ? "not" : "")} be chosen in the browser; the runtime has {choice.Chosen} of at most {choice.Max} chosen");
            }
        }
        if (shown.Offers.Length > 0)
        {
            var expected = graph.Modules.Where(m => m.Optional && graph.FindPhase(m.Phase)?.Choose is not null).Select(m => m.Id).Order(StringComparer.Ordinal);
            Check(shown.Offers.Select(o => o.Module).Order(StringComparer.Ordinal).SequenceEqual(expected), $"the chooser offers {string.Join(", ", shown.Offers.Select(o => o.Module))}");
        }
        foreach (var chooser in shown.Choosers)
        {
            var choice = c.Status.Choices.FirstOrDefault(x => x.Phase.Id == chooser.Phase);
            Check(choice is not null, $"the chooser of '{chooser.Phase}' is of no phase with a choice");
            if (choice is { Remaining: { } left } && choice.Max <= graph.Modules.Count(m => m.Phase == chooser.Phase && m.Optional))
                Check(chooser.Left == left.ToString(System.Globalization.CultureInfo.InvariantCulture), $"the chooser of '{chooser.Phase}' says {chooser.Left} left, the runtime {left}");
        }

        // A module's page: its completion, and its ::: if blocks, in the order of the source.
        foreach (var done in shown.Completions)
            Check((done.Pressed == "true") == (c.Status[done.Module].State == ModuleState.Completed),
                $"'{done.Module}' is marked {(done.Pressed == "true" ? "completed" : "not completed")}, the runtime has it {c.Status[done.Module].State}");
        var module = path.Contains("/modules/", StringComparison.Ordinal) ? Path.GetFileNameWithoutExtension(path) : null;
        var blocks = bundle.Exploration!.Targets.Where(t => t.Kind == TargetKind.Block && t.Module == module).ToList();
        Check(shown.Blocks.Length == blocks.Count, $"the page has {shown.Blocks.Length} ::: if blocks, the explorer found {blocks.Count}");
        for (var i = 0; i < Math.Min(blocks.Count, shown.Blocks.Length); i++)
        {
            var t = blocks[i];
            var b = shown.Blocks[i];
            Check(b.Condition == WebRenderer.TreeJson(t.Condition), $"the {i + 1}. block of the page is not the one at line {t.Condition.Location.Line + 1} ({t.Condition.Source})");
            var sees = t.Enclosing.All(e => Evaluator.IsTrue(e.Tree, c.Conditions)) && Evaluator.IsTrue(t.Condition.Tree, c.Conditions);
            Check(b.Visible == sees, $"the block at line {t.Condition.Location.Line + 1} ({t.Condition.Source}) is {(b.Visible ? "shown" : "hidden")}, the runtime {(sees ? "shows" : "hides")} it");
        }

        // What the witness is for: the runtime and the page both give the patient what the file says.
        if (c.Target is { Kind: TargetKind.Offer } offerTarget && shown.Offers.FirstOrDefault(o => o.Module == offerTarget.Module) is { } o)
        {
            // The patient may choose the module now: it is offered, and recommended or not as the file says.
            var status = c.Status[offerTarget.Module];
            Check(status.State == ModuleState.Offered, $"the runtime has '{offerTarget.Module}' {status.State} for \"{c.File.Description}\" ({string.Join("; ", status.Reasons.Select(r => r.Message))})");
            Check(c.Status.Recommended.Any(r => r.Id == offerTarget.Module) == c.File.Gets, $"the runtime {Recommends(!c.File.Gets)} '{offerTarget.Module}' to \"{c.File.Description}\"");
            Check(o.Recommended == c.File.Gets, $"the page {(c.File.Gets ? "does not recommend" : "recommends")} '{offerTarget.Module}' to \"{c.File.Description}\"");
            claimed.Add(c.File.FileName);
        }
        if (c.Target is { Kind: TargetKind.Block } blockTarget && blockTarget.Module == module)
        {
            // The patient can open the module's page, and sees the block or not as the file says.
            var status = c.Status[blockTarget.Module];
            Check(status.State == ModuleState.Open, $"the runtime has '{blockTarget.Module}' {status.State} for \"{c.File.Description}\" ({string.Join("; ", status.Reasons.Select(r => r.Message))})");
            var at = blocks.IndexOf(blockTarget);
            var sees = blockTarget.Enclosing.All(e => Evaluator.IsTrue(e.Tree, c.Conditions)) && Evaluator.IsTrue(blockTarget.Condition.Tree, c.Conditions);
            Check(sees == c.File.Gets, $"the runtime {(c.File.Gets ? "hides" : "shows")} the block from \"{c.File.Description}\"");
            if (at >= 0 && at < shown.Blocks.Length) Check(shown.Blocks[at].Visible == c.File.Gets, $"the page {(c.File.Gets ? "hides" : "shows")} the block from \"{c.File.Description}\"");
            claimed.Add(c.File.FileName);
        }
        if (c.Phase is { } phase && shown.Choosers.Any(x => x.Phase == phase.Phase.Id))
        {
            var count = c.File.Gets ? phase.Most : phase.Fewest;
            var runtime = c.Status.Recommended.Count(s => s.Module.Phase == phase.Phase.Id);
            var page = shown.Offers.Count(x => x.Phase == phase.Phase.Id && x.Recommended);
            Check(runtime == count, $"the runtime recommends {runtime} modules in '{phase.Phase.Id}' to \"{c.File.Description}\"");
            Check(page == count, $"the page recommends {page} modules in '{phase.Phase.Id}' to \"{c.File.Description}\"");
            claimed.Add(c.File.FileName);
        }
        return n;
    }

    private static string Recommends(bool yes) => yes ? "recommends" : "does not recommend";
}

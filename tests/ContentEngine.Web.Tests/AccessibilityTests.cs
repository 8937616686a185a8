using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// WCAG 2.2 AA as far as a machine can tell: axe-core finds no violation on any page type in either
/// locale, empty and answered; no page scrolls sideways on a 320 px wide screen; and the skip link is
/// the first thing the keyboard reaches.
/// </summary>
[Collection("browser")]
public sealed class AccessibilityTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    public static TheoryData<string> Locales => ["sv", "en"];

    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    /// <summary>Answers that show the conditional parts of the pages: ::: if blocks, recommendations, answered controls.</summary>
    private const string Answers = """
        {
          "pain-rating": {"intensity": 8, "control": 1},
          "aftercare-wishes": {"areas": ["sleep"], "stress": 9, "low-days": 6, "relationship-strain": 9, "work-situation": "sick-leave"},
          "health-check": {"health-today": 40, "leisure-exercise": 0},
          "bulls-eye": {"value-work": "Learning", "target": {"work": 1, "relationships": 2, "leisure": 3, "health": 4}},
          "sleep-diary": [{"bedtime": "23:00", "hours": 5, "quality": 1, "nap": true}],
          "exercise-diary": [{"activity": "Walk", "minutes": 10, "pain": 9}],
          "flexibility": {"q1": 6, "q2": 6, "q3": 6, "q4": 6, "q5": 6, "q6": 6, "q7": 6, "q8": 6},
          "thought-record": {"records": [{"situation": "Work", "intensity": 50}]},
          "activity-plan": {"plan": [{"activity": "Walk", "done": true}]},
          "looking-back": {"keep-diary": false},
          "relapse-plan": {"review-date": "2026-10-01"}
        }
        """;

    /// <summary>Every page type: the overview, modules with every kind of block, every worksheet, aftercare and search.</summary>
    private IEnumerable<string> PagesOf(string locale) =>
        new[] { $"{locale}/index.html", $"{locale}/aftercare.html", $"{locale}/search.html" }
            .Concat(new[] { "mindfulness", "values", "physical-exercise", "work" }.Select(m => $"{locale}/modules/{m}.html"))
            .Concat(bundle.Graph.Worksheets.Select(w => $"{locale}/worksheets/{w.Id}.html"));

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task AxeFindsNoWcagViolationOnAnyPageType(string locale)
    {
        await using var tab = await BundleTab.OpenAsync(browser, bundle);
        var problems = new List<string>();
        var scanned = 0;
        foreach (var answered in new[] { false, true })
        {
            if (answered)
            {
                await tab.GotoAsync($"{locale}/index.html");
                await tab.Page.EvaluateAsync("json => { for (const [ws, v] of Object.entries(JSON.parse(json))) CE.state.setAnswers(ws, v); }", Answers);
            }
            // Answers change the worksheets, the aftercare page and the modules' ::: if blocks.
            var pages = answered ? PagesOf(locale).Where(p => p.Contains("/worksheets/") || p.EndsWith("/aftercare.html") || p.EndsWith("/work.html")) : PagesOf(locale);
            foreach (var path in pages)
            {
                var page = await tab.GotoAsync(path);
                await PrepareAsync(page, locale);
                if (answered && path.EndsWith("/aftercare.html", StringComparison.Ordinal))
                    await Expect(page.Locator(".ce-offer.ce-recommended").First).ToBeVisibleAsync();
                if (answered && path.EndsWith("/work.html", StringComparison.Ordinal))
                    await Expect(page.Locator(".ce-if").First).ToBeVisibleAsync();
                scanned++;
                problems.AddRange((await ScanAsync(tab)).Select(v => $"{path}{(answered ? " (answered)" : "")}: {v}"));
            }
        }
        Assert.True(scanned >= 25, $"only {scanned} pages scanned");
        Assert.True(problems.Count == 0, $"{problems.Count} axe violations:\n" + string.Join("\n", problems));

        // The scan sees a violation when there is one (the tags are right, the engine runs).
        await tab.GotoAsync($"{locale}/index.html");
        await tab.Page.EvaluateAsync("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"../media/bulls-eye.svg\"><input type=\"text\">')");
        var planted = await ScanAsync(tab);
        Assert.Contains(planted, v => v.StartsWith("image-alt ", StringComparison.Ordinal));
        Assert.Contains(planted, v => v.StartsWith("label ", StringComparison.Ordinal));
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task NoPageScrollsSidewaysOnA320PixelScreen(string locale)
    {
        await using var tab = await BundleTab.OpenAsync(browser, bundle, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 320, Height = 640 } });
        await tab.GotoAsync($"{locale}/index.html");
        await tab.Page.EvaluateAsync("json => { for (const [ws, v] of Object.entries(JSON.parse(json))) CE.state.setAnswers(ws, v); }", Answers);
        var problems = new List<string>();
        var pages = PagesOf(locale).Concat(bundle.Graph.Modules.Select(m => $"{locale}/modules/{m.Id}.html")).Distinct().ToList();
        foreach (var path in pages)
        {
            var page = await tab.GotoAsync(path);
            await PrepareAsync(page, locale);
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            if (width > 320)
            {
                var wide = await page.EvaluateAsync<string>("""
                    () => [...document.querySelectorAll('body *')]
                      .filter(e => { const r = e.getBoundingClientRect(); return r.right > 320.5 && r.width > 0 && getComputedStyle(e).visibility !== 'hidden'; })
                      .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > 320.5))
                      .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (right ${Math.round(e.getBoundingClientRect().right)})`).join(', ')
                    """);
                problems.Add($"{path}: {width} px wide; too wide: {wide}");
            }
        }
        Assert.True(problems.Count == 0, "pages that scroll sideways at 320 px:\n" + string.Join("\n", problems));
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task TheSkipLinkIsTheFirstTabStopAndMovesFocusToTheContent(string locale)
    {
        await using var tab = await BundleTab.OpenAsync(browser, bundle);
        foreach (var (kind, path) in bundle.PageTypes(locale))
        {
            var page = await tab.GotoAsync(path);
            await page.Keyboard.PressAsync("Tab");
            var skip = page.Locator("a.ce-skip");
            await Expect(skip).ToBeFocusedAsync();
            await Expect(skip).ToHaveTextAsync(bundle.S(locale, "skip-to-content"));
            // Seen when focused: inside the window.
            var box = await skip.BoundingBoxAsync();
            Assert.True(box is not null && box.X >= 0 && box.Y >= 0 && box.X + box.Width <= page.ViewportSize!.Width, $"{kind}: the focused skip link is off screen ({box?.X}, {box?.Y})");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("main#main")).ToBeFocusedAsync();
            // The next Tab goes on from the content, not back to the header.
            await page.Keyboard.PressAsync("Tab");
            var inMain = await page.EvaluateAsync<bool>("() => document.querySelector('main').contains(document.activeElement)");
            Assert.True(inMain, $"{kind} ({path}): Tab after the skip link leaves the content");
        }
        tab.AssertClean();
    }

    /// <summary>The WCAG A and AA violations axe-core finds in the open page, one line each.</summary>
    private static async Task<List<string>> ScanAsync(BundleTab tab)
    {
        var result = await tab.WithoutConsoleErrorsAsync(() =>
            tab.Page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] } }));
        return result.Violations.Select(v => $"{v.Id} ({v.Impact}) {v.Help}\n      " + string.Join("\n      ", v.Nodes.Take(5).Select(n =>
            $"{n.Target}: {Short(n.Html)} – " + string.Join("; ", (n.Any ?? []).Concat(n.All ?? []).Concat(n.None ?? []).Select(c => c.Message))))).ToList();
    }

    private static string Short(string? html) => html is null ? "" : html.Length > 160 ? html[..160] + "…" : html;

    /// <summary>Opens what a patient would open and gives the search something to show.</summary>
    private async Task PrepareAsync(IPage page, string locale)
    {
        await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)");
        if (page.Url.EndsWith("/search.html", StringComparison.Ordinal))
        {
            await page.Locator("[data-search-input]").FillAsync(locale == "sv" ? "smärta" : "pain");
            await Expect(page.Locator("[data-search-results] li").First).ToBeVisibleAsync();
        }
    }
}

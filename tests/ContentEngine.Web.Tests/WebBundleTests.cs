using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The sample program's static web bundle, opened from file:// in real Chromium: every page type in
/// both locales, the language switch, state that survives a reload, and a bundle that never reaches
/// outside itself.
/// </summary>
[Collection("browser")]
public sealed partial class WebBundleTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    public static TheoryData<string> Locales => ["sv", "en"];

    private Task<BundleTab> OpenAsync() => BundleTab.OpenAsync(browser, bundle);

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task TheOverviewListsEveryModuleAndWorksheet(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/index.html");

        await ExpectPageOf(page, locale);
        await Expect(page.Locator("main h1")).ToHaveTextAsync(bundle.Graph.Title.Get(locale, bundle.DefaultLocale));
        foreach (var module in bundle.Graph.Modules)
        {
            var link = page.Locator($".ce-module-item[data-module='{module.Id}'] a").First;
            await Expect(link).ToHaveTextAsync(module.Title.Get(locale, bundle.DefaultLocale));
            Assert.Equal($"{locale}/modules/{module.Id}.html", Resolve(page, await link.GetAttributeAsync("href")));
        }
        var worksheets = page.Locator(".ce-worksheets a");
        await Expect(worksheets).ToHaveCountAsync(bundle.Graph.Worksheets.Length);
        await Expect(page.Locator(".ce-phase")).ToHaveCountAsync(bundle.Graph.Phases.Length);
        await Expect(page.Locator("[data-current-week]")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-export]")).ToBeVisibleAsync();
        await Expect(page.Locator(".ce-nav a[aria-current='page']")).ToHaveTextAsync(bundle.S(locale, "overview"));
        await Expect(page.Locator("input[type=file][data-import]")).ToBeAttachedAsync();

        // A module link leads to the module; its week (week 2, not this one) is folded until the patient opens it.
        await page.Locator("details[data-week-details='2'] > summary").ClickAsync();
        await page.Locator(".ce-module-item[data-module='values'] a").First.ClickAsync();
        await tab.WaitReadyAsync();
        Assert.Equal($"{locale}/modules/values.html", tab.Here);
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task AModulePageShowsItsExercisesCalloutsSafetyAudioAndLinks(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/modules/mindfulness.html");
        var module = bundle.Graph.FindModule("mindfulness")!;

        await ExpectPageOf(page, locale);
        await Expect(page.Locator("main h1")).ToHaveTextAsync(module.Title.Get(locale, bundle.DefaultLocale));
        await Expect(page.Locator(".ce-exercise").First).ToBeVisibleAsync();
        await Expect(page.Locator(".ce-exercise h2").First).ToContainTextAsync(bundle.S(locale, "exercise"));
        await Expect(page.Locator(".ce-callout").First).ToBeVisibleAsync();
        await Expect(page.Locator(".ce-safety")).ToBeVisibleAsync();
        await Expect(page.Locator(".ce-safety")).ToHaveAttributeAsync("aria-label", bundle.S(locale, "safety"));

        // The audio player plays a file of the bundle, and its transcript opens.
        var audio = page.Locator("figure.ce-audio audio[controls]");
        await Expect(audio).ToBeVisibleAsync();
        Assert.Equal("media/body-scan.mp3", Resolve(page, await audio.GetAttributeAsync("src")));
        var transcript = page.Locator("figure.ce-audio details.ce-transcript");
        await Expect(transcript.Locator("p").First).Not.ToBeVisibleAsync();
        await transcript.Locator("summary").ClickAsync();
        await Expect(transcript.Locator("p").First).ToBeVisibleAsync();
        await Expect(transcript.Locator("p").First).Not.ToBeEmptyAsync();
        var canPlay = await page.EvaluateAsync<string>("() => document.querySelector('audio').canPlayType('audio/mpeg')");
        Assert.False(string.IsNullOrEmpty(canPlay), "Chromium cannot play the recording's format");

        // Links between modules: what it builds on, the previous and the next module.
        var requires = page.Locator(".ce-requires a");
        await Expect(requires).ToHaveCountAsync(module.Requires.Length);
        Assert.Equal($"{locale}/modules/acceptance.html", Resolve(page, await requires.First.GetAttributeAsync("href")));
        Assert.Equal($"{locale}/modules/acceptance.html", Resolve(page, await page.Locator("a[rel=prev]").GetAttributeAsync("href")));
        await page.Locator("a[rel=next]").ClickAsync();
        await tab.WaitReadyAsync();
        Assert.Equal($"{locale}/modules/defusion.html", tab.Here);
        await Expect(page.Locator("main h1")).ToHaveTextAsync(bundle.Graph.FindModule("defusion")!.Title.Get(locale, bundle.DefaultLocale));

        // A link in a module's text to another module.
        await tab.GotoAsync($"{locale}/modules/flare-ups.html");
        await page.Locator("main article a[href$='modules/mindfulness.html']").First.ClickAsync();
        await tab.WaitReadyAsync();
        Assert.Equal($"{locale}/modules/mindfulness.html", tab.Here);
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task AWorksheetPageShowsItsForm(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/worksheets/bulls-eye.html");
        var worksheet = bundle.Graph.FindWorksheet("bulls-eye")!;

        await ExpectPageOf(page, locale);
        await Expect(page.Locator("main h1")).ToHaveTextAsync(worksheet.Title.Get(locale, bundle.DefaultLocale));
        var form = page.Locator("form.ce-worksheet[data-worksheet='bulls-eye']");
        await Expect(form).ToBeVisibleAsync();
        await Expect(form.Locator(".ce-ws-field")).ToHaveCountAsync(worksheet.Fields.Length);
        await Expect(form.Locator("svg.ce-ws-target-svg")).ToBeVisibleAsync();
        // Used in: links back to the modules that place the worksheet.
        var usedIn = page.Locator(".ce-used-in a").First;
        await Expect(usedIn).ToBeVisibleAsync();
        await usedIn.ClickAsync();
        await tab.WaitReadyAsync();
        Assert.StartsWith($"{locale}/modules/", tab.Here);
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task TheAftercarePageOffersTheOptionalModules(string locale)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/aftercare.html");
        var optional = bundle.Graph.Modules.Where(m => m.Optional).ToList();

        await ExpectPageOf(page, locale);
        // The page is named after the program's own phase, in the page's language; its link in the header says what it is for.
        var phaseTitle = bundle.Graph.Phases.Single(p => p.Choose is not null).Title.Get(locale, bundle.DefaultLocale);
        await Expect(page.Locator("main h1")).ToHaveTextAsync(bundle.S(locale, "choose-in-phase").Replace("{0}", phaseTitle));
        await Expect(page.Locator(".ce-offer")).ToHaveCountAsync(optional.Count);
        foreach (var m in optional)
        {
            var offer = page.Locator($".ce-offer[data-module='{m.Id}']");
            // The checkbox is named by the module's title alone while it is not recommended; a patient with no answers
            // yet is recommended pacing only (it is offered to those who have not said what they want to work on).
            var recommended = m.Id == "pacing";
            await Expect(offer.Locator("input[type=checkbox]")).ToHaveAccessibleNameAsync(
                m.Title.Get(locale, bundle.DefaultLocale) + (recommended ? " " + bundle.S(locale, "recommended") : string.Empty));
            await Expect(offer.Locator("input[type=checkbox]")).ToBeEnabledAsync();
            if (recommended) await Expect(offer.Locator(".ce-recommended-badge")).ToBeVisibleAsync();
            else await Expect(offer.Locator(".ce-recommended-badge")).Not.ToBeVisibleAsync();
        }
        var max = bundle.Graph.Phases.Single(p => p.Choose is not null).Choose!.Max!.Value;
        await Expect(page.Locator("[data-choices-left]")).ToHaveTextAsync(max.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator(".ce-nav a[aria-current='page']")).ToHaveTextAsync(bundle.S(locale, "choose-nav"));
        tab.AssertClean();
    }

    [Theory]
    [InlineData("sv", "blossar")]
    [InlineData("en", "flare")]
    public async Task TypingAWordInSearchShowsResults(string locale, string word)
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync($"{locale}/search.html");

        await ExpectPageOf(page, locale);
        var input = page.GetByLabel(bundle.S(locale, "search-label"));
        await input.PressSequentiallyAsync(word);
        var results = page.Locator("[data-search-results] li a");
        await Expect(results.First).ToBeVisibleAsync();
        var count = await results.CountAsync();
        await Expect(page.Locator("[data-search-status]")).ToHaveTextAsync(bundle.S(locale, count == 1 ? "results-count.one" : "results-count.other").Replace("{0}", count.ToString()));
        await Expect(results.First).ToHaveTextAsync(bundle.Graph.FindModule("flare-ups")!.Title.Get(locale, bundle.DefaultLocale));

        // A word found nowhere says so.
        await input.FillAsync("zzxqy");
        await Expect(results).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-search-status]")).ToHaveTextAsync(bundle.S(locale, "no-results"));

        // A result leads to its page in the same locale.
        await input.FillAsync(word);
        await results.First.ClickAsync();
        await tab.WaitReadyAsync();
        Assert.Equal($"{locale}/modules/flare-ups.html", tab.Here);
        tab.AssertClean();
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task TheLanguageSwitchLeadsToTheSamePageInTheOtherLocale(string locale)
    {
        var other = bundle.Other(locale);
        await using var tab = await OpenAsync();
        foreach (var (kind, path) in bundle.PageTypes(locale))
        {
            var page = await tab.GotoAsync(path);
            await Expect(page.Locator($".ce-languages [aria-current][lang='{locale}']")).ToBeVisibleAsync();
            await page.Locator($".ce-languages a[hreflang='{other}']").ClickAsync();
            await tab.WaitReadyAsync();
            Assert.True(tab.Here == other + path[locale.Length..], $"the language switch of the {kind} page {path} leads to {tab.Here}");
            await ExpectPageOf(page, other);
        }
        tab.AssertClean();
    }

    [Fact]
    public async Task MarkingAModuleCompletedSurvivesAReloadFromFile()
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync("en/modules/values.html");
        Assert.StartsWith("file://", page.Url);
        // In week 2, with the module it builds on done and its homework (the bull's-eye) answered, it can be marked.
        await page.EvaluateAsync("() => CE.state.update(s => { s.week = 2; s.completed = ['welcome']; s.answers['bulls-eye'] = { target: { work: 2 } }; })");

        var button = page.Locator("button[data-complete='values']");
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(button).ToHaveTextAsync(bundle.S("en", "mark-completed"));
        await button.ClickAsync();
        // The patient's mark is a toggle: its name stays, its state and the note beside it change.
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(button).ToHaveTextAsync(bundle.S("en", "mark-completed"));
        await Expect(page.Locator("[data-complete-note]")).ToHaveTextAsync(bundle.S("en", "progress-saved-module").Replace("{0}", bundle.Graph.FindModule("values")!.Title.Get("en", "sv")));

        await tab.ReloadAsync();
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal(["welcome", "values"], (await tab.StateAsync()).GetProperty("completed").EnumerateArray().Select(e => e.GetString()));

        // The same state in the other locale (one program, one state).
        await tab.GotoAsync("sv/modules/values.html");
        await Expect(page.Locator("button[data-complete='values']")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Locator("button[data-complete='values']")).ToHaveTextAsync(bundle.S("sv", "mark-completed"));
        await Expect(page.Locator("[data-module-status]")).ToContainTextAsync(bundle.S("sv", "progress-module-done"));

        // And it can be undone.
        await page.Locator("button[data-complete='values']").ClickAsync();
        await tab.ReloadAsync();
        await Expect(page.Locator("button[data-complete='values']")).ToHaveAttributeAsync("aria-pressed", "false");
        tab.AssertClean();
    }

    /// <summary>A patient unpacks the bundle wherever they like: a folder name with spaces, '#', '%' and å ä ö.</summary>
    [Fact]
    public async Task TheBundleWorksFromAFolderWithAnAwkwardName()
    {
        using var moved = WebBundleFixture.InFolder("Mitt program #1 100% – åäö");
        await using var tab = await BundleTab.OpenAsync(browser, moved);
        var page = tab.Page;
        await page.GotoAsync(moved.Url("index.html"));
        await page.Locator("a[data-choose-locale='sv']").ClickAsync();
        await tab.ArriveAtAsync("sv/index.html");
        await page.Locator("details[data-week-details='4'] > summary").ClickAsync();
        await page.Locator(".ce-module-item[data-module='mindfulness'] a").First.ClickAsync();
        await tab.WaitReadyAsync();
        Assert.Equal("sv/modules/mindfulness.html", tab.Here);
        await page.EvaluateAsync("() => CE.state.update(s => { s.week = 4; s.completed = ['welcome', 'values', 'acceptance']; })");
        await page.Locator("button[data-complete='mindfulness']").ClickAsync();
        await page.Locator(".ce-languages a[hreflang='en']").ClickAsync();
        await tab.WaitReadyAsync();
        Assert.Equal("en/modules/mindfulness.html", tab.Here);
        await Expect(page.Locator("button[data-complete='mindfulness']")).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.True(await page.EvaluateAsync<bool>("() => getComputedStyle(document.querySelector('.ce-exercise')).borderLeftStyle === 'solid'"), "the style sheet is not applied");
        await page.Locator(".ce-nav a[href$='search.html']").ClickAsync();
        await tab.WaitReadyAsync();
        await page.Locator("[data-search-input]").FillAsync("body scan");
        await page.Locator("[data-search-results] a").First.ClickAsync();
        await tab.WaitReadyAsync();
        Assert.StartsWith("en/modules/", tab.Here);
        tab.AssertClean();
    }

    /// <summary>Every page of the bundle opens without a script error and without a request outside the bundle.</summary>
    [Fact]
    public async Task EveryPageOpensWithoutErrorsOrRequestsOutsideTheBundle()
    {
        await using var tab = await OpenAsync();
        var pages = bundle.HtmlPages().Where(p => p != "index.html").ToList();
        Assert.True(pages.Count >= 2 * (bundle.Graph.Modules.Length + bundle.Graph.Worksheets.Length + 3), $"only {pages.Count} pages");
        foreach (var path in pages)
        {
            var page = await tab.GotoAsync(path);
            // Open what is closed, so that anything it would load loads.
            await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)");
        }
        var requested = tab.Requests.Select(bundle.RelativeOf).OfType<string>().ToHashSet();
        foreach (var asset in new[] { "assets/app.js", "assets/conditions.js", "assets/worksheets.js", "assets/search.js", "assets/site.css", "assets/worksheets.css", "en/search-index.js", "media/bulls-eye.svg" })
            Assert.Contains(asset, requested);
        tab.AssertClean();
    }

    /// <summary>The guard of the tests above sees what it must refuse: the web, and files beside the bundle.</summary>
    [Fact]
    public async Task TheRequestGuardCatchesRequestsOutsideTheBundle()
    {
        await using var tab = await OpenAsync();
        var page = await tab.GotoAsync("en/index.html");
        var besidePath = Path.Combine(Path.GetDirectoryName(bundle.Folder)!, "beside.css");
        await File.WriteAllTextAsync(besidePath, "body { color: red; }");
        var beside = new Uri(besidePath).AbsoluteUri;
        await page.EvaluateAsync("""
            beside => {
              const img = new Image(); img.src = 'https://example.invalid/pixel.png';
              const link = document.createElement('link'); link.rel = 'stylesheet'; link.href = beside; document.head.appendChild(link);
              const other = document.createElement('script'); other.src = 'http://127.0.0.1:9/x.js'; document.head.appendChild(other);
            }
            """, beside);
        for (var i = 0; i < 50 && tab.OutsideRequests.Count < 3; i++) await Task.Delay(100);
        var outside = tab.OutsideRequests;
        Assert.Contains(outside, u => u.StartsWith("https://example.invalid/", StringComparison.Ordinal));
        Assert.Contains(outside, u => u.StartsWith("http://127.0.0.1:9/", StringComparison.Ordinal));
        Assert.Contains(beside, outside);
        Assert.ThrowsAny<Exception>(tab.AssertClean);
    }

    /// <summary>
    /// Every href and src of every written page is relative and names a file of the bundle (or an id of
    /// the page), so the bundle works from any folder, from file:// and behind any base path.
    /// </summary>
    [Fact]
    public void EveryLinkOfEveryPageResolvesToAFileOfTheBundle()
    {
        var problems = new List<string>();
        var checkedLinks = 0;
        foreach (var path in bundle.HtmlPages())
        {
            var html = File.ReadAllText(Path.Combine(bundle.Folder, path));
            var ids = IdAttribute().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
            var links = LinkAttribute().Matches(html).Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)))
                .Concat(RefreshUrl().Matches(html).Select(m => ("refresh", WebUtility.HtmlDecode(m.Groups[1].Value))));
            foreach (var (attribute, url) in links)
            {
                checkedLinks++;
                var problem = CheckLink(path, url, ids);
                if (problem is not null) problems.Add($"{path}: {attribute}=\"{url}\" {problem}");
            }
        }
        // The search index's links, relative to the search page.
        foreach (var locale in bundle.Locales)
        {
            var index = File.ReadAllText(Path.Combine(bundle.Folder, locale, "search-index.js"));
            foreach (Match m in SearchIndexUrl().Matches(index))
            {
                checkedLinks++;
                var problem = CheckLink($"{locale}/search.html", Regex.Unescape(m.Groups[1].Value), new HashSet<string>());
                if (problem is not null) problems.Add($"{locale}/search-index.js: \"{m.Groups[1].Value}\" {problem}");
            }
        }
        Assert.True(checkedLinks > 500, $"only {checkedLinks} links checked");
        Assert.True(problems.Count == 0, $"{problems.Count} links do not resolve:\n" + string.Join("\n", problems.Distinct().Take(60)));
    }

    /// <summary>Every page declares its locale, program and program version and loads the scripts in order (the reader's preferences first, in the head).</summary>
    [Fact]
    public void EveryPageDeclaresItsLocaleAndLoadsTheScriptsInOrder()
    {
        var problems = new List<string>();
        foreach (var path in bundle.HtmlPages().Where(p => p.Contains('/')))
        {
            var html = File.ReadAllText(Path.Combine(bundle.Folder, path));
            var locale = path[..path.IndexOf('/')];
            if (!html.Contains($"<html lang=\"{locale}\" data-program=\"{bundle.Graph.Id}\" data-program-version=\"{bundle.Graph.Version}\" data-locale=\"{locale}\">"))
                problems.Add($"{path}: the <html> element does not declare lang, data-program, data-program-version and data-locale");
            var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value.Split('/').Last()).ToList();
            string[] expected = path.EndsWith("/search.html", StringComparison.Ordinal)
                ? ["prefs.js", "offline.js", "conditions.js", "program.js", "schedule.js", "app.js", "nextstep.js", "backup.js", "worksheets.js", "pause.js", "search-index.js", "search.js"]
                : ["prefs.js", "offline.js", "conditions.js", "program.js", "schedule.js", "app.js", "nextstep.js", "backup.js", "worksheets.js", "pause.js"];
            if (!scripts.SequenceEqual(expected)) problems.Add($"{path}: scripts {string.Join(", ", scripts)}");
            if (html.Contains("type=\"module\"", StringComparison.Ordinal)) problems.Add($"{path}: a module script (file:// cannot load it)");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private string? CheckLink(string page, string url, HashSet<string> ids)
    {
        if (url.Length == 0) return "is empty";
        if (url.StartsWith('#')) return ids.Contains(Uri.UnescapeDataString(url[1..])) ? null : "names no id of the page";
        // The only addresses outside the bundle: how to reach the provider (program.yaml's provider), in the footer.
        if (bundle.Graph.Provider is { } provider && (url == provider.Url || url == "mailto:" + provider.Email
            || (provider.Phone is { } phone && url == "tel:" + new string(phone.Where(c => char.IsDigit(c) || c == '+').ToArray()))))
            return null;
        if (url.StartsWith("//", StringComparison.Ordinal) || url.StartsWith('/') || SchemePrefix().IsMatch(url)) return "is not relative";
        var target = url.Split('#', 2)[0].Split('?', 2)[0];
        var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.Combine(bundle.Folder, page))!, Uri.UnescapeDataString(target)));
        var root = Path.GetFullPath(bundle.Folder) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal)) return "leaves the bundle";
        if (!File.Exists(full)) return "names no file of the bundle";
        if (url.Contains('#') && full.EndsWith(".html", StringComparison.Ordinal))
        {
            var fragment = Uri.UnescapeDataString(url.Split('#', 2)[1]);
            var targetIds = IdAttribute().Matches(File.ReadAllText(full)).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value));
            if (fragment.Length > 0 && !targetIds.Contains(fragment)) return "names no id of the page it links to";
        }
        return null;
    }

    /// <summary>The bundle path a relative link of the open page leads to.</summary>
    private string? Resolve(IPage page, string? href) => href is null ? null : bundle.RelativeOf(new Uri(new Uri(page.Url), href).AbsoluteUri);

    private async Task ExpectPageOf(IPage page, string locale)
    {
        var html = page.Locator("html");
        await Expect(html).ToHaveAttributeAsync("lang", locale);
        await Expect(html).ToHaveAttributeAsync("data-locale", locale);
        await Expect(html).ToHaveAttributeAsync("data-program", bundle.Graph.Id);
        await Expect(page.Locator("main#main h1")).ToHaveCountAsync(1);
        await Expect(page.Locator(".ce-skip")).ToHaveTextAsync(bundle.S(locale, "skip-to-content"));
    }

    [GeneratedRegex("""\s(href|src)="([^"]*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex LinkAttribute();

    [GeneratedRegex("""<meta\s+http-equiv="refresh"\s+content="\d+;\s*url=([^"]*)" """, RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase)]
    private static partial Regex RefreshUrl();

    [GeneratedRegex("""\sid="([^"]*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex IdAttribute();

    [GeneratedRegex("""<script\s+src="([^"]*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex ScriptSource();

    [GeneratedRegex("""\"u\":\"((?:[^"\\]|\\.)*)\" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex SearchIndexUrl();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex SchemePrefix();
}

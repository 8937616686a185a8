using System.Text.Json;
using System.Text.RegularExpressions;
using ContentEngine.Cli.Preview;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// Installable and offline: the sample's bundle served over http by a plain static server is linked to
/// its web app manifest and keeps itself in a service worker's cache, so a patient who has opened it
/// once reads every page without a network; a new build replaces the cache. From file:// nothing of it
/// happens and nothing fails; the preview never registers the worker and removes one left behind.
/// </summary>
[Collection("browser")]
public sealed partial class OfflineTests(BrowserFixture browser, WebBundleFixture bundle) : IClassFixture<WebBundleFixture>
{
    /// <summary>A tab on the site that records script errors and every request that would leave the bundle.</summary>
    private sealed class SiteTab
    {
        private readonly List<string> _errors = [];
        private readonly List<string> _outside = [];

        public required IBrowserContext Context { get; init; }
        public required IPage Page { get; init; }

        public static async Task<SiteTab> OpenAsync(BrowserFixture browser, string root)
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { ServiceWorkers = ServiceWorkerPolicy.Allow });
            var page = await context.NewPageAsync();
            var tab = new SiteTab { Context = context, Page = page };
            context.Request += (_, r) => { if (!r.Url.StartsWith(root, StringComparison.Ordinal)) lock (tab._outside) tab._outside.Add(r.Url); };
            page.PageError += (_, e) => { lock (tab._errors) tab._errors.Add(e); };
            page.Console += (_, m) => { if (m.Type == "error") lock (tab._errors) tab._errors.Add($"console: {m.Text} ({m.Location})"); };
            return tab;
        }

        public void AssertClean()
        {
            lock (_outside) Assert.True(_outside.Count == 0, "requests outside the bundle:\n" + string.Join("\n", _outside));
            lock (_errors) Assert.True(_errors.Count == 0, "script errors:\n" + string.Join("\n", _errors));
        }
    }

    private const string WaitControlled = "() => !!navigator.serviceWorker.controller && navigator.serviceWorker.controller.state === 'activated'";

    private static async Task<string[]> CachesAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("async () => (await caches.keys()).filter(k => k.startsWith('contentengine '))");

    private static string VersionOf(string folder) =>
        Version().Match(File.ReadAllText(Path.Combine(folder, "sw.js"))).Groups[1].Value;

    [GeneratedRegex("""var VERSION = "([0-9a-f]+)";""")]
    private static partial Regex Version();

    /// <summary>Every file of the bundle but the worker itself, as bundle paths.</summary>
    private static List<string> FilesOf(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f != "sw.js").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task OverHttpTheBundleIsInstallableAndEveryPageOpensOfflineAfterTheFirstVisit()
    {
        using var site = StaticSite.Start(bundle.Folder, "/program/");
        var tab = await SiteTab.OpenAsync(browser, site.Root);
        var page = tab.Page;
        await page.GotoAsync(site.Url("sv/index.html"));
        await page.WaitForFunctionAsync(WaitControlled, null, new() { Timeout = 20_000 });

        // The worker's scope is the bundle, and its cache holds every file of it.
        Assert.Equal(site.Root, await page.EvaluateAsync<string>("async () => (await navigator.serviceWorker.getRegistration()).scope"));
        var version = VersionOf(bundle.Folder);
        Assert.Equal([$"contentengine {bundle.Graph.Id} {site.Root} {version}"], await CachesAsync(page));
        var cached = await page.EvaluateAsync<string[]>("async k => (await (await caches.open(k)).keys()).map(r => r.url)", $"contentengine {bundle.Graph.Id} {site.Root} {version}");
        Assert.Equal(FilesOf(bundle.Folder).Select(site.Url), cached.Order(StringComparer.Ordinal));

        // The manifest Chromium reads: the program's title in the page's language, started from the locale's overview.
        var cdp = await tab.Context.NewCDPSessionAsync(page);
        var manifest = (await cdp.SendAsync("Page.getAppManifest"))!.Value;
        Assert.Equal(site.Url("sv/manifest.webmanifest"), manifest.GetProperty("url").GetString());
        Assert.Equal(0, manifest.GetProperty("errors").GetArrayLength());
        var json = JsonDocument.Parse(await page.EvaluateAsync<string>("async () => (await fetch(document.querySelector('link[rel=manifest]').href)).text()")).RootElement;
        Assert.Equal(bundle.Graph.Title.Get("sv", "sv"), json.GetProperty("name").GetString());
        Assert.Equal(bundle.Graph.Identity!.PrimaryColor, json.GetProperty("theme_color").GetString());
        Assert.Equal(site.Url("sv/index.html"), new Uri(new Uri(site.Url("sv/manifest.webmanifest")), json.GetProperty("start_url").GetString()).ToString());
        Assert.Equal(site.Root, new Uri(new Uri(site.Url("sv/manifest.webmanifest")), json.GetProperty("scope").GetString()).ToString());
        var icon = json.GetProperty("icons")[0];
        Assert.True(File.Exists(Path.Combine(bundle.Folder, new Uri(new Uri(site.Url("sv/manifest.webmanifest")), icon.GetProperty("src").GetString()).AbsolutePath[site.BasePath.Length..])));
        var installable = (await cdp.SendAsync("Page.getInstallabilityErrors"))!.Value.GetProperty("installabilityErrors")
            .EnumerateArray().Select(e => e.GetProperty("errorId").GetString()!)
            // A test browser's contexts are private windows, where nothing is installed.
            .Where(e => e != "in-incognito").ToList();
        Assert.True(installable.Count == 0, "not installable: " + string.Join(", ", installable));

        // The network goes: the server stops and the browser is offline. The patient still reads on.
        site.Dispose();
        await tab.Context.SetOfflineAsync(true);
        var pages = new (string Path, string Title)[]
        {
            ("en/index.html", bundle.Graph.Title.Get("en", "sv")),
            ("sv/modules/values.html", bundle.Graph.FindModule("values")!.Title.Get("sv", "sv")),
            ("en/modules/mindfulness.html", bundle.Graph.FindModule("mindfulness")!.Title.Get("en", "sv")),
            ("sv/worksheets/pain-rating.html", bundle.Graph.FindWorksheet("pain-rating")!.Title.Get("sv", "sv")),
            ("en/worksheets/sleep-diary.html", bundle.Graph.FindWorksheet("sleep-diary")!.Title.Get("en", "sv")),
            ("en/worksheets/flexibility.html", bundle.Graph.FindWorksheet("flexibility")!.Title.Get("en", "sv")),
            ("sv/aftercare.html", bundle.S("sv", "choose-in-phase").Replace("{0}", bundle.Graph.FindPhase("aftercare")!.Title.Get("sv", "sv"))),
            ("index.html", bundle.Graph.Title.Get("sv", "sv")),
        };
        foreach (var (path, title) in pages)
        {
            var response = await page.GotoAsync(site.Url(path));
            Assert.True(response is { Status: 200, FromServiceWorker: true }, $"{path}: {response?.Status}, from the worker: {response?.FromServiceWorker}");
            await Expect(page.Locator("main h1")).ToHaveTextAsync(title);
            if (path != "index.html")
                await page.WaitForFunctionAsync("() => document.readyState === 'complete' && !!(window.CE && CE.state && CE.refresh)");
            Assert.True(await page.EvaluateAsync<bool>("async () => { await document.fonts.ready; return document.fonts.check('16px \"Atkinson Hyperlegible Next\"'); }"), $"{path}: the font did not load offline");
            Assert.Equal("rgb(255, 255, 255)", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));
        }
        // A worksheet works offline: an answer is kept.
        await page.GotoAsync(site.Url("en/worksheets/pain-rating.html"));
        await page.WaitForFunctionAsync("() => document.readyState === 'complete' && !!(window.CE && CE.state && CE.refresh)");
        await page.EvaluateAsync("() => CE.state.setAnswers('pain-rating', { intensity: 4 })");
        await page.ReloadAsync();
        Assert.Equal(4, await page.EvaluateAsync<int>("() => CE.state.getAnswers('pain-rating').intensity"));
        // The recording seeks: a range of the cached file.
        var range = await page.EvaluateAsync<int[]>("async () => { const r = await fetch('../../media/body-scan.mp3', { headers: { Range: 'bytes=100-199' } }); return [r.status, (await r.arrayBuffer()).byteLength]; }");
        Assert.Equal([206, 100], range);
        tab.AssertClean();
        await tab.Context.CloseAsync();
    }

    [Fact]
    public async Task ANewBuildReplacesTheCachedOne()
    {
        using var program = new TestPaths.TempFolder();
        CopyFolder(TestPaths.Repo("content", WebBundleFixture.SampleProgram), program.Path);
        var english = Path.Combine(program.Path, "modules", "values.en.md");
        const string added = "A paragraph of the new build.";
        var text = File.ReadAllText(english);
        File.WriteAllText(english, text.Replace("\n# Values as a compass\n", $"\n# Values as a compass\n\n{added}\n", StringComparison.Ordinal));
        using var rebuilt = WebBundleFixture.For(program.Path);
        var (before, after) = (VersionOf(bundle.Folder), VersionOf(rebuilt.Folder));
        Assert.NotEqual(before, after);

        using var site = StaticSite.Start(bundle.Folder, "/clinic/pain/");
        var tab = await SiteTab.OpenAsync(browser, site.Root);
        var page = tab.Page;
        await page.GotoAsync(site.Url("en/modules/values.html"));
        await page.WaitForFunctionAsync(WaitControlled, null, new() { Timeout = 20_000 });
        Assert.DoesNotContain(added, await page.InnerTextAsync("main"));
        Assert.Equal([$"contentengine {bundle.Graph.Id} {site.Root} {before}"], await CachesAsync(page));

        // The new build is deployed; the browser finds the new worker when the patient next opens a page.
        site.Folder = rebuilt.Folder;
        await page.ReloadAsync();
        await EventuallyAsync(page, "async v => (await caches.keys()).filter(k => k.startsWith('contentengine ')).join() === v",
            $"contentengine {bundle.Graph.Id} {site.Root} {after}", "the new build's cache replaces the old one");
        await page.ReloadAsync();
        Assert.Contains(added, await page.InnerTextAsync("main"));

        // And it is what is read offline.
        await tab.Context.SetOfflineAsync(true);
        await page.GotoAsync(site.Url("en/index.html"));
        await page.GotoAsync(site.Url("en/modules/values.html"));
        Assert.Contains(added, await page.InnerTextAsync("main"));
        tab.AssertClean();
        await tab.Context.CloseAsync();
    }

    [Fact]
    public async Task FromFileTheBundleRegistersNoWorkerAndLinksNoManifestAndLogsNoError()
    {
        await using var tab = await BundleTab.OpenAsync(browser, bundle);
        foreach (var path in new[] { "index.html", "sv/index.html", "en/modules/values.html", "sv/worksheets/pain-rating.html", "en/aftercare.html" })
        {
            var page = await tab.GotoAsync(path);
            await page.WaitForTimeoutAsync(200); // past the load event, where the worker would be registered
            Assert.Equal(0, await page.Locator("link[rel=manifest]").CountAsync());
            Assert.False(await page.EvaluateAsync<bool>("() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)"), path);
        }
        Assert.DoesNotContain(tab.Requests, r => r.EndsWith("/sw.js", StringComparison.Ordinal) || r.EndsWith(".webmanifest", StringComparison.Ordinal));
        tab.AssertClean();
    }

    [Fact]
    public async Task ThePreviewRegistersNoWorkerAndRemovesOneAnEarlierServerLeftOnItsAddress()
    {
        using var program = new TestPaths.TempFolder();
        CopyFolder(TestPaths.Repo("content", WebBundleFixture.SampleProgram), program.Path);

        // The built bundle was served on this address before, and its worker took the pages over.
        var port = StaticSite.FreePort();
        var tab = await SiteTab.OpenAsync(browser, $"http://127.0.0.1:{port}/");
        var page = tab.Page;
        using (var site = StaticSite.Start(bundle.Folder, "/", port))
        {
            await page.GotoAsync(site.Url("sv/modules/values.html"));
            await page.WaitForFunctionAsync(WaitControlled, null, new() { Timeout = 20_000 });
        }

        // Now the preview answers on it: its pages arrive (with the preview's script), and the old worker and its cache go.
        var log = new StringWriter();
        await using var preview = await PreviewServer.StartAsync(new PreviewOptions { ProgramFolder = program.Path, Port = port }, log);
        await page.GotoAsync(new Uri(preview.Url, "sv/modules/values.html").ToString());
        await page.WaitForFunctionAsync("() => window.__cePreview && window.__cePreview.connected === true", null, new() { Timeout = 20_000 });
        await EventuallyAsync(page, "async () => (await navigator.serviceWorker.getRegistrations()).length === 0 && !navigator.serviceWorker.controller", null, "the old worker goes");
        Assert.Empty(await CachesAsync(page));

        // Live reload still works.
        var source = Path.Combine(program.Path, "modules", "values.md");
        const string marker = "Kompassen visar riktningen även offline.";
        await File.WriteAllTextAsync(source, (await File.ReadAllTextAsync(source)).Replace("När smärtan får styra", marker + " När smärtan får styra", StringComparison.Ordinal));
        await page.WaitForFunctionAsync("m => document.body !== null && document.body.innerText.includes(m)", marker, new() { Timeout = 5_000 });

        // A page the preview serves registers nothing, even after it has loaded.
        await page.GotoAsync(new Uri(preview.Url, "en/index.html").ToString());
        await page.WaitForFunctionAsync("() => window.__cePreview && window.__cePreview.connected === true && document.readyState === 'complete'");
        await page.WaitForTimeoutAsync(300);
        Assert.Equal(0, await page.EvaluateAsync<int>("async () => (await navigator.serviceWorker.getRegistrations()).length"));
        tab.AssertClean();
        await tab.Context.CloseAsync();
    }

    /// <summary>Waits until an async predicate in the page holds (WaitForFunction takes a promise for true).</summary>
    private static async Task EventuallyAsync(IPage page, string predicate, object? arg, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!await page.EvaluateAsync<bool>(predicate, arg))
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting: {what}");
            await Task.Delay(100);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}

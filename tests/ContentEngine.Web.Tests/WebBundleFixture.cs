using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Web;
using Microsoft.Playwright;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The sample program's web bundle, compiled once per test run and written to a temporary folder once
/// per test class (a class fixture), opened from file:// as a patient would open a downloaded copy.
/// </summary>
public sealed class WebBundleFixture : IDisposable
{
    public const string SampleProgram = "iact-chronic-pain";

    private static readonly Lazy<CompilationResult> Sample = new(() => Compile(TestPaths.Repo("content", SampleProgram)));

    private readonly TestPaths.TempFolder _temp = new();

    public WebBundleFixture() : this(TestPaths.Repo("content", SampleProgram), Sample.Value) { }

    private WebBundleFixture(string programFolder, CompilationResult compiled, string folderName = "web")
    {
        var graph = compiled.Graph!;
        Graph = graph;
        Exploration = compiled.Exploration;
        Folder = Path.Combine(_temp.Path, folderName);
        Theme = Theme.Load(programFolder, graph.Theme);
        WebRenderer.Render(graph, new WebOptions { Theme = Theme }).WriteTo(Folder);
    }

    /// <summary>The sample's bundle written to a folder of this name (spaces, letters beyond ASCII, …).</summary>
    public static WebBundleFixture InFolder(string folderName) =>
        new(TestPaths.Repo("content", SampleProgram), Sample.Value, folderName);

    /// <summary>A bundle of another program (such as a small one written by a test).</summary>
    public static WebBundleFixture For(string programFolder) => new(programFolder, Compile(programFolder));

    private static CompilationResult Compile(string folder)
    {
        var result = ProgramCompiler.Compile(folder);
        Assert.True(result.Graph is not null, DiagnosticFormatter.Plain(result.Diagnostics));
        return result;
    }

    public ProgramGraph Graph { get; }

    /// <summary>What the compiler's explorer found on the program (its witnesses among it).</summary>
    public ContentEngine.Exploration.ExplorationResult? Exploration { get; }

    public Theme Theme { get; }

    /// <summary>A string of the theme's interface in a locale.</summary>
    public string S(string locale, string key) => Theme.Strings.Get(locale, key);

    /// <summary>The bundle's root folder (the one holding index.html, assets/ and a folder per locale).</summary>
    public string Folder { get; }

    public IReadOnlyList<string> Locales => Graph.Locales;

    public string DefaultLocale => Graph.DefaultLocale;

    /// <summary>The other locale of the sample (it has two).</summary>
    public string Other(string locale) => Locales.First(l => l != locale);

    /// <summary>The file:// URL of a bundle path such as "sv/index.html".</summary>
    public string Url(string relative) => new Uri(Path.Combine(Folder, relative.Replace('/', Path.DirectorySeparatorChar))).AbsoluteUri;

    /// <summary>The bundle path ("sv/modules/values.html") of a file:// URL inside the bundle, else null.</summary>
    public string? RelativeOf(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.IsFile) return null;
        var full = Path.GetFullPath(uri.LocalPath);
        var root = Path.GetFullPath(Folder) + Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal) ? full[root.Length..].Replace(Path.DirectorySeparatorChar, '/') : null;
    }

    /// <summary>Every HTML page of the bundle, as bundle paths.</summary>
    public IEnumerable<string> HtmlPages() =>
        Directory.EnumerateFiles(Folder, "*.html", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>A representative page of every page type in a locale.</summary>
    public IReadOnlyList<(string Kind, string Path)> PageTypes(string locale) =>
    [
        ("overview", $"{locale}/index.html"),
        ("module", $"{locale}/modules/mindfulness.html"),
        ("worksheet", $"{locale}/worksheets/bulls-eye.html"),
        ("aftercare", $"{locale}/aftercare.html"),
        ("search", $"{locale}/search.html"),
    ];

    public void Dispose() => _temp.Dispose();
}

/// <summary>
/// A browser tab on the bundle in a context of its own (its own localStorage) that watches every request:
/// anything not a file of the bundle folder is refused and reported, and so is every script error.
/// </summary>
public sealed class BundleTab : IAsyncDisposable
{
    private readonly WebBundleFixture _bundle;
    private readonly List<string> _outside = [];
    private readonly List<string> _errors = [];
    private readonly List<string> _requests = [];
    private volatile bool _quiet;

    private BundleTab(WebBundleFixture bundle, IBrowserContext context, IPage page)
    {
        _bundle = bundle;
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    /// <summary>The requests refused because they would leave the bundle.</summary>
    public IReadOnlyList<string> OutsideRequests { get { lock (_outside) return [.. _outside]; } }

    /// <summary>Every request the tab made (URLs), in order.</summary>
    public IReadOnlyList<string> Requests { get { lock (_requests) return [.. _requests]; } }

    public static async Task<BundleTab> OpenAsync(BrowserFixture browser, WebBundleFixture bundle, BrowserNewContextOptions? options = null)
    {
        var context = await browser.NewContextAsync(options ?? new BrowserNewContextOptions { AcceptDownloads = true });
        var page = await context.NewPageAsync();
        var tab = new BundleTab(bundle, context, page);
        // Refuse whatever would leave the bundle (routing sees network requests) ...
        await context.RouteAsync("**/*", async route =>
        {
            if (tab.Allowed(route.Request.Url)) await route.ContinueAsync();
            else
            {
                tab.Outside(route.Request.Url);
                await route.AbortAsync("blockedbyclient");
            }
        });
        // ... and look at every request, file:// ones included.
        context.Request += (_, request) =>
        {
            lock (tab._requests) tab._requests.Add(request.Url);
            if (!tab.Allowed(request.Url)) tab.Outside(request.Url);
        };
        page.PageError += (_, error) => { lock (tab._errors) tab._errors.Add(error); };
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !tab._quiet) lock (tab._errors) tab._errors.Add("console: " + message.Text);
        };
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        return tab;
    }

    private void Outside(string url)
    {
        lock (_outside) if (!_outside.Contains(url)) _outside.Add(url);
    }

    /// <summary>A file of the bundle that exists; or a blob: the page made itself (the export's download).</summary>
    private bool Allowed(string url)
    {
        if (url.StartsWith("blob:", StringComparison.Ordinal)) return true;
        var relative = _bundle.RelativeOf(url);
        return relative is not null && File.Exists(Path.Combine(_bundle.Folder, relative));
    }

    /// <summary>Opens a bundle path ("en/index.html") and waits until its scripts have run.</summary>
    public async Task<IPage> GotoAsync(string relative)
    {
        await Page.GotoAsync(_bundle.Url(relative));
        await WaitReadyAsync();
        return Page;
    }

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await WaitReadyAsync();
    }

    /// <summary>
    /// Waits until the tab shows a bundle path ("en/index.html") after a redirect or a click, then until its scripts
    /// have run. Polls the page's URL rather than waiting for a navigation event: a meta refresh can finish before a
    /// navigation waiter is registered, and then the event never comes.
    /// </summary>
    public async Task ArriveAtAsync(string relative)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_bundle.RelativeOf(Page.Url) != relative)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the tab stayed at {Here}, expected {relative}");
            await Task.Delay(50);
        }
        await WaitReadyAsync();
    }

    public Task WaitReadyAsync() =>
        Page.WaitForFunctionAsync("() => document.readyState === 'complete' && !!(window.CE && CE.state && CE.refresh)");

    /// <summary>The bundle path of the page now open.</summary>
    public string Here => _bundle.RelativeOf(Page.Url) ?? Page.Url;

    /// <summary>The state app.js keeps in localStorage, as JSON.</summary>
    public async Task<JsonElement> StateAsync()
    {
        var json = await Page.EvaluateAsync<string>("() => JSON.stringify(CE.state.get())");
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    public async Task<JsonElement> AnswersAsync(string worksheet)
    {
        var json = await Page.EvaluateAsync<string>("ws => JSON.stringify(CE.state.getAnswers(ws) ?? null)", worksheet);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>
    /// Runs a tool in the page whose own console errors are not the page's (axe-core reads the style
    /// sheets with XMLHttpRequest, which file:// refuses); script errors and outside requests still count.
    /// </summary>
    public async Task<T> WithoutConsoleErrorsAsync<T>(Func<Task<T>> action)
    {
        _quiet = true;
        try { return await action(); }
        finally { _quiet = false; }
    }

    /// <summary>Fails the test when a request left the bundle or a script failed.</summary>
    public void AssertClean()
    {
        string[] outside, errors;
        lock (_outside) outside = [.. _outside];
        lock (_errors) errors = [.. _errors];
        Assert.True(outside.Length == 0, "requests outside the bundle:\n" + string.Join("\n", outside));
        Assert.True(errors.Length == 0, "script errors:\n" + string.Join("\n", errors));
    }

    public async ValueTask DisposeAsync()
    {
        try { await Context.CloseAsync(); } catch (PlaywrightException) { /* already closed */ }
    }
}

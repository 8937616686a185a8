using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ContentEngine.Cli;
using ContentEngine.Cli.Preview;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// <c>contentengine serve</c> in-process on a free port, on a copy of the sample program, with the
/// shared Chromium: live reload, the error overlay, the patient panel and the path checks.
/// </summary>
[Collection("browser")]
public sealed partial class PreviewTests(BrowserFixture browser)
{
    private const string ModulePage = "sv/modules/values.html";

    /// <summary>A copy of the sample program in a temporary folder, and the preview serving it.</summary>
    private sealed class Preview : IAsyncDisposable
    {
        private readonly TestPaths.TempFolder _temp = new();

        private Preview() => Program = Path.Combine(_temp.Path, "iact-chronic-pain");

        public string Program { get; }
        public PreviewServer Server { get; private set; } = null!;
        public StringWriter Log { get; } = new();

        public string Source(string relative) => Path.Combine(Program, relative);

        public string Url(string page) => new Uri(Server.Url, page).ToString();

        public static async Task<Preview> StartAsync()
        {
            var preview = new Preview();
            Copy(TestPaths.Repo("content", "iact-chronic-pain"), preview.Program);
            preview.Server = await PreviewServer.StartAsync(new PreviewOptions { ProgramFolder = preview.Program }, preview.Log);
            return preview;
        }

        public static void Copy(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(to, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Server is not null) await Server.DisposeAsync();
            _temp.Dispose();
        }
    }

    /// <summary>Opens a page and waits until its preview script listens to the server.</summary>
    private async Task<IPage> OpenAsync(Preview preview, string page)
    {
        var tab = await browser.NewPageAsync();
        await tab.GotoAsync(preview.Url(page));
        await tab.WaitForFunctionAsync("() => window.__cePreview && window.__cePreview.connected === true", null, new() { Timeout = 10_000 });
        return tab;
    }

    [Fact]
    public async Task AnEditShowsInTheOpenPageAndErrorsShowInAnOverlayUntilFixed()
    {
        await using var preview = await Preview.StartAsync();
        var page = await OpenAsync(preview, ModulePage);
        await page.EvaluateAsync("() => { window.__beforeEdit = true; }");

        // Edit the module's text: the page reloads itself and shows it.
        var source = preview.Source(Path.Combine("modules", "values.md"));
        var original = await File.ReadAllTextAsync(source);
        const string marker = "Kompassen visar riktningen även en dag med mycket smärta.";
        Assert.DoesNotContain(marker, await page.InnerTextAsync("body"));
        var edited = original.Replace("När smärtan får styra", marker + " När smärtan får styra", StringComparison.Ordinal);
        Assert.NotEqual(original, edited);
        await File.WriteAllTextAsync(source, edited);
        // While the page reloads its document has no body for a moment: wait through that, not fail on it.
        await page.WaitForFunctionAsync("m => document.body !== null && document.body.innerText.includes(m)", marker, new() { Timeout = 10_000 });
        Assert.False(await page.EvaluateAsync<bool>("() => window.__beforeEdit === true"), "the text should arrive by the page reloading itself");

        // Break the front matter: the overlay names the file and the line, and the page keeps the last good version.
        var lines = edited.Split('\n');
        var weekLine = Array.FindIndex(lines, l => l.StartsWith("week:", StringComparison.Ordinal)) + 1;
        Assert.True(weekLine > 1);
        var broken = edited.Replace("\nweek: 2\n", "\nweek: '2\n", StringComparison.Ordinal);
        Assert.NotEqual(edited, broken);
        await File.WriteAllTextAsync(source, broken);
        var overlay = page.Locator("#ce-preview-overlay");
        await Expect(overlay).ToBeVisibleAsync(new() { Timeout = 5_000 });
        await Expect(overlay).ToHaveAttributeAsync("role", "alert");
        await Expect(overlay).ToContainTextAsync("modules/values.md");
        await Expect(overlay).ToContainTextAsync($"line {weekLine}, column 7");
        await Expect(overlay.Locator($"li[data-file='modules/values.md'][data-line='{weekLine}']")).ToContainTextAsync("CE0001");
        Assert.Contains(marker, await page.InnerTextAsync("main"));
        Assert.True(preview.Server.Current.HasErrors);
        await AssertAccessibleAsync(overlay);

        // Fix it: the overlay goes away by itself.
        await File.WriteAllTextAsync(source, edited);
        await Expect(overlay).ToBeHiddenAsync(new() { Timeout = 5_000 });
        Assert.Contains(marker, await page.InnerTextAsync("main"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheOverlayIsOnEveryPageAndOnReload()
    {
        await using var preview = await Preview.StartAsync();
        var source = preview.Source(Path.Combine("modules", "values.md"));
        var original = await File.ReadAllTextAsync(source);
        var rebuilt = new TaskCompletionSource();
        preview.Server.Rebuilt += r => { if (r.Snapshot.HasErrors) rebuilt.TrySetResult(); };
        await File.WriteAllTextAsync(source, original.Replace("\nrequires: [welcome]\n", "\nrequires: [welcom]\n", StringComparison.Ordinal));
        await rebuilt.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // A page opened while the program is broken shows the error (and the last good page under it).
        var page = await OpenAsync(preview, "en/index.html");
        var overlay = page.Locator("#ce-preview-overlay");
        await Expect(overlay).ToBeVisibleAsync();
        await Expect(overlay).ToContainTextAsync("modules/values.md");
        await Expect(overlay).ToContainTextAsync("welcom");
        Assert.Equal(200, (await page.ReloadAsync())!.Status);
        await Expect(overlay).ToBeVisibleAsync();
        await File.WriteAllTextAsync(source, original);
        await Expect(overlay).ToBeHiddenAsync(new() { Timeout = 5_000 });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ThePatientPanelShowsTheWayThroughTheProgramAndRecommendsAfterAnswers()
    {
        await using var preview = await Preview.StartAsync();
        var page = await OpenAsync(preview, ModulePage);
        await page.ClickAsync("#ce-preview-toggle");
        var panel = page.Locator("#ce-preview-panel");
        await Expect(panel).ToBeVisibleAsync();
        var stress = panel.Locator("li[data-module='stress']");
        await Expect(stress).ToHaveAttributeAsync("data-recommended", "false");
        await Expect(stress).ToHaveAttributeAsync("data-open", "false");
        await Expect(stress.Locator(".ce-preview-status")).ToContainTextAsync("vecka 12"); // aftercare week 2, after 6 weeks and a 4-week pause

        // The week and the completed modules go through the bundle's state.
        await page.FillAsync("#ce-preview-week", "12");
        await Expect(stress.Locator(".ce-preview-status")).ToContainTextAsync("kräver");
        await Expect(stress).ToHaveAttributeAsync("data-open", "false");
        await page.CheckAsync("#ce-preview-done-maintaining");
        await Expect(stress).ToHaveAttributeAsync("data-open", "true");
        await Expect(stress).ToHaveAttributeAsync("data-offered", "true");
        var state = await page.EvaluateAsync<JsonElement>("() => CE.state.get()");
        Assert.Equal(12, state.GetProperty("week").GetInt32());
        Assert.Contains("maintaining", state.GetProperty("completed").EnumerateArray().Select(e => e.GetString()));

        // Answers make an optional module recommended, with its reason.
        await page.EvaluateAsync("() => CE.state.setAnswers('aftercare-wishes', { stress: 8 })");
        await Expect(stress).ToHaveAttributeAsync("data-recommended", "true");
        await Expect(stress.Locator(".ce-preview-reason")).ToBeVisibleAsync();
        await Expect(panel.Locator("li[data-module='sleep']")).ToHaveAttributeAsync("data-recommended", "false");
        await page.EvaluateAsync("() => CE.state.setAnswers('aftercare-wishes', { stress: 2 })");
        await Expect(stress).ToHaveAttributeAsync("data-recommended", "false");
        await Expect(stress).ToHaveAttributeAsync("data-state", "offered");

        // A full choice locks the optional modules not chosen, as the runtime's scheduler does (a completed one counts as chosen).
        await page.EvaluateAsync("() => CE.state.update(s => { s.chosen = ['flare-ups', 'low-mood', 'relationships', 'work', 'pacing']; s.completed.push('sleep'); })");
        await Expect(stress).ToHaveAttributeAsync("data-state", "locked");
        await Expect(stress).ToHaveAttributeAsync("data-offered", "false");
        await Expect(stress.Locator(".ce-preview-status")).ToContainTextAsync("valet är fullt (6 av högst 6 valda)");
        await Expect(panel.Locator("li[data-module='low-mood']")).ToHaveAttributeAsync("data-state", "open");
        await Expect(panel.Locator("li[data-module='sleep']")).ToHaveAttributeAsync("data-state", "completed");
        await page.EvaluateAsync("() => CE.state.update(s => { s.chosen = []; s.completed = s.completed.filter(c => c !== 'sleep'); })");
        await Expect(stress).ToHaveAttributeAsync("data-state", "offered");

        await AssertAccessibleAsync(panel);
        await AssertAccessibleAsync(page.Locator("#ce-preview-toggle"));

        // The panel stays open across a reload.
        await page.ReloadAsync();
        await Expect(page.Locator("#ce-preview-panel")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public void AnEditOfAModuleBodyRendersOnlyThePagesItTouchesAndGivesWhatAFullRenderGives()
    {
        using var temp = new TestPaths.TempFolder();
        Preview.Copy(TestPaths.Repo("content", "iact-chronic-pain"), temp.Path);
        var builder = new PreviewBuilder(temp.Path);
        var first = builder.Build(compile: true, reloadTheme: true, []);
        Assert.False(first.Snapshot.HasErrors);
        Assert.Equal(first.BundleFiles, first.RenderedFiles);

        // A new paragraph and a worksheet placed: the module's pages, the worksheet's ("used in") and the search indexes.
        var values = Path.Combine(temp.Path, "modules", "values.md");
        var text = File.ReadAllText(values);
        File.WriteAllText(values, text.Replace("\n# Värderingar som kompass\n", "\n# Värderingar som kompass\n\nEtt nytt stycke om kompassen.\n\n::: worksheet {ref=pain-rating}\n:::\n", StringComparison.Ordinal));
        var english = Path.Combine(temp.Path, "modules", "values.en.md");
        File.WriteAllText(english, File.ReadAllText(english).Replace("\n# Values as a compass\n", "\n# Values as a compass\n\nA new paragraph about the compass.\n\n::: worksheet {ref=pain-rating}\n:::\n", StringComparison.Ordinal));
        var edit = builder.Build(compile: true, reloadTheme: false, ["modules/values.md", "modules/values.en.md"], changesComplete: true);
        Assert.False(edit.Snapshot.HasErrors, string.Join("\n", edit.Snapshot.Errors.Select(e => e.Message)));
        Assert.InRange(edit.RenderedFiles, 1, 10);
        Assert.Contains("sv/modules/values.html", edit.ChangedPages);
        Assert.Contains("sv/worksheets/pain-rating.html", edit.ChangedPages);
        // The worksheet placed is homework of the module now: the schedule script lists it and is rendered again (the
        // pages are not: at most 10 files above), and every page that loads the script is served anew.
        Assert.Contains("sv/modules/welcome.html", edit.ChangedPages);
        // The search indexes wait for the full render that follows; so does the offline worker's list (the preview never serves it).
        AssertSameAsFullRender(temp.Path, edit.Snapshot, except: ["en/search-index.js", "sv/search-index.js", "sw.js"]);
        Assert.True(builder.NeedsVerify);
        Assert.NotNull(builder.Verify());
        AssertSameAsFullRender(temp.Path, builder.Current);
        Assert.Contains("Ett nytt stycke om kompassen", System.Text.Encoding.UTF8.GetString(builder.Current.Files["sv/search-index.js"]));

        // A module added while the watcher reports every change: the folder is listed again.
        File.WriteAllText(Path.Combine(temp.Path, "modules", "extra.md"),
            "---\nid: extra\ntitle: {sv: Extra, en: Extra}\nphase: treatment\nweek: 2\n---\n\nEtt extra stycke.\n");
        File.WriteAllText(Path.Combine(temp.Path, "modules", "extra.en.md"), "---\n---\n\nAn extra paragraph.\n");
        var added = builder.Build(compile: true, reloadTheme: false, ["modules/extra.md", "modules/extra.en.md"], changesComplete: true);
        Assert.False(added.Snapshot.HasErrors, string.Join("\n", added.Snapshot.Errors.Select(e => e.Message)));
        Assert.Contains("sv/modules/extra.html", added.Snapshot.Files.Keys);
        File.Delete(Path.Combine(temp.Path, "modules", "extra.md"));
        File.Delete(Path.Combine(temp.Path, "modules", "extra.en.md"));
        var removed = builder.Build(compile: true, reloadTheme: false, ["modules/extra.md", "modules/extra.en.md"], changesComplete: true);
        Assert.DoesNotContain("sv/modules/extra.html", removed.Snapshot.Files.Keys);
        AssertSameAsFullRender(temp.Path, removed.Snapshot);

        // A title shows on other pages (overview, neighbours, "builds on"): everything is rendered.
        File.WriteAllText(values, File.ReadAllText(values).Replace("{sv: Värderingar som kompass,", "{sv: Värderingarnas kompass,", StringComparison.Ordinal));
        var title = builder.Build(compile: true, reloadTheme: false, ["modules/values.md"]);
        Assert.False(title.Snapshot.HasErrors, string.Join("\n", title.Snapshot.Errors.Select(e => e.Message)));
        Assert.Equal(title.BundleFiles, title.RenderedFiles);
        Assert.Contains("sv/index.html", title.ChangedPages);
        AssertSameAsFullRender(temp.Path, title.Snapshot);
    }

    private static void AssertSameAsFullRender(string program, PreviewSnapshot snapshot, string[]? except = null)
    {
        var graph = snapshot.Graph!;
        var full = ContentEngine.Rendering.Web.WebRenderer.Render(graph,
            new ContentEngine.Rendering.Web.WebOptions { Theme = ContentEngine.Rendering.Web.Theme.Load(program, graph.Theme) }).Files;
        Assert.Equal(full.Keys.Order(StringComparer.Ordinal), snapshot.Files.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, bytes) in full.Where(f => except?.Contains(f.Key) != true))
            Assert.True(bytes.AsSpan().SequenceEqual(snapshot.Files[key]), $"{key} differs from a full render");
    }

    [Fact]
    public async Task OnlyFilesOfTheBundleAreServed()
    {
        await using var preview = await Preview.StartAsync();
        var port = preview.Server.Port;
        foreach (var target in new[]
        {
            "/../program.yaml", "/%2e%2e/program.yaml", "/sv/../../program.yaml", "/%2E%2E/%2E%2E/program.yaml",
            "/sv/modules/..%2f..%2fprogram.yaml", "/sv/%5c..%5cprogram.yaml", "/sv/./modules/values.html", "//program.yaml",
            "/program.yaml", "/modules/values.md", "/media/../program.yaml", "/__contentengine/../program.yaml",
        })
        {
            var (status, _, _) = await RawGetAsync(port, target);
            Assert.True(status is 404 or 400, $"{target} gave {status}");
        }

        foreach (var (target, type) in new[]
        {
            ("/sv/modules/values.html", "text/html"), ("/assets/app.js", "text/javascript"), ("/assets/conditions.js", "text/javascript"),
            ("/assets/site.css", "text/css"), ("/media/bulls-eye.svg", "image/svg+xml"), ("/media/body-scan.mp3", "audio/mpeg"),
            ("/media/body-scan.txt", "text/plain"), ("/__contentengine/program.json", "application/json"), ("/__contentengine/preview.js", "text/javascript"),
        })
        {
            var (status, headers, _) = await RawGetAsync(port, target);
            Assert.True(status == 200, $"{target} gave {status}");
            Assert.Contains($"content-type: {type}", headers, StringComparison.OrdinalIgnoreCase);
        }

        var (_, _, html) = await RawGetAsync(port, "/" + ModulePage);
        var script = html.IndexOf("<script src=\"/__contentengine/preview.js\"", StringComparison.Ordinal);
        Assert.True(script > 0 && script < html.LastIndexOf("</body>", StringComparison.Ordinal), "the preview script belongs before </body>");

        var (partial, rangeHeaders, _) = await RawGetAsync(port, "/media/body-scan.mp3", "Range: bytes=0-99\r\n");
        Assert.Equal(206, partial);
        Assert.Contains("content-length: 100", rangeHeaders, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheCommandRefusesAMissingFolderAndATakenPort()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(CommandLine.UsageError, await CommandLine.RunAsync(["serve", Path.Combine(Path.GetTempPath(), "ce-no-such-program-" + Guid.NewGuid().ToString("N"))], stdout, stderr));
        Assert.Contains("there is no folder", stderr.ToString());

        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var taken = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        stderr = new StringWriter();
        Assert.Equal(CommandLine.UsageError, await CommandLine.RunAsync(["serve", TestPaths.Repo("content", "iact-chronic-pain"), "--port", taken.ToString(System.Globalization.CultureInfo.InvariantCulture)], stdout, stderr));
        Assert.Contains($"port {taken} is already in use", stderr.ToString());

        stderr = new StringWriter();
        Assert.Equal(CommandLine.UsageError, await CommandLine.RunAsync(["serve", TestPaths.Repo("content", "iact-chronic-pain"), "--port", "http"], stdout, stderr));
        Assert.Contains("--port", stderr.ToString());
    }

    /// <summary>What the preview adds to a page passes axe-core (contrast, names, roles).</summary>
    private static async Task AssertAccessibleAsync(ILocator element)
    {
        var result = await element.RunAxe();
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(" | ", v.Nodes.Select(n => n.Html))})")));
    }

    /// <summary>One request with the target exactly as written (HttpClient would tidy dot segments away).</summary>
    private static async Task<(int Status, string Headers, string Body)> RawGetAsync(int port, string target, string extraHeaders = "")
    {
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extraHeaders}Connection: close\r\n\r\n"));
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory).WaitAsync(TimeSpan.FromSeconds(10));
        var text = Encoding.UTF8.GetString(memory.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var status = int.Parse(head.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, head, split < 0 ? string.Empty : text[(split + 4)..]);
    }
}

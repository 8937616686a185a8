using Microsoft.Playwright;

namespace ContentEngine.Web.Tests;

/// <summary>Every browser test is in this collection and shares one Chromium.</summary>
[CollectionDefinition("browser")]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>;

/// <summary>
/// Playwright with one headless Chromium for all browser tests. The browser is the system's
/// (env CONTENTENGINE_CHROMIUM, else Debian's /usr/bin/chromium): nothing is ever downloaded.
/// Each test takes a fresh context (its own storage) from <see cref="NewContextAsync"/> or <see cref="NewPageAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromium = "/usr/bin/chromium";

    private static readonly string[] LaunchArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private readonly List<IBrowserContext> _contexts = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _unavailable;

    /// <summary>The repository's root folder (the one holding ContentEngine.sln).</summary>
    public string RepoRoot => TestPaths.RepoRoot;

    /// <summary>The Chromium executable the tests run.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("CONTENTENGINE_CHROMIUM") is { Length: > 0 } path ? path : DefaultChromium;

    /// <summary>The shared browser; fails the test with one clear message when Chromium cannot be started.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException(_unavailable ?? "The browser has not been started.");

    public async Task InitializeAsync()
    {
        // Never download a browser: the tests run the system's Chromium.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var chromium = ChromiumPath;
        if (!File.Exists(chromium))
        {
            _unavailable = $"Chromium was not found at '{chromium}'. The browser tests need it: run `apt-get install chromium` " +
                           "(Debian/Ubuntu), or set CONTENTENGINE_CHROMIUM to a Chromium executable.";
            return;
        }
        try
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = LaunchArgs,
            });
        }
        catch (Exception e)
        {
            _unavailable = $"Chromium at '{chromium}' could not be started ({e.GetType().Name}: {e.Message}). " +
                           "Install it with `apt-get install chromium`, or set CONTENTENGINE_CHROMIUM to a working Chromium executable.";
        }
    }

    /// <summary>A new browser context (fresh storage). Dispose it, or leave it to the fixture.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options);
        lock (_contexts) _contexts.Add(context);
        return context;
    }

    /// <summary>A page in a new context of its own; the context is closed with the page's <c>Context.CloseAsync()</c> or at the end of the run.</summary>
    public async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        var context = await NewContextAsync(options);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        IBrowserContext[] contexts;
        lock (_contexts) contexts = [.. _contexts];
        foreach (var context in contexts)
        {
            try { await context.CloseAsync(); } catch (PlaywrightException) { /* already closed */ }
        }
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}

using System.Globalization;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// Every page type (the root page, the overview, a module, a worksheet that is a form, a diary and a
/// questionnaire, aftercare and search) in both locales, at 320, 390 and 1280 px wide: no sideways
/// scrolling at 320 px (WCAG 1.4.10), the header under 15% of an 844 px phone screen at 390 px, axe-core
/// clean in light and dark mode, and the first screen of each page compared with a committed reference
/// image (reference/pages/, gray, downscaled). To write the references on purpose, after a change of
/// look, and then to look at them:
/// <code>UPDATE_REFERENCE_IMAGES=1 dotnet test tests/ContentEngine.Web.Tests -c Release --filter PageMatrixTests</code>
/// </summary>
[Collection("browser")]
public sealed class PageMatrixTests(BrowserFixture browser, WebBundleFixture bundle, ITestOutputHelper output) : IClassFixture<WebBundleFixture>
{
    public const string UpdateCommand = "UPDATE_REFERENCE_IMAGES=1 dotnet test tests/ContentEngine.Web.Tests -c Release --filter PageMatrixTests";

    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    /// <summary>The day the pages are looked at: what depends on today (weeks, dates) is the same in every run.</summary>
    private static readonly DateTimeOffset Today = new(2026, 3, 9, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Each width with the height of its screen and how much its screenshot is shrunk.</summary>
    public static readonly (int Width, int Height, int Shrink)[] Screens = [(320, 568, 2), (390, 844, 2), (1280, 800, 4)];

    public static TheoryData<int> Widths => [.. Screens.Select(s => s.Width)];

    private static bool Updating => Environment.GetEnvironmentVariable("UPDATE_REFERENCE_IMAGES") == "1";

    private static string ReferenceFolder => TestPaths.Repo("tests", "ContentEngine.Web.Tests", "reference", "pages");

    /// <summary>Every page type: (name, bundle path). The root page is one for both locales.</summary>
    private static IEnumerable<(string Name, string Path)> Pages(IEnumerable<string> locales) =>
        new[] { ("root", "index.html") }.Concat(locales.SelectMany(l => new[]
        {
            ($"{l}-overview", $"{l}/index.html"),
            ($"{l}-module", $"{l}/modules/values.html"),
            ($"{l}-worksheet-form", $"{l}/worksheets/pain-rating.html"),
            ($"{l}-worksheet-diary", $"{l}/worksheets/sleep-diary.html"),
            ($"{l}-worksheet-questionnaire", $"{l}/worksheets/flexibility.html"),
            ($"{l}-aftercare", $"{l}/aftercare.html"),
            ($"{l}-search", $"{l}/search.html"),
        }));

    private async Task<BundleTab> OpenAsync(int width, int height, ColorScheme scheme = ColorScheme.Light)
    {
        var tab = await BundleTab.OpenAsync(browser, bundle, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
            ReducedMotion = ReducedMotion.Reduce,
        });
        await tab.Context.Clock.SetFixedTimeAsync(Today.UtcDateTime);
        return tab;
    }

    /// <summary>Opens a page as a patient first meets it; the search page with a word searched for.</summary>
    private static async Task<IPage> ShowAsync(BundleTab tab, string path)
    {
        var page = await tab.GotoAsync(path);
        if (path.EndsWith("/search.html", StringComparison.Ordinal))
        {
            await page.Locator("[data-search-input]").FillAsync(path.StartsWith("sv/", StringComparison.Ordinal) ? "smärta" : "pain");
            await Expect(page.Locator("[data-search-results] li").First).ToBeVisibleAsync();
        }
        await page.EvaluateAsync("() => document.fonts.ready");
        return page;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task EveryPageTypeFitsItsScreenAndLooksLikeItsReference(int width)
    {
        var (_, height, shrink) = Screens.Single(s => s.Width == width);
        await using var tab = await OpenAsync(width, height);
        var problems = new List<string>();
        foreach (var (name, path) in Pages(bundle.Locales))
        {
            var page = path == "index.html" ? await RootAsync(tab) : await ShowAsync(tab, path);

            // WCAG 1.4.10: at 320 px nothing scrolls sideways.
            var (scroll, client) = (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("() => document.documentElement.clientWidth"));
            if (width == 320 && scroll > client) problems.Add($"{name} ({path}) scrolls sideways at 320 px: {scroll} px wide in {client} px");

            // A phone's header leaves the screen to the content.
            if (width == 390 && path != "index.html")
            {
                var header = await page.EvaluateAsync<double>("() => document.querySelector('.ce-header').getBoundingClientRect().height");
                if (header >= 0.15 * 844) problems.Add($"{name} ({path}): the header is {header} px high at 390 px, not under 15% of 844 px");
            }

            if (await CompareAsync(page, $"{name}-{width}.png", shrink) is { } difference) problems.Add(difference);
        }
        tab.AssertClean();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The root page, which goes on by itself to a language chosen before: this context has chosen none.</summary>
    private async Task<IPage> RootAsync(BundleTab tab)
    {
        await tab.Page.GotoAsync(bundle.Url("index.html"));
        await tab.Page.WaitForFunctionAsync("() => document.readyState === 'complete'");
        Assert.Equal("index.html", bundle.RelativeOf(tab.Page.Url));
        await tab.Page.EvaluateAsync("() => document.fonts.ready");
        return tab.Page;
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task AxeFindsNoWcagViolationOnAnyPageTypeInLightAndDarkMode(string mode)
    {
        await using var tab = await OpenAsync(390, 844, mode == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        var problems = new List<string>();
        var scanned = 0;
        foreach (var (name, path) in Pages(bundle.Locales))
        {
            var page = path == "index.html" ? await RootAsync(tab) : await ShowAsync(tab, path);
            var dark = await page.EvaluateAsync<bool>("() => matchMedia('(prefers-color-scheme: dark)').matches");
            Assert.Equal(mode == "dark", dark);
            var result = await tab.WithoutConsoleErrorsAsync(() => page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] } }));
            scanned++;
            problems.AddRange(result.Violations.Select(v => $"{name} ({path}, {mode}): {v.Id} ({v.Impact}) {v.Help}: " +
                string.Join("; ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))));
        }
        Assert.Equal(1 + 7 * bundle.Locales.Count, scanned);
        tab.AssertClean();
        Assert.True(problems.Count == 0, $"{problems.Count} axe violations:\n" + string.Join("\n", problems));
    }

    /// <summary>
    /// The comparison passes the same page drawn again, and fails it with its heading gone or its text
    /// moved down a line; a missing reference fails with the command that writes it.
    /// </summary>
    [Fact]
    public async Task TheComparisonCatchesAMissingHeadingAndMovedTextButNotTheSamePageDrawnAgain()
    {
        if (Updating) return;
        var (width, height, shrink) = Screens[1];
        await using var tab = await OpenAsync(width, height);
        var page = await ShowAsync(tab, "en/modules/values.html");
        var first = await ShotAsync(page, shrink);
        page = await ShowAsync(tab, "en/modules/values.html");
        var again = ImageDifference.Between(first, await ShotAsync(page, shrink));
        Assert.True(Within(again), $"the same page drawn again: {Describe(again)}");

        await page.AddStyleTagAsync(new() { Content = "main h1 { visibility: hidden }" });
        var noHeading = ImageDifference.Between(first, await ShotAsync(page, shrink));
        output.WriteLine($"without its heading: {Describe(noHeading)}");
        Assert.False(Within(noHeading), $"a page without its heading passes: {Describe(noHeading)}");

        await page.AddStyleTagAsync(new() { Content = "main h1 { visibility: visible } main > :first-child { margin-top: 1.5em }" });
        var moved = ImageDifference.Between(first, await ShotAsync(page, shrink));
        output.WriteLine($"moved down: {Describe(moved)}");
        Assert.False(Within(moved), $"a page moved down a line passes: {Describe(moved)}");

        using var temp = new TestPaths.TempFolder();
        var message = Compare(first, Path.Combine(temp.Path, "none.png"), "none.png");
        Assert.NotNull(message);
        Assert.Contains(UpdateCommand, message, StringComparison.Ordinal);
        tab.AssertClean();
    }

    [Fact]
    public void TheReferenceFolderHoldsAnImageForEveryPageAtEveryWidthAndNothingElse()
    {
        if (Updating) return; // being written now
        var expected = Pages(bundle.Locales).SelectMany(p => Screens.Select(s => $"{p.Name}-{s.Width}.png")).Order(StringComparer.Ordinal);
        var files = Directory.Exists(ReferenceFolder) ? Directory.GetFiles(ReferenceFolder).Select(f => Path.GetFileName(f)!) : [];
        Assert.Equal(expected, files.Order(StringComparer.Ordinal));
        foreach (var (width, height, shrink) in Screens)
            foreach (var file in Directory.GetFiles(ReferenceFolder, $"*-{width}.png"))
            {
                var image = GrayImage.ReadPng(File.ReadAllBytes(file));
                Assert.Equal((width / shrink, height / shrink), (image.Width, image.Height));
            }
    }

    // ---- screenshots ----

    /// <summary>
    /// The pages are drawn by the same Chromium with the bundled font: drawn again, a page gives the same
    /// pixels (a difference of 0 in every run so far). A page may differ from its reference by a mean of
    /// 0.5 gray levels and in 0.2% of its pixels (by more than <see cref="ImageDifference.DifferingBy"/>),
    /// room for anti-aliasing that varies; the module page without its heading differs by a mean of 0.9
    /// in 0.6% of its pixels, and moved down by a line by a mean of 26 in 18%.
    /// </summary>
    public const double MaxMeanAbsolute = 0.5, MaxDifferingFraction = 0.002;

    private static string Describe(ImageDifference d) => string.Create(CultureInfo.InvariantCulture,
        $"mean {d.MeanAbsolute:0.000} (limit {MaxMeanAbsolute}), {d.Differing} pixels differ by more than {ImageDifference.DifferingBy} ({d.DifferingFraction:P2}, limit {MaxDifferingFraction:P2})");

    private static bool Within(ImageDifference d) => d.MeanAbsolute < MaxMeanAbsolute && d.DifferingFraction <= MaxDifferingFraction;

    /// <summary>The first screen of the page, in gray, shrunk by an average over <paramref name="shrink"/>² pixels.</summary>
    private static async Task<GrayImage> ShotAsync(IPage page, int shrink)
    {
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        return Shrink(GrayImage.ReadPng(png), shrink);
    }

    public static GrayImage Shrink(GrayImage image, int factor)
    {
        var (w, h) = (image.Width / factor, image.Height / factor);
        var pixels = new byte[w * h];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var sum = 0;
                for (var dy = 0; dy < factor; dy++)
                    for (var dx = 0; dx < factor; dx++)
                        sum += image[x * factor + dx, y * factor + dy];
                pixels[y * w + x] = (byte)((sum + factor * factor / 2) / (factor * factor));
            }
        return new GrayImage(w, h, pixels);
    }

    /// <summary>Compares the page's first screen with its reference (or writes the reference); a message when they differ.</summary>
    private async Task<string?> CompareAsync(IPage page, string name, int shrink) =>
        Compare(await ShotAsync(page, shrink), Path.Combine(ReferenceFolder, name), name);

    private string? Compare(GrayImage actual, string path, string name)
    {
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, actual.ToPng());
            output.WriteLine($"wrote reference/pages/{name} ({actual.Width}×{actual.Height})");
            return null;
        }
        if (!File.Exists(path))
            return $"reference/pages/{name} is missing: write it with `{UpdateCommand}`, and look at it before committing it";
        var reference = GrayImage.ReadPng(File.ReadAllBytes(path));
        var difference = ImageDifference.Between(reference, actual);
        output.WriteLine($"{name}: {Describe(difference)}");
        if (Within(difference)) return null;
        var folder = Path.Combine(AppContext.BaseDirectory, "pages-actual");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, name), actual.ToPng());
        return $"{name} ({actual.Width}×{actual.Height}) differs from reference/pages/{name} ({reference.Width}×{reference.Height}): {Describe(difference)}. " +
            $"As drawn now: {Path.Combine(folder, name)}; if the change is intended, run `{UpdateCommand}`";
    }
}

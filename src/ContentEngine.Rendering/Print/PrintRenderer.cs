using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ContentEngine.Model;
using ContentEngine.Rendering.Web;
using Microsoft.Playwright;
using Scriban.Runtime;

namespace ContentEngine.Rendering.Print;

public enum PaperSize { A4, Letter }

/// <summary>Something outside the program stops printing (no Chromium, or it cannot start): one sentence saying what to do.</summary>
public sealed class PrintException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record PrintOptions
{
    public required Theme Theme { get; init; }

    public PaperSize Paper { get; init; } = PaperSize.A4;

    /// <summary>The Chromium to print with; null: <see cref="Chromium.Locate"/> finds it.</summary>
    public string? ChromiumPath { get; init; }

    /// <summary>How many pages print at the same time in the one browser.</summary>
    public int Parallelism { get; init; } = Math.Clamp(Environment.ProcessorCount, 2, 4);

    /// <summary>Seconds since 1970 (SOURCE_DATE_EPOCH): the PDFs' creation and modification dates, so a build can be reproduced byte for byte; null: the time of printing.</summary>
    public long? SourceDateEpoch { get; init; }

    /// <summary>
    /// Whether to write large-print copies beside the normal PDFs: <c>workbook-large-print.pdf</c> and
    /// <c>worksheets-large-print.pdf</c>, set a third larger (16 pt body text), with more room to write.
    /// </summary>
    public bool LargePrint { get; init; }

    /// <summary>Called as each PDF is finished, with its path in the bundle.</summary>
    public Action<string>? Progress { get; init; }
}

/// <summary>Finds the Chromium to print with: never a downloaded browser.</summary>
public static class Chromium
{
    public const string Variable = "CONTENTENGINE_CHROMIUM";

    public static string Locate(string? configured = null)
    {
        if ((configured ?? Environment.GetEnvironmentVariable(Variable)) is { Length: > 0 } given)
            return File.Exists(given) ? given : throw new PrintException($"{Variable} names '{given}', which does not exist; point it at a Chromium or Chrome executable");
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        throw new PrintException($"Chromium is missing, and the print bundle needs it; install it with: sudo apt-get install chromium (or set {Variable} to a Chromium or Chrome executable)");
    }
}

/// <summary>
/// The print bundle: per locale a workbook PDF of the whole program (a cover with the program's
/// logo, title and picture, contents with page numbers, modules in schedule order with running
/// headers, worksheets on paper where they are placed, the notes pages a module asks for) and a PDF
/// of every worksheet for copying, set in the theme's typeface and the program's colour. HTML from
/// the theme's print templates, printed by one headless Chromium for the whole build, several pages
/// at a time.
/// </summary>
public static partial class PrintRenderer
{
    // The pages load from this made-up origin; requests to it are answered from the graph, any other is refused.
    private const string Origin = "https://print.contentengine.invalid/";

    public static async Task<Bundle> RenderAsync(ProgramGraph graph, PrintOptions options, CancellationToken ct = default)
    {
        var chromium = Chromium.Locate(options.ChromiumPath);
        // A signal or an exit while printing ends the browser with the process.
        using var guard = BrowserProcesses.Guard();
        IPlaywright playwright;
        IBrowser browser;
        try
        {
            playwright = await Playwright.CreateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PrintException($"The browser driver could not start ({e.Message})", e);
        }
        try
        {
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
            });
        }
        catch (PlaywrightException e)
        {
            playwright.Dispose();
            throw new PrintException($"Chromium ({chromium}) could not start: {FirstLine(e.Message)}", e);
        }

        try
        {
            using var slots = new SemaphoreSlim(Math.Max(1, options.Parallelism));
            var bundle = new Bundle();
            var editions = options.LargePrint ? new[] { Edition.Normal, Edition.Large } : [Edition.Normal];
            var jobs = graph.Locales.SelectMany(locale => editions.SelectMany(e => new[]
            {
                (Path: $"{locale}/workbook{e.Suffix}.pdf", Make: (Func<Task<byte[]>>)(() => Workbook(browser, graph, options, e, locale, slots, ct))),
                (Path: $"{locale}/worksheets{e.Suffix}.pdf", Make: () => Worksheets(browser, graph, options, e, locale, slots, ct)),
            })).Where(j => graph.Worksheets.Length > 0 || !j.Path.Contains("/worksheets", StringComparison.Ordinal)).ToList();
            var results = await Task.WhenAll(jobs.Select(async j =>
            {
                var pdf = await j.Make();
                if (options.SourceDateEpoch is { } epoch) pdf = PdfDates.Stamp(pdf, DateTimeOffset.FromUnixTimeSeconds(epoch));
                options.Progress?.Invoke(j.Path);
                return (j.Path, pdf);
            }));
            foreach (var (path, pdf) in results) bundle.Add(path, pdf);
            return bundle;
        }
        finally
        {
            try
            {
                await browser.CloseAsync();
            }
            catch (PlaywrightException)
            {
                // The browser is gone already (it crashed, or was ended): the driver still has to go.
            }
            finally
            {
                playwright.Dispose();
            }
        }
    }

    /// <summary>
    /// A size the PDFs are printed in: the normal one (body text 12 pt) or large print (16 pt), which
    /// scales the theme's sizes by <see cref="Scale"/> (html.ce-large-print) and is written beside the
    /// normal PDF with <see cref="Suffix"/> in its name.
    /// </summary>
    private sealed record Edition(double Scale, string Suffix, string? HtmlClass)
    {
        public static readonly Edition Normal = new(1, string.Empty, null);
        public static readonly Edition Large = new(4.0 / 3, "-large-print", "ce-large-print");
    }

    /// <summary>The file name the large-print copy of a PDF of the bundle gets: workbook-large-print.pdf.</summary>
    public static string LargePrintName(string file) => Path.GetFileNameWithoutExtension(file) + Edition.Large.Suffix + Path.GetExtension(file);

    /// <summary>The number of pages of a PDF that Chromium wrote (its page objects).</summary>
    public static int CountPages(byte[] pdf) => PageObject().Count(Encoding.Latin1.GetString(pdf));

    [GeneratedRegex(@"/Type\s*/Page\b")]
    private static partial Regex PageObject();

    // ---- the workbook ----

    private static async Task<byte[]> Workbook(IBrowser browser, ProgramGraph graph, PrintOptions options, Edition edition, string locale, SemaphoreSlim slots, CancellationToken ct)
    {
        var page = new PageContext(graph, locale, $"{locale}/workbook.html", options.Theme, OutputMedium.Print) { PrintScale = edition.Scale };
        var modules = graph.Modules.Select((m, i) => (Module: m, Index: i, Body: ModuleBody(m, page))).ToList();

        // First the pages each part takes, printed alone with the same style sheets; every module
        // starts on a page of its own, so the contents can give the page each one starts on.
        var draft = WorkbookHtml(graph, options, edition, page, modules.Select(m => (m.Module, m.Body)).ToList(), null);
        var shares = Enumerable.Range(0, Math.Min(options.Parallelism, modules.Count + 1)).ToList();
        var counted = await Task.WhenAll(shares.Select(share => WithPage(browser, graph, options.Theme, draft, $"{locale}/workbook.html", slots, ct, async tab =>
        {
            var counts = new List<(int Part, int Pages)>();
            for (var part = share; part <= modules.Count; part += shares.Count)
            {
                // Part 0 is the cover with the contents; part i the module i - 1 alone.
                var hide = part == 0
                    ? ".ce-print-module { display: none !important; }"
                    : $".ce-cover, .ce-toc, .ce-print-module:not(#m-{modules[part - 1].Module.Id}) {{ display: none !important; }}";
                await tab.EvaluateAsync("css => { let s = document.getElementById('ce-only'); if (!s) { s = document.createElement('style'); s.id = 'ce-only'; document.head.appendChild(s); } s.textContent = css; }", hide);
                counts.Add((part, CountPages(await tab.PdfAsync(PdfOptions(options)))));
            }
            return counts;
        })));
        var pages = counted.SelectMany(c => c).OrderBy(c => c.Part).Select(c => c.Pages).ToArray();
        var starts = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = pages[0] + 1;
        for (var i = 0; i < modules.Count; i++)
        {
            starts[modules[i].Module.Id] = next;
            next += pages[i + 1];
        }

        var html = WorkbookHtml(graph, options, edition, page, modules.Select(m => (m.Module, m.Body)).ToList(), starts);
        var pdf = await WithPage(browser, graph, options.Theme, html, $"{locale}/workbook.html", slots, ct, tab => tab.PdfAsync(PdfOptions(options)));
        var total = CountPages(pdf);
        if (total != next - 1)
            throw new InvalidOperationException($"The workbook for '{locale}' has {total} pages where its parts add up to {next - 1}; the contents would give wrong page numbers");
        return pdf;
    }

    /// <summary>"weeks 7–10" (the key's <c>.other</c> form), or "week 7" (its <c>.one</c> form) when the range is one week.</summary>
    private static string WeekRange(PageContext page, string key, int first, int last) => first == last
        ? string.Format(CultureInfo.InvariantCulture, page.S(key + ".one"), first)
        : string.Format(CultureInfo.InvariantCulture, page.S(key + ".other"), first, last);

    private static string ModuleBody(Module m, PageContext page)
    {
        var content = m.Content.TryGetValue(page.Locale, out var c) ? c : m.Content[page.Graph.DefaultLocale];
        return new ContentHtml(page).RenderBody([.. WebRenderer.WithoutRepeatedTitle(content.Blocks, page.T(m.Title))]);
    }

    private static string WorkbookHtml(ProgramGraph graph, PrintOptions options, Edition edition, PageContext page, List<(Module Module, string Body)> modules, Dictionary<string, int>? starts)
    {
        var model = new ScriptObject();
        WebRenderer.Common(model, page);
        model["html_class"] = edition.HtmlClass;
        model["locale_name"] = page.S("print-locale-" + page.Locale) is var name && name != "print-locale-" + page.Locale ? name : page.S("language-name");
        model["summary"] = page.T(graph.Summary);
        model["version_text"] = string.Format(CultureInfo.InvariantCulture, page.S("print-version"), graph.Version);
        model["css"] = Css(options);
        model["workbook_text"] = page.S("print-cover-workbook");
        // Ruled lines 9 mm apart (12 mm in large print) down a notes page, under its heading: as many as the paper holds.
        model["notes_lines"] = (int)((options.Paper == PaperSize.Letter ? NotesLinesLetter : NotesLinesA4) / edition.Scale);
        var identity = graph.Identity;
        model["cover_logo"] = identity?.Logo is { } logo ? "/" + logo : null;
        model["cover_logo_alt"] = page.T(identity?.LogoAlt);
        model["cover_image"] = identity?.CoverImage is { } cover ? "/" + cover : null;
        model["cover_image_alt"] = page.T(identity?.CoverAlt);

        var rules = new StringBuilder(PageRules(options, edition, page.T(graph.Title), graph.Identity));
        var toc = new List<ScriptObject>();
        var sections = new List<ScriptObject>();
        foreach (var phase in graph.Phases)
        {
            var inPhase = modules.Where(m => m.Module.Phase == phase.Id).ToList();
            var weeks = WeekRange(page, "print-weeks", phase.FirstWeek, phase.FirstWeek + phase.Weeks - 1);
            toc.Add(WebRenderer.Obj(
                ("title", page.T(phase.Title)),
                ("weeks_text", weeks),
                ("pause_text", phase.PauseBefore > 0 ? WeekRange(page, "print-pause", phase.FirstWeek - phase.PauseBefore, phase.FirstWeek - 1) : null),
                ("modules", inPhase.Select(m => WebRenderer.Obj(
                    ("id", m.Module.Id), ("title", page.T(m.Module.Title)), ("optional", m.Module.Optional),
                    ("week_text", string.Format(CultureInfo.InvariantCulture, page.S("print-week"), m.Module.ProgramWeek)),
                    ("page", starts is null ? "000" : starts[m.Module.Id].ToString(CultureInfo.InvariantCulture)))).ToList())));
            for (var i = 0; i < inPhase.Count; i++)
            {
                var (m, body) = inPhase[i];
                var pageName = "ce-m" + graph.ScheduleIndex(m.Id).ToString(CultureInfo.InvariantCulture);
                rules.Append($"@page {pageName} {{ @top-left {{ content: {CssString(page.T(m.Title))}; }} }}\n");
                sections.Add(WebRenderer.Obj(
                    ("id", m.Id), ("title", page.T(m.Title)), ("body", body), ("page_name", pageName), ("optional", m.Optional),
                    ("phase_heading", i == 0 ? $"{page.T(phase.Title)} · {weeks}" : null),
                    ("notes", Enumerable.Range(1, m.NotesPages).ToList()),
                    ("week_text", string.Format(CultureInfo.InvariantCulture, page.S("print-week"), m.ProgramWeek))));
            }
        }
        model["toc"] = toc;
        model["modules"] = sections;
        model["page_rules"] = rules.ToString();
        return WebRenderer.Render(options.Theme.Template("print-workbook.html"), model);
    }

    /// <summary>The ruled lines of a notes page on A4 and on Letter.</summary>
    public const int NotesLinesA4 = 25, NotesLinesLetter = 23;

    // ---- the worksheets for copying ----

    private static async Task<byte[]> Worksheets(IBrowser browser, ProgramGraph graph, PrintOptions options, Edition edition, string locale, SemaphoreSlim slots, CancellationToken ct)
    {
        var page = new PageContext(graph, locale, $"{locale}/worksheets.html", options.Theme, OutputMedium.Print) { PrintScale = edition.Scale };
        var model = new ScriptObject();
        WebRenderer.Common(model, page);
        model["html_class"] = edition.HtmlClass;
        model["css"] = Css(options);
        var rules = new StringBuilder(PageRules(options, edition, page.T(graph.Title), graph.Identity));
        var sheets = new List<ScriptObject>();
        for (var i = 0; i < graph.Worksheets.Length; i++)
        {
            var w = graph.Worksheets[i];
            var content = w.Content.TryGetValue(locale, out var c) ? c : w.Content[graph.DefaultLocale];
            var pageName = "ce-w" + i.ToString(CultureInfo.InvariantCulture);
            rules.Append($"@page {pageName} {{ @top-left {{ content: {CssString(page.T(w.Title))}; }} }}\n");
            sheets.Add(WebRenderer.Obj(
                ("id", w.Id), ("title", page.T(w.Title)), ("page_name", pageName),
                ("instructions", new ContentHtml(page).RenderBody([.. WebRenderer.WithoutRepeatedTitle(content.Blocks, page.T(w.Title))])),
                ("form", PaperForm.Render(w, page))));
        }
        model["worksheets"] = sheets;
        model["page_rules"] = rules.ToString();
        var html = WebRenderer.Render(options.Theme.Template("print-worksheets.html"), model);
        return await WithPage(browser, graph, options.Theme, html, $"{locale}/worksheets.html", slots, ct, tab => tab.PdfAsync(PdfOptions(options)));
    }

    // ---- pages and the browser ----

    private static string Css(PrintOptions options) =>
        string.Join("\n", options.Theme.PrintFiles.Where(f => f.Key.EndsWith(".css", StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => Encoding.UTF8.GetString(f.Value).Replace("</", "<\\/", StringComparison.Ordinal)));

    /// <summary>Page size, margins fit for binding (wider on the inner side), page numbers, and the program's title where a page names no module.</summary>
    private static string PageRules(PrintOptions options, Edition edition, string programTitle, ProgramIdentity? identity)
    {
        var size = options.Paper == PaperSize.Letter ? "letter" : "A4";
        // The height of the text block: the page less its top and bottom margins.
        var body = options.Paper == PaperSize.Letter ? "239.4mm" : "257mm";
        // The running head and the page number: labels, 10.5 pt (14 pt in large print), as the theme's smallest text.
        var font = $"font-family: \"Atkinson Hyperlegible Next\", \"DejaVu Sans\", \"Liberation Sans\", sans-serif; font-size: {(10.5 * edition.Scale).ToString("0.#", CultureInfo.InvariantCulture)}pt; color: #4a535e;";
        // The program's colour, checked by the compiler against the white page (CE0412).
        var primary = identity?.PrimaryColor is { } colour ? $" --ce-primary: {colour};" : string.Empty;
        return $$"""
            :root { --ce-page-body: {{body}};{{primary}} }
            @page { size: {{size}}; margin: 20mm 18mm 20mm 18mm;
              @top-left { content: {{CssString(programTitle)}}; {{font}} vertical-align: bottom; padding-bottom: 3mm; }
              @bottom-center { content: counter(page); {{font}} vertical-align: top; padding-top: 3mm; } }
            @page :left { margin-left: 16mm; margin-right: 26mm; }
            @page :right { margin-left: 26mm; margin-right: 16mm; }
            @page ce-cover { @top-left { content: none; } @bottom-center { content: none; } }

            """;
    }

    /// <summary>Text as a CSS string literal that cannot end the string, the rule or the style element.</summary>
    internal static string CssString(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var ch in text)
        {
            if (ch is '"' or '\\' or '<' or '>' or '&' || char.IsControl(ch)) sb.Append('\\').Append(((int)ch).ToString("x", CultureInfo.InvariantCulture)).Append(' ');
            else sb.Append(ch);
        }
        return sb.Append('"').ToString();
    }

    private static PagePdfOptions PdfOptions(PrintOptions options) => new()
    {
        PreferCSSPageSize = true,
        Format = options.Paper == PaperSize.Letter ? "Letter" : "A4",
        PrintBackground = true,
        Tagged = true,
        Outline = true,
    };

    /// <summary>Loads <paramref name="html"/> as <paramref name="path"/> in a tab of its own that reaches nothing but the program's media and the theme's assets.</summary>
    private static async Task<T> WithPage<T>(IBrowser browser, ProgramGraph graph, Theme theme, string html, string path, SemaphoreSlim slots, CancellationToken ct, Func<IPage, Task<T>> work)
    {
        await slots.WaitAsync(ct);
        try
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = true, Offline = false });
            await context.RouteAsync("**/*", async route =>
            {
                var url = route.Request.Url;
                if (!url.StartsWith(Origin, StringComparison.Ordinal))
                {
                    await route.AbortAsync();
                    return;
                }
                var key = Uri.UnescapeDataString(new Uri(url).AbsolutePath.TrimStart('/'));
                if (key == path)
                {
                    await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html; charset=utf-8", BodyBytes = Encoding.UTF8.GetBytes(html) });
                    return;
                }
                // The theme's assets (the bundled typeface) under assets/, as in the web bundle.
                if (key.StartsWith("assets/", StringComparison.Ordinal) && theme.Assets.TryGetValue(key["assets/".Length..], out var file))
                {
                    await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = MediaType(key), BodyBytes = file });
                    return;
                }
                if (graph.Assets.FirstOrDefault(a => a.Path == key) is { } asset)
                {
                    await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = MediaType(key), BodyBytes = graph.Store.Read(asset) });
                    return;
                }
                await route.FulfillAsync(new RouteFulfillOptions { Status = 404 });
            });
            var tab = await context.NewPageAsync();
            await tab.GotoAsync(Origin + path, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            // Every face of the typeface loaded before printing: a face used first on a late page is not left to a fallback.
            await tab.EvaluateAsync("""
                () => Promise.all(['400 normal', '700 normal', '400 italic', '700 italic'].map(face => {
                    const [weight, style] = face.split(' ');
                    return document.fonts.load(`${style} ${weight} 12pt "Atkinson Hyperlegible Next"`, 'Aa åäö ĀŁő').catch(() => []);
                })).then(() => document.fonts.ready).then(() => true)
                """);
            await tab.EvaluateAsync(InternalLinks);
            return await work(tab);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>
    /// Links within the program made into links within the PDF: one to a module or worksheet printed in
    /// the same document goes to it (Chromium writes a link to a named destination), any other (another
    /// PDF, another locale, a media file) keeps its text and loses its link, since the page's origin is
    /// made up. Links to other sites stay as the author wrote them.
    /// </summary>
    private const string InternalLinks = """
        () => {
            const locale = location.pathname.split('/')[1];
            const target = url => {
                if (url.pathname === location.pathname) return url.hash.length > 1 ? document.getElementById(decodeURIComponent(url.hash.slice(1))) : null;
                const m = /^\/([^/]+)\/(modules|worksheets)\/([^/]+)\.html$/.exec(url.pathname);
                if (!m || decodeURIComponent(m[1]) !== locale) return null;
                const id = decodeURIComponent(m[3]);
                if (m[2] === 'modules') return document.getElementById('m-' + id);
                // A worksheet: its sheet in the worksheets PDF, or where a module first places it in the workbook.
                const sheet = document.getElementById('w-' + id);
                if (sheet) return sheet;
                const form = [...document.querySelectorAll('.ce-paper-form[data-worksheet]')].find(f => f.dataset.worksheet === id);
                const placed = form?.closest('.ce-print-worksheet') ?? form;
                if (placed && !placed.id) placed.id = 'w-' + id;
                return placed ?? null;
            };
            for (const a of document.querySelectorAll('a[href]')) {
                const url = new URL(a.getAttribute('href'), location.href);
                if (url.origin !== location.origin) continue;
                const to = target(url);
                if (!to) { a.removeAttribute('href'); continue; }
                a.setAttribute('href', '#' + encodeURIComponent(to.id));
            }
        }
        """;

    private static string MediaType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        ".css" => "text/css; charset=utf-8",
        ".woff2" => "font/woff2",
        _ => "application/octet-stream",
    };

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}

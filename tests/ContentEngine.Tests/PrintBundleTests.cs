using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Markdown;
using ContentEngine.Model;
using ContentEngine.Rendering.Print;
using ContentEngine.Rendering.Web;
using Markdig.Syntax;
using Xunit.Abstractions;

namespace ContentEngine.Tests;

/// <summary>
/// Renders the sample's print bundle once, on A4 for every locale and on Letter for the default
/// locale, and writes the PDFs to a folder so poppler's tools can read them.
/// </summary>
public sealed class PrintBundleFixture : IAsyncLifetime
{
    public static readonly string ProgramFolder = TestPaths.Repo("content", "iact-chronic-pain");

    public PrintBundleFixture()
    {
        var result = ProgramCompiler.Compile(ProgramFolder);
        Graph = result.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics));
        Theme = Theme.Load(ProgramFolder, Graph.Theme);
    }

    public ProgramGraph Graph { get; }
    public Theme Theme { get; }
    public TestPaths.TempFolder Output { get; } = new();
    public TimeSpan RenderTime { get; private set; }
    public IReadOnlyList<string> Files { get; private set; } = [];

    private readonly Dictionary<string, PrintPdf> _pdfs = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        // Letter for one locale only: a graph that names just the default locale prints just that one.
        var a4 = PrintRenderer.RenderAsync(Graph, new PrintOptions { Theme = Theme, Paper = PaperSize.A4 });
        var letter = PrintRenderer.RenderAsync(Graph with { Locales = [Graph.DefaultLocale] }, new PrintOptions { Theme = Theme, Paper = PaperSize.Letter });
        var bundles = await Task.WhenAll(a4, letter);
        RenderTime = clock.Elapsed;
        foreach (var (bundle, paper) in bundles.Zip(new[] { "a4", "letter" }))
        {
            var folder = Path.Combine(Output.Path, paper);
            Directory.CreateDirectory(folder);
            bundle.WriteTo(folder);
        }
        Files = [.. bundles[0].Files.Keys];
        foreach (var paper in new[] { "a4", "letter" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Output.Path, paper), "*.pdf", SearchOption.AllDirectories))
                _pdfs[paper + "/" + Path.GetRelativePath(Path.Combine(Output.Path, paper), file).Replace('\\', '/')] = new PrintPdf(file);
    }

    public PrintPdf Pdf(string paper, string path) =>
        _pdfs.TryGetValue(paper + "/" + path, out var pdf) ? pdf : throw new InvalidOperationException($"the {paper} print bundle has no {path}");

    public PrintPdf Workbook(string locale, string paper = "a4") => Pdf(paper, $"{locale}/workbook.pdf");

    public PrintPdf Worksheets(string locale, string paper = "a4") => Pdf(paper, $"{locale}/worksheets.pdf");

    public PageContext Page(string locale) => new(Graph, locale, $"{locale}/workbook.html", Theme, OutputMedium.Print);

    public Task DisposeAsync()
    {
        Output.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The print bundle of the sample (outputs.md, "Print bundle"), read from outside the renderer: the
/// text poppler extracts, the page sizes and fonts it reports, and the first pages of two worksheets
/// against reference images.
/// </summary>
public sealed partial class PrintBundleTests(PrintBundleFixture fixture, ITestOutputHelper output) : IClassFixture<PrintBundleFixture>
{
    private ProgramGraph Graph => fixture.Graph;

    public static TheoryData<string> Locales => new() { "sv", "en" };

    private static string N(string text) => PrintPdf.Normalize(text);

    private static Content ContentOf(IReadOnlyDictionary<string, Content> content, string locale, ProgramGraph graph) =>
        content.TryGetValue(locale, out var c) ? c : content[graph.DefaultLocale];

    /// <summary>Every directive in the blocks, nested ones included.</summary>
    private static IEnumerable<DirectiveBlock> Directives(IEnumerable<ContentBlock> blocks)
    {
        foreach (var b in blocks)
            if (b is DirectiveBlock d)
            {
                yield return d;
                foreach (var inner in Directives(d.Children)) yield return inner;
            }
    }

    /// <summary>The plain text of the Markdown in the blocks (nested directives included), normalised.</summary>
    private static string Plain(IEnumerable<ContentBlock> blocks) => N(string.Join(" ", blocks.Select(b => b switch
    {
        MarkdownBlock md => MarkdownHtml.PlainText(md.Markdown),
        DirectiveBlock d => Plain(d.Children),
        _ => string.Empty,
    })));

    private IEnumerable<(Module Module, DirectiveBlock Directive)> ModuleDirectives(string locale, string name) =>
        Graph.Modules.SelectMany(m => Directives(ContentOf(m.Content, locale, Graph).Blocks).Where(d => d.Name == name).Select(d => (m, d)));

    private static List<string> Sentences(string text) =>
        [.. SentenceEnd().Split(text).Select(s => s.Trim()).Where(s => s.Split(' ').Length >= 4)];

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    private static void NoProblems(List<string> problems, string what) =>
        Assert.True(problems.Count == 0, $"{what}:\n  " + string.Join("\n  ", problems));

    // ---- the bundle ----

    [Fact]
    public void TheBundleHasAWorkbookAndAWorksheetPdfPerLocale()
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"A4 (all locales) and Letter ({Graph.DefaultLocale}) rendered in {fixture.RenderTime.TotalSeconds:0.0} s"));
        Assert.Equal(Graph.Locales.SelectMany(l => new[] { $"{l}/workbook.pdf", $"{l}/worksheets.pdf" }).Order(StringComparer.Ordinal), fixture.Files);
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void TextIsRealTextWithTheProgramTitleOnPageOne(string locale)
    {
        var title = N(fixture.Page(locale).T(Graph.Title));
        Assert.Contains(title, N(fixture.Workbook(locale).PageAlone(1)));
        Assert.Contains(title, N(fixture.Worksheets(locale).PageAlone(1)));
        Assert.True(fixture.Workbook(locale).BodyText.Length > 20_000, "the workbook has hardly any text that pdftotext can read");
    }

    // ---- contents and page numbers ----

    public static TheoryData<string, string> Papers => new() { { "sv", "a4" }, { "en", "a4" }, { "sv", "letter" } };

    [Theory]
    [MemberData(nameof(Papers))]
    public void TheContentsGiveThePageEachModuleStartsOn(string locale, string paper)
    {
        var page = fixture.Page(locale);
        var pdf = fixture.Workbook(locale, paper);
        var programTitle = N(page.T(Graph.Title));

        // The contents follow the cover, on pages headed by the program's title.
        var contents = pdf.Pages.Skip(1).TakeWhile(p => N(p).StartsWith(programTitle + " ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(contents);
        var toc = string.Join(" ", contents.Select(PrintPdf.Body));
        output.WriteLine($"{locale} {paper}: {pdf.Pages.Count} pages; contents: {toc}");

        var problems = new List<string>();
        foreach (var m in Graph.Modules)
        {
            var title = N(page.T(m.Title));
            // "Week 2 Your body in motion 7", or "... (Optional) 37".
            var entries = Regex.Matches(toc, Regex.Escape(title) + @"(?: \([^()]*\))? (\d+)(?!\d)");
            if (entries.Count != 1)
            {
                problems.Add($"{m.Id}: “{title}” with a page number is in the contents {entries.Count} times");
                continue;
            }
            var n = int.Parse(entries[0].Groups[1].Value, CultureInfo.InvariantCulture);
            if (n <= contents.Count + 1 || n > pdf.Pages.Count)
            {
                problems.Add($"{m.Id}: the contents give page {n}, which is not a page of a module ({pdf.Pages.Count} pages)");
                continue;
            }
            var text = pdf.PageAlone(n);
            if (!N(text).StartsWith(title + " ", StringComparison.Ordinal))
                problems.Add($"{m.Id}: page {n} does not start with the module's title but with “{PrintPdf.FirstLine(text)}”");
            else if (!PrintPdf.Body(text).Contains(title, StringComparison.Ordinal))
                problems.Add($"{m.Id}: page {n} has the module's title as its running header but not as its heading");
            if (PrintPdf.FooterNumber(text) != n)
                problems.Add($"{m.Id}: page {n} is numbered {PrintPdf.FooterNumber(text)?.ToString(CultureInfo.InvariantCulture) ?? "nothing"} in its footer");
            if (N(pdf.PageAlone(n - 1)).StartsWith(title + " ", StringComparison.Ordinal))
                problems.Add($"{m.Id}: page {n - 1} already starts with “{title}”: the module starts before the page the contents give");
        }
        NoProblems(problems, $"The contents of the {locale} workbook on {paper}");
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void NoModuleRepeatsItsTitleAsItsFirstHeading(string locale)
    {
        var page = fixture.Page(locale);
        var pdf = fixture.Workbook(locale);
        var problems = new List<string>();
        foreach (var m in Graph.Modules)
        {
            var title = N(page.T(m.Title));
            var first = pdf.Pages.FirstOrDefault(p => N(p).StartsWith(title + " ", StringComparison.Ordinal));
            if (first is null)
            {
                problems.Add($"{m.Id}: no page starts with “{title}”");
                continue;
            }
            // Below the running header, two lines in a row that are just the title.
            var lines = first.Split('\n').Select(N).Where(l => l.Length > 0).Skip(1).ToList();
            if (lines.Zip(lines.Skip(1)).Any(pair => pair.First == title && pair.Second == title))
                problems.Add($"{m.Id}: the heading “{title}” is printed twice in a row");
        }
        NoProblems(problems, $"Modules of the {locale} workbook");
    }

    /// <summary>Every module's opening words are printed once: no module (or part of one) is printed twice.</summary>
    [Theory]
    [MemberData(nameof(Locales))]
    public void EveryModuleIsPrintedOnce(string locale)
    {
        var body = fixture.Workbook(locale).BodyText;
        var problems = new List<string>();
        foreach (var m in Graph.Modules)
        {
            var opening = ContentOf(m.Content, locale, Graph).Blocks.OfType<MarkdownBlock>()
                .SelectMany(md => Markdig.Markdown.Parse(md.Markdown, ContentPipeline.Instance).Descendants<ParagraphBlock>()
                    .Select(p => N(MarkdownHtml.PlainText(md.Markdown.Substring(p.Span.Start, p.Span.Length)))))
                .FirstOrDefault(p => p.Split(' ').Length >= 8);
            if (opening is null) continue;
            var words = string.Join(' ', opening.Split(' ').Take(10));
            var count = PrintPdf.Count(body, words);
            if (count != 1) problems.Add($"{m.Id}: “{words}…” is printed {count} times");
        }
        NoProblems(problems, $"Modules of the {locale} workbook");
    }

    // ---- what the workbook says ----

    [Theory]
    [MemberData(nameof(Locales))]
    public void EverySafetyMessageIsInTheWorkbook(string locale)
    {
        var body = fixture.Workbook(locale).BodyText;
        var safety = ModuleDirectives(locale, "safety").ToList();
        Assert.NotEmpty(safety);
        var problems = safety.Select(s => (s.Module, Text: Plain(s.Directive.Children)))
            .Where(s => !body.Contains(s.Text, StringComparison.Ordinal))
            .Select(s => $"{s.Module.Id}: “{s.Text}”").ToList();
        NoProblems(problems, $"Safety messages missing from the {locale} workbook");
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void TheAudioExerciseIsPrintedWithItsTranscript(string locale)
    {
        var body = fixture.Workbook(locale).BodyText;
        var audio = ModuleDirectives(locale, "audio").Where(a => a.Directive.Attributes.ContainsKey("transcript")).ToList();
        Assert.NotEmpty(audio);
        var problems = new List<string>();
        foreach (var (m, d) in audio)
        {
            // A transcript named like a translation (body-scan.en.txt) is the one in that locale.
            var path = Path.Combine(PrintBundleFixture.ProgramFolder, d.Attributes["transcript"]);
            var translated = Path.ChangeExtension(path, $".{locale}{Path.GetExtension(path)}");
            var transcript = File.ReadAllText(File.Exists(translated) ? translated : path).Replace("\r\n", "\n", StringComparison.Ordinal);
            foreach (var paragraph in transcript.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(N))
                if (!body.Contains(paragraph, StringComparison.Ordinal))
                    problems.Add($"{m.Id}: {d.Attributes["transcript"]}: “{paragraph}”");
            if (d.Attributes.TryGetValue("title", out var title) && !body.Contains(N(title), StringComparison.Ordinal))
                problems.Add($"{m.Id}: the recording's title “{title}”");
        }
        // A distinctive sentence of the sample's body scan, in case the transcript is ever read as empty.
        Assert.Contains(locale == "sv"
            ? "Om du möter smärta, se om du kan stanna vid den en stund, nyfiket, som om du kände den för första gången."
            : "If you meet pain, see if you can stay with it for a while, with curiosity, as if you were feeling it for the first time.", body);
        NoProblems(problems, $"Transcript text missing from the {locale} workbook");
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void NoNarrationIsPrinted(string locale)
    {
        var texts = new[] { fixture.Workbook(locale).BodyText, fixture.Worksheets(locale).BodyText };
        var sentences = ModuleDirectives(locale, "narration").SelectMany(n => Sentences(Plain(n.Directive.Children)).Select(s => (n.Module, Sentence: s))).ToList();
        Assert.True(sentences.Count >= 5, $"the sample has only {sentences.Count} narration sentences in {locale}");
        output.WriteLine(string.Join("\n", sentences.Select(s => $"{s.Module.Id}: {s.Sentence}")));
        var problems = sentences.Where(s => texts.Any(t => t.Contains(s.Sentence, StringComparison.Ordinal))).Select(s => $"{s.Module.Id}: “{s.Sentence}”").ToList();
        NoProblems(problems, $"Narration printed in {locale}");
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void OnlyBlocksArePrintedWhenTheyNamePrint(string locale)
    {
        var body = fixture.Workbook(locale).BodyText;
        var blocks = ModuleDirectives(locale, "only").Select(o => (o.Module, Formats: o.Directive.Attributes.GetValueOrDefault("formats", string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries), Text: Plain(o.Directive.Children))).ToList();
        var printed = blocks.Where(b => b.Formats.Contains("print")).ToList();
        var left = blocks.Where(b => !b.Formats.Contains("print")).ToList();
        foreach (var b in blocks) output.WriteLine($"{b.Module.Id} {{formats={string.Join(' ', b.Formats)}}}: {b.Text}");
        if (!blocks.Any(b => b.Formats.SequenceEqual(["web"]))) output.WriteLine("The sample has no ::: only {formats=web} block; other blocks without print stand in for it.");
        Assert.NotEmpty(printed);
        Assert.NotEmpty(left);
        var problems = printed.Where(b => !body.Contains(b.Text, StringComparison.Ordinal)).Select(b => $"missing: {b.Module.Id} ({string.Join(' ', b.Formats)}): “{b.Text}”")
            .Concat(left.Where(b => body.Contains(b.Text, StringComparison.Ordinal)).Select(b => $"printed: {b.Module.Id} ({string.Join(' ', b.Formats)}): “{b.Text}”")).ToList();
        NoProblems(problems, $"::: only blocks in the {locale} workbook");
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void EveryConditionIsWrittenInWords(string locale)
    {
        var page = fixture.Page(locale);
        var body = fixture.Workbook(locale).BodyText;
        var conditions = ModuleDirectives(locale, "if").ToList();
        Assert.NotEmpty(conditions);
        var problems = new List<string>();
        foreach (var (m, d) in conditions)
        {
            var words = N(ConditionWords.Describe(d.Condition!, page));
            output.WriteLine($"{m.Id}: {d.Condition!.Source} → {words}");
            if (!body.Contains(words + " " + Plain(d.Children), StringComparison.Ordinal))
                problems.Add(body.Contains(words, StringComparison.Ordinal)
                    ? $"{m.Id}: “{words}” is not followed by the text it governs"
                    : $"{m.Id}: “{words}” ({d.Condition.Source}) is missing");
        }
        NoProblems(problems, $"Conditions in the {locale} workbook");
    }

    /// <summary>A condition in words is never left at the foot of a page with the text it governs on the next.</summary>
    [Theory]
    [MemberData(nameof(Locales))]
    public void EveryConditionIsOnThePageOfItsText(string locale)
    {
        var page = fixture.Page(locale);
        var pages = fixture.Workbook(locale).Pages.Select(PrintPdf.Body).ToList();
        var problems = new List<string>();
        foreach (var (m, d) in ModuleDirectives(locale, "if"))
        {
            var words = N(ConditionWords.Describe(d.Condition!, page));
            var start = string.Join(' ', Plain(d.Children).Split(' ').Take(6));
            var at = pages.Select((p, i) => (p, i)).Where(x => x.p.Contains(words, StringComparison.Ordinal)).Select(x => x.i + 1).ToList();
            if (at.Count > 0 && !pages.Any(p => p.Contains(words + " " + start, StringComparison.Ordinal)))
                problems.Add($"{m.Id}: “{words}” on page {string.Join(", ", at)} is apart from its text “{start}…”");
        }
        NoProblems(problems, $"Conditions in the {locale} workbook");
    }

    /// <summary>No theme string key ("print-weeks", "ws.yes") shows where its words should be: every key the templates use is translated.</summary>
    [Theory]
    [MemberData(nameof(Locales))]
    public void NoStringKeyIsPrinted(string locale)
    {
        var problems = new List<string>();
        foreach (var pdf in new[] { fixture.Workbook(locale), fixture.Worksheets(locale) })
            for (var i = 0; i < pdf.Pages.Count; i++)
                foreach (var key in StringKey().Matches(pdf.Pages[i]).Select(k => k.Value).Distinct(StringComparer.Ordinal))
                    problems.Add($"{Path.GetFileName(pdf.Path)} page {i + 1}: {key}");
        NoProblems(problems, $"Untranslated string keys in the {locale} PDFs");
    }

    [GeneratedRegex(@"(?i)\b(?:print|ws)[-.][a-z]+(?:-[a-z]+)*\b")]
    private static partial Regex StringKey();

    // ---- the worksheets ----

    [Theory]
    [MemberData(nameof(Locales))]
    public void EveryWorksheetAndFieldLabelIsInTheWorksheetsPdf(string locale)
    {
        var page = fixture.Page(locale);
        var pdf = fixture.Worksheets(locale);
        var body = pdf.BodyText;
        // A diary's grid heads its columns with the labels side by side: they are whole in the order drawn.
        var raw = string.Join(" ", Enumerable.Range(1, pdf.Pages.Count).Select(pdf.RawPage));
        var problems = new List<string>();
        void Expect(Worksheet w, string what, LocalizedText? text)
        {
            var t = N(page.T(text));
            if (t.Length > 0 && !body.Contains(t, StringComparison.Ordinal) && !(PaperForm.AsGrid(w) && raw.Contains(t, StringComparison.Ordinal)))
                problems.Add($"{w.Id}: {what} “{t}”");
        }
        foreach (var w in Graph.Worksheets)
        {
            if (!pdf.Pages.Any(p => N(p).StartsWith(N(page.T(w.Title)) + " ", StringComparison.Ordinal)))
                problems.Add($"{w.Id}: no page is headed “{page.T(w.Title)}”");
            foreach (var f in w.Fields)
            {
                Expect(w, $"the label of {f.Id}", f.Label);
                Expect(w, $"the help of {f.Id}", f.Help);
                foreach (var c in f.Columns)
                {
                    Expect(w, $"the column {f.Id}.{c.Id}", c.Label);
                    foreach (var o in c.Options) Expect(w, $"an option of {f.Id}.{c.Id}", o.Label);
                }
                foreach (var r in f.RowLabels) Expect(w, $"a row of {f.Id}", r);
                foreach (var o in f.Options) Expect(w, $"an option of {f.Id}", o.Label);
                if (f.Type == FieldType.Scale)
                    foreach (var l in f.Labels) Expect(w, $"a scale label of {f.Id}", l.Text);
            }
        }
        NoProblems(problems, $"Missing from the {locale} worksheets");
    }

    public static TheoryData<string, string, string> DiaryPapers => new()
    {
        { "sv", "a4", "sleep-diary" }, { "en", "a4", "sleep-diary" }, { "sv", "letter", "sleep-diary" },
        { "sv", "a4", "exercise-diary" }, { "en", "a4", "exercise-diary" }, { "sv", "letter", "exercise-diary" },
    };

    /// <summary>
    /// A 7-day diary is a grid on one page, in the worksheets PDF and wherever a module places it in the
    /// workbook: every day with its date on the page that has the first day, and the field labels there too.
    /// </summary>
    [Theory]
    [MemberData(nameof(DiaryPapers))]
    public void ASevenDayDiaryIsOnOnePage(string locale, string paper, string worksheet)
    {
        var page = fixture.Page(locale);
        var diary = Graph.FindWorksheet(worksheet)!;
        Assert.Equal(7, PaperForm.Blocks(diary));
        string Day(int d) => N(page.S("print-day").Replace("{0}", d.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)) + " " + N(page.S("print-date"));
        var firstLabel = N(page.T(diary.Fields[0].Label));
        var placed = ModuleDirectives(locale, "worksheet").Count(d => d.Directive.Attributes["ref"] == worksheet);
        Assert.True(placed > 0, $"no module places {worksheet}");

        var title = N(page.T(diary.Title));
        foreach (var (pdf, expected) in new[] { (fixture.Worksheets(locale, paper), 1), (fixture.Workbook(locale, paper), placed) })
        {
            var name = $"{locale}/{paper}/{Path.GetFileName(pdf.Path)}";
            // A page's text in reading order and in drawing order: the reading order may put a day's name and
            // its "Date" in different places where the grid's cells are tall, the drawing order keeps a cell whole.
            var texts = pdf.Pages.Select((p, i) => (Text: PrintPdf.Body(p) + " " + pdf.RawPage(i + 1), Number: i + 1)).ToList();
            // The diary's pages: those with its first field's label and a first day.
            var pages = texts
                .Where(p => p.Text.Contains(firstLabel, StringComparison.Ordinal) && p.Text.Contains(Day(1), StringComparison.Ordinal)).ToList();
            output.WriteLine($"{name}: {worksheet} on pages {string.Join(", ", pages.Select(p => p.Number))}");
            Assert.Equal(expected, pages.Count);
            foreach (var (text, number) in pages)
                for (var d = 1; d <= 7; d++)
                    Assert.True(text.Contains(Day(d), StringComparison.Ordinal), $"{name} page {number}: “{Day(d)}” is not on the page with “{Day(1)}”");
            // No diary's days spill onto another page: the last day is on every page with the first, and on no other.
            var first = texts.Where(p => p.Text.Contains(Day(1), StringComparison.Ordinal)).Select(p => p.Number);
            var last = texts.Where(p => p.Text.Contains(Day(7), StringComparison.Ordinal)).Select(p => p.Number);
            Assert.Equal(first, last);
        }
        // In the worksheets PDF the diary takes exactly one page, headed by its title.
        Assert.Single(fixture.Worksheets(locale, paper).Pages, p => N(p).StartsWith(title + " ", StringComparison.Ordinal));
    }

    /// <summary>A scale prints as its numbers to circle: in each row of a diary's grid, and on a form.</summary>
    [Theory]
    [MemberData(nameof(Locales))]
    public void ScalesPrintTheirNumbersToCircle(string locale)
    {
        var page = fixture.Page(locale);
        var pdf = fixture.Worksheets(locale);
        // Each page's text in the order drawn, where a row of numbers is not mixed with the labels under it.
        IEnumerable<int> PagesOf(string worksheet) => pdf.Pages.Select((p, i) => (p, i)).Where(x => N(x.p).StartsWith(N(page.T(Graph.FindWorksheet(worksheet)!.Title)) + " ", StringComparison.Ordinal)).Select(x => x.i + 1);
        string PageOf(string worksheet) => pdf.RawPage(PagesOf(worksheet).Single());
        const string zeroToTen = "0 1 2 3 4 5 6 7 8 9 10";
        // The exercise diary's 0-10 pain scale in each of its seven rows; the sleep diary's 1-5 quality likewise.
        Assert.Equal(7, PrintPdf.Count(PageOf("exercise-diary"), zeroToTen));
        Assert.Equal(7, PrintPdf.Count(PageOf("sleep-diary"), "1 2 3 4 5"));
        Assert.Contains(N(page.S("print-circle-one")), PageOf("exercise-diary"));
        // The pain rating's 0-10 scales on the form, with the words that say what to do.
        var rating = string.Join(" ", PagesOf("pain-rating").Select(pdf.RawPage));
        var scales = Graph.FindWorksheet("pain-rating")!.Fields.Count(f => f.Type == FieldType.Scale && f.Min == 0 && f.Max == 10 && (f.Step ?? 1) == 1);
        Assert.True(scales > 0);
        Assert.Equal(scales, PrintPdf.Count(rating, zeroToTen));
        Assert.Equal(Graph.FindWorksheet("pain-rating")!.Fields.Count(f => f.Type == FieldType.Scale && !PaperForm.ScaleAsLine(f)), PrintPdf.Count(rating, N(page.S("print-circle-one"))));
    }

    /// <summary>A module's notes_pages are ruled pages headed “Notes” at its end, before the next module; no other module has one.</summary>
    [Theory]
    [MemberData(nameof(Papers))]
    public void NotesPagesFollowTheModulesThatAskForThem(string locale, string paper)
    {
        var page = fixture.Page(locale);
        var pdf = fixture.Workbook(locale, paper);
        var notes = N(page.S("print-notes"));
        Assert.Contains(Graph.Modules, m => m.NotesPages > 0);
        var problems = new List<string>();
        for (var i = 0; i < Graph.Modules.Length; i++)
        {
            var m = Graph.Modules[i];
            var title = N(page.T(m.Title));
            var own = pdf.Pages.Select((p, n) => (Text: p, Number: n + 1)).Where(p => N(p.Text).StartsWith(title + " ", StringComparison.Ordinal)).ToList();
            var notePages = own.Where(p => PrintPdf.Body(p.Text) == notes).Select(p => p.Number).ToList();
            if (notePages.Count != m.NotesPages)
                problems.Add($"{m.Id}: {notePages.Count} notes pages, asked for {m.NotesPages}");
            else if (m.NotesPages > 0)
            {
                // The module's last pages, and the page after them starts the next module.
                if (!notePages.SequenceEqual(own.TakeLast(m.NotesPages).Select(p => p.Number)))
                    problems.Add($"{m.Id}: the notes pages {string.Join(", ", notePages)} are not the module's last");
                if (i + 1 < Graph.Modules.Length && !N(pdf.PageAlone(notePages[^1] + 1)).StartsWith(N(page.T(Graph.Modules[i + 1].Title)) + " ", StringComparison.Ordinal))
                    problems.Add($"{m.Id}: the page after its notes does not start {Graph.Modules[i + 1].Id}");
                // Ruled: the page is mostly empty of text but not of ink.
                var raster = pdf.Raster(notePages[0], 30);
                var rows = Enumerable.Range(0, raster.Height).Count(y => Enumerable.Range(0, raster.Width).Count(x => raster[x, y] < 200) > raster.Width / 2);
                if (rows < 15) problems.Add($"{m.Id}: page {notePages[0]} has {rows} ruled lines across it");
            }
        }
        NoProblems(problems, $"Notes pages of the {locale} workbook on {paper}");
    }

    /// <summary>The cover: the program's title, the workbook and its language, the version; no page furniture; the program's picture.</summary>
    [Theory]
    [MemberData(nameof(Locales))]
    public void TheCoverHasTheProgramsIdentity(string locale)
    {
        var page = fixture.Page(locale);
        var pdf = fixture.Workbook(locale);
        var cover = N(pdf.PageAlone(1));
        Assert.StartsWith(N(page.S("print-cover-workbook")), cover);
        Assert.Contains(N(page.T(Graph.Title)), cover);
        Assert.Contains(N(page.S("print-version").Replace("{0}", Graph.Version, StringComparison.Ordinal)), cover);
        Assert.Null(PrintPdf.FooterNumber(pdf.PageAlone(1)));
        // The cover picture from theme.yaml: a good share of the page is drawn, not blank paper.
        Assert.NotNull(Graph.Identity?.CoverImage);
        var raster = pdf.Raster(1, 20);
        var inked = raster.Pixels.Count(p => p < 245) / (double)raster.Pixels.Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{locale}: {inked:P0} of the cover is drawn"));
        Assert.InRange(inked, 0.15, 0.6);
    }

    // ---- paper and fonts ----

    [Theory]
    [MemberData(nameof(Locales))]
    public void PagesAreA4AndEveryFontIsEmbedded(string locale)
    {
        foreach (var pdf in new[] { fixture.Workbook(locale), fixture.Worksheets(locale) })
        {
            var sizes = pdf.PageSizes();
            Assert.Equal(pdf.Pages.Count, sizes.Count);
            Assert.All(sizes, s => Assert.True(Math.Abs(s.Width - 595) <= 1 && Math.Abs(s.Height - 842) <= 1,
                string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(pdf.Path)}: a page of {s.Width} x {s.Height} pt, not A4")));
            var fonts = pdf.Fonts();
            output.WriteLine($"{locale}/{Path.GetFileName(pdf.Path)}: {sizes.Count} pages; fonts {string.Join(", ", fonts.Select(f => f.Name))}");
            Assert.NotEmpty(fonts);
            Assert.All(fonts, f => Assert.True(f.Embedded, $"{Path.GetFileName(pdf.Path)}: the font {f.Name} is not embedded"));
            // The bundled typeface sets the text, regular and bold (a subset's name is prefixed: ABCDEF+Name).
            foreach (var face in new[] { "AtkinsonHyperlegibleNext-Regular", "AtkinsonHyperlegibleNext-Bold" })
                Assert.Contains(fonts, f => f.Name.EndsWith("+" + face, StringComparison.Ordinal) || f.Name == face);
            // Still a tagged PDF, for screen readers.
            Assert.Matches(@"(?m)^Tagged:\s+yes", PrintPdf.Run("pdfinfo", pdf.Path));
        }
    }

    [Fact]
    public void LetterIsLetter()
    {
        foreach (var pdf in new[] { fixture.Workbook(Graph.DefaultLocale, "letter"), fixture.Worksheets(Graph.DefaultLocale, "letter") })
        {
            var sizes = pdf.PageSizes();
            Assert.NotEmpty(sizes);
            Assert.All(sizes, s => Assert.True(Math.Abs(s.Width - 612) <= 1 && Math.Abs(s.Height - 792) <= 1,
                string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(pdf.Path)}: a page of {s.Width} x {s.Height} pt, not Letter")));
            Assert.All(pdf.Fonts(), f => Assert.True(f.Embedded, $"the font {f.Name} is not embedded"));
        }
    }

    // ---- reference images ----

    public const int ReferenceDpi = 50;

    public static TheoryData<string, string> ReferencePages => new()
    {
        { "sv", "sleep-diary" }, { "en", "sleep-diary" }, { "sv", "pain-rating" }, { "en", "pain-rating" },
    };

    private static string ReferencePath(string name) => TestPaths.Repo("tests", "ContentEngine.Tests", "reference", "print", name);

    /// <summary>The number of the first page of a worksheet in the worksheets PDF: headed by its title, with the title as its heading.</summary>
    private int FirstPageOf(string locale, string worksheet)
    {
        var title = N(fixture.Page(locale).T(Graph.FindWorksheet(worksheet)!.Title));
        var pages = fixture.Worksheets(locale).Pages;
        for (var i = 0; i < pages.Count; i++)
            if (N(pages[i]).StartsWith(title + " ", StringComparison.Ordinal) && PrintPdf.Body(pages[i]).Contains(title, StringComparison.Ordinal))
                return i + 1;
        throw new InvalidOperationException($"no page of the {locale} worksheets starts the worksheet “{title}”");
    }

    /// <summary>
    /// The first page of the sleep diary and of the pain rating, at 50 dpi in gray, against the PNGs in
    /// reference/print. <c>UPDATE_REFERENCE_IMAGES=1</c> writes the references instead.
    /// </summary>
    [Theory]
    [MemberData(nameof(ReferencePages))]
    public void TheFirstPageOfAWorksheetLooksLikeItsReference(string locale, string worksheet)
    {
        var pageNumber = FirstPageOf(locale, worksheet);
        var actual = fixture.Worksheets(locale).Raster(pageNumber, ReferenceDpi);
        var name = $"{locale}-{worksheet}.png";
        var path = ReferencePath(name);
        if (Environment.GetEnvironmentVariable("UPDATE_REFERENCE_IMAGES") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, actual.ToPng());
            output.WriteLine($"wrote reference/print/{name} from page {pageNumber} ({actual.Width}×{actual.Height})");
            return;
        }
        Assert.True(File.Exists(path), $"reference/print/{name} is missing; run the tests with UPDATE_REFERENCE_IMAGES=1 to write it, and look at it");
        var reference = GrayImage.ReadPng(File.ReadAllBytes(path));
        var difference = ImageDifference.Between(reference, actual);
        output.WriteLine($"{name} (page {pageNumber}): {difference}");
        if (!difference.WithinTolerance)
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "print-actual");
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, name), actual.ToPng());
            Assert.Fail($"page {pageNumber} of the {locale} worksheets ({actual.Width}×{actual.Height}) differs from reference/print/{name} ({reference.Width}×{reference.Height}): {difference}. " +
                $"The page as rendered is in {Path.Combine(folder, name)}; if the change is intended, run the tests with UPDATE_REFERENCE_IMAGES=1.");
        }
    }

    /// <summary>
    /// The tolerance lets anti-aliasing noise through but not a missing field or a moved layout: the
    /// page as rendered now, changed on purpose.
    /// </summary>
    [Theory]
    [InlineData("sleep-diary")]
    [InlineData("pain-rating")]
    public void TheImageToleranceCatchesAMissingFieldOrAMovedLayout(string worksheet)
    {
        const string locale = "en";
        var pdf = fixture.Worksheets(locale);
        var pageNumber = FirstPageOf(locale, worksheet);
        var page = pdf.Raster(pageNumber, ReferenceDpi);
        Assert.True(ImageDifference.Between(page, page.Clone()).WithinTolerance);

        // Anti-aliasing noise: every pixel at the edge of something drawn moves by up to 24 levels.
        var random = new Random(20_250_101);
        var noisy = page.Clone();
        for (var y = 1; y < page.Height - 1; y++)
            for (var x = 1; x < page.Width - 1; x++)
            {
                var near = false;
                for (var dy = -1; dy <= 1 && !near; dy++)
                    for (var dx = -1; dx <= 1 && !near; dx++)
                        near = page[x + dx, y + dy] < 250;
                if (near) noisy.Pixels[y * page.Width + x] = (byte)Math.Clamp(page[x, y] + random.Next(-24, 25), 0, 255);
            }
        var noise = ImageDifference.Between(page, noisy);
        output.WriteLine($"{worksheet}: anti-aliasing noise: {noise}");
        Assert.True(noise.WithinTolerance, $"noise alone fails the comparison: {noise}");

        // The last field of the page, from its label down to the last thing above the footer, left out.
        var field = Graph.FindWorksheet(worksheet)!.Fields[^1];
        var label = N(fixture.Page(locale).T(field.Label)).Split(' ');
        var words = pdf.Words(pageNumber);
        var scale = ReferenceDpi / 72.0;
        var footer = page.Height / scale - 20 / 25.4 * 72; // the bottom margin, 20 mm, holds the page number
        var start = Enumerable.Range(0, words.Count - 3).Last(i => Enumerable.Range(0, Math.Min(4, label.Length)).All(k => words[i + k].Text == label[k]));
        var top = (int)Math.Floor((words[start].YMin - 2) * scale);
        var bottom = (int)Math.Ceiling((words.Skip(start).Where(w => w.YMin < footer).Max(w => w.YMax) + 6) * scale);
        var missing = page.Clone();
        Array.Fill(missing.Pixels, (byte)255, top * page.Width, (bottom - top) * page.Width);
        var withoutField = ImageDifference.Between(page, missing);
        output.WriteLine($"{worksheet}: without the field {field.Id} (rows {top}–{bottom}): {withoutField}");
        Assert.False(withoutField.WithinTolerance, $"a page without the field {field.Id} passes: {withoutField}");

        // Everything from that field down moved by 1 mm (2 pixels at 50 dpi).
        var moved = page.Clone();
        const int shift = 2;
        Array.Copy(page.Pixels, top * page.Width, moved.Pixels, (top + shift) * page.Width, (page.Height - top - shift) * page.Width);
        Array.Fill(moved.Pixels, (byte)255, top * page.Width, shift * page.Width);
        var shifted = ImageDifference.Between(page, moved);
        output.WriteLine($"{worksheet}: the field {field.Id} and below moved down 1 mm: {shifted}");
        Assert.False(shifted.WithinTolerance, $"a page with its last field moved down passes: {shifted}");

        // Another paper size is another image.
        var letterPage = fixture.Worksheets(Graph.DefaultLocale, "letter").Raster(1, ReferenceDpi);
        Assert.False(ImageDifference.Between(page, letterPage).WithinTolerance);
    }

    [Fact]
    public void ThePngCodecReadsWhatItWritesWithEveryFilter()
    {
        var random = new Random(7);
        var pixels = new byte[37 * 23];
        random.NextBytes(pixels);
        for (var i = 0; i < 37 * 5; i++) pixels[i] = (byte)(i % 37 * 7); // a smooth part, where the filters matter
        var image = new GrayImage(37, 23, pixels);
        for (var filter = 0; filter <= 4; filter++)
        {
            var f = filter;
            Assert.Equal(pixels, GrayImage.ReadPng(image.ToPng(_ => f)).Pixels);
        }
        Assert.Equal(pixels, GrayImage.ReadPng(image.ToPng(y => y % 5)).Pixels);
        var png = image.ToPng();
        Assert.Equal(pixels, GrayImage.ReadPng(png).Pixels);
        png[^20] ^= 0x55; // inside the image data: its chunk's CRC no longer holds
        Assert.Throws<InvalidDataException>(() => GrayImage.ReadPng(png));
    }

    [Fact]
    public void TheReferenceImagesArePngsOfAnA4Page()
    {
        if (Environment.GetEnvironmentVariable("UPDATE_REFERENCE_IMAGES") == "1") return; // being written now
        var files = Directory.Exists(ReferencePath("")) ? Directory.GetFiles(ReferencePath(""), "*.png") : [];
        Assert.Equal(ReferencePages.Select(r => $"{r[0]}-{r[1]}.png").Order(StringComparer.Ordinal), files.Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var image = GrayImage.ReadPng(File.ReadAllBytes(file));
            // A4 at 50 dpi, as pdftoppm rounds it.
            Assert.Equal((414, 585), (image.Width, image.Height));
        }
    }
}

/// <summary>The print bundle from the command line when there is no Chromium: one line, exit code 2, nothing written.</summary>
public sealed class PrintBundleChromiumTests
{
    private static readonly string Sample = TestPaths.Repo("content", "iact-chronic-pain");

    [Fact]
    public void AChromiumVariableNamingNothingGivesOneLineAndExitCode2()
    {
        using var temp = new TestPaths.TempFolder();
        var missing = Path.Combine(temp.Path, "no-such-chromium");
        var (code, stderr) = Build(temp.Path, env => env[Chromium.Variable] = missing);
        Assert.Equal(2, code);
        var line = Assert.Single(Lines(stderr));
        Assert.Contains(Chromium.Variable, line);
        Assert.Contains(missing, line);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void NoChromiumOnThePathGivesOneLineAndExitCode2()
    {
        using var temp = new TestPaths.TempFolder();
        var emptyPath = Path.Combine(temp.Path, "bin");
        Directory.CreateDirectory(emptyPath);
        var (code, stderr) = Build(temp.Path, env =>
        {
            env.Remove(Chromium.Variable);
            env["PATH"] = emptyPath;
        });
        Assert.Equal(2, code);
        var line = Assert.Single(Lines(stderr));
        Assert.Contains("apt-get install chromium", line);
        Assert.Equal(["bin"], Directory.GetFileSystemEntries(temp.Path).Select(e => Path.GetFileName(e)));
        Assert.Empty(Directory.GetFileSystemEntries(emptyPath));
    }

    [Fact]
    public void NoFfmpegOrEspeakOnThePathGivesOneLineAndExitCode2ForAudio()
    {
        using var temp = new TestPaths.TempFolder();
        var emptyPath = Path.Combine(temp.Path, "bin");
        Directory.CreateDirectory(emptyPath);
        // An empty cache: every track has to be made, so the tools are needed.
        var (code, stderr) = Build(temp.Path, env => env["PATH"] = emptyPath, "--audio", "--cache", Path.Combine(temp.Path, "cache"));
        Assert.Equal(2, code);
        var line = Assert.Single(Lines(stderr));
        Assert.Contains("ffmpeg", line);
        Assert.Contains("espeak-ng", line);
        Assert.Contains("apt-get install", line);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "out")));
    }

    /// <summary>Every line of the error output, blank ones included (but not the end of the last line).</summary>
    private static string[] Lines(string stderr) => stderr.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    /// <summary>Runs <c>contentengine build sample -o folder/out --print</c> (or the bundle given) through the dotnet host, by its full path.</summary>
    private static (int Code, string Stderr) Build(string folder, Action<IDictionary<string, string?>> environment, params string[] bundle)
    {
        if (bundle.Length == 0) bundle = ["--print"];
        var info = CliProcess.StartInfo(folder, ["build", Sample, "-o", Path.Combine(folder, "out"), .. bundle]);
        environment(info.Environment);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the build did not end within three minutes");
        }
        process.WaitForExit();
        return (process.ExitCode, stderr.Result);
    }
}

/// <summary>
/// The print bundle of a tiny program (the template of <c>contentengine new</c>, with a few more links),
/// built twice by the command line with SOURCE_DATE_EPOCH, the second build started two seconds after
/// the first.
/// </summary>
public sealed class TinyPrintFixture : IAsyncLifetime
{
    /// <summary>2023-11-14 22:13:20 UTC.</summary>
    public const long Epoch = 1_700_000_000;

    public TestPaths.TempFolder Folder { get; } = new();
    public string Program => Path.Combine(Folder.Path, "tiny");
    public string First => Path.Combine(Folder.Path, "first");
    public string Second => Path.Combine(Folder.Path, "second");

    public async Task InitializeAsync()
    {
        var stderr = new StringWriter();
        Assert.True(await ContentEngine.Cli.CommandLine.RunAsync(["new", Program], TextWriter.Null, stderr) == 0, stderr.ToString());
        // A module links to another module, to a worksheet it does not place and to another site; the
        // worksheet, printed alone in worksheets.pdf too, links to a module.
        File.AppendAllText(Path.Combine(Program, "modules", "values.md"),
            "\nSee [the help pages](https://example.org/help), go back to [Welcome](module:welcome) or fill in [the pain rating](worksheet:pain-rating) again.\n");
        File.AppendAllText(Path.Combine(Program, "worksheets", "pain-rating.md"), "\nBack to [Welcome](module:welcome).\n");
        var first = BuildAsync(First);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Task.WhenAll(first, BuildAsync(Second));
    }

    private async Task BuildAsync(string output)
    {
        var info = CliProcess.StartInfo(Folder.Path, ["build", Program, "-o", output, "--print"]);
        info.Environment["SOURCE_DATE_EPOCH"] = Epoch.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(limit.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"the tiny program's print build exited with {process.ExitCode}: {await stderr}");
        await stdout;
    }

    public string Pdf(string build, string name) => Path.Combine(build, "print", "en", name);

    public Task DisposeAsync()
    {
        Folder.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The PDFs of the tiny program: the same bytes from two builds with SOURCE_DATE_EPOCH, links within
/// the program as links within a PDF, and no browser left behind by a build that is ended mid-print.
/// </summary>
public sealed partial class TinyPrintTests(TinyPrintFixture fixture, ITestOutputHelper output) : IClassFixture<TinyPrintFixture>
{
    public static TheoryData<string> Pdfs => new() { "workbook.pdf", "worksheets.pdf" };

    [Theory]
    [MemberData(nameof(Pdfs))]
    public void TwoBuildsWithSourceDateEpochWriteTheSameBytesDatedThen(string name)
    {
        var first = File.ReadAllBytes(fixture.Pdf(fixture.First, name));
        var second = File.ReadAllBytes(fixture.Pdf(fixture.Second, name));
        var differ = Enumerable.Range(0, Math.Min(first.Length, second.Length)).FirstOrDefault(i => first[i] != second[i], -1);
        Assert.True(first.Length == second.Length && differ < 0,
            $"{name}: {first.Length} and {second.Length} bytes, first differing at {differ}: “{Around(first, differ)}” against “{Around(second, differ)}”");

        var info = PrintPdf.Run("pdfinfo", "-isodates", fixture.Pdf(fixture.First, name));
        output.WriteLine(info);
        var then = DateTimeOffset.FromUnixTimeSeconds(TinyPrintFixture.Epoch).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        Assert.Matches($@"(?m)^CreationDate:\s+{then}$", info);
        Assert.Matches($@"(?m)^ModDate:\s+{then}$", info);
        // Still a PDF whose cross-reference table poppler reads without repairing it.
        Assert.Equal(string.Empty, ErrorsOf("pdftotext", fixture.Pdf(fixture.First, name), "-"));
    }

    /// <summary>What a tool writes to its error output.</summary>
    private static string ErrorsOf(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        return stderr.Trim();
    }

    private static string Around(byte[] bytes, int at) => at < 0 ? string.Empty : Encoding.Latin1.GetString(bytes, Math.Max(0, at - 20), Math.Min(40, bytes.Length - Math.Max(0, at - 20)));

    [Fact]
    public void LinksToModulesAndWorksheetsGoWithinTheWorkbook()
    {
        var pdf = Encoding.Latin1.GetString(File.ReadAllBytes(fixture.Pdf(fixture.First, "workbook.pdf")));
        var (uris, destinations) = Links(pdf);
        output.WriteLine($"URIs: {string.Join(", ", uris)}; destinations: {string.Join(", ", destinations)}");
        // The author's link to another site stays; nothing points at the made-up origin the pages load from.
        Assert.Equal(["https://example.org/help"], uris);
        // The contents' two entries, welcome's link to values, and values' links to welcome and to the
        // rating that welcome places.
        Assert.Equal(["m-values", "m-values", "m-welcome", "m-welcome", "w-pain-rating"], destinations.Order(StringComparer.Ordinal));
        foreach (var name in destinations.Distinct())
            Assert.Matches($@"/{Regex.Escape(name)}\s*\[\s*\d+ 0 R /XYZ", pdf);
        // w-pain-rating is on the page where welcome places the rating.
        var text = new PrintPdf(fixture.Pdf(fixture.First, "workbook.pdf"));
        Assert.Contains("go back to Welcome or fill in the pain rating again.", PrintPdf.Normalize(text.BodyText));
    }

    [Fact]
    public void LinksToAnotherPdfArePlainText()
    {
        var path = fixture.Pdf(fixture.First, "worksheets.pdf");
        var (uris, destinations) = Links(Encoding.Latin1.GetString(File.ReadAllBytes(path)));
        Assert.Empty(uris);
        Assert.Empty(destinations);
        Assert.Contains("Back to Welcome.", new PrintPdf(path).BodyText);
    }

    /// <summary>The link annotations' URIs and named destinations (Chromium writes them uncompressed).</summary>
    private static (List<string> Uris, List<string> Destinations) Links(string pdf) =>
        ([.. LinkUri().Matches(pdf).Select(m => m.Groups[1].Value)], [.. LinkDest().Matches(pdf).Select(m => m.Groups[1].Value)]);

    [GeneratedRegex(@"/URI\s*\(([^)]*)\)")]
    private static partial Regex LinkUri();

    [GeneratedRegex(@"/Dest\s*/([^\s/\[\]<>()]+)")]
    private static partial Regex LinkDest();

    // ---- a build ended mid-print ----

    /// <summary>
    /// The build is ended once Chromium runs a renderer; within ten seconds (a loaded machine is slow to reap) no process it started
    /// (the browser driver, Chromium and its helpers, found below the build in /proc before the end)
    /// and no process with the build's marker in its environment is left.
    /// </summary>
    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public async Task ABuildEndedMidPrintLeavesNoBrowserRunning(string signal)
    {
        Assert.True(Directory.Exists("/proc"), "this test reads /proc");
        var marker = "CONTENTENGINE_TEST_RUN=" + Guid.NewGuid().ToString("N");
        var info = CliProcess.StartInfo(fixture.Folder.Path, ["build", fixture.Program, "-o", Path.Combine(fixture.Folder.Path, "killed-" + signal), "--print"]);
        info.Environment["CONTENTENGINE_TEST_RUN"] = marker.Split('=')[1];
        using var build = Process.Start(info)!;
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEndAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            List<ProcessEntry> tree;
            while (!(tree = ProcessEntry.Below(build.Id)).Any(p => p.CommandLine.Contains("--type=renderer", StringComparison.Ordinal)))
            {
                if (build.HasExited) Assert.Fail($"the build ended before Chromium opened a page: {await stderr}");
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "Chromium opened no page within a minute");
                await Task.Delay(100);
            }
            output.WriteLine($"{tree.Count} processes below the build after {clock.Elapsed.TotalSeconds:0.0} s:\n  " + string.Join("\n  ", tree.Select(p => $"{p.Pid} {Short(p.CommandLine)}")));
            Assert.Contains(tree, p => p.CommandLine.Contains("chromium", StringComparison.OrdinalIgnoreCase));

            PrintPdf.Run("kill", "-" + signal, build.Id.ToString(CultureInfo.InvariantCulture));
            clock.Restart();
            List<ProcessEntry> left;
            while ((left = [.. tree.Where(p => p.IsAlive()).Concat(ProcessEntry.Marked(marker)).DistinctBy(p => p.Pid)]).Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
                await Task.Delay(100);
            output.WriteLine($"SIG{signal}: {left.Count} left after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(left.Count == 0, $"after SIG{signal} these are still running:\n  " + string.Join("\n  ", left.Select(p => $"{p.Pid} {Short(p.CommandLine)}")));
            Assert.True(build.WaitForExit(TimeSpan.FromSeconds(5)), "the build did not end");
            Assert.NotEqual(0, build.ExitCode);
        }
        finally
        {
            if (!build.HasExited) build.Kill(entireProcessTree: true);
        }
    }

    private static string Short(string commandLine) => commandLine.Length <= 100 ? commandLine : commandLine[..100] + "…";

    /// <summary>A process as /proc shows it, with the start time that tells it from a later one with its number.</summary>
    private sealed record ProcessEntry(int Pid, int Parent, long Start, string CommandLine)
    {
        public static ProcessEntry? Read(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // After the name: state, ppid, … starttime is the 22nd field of the line, the 20th after the name.
                if (fields[0] is "Z" or "X") return null;
                var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
                return new ProcessEntry(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture), commandLine);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                return null;
            }
        }

        public bool IsAlive() => Read(Pid) is { } now && now.Start == Start;

        private static IEnumerable<ProcessEntry> All() =>
            Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? Read(pid) : null).OfType<ProcessEntry>();

        /// <summary>Every living process below <paramref name="root"/>.</summary>
        public static List<ProcessEntry> Below(int root)
        {
            var all = All().ToList();
            var found = new List<ProcessEntry>();
            var parents = new HashSet<int> { root };
            for (var added = true; added;)
            {
                added = false;
                foreach (var p in all.Where(p => parents.Contains(p.Parent) && !parents.Contains(p.Pid)))
                {
                    found.Add(p);
                    parents.Add(p.Pid);
                    added = true;
                }
            }
            return found;
        }

        /// <summary>Every living process with <paramref name="marker"/> (NAME=value) in its environment.</summary>
        public static List<ProcessEntry> Marked(string marker) => [.. All().Where(p =>
        {
            try
            {
                return File.ReadAllText($"/proc/{p.Pid}/environ").Split('\0').Contains(marker);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        })];
    }
}

using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Print;
using ContentEngine.Rendering.Web;
using UglyToad.PdfPig;
using Xunit.Abstractions;

namespace ContentEngine.Tests;

/// <summary>
/// A small program printed once in the normal size and in large print (<see cref="PrintOptions.LargePrint"/>),
/// written to a folder for the PDF readers: a module with a recording, a footnote and a worksheet on paper,
/// a diary's grid and the Bull's-eye.
/// </summary>
public sealed class PrintSizeFixture : IAsyncLifetime
{
    private readonly TestPaths.TempFolder _program = new();

    public TestPaths.TempFolder Output { get; } = new();

    public IReadOnlyList<string> Files { get; private set; } = [];

    public PrintSizeFixture()
    {
        _program.File("program.yaml", """
            id: print-size
            title: Print for tired eyes
            version: 1.0.0
            locales: [en]
            release: weekly
            guidance: self
            phases: [{id: treatment, title: Treatment, weeks: 2}]
            provider:
              name: The Clinic
              email: pain@example.org
            privacy: Answers stay in this browser.
            """);
        _program.File("modules/start.md", """
            ---
            id: start
            title: Starting out
            phase: treatment
            week: 1
            ---

            Pain takes up room in a day. This workbook gives you a few small steps to try, one week at a
            time, and a place to write down how each of them went.[^why]

            ## Listening

            ::: audio {src="media/calm.mp3" transcript="media/calm.txt" title="A calm minute"}
            :::

            ## Your values

            Write a few words on what matters to you, then mark how close you live by it.

            ::: worksheet {ref=values}
            :::

            [^why]: Small steps are easier to keep than big ones.
            """);
        _program.File("modules/diary.md", """
            ---
            id: diary
            title: Keeping a diary
            phase: treatment
            week: 2
            ---

            Fill in the diary each evening, before you go to bed.

            ::: worksheet {ref=evening}
            :::
            """);
        _program.File("worksheets/values.md", """
            ---
            id: values
            title: What matters
            kind: form
            fields:
              - {id: value, type: text, label: "What matters to you in your work?", required: true}
              - {id: story, type: longtext, label: "Describe a day lived by that value", help: "A few sentences are enough."}
              - id: pain
                type: scale
                label: How strong is your pain today?
                min: 0
                max: 10
                step: 1
                labels:
                  0: No pain
                  10: Worst pain imaginable
              - {id: when, type: date, label: "When did you last do something for it?"}
              - {id: at, type: time, label: "At what time?"}
              - id: plan
                type: table
                label: Your plan for the week
                rows: [Monday, Tuesday]
                columns:
                  - {id: what, type: text, label: What you will do}
                  - {id: done, type: boolean, label: Done?}
              - id: target
                type: target
                label: How close are you to living by your values?
                rings: 4
                areas:
                  - {id: work, label: Work and education}
                  - {id: health, label: Health and personal growth}
            ---

            Take your time. There are no right answers.
            """);
        _program.File("worksheets/evening.md", """
            ---
            id: evening
            title: Evening diary
            kind: diary
            repeat: daily
            days: 7
            fields:
              - {id: bed, type: time, label: "When did you go to bed?"}
              - id: mood
                type: scale
                label: How was your day?
                min: 1
                max: 5
                step: 1
                labels:
                  1: Very bad
                  5: Very good
              - {id: walk, type: boolean, label: "Did you go for a walk?"}
            ---

            One row per evening.
            """);
        var sample = TestPaths.Repo("content", "iact-chronic-pain", "media");
        Directory.CreateDirectory(Path.Combine(_program.Path, "media"));
        File.Copy(Path.Combine(sample, "body-scan.mp3"), Path.Combine(_program.Path, "media", "calm.mp3"));
        _program.File("media/calm.txt", "Sit comfortably and close your eyes.\n\nBreathe in, and breathe out.\n");
    }

    public async Task InitializeAsync()
    {
        var result = ProgramCompiler.Compile(_program.Path);
        var graph = result.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        var bundle = await PrintRenderer.RenderAsync(graph, new PrintOptions { Theme = Theme.Load(_program.Path, graph.Theme), LargePrint = true });
        bundle.WriteTo(Output.Path);
        Files = [.. bundle.Files.Keys.Order(StringComparer.Ordinal)];
    }

    public PrintPdf Pdf(string file) => new(Path.Combine(Output.Path, "en", file));

    public Task DisposeAsync()
    {
        _program.Dispose();
        Output.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Print for tired eyes: the sizes of the letters as the PDF sets them, read back with PdfPig (body text at
/// least 12 pt and nothing below 10 pt; 16 pt and 13 pt in large print), the same words in both sizes, and
/// no web or build words on paper.
/// </summary>
public sealed class PrintSizeTests(PrintSizeFixture fixture, ITestOutputHelper output) : IClassFixture<PrintSizeFixture>
{
    /// <summary>The size in points of every letter that is not a space, as the PDF draws it (its matrix applied), by page.</summary>
    private static List<(int Page, string Letter, double Size)> Letters(PrintPdf pdf)
    {
        using var document = PdfDocument.Open(pdf.Path);
        return [.. document.GetPages().SelectMany(page => page.Letters
            .Where(l => !string.IsNullOrWhiteSpace(l.Value))
            .Select(l => (page.Number, l.Value, Math.Round(l.PointSize, 2))))];
    }

    /// <summary>The size most letters are set in: the body text's.</summary>
    private static double BodySize(List<(int Page, string Letter, double Size)> letters) =>
        letters.GroupBy(l => l.Size).OrderByDescending(g => g.Count()).First().Key;

    /// <summary>
    /// Every letter of the PDF at least <paramref name="smallest"/>; the body text (what most letters are set in,
    /// in the workbook; the worksheets are mostly labels) at least <paramref name="body"/>.
    /// </summary>
    private void Sizes(string file, double body, double smallest)
    {
        var letters = Letters(fixture.Pdf(file));
        Assert.NotEmpty(letters);
        output.WriteLine($"{file}: " + string.Join(", ", letters.GroupBy(l => l.Size).OrderBy(g => g.Key).Select(g => $"{g.Key} pt × {g.Count()}")));
        if (file.StartsWith("workbook", StringComparison.Ordinal))
            Assert.True(BodySize(letters) >= body, $"{file}: most letters are {BodySize(letters)} pt, where body text is at least {body} pt");
        else
            Assert.Contains(letters, l => l.Size >= body);
        var small = letters.Where(l => l.Size < smallest - 0.01).ToList();
        Assert.True(small.Count == 0, $"{file}: {small.Count} letters are below {smallest} pt, such as " +
            string.Join(", ", small.GroupBy(l => (l.Page, l.Size)).Take(5).Select(g => $"'{string.Concat(g.Select(l => l.Letter).Take(30))}' ({g.Key.Size} pt, page {g.Key.Page})")));
    }

    [Theory]
    [InlineData("workbook.pdf")]
    [InlineData("worksheets.pdf")]
    public void TheNormalPdfsSetBodyTextAt12PtAndNothingBelow10Pt(string file) => Sizes(file, 12, 10);

    [Theory]
    [InlineData("workbook-large-print.pdf")]
    [InlineData("worksheets-large-print.pdf")]
    public void TheLargePrintPdfsSetBodyTextAt16PtAndNothingBelow13Pt(string file) => Sizes(file, 16, 13);

    [Fact]
    public void LargePrintIsWrittenBesideTheNormalPdfs() =>
        Assert.Equal(["en/workbook-large-print.pdf", "en/workbook.pdf", "en/worksheets-large-print.pdf", "en/worksheets.pdf"], fixture.Files);

    /// <summary>The words of a PDF without its page furniture (running heads, page numbers) and the numbers of the contents, sorted.</summary>
    private static List<string> Words(PrintPdf pdf) =>
        [.. pdf.BodyText.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.All(char.IsDigit)).Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("workbook")]
    [InlineData("worksheets")]
    public void LargePrintReadsBackTheSameWords(string name)
    {
        var normal = Words(fixture.Pdf(name + ".pdf"));
        var large = Words(fixture.Pdf(name + "-large-print.pdf"));
        Assert.NotEmpty(normal);
        Assert.Equal(normal, large);
    }

    [Theory]
    [InlineData("workbook.pdf")]
    [InlineData("workbook-large-print.pdf")]
    public void PaperSaysWhereToListenAndHasNoBackArrows(string file)
    {
        var pdf = fixture.Pdf(file);
        var text = PrintPdf.Normalize(string.Join(" ", pdf.Pages));
        Assert.DoesNotContain("↩", text);
        Assert.DoesNotContain("bundle", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("You can listen to “A calm minute” on the program's website, on the page for this part", text);
        // The footnote's text is still printed, and the transcript.
        Assert.Contains("Small steps are easier to keep than big ones.", text);
        Assert.Contains("Breathe in, and breathe out.", text);
    }

    [Fact]
    public void NoLocaleSpeaksOfBundlesOnPaper()
    {
        using var strings = JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("themes", "default", "strings-print.json")));
        foreach (var locale in strings.RootElement.EnumerateObject())
            foreach (var key in new[] { "print-listen", "print-watch" })
            {
                var text = locale.Value.GetProperty(key).GetString()!;
                Assert.DoesNotContain("bundle", text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("paket", text, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("{0}", text);
            }
    }

    [Fact]
    public void ADiaryTooWideForLargePrintPrintsABlockPerDay()
    {
        var graph = ProgramCompiler.Compile(TestPaths.Repo("content", "iact-chronic-pain")).Graph!;
        var sleep = graph.Worksheets.Single(w => w.Id == "sleep-diary");
        Assert.True(PaperForm.AsGrid(sleep));
        Assert.False(PaperForm.AsGrid(sleep, 4.0 / 3));
        var page = new PageContext(graph, "en", "en/worksheets.html", Theme.BuiltIn, OutputMedium.Print) { PrintScale = 4.0 / 3 };
        var html = PaperForm.Render(sleep, page);
        Assert.DoesNotContain("ce-paper-diary", html);
        Assert.Equal(7 * sleep.Fields.Length, PrintPdf.Count(html, "<div class=\"ce-paper-field\""));
    }
}

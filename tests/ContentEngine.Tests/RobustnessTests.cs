using System.Text;
using ContentEngine.Compilation;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;
using ContentEngine.Rendering.Audio;
using ContentEngine.Rendering.Package;
using ContentEngine.Translation;

namespace ContentEngine.Tests;

/// <summary>No input makes the compiler throw: hostile files come back as diagnostics.</summary>
public sealed class RobustnessTests
{
    private const string Program = "id: p\nversion: 1.0.0\ntitle: P\nlocales: [en]\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n";
    private const string Module = "---\ntitle: M\nphase: main\nweek: 1\n---\nText.\n";

    private static CompilationResult CompileWith(Action<TestPaths.TempFolder> setup)
    {
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", Program);
        setup(t);
        return ProgramCompiler.Compile(t.Path);
    }

    private static void WriteBytes(TestPaths.TempFolder t, string relative, byte[] bytes)
    {
        var full = Path.Combine(t.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomBytesGiveDiagnostics(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 40; i++)
        {
            var bytes = new byte[random.Next(0, 4000)];
            random.NextBytes(bytes);
            var target = (i % 3) switch { 0 => "modules/m.md", 1 => "worksheets/w.md", _ => "program.yaml" };
            var result = CompileWith(t => WriteBytes(t, target, bytes));
            Assert.NotEmpty(result.Diagnostics);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomTextInFrontMatterGivesDiagnosticsNotExceptions(int seed)
    {
        var random = new Random(seed);
        const string alphabet = "abc:-[]{}&*!|>'\"#%@`,?\n \t0123456789.\\";
        for (var i = 0; i < 150; i++)
        {
            var sb = new StringBuilder("---\n");
            var n = random.Next(1, 300);
            for (var j = 0; j < n; j++) sb.Append(alphabet[random.Next(alphabet.Length)]);
            sb.Append("\n---\n::: if {when=\"").Append(alphabet[random.Next(alphabet.Length)]).Append("\"}\nx\n:::\n");
            var text = sb.ToString();
            var result = CompileWith(t => t.File("modules/m.md", text));
            Assert.NotNull(result);
        }
    }

    [Theory]
    [InlineData("week: [")]
    [InlineData("week: {a: [1, 2")]
    [InlineData("title: \"never closed")]
    [InlineData("tags: [a, b")]
    public void UnfinishedYamlIsASyntaxError(string line)
    {
        var result = CompileWith(t => t.File("modules/m.md", $"---\ntitle: M\nphase: main\n{line}\n---\nText.\n"));
        Assert.Contains(result.Diagnostics, d => d.Id == "CE0001" && d.Location.Path == "modules/m.md" && d.Location.Line >= 1);
    }

    [Fact]
    public void EmptyFilesAreReported()
    {
        var result = CompileWith(t =>
        {
            t.File("modules/empty.md", "");
            t.File("worksheets/blank.md", "  \n\n");
        });
        Assert.Equal(2, result.Diagnostics.Count(d => d.Id == "CE0002"));
    }

    [Fact]
    public void DeeplyNestedYamlIsRefused()
    {
        var depth = 100_000;
        var yaml = "---\ntitle: " + new string('[', depth) + new string(']', depth) + "\n---\n";
        var result = CompileWith(t => t.File("modules/m.md", yaml));
        Assert.Contains(result.Diagnostics, d => d.Id == "CE0006");

        var block = new StringBuilder("---\n");
        for (var i = 0; i < 2000; i++) block.Append(new string(' ', i)).Append("k:\n");
        block.Append("---\n");
        result = CompileWith(t => t.File("modules/m.md", block.ToString()));
        Assert.Contains(result.Diagnostics, d => d.Id is "CE0006" or "CE0001");
    }

    [Fact]
    public void AliasBombIsRefused()
    {
        var sb = new StringBuilder("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 12; i++)
            sb.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        sb.Append("title: *a11\n---\n");
        var result = CompileWith(t => t.File("modules/m.md", sb.ToString()));
        Assert.Contains(result.Diagnostics, d => d.Id == "CE0006");
    }

    [Fact]
    public void VeryLongLinesAreHandled()
    {
        var longTitle = new string('x', 2_000_000);
        var result = CompileWith(t =>
        {
            t.File("modules/m.md", $"---\ntitle: {longTitle}\nphase: main\nweek: 1\n---\n{new string('y', 3_000_000)}\n");
            t.File("modules/n.md", $"---\ntitle: N\nphase: main\nweek: 1\noffer_when: \"{new string('(', 50_000)}\"\noptional: true\n---\nx\n");
        });
        Assert.Contains(result.Diagnostics, d => d.Id == "CE0301");
    }

    [Fact]
    public void ConditionParserNeverThrows()
    {
        var random = new Random(7);
        string[] pieces = ["a", "b.c", "x.mean(y)", "(", ")", "and", "or", "not", "==", "<", "-", "+", "*", "/", "1", "2.5", "\"t\"", "week", "completed(a)", ".", "!", "=", "&&", "'", "\\"];
        for (var i = 0; i < 5000; i++)
        {
            var text = string.Join(random.Next(2) == 0 ? " " : "", Enumerable.Range(0, random.Next(0, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            var (syntax, error) = ConditionParser.Parse(text);
            Assert.True(syntax is not null ^ error is not null, text);
        }
    }

    [Fact]
    public async Task TheCommandLineNeverPrintsAStackTrace()
    {
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", "id: [unclosed\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Cli.CommandLine.RunAsync(["check", t.Path], stdout, stderr);
        Assert.Equal(1, code);
        Assert.Contains("CE0001", stdout.ToString());
        Assert.DoesNotContain("   at ", stdout.ToString() + stderr.ToString());
    }

    [Theory]
    [InlineData("program.yaml", "id: p\nversion: 1.0.0\ntitle: {}\nlocales: [en]\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n", "CE0104")]
    [InlineData("program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [en]\nphases: []\n", "CE0104")]
    [InlineData("program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: []\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n", "CE0104")]
    [InlineData("modules/m.md", "---\ntitle: {}\nphase: main\nweek: 1\n---\nText.\n", "CE0104")]
    [InlineData("worksheets/q.md", "---\ntitle: Q\nkind: questionnaire\nfields:\n  - {id: a, type: scale, label: A, min: 0, max: 4}\nscoring:\n  scores:\n    total: {sum: []}\n---\n", "CE0104")]
    public void EmptyValuesAreReportedNotDropped(string path, string text, string code)
    {
        var result = CompileWith(t => t.File(path, text));
        Assert.Null(result.Graph);
        Assert.Contains(result.Diagnostics, d => d.Id == code);
    }

    private static string Deep(string kind, int levels) => kind switch
    {
        "quotations" => new string('>', levels) + " deep\n",
        "lists" => string.Concat(Enumerable.Range(0, levels).Select(d => new string(' ', 2 * d) + "- item\n")),
        _ => string.Concat(Enumerable.Repeat("> - ", levels)) + "deep\n",
    };

    [Theory]
    [InlineData("quotations", 200, 8)]
    [InlineData("lists", 100, 71)]
    [InlineData("quoted lists", 60, 8)]
    public void MarkdownNestedTooDeepIsReportedAtItsLine(string kind, int levels, int line)
    {
        var text = "---\ntitle: M\nphase: main\nweek: 1\n---\nIntro.\n\n" + Deep(kind, levels);
        var result = CompileWith(t => t.File("modules/m.md", text));
        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(("CE0012", "modules/m.md", line), (error.Id, error.Location.Path, error.Location.Line + 1));
    }

    [Fact]
    public void ATranslationNestedTooDeepIsReportedAndItsUnitsStillList()
    {
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", Program.Replace("locales: [en]", "locales: [en, sv]"));
        t.File("modules/m.md", Module);
        t.File("modules/m.sv.md", "---\ntitle: M\n---\nText.\n\n" + Deep("quotations", 300));
        var result = ProgramCompiler.Compile(t.Path);
        Assert.Contains(result.Diagnostics, d => d.Id == "CE0012" && d.Location.Path == "modules/m.sv.md" && d.Location.Line == 5);
        var sources = TranslationSources.Read(t.Path, new DiagnosticBag());
        Assert.NotNull(sources);
        Assert.Contains(sources.Units("sv", null), u => u.Id.Contains("title", StringComparison.Ordinal));
        var deep = new string('>', 300) + " x";
        Assert.Equal([new InlineText(deep)], InlineMarkup.Parse(deep).ToArray());
        Assert.NotEqual(InlineMarkup.BlockShape("> x"), InlineMarkup.BlockShape(deep));
    }

    [Fact]
    public void MarkdownJustShallowEnoughCompilesAndRenders()
    {
        var text = "---\ntitle: M\nphase: main\nweek: 1\n---\n::: tip\n" + Deep("lists", 60) + ":::\n\n" + Deep("quotations", 120) + "\n[^1]\n\n[^1]: " + Deep("quoted lists", 30);
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", Program);
        t.File("modules/m.md", text);
        var graph = PackageTestData.Compile(t.Path);
        var options = PackageTestData.Options(t.Path, graph);
        Assert.NotEmpty(PackageWriter.Write(graph, options));
        Assert.NotEmpty(SpokenScript.For(graph, graph.Modules[0], "en").Segments);
    }

    [Theory]
    [InlineData("program.yaml", "title: P", "title: P\u0007x", 2, 8, "U+0007 (BEL)")]
    [InlineData("modules/m.md", "Text.", "Te\u001Bxt.", 5, 2, "U+001B (ESC)")]
    [InlineData("modules/m.md", "title: M", "title: \"M\u000C\"", 1, 9, "U+000C (FF)")]
    [InlineData("modules/m.md", "Text.", "Text.\u007F", 5, 5, "U+007F (DEL)")]
    [InlineData("modules/m.md", "Text.", "\u0093Text\u0094", 5, 0, "U+0093 (a C1 control)")]
    public void ControlCharactersAreReportedWhereTheyAre(string path, string find, string replace, int line, int column, string named)
    {
        var result = CompileWith(t =>
        {
            t.File("modules/m.md", Module.Replace(find, path == "modules/m.md" ? replace : find, StringComparison.Ordinal));
            if (path == "program.yaml") t.File("program.yaml", Program.Replace(find, replace, StringComparison.Ordinal));
        });
        Assert.Null(result.Graph);
        var error = Assert.Single(result.Diagnostics, d => d.Id == "CE0013");
        Assert.Equal((path, line, column), (error.Location.Path, error.Location.Line, error.Location.Column));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("delete it", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{id: a, type: choice, label: A, options: []}", "options")]
    [InlineData("{id: a, type: choice, label: A, multiple: true, options: []}", "options")]
    [InlineData("{id: a, type: table, label: A, columns: [], rows: 2}", "columns")]
    [InlineData("{id: a, type: table, label: A, columns: [{id: c, type: text, label: C}], rows: []}", "rows")]
    [InlineData("{id: a, type: target, label: A, areas: [], rings: 3}", "areas")]
    public void AFieldWithAnEmptyListIsReportedAndConditionsOnItDoNotThrow(string field, string key)
    {
        var result = CompileWith(t =>
        {
            t.File("worksheets/w.md", $"---\ntitle: W\nkind: questionnaire\nfields:\n  - {field}\n---\n");
            t.File("modules/m.md", "---\ntitle: M\nphase: main\nweek: 1\noptional: true\noffer_when: 'w.a == 1'\noffer_reason: R\n---\n" +
                "::: if {when=\"w.a == 'x' or w.a != 2 or answered(w)\"}\nx\n:::\n\n::: worksheet {ref=w}\n:::\n");
        });
        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(("CE0104", "worksheets/w.md", 4), (error.Id, error.Location.Path, error.Location.Line));
        Assert.StartsWith($"'{key}' must list at least one", error.Message, StringComparison.Ordinal);
    }
}

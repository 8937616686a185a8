using System.Text;
using ContentEngine.Compilation;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;

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
}

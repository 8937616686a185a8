using System.Text.RegularExpressions;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;

namespace ContentEngine.Tests;

/// <summary>
/// Keeps the diagnostics catalogue (docs/diagnostics) honest: every code has a page whose title and
/// severity match its descriptor, every page belongs to a code, and every page's example, laid over
/// docs/diagnostics/example-base, makes the compiler report that code, exactly as the page's
/// <c>```text output</c> block says; the page's fix, laid over the example, compiles clean.
///
/// The example's blocks are applied by their info string (see docs/diagnostics/README.md):
/// <c>file=path</c> writes the block's text to that file of the program (with <c>encoding=nul</c>, a NUL
/// byte is appended: binary content cannot be written in Markdown; with <c>encoding=escaped</c>, each <c>\uXXXX</c>
/// is written as that character, for control characters a page cannot show); <c>delete=path</c> removes the file;
/// <c>output</c> holds the diagnostics the compiler reports, in the plain form of
/// <see cref="DiagnosticFormatter.Plain"/>.
///
/// When a message changes on purpose, run the tests with UPDATE_CATALOGUE=1, for example
/// <c>UPDATE_CATALOGUE=1 dotnet test tests/ContentEngine.Tests --filter DiagnosticCatalogueTests</c>:
/// each page's output block is then rewritten instead of compared. Read the diff before keeping it.
/// </summary>
public sealed partial class DiagnosticCatalogueTests
{
    private static readonly CompilerOptions Options = new() { Today = new DateOnly(2026, 6, 1) };

    /// <summary>The examples are compiled in a folder of this name (it shows in CE0007's message).</summary>
    private const string ProgramFolderName = "example-program";

    private static string CatalogueRoot => TestPaths.Repo("docs", "diagnostics");
    private static string ExampleBase => Path.Combine(CatalogueRoot, "example-base");
    private static bool Updating => Environment.GetEnvironmentVariable("UPDATE_CATALOGUE") == "1";

    [GeneratedRegex(@"^CE\d{4}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^# (?<id>CE\d{4}): (?<title>.+)$")]
    private static partial Regex TitleLine();

    [GeneratedRegex(@"^Severity: (?<severity>\S+)$")]
    private static partial Regex SeverityLine();

    [GeneratedRegex(@"^(?<fence>`{3,}|~{3,})(?<info>.*)$")]
    private static partial Regex FenceOpen();

    [GeneratedRegex(@"\\u([0-9A-Fa-f]{4})")]
    private static partial Regex Escape();

    [GeneratedRegex(@"\b(?:error|warning|note) (?<id>CE\d{4}):")]
    private static partial Regex ReportedCode();

    // ---- the catalogue against the descriptors ----

    [Fact]
    public void EveryDescriptorHasAPageWithItsTitleAndSeverity()
    {
        var problems = new List<string>();
        foreach (var d in DiagnosticDescriptors.All)
        {
            var path = Path.Combine(CatalogueRoot, d.Id + ".md");
            if (!File.Exists(path))
            {
                problems.Add($"{d.Id} ({d.Title}) has no page docs/diagnostics/{d.Id}.md");
                continue;
            }
            var page = CataloguePage.Read(path);
            var title = $"# {d.Id}: {d.Title}";
            if (page.Lines.Length == 0 || page.Lines[0] != title)
                problems.Add($"{d.Id}.md: the first line must be '{title}', not '{page.Lines.FirstOrDefault()}'");
            var severity = SeverityName(d.Severity);
            if (page.Severity != severity)
                problems.Add($"{d.Id}.md: needs the line 'Severity: {severity}'" + (page.Severity is null ? "" : $", not 'Severity: {page.Severity}'"));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EveryPageHasADescriptor()
    {
        var known = DiagnosticDescriptors.All.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var stale = PageIds().Where(id => !known.Contains(id)).ToList();
        Assert.True(stale.Count == 0, $"pages for codes the compiler does not have (remove them, codes are never reused): {string.Join(", ", stale)}");
    }

    [Fact]
    public void TheReadmeListsEveryCode()
    {
        var readme = Normalize(File.ReadAllText(Path.Combine(CatalogueRoot, "README.md")));
        var missing = DiagnosticDescriptors.All
            .Where(d => !readme.Contains($"[{d.Id}]({d.Id}.md)", StringComparison.Ordinal) || !readme.Contains(d.Title, StringComparison.Ordinal))
            .Select(d => $"{d.Id} ({d.Title})")
            .ToList();
        Assert.True(missing.Count == 0, $"docs/diagnostics/README.md does not list, as [CE…](CE….md) with its title: {string.Join(", ", missing)}");
    }

    [Fact]
    public void CodesInGoldenFilesHavePages()
    {
        var programs = TestPaths.Repo("tests", "programs");
        if (!Directory.Exists(programs)) return;
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var expected in Directory.EnumerateFiles(programs, "expected.txt", SearchOption.AllDirectories))
            foreach (Match m in ReportedCode().Matches(File.ReadAllText(expected)))
                if (!File.Exists(Path.Combine(CatalogueRoot, m.Groups["id"].Value + ".md")))
                    missing.Add($"{m.Groups["id"].Value} (in {Path.GetRelativePath(TestPaths.RepoRoot, expected).Replace('\\', '/')})");
        Assert.True(missing.Count == 0, $"codes in golden files with no catalogue page: {string.Join(", ", missing)}");
    }

    // ---- the examples ----

    [Fact]
    public void TheExampleBaseCompilesClean()
    {
        using var temp = new TestPaths.TempFolder();
        var folder = CopyBase(temp);
        var result = ProgramCompiler.Compile(folder, Options);
        Assert.True(result.Diagnostics.IsEmpty, "docs/diagnostics/example-base must compile with no diagnostics:\n" + DiagnosticFormatter.Plain(result.Diagnostics));
        Assert.NotNull(result.Graph);
    }

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var id in PageIds()) data.Add(id);
        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void TheExampleReportsItsCode(string id)
    {
        var page = CataloguePage.Read(Path.Combine(CatalogueRoot, id + ".md"));
        Assert.True(page.Example.Any(b => b.Applies), $"{id}.md: '## Example' needs at least one block with file= or delete=");
        using var temp = new TestPaths.TempFolder();
        var folder = CopyBase(temp);
        Apply(page, page.Example, folder);

        var result = ProgramCompiler.Compile(folder, Options);
        var reported = DiagnosticFormatter.Plain(result.Diagnostics);
        Assert.True(result.Diagnostics.Any(d => d.Id == id), $"{id}.md: the example does not report {id}; it reports:\n{(reported.Length == 0 ? "nothing\n" : reported)}");
        var descriptor = DiagnosticDescriptors.All.FirstOrDefault(d => d.Id == id);
        if (descriptor?.Severity == DiagnosticSeverity.Error)
            Assert.True(result.Graph is null, $"{id}.md: {id} is an error, yet the example compiled to a program graph");

        var outputs = page.Example.Where(b => b.IsOutput).ToList();
        Assert.True(outputs.Count <= 1, $"{id}.md: '## Example' has more than one output block");
        if (Updating)
        {
            page.WriteOutput(reported);
            return;
        }
        Assert.True(outputs.Count == 1, $"{id}.md: '## Example' needs a ```text output block with what the compiler reports (UPDATE_CATALOGUE=1 writes it):\n{reported}");
        Assert.True(outputs[0].Text == reported,
            $"{id}.md: the output block (line {outputs[0].OpenLine + 1}) differs from what the compiler reports; if the change is intended, run with UPDATE_CATALOGUE=1 or paste:\n```text output\n{reported}```");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void TheFixCompilesClean(string id)
    {
        var page = CataloguePage.Read(Path.Combine(CatalogueRoot, id + ".md"));
        Assert.True(page.Fix.Any(b => b.Applies), $"{id}.md: '## Fix' needs at least one block with file= or delete=");
        Assert.DoesNotContain(page.Fix, b => b.IsOutput);
        using var temp = new TestPaths.TempFolder();
        var folder = CopyBase(temp);
        Apply(page, page.Example, folder);
        Apply(page, page.Fix, folder);

        var result = ProgramCompiler.Compile(folder, Options);
        Assert.True(result.Diagnostics.IsEmpty, $"{id}.md: the example with its fix still reports:\n{DiagnosticFormatter.Plain(result.Diagnostics)}");
    }

    // ---- helpers ----

    private static string SeverityName(DiagnosticSeverity severity) => severity.Name();

    private static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static IEnumerable<string> PageIds() =>
        Directory.Exists(CatalogueRoot)
            ? Directory.EnumerateFiles(CatalogueRoot, "*.md").Select(Path.GetFileNameWithoutExtension).OfType<string>()
                .Where(n => CodePattern().IsMatch(n)).Order(StringComparer.Ordinal)
            : [];

    private static string CopyBase(TestPaths.TempFolder temp)
    {
        var target = Path.Combine(temp.Path, ProgramFolderName);
        foreach (var file in Directory.EnumerateFiles(ExampleBase, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(ExampleBase, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    private static void Apply(CataloguePage page, IEnumerable<CodeBlock> blocks, string folder)
    {
        foreach (var block in blocks.Where(b => !b.IsOutput))
        {
            var where = $"{page.Id}.md line {block.OpenLine + 1}";
            Assert.True(block.File is null != (block.Delete is null), $"{where}: a block needs exactly one of file=, delete= or output, not '{block.Info}'");
            var relative = block.File ?? block.Delete!;
            Assert.True(IsProgramPath(relative), $"{where}: '{relative}' must be a relative path inside the program, with forward slashes");
            var full = Path.Combine(folder, relative);
            if (block.Delete is not null)
            {
                Assert.True(File.Exists(full), $"{where}: delete={relative}, but the program has no such file");
                File.Delete(full);
                continue;
            }
            var encoding = block.Attributes.GetValueOrDefault("encoding");
            Assert.True(encoding is null or "nul" or "escaped", $"{where}: the encodings are 'nul' (the text with a NUL byte appended) and 'escaped' (\\uXXXX stands for that character), not '{encoding}'");
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, encoding switch
            {
                "nul" => block.Text + "\0",
                "escaped" => Escape().Replace(block.Text, m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString()),
                _ => block.Text,
            });
        }
    }

    private static bool IsProgramPath(string path) =>
        path.Length > 0 && !Path.IsPathRooted(path) && !path.Contains('\\') && !path.Contains(':')
        && path.Split('/').All(s => s.Length > 0 && s != "." && s != "..");

    /// <summary>A fenced code block of a page: its info string and its text.</summary>
    private sealed record CodeBlock(string Info, IReadOnlyDictionary<string, string> Attributes, IReadOnlySet<string> Flags, IReadOnlyList<string> Body, int OpenLine, int CloseLine)
    {
        public string? File => Attributes.GetValueOrDefault("file");
        public string? Delete => Attributes.GetValueOrDefault("delete");
        public bool IsOutput => Flags.Contains("output");
        public bool Applies => File is not null || Delete is not null;

        /// <summary>The file's text: the block's lines, each ending in a newline (an empty block is an empty file).</summary>
        public string Text => string.Concat(Body.Select(l => l + "\n"));
    }

    /// <summary>A catalogue page: its title, severity, and the blocks of its Example and Fix sections.</summary>
    private sealed class CataloguePage
    {
        private CataloguePage(string path, string[] lines)
        {
            Path = path;
            Lines = lines;
        }

        public string Path { get; }
        public string Id => System.IO.Path.GetFileNameWithoutExtension(Path);
        public string[] Lines { get; }
        public string? Severity { get; private set; }
        public List<CodeBlock> Example { get; } = [];
        public List<CodeBlock> Fix { get; } = [];
        private int _exampleEnd = -1;

        public static CataloguePage Read(string path)
        {
            var text = Normalize(System.IO.File.ReadAllText(path));
            if (text.EndsWith('\n')) text = text[..^1];
            var page = new CataloguePage(path, text.Split('\n'));
            page.Parse();
            return page;
        }

        private void Parse()
        {
            string? section = null;
            for (var i = 0; i < Lines.Length; i++)
            {
                var line = Lines[i];
                if (SeverityLine().Match(line) is { Success: true } s && section is null && Severity is null)
                    Severity = s.Groups["severity"].Value;
                if (line.StartsWith("## ", StringComparison.Ordinal))
                {
                    if (section == "Example") _exampleEnd = i;
                    section = line[3..].Trim();
                    continue;
                }
                if (FenceOpen().Match(line) is not { Success: true } open) continue;
                var fence = open.Groups["fence"].Value;
                var start = i;
                var body = new List<string>();
                for (i++; i < Lines.Length && !IsClosing(Lines[i], fence); i++) body.Add(Lines[i]);
                var block = ParseInfo(open.Groups["info"].Value.Trim(), body, start, i);
                if (section == "Example") Example.Add(block);
                else if (section == "Fix") Fix.Add(block);
            }
            if (section == "Example") _exampleEnd = Lines.Length;
        }

        private static bool IsClosing(string line, string fence)
        {
            var t = line.TrimEnd();
            return t.Length >= fence.Length && t.All(c => c == fence[0]);
        }

        private static CodeBlock ParseInfo(string info, List<string> body, int open, int close)
        {
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            var flags = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (token, index) in info.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select((t, n) => (t, n)))
            {
                var eq = token.IndexOf('=');
                if (eq > 0) attributes[token[..eq]] = token[(eq + 1)..];
                else if (index > 0) flags.Add(token);   // the first word is the language
            }
            return new CodeBlock(info, attributes, flags, body, open, close);
        }

        /// <summary>Replaces (or adds, at the end of the Example section) the output block and saves the page.</summary>
        public void WriteOutput(string reported)
        {
            var fresh = new List<string> { "```text output" };
            fresh.AddRange(reported.TrimEnd('\n').Split('\n'));
            fresh.Add("```");
            var lines = Lines.ToList();
            if (Example.FirstOrDefault(b => b.IsOutput) is { } old)
            {
                lines.RemoveRange(old.OpenLine, old.CloseLine - old.OpenLine + 1);
                lines.InsertRange(old.OpenLine, fresh);
            }
            else
            {
                var at = _exampleEnd;
                while (at > 0 && lines[at - 1].Length == 0) at--;
                lines.RemoveRange(at, _exampleEnd - at);
                lines.InsertRange(at, ["", "The compiler reports:", "", .. fresh, .. (at < lines.Count ? new[] { "" } : [])]);
            }
            System.IO.File.WriteAllText(Path, string.Join("\n", lines) + "\n");
        }
    }
}

using System.Reflection;
using System.Text;
using ContentEngine.Cli;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ContentEngine.Tests;

/// <summary>
/// Every <c>```csharp</c> block of the documents a platform developer reads is compiled against
/// ContentEngine.Runtime (and .NET) alone, and run, in a folder holding the sample's package
/// (<c>iact-chronic-pain-1.0.0.cepkg</c>, built with its web bundle as <c>build --web --package</c>
/// makes it), the 1.1.0 that section 15 of docs/package-format.md migrates to, and every file a block
/// of the documents marked <c>file=&lt;name&gt;</c> gives. A <c>```text output</c> block after an
/// example is what it must print; a <c>```text command</c> block begins with <c>$ contentengine …</c>
/// and is what that command prints there. In both, a line holding only <c>…</c> stands for any lines.
/// A block opts out only as <c>```csharp no-run</c>, and must then be listed in <see cref="OptedOut"/>.
/// </summary>
[Collection(DocExampleCollection.Name)]
public sealed class DocExampleTests(DocExampleFixture f) : IClassFixture<DocExampleFixture>
{
    /// <summary>The documents whose examples run.</summary>
    internal static readonly string[] Documents = ["docs/package-format.md", "src/ContentEngine.Runtime/README.md"];

    /// <summary>The blocks marked <c>no-run</c>, as <c>document:line</c>, and why.</summary>
    private static readonly Dictionary<string, string> OptedOut = new(StringComparer.Ordinal);

    public static TheoryData<string> Examples() => [.. DocBlocks.All().Where(b => b.Language == "csharp" && !b.Has("no-run")).Select(b => b.Where)];

    public static TheoryData<string> Commands() => [.. DocBlocks.All().Where(b => b.Language == "text" && b.Has("command")).Select(b => b.Where)];

    [Theory]
    [MemberData(nameof(Examples))]
    public void TheExampleCompilesAndRuns(string where)
    {
        var block = DocBlocks.All().Single(b => b.Where == where);
        var assembly = DocExampleRunner.Compile(block);
        using var folder = f.Folder();
        var (output, error) = DocExampleRunner.Run(assembly, folder.Path, where);
        Assert.True(error.Length == 0, $"{where} wrote to the error output:\n{error}");
        if (DocBlocks.OutputOf(block) is { } expected)
            DocBlocks.AssertShows(expected, output);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task TheCommandPrintsWhatTheDocumentShows(string where)
    {
        var block = DocBlocks.All().Single(b => b.Where == where);
        var lines = block.Text.Split('\n');
        Assert.True(lines[0].StartsWith("$ contentengine ", StringComparison.Ordinal), $"{where}: a command block begins with '$ contentengine '");
        using var folder = f.Folder();
        var args = lines[0]["$ contentengine ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a.EndsWith(".cepkg", StringComparison.Ordinal) ? Path.Combine(folder.Path, a) : a).ToArray();
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        await CommandLine.RunAsync(args, stdout, stderr);
        DocBlocks.AssertShows(block with { Text = string.Join('\n', lines[1..]) }, stdout.ToString() + stderr);
    }

    [Fact]
    public void EveryExampleRunsOrIsListedAsOptedOut()
    {
        var blocks = DocBlocks.All().Where(b => b.Language == "csharp").ToList();
        Assert.True(blocks.Count >= 6, $"only {blocks.Count} examples found in {string.Join(", ", Documents)}");
        var optedOut = blocks.Where(b => b.Has("no-run")).Select(b => b.Where).ToList();
        Assert.True(optedOut.Order(StringComparer.Ordinal).SequenceEqual(OptedOut.Keys.Order(StringComparer.Ordinal)),
            $"blocks marked no-run: {(optedOut.Count == 0 ? "none" : string.Join(", ", optedOut))}; listed in DocExampleTests.OptedOut: " +
            (OptedOut.Count == 0 ? "none" : string.Join(", ", OptedOut.Keys)) + ". List each with the reason it cannot run.");
        Assert.Equal(blocks.Count, ((IEnumerable<object[]>)Examples()).Count() + optedOut.Count);
        // Each file the documents give is named once; each output block follows an example.
        var files = DocBlocks.All().Select(b => b.File).OfType<string>().ToList();
        Assert.Equal(files.Distinct(StringComparer.Ordinal).Count(), files.Count);
        foreach (var doc in Documents)
        {
            var all = DocBlocks.All().Where(b => b.Document == doc).ToList();
            foreach (var output in all.Where(b => b.Has("output")))
                Assert.True(all.Where(b => b.Line < output.Line).LastOrDefault(b => b.Language == "csharp" || b.Has("output")) is { Language: "csharp" },
                    $"{output.Where}: an output block must follow a csharp example");
        }
    }
}

/// <summary>Runs its tests alone: the examples write to the console and read files from the current folder.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DocExampleCollection
{
    public const string Name = "documentation examples, alone";
}

/// <summary>The packages the examples open, built once: the sample's with its web bundle, by the command line, and the 1.1.0 of section 15.</summary>
public sealed class DocExampleFixture : IDisposable
{
    private readonly TestPaths.TempFolder _temp = new();
    private readonly string _v1;
    private readonly string _v2;

    public DocExampleFixture()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = CommandLine.RunAsync(["build", PackageTestData.SampleFolder, "--web", "--package", "-o", Path.Combine(_temp.Path, "out")], stdout, stderr)
            .GetAwaiter().GetResult();
        Assert.True(code == 0, $"build of the sample failed:\n{stdout}{stderr}");
        _v1 = Path.Combine(_temp.Path, "out", "iact-chronic-pain-1.0.0.cepkg");
        var v2 = Path.Combine(_temp.Path, "v2");
        PackageTestData.CopyFolder(PackageTestData.SampleFolder, v2);
        MigrationFixture.MakeVersion2(v2);
        _v2 = Path.Combine(_temp.Path, "iact-chronic-pain-1.1.0.cepkg");
        File.WriteAllBytes(_v2, PackageTestData.Build(v2).Bytes);
    }

    /// <summary>A fresh folder with both packages and the files the documents give.</summary>
    public TestPaths.TempFolder Folder()
    {
        var folder = new TestPaths.TempFolder();
        File.Copy(_v1, Path.Combine(folder.Path, Path.GetFileName(_v1)));
        File.Copy(_v2, Path.Combine(folder.Path, Path.GetFileName(_v2)));
        foreach (var b in DocBlocks.All().Where(b => b.File is not null))
            folder.File(b.File!, b.Text + "\n");
        return folder;
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>Compiles an example against .NET and ContentEngine.Runtime, as a platform's program would be, and runs it.</summary>
internal static class DocExampleRunner
{
    /// <summary>The usings a new console project has (ImplicitUsings).</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    /// <summary>.NET's own assemblies and ContentEngine.Runtime: nothing else of the engine.</summary>
    private static readonly Lazy<List<MetadataReference>> References = new(() =>
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == framework)
            .Append(typeof(ContentEngine.Runtime.Packaging.ProgramPackage).Assembly.Location);
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    public static Assembly Compile(DocBlock block)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var code = CSharpSyntaxTree.ParseText($"#line {block.Line + 1} \"{block.Document}\"\n{block.Text}\n", parse, path: block.Document);
        var compilation = CSharpCompilation.Create("DocExample", [CSharpSyntaxTree.ParseText(ImplicitUsings, parse), code], References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        var problems = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && d.WarningLevel <= 4)).ToList();
        Assert.True(result.Success && problems.Count == 0, $"{block.Where} does not compile cleanly:\n" + string.Join("\n", problems.Select(d => d.ToString())));
        return Assembly.Load(stream.ToArray());
    }

    /// <summary>Runs the example's top-level statements in <paramref name="folder"/>, returning what it wrote to the output and the error output.</summary>
    public static (string Output, string Error) Run(Assembly assembly, string folder, string where)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var (previousOut, previousError, previousFolder) = (Console.Out, Console.Error, Environment.CurrentDirectory);
        Console.SetOut(output);
        Console.SetError(error);
        Environment.CurrentDirectory = folder;
        try
        {
            var entry = assembly.EntryPoint!;
            var result = entry.Invoke(null, entry.GetParameters().Length == 0 ? [] : [Array.Empty<string>()]);
            if (result is Task task) task.GetAwaiter().GetResult();
        }
        catch (TargetInvocationException e)
        {
            Assert.Fail($"{where} threw {e.InnerException}");
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
            Environment.CurrentDirectory = previousFolder;
        }
        return (output.ToString(), error.ToString());
    }
}

/// <summary>A fenced block of a document: its language and the words after it, its first line (the fence's) and its text.</summary>
internal sealed record DocBlock(string Document, int Line, string Language, string[] Words, string Text)
{
    public string Where => $"{Document}:{Line}";

    public bool Has(string word) => Words.Contains(word, StringComparer.Ordinal);

    /// <summary>The name after <c>file=</c>: the block is a file the examples of its document read.</summary>
    public string? File => Words.FirstOrDefault(w => w.StartsWith("file=", StringComparison.Ordinal))?["file=".Length..];
}

internal static class DocBlocks
{
    private static readonly Lazy<List<DocBlock>> Blocks = new(() => [.. DocExampleTests.Documents.SelectMany(Read)]);

    public static IReadOnlyList<DocBlock> All() => Blocks.Value;

    private static IEnumerable<DocBlock> Read(string document)
    {
        var lines = System.IO.File.ReadAllText(TestPaths.Repo(document.Split('/'))).ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal) || lines[i].Length == 3) continue;
            var words = lines[i][3..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var end = Array.FindIndex(lines, i + 1, l => l == "```");
            Assert.True(end > i, $"{document}:{i + 1}: the block is not closed");
            yield return new DocBlock(document, i + 1, words[0], words[1..], string.Join('\n', lines[(i + 1)..end]));
            i = end;
        }
    }

    /// <summary>The <c>text output</c> block after an example, before the next example.</summary>
    public static DocBlock? OutputOf(DocBlock example) =>
        All().Where(b => b.Document == example.Document && b.Line > example.Line).TakeWhile(b => b.Language != "csharp").FirstOrDefault(b => b.Has("output"));

    /// <summary>The text printed is the block's, line by line (trailing spaces aside); a line of only <c>…</c> stands for any number of lines.</summary>
    public static void AssertShows(DocBlock expected, string printed)
    {
        var actual = printed.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToList();
        var wanted = expected.Text.TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.True(Matches(wanted, 0, actual, 0), $"{expected.Where} does not show what is printed. Printed:\n{string.Join('\n', actual)}\n\nShown:\n{string.Join('\n', wanted)}");
    }

    private static bool Matches(List<string> wanted, int w, List<string> actual, int a)
    {
        if (w == wanted.Count) return a == actual.Count;
        if (wanted[w].Trim() == "…")
        {
            for (var skip = a; skip <= actual.Count; skip++)
                if (Matches(wanted, w + 1, actual, skip)) return true;
            return false;
        }
        return a < actual.Count && wanted[w] == actual[a] && Matches(wanted, w + 1, actual, a + 1);
    }
}

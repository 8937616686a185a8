using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Output;

namespace ContentEngine.Tests;

/// <summary>Recompiling with a cache reuses what did not change and gives exactly what a fresh compilation gives.</summary>
public sealed class CompilationCacheTests
{
    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    private static void AssertSameAsFresh(string folder, CompilationResult cached)
    {
        var fresh = ProgramCompiler.Compile(folder);
        Assert.Equal(DiagnosticFormatter.Plain(fresh.Diagnostics), DiagnosticFormatter.Plain(cached.Diagnostics));
        Assert.Equal(fresh.Graph is null, cached.Graph is null);
        if (fresh.Graph is not null) Assert.Equal(GraphJson.Write(fresh.Graph), GraphJson.Write(cached.Graph!));
    }

    [Fact]
    public void AnEditRebuildsOnlyTheModuleItTouches()
    {
        using var t = new TestPaths.TempFolder();
        CopyDirectory(TestPaths.Repo("content", "iact-chronic-pain"), t.Path);
        var cache = new CompilationCache();
        var options = new CompilerOptions { Cache = cache };
        var first = ProgramCompiler.Compile(t.Path, options);
        Assert.NotNull(first.Graph);

        var again = ProgramCompiler.Compile(t.Path, options);
        Assert.All(first.Graph!.Modules.Zip(again.Graph!.Modules), p => Assert.Same(p.First, p.Second));
        AssertSameAsFresh(t.Path, again);

        var values = Path.Combine(t.Path, "modules", "values.md");
        File.WriteAllText(values, File.ReadAllText(values).Replace("\n---\n", "\n---\n\nEtt nytt stycke.\n\n"));
        var edited = ProgramCompiler.Compile(t.Path, options);
        foreach (var (before, after) in first.Graph.Modules.Zip(edited.Graph!.Modules))
        {
            if (after.Id == "values") Assert.NotSame(before, after);
            else Assert.Same(before, after);
        }
        Assert.Contains("Ett nytt stycke.", GraphJson.Write(edited.Graph));
        AssertSameAsFresh(t.Path, edited);
    }

    [Fact]
    public void BreakingAndFixingAFileGivesTheSameDiagnosticsAsAFreshCompilation()
    {
        using var t = new TestPaths.TempFolder();
        CopyDirectory(TestPaths.Repo("content", "iact-chronic-pain"), t.Path);
        var options = new CompilerOptions { Cache = new CompilationCache() };
        Assert.NotNull(ProgramCompiler.Compile(t.Path, options).Graph);

        var welcome = Path.Combine(t.Path, "modules", "welcome.md");
        var text = File.ReadAllText(welcome);
        File.WriteAllText(welcome, text.Replace("week: 1", "week: ["));
        var broken = ProgramCompiler.Compile(t.Path, options);
        Assert.Null(broken.Graph);
        AssertSameAsFresh(t.Path, broken);

        // Renaming a worksheet changes what every module may refer to: modules must be read again.
        File.WriteAllText(welcome, text);
        var fixedAgain = ProgramCompiler.Compile(t.Path, options);
        Assert.NotNull(fixedAgain.Graph);
        AssertSameAsFresh(t.Path, fixedAgain);
        var sheet = Path.Combine(t.Path, "worksheets", "pain-rating.md");
        File.WriteAllText(sheet, File.ReadAllText(sheet).Replace("id: intensity", "id: strength"));
        var renamed = ProgramCompiler.Compile(t.Path, options);
        Assert.Contains(renamed.Diagnostics, d => d.Id == "CE0302");
        AssertSameAsFresh(t.Path, renamed);
    }
}

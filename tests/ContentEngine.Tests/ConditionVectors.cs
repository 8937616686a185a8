using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;

namespace ContentEngine.Tests;

/// <summary>The shared condition vectors (tests/vectors/conditions.json) and the program they are compiled against, read once.</summary>
internal static class ConditionVectors
{
    public static readonly Lazy<(ProgramGraph Graph, JsonDocument Vectors)> Data = new(() =>
    {
        var vectors = JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("tests", "vectors", "conditions.json")));
        var program = vectors.RootElement.GetProperty("program").GetString()!;
        var result = ProgramCompiler.Compile(TestPaths.Repo("tests", "vectors", program));
        Assert.True(result.Graph is not null, DiagnosticFormatter.Plain(result.Diagnostics));
        return (result.Graph!, vectors);
    });

    /// <summary>A condition's text compiled against <paramref name="graph"/>'s worksheets and modules; the test fails when it does not compile.</summary>
    public static Runtime.Conditions.Expr Compile(ProgramGraph graph, string source)
    {
        var diagnostics = new DiagnosticBag();
        var condition = Conditions.ConditionCompiler.Compile(source, Conditions.ScalarPositions.Verbatim(new Text.SourceLocation("vector", 0, 0, 1)), ConditionVectorTests.ScopeOf(graph), diagnostics);
        Assert.True(condition is not null, $"'{source}' does not compile: {DiagnosticFormatter.Plain(diagnostics.Items)}");
        return condition!.Tree;
    }

    /// <summary>Every case's name, for [MemberData].</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in Data.Value.Vectors.RootElement.GetProperty("cases").EnumerateArray())
            data.Add(c.GetProperty("name").GetString()!);
        return data;
    }
}

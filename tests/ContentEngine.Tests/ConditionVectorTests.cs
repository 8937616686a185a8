using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Text;

namespace ContentEngine.Tests;

/// <summary>The C# evaluator, the reference semantics, against the shared vectors every evaluator must pass.</summary>
public sealed class ConditionVectorTests
{
    private static Lazy<(ProgramGraph Graph, JsonDocument Vectors)> Data => ConditionVectors.Data;

    public static TheoryData<string> Cases() => ConditionVectors.Names();

    public static ConditionScope ScopeOf(ProgramGraph graph) =>
        new(graph.Worksheets.ToDictionary(w => w.Id, StringComparer.Ordinal), graph.Modules.Select(m => m.Id).ToHashSet(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Vector(string name)
    {
        var (graph, vectors) = Data.Value;
        var c = vectors.RootElement.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var source = c.GetProperty("condition").GetString()!;
        var diagnostics = new DiagnosticBag();
        var condition = ConditionCompiler.Compile(source, ScalarPositions.Verbatim(new SourceLocation("vector", 0, 0, 1)), ScopeOf(graph), diagnostics);
        Assert.True(condition is not null, $"'{source}' does not compile: {DiagnosticFormatter.Plain(diagnostics.Items)}");
        Assert.DoesNotContain(diagnostics.Items, d => d.Severity == DiagnosticSeverity.Error);
        var state = PatientState.FromJson(c.GetProperty("state"));
        Assert.Equal(c.GetProperty("expected").GetBoolean(), Evaluator.IsTrue(condition!.Tree, state));
    }

    [Fact]
    public void VectorsAreManyAndNamedOnce()
    {
        var names = Data.Value.Vectors.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.True(names.Count >= 120, $"only {names.Count} vectors");
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains(true, Data.Value.Vectors.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("expected").GetBoolean()));
        Assert.Contains(false, Data.Value.Vectors.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("expected").GetBoolean()));
    }
}

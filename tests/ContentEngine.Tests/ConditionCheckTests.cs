using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Tests;

/// <summary>Type checks of conditions against a worksheet, and what the evaluator makes of unusual answers.</summary>
public sealed class ConditionCheckTests
{
    private const string Worksheet = """
        ---
        title: W
        fields:
          - id: pain
            type: scale
            label: Pain
            min: 0
            max: 10
          - id: sports
            type: choice
            label: Sports
            multiple: true
            options: [{value: 1, label: Walk}, {value: 2, label: Swim}]
          - id: areas
            type: choice
            label: Areas
            multiple: true
            options: [{value: sleep, label: Sleep}, {value: work, label: Work}]
          - id: leisure
            type: choice
            label: Leisure
            options: [{value: 0, label: "<30"}, {value: 30, label: "30-60"}, {value: 60, label: ">60"}]
          - id: target
            type: target
            label: Target
            required: true
            areas: [{id: work, label: Work}]
            rings: 4
        ---
        """;

    private static (Expr? Tree, IReadOnlyList<Diagnostic> Diagnostics) Compile(string condition)
    {
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [en]\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n");
        t.File("worksheets/w.md", Worksheet);
        t.File("modules/m.md", "---\ntitle: M\nphase: main\nweek: 1\n---\n::: worksheet {ref=w}\n:::\n");
        var result = ProgramCompiler.Compile(t.Path);
        Assert.True(result.Graph is not null, DiagnosticFormatter.Plain(result.Diagnostics));
        var bag = new DiagnosticBag();
        var compiled = ConditionCompiler.Compile(condition, ScalarPositions.Verbatim(new Text.SourceLocation("c", 0, 0, 1)), ConditionVectorTests.ScopeOf(result.Graph!), bag);
        return (compiled?.Tree, bag.Items);
    }

    private static PatientState State(string json) => PatientState.FromJson(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void NumericMultipleChoiceComparesWithItsOptionValues()
    {
        var (tree, diagnostics) = Compile("w.sports == 2");
        Assert.Empty(diagnostics);
        Assert.True(Evaluator.IsTrue(tree!, State("""{"answers": {"w": {"sports": [1, 2]}}}""")));
        Assert.False(Evaluator.IsTrue(tree!, State("""{"answers": {"w": {"sports": [1]}}}""")));

        (_, diagnostics) = Compile("w.sports == 3");
        Assert.Equal("CE0305", Assert.Single(diagnostics).Id);
    }

    [Theory]
    [InlineData("w.sports == \"2\"", "numbers are written without quotes: w.sports == 2")]
    [InlineData("w.sports != \"swim\"", "compare it with one of them: w.sports != 1")]
    [InlineData("w.areas == 1", "write the value in quotes: w.areas == 'sleep'")]
    [InlineData("w.sports > 1", "has no order")]
    public void AMultipleChoiceComparesOnlyWithAValueWrittenAsItsOptionsAre(string condition, string message)
    {
        var (tree, diagnostics) = Compile(condition);
        Assert.Null(tree);
        var error = Assert.Single(diagnostics);
        Assert.Equal("CE0303", error.Id);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void TextMultipleChoiceIsAmongTheSelected()
    {
        var (tree, diagnostics) = Compile("w.areas == \"sleep\"");
        Assert.Empty(diagnostics);
        Assert.True(Evaluator.IsTrue(tree!, State("""{"answers": {"w": {"areas": ["work", "sleep"]}}}""")));
        (tree, _) = Compile("w.areas != \"sleep\"");
        Assert.True(Evaluator.IsTrue(tree!, State("""{"answers": {"w": {"areas": []}}}""")));
        Assert.False(Evaluator.IsTrue(tree!, State("""{"answers": {"w": {}}}""")));
    }

    [Fact]
    public void OrderingANumericChoiceNeedsNoOptionValue()
    {
        var (tree, diagnostics) = Compile("w.leisure < 45");
        Assert.Empty(diagnostics);
        Assert.True(Evaluator.IsTrue(tree!, State("""{"answers": {"w": {"leisure": 30}}}""")));
        (_, diagnostics) = Compile("w.leisure == 45");
        Assert.Equal("CE0305", Assert.Single(diagnostics).Id);
    }

    [Theory]
    [InlineData("w.pain <= -1", 0, 12)]
    [InlineData("w.pain > 10", 0, 11)]
    [InlineData("11 <= w.pain", 0, 12)]
    [InlineData("w.pain == 12 or w.pain > 3", 0, 12)]
    public void ComparisonsThatCanNeverBeTrueAreWarned(string condition, int column, int length)
    {
        var (tree, diagnostics) = Compile(condition);
        Assert.NotNull(tree);
        var warning = Assert.Single(diagnostics);
        Assert.Equal(("CE0304", DiagnosticSeverity.Warning), (warning.Id, warning.Severity));
        Assert.Equal((column, length), (warning.Location.Column, warning.Location.Length));
    }

    [Fact]
    public void ATargetAnsweredWithAnObjectCountsAsAnswered()
    {
        var (tree, diagnostics) = Compile("answered(w)");
        Assert.Empty(diagnostics);
        Assert.True(Evaluator.IsTrue(tree!, State("""{"answers": {"w": {"target": {"work": 2}}}}""")));
        Assert.False(Evaluator.IsTrue(tree!, State("""{"answers": {"w": {"pain": 3}}}""")));
    }

    [Theory]
    [InlineData("w.target == 1", "CE0303")]
    [InlineData("w.pain == \"high\"", "CE0303")]
    [InlineData("w.pain", "CE0303")]
    [InlineData("w.pian > 3", "CE0302")]
    [InlineData("w.pain >", "CE0301")]
    [InlineData("1 < w.pain < 3", "CE0301")]
    public void MistakesGiveOneError(string condition, string code)
    {
        var (tree, diagnostics) = Compile(condition);
        Assert.Null(tree);
        Assert.Equal(code, Assert.Single(diagnostics).Id);
    }
}

using ContentEngine.Compilation;
using ContentEngine.Diagnostics;

namespace ContentEngine.Tests;

/// <summary>
/// Worksheets, fields, scoring and offers that cannot work: each mistake, made in a small program, gives one plain
/// error at its line, and nothing else.
/// </summary>
public sealed class WorksheetMistakeTests
{
    private const string Program = """
        id: p
        version: 1.0.0
        title: P
        locales: [en]
        phases:
          - id: treatment
            title: Treatment
            weeks: 2
          - id: aftercare
            title: Aftercare
            weeks: 4
            choose: {min: 0, max: 2}
        provider:
          name: The Clinic
          email: pain@example.org
        privacy: Answers stay in this browser.
        """;

    private const string Module = """
        ---
        title: Welcome
        phase: treatment
        week: 1
        ---
        Welcome.

        ::: worksheet {ref=w}
        Fill it in.
        :::

        ::: if {when="w.pain >= 7"}
        Go gently.
        :::
        """;

    private const string Fields = """
          - id: pain
            type: scale
            label: Pain
            min: 0
            max: 10
            step: 1
        """;

    private static string Worksheet(string fields, string extra = "") => $"---\ntitle: W\n{extra}fields:\n{fields}\n---\nAnswer.\n";

    private static IReadOnlyList<Diagnostic> Compile(params (string Path, string Text)[] files)
    {
        using var t = new TestPaths.TempFolder();
        var all = new Dictionary<string, string> { ["program.yaml"] = Program, ["modules/welcome.md"] = Module, ["worksheets/w.md"] = Worksheet(Fields) };
        foreach (var (path, text) in files) all[path] = text;
        foreach (var (path, text) in all) t.File(path, text);
        return ProgramCompiler.Compile(t.Path).Diagnostics;
    }

    /// <summary>The one error, which must have the code and lie on the 1-based line of the file, its message containing the text.</summary>
    private static Diagnostic OneError(IReadOnlyList<Diagnostic> diagnostics, string code, string file, int line, string text)
    {
        var error = Assert.Single(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(error.Id == code && error.Location.Path == file && error.Location.Line == line - 1 && error.Message.Contains(text, StringComparison.Ordinal),
            DiagnosticFormatter.Plain(diagnostics));
        return error;
    }

    [Fact]
    public void TheProgramCompilesClean() => Assert.Empty(Compile());

    [Fact]
    public void AWorksheetWithoutFields() =>
        OneError(Compile(("worksheets/w.md", "---\ntitle: W\nfields: []\n---\nAnswer.\n")), "CE0104", "worksheets/w.md", 3, "at least one field");

    [Fact]
    public void AChoiceWithoutOptions() =>
        OneError(Compile(("worksheets/w.md", Worksheet(Fields + "\n  - id: where\n    type: choice\n    multiple: true\n    label: Where\n    options: []"))),
            "CE0104", "worksheets/w.md", 14, "at least one option");

    [Theory]
    [InlineData("step: 1", "step: 0", 9, "must be greater than 0")]
    [InlineData("step: 1", "step: 3", 9, "does not divide the range from 0 to 10")]
    [InlineData("max: 10", "max: -2", 8, "must be greater than min (0)")]
    public void ARangeThatCannotWork(string from, string to, int line, string text) =>
        OneError(Compile(("worksheets/w.md", Worksheet(Fields.Replace(from, to, StringComparison.Ordinal)))), "CE0104", "worksheets/w.md", line, text);

    [Fact]
    public void AStepThatDividesTheRangeIsFine() =>
        Assert.Empty(Compile(("worksheets/w.md", Worksheet(Fields.Replace("step: 1", "step: 2.5", StringComparison.Ordinal)))));

    [Fact]
    public void OptionValuesOfBothKinds() =>
        OneError(Compile(("worksheets/w.md", Worksheet(Fields + "\n  - id: where\n    type: choice\n    label: Where\n    options:\n      - {value: 1, label: Back}\n      - {value: neck, label: Neck}"))),
            "CE0104", "worksheets/w.md", 15, "same kind of value");

    private static string Questionnaire(string bands) => $"""
        ---
        title: W
        kind: questionnaire
        fields:
        {Fields}
          - id: other
            type: scale
            label: Other
            min: 0
            max: 10
        scoring:
          scores:
            total: {"{"}sum: [pain, other]{"}"}
            average: {"{"}mean: [pain, other]{"}"}
          bands:
        {bands}
        ---
        Answer.
        """;

    [Theory]
    [InlineData("total", "{max: 5, label: Low}", "{max: 25, label: Mid}", 23, "at most 20")]
    [InlineData("average", "{max: 5, label: Low}", "{max: 10, label: Mid}", 23, "at most 10")]
    [InlineData("total", "{max: -1, label: Low}", "{max: 10, label: Mid}", 22, "below the lowest score 'total' can have (0)")]
    [InlineData("total", "{min: 0, max: 5, label: Low}", "{min: 6, max: 10, label: Mid}", 22, "the keys of a band are max and label")]
    public void BandsThatCannotWork(string score, string first, string second, int line, string text) =>
        OneError(Compile(("worksheets/w.md", Questionnaire($"    {score}:\n      - {first}\n      - {second}\n      - {{label: High}}"))), "CE0104", "worksheets/w.md", line, text);

    [Fact]
    public void BandsWithinReachAreFine() =>
        Assert.Empty(Compile(("worksheets/w.md", Questionnaire("    average:\n      - {max: 3, label: Low}\n      - {max: 9.5, label: Mid}\n      - {label: High}"))));

    [Fact]
    public void ADiaryLongerThanWhatItsPhaseHasLeft()
    {
        var diary = Worksheet(Fields, "kind: diary\nrepeat: daily\ndays: 21\n");
        var module = Module.Replace("::: if {when=\"w.pain >= 7\"}", "::: if {when=\"w.mean(pain) >= 7\"}", StringComparison.Ordinal);
        OneError(Compile(("worksheets/w.md", diary), ("modules/welcome.md", module)), "CE0211", "worksheets/w.md", 5, "only 2 weeks (14 days)");
        Assert.Empty(Compile(("worksheets/w.md", diary.Replace("days: 21", "days: 14", StringComparison.Ordinal)), ("modules/welcome.md", module)));
    }

    [Fact]
    public void ChooseWithMaxZero() =>
        OneError(Compile(("program.yaml", Program.Replace("max: 2", "max: 0", StringComparison.Ordinal))), "CE0104", "program.yaml", 12, "no patient may choose");

    [Fact]
    public void AnOfferWithoutItsReason()
    {
        const string optional = "---\ntitle: Extra\nphase: aftercare\nweek: 1\noptional: true\noffer_when: 'w.pain >= 5'\n---\nMore.\n";
        var diagnostics = Compile(("modules/extra.md", optional));
        OneError(diagnostics, "CE0102", "modules/extra.md", 6, "'offer_reason'");
        Assert.DoesNotContain(Compile(("modules/extra.md", optional.Replace("---\nMore", "offer_reason: Your pain is high.\n---\nMore", StringComparison.Ordinal))),
            d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void ConditionsReadingAWorksheetNoModulePlacesAreOneError()
    {
        var unplaced = Module.Replace("::: worksheet {ref=w}\nFill it in.\n:::\n", "", StringComparison.Ordinal) + "\n::: if {when=\"w.pain < 3\"}\nWell done.\n:::\n";
        var error = OneError(Compile(("modules/welcome.md", unplaced)), "CE0210", "modules/welcome.md", 9, "No module places the worksheet 'w'");
        Assert.Single(error.RelatedLocations);
    }

    [Fact]
    public void AWorksheetThatPlacesItself() =>
        OneError(Compile(("worksheets/w.md", Worksheet(Fields) + "\n::: worksheet {ref=w}\nAgain.\n:::\n")), "CE0408", "worksheets/w.md", 13, "inside itself");
}

using ContentEngine.Compilation;
using ContentEngine.Diagnostics;

namespace ContentEngine.Tests;

/// <summary>
/// What a clinician writes in file names, folders, front-matter values and directive headers: each mistake gives one
/// plain diagnostic at its line, on a small program of two modules, a worksheet and two languages.
/// </summary>
public sealed class SourceMistakeTests
{
    private const string Program = "id: p\nversion: 1.0.0\ntitle: {en: P, sv: P}\nlocales: [en, sv]\nphases:\n  - id: main\n    title: {en: Main, sv: Huvud}\n    weeks: 4\nprovider: {name: {en: The Clinic, sv: Kliniken}, email: pain@example.org}\nprivacy: {en: Answers stay in this browser., sv: Svaren sparas i webbläsaren.}\n";
    private const string Welcome = "---\ntitle: {en: Welcome, sv: Välkommen}\nphase: main\nweek: 1\nreview: {by: Anna, next: 2027-09-01}\n---\nHello.\n\n::: if {when=\"rating.pain >= 7\"}\nTake it slowly.\n:::\n\nNext: [values](module:values).\n";
    private const string WelcomeSv = "---\ntitle: Välkommen\n---\nHej.\n\n::: if {when=\"rating.pain >= 7\"}\nTa det lugnt.\n:::\n\nNästa: [värden](module:values).\n";
    private const string Values = "---\ntitle: {en: Values, sv: Värden}\nphase: main\nweek: 2\n---\nValues.\n\n::: worksheet {ref=rating}\nRate it.\n:::\n";
    private const string ValuesSv = "---\ntitle: Värden\n---\nVärden.\n\n::: worksheet {ref=rating}\nSkatta.\n:::\n";
    private const string Rating = "---\ntitle: {en: Rating, sv: Skattning}\nkind: form\nfields:\n  - id: pain\n    type: scale\n    label: {en: Pain, sv: Smärta}\n    min: 0\n    max: 10\n---\n";

    private static IReadOnlyList<Diagnostic> Check(params (string Path, string? Text)[] changes)
    {
        using var t = new TestPaths.TempFolder();
        var files = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["program.yaml"] = Program,
            ["modules/welcome.md"] = Welcome,
            ["modules/welcome.sv.md"] = WelcomeSv,
            ["modules/values.md"] = Values,
            ["modules/values.sv.md"] = ValuesSv,
            ["worksheets/rating.md"] = Rating,
        };
        foreach (var (path, text) in changes) files[path] = text;
        foreach (var (path, text) in files)
            if (text is not null) t.File(path, text);
        return ProgramCompiler.Compile(t.Path).Diagnostics;
    }

    private static Diagnostic One(IReadOnlyList<Diagnostic> diagnostics, string code, string path, int line, params string[] says)
    {
        var d = Assert.Single(diagnostics);
        Assert.Equal(code, d.Id);
        Assert.Equal(path, d.Location.Path);
        Assert.Equal(line, d.Location.Line + 1);
        foreach (var s in says) Assert.Contains(s, d.Message, StringComparison.Ordinal);
        return d;
    }

    [Fact]
    public void TheProgramItselfIsClean() => Assert.Empty(Check());

    [Theory]
    [InlineData("modules/values.MD", "rename it to 'modules/values.md'")]
    [InlineData("modules/values.markdown", "rename it to 'modules/values.md'")]
    [InlineData("modules/values.md.txt", "rename it to 'modules/values.md'")]
    [InlineData("module/values.md", "rename the folder to 'modules'")]
    public void AModuleFileTheCompilerWouldNotReadIsOneError(string path, string says) =>
        One(Check(("modules/values.md", null), (path, Values)), "CE0015", path, 1, "modules/*.md", says);

    [Fact]
    public void AWorksheetInModulesIsOneErrorSayingWhereToMoveIt() =>
        One(Check(("worksheets/rating.md", null), ("modules/rating.md", Rating)), "CE0016", "modules/rating.md", 1, "move it to worksheets/");

    [Fact]
    public void AKindInTheWrongCaseIsOneError() =>
        One(Check(("worksheets/rating.md", Rating.Replace("kind: form", "kind: Form"))), "CE0104", "worksheets/rating.md", 3, "write 'form'");

    [Fact]
    public void ADateThatDoesNotExistIsSaidSo() =>
        One(Check(("modules/welcome.md", Welcome.Replace("2027-09-01", "2026-02-30"))), "CE0104", "modules/welcome.md", 5, "does not exist", "February 2026 has 28 days");

    [Fact]
    public void ATranslationNamedWithACountryCodeSuggestsTheLanguage() =>
        One(Check(("modules/values.sv.md", null), ("modules/values.se.md", ValuesSv)), "CE0504", "modules/values.se.md", 1, "rename it to values.sv.md");

    [Fact]
    public void WordsAfterAOneLineMapAreOneError() =>
        One(Check(("modules/welcome.md", Welcome.Replace("2027-09-01}", "2027-09-01} more words"))), "CE0001", "modules/welcome.md", 5, "'more words' follow it");

    [Fact]
    public void APhaseWithNoWeeksIsOneErrorOnThePhase() =>
        One(Check(("program.yaml", Program.Replace("weeks: 4", "weeks: 0"))), "CE0104", "program.yaml", 8, "weeks");

    [Fact]
    public void ACommaInAOneLineLocaleMapSaysToQuoteTheText() =>
        One(Check(("program.yaml", Program.Replace("title: {en: P, sv: P}", "title: {sv: Ja, tack, en: Yes}"))), "CE0104", "program.yaml", 3,
            "title: {sv: \"Ja, tack\", en: Yes}");

    [Fact]
    public void ACommaInAMapATranslationFileAlsoGivesShowsTheLineAsWritten() =>
        // values.sv.md gives the Swedish title too: the message shows the author's line, not the merged texts.
        One(Check(("modules/values.md", Values.Replace("title: {en: Values, sv: Värden}", "title: {en: Yes, please, sv: Värderingar}"))), "CE0104", "modules/values.md", 2,
            "title: {en: \"Yes, please\", sv: Värderingar}");

    [Fact]
    public void AStrayClosingFenceSaysToRemoveTheLine() =>
        One(Check(("modules/values.md", Values + ":::\n\nMore.\n")), "CE0014", "modules/values.md", 11, "remove this line");

    [Theory]
    [InlineData("::: if {when=rating.pain >= 7}")]
    [InlineData("::: if rating.pain >= 7")]
    public void AConditionWithoutQuotesShowsTheLineWithThem(string written) =>
        One(Check(("modules/welcome.md", Welcome.Replace("::: if {when=\"rating.pain >= 7\"}", written))), "CE0408", "modules/welcome.md", 9,
            "::: if {when=\"rating.pain >= 7\"}");

    [Fact]
    public void AConditionHoldingItsOwnQuotesShowsTheOtherKind() =>
        One(Check(("worksheets/rating.md", Rating.Replace("    max: 10\n", "    max: 10\n  - id: mood\n    type: text\n    label: {en: Mood, sv: Humör}\n")),
                ("modules/welcome.md", Welcome.Replace("::: if {when=\"rating.pain >= 7\"}", "::: if {when=\"rating.mood == \"low\"\"}"))),
            "CE0408", "modules/welcome.md", 9, "::: if {when='rating.mood == \"low\"'}");
}

using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;

namespace ContentEngine.Tests;

/// <summary>Reusable parts: <c>snippets/</c> included with <c>::: include {ref=…}</c>, read where the include stands and checked there.</summary>
public sealed class SnippetTests
{
    private const string Program = "id: p\nversion: 1.0.0\ntitle: {sv: P, en: P}\nlocales: [sv, en]\nprovider: {name: {sv: Kliniken, en: The Clinic}, email: pain@example.org}\nprivacy: {sv: Svaren sparas i webbläsaren., en: Answers stay in this browser.}\nphases:\n  - id: main\n    title: {sv: Main, en: Main}\n    weeks: 2\n";

    private const string Safety = "::: safety\nOm smärtan plötsligt blir mycket värre, ring mottagningen.\n:::\n";
    private const string SafetyEn = "::: safety\nIf your pain suddenly gets much worse, call the clinic.\n:::\n";

    private static string Module(string title, int week, string body) => $"---\ntitle: {title}\nphase: main\nweek: {week}\n---\n\n{body}";

    private static string Translation(string title, string body) => $"---\ntitle: {title}\n---\n\n{body}";

    /// <summary>Two modules include the safety snippet, each with its English translation including the snippet's.</summary>
    private static void TwoModules(TestPaths.TempFolder t, string? safety = null)
    {
        t.File("program.yaml", Program);
        t.File("snippets/safety.md", safety ?? Safety);
        t.File("snippets/safety.en.md", SafetyEn);
        t.File("modules/welcome.md", Module("{sv: Välkommen, en: Welcome}", 1, "Läs i lugn och ro.\n\n::: include {ref=safety}\n\nVi ses nästa vecka.\n"));
        t.File("modules/welcome.en.md", Translation("Welcome", "Read at your own pace.\n\n::: include {ref=safety}\n\nSee you next week.\n"));
        t.File("modules/pacing.md", Module("{sv: Aktivitet, en: Pacing}", 2, "::: exercise {title=\"Planera\" minutes=5}\nPlanera veckan.\n\n::: include {ref=safety}\n:::\n"));
        t.File("modules/pacing.en.md", Translation("Pacing", "::: exercise {title=\"Plan\" minutes=5}\nPlan your week.\n\n::: include {ref=safety}\n:::\n"));
    }

    [Fact]
    public async Task ASnippetIncludedInTwoModulesIsInBothAsIfWrittenThere()
    {
        using var t = new TestPaths.TempFolder();
        TwoModules(t);
        var result = ProgramCompiler.Compile(t.Path);
        Assert.Empty(result.Diagnostics);
        var graph = result.Graph!;

        // In the graph: the safety message stands where the include stood, in the original and in the translation.
        var welcome = graph.Modules.Single(m => m.Id == "welcome").Content;
        Assert.Equal(["markdown", "safety", "markdown"], welcome["sv"].Blocks.Select(b => b is DirectiveBlock d ? d.Name : "markdown"));
        Assert.Contains("ring mottagningen", Assert.IsType<MarkdownBlock>(((DirectiveBlock)welcome["sv"].Blocks[1]).Children[0]).Markdown);
        Assert.Contains("call the clinic", Assert.IsType<MarkdownBlock>(((DirectiveBlock)welcome["en"].Blocks[1]).Children[0]).Markdown);
        var exercise = (DirectiveBlock)graph.Modules.Single(m => m.Id == "pacing").Content["en"].Blocks.Single();
        Assert.Equal("safety", ((DirectiveBlock)exercise.Children[1]).Name);
        // Its words count in the module's.
        Assert.Equal(5 + 8 + 4, welcome["sv"].Words);

        // On the web: both modules' pages, in both languages.
        using var output = new TestPaths.TempFolder();
        var (code, _, err) = await CliProcess.InProcess("build", t.Path, "--web", "-o", Path.Combine(output.Path, "out"));
        Assert.True(code == 0, err);
        foreach (var page in new[] { "welcome", "pacing" })
        {
            Assert.Contains("ring mottagningen", File.ReadAllText(Path.Combine(output.Path, "out", "web", "sv", "modules", page + ".html")));
            Assert.Contains("call the clinic", File.ReadAllText(Path.Combine(output.Path, "out", "web", "en", "modules", page + ".html")));
        }
    }

    [Fact]
    public void AProblemInASnippetIsReportedOnceAtItsLineWithTheIncludingLines()
    {
        using var t = new TestPaths.TempFolder();
        TwoModules(t, "Läs mer i [modulen](module:pacng).\n\n" + Safety);
        var d = Assert.Single(ProgramCompiler.Compile(t.Path).Diagnostics);
        Assert.Equal(DiagnosticDescriptors.UnknownModule.Id, d.Id);
        Assert.Equal(("snippets/safety.md", 0, 20), (d.Location.Path, d.Location.Line, d.Location.Column));
        Assert.Equal([("modules/pacing.md", 9), ("modules/welcome.md", 8)],
            d.RelatedLocations.Select(r => (r.Path, r.Line)).Order());
        Assert.EndsWith("did you mean 'module:pacing'? (in a snippet included at modules/pacing.md(10,18), modules/welcome.md(9,18))", d.Message);
    }

    private static IReadOnlyList<Diagnostic> Check(params (string Path, string Text)[] files)
    {
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", "id: p\nversion: 1.0.0\ntitle: P\nlocales: [sv]\nprovider: {name: Kliniken, email: pain@example.org}\nprivacy: Svaren sparas i webbläsaren.\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n");
        foreach (var (path, text) in files) t.File(path, text);
        return ProgramCompiler.Compile(t.Path).Diagnostics;
    }

    [Fact]
    public void AnUnknownSnippetIsAnErrorThatSuggestsTheClosest()
    {
        var d = Assert.Single(Check(("snippets/breathing.md", "Andas lugnt.\n"), ("modules/a.md", Module("A", 1, "::: include {ref=breathng}\n"))));
        Assert.Equal(("CE0440", "modules/a.md", 6, 17), (d.Id, d.Location.Path, d.Location.Line, d.Location.Column));
        Assert.Equal("There is no snippet 'breathng'; did you mean 'breathing'?", d.Message);

        d = Assert.Single(Check(("modules/a.md", Module("A", 1, "::: include {ref=breathing}\n"))));
        Assert.Equal("There is no snippet 'breathing'; the program has no snippets yet: write its text in snippets/breathing.md", d.Message);
    }

    [Fact]
    public void SnippetsThatIncludeEachOtherAreACycle()
    {
        var d = Assert.Single(Check(
            ("snippets/calm.md", "Släpp axlarna.\n\n::: include {ref=breathing}\n"),
            ("snippets/breathing.md", "Andas lugnt.\n\n::: include {ref=calm}\n"),
            ("modules/a.md", Module("A", 1, "::: include {ref=breathing}\n"))));
        Assert.Equal(("CE0441", "snippets/calm.md", 2), (d.Id, d.Location.Path, d.Location.Line));
        Assert.StartsWith("'breathing' is included inside itself (breathing includes calm includes breathing)", d.Message);

        d = Assert.Single(Check(("snippets/again.md", "Igen.\n\n::: include {ref=again}\n"), ("modules/a.md", Module("A", 1, "::: include {ref=again}\n"))));
        Assert.Equal(("CE0441", "snippets/again.md", 2), (d.Id, d.Location.Path, d.Location.Line));
    }

    [Fact]
    public void IncludesNestDeepestFourLevels()
    {
        var files = new List<(string, string)> { ("modules/a.md", Module("A", 1, "::: include {ref=s1}\n")) };
        for (var i = 1; i <= 4; i++) files.Add(($"snippets/s{i}.md", $"::: include {{ref=s{i + 1}}}\n"));
        files.Add(("snippets/s5.md", "Andas lugnt.\n"));
        var d = Assert.Single(Check([.. files]));
        Assert.Equal(("CE0442", "snippets/s4.md"), (d.Id, d.Location.Path));
        // Four deep is allowed (s5, left over, is unused).
        Assert.Equal(["CE0444"], Check([.. files.Where(f => f.Item1 != "snippets/s4.md"), ("snippets/s4.md", "Andas lugnt.\n")]).Select(x => x.Id));
    }

    [Fact]
    public void FrontMatterAndUnusedSnippetsAreWarnings()
    {
        var d = Assert.Single(Check(("snippets/breathing.md", "---\ntitle: Andning\n---\nAndas lugnt.\n"), ("modules/a.md", Module("A", 1, "::: include {ref=breathing}\n"))));
        Assert.Equal(("CE0443", DiagnosticSeverity.Warning, 0), (d.Id, d.Severity, d.Location.Line));

        d = Assert.Single(Check(("snippets/breathing.md", "Andas lugnt.\n"), ("modules/a.md", Module("A", 1, "Text.\n"))));
        Assert.Equal(("CE0444", DiagnosticSeverity.Warning, "snippets/breathing.md"), (d.Id, d.Severity, d.Location.Path));
    }

    [Fact]
    public void ASnippetIsCheckedWhereItIsIncluded()
    {
        // A safety message is fine on its own, but not inside an '::: if' (CE0411), also when it comes from a snippet.
        var files = new[] { ("worksheets/w.md", "---\ntitle: W\nfields:\n  - id: pain\n    type: scale\n    min: 0\n    max: 10\n    label: Smärta\n---\n"),
            ("snippets/safety.md", Safety) };
        Assert.Empty(Check([.. files, ("modules/a.md", Module("A", 1, "::: worksheet {ref=w}\n:::\n\n::: include {ref=safety}\n"))]));
        var d = Assert.Single(Check([.. files, ("modules/a.md", Module("A", 1, "::: worksheet {ref=w}\n:::\n\n::: if {when=\"w.pain >= 7\"}\n::: include {ref=safety}\n:::\n"))]));
        Assert.Equal(("CE0411", "snippets/safety.md", 0), (d.Id, d.Location.Path, d.Location.Line));
        Assert.EndsWith("(in a snippet included at modules/a.md(11,18))", d.Message);
    }

    [Fact]
    public void AnIncludeInAListItemIsRefused()
    {
        var d = Assert.Single(Check(("snippets/breathing.md", "Andas lugnt.\n"), ("modules/a.md", Module("A", 1, "- Först:\n\n  ::: include {ref=breathing}\n"))));
        Assert.Equal(("CE0408", 8), (d.Id, d.Location.Line));
        Assert.Contains("not in a list item", d.Message);
    }

    [Fact]
    public void ATranslatedModuleWarnsOnceWhenItsSnippetIsNotTranslated()
    {
        using var t = new TestPaths.TempFolder();
        TwoModules(t);
        File.Delete(Path.Combine(t.Path, "snippets", "safety.en.md"));
        var d = Assert.Single(ProgramCompiler.Compile(t.Path).Diagnostics);
        Assert.Equal(("CE0502", "snippets/safety.md"), (d.Id, d.Location.Path));
        Assert.StartsWith("The snippet 'safety' has no 'en' translation", d.Message);
    }
}

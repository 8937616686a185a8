using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Exploration;
using ContentEngine.Model;
using ContentEngine.Output;
using ContentEngine.Rendering.Fhir;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Tests;

/// <summary>
/// Directives in list items and quotes as the rest of the engine sees them: the explorer tries their conditions and
/// finds their safety messages, FHIR turns them into items and actions, graph.json lists them, and a safety message
/// in a list item inside an <c>::: if</c> is refused as it is at the top level.
/// </summary>
public sealed class NestedDirectiveUseTests : IDisposable
{
    private readonly TestPaths.TempFolder _program = new();

    public NestedDirectiveUseTests()
    {
        NestedDirectiveTests.WriteProgram(_program, "Rate your mood.\n\n- When it is high:\n\n  ::: if {when=\"mood.score >= 8\"}\n  Glad to hear it.\n  :::\n");
        _program.File("modules/place.md", "---\nid: place\ntitle: Place\nphase: treatment\nweek: 1\n---\n\n::: worksheet {ref=mood}\n:::\n");
    }

    public void Dispose() => _program.Dispose();

    private CompilationResult Compile(string body, bool optional = false)
    {
        _program.File("modules/m.md", $"---\nid: m\ntitle: Module\nphase: treatment\nweek: 2\noptional: {(optional ? "true" : "false")}\n---\n\n" + body);
        return ProgramCompiler.Compile(_program.Path);
    }

    private ProgramGraph Graph(string body, bool optional = false)
    {
        var result = Compile(body, optional);
        return result.HasErrors ? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics)) : result.Graph!;
    }

    [Fact]
    public void AConditionInAListItemIsCheckedKeptFromEveryoneAndExplored()
    {
        // The list item that once compiled with no warning, showed its text to everyone and put onclick into the page.
        var broken = Compile("- Late in the program\n\n  :::: if {when=\"week >= 99\" onclick=\"alert(1)\"}\n  ::: worksheet {ref=nowhere}\n  :::\n  ::::\n");
        Assert.Contains(broken.Diagnostics, d => d.Id == DiagnosticDescriptors.DirectiveAttribute.Id && d.Message.Contains("'onclick'", StringComparison.Ordinal));
        Assert.Contains(broken.Diagnostics, d => d.Id == DiagnosticDescriptors.UnknownWorksheet.Id && d.Location.Line == 11);

        var graph = Graph("- Late in the program\n\n  ::: if {when=\"week >= 99\"}\n  See you then.\n  :::\n");
        var html = new ContentHtml(new PageContext(graph, "en", "en/modules/m.html", Theme.Load(_program.Path))).RenderBody(graph.FindModule("m")!.Content["en"].Blocks);
        Assert.Contains("<li><p>Late in the program</p>\n<div class=\"ce-if\" data-condition=", html);
        Assert.Contains(" hidden>\n<p>See you then.</p>\n</div>\n</li>", html);

        var exploration = ProgramExplorer.Explore(graph);
        var never = Assert.Single(exploration.Findings, f => f.Id == DiagnosticDescriptors.BlockNever.Id);
        Assert.Equal((10, 16), (never.Location.Line, never.Location.Column));
    }

    [Fact]
    public void ASafetyMessageInAListItemInsideAConditionIsRefused()
    {
        var result = Compile("::::: if {when=\"mood.score >= 5\"}\n- Take care\n\n  ::: safety\n  Call 112.\n  :::\n:::::\n");
        var error = Assert.Single(result.Diagnostics, d => d.Id == DiagnosticDescriptors.ConditionalSafety.Id);
        Assert.Equal((11, 6), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void TheExplorerFindsASafetyMessageInAQuoteOfAnOptionalModule()
    {
        var graph = Graph("> A word of care\n>\n> ::: safety\n> Call 112 if the pain is sudden and severe.\n> :::\n", optional: true);
        var finding = Assert.Single(ProgramExplorer.Explore(graph).Findings, f => f.Id == DiagnosticDescriptors.SafetyNotPassed.Id);
        Assert.Equal(10, finding.Location.Line);
    }

    [Fact]
    public void FhirGivesANestedConditionItsItemAndANestedPlacementItsAction()
    {
        var graph = Graph("- Now and then:\n\n  :::: if {when=\"mood.score >= 3\"}\n  ::: worksheet {ref=mood}\n  :::\n  ::::\n");
        var questionnaire = FhirExport.ToQuestionnaire(graph, graph.FindWorksheet("mood")!);
        var glad = Assert.Single(questionnaire.Item, i => i.Text?.Contains("Glad to hear it", StringComparison.Ordinal) == true);
        Assert.NotEmpty(glad.EnableWhen);
        Assert.DoesNotContain(questionnaire.Item, i => i.Text?.Contains(":::", StringComparison.Ordinal) == true);

        var plan = FhirExport.ToPlanDefinition(graph);
        var json = System.Text.Encoding.UTF8.GetString(FhirExport.Serialize(plan));
        Assert.Contains("mood.score >= 3", json);
    }

    [Fact]
    public void GraphJsonListsTheDirectivesOfAListAsTheBlocksOfItsMarkdown()
    {
        var graph = Graph("Before.\n\n- An item\n\n  ::: note {title=\"Mind\"}\n  Slowly.\n  :::\n\nAfter.\n");
        using var json = JsonDocument.Parse(GraphJson.Write(graph));
        var module = json.RootElement.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "m");
        var blocks = module.GetProperty("content").GetProperty("en").GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(["Before.", "- An item\n\n  ::: note {title=\"Mind\"}\n  Slowly.\n  :::", "After."], blocks.Select(b => b.GetProperty("markdown").GetString()));
        Assert.False(blocks[0].TryGetProperty("blocks", out _));
        var note = Assert.Single(blocks[1].GetProperty("blocks").EnumerateArray());
        Assert.Equal("note", note.GetProperty("name").GetString());
        Assert.Equal("Mind", note.GetProperty("attributes").GetProperty("title").GetString());
        Assert.Equal("Slowly.", Assert.Single(note.GetProperty("blocks").EnumerateArray()).GetProperty("markdown").GetString());
    }
}

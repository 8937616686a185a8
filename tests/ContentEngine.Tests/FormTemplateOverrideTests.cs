using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Print;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Tests;

/// <summary>
/// The markup of a worksheet's fields comes from the theme's templates (worksheet/*.html on the web,
/// paper/*.html in print): a program's own templates/ folder overrides one of them by its path, as it
/// overrides a page's template, and a broken one is refused the same way.
/// </summary>
public sealed class FormTemplateOverrideTests : IDisposable
{
    private readonly TestPaths.TempFolder _program = new();

    public FormTemplateOverrideTests()
    {
        _program.File("program.yaml", """
            id: override-unit
            title: Overrides
            version: 0.2.0
            locales: [en]
            release: weekly
            guidance: self
            phases: [{id: treatment, title: Treatment, weeks: 1}]
            """);
        _program.File("modules/start.md", "---\nid: start\ntitle: Start\nphase: treatment\nweek: 1\n---\n\nHello.\n");
        _program.File("worksheets/check.md", """
            ---
            id: check
            title: Check
            kind: form
            fields:
              - id: mood
                type: choice
                label: How is your <b>mood</b>?
                options:
                  - {value: good, label: Good & calm}
                  - {value: bad, label: Bad}
              - id: note
                type: text
                label: A note
            ---

            Fill it in.
            """);
    }

    public void Dispose() => _program.Dispose();

    private ProgramGraph Compile()
    {
        var result = ProgramCompiler.Compile(_program.Path);
        return result.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics));
    }

    private string WorksheetPage(ProgramGraph graph) =>
        System.Text.Encoding.UTF8.GetString(WebRenderer.Render(graph, new WebOptions { Theme = Theme.Load(_program.Path, graph.Theme) }).Files["en/worksheets/check.html"]);

    private static string Field(string html, string id)
    {
        var start = html.IndexOf($"<div class=\"ce-ws-field\" data-field=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no field {id}");
        return html[start..html.IndexOf("</div>\n", start, StringComparison.Ordinal)];
    }

    [Fact]
    public void AProgramsChoiceTemplateChangesItsChoiceFieldsAndNothingElse()
    {
        var graph = Compile();
        var before = WorksheetPage(graph);
        Assert.Contains("How is your &lt;b&gt;mood&lt;/b&gt;?", before);
        Assert.Contains("<fieldset class=\"ce-ws-group\" role=\"radiogroup\"", Field(before, "mood"));

        _program.File("templates/worksheet/choice.html",
            "<ul class=\"my-choice\" aria-label=\"{{ label | e }}\">{{ for o in options }}<li><input type=\"radio\" id=\"{{ o.id }}\" name=\"{{ id }}\" value=\"{{ o.value | e }}\"><label for=\"{{ o.id }}\">{{ o.label | e }}</label></li>{{ end }}</ul>\n");
        var after = WorksheetPage(graph);

        var mood = Field(after, "mood");
        Assert.Contains("<ul class=\"my-choice\" aria-label=\"How is your &lt;b&gt;mood&lt;/b&gt;?\">", mood);
        Assert.Contains("<label for=\"ws-check-mood_o0\">Good &amp; calm</label>", mood);
        Assert.DoesNotContain("ce-ws-group", mood);
        // The field's wrapper, the other field and the rest of the page are the built-in theme's.
        Assert.StartsWith("<div class=\"ce-ws-field\" data-field=\"mood\" data-type=\"choice\">", mood);
        Assert.Equal(Field(before, "note"), Field(after, "note"));
        Assert.Equal(before[..before.IndexOf("<div class=\"ce-ws-field\"", StringComparison.Ordinal)], after[..after.IndexOf("<div class=\"ce-ws-field\"", StringComparison.Ordinal)]);
    }

    [Fact]
    public void AProgramsPaperTemplateChangesThePrintedForm()
    {
        var graph = Compile();
        _program.File("templates/paper/lines.html", "<div class=\"my-lines\">{{ for i in 1..count }}<hr>{{ end }}</div>\n");
        var theme = Theme.Load(_program.Path, graph.Theme);
        var page = new PageContext(graph, "en", "en/worksheets.html", theme, OutputMedium.Print);
        var html = PaperForm.Render(graph.Worksheets.Single(), page);
        Assert.Contains("<p class=\"ce-paper-label\">A note</p>\n<div class=\"my-lines\"><hr></div>\n", html);
        Assert.Contains("<span class=\"ce-paper-option-text\">Good &amp; calm</span>", html);
        // Pages made with other strings than a loaded theme's get the built-in templates.
        Assert.Contains("ce-paper-lines", PaperForm.Render(graph.Worksheets.Single(), new PageContext(graph, "en", "en/worksheets.html", Theme.BuiltIn, OutputMedium.Print)));
    }

    [Theory]
    [InlineData("worksheet/choice.html")]
    [InlineData("paper/options.html")]
    [InlineData("layout.html")]
    public void ABrokenOverrideIsRefusedWithItsNameAsAPagesTemplateIs(string template)
    {
        var graph = Compile();
        _program.File("templates/" + template, "<p>{{ if label }</p>\n");
        var e = Assert.Throws<ThemeException>(() => Theme.Load(_program.Path, graph.Theme));
        Assert.Contains($"The template {template} of the theme 'default' has errors", e.Message);
    }
}

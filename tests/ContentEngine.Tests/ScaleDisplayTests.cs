using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Tests;

/// <summary>A scale field's <c>display</c>: buttons or slider, by the author's word or by the number of steps.</summary>
public sealed class ScaleDisplayTests
{
    private const string Program = "id: p\nversion: 1.0.0\ntitle: P\nlocales: [en]\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n";
    private const string Module = "---\ntitle: M\nphase: main\nweek: 1\n---\nText.\n";

    private static string Worksheet(string display, int max = 10) =>
        "---\ntitle: W\nkind: form\nfields:\n  - id: pain\n    type: scale\n    label: Pain\n    min: 0\n    max: " + max + "\n" +
        (display.Length == 0 ? "" : "    display: " + display + "\n") + "---\n";

    private static CompilationResult Compile(string worksheet)
    {
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", Program);
        t.File("modules/m.md", Module);
        t.File("worksheets/w.md", worksheet);
        return ProgramCompiler.Compile(t.Path);
    }

    private static Field Pain(string worksheet)
    {
        var result = Compile(worksheet);
        var graph = result.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics));
        return graph.FindWorksheet("w")!.Fields.Single(f => f.Id == "pain");
    }

    [Theory]
    [InlineData("", 10, null, true)]
    [InlineData("", 100, null, false)]
    [InlineData("slider", 10, ScaleDisplay.Slider, false)]
    [InlineData("buttons", 10, ScaleDisplay.Buttons, true)]
    [InlineData("buttons", 100, ScaleDisplay.Buttons, true)]
    public void DisplayIsReadAndDecidesTheControl(string display, int max, ScaleDisplay? expected, bool radios)
    {
        var field = Pain(Worksheet(display, max));
        Assert.Equal(expected, field.Display);
        Assert.Equal(radios, WorksheetForm.ScaleAsRadios(field));
    }

    [Fact]
    public void ABadDisplayIsCE0104AtItsLineWithTheAllowedValuesAndASuggestion()
    {
        var text = Worksheet("slidr");
        var result = Compile(text);
        var d = Assert.Single(result.Diagnostics, d => d.Id == "CE0104");
        var line = text.Split('\n').ToList().FindIndex(l => l.Contains("display:", StringComparison.Ordinal)) + 1;
        Assert.Equal(line, d.Location.Line + 1); // Line is zero-based
        Assert.EndsWith("w.md", d.Location.Path.Replace('\\', '/'), StringComparison.Ordinal);
        Assert.Contains("buttons", d.Message, StringComparison.Ordinal);
        Assert.Contains("slider", d.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean", d.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void DisplayOnAFieldThatIsNotAScaleIsCE0104()
    {
        var text = "---\ntitle: W\nkind: form\nfields:\n  - id: n\n    type: number\n    label: N\n    display: slider\n---\n";
        var result = Compile(text);
        var d = Assert.Single(result.Diagnostics, d => d.Id == "CE0104");
        Assert.Equal(8, d.Location.Line + 1); // the display: line, zero-based in Line
    }
}

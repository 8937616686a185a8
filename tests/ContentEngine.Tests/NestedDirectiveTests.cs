using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Audio;
using ContentEngine.Rendering.Web;
using ContentEngine.Text;

namespace ContentEngine.Tests;

/// <summary>
/// Every directive kind in every place Markdown allows a block (the top level, a list item, a block quote, inside
/// another directive): checked with the same diagnostics, pointing at the same text, and rendered for the web, for
/// print and for audio as at the top level.
/// </summary>
public sealed class NestedDirectiveTests : IDisposable
{
    private readonly TestPaths.TempFolder _program = new();

    public NestedDirectiveTests()
    {
        WriteProgram(_program, "Rate your mood.");
        _program.File("media/clip.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nA short clip.\n");
        foreach (var file in new[] { "body-scan.mp3", "body-scan.txt" })
            File.Copy(TestPaths.Repo("content", "iact-chronic-pain", "media", file), Path.Combine(_program.Path, "media", file), overwrite: true);
        File.WriteAllBytes(Path.Combine(_program.Path, "media", "clip.mp4"), [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'m', (byte)'p', (byte)'4', (byte)'2']);
    }

    public void Dispose() => _program.Dispose();

    /// <summary>A program of two weeks with a worksheet 'mood' (a score from 0 to 10) whose body is <paramref name="worksheetBody"/>.</summary>
    internal static void WriteProgram(TestPaths.TempFolder program, string worksheetBody)
    {
        program.File("program.yaml", "id: nesting\nversion: 1.0.0\ntitle: Nesting\nlocales: [en]\nguidance: self\nrelease: weekly\nphases: [{id: treatment, title: Treatment, weeks: 2}]\nprovider: {name: The Clinic, email: pain@example.org}\nprivacy: Answers stay in this browser.\n");
        program.File("worksheets/mood.md", "---\nid: mood\ntitle: Mood check\nkind: form\nfields: [{id: score, type: scale, label: How is your mood?, min: 0, max: 10}]\n---\n\n" + worksheetBody);
    }

    /// <summary>A kind: a directive that compiles, what each medium shows of it, and the same kind with an error.</summary>
    /// <param name="Spoken">words the audio script says for it, or null when the script leaves it out.</param>
    /// <param name="OnWeb">whether its body text is on the web page.</param>
    public sealed record Kind(string Name, string Valid, string? Spoken, bool OnWeb, string Broken);

    public static readonly Kind[] Kinds =
    [
        new("exercise", "::: exercise {title=\"Stretch\" minutes=5}\nStretch gently.\n:::", "Exercise: Stretch", true, "::: exercise {minutes=abc}\nStretch.\n:::"),
        new("note", "::: note {title=\"Remember\"}\nDrink water.\n:::", "Remember", true, "::: note {colour=red}\nText.\n:::"),
        new("tip", "::: tip\nTry it twice.\n:::", "Try it twice", true, "::: tip {onclick=\"alert(1)\"}\nText.\n:::"),
        new("warning", "::: warning\nStop if it hurts.\n:::", "Stop if it hurts", true, "::: warning {title=\"x\" title=\"y\"}\nText.\n:::"),
        new("safety", "::: safety\nCall 112 in an emergency.\n:::", "Call 112", true, "::: safety {onclick=\"alert(1)\"}\nText.\n:::"),
        new("worksheet", "::: worksheet {ref=mood}\nFill this in.\n:::", "Mood check", true, "::: worksheet {ref=moood}\n:::"),
        new("audio", "::: audio {src=\"media/body-scan.mp3\" transcript=\"media/body-scan.txt\" title=\"Body scan\"}\n:::", "Body scan", true, "::: audio {src=\"media/body-scan.mp3\"}\n:::"),
        new("video", "::: video {src=\"media/clip.mp4\" captions=\"media/clip.vtt\" title=\"Clip\"}\n:::", null, true, "::: video {src=\"media/clip.mp4\"}\n:::"),
        new("narration", "::: narration\nListen closely now.\n:::", "Listen closely now", false, "::: narration {title=\"x\"}\nText.\n:::"),
        new("only", "::: only {formats=\"web\"}\nOnly on the page.\n:::", null, true, "::: only {formats=\"paper\"}\nText.\n:::"),
        new("if", "::: if {when=\"mood.score >= 5\"}\nGlad you feel well.\n:::", null, true, "::: if {when=\"mood.scor >= 5\"}\nShown to everyone?\n:::"),
        new("pause", "::: pause {seconds=30}\nBreathe slowly.\n:::", "Breathe slowly", true, "::: pause {seconds=0}\n:::"),
    ];

    public static readonly string[] Positions = ["top", "list", "quote", "directive"];

    public static TheoryData<string, string> KindsAndPositions()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in Kinds)
            foreach (var position in Positions)
                data.Add(kind.Name, position);
        return data;
    }

    /// <summary>The directive written where <paramref name="position"/> says, with text around it.</summary>
    private static string Place(string directive, string position)
    {
        var lines = directive.Split('\n');
        return position switch
        {
            "top" => "Before.\n\n" + directive + "\n\nAfter.\n",
            "list" => "Before.\n\n- An item\n\n" + string.Join('\n', lines.Select(l => "  " + l)) + "\n- Another item\n\nAfter.\n",
            "quote" => "Before.\n\n> Quoted.\n>\n" + string.Join('\n', lines.Select(l => "> " + l)) + "\n\nAfter.\n",
            "directive" => "Before.\n\n:::: note {title=\"Around\"}\n" + directive + "\n::::\n\nAfter.\n",
            _ => throw new ArgumentOutOfRangeException(nameof(position)),
        };
    }

    /// <summary>Places the mood worksheet too, so that only what the directive does differs.</summary>
    private CompilationResult Compile(string body)
    {
        _program.File("modules/m.md", "---\nid: m\ntitle: Module\nphase: treatment\nweek: 1\n---\n\n" + body);
        _program.File("modules/place.md", "---\nid: place\ntitle: Place\nphase: treatment\nweek: 2\n---\n\n::: worksheet {ref=mood}\n:::\n");
        return ProgramCompiler.Compile(_program.Path);
    }

    private ProgramGraph Graph(string body)
    {
        var result = Compile(body);
        return result.HasErrors ? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics)) : result.Graph!;
    }

    /// <summary>Each diagnostic of the module as its code, message and the text it points at.</summary>
    private List<string> Problems(string body)
    {
        var diagnostics = Compile(body).Diagnostics.Where(d => d.Location.Path.EndsWith("m.md", StringComparison.Ordinal)).ToList();
        var lines = File.ReadAllLines(Path.Combine(_program.Path, "modules", "m.md"));
        return [.. diagnostics.Select(d => $"{d.Id} {d.Message} @'{Pointed(lines, d.Location)}'")];
    }

    private static string Pointed(string[] lines, SourceLocation at) =>
        at.Line < 0 ? "" : lines[at.Line].Substring(at.Column, Math.Min(at.Length, lines[at.Line].Length - at.Column));

    private (string Web, string Print, string Script) Render(ProgramGraph graph)
    {
        var theme = Theme.Load(_program.Path);
        var blocks = graph.FindModule("m")!.Content["en"].Blocks;
        var web = new ContentHtml(new PageContext(graph, "en", "en/modules/m.html", theme)).RenderBody(blocks);
        var print = new ContentHtml(new PageContext(graph, "en", "en/modules/m.html", theme, OutputMedium.Print)).RenderBody(blocks);
        return (web, print, SpokenScript.For(graph, graph.FindModule("m")!, "en").Transcript());
    }

    [Theory]
    [MemberData(nameof(KindsAndPositions))]
    public void AnErrorIsReportedAsAtTheTopLevel(string name, string position)
    {
        var kind = Kinds.Single(k => k.Name == name);
        var top = Problems(Place(kind.Broken, "top"));
        Assert.Contains(top, p => p.StartsWith("CE", StringComparison.Ordinal));
        Assert.True(Compile(Place(kind.Broken, "top")).HasErrors, string.Join("\n", top));
        var here = Problems(Place(kind.Broken, position));
        Assert.Equal(top, here);
        Assert.True(Compile(Place(kind.Broken, position)).HasErrors);
    }

    [Theory]
    [MemberData(nameof(KindsAndPositions))]
    public void ItRendersInEveryMediumAsAtTheTopLevel(string name, string position)
    {
        var kind = Kinds.Single(k => k.Name == name);
        var (topWeb, topPrint, topScript) = Render(Graph(Place(kind.Valid, "top")));
        var (web, print, script) = Render(Graph(Place(kind.Valid, position)));

        // The directive's own HTML: what the top level shows between the text before and after it.
        Assert.Equal(Between(topWeb), Directive(web, position));
        Assert.Equal(Between(topPrint), Directive(print, position));
        Assert.DoesNotContain(":::", web);
        Assert.DoesNotContain(":::", print);
        var body = kind.Valid.Split('\n')[1];
        if (!body.StartsWith(":::", StringComparison.Ordinal)) Assert.Equal(kind.OnWeb, web.Contains(body, StringComparison.Ordinal));

        if (kind.Spoken is { } spoken)
        {
            Assert.Contains(spoken, topScript);
            Assert.Contains(spoken, script);
        }
        else if (!body.StartsWith(":::", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(body.TrimEnd('.'), script);
        }
        Assert.Equal(topScript.Contains("[Pause", StringComparison.Ordinal), script.Contains("[Pause", StringComparison.Ordinal));
        Assert.DoesNotContain(":::", script);
    }

    /// <summary>The HTML between "Before." and "After." of a top-level body.</summary>
    private static string Between(string html)
    {
        var start = html.IndexOf("<p>Before.</p>\n", StringComparison.Ordinal) + "<p>Before.</p>\n".Length;
        return html[start..html.IndexOf("<p>After.</p>", StringComparison.Ordinal)];
    }

    /// <summary>The directive's HTML where a position puts it.</summary>
    private static string Directive(string html, string position)
    {
        var inner = Between(html);
        var (open, close) = position switch
        {
            "list" => ("<ul>\n<li><p>An item</p>\n", "</li>\n<li><p>Another item</p>\n</li>\n</ul>\n"),
            "quote" => ("<blockquote>\n<p>Quoted.</p>\n", "</blockquote>\n"),
            "directive" => ("<aside class=\"ce-callout ce-note\" aria-label=\"Note\"><p class=\"ce-callout-title\">Around</p>\n", "</aside>\n"),
            _ => ("", ""),
        };
        Assert.StartsWith(open, inner);
        Assert.EndsWith(close, inner);
        return inner[open.Length..^close.Length];
    }
}

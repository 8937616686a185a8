using ContentEngine.Compilation;
using ContentEngine.Diagnostics;

namespace ContentEngine.Tests;

/// <summary>
/// Markdown and media that cannot mean what they look like: each gives one diagnostic, at its line, on a small program
/// of a module 'notes' beside a module 'values' with an id on its heading.
/// </summary>
public sealed class MarkdownMisreadingTests
{
    private const string Front = "---\nid: notes\ntitle: Notes\nphase: treatment\nweek: 1\n---\n";

    private static IReadOnlyList<Diagnostic> Check(string body, Action<TestPaths.TempFolder>? files = null)
    {
        using var program = new TestPaths.TempFolder();
        NestedDirectiveTests.WriteProgram(program, "Rate your mood.");
        program.File("modules/values.md", "---\nid: values\ntitle: Values\nphase: treatment\nweek: 2\n---\n\n## Your compass {#compass}\n\nWhat matters to you.\n");
        program.File("modules/notes.md", Front + body);
        program.File("media/clip.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nA clip.\n");
        program.File("media/words.txt", "The words spoken.\n");
        File.Copy(TestPaths.Repo("content", "iact-chronic-pain", "media", "body-scan.mp3"), Path.Combine(program.Path, "media", "sound.mp3"));
        File.WriteAllBytes(Path.Combine(program.Path, "media", "clip.mp4"), [0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'m', (byte)'p', (byte)'4', (byte)'2']);
        files?.Invoke(program);
        return ProgramCompiler.Compile(program.Path, new CompilerOptions { Today = new DateOnly(2026, 6, 1) }).Diagnostics
            .Where(d => d.Id != "CE0603").ToList();
    }

    /// <summary>The one diagnostic, its code and its 1-based line in modules/notes.md.</summary>
    private static Diagnostic One(IReadOnlyList<Diagnostic> diagnostics, string code, int line)
    {
        var d = Assert.Single(diagnostics);
        Assert.Equal(code, d.Id);
        Assert.Equal("modules/notes.md", d.Location.Path);
        Assert.Equal(line, d.Location.Line + 1);
        return d;
    }

    [Fact]
    public void CleanMarkdownGivesNothing() =>
        Assert.Empty(Check("\n# Notes {#top}\n\nText[^a], [back](#top), [compass](module:values#compass), [web](https://www.1177.se).\n\n---\n\n- a list\n\n[^a]: A note.\n"));

    [Theory]
    [InlineData("Text with no line break after it.")]
    [InlineData("\nText with no line break after it.")]
    [InlineData("\nTwo lines,\nthe last with no line break after it.")]
    public async Task ABodyWhoseLastLineHasNoLineBreakIsReadAtOnce(string body)
    {
        // Once read forever: the last line of a paragraph was looked for past the end of the body.
        var diagnostics = await Task.Run(() => Check(body)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(diagnostics);
    }

    [Theory]
    [InlineData("\n", 6)]
    [InlineData("", 6)]
    [InlineData("\n   \n\n", 6)]
    public void AnEmptyModuleIsReportedAtTheEndOfItsFrontMatter(string body, int line) =>
        Assert.Contains("no text after its front matter", One(Check(body), "CE0416", line).Message);

    [Theory]
    [InlineData("\nText:\n\n    - one\n    - two\n", 10, "shown as code")]
    [InlineData("\nA line of text\n---\n", 9, "makes that text a heading")]
    [InlineData("\n#Heading\n", 8, "'# Heading'")]
    [InlineData("\n- item\n\n  #Heading\n", 10, "'# Heading'")]
    [InlineData("\n> quoted\n> ---\n", 9, "makes that text a heading")]
    public void MarkdownThatReadsDifferentlyIsAWarningAtItsLine(string body, int line, string says) =>
        Assert.Contains(says, One(Check(body), "CE0417", line).Message);

    [Fact]
    public void AFootnoteWithoutTextNamesTheOnesThereAre() =>
        Assert.Contains("[^a]", One(Check("\nText[^1] and[^a].\n\n[^a]: A note.\n"), "CE0418", 8).Message);

    [Theory]
    [InlineData("\n## What helps\n\nSee [it](#what-helps).\n", 10, "'## What helps {#what-helps}'")]
    [InlineData("\nSee [it](module:values#values).\n", 8, "#compass")]
    [InlineData("\n- ::: note\n  See [it](#nowhere).\n  :::\n", 9, "{#nowhere}")]
    public void ALinkToAnIdNoHeadingHasShowsTheIdsThereAre(string body, int line, string says) =>
        Assert.Contains(says, One(Check(body), "CE0419", line).Message);

    [Fact]
    public void AFileNameInTheWrongCaseSaysTheRealName() =>
        Assert.Contains("write '../media/clip.vtt'", One(Check("\n[captions](../media/Clip.VTT)\n"), "CE0420", 8).Message);

    [Fact]
    public void AWebAddressWithoutHttpsIsToldToHaveIt() =>
        Assert.Contains("write 'https://www.1177.se'", One(Check("\nSee [1177](www.1177.se).\n"), "CE0204", 8).Message);

    [Theory]
    [InlineData("::: video {src=\"media/clip.mp4\" captions=\"media/clip.srt\"}\n:::", "SubRip")]
    [InlineData("::: video {src=\"media/clip.mp4\" captions=\"media/words.txt\"}\n:::", "not WebVTT")]
    [InlineData("::: video {src=\"media/clip.mp4\" captions=\"media/bare.vtt\"}\n:::", "does not begin with the line WEBVTT")]
    [InlineData("::: audio {src=\"media/text.mp3\" transcript=\"media/words.txt\"}\n:::", "holds text, not MP3 audio")]
    [InlineData("::: audio {src=\"media/sound.mp3\" transcript=\"media/sound.mp3\"}\n:::", "not a transcript")]
    [InlineData("> ::: audio {src=\"media/text.mp3\" transcript=\"media/words.txt\"}\n> :::", "holds text, not MP3 audio")]
    [InlineData("- ::: video {src=\"media/clip.mp4\" captions=\"media/clip.srt\"}\n  :::", "SubRip")]
    public void MediaOfTheWrongKindIsAnErrorAtItsAttribute(string directive, string says)
    {
        var d = One(Check("\n" + directive + "\n", p =>
        {
            p.File("media/clip.srt", "1\n00:00:00,000 --> 00:00:02,000\nA clip.\n");
            p.File("media/bare.vtt", "00:00.000 --> 00:00:02.000\nA clip.\n");
            p.File("media/text.mp3", "not a recording\n");
        }), "CE0421", 8);
        Assert.Contains(says, d.Message);
    }

    [Fact]
    public void AnUnsafeSvgInAListItemIsReportedAtItsUse()
    {
        var d = One(Check("\n- ![A drawing](../media/x.svg)\n", p => p.File("media/x.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x()</script></svg>")), "CE0415", 8);
        Assert.Contains("<script>", d.Message);
    }
}

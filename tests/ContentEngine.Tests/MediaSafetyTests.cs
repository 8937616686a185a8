using System.Text;
using ContentEngine.Compilation;

namespace ContentEngine.Tests;

/// <summary>
/// SVG pictures are refused, not cleaned, when a browser opening them could run code or fetch from
/// outside; the golden program svg-unsafe shows the diagnostics, these the cases around them.
/// </summary>
public sealed class MediaSafetyTests
{
    private const string Svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\">";

    private static MediaProblem? Check(string text) => MediaSafety.Svg(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData(Svg + "<SCRIPT>x()</SCRIPT></svg>", "<SCRIPT> element")]
    [InlineData(Svg + "<svg:script xmlns:svg=\"http://www.w3.org/2000/svg\">x()</svg:script></svg>", "<svg:script> element")]
    [InlineData(Svg + "<circle r=\"1\" OnMouseOver=\"x()\"/></svg>", "event handler 'OnMouseOver' on <circle>")]
    [InlineData(Svg + "<a xlink:href=\"&#106;avascript:x()\"><circle r=\"1\"/></a></svg>", "javascript: address in 'xlink:href' on <a>")]
    [InlineData(Svg + "<a href=\" java\tscript:x()\"><circle r=\"1\"/></a></svg>", "javascript: address")]
    [InlineData(Svg + "<image href=\"data:image/svg+xml;base64,PHN2Zy8+\"/></svg>", "reference to 'data:image/svg+xml;base64,PHN2Zy8+' in 'href' on <image>")]
    [InlineData(Svg + "<image href=\"photo.png\"/></svg>", "reference to 'photo.png' in 'href' on <image>")]
    [InlineData(Svg + "<use xlink:href=\"other.svg#part\"/></svg>", "reference to 'other.svg#part' in 'xlink:href' on <use>")]
    [InlineData(Svg + "<rect fill=\"url( 'https://example.org/t' )\"/></svg>", "reference to 'https://example.org/t' in 'fill' on <rect>")]
    [InlineData(Svg + "<rect style=\"fill: u\\72l(https://example.org/t)\"/></svg>", "backslash escape")]
    [InlineData(Svg + "<style>@import 'https://example.org/a.css';</style></svg>", "@import in a <style> element")]
    [InlineData(Svg + "<style><![CDATA[ rect { fill: URL(https://example.org/t) } ]]></style></svg>", "reference to 'https://example.org/t' in a <style> element")]
    [InlineData("<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?>" + Svg + "</svg>", "processing instruction <?xml-stylesheet …?>")]
    [InlineData(Svg + "<iframe xmlns=\"http://www.w3.org/1999/xhtml\" src=\"https://example.org\"/></svg>", "<iframe> element")]
    [InlineData(Svg + "<body xmlns=\"http://www.w3.org/1999/xhtml\"/></svg>", "HTML element <body>")]
    [InlineData(Svg + "<animate attributeName=\"xlink:href\" values=\"#a;https://example.org\"/></svg>", "animation of 'xlink:href' on <animate>")]
    [InlineData(Svg + "<set attributeName=\"onclick\" to=\"x()\"/></svg>", "animation of 'onclick' on <set>")]
    public void AnSvgThatIsMoreThanADrawingIsRefusedSayingWhatItHas(string svg, string found)
    {
        var problem = Check(svg);
        Assert.NotNull(problem);
        Assert.Contains(found, problem.Found);
        Assert.Contains("(line 1)", problem.Found);
    }

    [Fact]
    public void AnEmbeddedFileIsToBeSavedOnItsOwn()
    {
        var problem = Check(Svg + "<image xlink:href=\"data:image/png;base64,iVBORw0KGgo=\"/></svg>")!;
        Assert.Equal("is an SVG with a reference to 'data:image/png;base64,iVBORw0KGgo=' in 'xlink:href' on <image> (line 1)", problem.Found);
        Assert.StartsWith("save the embedded file as a file of its own in media/", problem.Fix);
        Assert.StartsWith("put what it refers to into the SVG itself", Check(Svg + "<image href=\"photo.png\"/></svg>")!.Fix);
    }

    [Fact]
    public void ADtdIsRefusedWithoutBeingExpanded()
    {
        // A billion laughs: expanded, it would take gigabytes; refused, it takes nothing.
        var laughs = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n<!ENTITY a \"aaaaaaaaaa\">\n");
        for (var i = 1; i < 10; i++) laughs.Append($"<!ENTITY {(char)('a' + i)} \"{string.Concat(Enumerable.Repeat($"&{(char)('a' + i - 1)};", 10))}\">\n");
        laughs.Append("]>\n").Append(Svg).Append("<text>&j;</text></svg>");
        var problem = Check(laughs.ToString());
        Assert.NotNull(problem);
        Assert.Contains("DOCTYPE declaration (line 2)", problem.Found);

        var external = Check("<!DOCTYPE svg SYSTEM \"file:///etc/passwd\">" + Svg + "</svg>");
        Assert.Contains("DOCTYPE declaration (line 1)", external!.Found);
    }

    [Theory]
    [InlineData("", "not a well-formed SVG")]
    [InlineData("(stands in for a picture)", "not a well-formed SVG")]
    [InlineData(Svg + "<circle r=\"1\">", "not a well-formed SVG")]
    [InlineData("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>", "its first element is <html>, not <svg>")]
    public void AFileThatIsNotAnSvgDrawingIsRefused(string text, string found) =>
        Assert.Contains(found, Check(text)!.Found);

    [Fact]
    public void ADrawingWithItsOwnReferencesMetadataAndAnotherEncodingPasses()
    {
        var drawing = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!-- exported -->\n" + Svg
            + "<metadata><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/></metadata>"
            + "<defs><linearGradient id=\"g\"/><path id=\"p\" d=\"M0 0 L10 10\"/></defs>"
            + "<style>.a { fill: url(#g); } /* one */</style>"
            + "<use xlink:href=\"#p\" class=\"a\" style=\"stroke: url( '#g' )\" transform=\"rotate(45 5 5)\"/>"
            + "<a href=\"#p\"><text x=\"1\" y=\"9\">Onward &amp; upward</text></a></svg>";
        Assert.Null(MediaSafety.Svg([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(drawing)]));
    }

    [Fact]
    public void TheSampleProgramsPicturesPass()
    {
        var media = TestPaths.Repo("content", "iact-chronic-pain", "media");
        var pictures = Directory.GetFiles(media, "*.svg");
        Assert.NotEmpty(pictures);
        foreach (var picture in pictures)
            Assert.Null(MediaSafety.Check(picture, "media/" + Path.GetFileName(picture)));
    }

    [Theory]
    [InlineData("media/handout.html")]
    [InlineData("media/HANDOUT.HTM")]
    [InlineData("media/page.xhtml")]
    [InlineData("media/data.xml")]
    [InlineData("media/picture.svgz")]
    public void WebDocumentsAreRefusedWhateverTheyHold(string path)
    {
        using var temp = new TestPaths.TempFolder();
        var full = temp.File(path, "harmless text");
        Assert.Contains("is a web document", MediaSafety.Check(full, path)!.Found);
    }

    [Fact]
    public void OtherMediaAreNotReadAtAll() =>
        Assert.Null(MediaSafety.Check(Path.Combine("no", "such", "file.png"), "media/file.png"));
}

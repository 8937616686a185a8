using System.Text;
using System.Xml;

namespace ContentEngine.Compilation;

/// <summary>What a media file holds that must not be published (with its line), and how to fix it.</summary>
public sealed record MediaProblem(string Found, string Fix);

/// <summary>
/// Media that a browser opens as a document of the program's site, where the patient's answers are
/// kept: a web page always, an SVG unless it is only a drawing. An SVG with script, event handlers,
/// references to anything but its own parts, embedded documents or a DTD is refused, not cleaned:
/// refusing is simpler to trust.
/// </summary>
public static class MediaSafety
{
    private const string Xhtml = "http://www.w3.org/1999/xhtml";

    private static readonly HashSet<string> WebDocuments = new(StringComparer.OrdinalIgnoreCase)
        { ".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".xsl", ".xslt", ".mht", ".mhtml", ".svgz" };

    private static readonly HashSet<string> Embedding = new(StringComparer.OrdinalIgnoreCase)
        { "foreignObject", "iframe", "embed", "object", "frame", "frameset", "applet" };

    private static readonly HashSet<string> Animation = new(StringComparer.OrdinalIgnoreCase)
        { "set", "animate", "animateMotion", "animateTransform", "animateColor" };

    private static readonly MediaProblem NotCode = new(string.Empty, "remove it: a picture in a program may not run code (or save the picture as PNG)");
    private static readonly MediaProblem OwnPartsOnly = new(string.Empty, "put what it refers to into the SVG itself or remove it: a picture may refer only to its own parts (href=\"#id\", url(#id))");
    private static readonly MediaProblem Embedded = new(string.Empty, "save the embedded file as a file of its own in media/ and show it from the text, or save the whole picture as PNG");
    private static readonly MediaProblem DrawingOnly = new(string.Empty, "remove it: an SVG picture may hold only SVG shapes, text and its own parts");

    public static MediaProblem? Check(string fullPath, string programPath)
    {
        var extension = Path.GetExtension(programPath);
        if (WebDocuments.Contains(extension))
            return new MediaProblem($"is a web document ({extension}), which would open in the program's site and could run code there",
                extension.Equals(".svgz", StringComparison.OrdinalIgnoreCase)
                    ? "save the picture as plain .svg, which the compiler can check"
                    : "put its text in a module or worksheet, or save it as PDF");
        if (!extension.Equals(".svg", StringComparison.OrdinalIgnoreCase)) return null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new MediaProblem($"is an SVG that cannot be read ({e.Message}), so it cannot be checked", "make the file readable");
        }
        return Svg(bytes);
    }

    /// <summary>The first thing in the SVG that makes it more than a drawing, or null.</summary>
    public static MediaProblem? Svg(byte[] bytes)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreWhitespace = true,
        };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
            var line = (IXmlLineInfo)reader;
            var root = true;
            var inStyle = 0;
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.ProcessingInstruction when !reader.Name.Equals("xml", StringComparison.OrdinalIgnoreCase):
                        return Found(OwnPartsOnly, $"a processing instruction <?{reader.Name} …?>", line.LineNumber);
                    case XmlNodeType.Element:
                        if (root && reader.LocalName != "svg")
                            return new MediaProblem($"is not an SVG picture: its first element is <{reader.Name}>, not <svg>", "save it again as SVG from the drawing program, or as PNG");
                        root = false;
                        if (Element(reader, line.LineNumber) is { } problem) return problem;
                        if (reader.LocalName.Equals("style", StringComparison.OrdinalIgnoreCase) && !reader.IsEmptyElement) inStyle++;
                        break;
                    case XmlNodeType.EndElement when reader.LocalName.Equals("style", StringComparison.OrdinalIgnoreCase):
                        inStyle = Math.Max(0, inStyle - 1);
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA when inStyle > 0:
                        if (Style(reader.Value, "a <style> element", line.LineNumber) is { } css) return css;
                        break;
                }
            }
            if (root) return new MediaProblem("is not an SVG picture: it has no <svg> element", "save it again as SVG from the drawing program, or as PNG");
        }
        catch (XmlException e)
        {
            if (Declaration(bytes) is { } at)
                return new MediaProblem($"is an SVG with a {at.What} declaration (line {at.Line}), which can pull in other files or expand without limit",
                    $"remove the {at.What} declaration (and the entities it defines): SVG needs none");
            return new MediaProblem($"is not a well-formed SVG ({e.Message.TrimEnd('.')})", "save it again as SVG from the drawing program, or as PNG");
        }
        return null;
    }

    private static MediaProblem? Element(XmlReader reader, int line)
    {
        var name = reader.LocalName;
        if (name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("handler", StringComparison.OrdinalIgnoreCase) || name.Equals("listener", StringComparison.OrdinalIgnoreCase))
            return Found(NotCode, $"a <{reader.Name}> element", line);
        if (Embedding.Contains(name))
            return Found(DrawingOnly, $"a <{reader.Name}> element", line);
        if (reader.NamespaceURI == Xhtml)
            return Found(DrawingOnly, $"an HTML element <{reader.Name}>", line);
        var animation = Animation.Contains(name);
        var element = reader.Name;
        while (reader.MoveToNextAttribute())
        {
            var attribute = reader.LocalName;
            var value = reader.Value;
            var where = $"'{reader.Name}' on <{element}>";
            if (reader.Prefix == "xmlns" || reader.Name == "xmlns") continue;
            if (attribute.StartsWith("on", StringComparison.OrdinalIgnoreCase))
                return Found(NotCode, $"an event handler {where}", line);
            if (IsScriptUrl(value))
                return Found(NotCode, $"a javascript: address in {where}", line);
            if (attribute == "href" && value.Trim().Length > 0 && !value.Trim().StartsWith('#'))
                return Found(value.Trim().StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? Embedded : OwnPartsOnly, $"a reference to '{Shorten(value.Trim())}' in {where}", line);
            if (animation && attribute == "attributeName" && (value.Trim().EndsWith("href", StringComparison.OrdinalIgnoreCase) || value.Trim().StartsWith("on", StringComparison.OrdinalIgnoreCase)))
                return Found(NotCode, $"an animation of '{value.Trim()}' on <{element}>", line);
            if (Style(value, where, line, strict: attribute == "style") is { } css) return css;
        }
        reader.MoveToElement();
        return null;
    }

    /// <summary>CSS (a style element or attribute, or a presentation attribute): only url(#id) references.</summary>
    private static MediaProblem? Style(string css, string where, int line, bool strict = true)
    {
        if (css.Contains('\\') && (strict || css.Contains('(')))
            return Found(OwnPartsOnly, $"a backslash escape in the style of {where}, which hides what it refers to", line);
        if (css.Contains("@import", StringComparison.OrdinalIgnoreCase))
            return Found(OwnPartsOnly, $"an @import in {where}", line);
        if (css.Contains("image-set(", StringComparison.OrdinalIgnoreCase))
            return Found(OwnPartsOnly, $"an image-set() in {where}", line);
        if (IsScriptUrl(css))
            return Found(NotCode, $"a javascript: address in {where}", line);
        for (var at = css.IndexOf("url(", StringComparison.OrdinalIgnoreCase); at >= 0; at = css.IndexOf("url(", at + 4, StringComparison.OrdinalIgnoreCase))
        {
            var end = css.IndexOf(')', at);
            var target = (end < 0 ? css[(at + 4)..] : css[(at + 4)..end]).Trim().Trim('"', '\'').Trim();
            if (!target.StartsWith('#'))
                return Found(OwnPartsOnly, $"a reference to '{Shorten(target)}' in {where}", line + css.AsSpan(0, at).Count('\n'));
        }
        return null;
    }

    private static bool IsScriptUrl(string value)
    {
        var compact = new StringBuilder(value.Length);
        foreach (var c in value)
            if (!char.IsWhiteSpace(c) && !char.IsControl(c)) compact.Append(c);
        var text = compact.ToString();
        return text.Contains("javascript:", StringComparison.OrdinalIgnoreCase) || text.Contains("vbscript:", StringComparison.OrdinalIgnoreCase);
    }

    private static MediaProblem Found(MediaProblem kind, string what, int line) =>
        kind with { Found = $"is an SVG with {what} (line {line})" };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "…";

    /// <summary>A DOCTYPE or ENTITY declaration, which the reader refuses before reading it.</summary>
    private static (string What, int Line)? Declaration(byte[] bytes)
    {
        string text;
        using (var reader = new StreamReader(new MemoryStream(bytes, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            text = reader.ReadToEnd();
        foreach (var what in new[] { "<!DOCTYPE", "<!ENTITY" })
        {
            var at = text.IndexOf(what, StringComparison.OrdinalIgnoreCase);
            if (at >= 0) return (what[2..], 1 + text.AsSpan(0, at).Count('\n'));
        }
        return null;
    }
}

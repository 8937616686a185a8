using ContentEngine.Markdown;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Renderers.Html.Inlines;
using Markdig.Syntax.Inlines;

namespace ContentEngine.Rendering.Fhir;

/// <summary>
/// Markdown as plain text for a Questionnaire item's <c>text</c>: one paragraph (or list, heading, …) per block,
/// separated by a blank line, with the source's line wrapping inside a paragraph turned back into spaces.
/// </summary>
internal static class PlainText
{
    public static string From(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, ContentPipeline.Instance);
        var parts = new List<string>();
        foreach (var block in document)
        {
            using var writer = new StringWriter();
            var renderer = new HtmlRenderer(writer) { EnableHtmlForBlock = false, EnableHtmlForInline = false, EnableHtmlEscape = false };
            ContentPipeline.Instance.Setup(renderer);
            renderer.ObjectRenderers.Replace<LineBreakInlineRenderer>(new SoftBreakAsSpace());
            renderer.Render(block);
            writer.Flush();
            var text = writer.ToString().Replace("\r\n", "\n").Trim();
            if (text.Length > 0) parts.Add(text);
        }
        return string.Join("\n\n", parts);
    }

    private sealed class SoftBreakAsSpace : HtmlObjectRenderer<LineBreakInline>
    {
        protected override void Write(HtmlRenderer renderer, LineBreakInline obj)
        {
            if (obj.IsHard) renderer.WriteLine();
            else renderer.Write(' ');
        }
    }
}

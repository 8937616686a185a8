using ContentEngine.Markdown;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ContentEngine.Rendering.Web;

/// <summary>Renders the graph's Markdown chunks to HTML with links made relative to the page.</summary>
public static class MarkdownHtml
{
    public static string Render(string markdown, PageContext page)
    {
        var document = Markdig.Markdown.Parse(markdown, ContentPipeline.Instance);
        foreach (var link in document.Descendants<LinkInline>())
            if (link.Url is { } url) link.Url = page.ContentUrl(url);
        // The page title is the only h1: headings in the body start at h2.
        foreach (var heading in document.Descendants<HeadingBlock>())
            heading.Level = Math.Min(6, heading.Level + 1);
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        ContentPipeline.Instance.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    public static string PlainText(string markdown) =>
        Markdig.Markdown.ToPlainText(markdown, ContentPipeline.Instance);
}

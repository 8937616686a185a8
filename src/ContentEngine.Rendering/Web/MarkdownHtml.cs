using ContentEngine.Markdown;
using ContentEngine.Model;
using ContentEngine.Rendering.Directives;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ContentEngine.Rendering.Web;

/// <summary>Renders the graph's Markdown chunks to HTML with links made relative to the page.</summary>
public static class MarkdownHtml
{
    /// <summary>The smallest heading level in the chunk, or null when it has no heading.</summary>
    public static int? TopHeadingLevel(string markdown)
    {
        int? top = null;
        foreach (var heading in Markdig.Markdown.Parse(markdown, ContentPipeline.Instance).Descendants<HeadingBlock>())
            if (top is null || heading.Level < top) top = heading.Level;
        return top;
    }

    /// <param name="headingShift">how many levels headings move down (the page title is the only h1).</param>
    /// <param name="directives">the bound directives nested in the text, and how to render one, when it holds any.</param>
    public static string Render(string markdown, PageContext page, int headingShift = 1, (IReadOnlyList<DirectiveBlock> Blocks, Func<DirectiveBlock, string> Render)? directives = null)
    {
        var document = Markdig.Markdown.Parse(markdown, ContentPipeline.Instance);
        foreach (var link in document.Descendants<LinkInline>())
            if (link.Url is { } url) link.Url = page.ContentUrl(url);
        foreach (var heading in document.Descendants<HeadingBlock>())
            heading.Level = Math.Clamp(heading.Level + headingShift, 2, 6);
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        ContentPipeline.Instance.Setup(renderer);
        if (directives is { } nested) renderer.ObjectRenderers.Insert(0, new DirectiveHtmlRenderer(nested.Blocks, nested.Render));
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    public static string PlainText(string markdown) =>
        Markdig.Markdown.ToPlainText(markdown, ContentPipeline.Instance);
}

using System.Text;
using ContentEngine.Model;
using ContentEngine.Rendering.Directives;

namespace ContentEngine.Rendering.Web;

/// <summary>Renders a body's content blocks for the web: Markdown, and each directive set apart as it should be.</summary>
public sealed class ContentHtml(PageContext page)
{
    private int _ids;
    private int _headingShift = 1;

    /// <summary>Renders a whole body: its top heading level becomes h2, under the page's h1.</summary>
    public string RenderBody(IReadOnlyList<ContentBlock> blocks)
    {
        var top = TopHeadingLevel(blocks);
        _headingShift = top is { } level ? 2 - level : 1;
        return Render(blocks);
    }

    private static int? TopHeadingLevel(IEnumerable<ContentBlock> blocks)
    {
        int? top = null;
        foreach (var b in blocks)
        {
            var level = b switch
            {
                MarkdownBlock md => MarkdownHtml.TopHeadingLevel(md.Markdown),
                MarkdownWithDirectivesBlock nested => MarkdownHtml.TopHeadingLevel(nested.Markdown),
                DirectiveBlock d => TopHeadingLevel(d.Children),
                _ => null,
            };
            if (level is { } l && (top is null || l < top)) top = l;
        }
        return top;
    }

    public string Render(IEnumerable<ContentBlock> blocks)
    {
        var sb = new StringBuilder();
        foreach (var block in blocks) Render(block, sb);
        return sb.ToString();
    }

    private string NextId(string kind) => $"ce-{kind}-{++_ids}";

    private void Render(ContentBlock block, StringBuilder sb)
    {
        if (block is MarkdownBlock md)
        {
            sb.Append(MarkdownHtml.Render(md.Markdown, page, _headingShift));
            return;
        }
        if (block is MarkdownWithDirectivesBlock nested)
        {
            // Each directive in a list item or a quote renders as it does at the top level.
            sb.Append(MarkdownHtml.Render(nested.Markdown, page, _headingShift, (nested.Directives, d => Render([d]))));
            return;
        }
        var d = (DirectiveBlock)block;
        DirectiveRenderers.For(d).Html(d, new DirectiveHtml(page, sb, Render, NextId));
    }
}

using System.Text;
using ContentEngine.Directives;
using ContentEngine.Markdown;
using ContentEngine.Model;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace ContentEngine.Rendering.Directives;

/// <summary>
/// Renders the directives of a <see cref="MarkdownWithDirectivesBlock"/> where Markdig meets them in its text: the n-th
/// outermost directive node becomes the HTML of the n-th bound directive, rendered as it is at the top level.
/// </summary>
public sealed class DirectiveHtmlRenderer(IReadOnlyList<DirectiveBlock> directives, Func<DirectiveBlock, string> render) : HtmlObjectRenderer<DirectiveNode>
{
    private int _next;

    protected override void Write(HtmlRenderer renderer, DirectiveNode node)
    {
        renderer.EnsureLine();
        if (_next < directives.Count) renderer.Write(render(directives[_next++]));
    }
}

/// <summary>What renderers that do not parse Markdown need of a block with nested directives.</summary>
public static class NestedDirectives
{
    /// <summary>The block's text without its directives (each rendered from its bound block instead).</summary>
    public static string TextOutside(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, ContentPipeline.Instance);
        var spans = document.Descendants<DirectiveNode>().Where(Outermost).Select(n => n.Span).OrderBy(s => s.Start).ToList();
        var sb = new StringBuilder();
        var pos = 0;
        foreach (var span in spans)
        {
            sb.Append(markdown, pos, span.Start - pos);
            pos = Math.Min(markdown.Length, span.End + 1);
        }
        return sb.Append(markdown, pos, markdown.Length - pos).ToString();
    }

    /// <summary>
    /// The Markdown a patient reads on the web, in order: directives whose content is not on the web left out, those
    /// in lists and quotes included. The web bundle's search text and the package's plain text are made from it.
    /// </summary>
    public static IEnumerable<string> WebMarkdown(IEnumerable<ContentBlock> blocks)
    {
        foreach (var b in blocks)
        {
            IEnumerable<string> inner = b switch
            {
                MarkdownBlock md => [md.Markdown],
                DirectiveBlock d when DirectiveRenderers.For(d).OnWeb(d) => WebMarkdown(d.Children),
                MarkdownWithDirectivesBlock nested => WebMarkdown(Flatten(nested)),
                _ => [],
            };
            foreach (var markdown in inner) yield return markdown;
        }
    }

    /// <summary>The block as plain blocks for a walk that reads text: the text around its directives, then the directives.</summary>
    public static IEnumerable<ContentBlock> Flatten(MarkdownWithDirectivesBlock block) =>
        [new MarkdownBlock(TextOutside(block.Markdown)), .. block.Directives];

    private static bool Outermost(Block node)
    {
        for (var parent = node.Parent; parent is not null; parent = parent.Parent)
            if (parent is DirectiveNode) return false;
        return true;
    }
}

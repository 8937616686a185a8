using System.Text;
using ContentEngine.Model;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ContentEngine.Markdown;

/// <summary>
/// The prose of a body, as patients read it: the text of its paragraphs (in lists, quotes and directives too), without
/// headings, code, tables, link addresses or front matter. What readability is measured on.
/// </summary>
public static class Prose
{
    public static List<string> Paragraphs(IEnumerable<ContentBlock> blocks)
    {
        var result = new List<string>();
        Collect(blocks, result);
        return result;
    }

    private static void Collect(IEnumerable<ContentBlock> blocks, List<string> result)
    {
        foreach (var block in blocks)
        {
            switch (block)
            {
                case MarkdownBlock m:
                    FromMarkdown(m.Markdown, result);
                    break;
                case MarkdownWithDirectivesBlock m:
                    FromMarkdown(m.Markdown, result);
                    break;
                case DirectiveBlock d:
                    Collect(d.Children, result);
                    break;
            }
        }
    }

    private static void FromMarkdown(string markdown, List<string> result)
    {
        if (ContentPipeline.Parse(markdown, out _) is not { } document) return;
        foreach (var paragraph in document.Descendants<ParagraphBlock>())
        {
            if (paragraph.Inline is null) continue;
            var sb = new StringBuilder();
            foreach (var inline in paragraph.Inline.Descendants())
            {
                if (inline is LiteralInline literal && !InImage(literal)) sb.Append(literal.Content.AsSpan());
                else if (inline is LineBreakInline) sb.Append(' ');
            }
            if (sb.ToString().Trim() is { Length: > 0 } text) result.Add(text);
        }
    }

    private static bool InImage(Inline inline)
    {
        for (var parent = inline.Parent; parent is not null; parent = parent.Parent)
            if (parent is LinkInline { IsImage: true }) return true;
        return false;
    }
}

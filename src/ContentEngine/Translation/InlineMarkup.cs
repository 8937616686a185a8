using System.Collections.Immutable;
using System.Text;
using ContentEngine.Markdown;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ContentEngine.Translation;

/// <summary>A piece of a unit's inline content as a translator's tool sees it.</summary>
public abstract record InlinePart;

/// <summary>Words to translate, exactly as written in the Markdown (escapes and entities kept).</summary>
public sealed record InlineText(string Text) : InlinePart;

/// <summary>
/// Paired formatting (emphasis, strong, a link's text): XLIFF's <c>&lt;pc&gt;</c>. <see cref="Start"/> and
/// <see cref="End"/> are the Markdown around the words (<c>**</c>, <c>[</c> and <c>](url)</c>), kept in
/// the unit's <c>&lt;originalData&gt;</c>, so a translator moves the tag but cannot change the markup.
/// </summary>
public sealed record InlinePair(string Id, string Type, string? SubType, string Start, string End, ImmutableArray<InlinePart> Content) : InlinePart;

/// <summary>A standalone piece (code span, image, hard line break, autolink, footnote mark): XLIFF's <c>&lt;ph&gt;</c>.</summary>
public sealed record InlinePlaceholder(string Id, string Type, string? SubType, string Data, string? Display) : InlinePart;

/// <summary>
/// Converts a unit's Markdown inline text to XLIFF inline parts and back. The parts are cut from the
/// text by the source positions of Markdig's own inline parser (the engine's pipeline), so putting the
/// parts back together gives the text byte for byte: everything that is not markup stays text.
/// </summary>
public static class InlineMarkup
{
    /// <summary>The text as parts; the tags are numbered 1, 2, … in the order they open.</summary>
    public static ImmutableArray<InlinePart> Parse(string markdown)
    {
        // Text that nests too deep to parse is left whole, like text the cutter cannot follow.
        if (ContentPipeline.Parse(markdown, out _) is not { } document) return markdown.Length == 0 ? [] : [new InlineText(markdown)];
        var state = new Cutter(markdown);
        var parts = new List<InlinePart>();
        var pos = 0;
        foreach (var leaf in document.Descendants<LeafBlock>())
        {
            if (leaf.Inline is null) continue;
            pos = state.Cut(leaf.Inline, pos, markdown.Length, parts);
        }
        state.Text(pos, markdown.Length, parts);
        var result = Merge(parts);
        // Source positions that do not add up (a construct the cutter does not know) leave the text whole.
        return ToMarkdown(result) == markdown ? result : markdown.Length == 0 ? [] : [new InlineText(markdown)];
    }

    /// <summary>The Markdown the parts stand for.</summary>
    public static string ToMarkdown(IEnumerable<InlinePart> parts)
    {
        var sb = new StringBuilder();
        Append(sb, parts);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, IEnumerable<InlinePart> parts)
    {
        foreach (var part in parts)
        {
            switch (part)
            {
                case InlineText t:
                    sb.Append(t.Text);
                    break;
                case InlinePair p:
                    sb.Append(p.Start);
                    Append(sb, p.Content);
                    sb.Append(p.End);
                    break;
                case InlinePlaceholder ph:
                    sb.Append(ph.Data);
                    break;
            }
        }
    }

    /// <summary>The words alone, tags left out (for reading and counting).</summary>
    public static string PlainText(IEnumerable<InlinePart> parts)
    {
        var sb = new StringBuilder();
        foreach (var part in parts)
        {
            if (part is InlineText t) sb.Append(t.Text);
            else if (part is InlinePair p) sb.Append(PlainText(p.Content));
            else if (part is InlinePlaceholder { Display: { } d }) sb.Append(d);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The shape of the markup: each tag's kind, id and Markdown, with the tag that holds it, in order.
    /// Two texts with the same shape have the same formatting, whatever their words.
    /// </summary>
    public static IReadOnlyList<string> Shape(IEnumerable<InlinePart> parts)
    {
        var shape = new List<string>();
        void Walk(IEnumerable<InlinePart> ps, string parent)
        {
            foreach (var part in ps)
            {
                if (part is InlinePair p)
                {
                    shape.Add($"pc {p.Start} {p.End} in {parent}");
                    Walk(p.Content, "pc " + p.Start);
                }
                else if (part is InlinePlaceholder ph)
                {
                    shape.Add($"ph {ph.Data} in {parent}");
                }
            }
        }
        Walk(parts, "text");
        return shape;
    }

    /// <summary>The tags' ids in document order.</summary>
    public static IReadOnlyList<string> Ids(IEnumerable<InlinePart> parts)
    {
        var ids = new List<string>();
        void Walk(IEnumerable<InlinePart> ps)
        {
            foreach (var part in ps)
            {
                if (part is InlinePair p) { ids.Add(p.Id); Walk(p.Content); }
                else if (part is InlinePlaceholder ph) ids.Add(ph.Id);
            }
        }
        Walk(parts);
        return ids;
    }

    /// <summary>The blocks the text makes as Markdown (paragraph, heading and level, list, quotation …), in order.</summary>
    public static IReadOnlyList<string> BlockShape(string markdown) =>
        ContentPipeline.Parse(markdown, out _) is not { } document ? ["nested too deep"] :
        [.. document.Descendants<Block>()
            .Where(b => b is not BlankLineBlock)
            .Select(b => b switch
            {
                HeadingBlock h => "h" + h.Level,
                ListBlock l => l.IsOrdered ? "ol" : "ul",
                _ => b.GetType().Name,
            })];

    private static ImmutableArray<InlinePart> Merge(List<InlinePart> parts)
    {
        var merged = new List<InlinePart>();
        foreach (var part in parts)
        {
            if (part is InlineText { Text.Length: 0 }) continue;
            if (part is InlineText t && merged.Count > 0 && merged[^1] is InlineText previous)
                merged[^1] = new InlineText(previous.Text + t.Text);
            else
                merged.Add(part);
        }
        return [.. merged];
    }

    private sealed class Cutter(string text)
    {
        private int _next = 1;

        private string NextId() => (_next++).ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The emphasis's span starts and ends with its delimiter characters.</summary>
        private bool Delimits(int s, int e, EmphasisInline em)
        {
            for (var i = 0; i < em.DelimiterCount; i++)
                if (text[s + i] != em.DelimiterChar || text[e - 1 - i] != em.DelimiterChar) return false;
            return true;
        }

        public void Text(int from, int to, List<InlinePart> parts)
        {
            if (to > from) parts.Add(new InlineText(text[from..to]));
        }

        /// <summary>Adds the parts of <paramref name="container"/>'s children from <paramref name="pos"/>; returns where it stopped.</summary>
        public int Cut(ContainerInline container, int pos, int end, List<InlinePart> parts)
        {
            foreach (var child in container)
            {
                var s = child.Span.Start;
                var e = child.Span.End + 1;
                if (child.Span.IsEmpty || s < pos || e > end) continue;
                switch (child)
                {
                    case LiteralInline or HtmlEntityInline:
                        break;
                    case LineBreakInline { IsHard: false }:
                        break;
                    case LineBreakInline br:
                    {
                        // "  \n": the spaces before the line end are part of the break.
                        var from = s;
                        if (!br.IsBackslash)
                            while (from > pos && text[from - 1] == ' ') from--;
                        Text(pos, from, parts);
                        parts.Add(new InlinePlaceholder(NextId(), "fmt", "xlf:lb", text[from..e], null));
                        pos = e;
                        break;
                    }
                    case EmphasisInline em when em.DelimiterCount > 0 && e - s >= 2 * em.DelimiterCount && Delimits(s, e, em):
                    {
                        Text(pos, s, parts);
                        var id = NextId();
                        var inner = new List<InlinePart>();
                        var innerEnd = e - em.DelimiterCount;
                        var at = Cut(em, s + em.DelimiterCount, innerEnd, inner);
                        Text(at, innerEnd, inner);
                        parts.Add(new InlinePair(id, "fmt", em.DelimiterCount >= 2 ? "xlf:b" : "xlf:i", text[s..(s + em.DelimiterCount)], text[innerEnd..e], Merge(inner)));
                        pos = e;
                        break;
                    }
                    case LinkInline link when !link.IsImage:
                    {
                        var labelEnd = link.LastChild is { } last && !last.Span.IsEmpty ? last.Span.End + 1 : s + 1;
                        if (labelEnd < s + 1 || labelEnd >= e || text[labelEnd] != ']' || text[s] != '[') goto default;
                        Text(pos, s, parts);
                        var id = NextId();
                        var inner = new List<InlinePart>();
                        var at = Cut(link, s + 1, labelEnd, inner);
                        Text(at, labelEnd, inner);
                        parts.Add(new InlinePair(id, "link", null, "[", text[labelEnd..e], Merge(inner)));
                        pos = e;
                        break;
                    }
                    case CodeInline code:
                        Text(pos, s, parts);
                        parts.Add(new InlinePlaceholder(NextId(), "other", null, text[s..e], code.Content));
                        pos = e;
                        break;
                    case LinkInline image:
                        Text(pos, s, parts);
                        parts.Add(new InlinePlaceholder(NextId(), "image", null, text[s..e], null));
                        pos = e;
                        break;
                    case AutolinkInline auto:
                        Text(pos, s, parts);
                        parts.Add(new InlinePlaceholder(NextId(), "link", null, text[s..e], auto.Url));
                        pos = e;
                        break;
                    default:
                        // Anything else the parser recognises (a footnote mark, inline HTML) is kept whole.
                        Text(pos, s, parts);
                        parts.Add(new InlinePlaceholder(NextId(), "other", null, text[s..e], null));
                        pos = e;
                        break;
                }
            }
            return pos;
        }
    }
}

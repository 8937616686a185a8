using System.Collections.Immutable;

namespace ContentEngine.Model;

/// <summary>
/// Markdown that holds directives below its top level: in a list item or a block quote. <see cref="Markdown"/> is the
/// source text (links canonical, as in <see cref="MarkdownBlock"/>), and <see cref="Directives"/> are its outermost
/// <c>:::</c> directives in the order they appear in it, checked and bound by the compiler as at the top level.
/// A renderer parses the text with the engine's pipeline and, where it meets the n-th outermost directive, renders
/// <c>Directives[n]</c> as it would at the top level. A directive with an error stands as <see cref="ContentTree.Omitted"/>.
/// </summary>
public sealed record MarkdownWithDirectivesBlock(string Markdown, ImmutableArray<DirectiveBlock> Directives) : ContentBlock;

/// <summary>Walks the directive tree of a body, through the directives nested in Markdown as well.</summary>
public static class ContentTree
{
    /// <summary>Stands for a nested directive left out because of an error: it renders nothing.</summary>
    public static DirectiveBlock Omitted { get; } = new(string.Empty, ImmutableSortedDictionary<string, string>.Empty, [], null);

    /// <summary>The directives that stand at this level of a body: its own, and those nested in its Markdown.</summary>
    public static IEnumerable<DirectiveBlock> Directives(this IEnumerable<ContentBlock> blocks)
    {
        foreach (var block in blocks)
        {
            if (block is DirectiveBlock d) yield return d;
            else if (block is MarkdownWithDirectivesBlock m)
                foreach (var nested in m.Directives.Where(n => n.Name.Length > 0)) yield return nested;
        }
    }

    /// <summary>Every directive of a body at any depth, with the <c>::: if</c> conditions around it, outermost first.</summary>
    public static IEnumerable<(DirectiveBlock Directive, ImmutableArray<Condition> Enclosing)> AllDirectives(this IEnumerable<ContentBlock> blocks) =>
        AllDirectives(blocks, []);

    private static IEnumerable<(DirectiveBlock, ImmutableArray<Condition>)> AllDirectives(IEnumerable<ContentBlock> blocks, ImmutableArray<Condition> enclosing)
    {
        foreach (var d in blocks.Directives())
        {
            yield return (d, enclosing);
            foreach (var inner in AllDirectives(d.Children, d.Name == "if" && d.Condition is { } c ? enclosing.Add(c) : enclosing))
                yield return inner;
        }
    }
}

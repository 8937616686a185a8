using Markdig;
using Markdig.Extensions.CustomContainers;
using Markdig.Parsers;
using Markdig.Renderers;

namespace ContentEngine.Directives;

/// <summary>
/// A <c>::: name {attributes}</c> … <c>:::</c> directive as Markdig parses it, wherever a block may start: at the top
/// level, in a list item, in a block quote or inside another directive. It is a custom container, so Markdig's
/// fence rules (a fence closes the open directive with the shortest fence at least as long) stay as they are.
/// </summary>
public sealed class DirectiveNode(BlockParser parser) : CustomContainer(parser)
{
    /// <summary>The directive's name, as written after the fence (empty for a bare fence).</summary>
    public string Name => Info ?? string.Empty;
}

/// <summary>
/// Opens a <see cref="DirectiveNode"/> on a fence of colons wherever a block may start. A directive that stands for
/// content read from elsewhere (<c>::: include {ref=…}</c>) is one line: it is closed where it opens.
/// </summary>
public sealed class DirectiveParser : CustomContainerParser
{
    protected override CustomContainer CreateFencedBlock(BlockProcessor processor) => new DirectiveNode(this);

    public override BlockState TryOpen(BlockProcessor processor)
    {
        var state = base.TryOpen(processor);
        if (state != BlockState.None && processor.NewBlocks.Count > 0 && processor.NewBlocks.Peek() is DirectiveNode node
            && DirectiveKinds.Find(node.Name) is { OneLine: true })
            return BlockState.BreakDiscard;
        return state;
    }
}

/// <summary>Puts the directive parser in place of Markdig's custom-container parser (its inline <c>::…::</c> stays).</summary>
public sealed class DirectiveExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        if (!pipeline.BlockParsers.Replace<CustomContainerParser>(new DirectiveParser()))
            pipeline.BlockParsers.Add(new DirectiveParser());
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
    }
}

using Markdig;

namespace ContentEngine.Markdown;

/// <summary>The one Markdown dialect of the engine: CommonMark plus tables, footnotes, generic attributes and directives.</summary>
public static class ContentPipeline
{
    /// <summary>Sealed and thread-safe; shared by the compiler and every renderer.</summary>
    public static MarkdownPipeline Instance { get; } = new MarkdownPipelineBuilder()
        .UsePreciseSourceLocation()
        .UseCustomContainers()
        .UsePipeTables()
        .UseFootnotes()
        .UseGenericAttributes()
        .Build();
}

using Markdig;
using Markdig.Syntax;

namespace ContentEngine.Markdown;

/// <summary>The one Markdown dialect of the engine: CommonMark plus tables, footnotes, generic attributes and directives.</summary>
public static class ContentPipeline
{
    /// <summary>Sealed and thread-safe; shared by the compiler and every renderer.</summary>
    public static MarkdownPipeline Instance { get; } = new MarkdownPipelineBuilder()
        .UsePreciseSourceLocation()
        .UseCustomContainers()
        .Use<ContentEngine.Directives.DirectiveExtension>()
        .UsePipeTables()
        .UseFootnotes()
        .UseGenericAttributes()
        .Build();

    /// <summary>
    /// Parses Markdown in the engine's dialect. Null when it nests deeper than the parser allows; <paramref name="tooDeepLine"/>
    /// is then the 0-based line where the nesting first goes too deep, and -1 otherwise.
    /// </summary>
    public static MarkdownDocument? Parse(string markdown, out int tooDeepLine)
    {
        tooDeepLine = -1;
        if (TryParse(markdown) is { } document) return document;
        tooDeepLine = TooDeepLine(markdown);
        return null;
    }

    private static MarkdownDocument? TryParse(string markdown)
    {
        try
        {
            return Markdig.Markdown.Parse(markdown, Instance);
        }
        catch (ArgumentException)
        {
            // Markdig's depth limit is its only ArgumentException on a string it is given.
            return null;
        }
    }

    /// <summary>The last line of the shortest run of whole lines from the start that is too deep (a binary search, log n parses).</summary>
    private static int TooDeepLine(string markdown)
    {
        var ends = new List<int>();
        for (var i = markdown.IndexOf('\n'); i >= 0; i = markdown.IndexOf('\n', i + 1)) ends.Add(i + 1);
        ends.Add(markdown.Length);
        // Invariant: the first lo lines parse and the first hi lines do not.
        int lo = 0, hi = ends.Count;
        while (hi - lo > 1)
        {
            var mid = lo + (hi - lo) / 2;
            if (TryParse(markdown[..ends[mid - 1]]) is null) hi = mid;
            else lo = mid;
        }
        return hi - 1;
    }
}

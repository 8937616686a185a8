using System.Collections.Immutable;

namespace ContentEngine.Model;

/// <summary>A module's or worksheet's body in one locale.</summary>
public sealed record Content(string Locale, string SourcePath, ImmutableArray<ContentBlock> Blocks, int Words);

public abstract record ContentBlock;

/// <summary>Ordinary Markdown; links are canonical (module:id, worksheet:id, media paths from the program folder).</summary>
public sealed record MarkdownBlock(string Markdown) : ContentBlock;

/// <summary>A <c>::: name {attributes}</c> container with its children; <c>if</c> carries its condition.</summary>
public sealed record DirectiveBlock(string Name, ImmutableSortedDictionary<string, string> Attributes, ImmutableArray<ContentBlock> Children, Condition? Condition) : ContentBlock
{
    /// <summary>Where the directive's name stands on its opening line.</summary>
    public Text.SourceLocation Location { get; init; }
}

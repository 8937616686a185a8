using ContentEngine.Compilation;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;
using ContentEngine.Markdown;
using ContentEngine.Model;
using ContentEngine.Text;
using Markdig.Syntax;
using Condition = ContentEngine.Model.Condition;

namespace ContentEngine.Directives;

/// <summary>
/// One kind of directive: its name, the attributes it takes, and the checks that bind them. The body reader does
/// what every kind shares (the fence, the attribute syntax, unknown, repeated and missing attributes) and then
/// asks the kind, wherever the directive stands: at the top level, in a list item, in a quote or in another directive.
/// </summary>
/// <param name="name">what the author writes after <c>:::</c>.</param>
/// <param name="attributes">the attributes it takes, in the order they are suggested.</param>
/// <param name="required">the attributes it cannot do without.</param>
/// <param name="key">the attribute that identifies it when a translation is compared with its original.</param>
/// <param name="requiredHint">said after "needs name=…" when a required attribute is missing.</param>
public abstract class DirectiveKind(string name, string[] attributes, string[]? required = null, string? key = null, string requiredHint = "")
{
    public string Name => name;

    /// <summary>The attributes it takes, in the order they are suggested.</summary>
    public string[] Attributes => attributes;

    public string[] Required { get; } = required ?? [];

    /// <summary>The attribute that identifies it when a translation is compared with its original.</summary>
    public string? KeyAttribute => key;

    /// <summary>Said after "needs name=…" when a required attribute is missing.</summary>
    public string RequiredHint => requiredHint;

    /// <summary>A directive of one line, with no closing fence and no children (<c>::: include {ref=…}</c>).</summary>
    public virtual bool OneLine => false;

    /// <summary>Reports a missing required attribute with a message of its own; false to use the general one.</summary>
    public virtual bool ReportMissing(DirectiveBinding binding, string attribute) => false;

    /// <summary>Checks and binds the attributes; false when the directive cannot be used (its error is reported).</summary>
    public virtual bool Bind(DirectiveBinding binding) => true;

    /// <summary>
    /// When the attributes of <paramref name="line"/> (from <paramref name="start"/>, after the name) cannot be read:
    /// what the author most likely meant, as a message with the column it points at; null to give the reader's own.
    /// </summary>
    public virtual (string Message, int Column)? ExplainUnreadable(string line, int start) => null;
}

/// <summary>What a directive kind sees of the directive it checks and of the body it stands in.</summary>
public sealed class DirectiveBinding
{
    public required DirectiveNode Node { get; init; }
    public required string Name { get; init; }

    /// <summary>The attributes as written; a kind may replace a value with its bound form (a media path, a number).</summary>
    public required SortedDictionary<string, string> Attributes { get; init; }

    /// <summary>Where each written attribute stands on the opening line.</summary>
    public required IReadOnlyDictionary<string, DirectiveAttribute> Written { get; init; }

    public required SourceLocation NameLocation { get; init; }
    public required DiagnosticBag Diagnostics { get; init; }
    public required ConditionScope Scope { get; init; }
    public required SourceFile File { get; init; }
    public required AssetResolver Assets { get; init; }

    /// <summary>The directives around this one, innermost first.</summary>
    public required IEnumerable<(string Name, IReadOnlyDictionary<string, string> Attributes)> Enclosing { get; init; }

    /// <summary>The location of a column of the opening line (from where the directive's fence starts) and a length.</summary>
    public required Func<int, int, SourceLocation> LineAt { get; init; }

    /// <summary>The location of a block of the body.</summary>
    public required Func<Block, SourceLocation> BlockAt { get; init; }

    /// <summary>Checks a media path (relative to the program folder); its program-relative path when it is usable.</summary>
    public required Func<string, SourceLocation, AssetKind, string?> ResolveAsset { get; init; }

    /// <summary>What the directive adds to the body's totals and references.</summary>
    public required BodyTotals Totals { get; init; }

    /// <summary>Reads a snippet where an include stands: its blocks, or null when it cannot be included (reported).</summary>
    public Func<string, SourceLocation, System.Collections.Immutable.ImmutableArray<ContentBlock>?>? Include { get; init; }

    /// <summary>What an include stands for: the snippet's blocks, read in its place.</summary>
    public System.Collections.Immutable.ImmutableArray<ContentBlock>? Included { get; set; }

    /// <summary>The locale of the text the directive stands in (the program's default locale for an original); null when unknown.</summary>
    public string? Locale { get; init; }

    /// <summary>The program's default locale; null when unknown.</summary>
    public string? ProgramLocale { get; init; }

    /// <summary>The bound condition of an <c>::: if</c>.</summary>
    public Condition? Condition { get; set; }

    /// <summary>The location of an attribute's value, or of the name when it was not written.</summary>
    public SourceLocation ValueAt(string attribute) => Written.TryGetValue(attribute, out var a)
        ? LineAt(a.ValueColumn, Math.Max(1, a.ValueLength)) : NameLocation;

    public void Report(string message) => Diagnostics.Report(DiagnosticDescriptors.DirectiveAttribute, NameLocation, Name, message);
}

/// <summary>What the directives of a body add up to.</summary>
public sealed class BodyTotals
{
    public double RecordedSeconds { get; set; }
    public double ExerciseMinutes { get; set; }
    public List<string> WorksheetRefs { get; } = [];

    /// <summary>The structure will change when an error is fixed: the body is not compared with its translation.</summary>
    public bool StructureBroken { get; set; }
}

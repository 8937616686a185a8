using Markdig.Syntax;

namespace ContentEngine.Directives;

/// <summary>
/// <c>::: include {ref=…}</c>: the Markdown of <c>snippets/&lt;ref&gt;.md</c>, read where the line stands as if it were
/// written there. One line, no closing fence; it stands on its own line, outside lists and quotes.
/// </summary>
public sealed class IncludeDirective() : DirectiveKind("include", ["ref"], ["ref"], "ref", ", the name of a file in snippets/ without .md, as in ref=breathing")
{
    public override bool OneLine => true;

    public override bool Bind(DirectiveBinding binding)
    {
        for (var parent = binding.Node.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ListItemBlock or QuoteBlock)
            {
                binding.Report($"must stand on a line of its own, not in a {(parent is QuoteBlock ? "quote" : "list item")}: its text is read as a whole part of the module; put it before or after the {(parent is QuoteBlock ? "quote" : "list")}");
                return false;
            }
        }
        if (!binding.Attributes.TryGetValue("ref", out var reference) || binding.Include is not { } include) return true;
        binding.Included = include(reference, binding.ValueAt("ref"));
        return binding.Included is not null;
    }
}

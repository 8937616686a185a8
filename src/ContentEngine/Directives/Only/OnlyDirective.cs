using ContentEngine.Compilation;
using ContentEngine.Diagnostics;

namespace ContentEngine.Directives;

/// <summary><c>::: only {formats="web print audio"}</c>: content for some outputs only.</summary>
public sealed class OnlyDirective() : DirectiveKind("only", ["formats"], ["formats"], "formats", ", one or more of web, print, audio")
{
    public static readonly string[] Formats = ["web", "print", "audio"];


    public override bool Bind(DirectiveBinding binding)
    {
        if (!binding.Attributes.TryGetValue("formats", out var formats)) return true;
        var list = formats.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var f in list.Where(f => !Formats.Contains(f)))
            binding.Diagnostics.Report(DiagnosticDescriptors.DirectiveAttribute, binding.ValueAt("formats"), Name,
                $"has an unknown format '{f}'{Suggestions.DidYouMean(f, Formats)}; formats are web, print and audio");
        if (list.Length == 0)
            binding.Diagnostics.Report(DiagnosticDescriptors.DirectiveAttribute, binding.ValueAt("formats"), Name, "needs at least one format: web, print or audio");
        return true;
    }
}

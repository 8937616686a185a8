using ContentEngine.Compilation;
using ContentEngine.Diagnostics;

namespace ContentEngine.Directives;

/// <summary><c>::: worksheet {ref=…}</c>: places a worksheet, which must exist.</summary>
public sealed class WorksheetDirective() : DirectiveKind("worksheet", ["ref"], ["ref"], "ref", ", the id of the worksheet to place here")
{
    public override bool Bind(DirectiveBinding binding)
    {
        if (!binding.Attributes.TryGetValue("ref", out var reference)) return true;
        var scope = binding.Scope;
        if (scope.Worksheets.ContainsKey(reference))
        {
            binding.Totals.WorksheetRefs.Add(reference);
            return true;
        }
        if (!scope.Broken.Contains(reference))
            binding.Diagnostics.Report(DiagnosticDescriptors.UnknownWorksheet, binding.ValueAt("ref"), reference,
                Suggestions.ForReference(reference, scope.Worksheets.Keys.Concat(scope.Broken.Where(b => !b.Contains('.'))), "worksheets"));
        return false;
    }
}

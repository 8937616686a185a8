using ContentEngine.Diagnostics;
using ContentEngine.Text;
using Condition = ContentEngine.Model.Condition;

namespace ContentEngine.Conditions;

/// <summary>Parses and binds a condition written at a place in a file, reporting at the exact columns.</summary>
public static class ConditionCompiler
{
    /// <param name="start">where the condition's first character stands (a single line).</param>
    public static Condition? Compile(string source, SourceLocation start, ConditionScope scope, DiagnosticBag diagnostics)
    {
        SourceLocation At(int offset, int length) =>
            start.HasPosition ? start with { Column = start.Column + offset, Length = Math.Max(1, length) } : start;

        var (syntax, error) = ConditionParser.Parse(source);
        if (error is not null)
        {
            diagnostics.Report(DiagnosticDescriptors.ConditionSyntax, At(error.Start, error.Length), error.Message);
            return null;
        }
        var tree = ConditionBinder.Bind(syntax!, scope, (d, s, l, args) => diagnostics.Report(d, At(s, l), args));
        return tree is null ? null : new Condition(source, tree);
    }
}

using ContentEngine.Diagnostics;
using ContentEngine.Text;
using Condition = ContentEngine.Model.Condition;

namespace ContentEngine.Conditions;

/// <summary>Parses and binds a condition written at a place in a file, reporting at the exact columns.</summary>
public static class ConditionCompiler
{
    /// <param name="at">where a span of the condition's text stands in its file.</param>
    public static Condition? Compile(string source, Func<int, int, SourceLocation> at, ConditionScope scope, DiagnosticBag diagnostics)
    {
        SourceLocation At(int offset, int length) => at(offset, length);

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

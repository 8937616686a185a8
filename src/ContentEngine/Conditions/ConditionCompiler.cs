using ContentEngine.Diagnostics;
using ContentEngine.Text;
using Condition = ContentEngine.Model.Condition;

namespace ContentEngine.Conditions;

/// <summary>Parses and binds a condition written at a place in a file, reporting at the exact columns.</summary>
public static class ConditionCompiler
{
    /// <param name="at">where a span of the condition's text stands in its file.</param>
    /// <param name="file">the file the condition is written in, to show the line corrected when it has word-processor punctuation.</param>
    public static Condition? Compile(string source, Func<int, int, SourceLocation> at, ConditionScope scope, DiagnosticBag diagnostics, SourceFile? file = null)
    {
        SourceLocation At(int offset, int length) => at(offset, length);

        if (Typography.OutsideQuotes(source, 0) is { Count: > 0 } typed)
        {
            ReportTypography(source, typed, at, diagnostics, file);
            return null;
        }
        var (syntax, error) = ConditionParser.Parse(source);
        if (error is not null)
        {
            diagnostics.Report(DiagnosticDescriptors.ConditionSyntax, At(error.Start, error.Length), error.Message);
            return null;
        }
        var tree = ConditionBinder.Bind(syntax!, scope, (d, s, l, args) => diagnostics.Report(d, At(s, l), args), source);
        if (tree is null) return null;
        var whole = At(0, source.Length);
        return new Condition(source, tree) { Location = whole };
    }

    /// <summary>One error for all the curly quotes, dashes and odd spaces in a condition, with the line as it should be.</summary>
    private static void ReportTypography(string source, List<int> offsets, Func<int, int, SourceLocation> at, DiagnosticBag diagnostics, SourceFile? file)
    {
        var first = at(offsets[0], 1);
        var (found, needed) = Typography.Describe(source[offsets[0]]);
        string corrected;
        var columns = offsets.Select(o => at(o, 1)).Where(l => l.Line == first.Line).Select(l => l.Column).ToList();
        if (file is not null && first.HasPosition && columns.Count == offsets.Count)
        {
            // Inside a double-quoted attribute or YAML value, text in the condition takes single quotes, and the other way round.
            var line = file.GetLine(first.Line);
            var start = at(0, 1).Column;
            var enclosing = start > 0 && start - 1 < line.Length && line[start - 1] is '"' or '\'' ? line[start - 1] : '\0';
            corrected = Typography.Straighten(line, columns, enclosing);
        }
        else corrected = Typography.Straighten(source, offsets);
        diagnostics.Report(DiagnosticDescriptors.WordProcessorPunctuation, first, found, "a condition", needed, corrected);
    }
}

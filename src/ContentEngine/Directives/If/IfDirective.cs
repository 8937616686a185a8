using ContentEngine.Markdown;
using ContentEngine.Conditions;

namespace ContentEngine.Directives;

/// <summary><c>::: if {when="…"}</c>: content shown when a condition on the patient's answers holds.</summary>
public sealed class IfDirective() : DirectiveKind("if", ["when"], ["when"], "when", ", the condition under which the content shows")
{
    public override (string Message, int Column)? ExplainUnreadable(string line, int start) =>
        DirectiveAttributeParser.Parse(line, start).Error is null ? null : IfConditionQuotes.Explain(line, start);

    public override bool Bind(DirectiveBinding binding)
    {
        if (!binding.Attributes.TryGetValue("when", out var when)) return true;
        var written = binding.Written["when"];
        binding.Condition = ConditionCompiler.Compile(when, (offset, length) =>
        {
            // Positions in the condition are positions in the value as written (quotes and escapes included).
            var from = written.Columns[Math.Clamp(offset, 0, written.Columns.Count - 1)];
            var to = written.Columns[Math.Clamp(offset + length, 0, written.Columns.Count - 1)];
            return binding.LineAt(from, Math.Max(1, to - from));
        }, binding.Scope, binding.Diagnostics, binding.File);
        return binding.Condition is not null;
    }
}

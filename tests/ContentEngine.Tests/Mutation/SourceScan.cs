using System.Text.RegularExpressions;

namespace ContentEngine.Tests.Mutation;

/// <summary>
/// One line of block YAML (program.yaml, or a Markdown file's front matter), as far as the mutations need to know it:
/// its indentation, whether it is a list item, its key and value, and the key of the mapping it is in.
/// </summary>
/// <param name="Line">0-based line in the file.</param>
/// <param name="Indent">Leading spaces.</param>
/// <param name="Dash">The line starts a list item (<c>- </c>).</param>
/// <param name="KeyColumn">The column of the key (after the dash of a list item).</param>
/// <param name="Key">The key, or null for a line that is no <c>key:</c> line (a flow item, a continuation).</param>
/// <param name="Value">What follows <c>key:</c> and its spaces, comments included; empty for <c>key:</c> alone.</param>
/// <param name="Parent">The key of the enclosing block mapping or list, or null at the top.</param>
internal sealed record YamlLine(int Line, int Indent, bool Dash, int KeyColumn, string? Key, string Value, string? Parent)
{
    /// <summary>The value is a plain scalar on this line, with no comment after it.</summary>
    public bool HasPlainValue => Value.Length > 0 && "{[\"'|>&*!%@#`".IndexOf(Value[0]) < 0 && !Value.Contains(" #", StringComparison.Ordinal);
}

/// <summary>A directive in a Markdown body, paired with its closing fence.</summary>
internal sealed record DirectiveSite(int Open, int Close, int Fence, string Name, int Depth, bool HasChildren);

/// <summary>A condition written in a source line: in <c>offer_when: '…'</c> or in <c>when="…"</c>.</summary>
/// <param name="Start">Column of the condition's first character in the line.</param>
/// <param name="Quote">The quote around the condition.</param>
/// <param name="InYaml">In front matter (offer_when) rather than a directive's attributes.</param>
internal sealed record ConditionSite(int Line, int Start, string Text, char Quote, bool InYaml);

internal enum ReferenceRole { Worksheet, Field, Module, AnsweredWorksheet }

/// <summary>A name inside a condition; <see cref="Start"/> is relative to the condition.</summary>
internal sealed record ConditionName(int Start, string Name, ReferenceRole Role);

/// <summary>A number compared with something in a condition; <see cref="Start"/> is relative to the condition.</summary>
internal sealed record ConditionNumber(int Start, string Number, string Operator);

/// <summary>Finds the places of the sample where mutations apply. It reads only the simple forms the sample uses.</summary>
internal static partial class SourceScan
{
    [GeneratedRegex(@"^([A-Za-z0-9_][A-Za-z0-9_-]*):(?:( +)(.*))?$")]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"^(:{3,})[ \t]*([A-Za-z][A-Za-z0-9-]*)(.*)$")]
    private static partial Regex Opening();

    [GeneratedRegex(@"^(:{3,})[ \t]*$")]
    private static partial Regex Closing();

    [GeneratedRegex(@"\bwhen=(""([^""]*)""|'([^']*)')")]
    private static partial Regex WhenAttribute();

    [GeneratedRegex(@"^offer_when: '([^']*)'\s*$")]
    private static partial Regex OfferWhen();

    [GeneratedRegex(@"(?<![A-Za-z0-9.-])([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*)(\(\s*([a-z][a-z0-9-]*)?\s*\))?")]
    private static partial Regex Member();

    [GeneratedRegex(@"\b(completed|chosen|answered)\(\s*([a-z][a-z0-9-]*)\s*\)")]
    private static partial Regex Function();

    [GeneratedRegex(@"(==|!=|<=|>=|<|>)\s*(\d+(?:\.\d+)?)(?![\w.])")]
    private static partial Regex NumberAfterOperator();

    private static readonly HashSet<string> Aggregates = ["mean", "min", "max", "last", "count"];

    /// <summary>The 0-based line of the front matter's closing fence, or -1 when the file has none.</summary>
    public static int FrontMatterEnd(SourceText file)
    {
        if (!file.IsMarkdown || file.Lines.Count == 0 || file.Lines[0].TrimEnd() != "---") return -1;
        for (var i = 1; i < file.Lines.Count; i++)
            if (file.Lines[i].TrimEnd() is "---" or "...") return i;
        return -1;
    }

    /// <summary>The block YAML lines of program.yaml or of a Markdown file's front matter (blank and comment lines left out).</summary>
    public static List<YamlLine> Yaml(SourceText file)
    {
        int first, end;
        if (file.IsMarkdown)
        {
            end = FrontMatterEnd(file);
            if (end < 0) return [];
            first = 1;
        }
        else
        {
            first = 0;
            end = file.Lines.Count;
        }
        var result = new List<YamlLine>();
        var stack = new Stack<(int Column, string Key)>();
        var blockScalarAbove = -1; // inside a | or > scalar: lines indented more than this column are its text
        for (var i = first; i < end; i++)
        {
            var line = file.Lines[i];
            var indent = line.Length - line.TrimStart(' ').Length;
            var rest = line[indent..];
            if (rest.Trim().Length == 0 || rest.StartsWith('#')) continue;
            if (blockScalarAbove >= 0)
            {
                if (indent > blockScalarAbove) continue;
                blockScalarAbove = -1;
            }
            var dash = rest.StartsWith("- ", StringComparison.Ordinal);
            var keyColumn = indent;
            if (dash)
            {
                var item = rest[2..];
                keyColumn = indent + 2 + (item.Length - item.TrimStart(' ').Length);
                rest = item.TrimStart(' ');
            }
            var m = KeyLine().Match(rest);
            if (!m.Success)
            {
                result.Add(new YamlLine(i, indent, dash, keyColumn, null, rest, stack.Count > 0 ? stack.Peek().Key : null));
                continue;
            }
            var key = m.Groups[1].Value;
            var value = m.Groups[3].Success ? m.Groups[3].Value.TrimEnd() : string.Empty;
            while (stack.Count > 0 && stack.Peek().Column >= keyColumn) stack.Pop();
            var parent = stack.Count > 0 ? stack.Peek().Key : null;
            stack.Push((keyColumn, key));
            if (value.Length > 0 && (value[0] is '|' or '>')) blockScalarAbove = keyColumn;
            result.Add(new YamlLine(i, indent, dash, keyColumn, key, value, parent));
        }
        return result;
    }

    /// <summary>
    /// The directives of a Markdown body, each paired with its closing fence (a line of as many colons), or null when
    /// the fences of the file do not pair up one to one, so that which line closes which directive would be a guess.
    /// </summary>
    public static List<DirectiveSite>? Directives(SourceText file)
    {
        var body = FrontMatterEnd(file) + 1;
        if (body <= 0) return null;
        var result = new List<DirectiveSite>();
        var open = new Stack<(int Line, int Fence, string Name, int Children)>();
        var inCode = false;
        for (var i = body; i < file.Lines.Count; i++)
        {
            var line = file.Lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal)) inCode = !inCode;
            if (inCode) continue;
            if (Closing().Match(line) is { Success: true } c)
            {
                if (open.Count == 0 || open.Peek().Fence != c.Groups[1].Length) return null;
                var o = open.Pop();
                result.Add(new DirectiveSite(o.Line, i, o.Fence, o.Name, open.Count, o.Children > 0));
                if (open.Count > 0)
                {
                    var parent = open.Pop();
                    open.Push(parent with { Children = parent.Children + 1 });
                }
            }
            else if (Opening().Match(line) is { Success: true } m)
            {
                var fence = m.Groups[1].Length;
                if (open.Count > 0 && open.Peek().Fence <= fence) return null; // a nested fence must be shorter
                open.Push((i, fence, m.Groups[2].Value, 0));
            }
        }
        return open.Count == 0 ? result.OrderBy(d => d.Open).ToList() : null;
    }

    /// <summary>The conditions of a file: offer_when in front matter (single-quoted, on one line) and when= in directives.</summary>
    public static List<ConditionSite> Conditions(SourceText file)
    {
        var result = new List<ConditionSite>();
        var end = FrontMatterEnd(file);
        if (end < 0) return result;
        for (var i = 1; i < end; i++)
            if (OfferWhen().Match(file.Lines[i]) is { Success: true } m && !m.Groups[1].Value.Contains("''", StringComparison.Ordinal))
                result.Add(new ConditionSite(i, m.Groups[1].Index, m.Groups[1].Value, '\'', InYaml: true));
        foreach (var d in Directives(file) ?? [])
        {
            var line = file.Lines[d.Open];
            if (WhenAttribute().Match(line) is not { Success: true } w) continue;
            var inner = w.Groups[2].Success ? w.Groups[2] : w.Groups[3];
            result.Add(new ConditionSite(d.Open, inner.Index, inner.Value, w.Groups[1].Value[0], InYaml: false));
        }
        return result;
    }

    /// <summary>The condition with the inside of its text literals blanked out, so that names are not looked for there.</summary>
    private static string WithoutTexts(string condition)
    {
        var chars = condition.ToCharArray();
        char? quote = null;
        for (var i = 0; i < chars.Length; i++)
        {
            if (quote is null)
            {
                if (chars[i] is '"' or '\'') quote = chars[i];
            }
            else if (chars[i] == quote) quote = null;
            else chars[i] = ' ';
        }
        return new string(chars);
    }

    /// <summary>The worksheet, field and module names of a condition.</summary>
    public static List<ConditionName> Names(string condition)
    {
        var text = WithoutTexts(condition);
        var result = new List<ConditionName>();
        foreach (Match m in Member().Matches(text))
        {
            result.Add(new ConditionName(m.Groups[1].Index, m.Groups[1].Value, ReferenceRole.Worksheet));
            if (Aggregates.Contains(m.Groups[2].Value))
            {
                if (m.Groups[4].Success) result.Add(new ConditionName(m.Groups[4].Index, m.Groups[4].Value, ReferenceRole.Field));
            }
            else if (!m.Groups[3].Success) result.Add(new ConditionName(m.Groups[2].Index, m.Groups[2].Value, ReferenceRole.Field));
        }
        foreach (Match m in Function().Matches(text))
            result.Add(new ConditionName(m.Groups[2].Index, m.Groups[2].Value, m.Groups[1].Value == "answered" ? ReferenceRole.AnsweredWorksheet : ReferenceRole.Module));
        return result.OrderBy(n => n.Start).ToList();
    }

    /// <summary>The numbers a condition compares with (<c>&gt;= 7</c>).</summary>
    public static List<ConditionNumber> Numbers(string condition) =>
        NumberAfterOperator().Matches(WithoutTexts(condition))
            .Select(m => new ConditionNumber(m.Groups[2].Index, m.Groups[2].Value, m.Groups[1].Value))
            .ToList();
}

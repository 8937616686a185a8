namespace ContentEngine.Directives;

/// <summary>
/// The two ways a <c>::: if</c> line goes wrong in its quotes: a condition written without quotes
/// (<c>::: if {when=pain.x &gt;= 7}</c> or <c>::: if pain.x &gt;= 7</c>), and one whose text holds the quote that
/// surrounds it (<c>when="a == "x""</c>). Each is told with the line as it should be written.
/// </summary>
internal static class IfConditionQuotes
{
    /// <summary>The message and column for an unreadable <c>::: if</c> line, or null when it is not one of these mistakes.</summary>
    public static (string Message, int Column)? Explain(string line, int start)
    {
        var head = line[..start];
        var i = start;
        while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
        if (i >= line.Length) return null;
        var end = line.TrimEnd().Length;
        string condition;
        int column;
        if (line[i] != '{')
        {
            // "::: if pain.x >= 7": the condition with neither braces nor when=.
            (condition, column) = (Unquote(line[i..end].Trim()), i);
        }
        else
        {
            var j = i + 1;
            while (j < end && char.IsWhiteSpace(line[j])) j++;
            if (!line.AsSpan(j).StartsWith("when", StringComparison.Ordinal)) return null;
            j += 4;
            while (j < end && char.IsWhiteSpace(line[j])) j++;
            if (j >= end || line[j] != '=') return null;
            j++;
            while (j < end && char.IsWhiteSpace(line[j])) j++;
            var close = line[end - 1] == '}' ? end - 1 : end;
            var raw = line[j..close].Trim();
            if (raw.Length == 0) return null;
            column = j;
            if (raw.Length >= 2 && raw[0] is '"' or '\'' && raw[^1] == raw[0] && raw[1..^1].Contains(raw[0]))
            {
                // The condition holds the quote that surrounds it: the value ends at its first inner quote.
                var (outer, other) = (raw[0], raw[0] == '"' ? '\'' : '"');
                var inner = raw[1..^1];
                var fixedLine = inner.Contains(other)
                    ? $"{head.Trim()} {{when={outer}{inner.Replace(outer, other)}{outer}}}"
                    : $"{head.Trim()} {{when={other}{inner}{other}}}";
                return ($"has a condition that holds the quote {outer} that surrounds it, so the condition ends at its second {outer}; "
                    + $"use the other kind of quote inside or around it: {fixedLine}", column);
            }
            if (raw[0] is '"' or '\'') return null;
            condition = raw;
        }
        if (condition.Length == 0) return null;
        var quote = condition.Contains('"') ? '\'' : '"';
        return ($"needs its condition in quotes inside braces, as when=\"…\"; write: {head.Trim()} {{when={quote}{condition}{quote}}}", column);
    }

    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] is '"' or '\'' && text[^1] == text[0] && !text[1..^1].Contains(text[0]) ? text[1..^1] : text;
}

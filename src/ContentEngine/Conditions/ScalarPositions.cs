using ContentEngine.Text;
using ContentEngine.Yaml;

namespace ContentEngine.Conditions;

/// <summary>
/// Maps an offset in a scalar's value back to its place in the file, through quotes and escapes, so
/// a diagnostic in a condition points at the exact column.
/// </summary>
public static class ScalarPositions
{
    public static Func<int, int, SourceLocation> Map(YScalar scalar, SourceFile file)
    {
        var start = scalar.Location;
        var rawStart = file.GetOffset(start.Line, start.Column);
        var raw = file.Text.AsSpan(rawStart);
        var quote = raw.Length > 0 && raw[0] is '"' or '\'' ? raw[0] : '\0';
        var lineEnd = raw.IndexOf('\n');
        var line = lineEnd < 0 ? raw : raw[..lineEnd];

        // Offsets of each value character within the raw line; a scalar over several lines falls back to its start.
        var columns = new List<int>();
        if (quote == '\0' && !scalar.IsPlain)
            return (_, _) => start with { Length = 1 };
        var i = quote == '\0' ? 0 : 1;
        while (i < line.Length && columns.Count < scalar.Value.Length)
        {
            if (quote == '"' && line[i] == '\\' && i + 1 < line.Length) { columns.Add(i); i += 2; continue; }
            if (quote == '\'' && line[i] == '\'' && i + 1 < line.Length && line[i + 1] == '\'') { columns.Add(i); i += 2; continue; }
            if (quote != '\0' && line[i] == quote) break;
            columns.Add(i++);
        }
        columns.Add(i);
        var complete = columns.Count == scalar.Value.Length + 1;
        return (offset, length) =>
        {
            if (!complete) return start with { Length = 1 };
            var from = columns[Math.Clamp(offset, 0, columns.Count - 1)];
            var to = columns[Math.Clamp(offset + length, 0, columns.Count - 1)];
            return start with { Column = start.Column + from, Length = Math.Max(1, to - from) };
        };
    }

    /// <summary>For a value whose characters stand one for one on a line from a start column.</summary>
    public static Func<int, int, SourceLocation> Verbatim(SourceLocation start) =>
        (offset, length) => start with { Column = start.Column + offset, Length = Math.Max(1, length) };
}

using System.Text.RegularExpressions;
using ContentEngine.Diagnostics;
using ContentEngine.Text;

namespace ContentEngine.Yaml;

/// <summary>
/// What the YAML reader reports badly, said in the author's words: tabs and word-processor
/// characters in the layout (found before the reader runs, at the very character), and keys
/// indented to the wrong column (worked out from the reader's error and the lines above it).
/// </summary>
public static partial class YamlLayout
{
    [GeneratedRegex(@"^(?<indent> *)(?<dash>- +)*(?<key>[^\s:#'""\[\]{},&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?):(?<after>\s|$)")]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"[|>][-+0-9]*\s*(#.*)?$")]
    private static partial Regex BlockScalarStart();

    /// <summary>
    /// Reports the first tab in a line's indentation, or the first word-processor character where
    /// YAML needs a plain one (a non-breaking space in the indentation or after a key's colon, an
    /// en dash as a list's hyphen). Returns false when it reported one.
    /// </summary>
    public static bool Check(SourceFile file, string yaml, int lineOffset, DiagnosticBag diagnostics)
    {
        var lines = yaml.Split('\n');
        var blockIndent = -1; // the indentation of the key line that opened a block scalar (| or >), while inside it
        var contentIndent = -1;
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd('\r');
            var lead = 0;
            while (lead < line.Length && line[lead] is ' ' or '\t' || lead < line.Length && Typography.PlainFor(line[lead]) == " ") lead++;
            var spaces = 0;
            while (spaces < line.Length && line[spaces] == ' ') spaces++;
            if (lead == line.Length) continue; // blank
            if (blockIndent >= 0)
            {
                if (contentIndent < 0 && spaces > blockIndent) contentIndent = spaces;
                if (contentIndent >= 0 && spaces >= contentIndent) continue; // text of the block, tabs and all
                blockIndent = contentIndent = -1;
            }
            var at = lineOffset + n;
            if (line[..lead].IndexOf('\t') is >= 0 and var tab)
            {
                diagnostics.Report(DiagnosticDescriptors.TabIndentation, file.Location(at, tab, 1), Sibling(lines, n, spaces));
                return false;
            }
            var odd = new List<int>();
            for (var i = 0; i < lead; i++)
                if (line[i] != ' ') odd.Add(i);
            var rest = line[lead..];
            if (rest.Length > 1 && Typography.PlainFor(rest[0]) == "-" && rest[0] != '-' && (rest[1] == ' ' || Typography.PlainFor(rest[1]) == " "))
                odd.Add(lead); // "– item" typed for "- item"
            // After "key:", a non-breaking space makes the colon part of a text, not a key.
            var colon = KeyColon(line);
            if (colon >= 0 && colon + 1 < line.Length && Typography.PlainFor(line[colon + 1]) == " " && line[colon + 1] != ' ')
                odd.Add(colon + 1);
            if (odd.Count > 0)
            {
                var (found, needed) = Typography.Describe(line[odd[0]]);
                diagnostics.Report(DiagnosticDescriptors.WordProcessorPunctuation, file.Location(at, odd[0], 1), found, "YAML", needed, Typography.Straighten(line, odd));
                return false;
            }
            if (KeyLine().Match(line) is { Success: true } m && BlockScalarStart().IsMatch(line[(m.Length)..]))
                blockIndent = spaces;
            else if (Regex.IsMatch(line, @"^ *- +[|>][-+0-9]*\s*$"))
                blockIndent = spaces;
        }
        return true;
    }

    /// <summary>The column of the colon that ends a line's first key when a non-breaking space follows it, else -1.</summary>
    private static int KeyColon(string line)
    {
        var i = 0;
        while (i < line.Length && (line[i] == ' ' || Typography.PlainFor(line[i]) == " ")) i++;
        while (i + 1 < line.Length && line[i] == '-' && (line[i + 1] == ' ' || Typography.PlainFor(line[i + 1]) == " "))
        {
            i += 2;
            while (i < line.Length && (line[i] == ' ' || Typography.PlainFor(line[i]) == " ")) i++;
        }
        var start = i;
        if (i < line.Length && line[i] is '"' or '\'' or '#' or '[' or '{' or '|' or '>') return -1;
        while (i < line.Length && (char.IsLetterOrDigit(line[i]) || line[i] is '-' or '_' or '.')) i++;
        return i > start && i < line.Length && line[i] == ':' ? i : -1;
    }

    /// <summary>"; …at column N, like 'key' on the line above" for a tab-indented line, when the line above shows where.</summary>
    private static string Sibling(string[] lines, int n, int spaces)
    {
        for (var p = n - 1; p >= 0; p--)
        {
            var above = lines[p].TrimEnd('\r');
            if (above.Trim().Length == 0 || above.TrimStart().StartsWith('#')) continue;
            var (column, name, _) = KeyColumn(above);
            if (name is null || above.Contains('\t')) return string.Empty;
            return above.TrimEnd().EndsWith(':')
                ? $"; a key inside '{name}' (the line above) starts further right than its column {column + 1}"
                : $"; a key beside '{name}' (the line above) starts at column {column + 1}, like it";
        }
        return string.Empty;
    }

    /// <summary>The column and name of a line's key (after any "- "), or null when the line has none.</summary>
    private static (int Column, string? Name, int DashColumn) KeyColumn(string line)
    {
        var m = KeyLine().Match(line);
        if (!m.Success) return (-1, null, -1);
        var dash = m.Groups["dash"].Success ? m.Groups["indent"].Length : -1;
        return (m.Groups["key"].Index, m.Groups["key"].Value.Trim(), dash);
    }

    /// <summary>
    /// For a reader error at <paramref name="errorLine"/> (0-based, in <paramref name="yaml"/>), an
    /// explanation when the cause is a key indented to the wrong column; null otherwise.
    /// </summary>
    /// <param name="errorColumn">the reader's column (0-based) of the error, or -1.</param>
    /// <param name="lineOffset">the file line on which the YAML starts, for the line numbers in the message.</param>
    public static string? ExplainIndentation(string yaml, int errorLine, int errorColumn, string readerMessage, int lineOffset)
    {
        var lines = yaml.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (errorLine < 0 || errorLine >= lines.Length) return null;
        var line = lines[errorLine];
        var (column, name, _) = KeyColumn(line);
        if (name is null) return null;
        var invalidMapping = readerMessage.Contains("invalid mapping", StringComparison.OrdinalIgnoreCase)
            || readerMessage.Contains("Mapping values are not allowed", StringComparison.OrdinalIgnoreCase);
        // "title: Week 1: values" fails on the key's own line: a value with ': ' in it, where the quoting advice is right.
        if (invalidMapping && errorColumn >= 0 && errorColumn != column + name.Length) return null;

        // The keys above, from the nearest outwards, each one further left than the one before.
        var path = new List<(int Column, string Name, int Line, bool HasValue, int DashColumn, int ItemLine)>();
        for (var p = errorLine - 1; p >= 0; p--)
        {
            var above = lines[p];
            if (above.Trim().Length == 0 || above.TrimStart().StartsWith('#')) continue;
            var (c, n, dash) = KeyColumn(above);
            if (n is null) continue;
            if (path.Count > 0 && c >= path[^1].Column)
            {
                // "- id: …" opens the list item whose keys these are: remember where its '-' stands.
                if (dash >= 0 && c == path[^1].Column && path[^1].DashColumn < 0) path[^1] = path[^1] with { DashColumn = dash, ItemLine = p + lineOffset + 1 };
                continue;
            }
            var value = above[(c + n.Length + 1)..].Trim();
            path.Add((c, n, p + lineOffset + 1, value.Length > 0 && value[0] is not ('#' or '|' or '>'), dash, p + lineOffset + 1));
            if (c == 0) break;
        }
        if (path.Count == 0) return null;
        var nearest = path[0];
        if (column > nearest.Column)
        {
            if (!nearest.HasValue) return null; // a key inside a mapping that opens on the line above: not the cause
            return $"'{name}' stands further right (column {column + 1}) than '{nearest.Name}' on line {nearest.Line} (column {nearest.Column + 1}), so it is read as part of the value of '{nearest.Name}'; "
                + $"to make it a key beside '{nearest.Name}', move it to column {nearest.Column + 1}";
        }
        if (path.Any(k => k.Column == column)) return null;
        if (path.FirstOrDefault(k => k.DashColumn == column) is { Name: not null } item)
            return $"'{name}' stands at column {column + 1}, where the '-' of the list item on line {item.ItemLine} stands; "
                + $"to make it a key of that item, move it to column {item.Column + 1}, like '{item.Name}', or start a new item with '- '";
        var closest = path.OrderBy(k => Math.Abs(k.Column - column)).ThenByDescending(k => k.Column).First();
        return $"'{name}' stands at column {column + 1}, where no key above it stands; the keys of one mapping start in the same column: "
            + $"move it to column {closest.Column + 1}, like '{closest.Name}' on line {closest.Line}";
    }
}

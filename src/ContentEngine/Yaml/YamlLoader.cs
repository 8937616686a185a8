using ContentEngine.Diagnostics;
using ContentEngine.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ContentEngine.Yaml;

/// <summary>
/// Reads one YAML document into a <see cref="YNode"/> tree with positions, from YamlDotNet's event
/// stream. It never recurses on the input, caps nesting and alias expansion, and turns every
/// problem into a diagnostic.
/// </summary>
public static class YamlLoader
{
    public const int MaxDepth = 64;
    public const long MaxExpandedNodes = 200_000;

    /// <param name="lineOffset">the 0-based line of the file on which <paramref name="yaml"/> starts.</param>
    public static YNode? Load(SourceFile file, string yaml, int lineOffset, DiagnosticBag diagnostics)
    {
        if (!YamlLayout.Check(file, yaml, lineOffset, diagnostics)) return null;
        try
        {
            return LoadCore(file, yaml, lineOffset, diagnostics);
        }
        catch (YamlException e)
        {
            var yamlLine = (int)Math.Max(0, e.Start.Line - 1);
            var line = yamlLine + lineOffset;
            var col = (int)Math.Max(0, e.Start.Column - 1);
            if (YamlLayout.ExplainIndentation(yaml, yamlLine, col, e.Message, lineOffset) is { } indentation)
            {
                var text = file.GetLine(line);
                var keyStart = text.Length - text.TrimStart(' ', '-').Length;
                var keyEnd = text.IndexOf(':', keyStart);
                diagnostics.Report(DiagnosticDescriptors.Indentation, file.Location(line, keyStart, Math.Max(1, keyEnd - keyStart)), indentation);
                return null;
            }
            if (CurlyQuotedValue(file.GetLine(line)) is { } curly)
            {
                var (found, needed) = Typography.Describe(file.GetLine(line)[curly[0]]);
                diagnostics.Report(DiagnosticDescriptors.WordProcessorPunctuation, file.Location(line, curly[0], 1), found, "YAML", needed,
                    Typography.Straighten(file.GetLine(line), curly));
                return null;
            }
            if (UnclosedQuoteBefore(yaml, yamlLine) is { } open)
            {
                var quote = yaml.Split('\n')[open.Line][open.Column];
                diagnostics.Report(DiagnosticDescriptors.YamlSyntax, file.Location(open.Line + lineOffset, open.Column, 1),
                    $"this value opens a quote ({quote}) that is not closed on its line, so YAML reads on to the next {quote} (line {line + 1}); end the value with {quote} on this line" +
                    (quote == '\'' ? ", and write an apostrophe inside single quotes as ''" : ""));
                return null;
            }
            diagnostics.Report(DiagnosticDescriptors.YamlSyntax, file.Location(line, col, 1), CleanMessage(e.Message, file.GetLine(line)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser gives up this way on some unfinished documents, such as an unclosed '['.
            var lines = yaml.Split('\n');
            var last = Array.FindLastIndex(lines, l => l.Trim().Length > 0);
            var line = Math.Max(0, last) + lineOffset;
            diagnostics.Report(DiagnosticDescriptors.YamlSyntax, file.Location(line, 0, Math.Max(1, last >= 0 ? lines[last].TrimEnd().Length : 1)),
                "it ends in the middle of a value: a list in [brackets], a mapping in {braces} or a quoted text is not closed");
            return null;
        }
    }

    /// <summary>
    /// The latest line before <paramref name="errorLine"/> whose value (after <c>key: </c> or <c>- </c>) opens a quote that
    /// the line does not close, with the quote's column: a quoted value left open runs on to the next quote of its kind,
    /// often an apostrophe lines later, where the reader fails. Null when every quote is closed on its line.
    /// </summary>
    internal static (int Line, int Column)? UnclosedQuoteBefore(string yaml, int errorLine)
    {
        var lines = yaml.Split('\n');
        for (var i = Math.Min(errorLine, lines.Length) - 1; i >= 0; i--)
        {
            var text = lines[i].TrimEnd('\r');
            var trimmed = text.TrimStart();
            if (trimmed.StartsWith('#')) continue;
            var start = ValueStart(text);
            if (start < 0 || start >= text.Length || text[start] is not ('\'' or '"')) continue;
            var quote = text[start];
            var closed = false;
            for (var j = start + 1; j < text.Length; j++)
            {
                if (quote == '"' && text[j] == '\\') { j++; continue; }
                if (text[j] != quote) continue;
                if (quote == '\'' && j + 1 < text.Length && text[j + 1] == '\'') { j++; continue; }
                closed = true;
                break;
            }
            if (closed) continue;
            // A value that legitimately runs over lines closes before the failing line; this one must still be open there.
            for (var k = i + 1; k < Math.Min(errorLine, lines.Length); k++)
                if (ClosesQuote(lines[k], quote)) return null;
            return (i, start);
        }
        return null;
    }

    private static bool ClosesQuote(string text, char quote)
    {
        for (var j = 0; j < text.Length; j++)
        {
            if (quote == '"' && text[j] == '\\') { j++; continue; }
            if (text[j] != quote) continue;
            if (quote == '\'' && j + 1 < text.Length && text[j + 1] == '\'') { j++; continue; }
            return true;
        }
        return false;
    }

    /// <summary>Where the value of a <c>key: value</c> or <c>- value</c> line starts; -1 when the line has none.</summary>
    private static int ValueStart(string line)
    {
        var i = line.Length - line.TrimStart().Length;
        while (i + 1 < line.Length && line[i] == '-' && line[i + 1] == ' ') { i += 2; while (i < line.Length && line[i] == ' ') i++; }
        if (i < line.Length && line[i] is '\'' or '"') return i;
        var colon = line.IndexOf(": ", i, StringComparison.Ordinal);
        if (colon < 0) return -1;
        var start = colon + 2;
        while (start < line.Length && line[start] == ' ') start++;
        return start;
    }

    /// <summary>The columns of the curly quotes around a value ("key: “…”") that were meant to quote it, or null.</summary>
    private static List<int>? CurlyQuotedValue(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0) return null;
        var start = colon + 2;
        while (start < line.Length && line[start] == ' ') start++;
        if (start >= line.Length || !Typography.IsQuote(line[start])) return null;
        var end = line.TrimEnd().Length - 1;
        return end > start && Typography.IsQuote(line[end]) ? [start, end] : [start];
    }

    /// <summary>What the YAML reader's error means for the line it points at, in the author's words.</summary>
    private static string CleanMessage(string message, string line)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the location is printed separately.
        var i = message.LastIndexOf("): ", StringComparison.Ordinal);
        var text = (i >= 0 && message.StartsWith('(') ? message[(i + 3)..] : message).Trim().TrimEnd('.');
        bool Says(string s) => text.Contains(s, StringComparison.OrdinalIgnoreCase);
        if (Says("found invalid mapping") || Says("Mapping values are not allowed"))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().TrimStart('-', ' ') is { Length: > 0 } key && !key.Contains(' '))
            {
                var value = line[(colon + 2)..].Trim();
                var quoted = value.Contains('"') ? $"'{value.Replace("'", "''")}'" : $"\"{value}\"";
                return $"the value of '{key}' contains ': ', which YAML takes for the start of another key; put the whole value in quotes: {line[..(colon + 2)].TrimStart()}{quoted}";
            }
            return "a value contains ': ', which YAML takes for the start of another key; put the whole value in quotes";
        }
        if ((Says("did not find expected key") || Says("did not find expected '-'")) && TextAfterBrackets(line) is { } after)
            return after;
        if (Says("did not find expected key") || Says("did not find expected '-'"))
            return "this line cannot be read as a key and its value: a value that starts with a quote must end with the same quote, with nothing after it, and a line inside a list starts with '- '";
        if (Says("cannot start any token"))
            return "a value cannot start with this character (such as @ or `); put the whole value in quotes";
        if (Says("expected ',' or ']'")) return "a list in [brackets] is not closed; end it with ']'";
        if (Says("expected ',' or '}'")) return "a mapping in {braces} is not closed; end it with '}'";
        if (Says("found unexpected end of stream")) return "a quoted value is never closed; end it with the quote it starts with";
        if (Says("did not find expected <document start>")) return "there is text after the value that YAML cannot read; check the colons, quotes and indentation on this line";
        return "check the colons, quotes and indentation on this line and the one above";
    }

    /// <summary>For "key: {…} more words" or "key: […] more words": what to do with the words after the closing bracket.</summary>
    private static string? TextAfterBrackets(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0) return null;
        var value = line[(colon + 2)..].TrimStart();
        if (value.Length == 0 || value[0] is not ('{' or '[')) return null;
        var close = value[0] == '{' ? '}' : ']';
        var (depth, quote) = (0, '\0');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '"' or '\'') quote = c;
            else if (c is '{' or '[') depth++;
            else if (c is '}' or ']' && --depth == 0)
            {
                var rest = value[(i + 1)..].Trim();
                if (rest.Length == 0 || rest[0] == '#') return null;
                var what = close == '}' ? "mapping in {braces}" : "list in [brackets]";
                return $"the {what} ends at '{close}', but the words '{rest}' follow it on the line; YAML cannot read them there: "
                    + $"remove them, put them inside the {(close == '}' ? "braces" : "brackets")} where they belong, or make them a comment with '# '";
            }
        }
        return null;
    }

    private sealed class Frame
    {
        public required bool IsMapping;
        public required SourceLocation Location;
        public string? Anchor;
        public long Size = 1;
        public readonly List<YNode> Items = [];
        public readonly List<KeyValuePair<YScalar, YNode>> Entries = [];
        public YScalar? PendingKey;
        public bool Failed;
    }

    private static YNode? LoadCore(SourceFile file, string yaml, int lineOffset, DiagnosticBag diagnostics)
    {
        var parser = new Parser(new StringReader(yaml));
        var anchors = new Dictionary<string, (YNode Node, long Size)>(StringComparer.Ordinal);
        var sizes = new Dictionary<YNode, long>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Frame>();
        YNode? root = null;
        var documents = 0;

        SourceLocation Loc(ParsingEvent e) =>
            file.Location((int)e.Start.Line - 1 + lineOffset, (int)e.Start.Column - 1, (int)Math.Max(1, e.End.Index - e.Start.Index));

        bool Add(YNode node, long size, ParsingEvent at)
        {
            if (stack.Count == 0)
            {
                root = node;
                return true;
            }
            var frame = stack.Peek();
            frame.Size += size;
            if (frame.Size > MaxExpandedNodes)
            {
                diagnostics.Report(DiagnosticDescriptors.YamlTooComplex, Loc(at), $"expands to more than {MaxExpandedNodes:N0} values through aliases");
                return false;
            }
            if (!frame.IsMapping)
            {
                frame.Items.Add(node);
                return true;
            }
            if (frame.PendingKey is null)
            {
                if (node is not YScalar key)
                {
                    diagnostics.Report(DiagnosticDescriptors.YamlSyntax, node.Location, "a key must be a plain name, not a list or mapping");
                    return false;
                }
                var first = frame.Entries.FirstOrDefault(e => e.Key.Value == key.Value).Key;
                if (first is not null)
                {
                    diagnostics.Report(DiagnosticDescriptors.DuplicateKey, key.Location, key.Value, first.Location.Line + 1);
                    frame.Failed = true;
                }
                frame.PendingKey = key;
                return true;
            }
            if (!frame.Failed || frame.Entries.All(e => e.Key.Value != frame.PendingKey.Value))
                frame.Entries.Add(new(frame.PendingKey, node));
            frame.PendingKey = null;
            frame.Failed = false;
            return true;
        }

        while (true)
        {
            try
            {
                if (!parser.MoveNext()) break;
            }
            catch (InvalidOperationException)
            {
                // YamlDotNet's parser gives up this way on an unfinished document, such as an unclosed '[': point at what is open.
                var open = stack.Count > 0 ? stack.Peek().Location : file.Location(lineOffset, 0, 1);
                diagnostics.Report(DiagnosticDescriptors.YamlSyntax, open,
                    "this list in [brackets] or mapping in {braces} is never closed; close it, or put the value in quotes");
                return null;
            }
            var e = parser.Current!;
            switch (e)
            {
                case DocumentStart:
                    if (++documents > 1)
                    {
                        diagnostics.Report(DiagnosticDescriptors.YamlSyntax, Loc(e), "only one YAML document is allowed here; remove the extra '---' or '...'");
                        return null;
                    }
                    break;
                case Scalar s:
                {
                    var node = new YScalar(s.Value, s.Style == ScalarStyle.Plain, Loc(e));
                    if (!s.Anchor.IsEmpty) anchors[s.Anchor.Value] = (node, 1);
                    if (!Add(node, 1, e)) return null;
                    break;
                }
                case AnchorAlias alias:
                {
                    if (!anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        diagnostics.Report(DiagnosticDescriptors.YamlSyntax, Loc(e), $"the alias '*{alias.Value.Value}' names no anchor before it");
                        return null;
                    }
                    if (!Add(target.Node, target.Size, e)) return null;
                    break;
                }
                case MappingStart or SequenceStart:
                {
                    if (stack.Count >= MaxDepth)
                    {
                        diagnostics.Report(DiagnosticDescriptors.YamlTooComplex, Loc(e), $"is nested more than {MaxDepth} levels deep");
                        return null;
                    }
                    var anchor = ((NodeEvent)e).Anchor;
                    stack.Push(new Frame { IsMapping = e is MappingStart, Location = Loc(e) with { Length = 1 }, Anchor = anchor.IsEmpty ? null : anchor.Value });
                    break;
                }
                case MappingEnd or SequenceEnd:
                {
                    var frame = stack.Pop();
                    YNode node = frame.IsMapping
                        ? new YMapping(frame.Entries.ToArray(), frame.Location)
                        : new YSequence(frame.Items.ToArray(), frame.Location);
                    if (frame.Anchor is not null) anchors[frame.Anchor] = (node, frame.Size);
                    if (!Add(node, frame.Size, e)) return null;
                    break;
                }
            }
        }
        return root;
    }
}

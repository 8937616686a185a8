using System.Text.RegularExpressions;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Text;
using Markdig.Extensions.Footnotes;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ContentEngine.Markdown;

/// <summary>
/// The body reader's checks of Markdown that reads differently than it looks (a list indented into code, a line
/// of dashes that makes a heading, '#' without a space, a footnote without text, a link to an id no heading has),
/// and its reports about media paths.
/// </summary>
public sealed partial class BodyReader
{
    [GeneratedRegex(@"^[ \t]*([-*+]|\d{1,9}[.)])[ \t]")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"^( {0,3})(#{1,6})(?=\p{L})")]
    private static partial Regex HashWithoutSpace();

    [GeneratedRegex(@"\[\^([^\]\s]+)\]")]
    private static partial Regex FootnoteReference();

    /// <summary>The ids ({#id}) a body gives its headings and paragraphs; null when it nests too deeply to read.</summary>
    public static IReadOnlySet<string>? AnchorsOf(string body) =>
        ContentPipeline.Parse(body, out _) is { } document ? Ids(document) : null;

    private static HashSet<string> Ids(MarkdownDocument document) =>
        [.. document.Descendants().Select(n => n.TryGetAttributes()?.Id).OfType<string>()];

    /// <summary>A link to <c>#id</c> or <c>module:x#id</c>: the id must be one that the page has.</summary>
    private void CheckAnchor(string url, string id, string? module, IReadOnlySet<string> ids, SourceLocation location)
    {
        if (id.Length == 0 || ids.Contains(id)) return;
        var fix = ids.Count > 0
            ? $"link to one of its ids ({string.Join(", ", ids.Order(StringComparer.Ordinal).Select(i => "#" + i))}), or give the heading you mean the id, as in '## Heading {{#{id}}}'"
            : $"a heading has an id only when it is given one: write it after the heading, as in '## Heading {{#{id}}}'";
        if (module is null && _headings.FirstOrDefault(h => Slug(h.Text) == id) is { Text: { } text } heading)
            fix = $"the heading '{text}' on line {heading.Line + 1} has no id: write it as '{new string('#', heading.Level)} {text} {{#{id}}}'";
        _diagnostics.Report(DiagnosticDescriptors.UnknownAnchor, location, url, id, module is null ? "this page" : $"the module '{module}'", fix);
    }

    private static string Slug(string text) =>
        string.Join('-', text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private List<(string Text, int Level, int Line)> _headings = [];

    private void CheckMisread(MarkdownDocument document)
    {
        _headings = [.. document.Descendants<HeadingBlock>().Where(h => h.TryGetAttributes()?.Id is null)
            .Select(h => (Heading(h), h.Level, FileLine(h.Span.Start)))];
        var defined = document.Descendants<Footnote>().Select(f => f.Label?.TrimStart('^')).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var block in document.Descendants<LeafBlock>())
        {
            switch (block)
            {
                case CodeBlock code when code is not FencedCodeBlock && ListMarker().Match(_body.Substring(code.Span.Start, LineRest(code.Span.Start))) is { Success: true } m:
                    var marker = code.Span.Start + m.Groups[1].Index;
                    Misread(marker, m.Groups[1].Length,
                        $"This list is indented four spaces or more, so it is shown as code, character for character, not as a list; take away the spaces before '{m.Groups[1].Value}'");
                    break;
                case HeadingBlock { IsSetext: true } setext when Underline(setext) is var (underline, dashes) && dashes.TrimStart(" >").StartsWith('-'):
                    var indent = dashes.Length - dashes.TrimStart(" >").Length;
                    Misread(underline + indent, dashes.TrimStart(" >").TrimEnd().Length,
                        $"This line of dashes right under the text '{Heading(setext)}' makes that text a heading, not a line between two parts; to draw a line, leave a blank line above it; to make a heading, write '## {Heading(setext)}' instead");
                    break;
                case ParagraphBlock paragraph:
                    // Line by line; the last line of a body may have no line break after it.
                    for (var start = paragraph.Span.Start; start >= 0 && start <= paragraph.Span.End; start = NextLine(start))
                    {
                        var line = _body.Substring(start, LineRest(start));
                        if (start > paragraph.Span.Start) line = line.TrimStart(' ', '>');
                        var shift = start > paragraph.Span.Start ? _body.Substring(start, LineRest(start)).Length - line.Length : 0;
                        if (HashWithoutSpace().Match(line) is { Success: true } h)
                        {
                            var rest = line[(h.Index + h.Length)..].TrimEnd();
                            Misread(start + shift + h.Groups[2].Index, h.Groups[2].Length,
                                $"This line begins with '{h.Groups[2].Value}' without a space after it, so it is shown as it stands, not as a heading; put a space after the '{h.Groups[2].Value}': '{h.Groups[2].Value} {rest}'");
                        }
                    }
                    break;
            }
            if (block.Inline is { } inline) CheckFootnotes(inline, defined);
        }
    }

    /// <summary>The offset of the line after the one at <paramref name="start"/>; -1 when it is the body's last.</summary>
    private int NextLine(int start) => _body.IndexOf('\n', start) is var end and >= 0 ? end + 1 : -1;

    /// <summary>The offset and text of a setext heading's underline: the last line of its span.</summary>
    private (int Start, string Text) Underline(HeadingBlock heading)
    {
        var end = Math.Min(heading.Span.End, _body.Length - 1);
        var start = _body.LastIndexOf('\n', Math.Max(0, end - 1)) + 1;
        if (_body[end] == '\n' && end > 0) start = _body.LastIndexOf('\n', end - 1) + 1;
        return (start, _body.Substring(start, LineRest(start)));
    }

    private string Heading(HeadingBlock heading) => heading.Inline is { } inline ? InlineText(inline).Trim() : string.Empty;

    private void Misread(int bodyOffset, int length, string message) =>
        _diagnostics.Report(DiagnosticDescriptors.MarkdownMisread, At(bodyOffset, Math.Max(1, length)), message);

    /// <summary>Footnote references whose label has no definition stay text ('[', '^1', ']'): find them in runs of text.</summary>
    private void CheckFootnotes(ContainerInline inline, HashSet<string> defined)
    {
        var runs = new List<(int Start, string Text)>();
        var end = -2;
        foreach (var literal in inline.Descendants<LiteralInline>())
        {
            if (literal.Span.Start == end + 1 && runs.Count > 0) runs[^1] = (runs[^1].Start, runs[^1].Text + literal.Content.ToString());
            else runs.Add((literal.Span.Start, literal.Content.ToString()));
            end = literal.Span.End;
        }
        foreach (var (start, text) in runs)
            foreach (Match m in FootnoteReference().Matches(text))
            {
                var label = m.Groups[1].Value;
                if (defined.Contains(label)) continue;
                _diagnostics.Report(DiagnosticDescriptors.UndefinedFootnote, At(start + m.Index, m.Length), label,
                    defined.Count > 0 ? $", or refer to one it has: {string.Join(", ", defined.Order(StringComparer.Ordinal).Select(d => $"[^{d}]"))}" : string.Empty);
            }
    }

    private const string LinkKinds = " Link to a module as module:id, a worksheet as worksheet:id, or a file that exists";

    private void ReportCase(string written, string path, SourceLocation location)
    {
        var real = _context.Assets.RealNameOf(path);
        _diagnostics.Report(DiagnosticDescriptors.NameCase, location, written, real, AssetResolver.Respell(written, real));
        MarkUsed(real, AssetResolver.KindFromPath(real)); // meant to be used: no second warning that it is unused
    }

    private void ReportUnsafe(string path, SourceLocation location)
    {
        var problem = _context.Assets.ProblemOf(path);
        _diagnostics.Report(DiagnosticDescriptors.UnsafeMedia, location, path, problem.Found, problem.Fix);
        MarkUsed(path, AssetResolver.KindFromPath(path)); // referred to: not unused as well; the error keeps it out of every build
    }

    private void MarkUsed(string path, AssetKind kind)
    {
        _context.Assets.MarkUsed(path, kind);
        _context.UsedAssets?.Add((path, kind));
    }

    /// <summary>When the path would exist if read from the other base folder, says how to write it.</summary>
    private string MissingHint(string written, string folder, AssetKind kind)
    {
        if (folder.Length > 0)
        {
            // Written in Markdown (relative to the file): does it exist from the program folder?
            if (_context.Assets.Resolve(written, string.Empty, out var fromRoot) == AssetResolver.Outcome.Ok)
            {
                MarkUsed(fromRoot, kind); // meant to be used: no second warning that it is unused
                var up = string.Concat(Enumerable.Repeat("../", folder.Split('/').Length));
                return $"; paths in Markdown are relative to the file, so write '{up}{fromRoot}'";
            }
            return string.Empty;
        }
        return _context.Assets.Resolve(written, _folder, out _) == AssetResolver.Outcome.Ok
            ? "; paths in directive attributes are relative to the program folder, as in media/…"
            : string.Empty;
    }
}

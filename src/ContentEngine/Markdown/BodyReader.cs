using System.Collections.Immutable;
using System.Text;
using ContentEngine.Compilation;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;
using ContentEngine.Directives;
using ContentEngine.Model;
using ContentEngine.Text;
using Markdig.Extensions.CustomContainers;
using Markdig.Extensions.Footnotes;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ContentEngine.Markdown;

/// <summary>What the body reader needs to know of the program.</summary>
public sealed record BodyContext
{
    /// <summary>Receives every media file the body uses, when set (for caching a module's result).</summary>
    public List<(string Path, AssetKind Kind)>? UsedAssets { get; init; }

    public required ConditionScope Scope { get; init; }
    public required AssetResolver Assets { get; init; }

    /// <summary>Program-relative .md paths of modules and worksheets (originals and translations) to their link targets.</summary>
    public required IReadOnlyDictionary<string, string> FileLinks { get; init; }

    /// <summary>The ids ({#id}) each module's body gives its headings and paragraphs, for links such as module:id#place.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Anchors { get; init; } = new Dictionary<string, IReadOnlySet<string>>();

    /// <summary>The program's snippets, which <c>::: include</c> reads.</summary>
    public SnippetSet Snippets { get; init; } = SnippetSet.Empty;

    /// <summary>The locale of the translation being read (null: the original); its includes read the snippets' translations.</summary>
    public string? Locale { get; init; }

    /// <summary>The program's default locale: the language of the originals, and of a recording that does not name its own.</summary>
    public string? ProgramLocale { get; init; }

    /// <summary>The includes the body being read stands in, outermost first: the snippet and the line that includes it.</summary>
    public ImmutableList<(string Snippet, SourceLocation At)> Includes { get; init; } = [];
}

/// <summary>A directive as it appears in a body, for comparing a translation with its original.</summary>
/// <param name="Failed">the directive's own line has an error (reported there), so it is not compared with its counterpart.</param>
public sealed record DirectiveMark(string Name, string? Key, SourceLocation Location, bool Failed = false);

/// <summary>What reading a body found.</summary>
public sealed class BodyResult
{
    public required ImmutableArray<ContentBlock> Blocks { get; init; }
    public required int Words { get; init; }
    public required double RecordedSeconds { get; init; }
    public required double ExerciseMinutes { get; init; }
    public required IReadOnlyList<DirectiveMark> Structure { get; init; }
    public required IReadOnlyList<string> WorksheetRefs { get; init; }

    /// <summary>A directive was not closed, so the structure is not what the author meant (and not worth comparing).</summary>
    public required bool StructureBroken { get; init; }
}

/// <summary>
/// Reads a module's or worksheet's Markdown body: checks directives, links, images and HTML, and turns
/// it into the graph's content blocks (Markdown chunks with canonical links, and directives).
/// </summary>
public sealed partial class BodyReader
{
    private readonly SourceFile _file;
    private readonly int _bodyStart;
    private readonly string _body;
    private readonly string _folder;
    private readonly BodyContext _context;
    private readonly DiagnosticBag _diagnostics;
    private readonly List<(int Start, int Length, string Replacement)> _rewrites = [];
    private readonly List<DirectiveMark> _structure = [];
    private readonly BodyTotals _totals = new();
    private List<(string Label, string Definition)> _footnotes = [];
    private IReadOnlySet<string> _ids = new HashSet<string>();
    private int _words;
    private Stack<(string Name, IReadOnlyDictionary<string, string> Attributes)> _open = new();

    /// <summary>The column of the nested directive whose children are being read: their lines carry its list or quote prefix.</summary>
    private int _indent;

    private bool _structureBroken { get => _totals.StructureBroken; set => _totals.StructureBroken = value; }

    private BodyReader(SourceFile file, int bodyStart, BodyContext context, DiagnosticBag diagnostics)
    {
        _file = file;
        _bodyStart = bodyStart;
        _body = file.Text[bodyStart..];
        var slash = file.Path.LastIndexOf('/');
        _folder = slash < 0 ? string.Empty : file.Path[..slash];
        _context = context;
        _diagnostics = diagnostics;
    }

    public static BodyResult Read(SourceFile file, int bodyStart, BodyContext context, DiagnosticBag diagnostics) =>
        Read(new BodyReader(file, bodyStart, context, diagnostics));

    private static BodyResult Read(BodyReader reader)
    {
        var (file, bodyStart, diagnostics) = (reader._file, reader._bodyStart, reader._diagnostics);
        if (ContentPipeline.Parse(reader._body, out var tooDeepLine) is not { } document)
        {
            var line = file.GetLineColumn(bodyStart).Line + tooDeepLine;
            var text = file.GetLine(line);
            var indent = text.Length - text.TrimStart().Length;
            diagnostics.Report(DiagnosticDescriptors.MarkdownTooDeep, file.Location(line, indent, text.Length - indent));
            return new BodyResult { Blocks = [], Words = 0, RecordedSeconds = 0, ExerciseMinutes = 0, Structure = [], WorksheetRefs = [], StructureBroken = true };
        }
        reader.Check(document);
        // Footnote definitions travel with every chunk that refers to them: chunks are rendered one by one.
        reader._footnotes = [.. document.Descendants<Footnote>()
            .Where(f => f.Span.Length > 0 && f.Label is not null)
            .Select(f => (f.Label!.TrimStart('^'), $"[^{f.Label!.TrimStart('^')}]:" + reader.Slice(f.Span.Start, f.Span.End + 1).TrimEnd()))];
        var blocks = reader.Convert(document);
        return new BodyResult
        {
            Blocks = blocks,
            Words = reader._words,
            RecordedSeconds = reader._totals.RecordedSeconds,
            ExerciseMinutes = reader._totals.ExerciseMinutes,
            Structure = reader._structure,
            WorksheetRefs = reader._totals.WorksheetRefs,
            StructureBroken = reader._structureBroken,
        };
    }

    private SourceLocation At(int bodyOffset, int length) => _file.Location(_bodyStart + bodyOffset, length);

    private SourceLocation At(MarkdownObject o) => At(o.Span.Start, Math.Max(1, Math.Min(o.Span.Length, LineRest(o.Span.Start))));

    private int LineRest(int bodyOffset)
    {
        var end = _body.IndexOf('\n', bodyOffset);
        return (end < 0 ? _body.Length : end) - bodyOffset;
    }

    private void Check(MarkdownDocument document)
    {
        _ids = Ids(document);
        CheckMisread(document);
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case HtmlBlock html:
                    _diagnostics.Report(DiagnosticDescriptors.RawHtml, At(html), Snippet(html.Span));
                    break;
                case HtmlInline html when !html.Tag.StartsWith("</", StringComparison.Ordinal):
                    _diagnostics.Report(DiagnosticDescriptors.RawHtml, At(html.Span.Start, html.Span.Length), html.Tag);
                    break;
                case LinkInline link:
                    CheckLink(link);
                    break;
                case LiteralInline literal:
                    _words += CountWords(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    _words += CountWords(code.Content.AsSpan());
                    break;
            }
            if (node is not CustomContainer && node.TryGetAttributes() is { } attributes && attributes.Properties is { Count: > 0 } props)
                _diagnostics.Report(DiagnosticDescriptors.RawHtml, At(node), $"the attribute '{props[0].Key}' would be written into the HTML; only {{#id}} and {{.class}} are allowed");
        }
    }

    private string Snippet(SourceSpan span)
    {
        var text = _body.Substring(span.Start, Math.Min(span.Length, LineRest(span.Start))).Trim();
        return text.Length > 30 ? text[..30] + "…" : text;
    }

    private static int CountWords(ReadOnlySpan<char> text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var letter = char.IsLetterOrDigit(c);
            if (letter && !inWord) count++;
            inWord = letter || (inWord && c is '\'' or '’' or '-');
        }
        return count;
    }

    private void CheckLink(LinkInline link)
    {
        var url = link.Url ?? string.Empty;
        var span = link.UrlSpan;
        var location = span.IsEmpty ? At(link.Span.Start, link.Span.Length) : At(span.Start, span.Length);

        if (link.IsImage)
        {
            if (link.FirstChild is null || string.IsNullOrWhiteSpace(InlineText(link)))
                _diagnostics.Report(DiagnosticDescriptors.ImageWithoutAlt, At(link.Span.Start, link.Span.Length), url);
            if (ResolveAsset(url, _folder, location, AssetKind.Image) is { } path && !span.IsEmpty)
                _rewrites.Add((span.Start, span.Length, path));
            return;
        }

        if (url.Length == 0) return;
        if (url.StartsWith('#'))
        {
            CheckAnchor(url, url[1..], null, _ids, location);
            return;
        }
        var colon = url.IndexOf(':');
        var scheme = colon > 0 ? url[..colon] : null;
        if (scheme is "module" or "worksheet")
        {
            var id = url[(colon + 1)..];
            var hash = id.IndexOf('#');
            var anchor = hash >= 0 ? id[(hash + 1)..] : null;
            if (hash >= 0) id = id[..hash];
            if (scheme == "module" && anchor is not null && _context.Anchors.TryGetValue(id, out var ids))
                CheckAnchor(url, anchor, id, ids, location);
            else if (scheme == "module" && !_context.Scope.Modules.Contains(id))
                _diagnostics.Report(DiagnosticDescriptors.UnknownModule, location, id, Suggestions.ForReference(id, _context.Scope.Modules, "modules", "module:"));
            else if (scheme == "worksheet" && !_context.Scope.Worksheets.ContainsKey(id) && !_context.Scope.Broken.Contains(id))
                _diagnostics.Report(DiagnosticDescriptors.UnknownWorksheet, location, id, Suggestions.ForReference(id, _context.Scope.Worksheets.Keys.Concat(_context.Scope.Broken.Where(b => !b.Contains('.'))), "worksheets", "worksheet:"));
            return;
        }
        if (scheme is "http" or "https" or "mailto" or "tel") return;
        if (scheme is not null && scheme.Length > 1)
        {
            _diagnostics.Report(DiagnosticDescriptors.BrokenLink, location, url, $"an unknown kind of address '{scheme}:'", "." + LinkKinds);
            return;
        }

        var outcome = _context.Assets.Resolve(url, _folder, out var programPath);
        var fragment = url.Contains('#') ? url[url.IndexOf('#')..] : string.Empty;
        switch (outcome)
        {
            case AssetResolver.Outcome.Outside:
                _diagnostics.Report(DiagnosticDescriptors.AssetOutsideProgram, location, url, AssetResolver.KeepMediaInside);
                return;
            case AssetResolver.Outcome.Unsafe:
                ReportUnsafe(programPath, location);
                return;
            case AssetResolver.Outcome.WrongCase:
                ReportCase(url, programPath, location);
                return;
            case AssetResolver.Outcome.Missing when url.StartsWith("www.", StringComparison.OrdinalIgnoreCase):
                _diagnostics.Report(DiagnosticDescriptors.BrokenLink, location, url, "a file of the program, since it does not begin with https://",
                    $"; a web address needs it: write 'https://{url}'");
                return;
            case AssetResolver.Outcome.Missing when !_context.FileLinks.ContainsKey(programPath): // a source read under its meant name
                _diagnostics.Report(DiagnosticDescriptors.BrokenLink, location, url, "a file that does not exist",
                    (Suggestions.ClosestId(Path.GetFileName(programPath), _context.FileLinks.Keys.Select(Path.GetFileName).OfType<string>()) is { } s ? $"; did you mean '{s}'?" : ".") + LinkKinds);
                return;
        }
        if (_context.FileLinks.TryGetValue(programPath, out var target))
        {
            if (!span.IsEmpty) _rewrites.Add((span.Start, span.Length, target + fragment));
            return;
        }
        if (programPath.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            _diagnostics.Report(DiagnosticDescriptors.BrokenLink, location, url, "a Markdown file that is neither a module nor a worksheet", "." + LinkKinds);
            return;
        }
        MarkUsed(programPath, AssetResolver.KindFromPath(programPath));
        if (!span.IsEmpty) _rewrites.Add((span.Start, span.Length, programPath));
    }

    private static string InlineText(ContainerInline container)
    {
        var sb = new StringBuilder();
        foreach (var d in container.Descendants<LiteralInline>()) sb.Append(d.Content.AsSpan());
        return sb.ToString();
    }

    /// <summary>Checks a media path; returns its program-relative path when it is usable.</summary>
    private string? ResolveAsset(string written, string folder, SourceLocation location, AssetKind kind)
    {
        switch (_context.Assets.Resolve(written, folder, out var path))
        {
            case AssetResolver.Outcome.External:
                _diagnostics.Report(DiagnosticDescriptors.ExternalMedia, location, written);
                return null;
            case AssetResolver.Outcome.Outside:
                _diagnostics.Report(DiagnosticDescriptors.AssetOutsideProgram, location, written, AssetResolver.KeepMediaInside);
                return null;
            case AssetResolver.Outcome.Unsafe:
                ReportUnsafe(path, location);
                return null;
            case AssetResolver.Outcome.Missing:
                _diagnostics.Report(DiagnosticDescriptors.MissingAsset, location, path, MissingHint(written, folder, kind));
                return null;
            case AssetResolver.Outcome.WrongCase:
                ReportCase(written, path, location);
                return null;
        }
        MarkUsed(path, kind);
        return path;
    }

    // ---- conversion to content blocks ----

    private ImmutableArray<ContentBlock> Convert(ContainerBlock container)
    {
        var result = ImmutableArray.CreateBuilder<ContentBlock>();
        var run = new List<Block>();
        void Flush()
        {
            if (run.Count == 0) return;
            var text = Slice(run[0].Span.Start, run[^1].Span.End + 1);
            foreach (var (label, definition) in _footnotes)
                if (text.Contains("[^" + label + "]", StringComparison.Ordinal) && !text.Contains(definition, StringComparison.Ordinal))
                    text = text.TrimEnd() + "\n\n" + definition + "\n";
            // Directives in a list item or a quote: checked and bound as at the top level, in the order they stand.
            var nested = run.SelectMany(b => b.Descendants<DirectiveNode>()).Where(n => Outermost(n, container)).ToList();
            result.Add(nested.Count == 0 ? new MarkdownBlock(text)
                : new MarkdownWithDirectivesBlock(text, [.. nested.Select(n => ConvertDirective(n) ?? ContentTree.Omitted)]));
            run.Clear();
        }
        // A block holding directives is a chunk of its own: the Markdown around it stays as it would be without it.
        void Alone(Block block)
        {
            Flush();
            run.Add(block);
            Flush();
        }
        foreach (var block in container)
        {
            if (block is CustomContainer directive)
            {
                Flush();
                // An include stands for the snippet's blocks, as if they were written here.
                if (ConvertDirective(directive) is { } d) result.AddRange(d.Name == IncludeName ? d.Children : [d]);
            }
            else if (block is ContainerBlock holder && holder.Descendants<DirectiveNode>().Any())
            {
                Alone(block);
            }
            else if (block is not (HtmlBlock or LinkReferenceDefinitionGroup or FootnoteGroup))
            {
                run.Add(block);
            }
        }
        Flush();
        return result.ToImmutable();
    }

    /// <summary>Whether no directive stands between <paramref name="node"/> and <paramref name="container"/>.</summary>
    private static bool Outermost(Block node, ContainerBlock container)
    {
        for (var parent = node.Parent; parent is not null && parent != container; parent = parent.Parent)
            if (parent is DirectiveNode) return false;
        return true;
    }

    /// <summary>Source text with link targets rewritten to canonical form.</summary>
    private string Slice(int start, int end)
    {
        end = Math.Min(end, _body.Length);
        var sb = new StringBuilder();
        var pos = start;
        foreach (var (s, l, replacement) in _rewrites.Where(r => r.Start >= start && r.Start + r.Length <= end).OrderBy(r => r.Start))
        {
            sb.Append(_body, pos, s - pos).Append(replacement);
            pos = s + l;
        }
        sb.Append(_body, pos, end - pos);
        return Dedent(sb.ToString().TrimEnd());
    }

    /// <summary>The lines of a nested directive's children without the list indent or quote marks they are written with.</summary>
    private string Dedent(string text)
    {
        if (_indent == 0 || !text.Contains('\n')) return text;
        var lines = text.Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var cut = 0;
            while (cut < _indent && cut < lines[i].Length && lines[i][cut] is ' ' or '\t' or '>') cut++;
            lines[i] = lines[i][cut..];
        }
        return string.Join('\n', lines);
    }

    private DirectiveBlock? ConvertDirective(CustomContainer container)
    {
        var name = container.Info ?? string.Empty;
        var lineStart = container.Span.Start;
        var line = _body.Substring(lineStart, LineRest(lineStart));
        var fenceEnd = line.IndexOf(':') + container.OpeningFencedCharCount;
        var nameColumn = line.IndexOf(name, Math.Max(0, fenceEnd), StringComparison.Ordinal);
        var nameLocation = At(lineStart + Math.Max(0, nameColumn), Math.Max(1, name.Length));

        if (name.Length == 0)
        {
            // A line of colons with no name opens nothing a patient could see: it is a closing fence with nothing to close.
            if (_structureBroken) return null; // the closing fence of a directive already reported as not closed
            _structureBroken = true;
            var around = container.Parent is CustomContainer { OpeningFencedCharCount: var outer } parent && outer > container.OpeningFencedCharCount
                ? $" (the '{new string(':', outer)} {parent.Info}' around it needs a line of {outer} colons to close it)" : "";
            _diagnostics.Report(DiagnosticDescriptors.StrayFence, At(lineStart + Math.Max(0, fenceEnd - container.OpeningFencedCharCount), container.OpeningFencedCharCount),
                new string(':', container.OpeningFencedCharCount), around);
            ConvertChildren(container);
            return null;
        }
        if (DirectiveKinds.Find(name) is not { OneLine: true }) CheckClosed(container, name, nameLocation);
        var errorsBefore = _diagnostics.Items.Count(d => d.Severity == DiagnosticSeverity.Error);

        // Curly quotes or odd spaces outside the attribute values: one message with the line as it should be.
        if (Typography.OutsideQuotes(line, Math.Max(0, fenceEnd), c => Typography.PlainFor(c) is not "-") is { Count: > 0 } typed)
        {
            var (found, needed) = Typography.Describe(line[typed[0]]);
            _diagnostics.Report(DiagnosticDescriptors.WordProcessorPunctuation, At(lineStart + typed[0], 1), found, "a directive", needed, Typography.Straighten(line, typed));
            _structure.Add(new DirectiveMark(name, null, nameLocation, Failed: true));
            ConvertChildren(container);
            return null;
        }

        if (DirectiveKinds.Find(name) is not { } kind)
        {
            _diagnostics.Report(DiagnosticDescriptors.UnknownDirective, nameLocation, name,
                Suggestions.DidYouMean(name, Directives.All.Keys) is { Length: > 0 } s ? s : $"; use one of {string.Join(", ", Directives.All.Keys)}");
            _structure.Add(new DirectiveMark(name, null, nameLocation, Failed: true));
            return null;
        }

        var (parsed, error) = DirectiveAttributeParser.Parse(line, Math.Max(0, nameColumn) + name.Length);
        if ((kind.ExplainUnreadable(line, Math.Max(0, nameColumn) + name.Length) ?? error) is { } e)
        {
            _diagnostics.Report(DiagnosticDescriptors.DirectiveAttribute, At(lineStart + e.Column, 1), name, e.Message);
            _structure.Add(new DirectiveMark(name, null, nameLocation, Failed: true));
            return null;
        }
        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var columns = new Dictionary<string, DirectiveAttribute>(StringComparer.Ordinal);
        foreach (var a in parsed)
        {
            if (!kind.Attributes.Contains(a.Name))
            {
                _diagnostics.Report(DiagnosticDescriptors.DirectiveAttribute, At(lineStart + a.NameColumn, a.Name.Length), name,
                    kind.Attributes.Length == 0 ? $"takes no attributes; remove '{a.Name}'"
                    : $"has no attribute '{a.Name}'{(Suggestions.DidYouMean(a.Name, kind.Attributes) is { Length: > 0 } s ? s : $"; it takes {string.Join(", ", kind.Attributes)}")}");
                continue;
            }
            if (!attributes.TryAdd(a.Name, a.Value))
            {
                _diagnostics.Report(DiagnosticDescriptors.DirectiveAttribute, At(lineStart + a.NameColumn, a.Name.Length), name, $"has '{a.Name}' twice; keep one");
                continue;
            }
            columns[a.Name] = a;
        }

        var binding = new DirectiveBinding
        {
            Node = container as DirectiveNode ?? throw new InvalidOperationException("the engine's pipeline parses directives"),
            Name = name,
            Attributes = attributes,
            Written = columns,
            NameLocation = nameLocation,
            Diagnostics = _diagnostics,
            Scope = _context.Scope,
            File = _file,
            Assets = _context.Assets,
            Enclosing = _open,
            LineAt = (column, length) => At(lineStart + column, length),
            BlockAt = At,
            ResolveAsset = (written, location, assetKind) => ResolveAsset(written, string.Empty, location, assetKind),
            Totals = _totals,
            Include = Include,
            Locale = _context.Locale ?? _context.ProgramLocale,
            ProgramLocale = _context.ProgramLocale,
        };
        var ok = true;
        foreach (var required in kind.Required.Where(r => !attributes.ContainsKey(r)))
        {
            ok = false;
            if (!kind.ReportMissing(binding, required))
                _diagnostics.Report(DiagnosticDescriptors.DirectiveAttribute, nameLocation, name, $"needs {required}=\"…\"{kind.RequiredHint}");
        }
        ok &= kind.Bind(binding);

        var failed = _diagnostics.Items.Count(d => d.Severity == DiagnosticSeverity.Error) > errorsBefore;
        _structure.Add(new DirectiveMark(name, kind.KeyAttribute is { } key ? attributes.GetValueOrDefault(key) : null, nameLocation, failed));
        _open.Push((name, attributes));
        var children = binding.Included ?? ConvertChildren(container);
        _open.Pop();
        return ok ? new DirectiveBlock(name, attributes.ToImmutableSortedDictionary(StringComparer.Ordinal), children, binding.Condition) { Location = nameLocation } : null;
    }

    /// <summary>A directive's children; those of a directive in a list item or a quote without the prefix of its lines.</summary>
    private ImmutableArray<ContentBlock> ConvertChildren(CustomContainer container)
    {
        var indent = _indent;
        if (!StandsAtTopLevel(container))
        {
            var lineBegin = _body.LastIndexOf('\n', Math.Max(0, container.Span.Start - 1)) + 1;
            _indent = container.Span.Start - lineBegin;
        }
        var children = Convert(container);
        _indent = indent;
        return children;
    }

    /// <summary>Whether only directives stand between a directive and the body (no list item or quote).</summary>
    private static bool StandsAtTopLevel(Block block)
    {
        for (var parent = block.Parent; parent is not null; parent = parent.Parent)
            if (parent is not (CustomContainer or MarkdownDocument)) return false;
        return true;
    }

    private int FileLine(int bodyOffset) => At(bodyOffset, 0).Line;

    /// <summary>
    /// A directive is closed by the next fence at least as long as its own. When that fence is
    /// missing, Markdig closes it at the end of the file, or takes the closing fence meant for a
    /// directive inside it: either way, report it at its opening line, once.
    /// </summary>
    private void CheckClosed(CustomContainer container, string name, SourceLocation at)
    {
        if (_structureBroken) return;
        var shown = name.Length == 0 ? "" : name;
        var fence = new string(':', container.OpeningFencedCharCount);
        string Where(Block? limit)
        {
            var next = container.Skip(1).TakeWhile(b => b != limit).FirstOrDefault(b => b is HeadingBlock or ThematicBreakBlock) ?? limit;
            if (next is null) return "after its last line";
            return next == limit ? $"before line {FileLine(next.Span.Start) + 1}" : $"where it ends, probably before line {FileLine(next.Span.Start) + 1} ({Describe(next)})";
        }
        // A directive inside another with a fence as long as its parent's: the parent was not closed before it.
        if (container.OfType<CustomContainer>().FirstOrDefault(c => c.OpeningFencedCharCount >= container.OpeningFencedCharCount
                && DirectiveKinds.Find(c.Info ?? string.Empty) is not { OneLine: true }) is { } inner)
        {
            _structureBroken = true;
            _diagnostics.Report(DiagnosticDescriptors.UnclosedDirective, at, shown,
                $" before the '{new string(':', inner.OpeningFencedCharCount)} {inner.Info}' on line {FileLine(inner.Span.Start) + 1}, which has as many colons and so cannot be inside it; "
                + $"add a line '{fence}' {Where(inner)}, or, if the {inner.Info} belongs inside the {shown}, give the {shown} a longer fence ('{fence}:') at its start and its end");
            return;
        }
        if (container.ClosingFencedCharCount > 0) return;
        _structureBroken = true;
        if (container.Parent is CustomContainer { ClosingFencedCharCount: > 0 } parent && parent.LastChild == container)
        {
            // The parent's closing fence closed this one too.
            var closeLine = FileLine(parent.Span.End) + 1;
            _diagnostics.Report(DiagnosticDescriptors.UnclosedDirective, at, shown,
                $": the '{new string(':', parent.ClosingFencedCharCount)}' on line {closeLine} that closes the '{parent.Info}' around it ends it too; add a line '{fence}' where the {shown} ends, before line {closeLine}");
            return;
        }
        _diagnostics.Report(DiagnosticDescriptors.UnclosedDirective, at, shown,
            $", so everything after it to the end of the file is inside it; add a line '{fence}' {Where(null)}");
    }

    private string Describe(Block block) => block switch
    {
        HeadingBlock h => $"the heading '{Snippet(h.Span).TrimStart('#', ' ')}'",
        CustomContainer c => $"'{new string(':', c.OpeningFencedCharCount)} {c.Info}'",
        _ => "a '---' line",
    };
}

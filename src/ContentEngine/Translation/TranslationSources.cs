using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Markdown;
using ContentEngine.Text;
using ContentEngine.Yaml;
using Markdig.Extensions.CustomContainers;
using Markdig.Extensions.Footnotes;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ContentEngine.Translation;

/// <summary>
/// A program's sources read for translation: program.yaml, theme.yaml and every module and worksheet
/// with its translation files, through the compiler's own readers (front matter, YAML, the Markdown pipeline).
/// </summary>
public sealed partial class TranslationSources
{
    /// <summary>An original and its translation files by locale.</summary>
    private sealed record SourceSet(string Kind, string Id, FrontMatterDocument Original, IReadOnlyDictionary<string, FrontMatterDocument> Translations);

    private readonly List<SourceSet> _sets;
    private readonly YMapping _program;
    private readonly YMapping? _theme;

    private TranslationSources(string root, string programId, ImmutableArray<string> locales, YMapping program, YMapping? theme, List<SourceSet> sets) =>
        (Root, ProgramId, Locales, _program, _theme, _sets) = (root, programId, locales, program, theme, sets);

    /// <summary>The program folder.</summary>
    public string Root { get; }

    public string ProgramId { get; }

    /// <summary>The program's locales, the default (the sources' language) first.</summary>
    public ImmutableArray<string> Locales { get; }

    public string DefaultLocale => Locales[0];

    /// <summary>Reads the program; null when program.yaml cannot be read (the reason is reported).</summary>
    public static TranslationSources? Read(string programDirectory, DiagnosticBag diagnostics)
    {
        var root = Path.GetFullPath(programDirectory);
        var programPath = Path.Combine(root, "program.yaml");
        if (!File.Exists(programPath))
        {
            diagnostics.Report(DiagnosticDescriptors.NoProgramFile, SourceLocation.File("program.yaml"), Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)));
            return null;
        }
        var programFile = SourceReader.Read(root, "program.yaml", diagnostics);
        var program = programFile is null ? null : FrontMatter.ReadYamlFile(programFile, diagnostics);
        if (program is null) return null;
        var id = program["id"] is YScalar { } idNode && MappingReader.IsId(idNode.Value) ? idNode.Value : Path.GetFileName(root);
        var locales = program["locales"] is YSequence seq
            ? seq.Items.OfType<YScalar>().Select(s => s.Value).Where(v => v.Length > 0).Distinct().ToImmutableArray()
            : [];
        if (locales.Length == 0) locales = ["en"];

        YMapping? theme = null;
        var themePath = Path.Combine(root, IdentityBinder.FileName);
        if (File.Exists(themePath) && SourceReader.Read(root, IdentityBinder.FileName, diagnostics) is { } themeFile)
            theme = FrontMatter.ReadYamlFile(themeFile, diagnostics);

        var sets = new List<SourceSet>();
        foreach (var (folder, kind) in new[] { ("modules", "module"), ("worksheets", "worksheet") })
        {
            var dir = Path.Combine(root, folder);
            if (!Directory.Exists(dir)) continue;
            var documents = Directory.EnumerateFiles(dir, "*.md", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .Select(path =>
                {
                    var (baseName, locale) = ProgramCompiler.SplitName(path);
                    var file = SourceReader.Read(root, path, diagnostics);
                    return (baseName, locale, document: file is null ? null : FrontMatter.Read(file, diagnostics));
                })
                .ToList();
            foreach (var (baseName, _, document) in documents.Where(d => d.locale is null && d.document is not null))
            {
                var translations = documents
                    .Where(d => d.locale is not null && d.baseName == baseName && d.document is not null)
                    .ToDictionary(d => d.locale!, d => d.document!, StringComparer.Ordinal);
                var fileId = baseName[(baseName.LastIndexOf('/') + 1)..];
                var declared = document!.Yaml["id"] is YScalar { } s && MappingReader.IsId(s.Value) ? s.Value : fileId;
                sets.Add(new SourceSet(kind, declared, document, translations));
            }
        }
        return new TranslationSources(root, id, locales, program, theme, sets);
    }

    /// <summary>Every unit of the program in a locale (not the default), with its state against the record (none: every target is unrecorded).</summary>
    public IReadOnlyList<TranslationUnit> Units(string locale, TranslationRecord? record)
    {
        if (locale == DefaultLocale || !Locales.Contains(locale))
            throw new ArgumentException($"'{locale}' is not one of the program's translated locales ({string.Join(", ", Locales.Skip(1))})", nameof(locale));
        var units = new List<TranslationUnit>();
        var programFile = new Walker(this, locale, record, units, null);
        var programPrefix = "program:" + ProgramId;
        programFile.FrontMatter(_program, null, programPrefix, "the program");
        if (_theme is not null) programFile.FrontMatter(_theme, null, programPrefix + ".theme", "the program's look");
        foreach (var set in _sets)
        {
            var translation = set.Translations.GetValueOrDefault(locale);
            var walker = new Walker(this, locale, record, units, set);
            var prefix = set.Kind + ":" + set.Id;
            var what = $"the {set.Kind} '{set.Id}'";
            walker.FrontMatter(set.Original.Yaml, translation?.Yaml, prefix, what);
            walker.Body(set.Original, translation, prefix + ".body", what);
        }
        return units;
    }

    /// <summary>An id segment: characters outside [A-Za-z0-9-] written _XX_ (hex), so that ids are XML NMTOKENs.</summary>
    public static string Segment(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '-') sb.Append(c);
            else sb.Append('_').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)).Append('_');
        }
        return sb.ToString();
    }

    private static readonly HashSet<string> TextKeys = ["title", "summary", "offer_reason", "label", "help", "unit", "logo_alt", "cover_alt", "about", "privacy"];
    private static readonly HashSet<string> KeyedLists = ["fields", "columns", "options", "areas", "phases"];

    [GeneratedRegex(@"^[ ]{0,3}#{1,6}(?:[ \t]+|$)")]
    private static partial Regex AtxOpening();

    [GeneratedRegex(@"(?:[ \t]+\{[^{}]*\})?(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex AtxClosing();

    /// <summary>What encloses a text: the words for the translator, the condition, a safety message.</summary>
    private sealed record Enclosing(string Context, string? Condition, bool IsSafety);

    private sealed class Walker(TranslationSources sources, string locale, TranslationRecord? record, List<TranslationUnit> units, SourceSet? set)
    {
        private readonly string _default = sources.DefaultLocale;

        // ---- front matter ----

        public void FrontMatter(YMapping original, YMapping? translated, string prefix, string what)
        {
            string? condition = original["offer_when"] is YScalar ow && set?.Kind == "module" ? ow.Value : null;
            Mapping(original, translated, prefix, what, condition, null);
        }

        private void Mapping(YMapping original, YMapping? translated, string prefix, string what, string? offerWhen, string? parentList)
        {
            foreach (var (key, value) in original.Entries)
            {
                var t = translated?[key.Value];
                var id = prefix + "." + Segment(key.Value);
                if (TextKeys.Contains(key.Value))
                {
                    var kind = key.Value switch
                    {
                        "offer_reason" => "offer-reason",
                        "logo_alt" or "cover_alt" => "alt",
                        "label" when parentList is "options" => "option",
                        "label" when parentList is "areas" => "area",
                        "label" when parentList is "bands" => "band",
                        _ => key.Value,
                    };
                    var context = key.Value switch
                    {
                        "offer_reason" => $"{what}: why it is offered to the patient" + (offerWhen is null ? "" : $" (offered when {offerWhen})"),
                        "logo_alt" => $"{what}: what the logo shows (alt text)",
                        "cover_alt" => $"{what}: what the cover picture shows (alt text)",
                        "about" => $"{what}: what the program is, for the page 'About this program'",
                        "privacy" => $"{what}: what happens to patients' answers, for the page 'Privacy'",
                        _ => $"{what}: its {key.Value}",
                    };
                    Text(id, kind, context, key.Value == "offer_reason" ? offerWhen : null, value, t);
                }
                else if (key.Value == "labels" && value is YMapping labels)
                {
                    foreach (var (k, v) in labels.Entries)
                        Text(id + "." + Segment(k.Value), "scale-label", $"{what}: the label of the scale's value {k.Value}", null, v, (t as YMapping)?[k.Value]);
                }
                else if (key.Value == "provider" && value is YMapping provider && provider["name"] is { } name)
                {
                    Text(id + ".name", "name", $"{what}: the name of who offers the program", null, name, (t as YMapping)?["name"]);
                }
                else if (key.Value == "scoring" && value is YMapping scoring)
                {
                    Mapping(scoring, t as YMapping, id, what, null, null);
                }
                else if (key.Value == "bands" && value is YMapping bands)
                {
                    foreach (var (score, list) in bands.Entries)
                        if (list is YSequence items)
                            for (var i = 0; i < items.Items.Count; i++)
                                if (items.Items[i] is YMapping band)
                                    Mapping(band, ((t as YMapping)?[score.Value] as YSequence)?.Items.ElementAtOrDefault(i) as YMapping,
                                        $"{id}.{Segment(score.Value)}.{i}", $"{what}, band {i + 1} of the score '{score.Value}'", null, "bands");
                }
                else if (key.Value == "rows" && value is YSequence rows)
                {
                    for (var i = 0; i < rows.Items.Count; i++)
                        Text($"{id}.{i}", "row", $"{what}: the label of row {i + 1}", null, rows.Items[i], (t as YSequence)?.Items.ElementAtOrDefault(i));
                }
                else if (KeyedLists.Contains(key.Value) && value is YSequence list)
                {
                    foreach (var item in list.Items.OfType<YMapping>())
                    {
                        if ((item["id"] ?? item["value"]) is not YScalar itemKey) continue;
                        var match = (t as YSequence)?.Items.OfType<YMapping>()
                            .FirstOrDefault(m => (m["id"] ?? m["value"]) is YScalar k && k.Value == itemKey.Value);
                        var noun = key.Value switch { "fields" => "field", "columns" => "column", "options" => "option", "areas" => "area", _ => "phase" };
                        Mapping(item, match, $"{id}.{Segment(itemKey.Value)}", $"{what}, {noun} '{itemKey.Value}'", null, key.Value);
                    }
                }
            }
        }

        /// <summary>A text in YAML: a plain text in the default locale or a locale map; its target in the translation file or the map.</summary>
        private void Text(string id, string kind, string context, string? condition, YNode original, YNode? translated)
        {
            YScalar? source = original switch
            {
                YScalar s when !s.IsNull => s,
                YMapping m => m[_default] as YScalar,
                _ => null,
            };
            if (source is null || source.Value.Length == 0) return;
            YScalar? target = translated as YScalar ?? (original is YMapping map ? map[locale] as YScalar : null);
            if (target is { IsNull: true }) target = null;
            var range = target is null ? null : Range(target.Location, TextSyntax.YamlScalar);
            Add(id, kind, context, condition, false, source.Value, source.Location, target?.Value, range);
        }

        private TextRange Range(SourceLocation location, TextSyntax syntax)
        {
            var file = FileOf(location.Path);
            var start = file.GetOffset(location.Line, location.Column);
            return new TextRange(location.Path, start, Math.Min(location.Length, file.Text.Length - start), syntax);
        }

        private SourceFile FileOf(string path)
        {
            if (set is not null)
            {
                if (set.Original.File.Path == path) return set.Original.File;
                foreach (var t in set.Translations.Values) if (t.File.Path == path) return t.File;
            }
            _files ??= new(StringComparer.Ordinal);
            if (!_files.TryGetValue(path, out var file))
                _files[path] = file = new SourceFile(path, File.ReadAllText(Path.Combine(sources.Root, path)).Replace("\r\n", "\n").TrimStart('\uFEFF'));
            return file;
        }

        private Dictionary<string, SourceFile>? _files;

        private void Add(string id, string kind, string context, string? condition, bool safety, string source, SourceLocation sourceLocation, string? target, TextRange? range)
        {
            UnitState state;
            string? recorded = null;
            if (target is null) state = UnitState.Missing;
            else if (record?.Units.GetValueOrDefault(id) is not { } entry) state = UnitState.Unrecorded;
            else
            {
                recorded = entry.Source;
                state = entry.SourceHash != TranslationText.Hash(source) ? UnitState.Stale
                    : entry.State == RecordState.Reviewed ? UnitState.Reviewed : UnitState.Translated;
            }
            SourceLocation? targetLocation = null;
            if (range is not null)
            {
                var file = FileOf(range.Path);
                var (line, column) = file.GetLineColumn(range.Start);
                var firstLine = file.GetLine(line);
                targetLocation = new SourceLocation(range.Path, line, column, Math.Max(1, Math.Min(range.Length, firstLine.Length - column)));
            }
            units.Add(new TranslationUnit(id, kind, context, condition, safety, source, sourceLocation, target, range, state, recorded) { TargetLocation = targetLocation });
        }

        // ---- bodies ----

        private sealed record BodyText(SourceFile File, int Start, string Text, MarkdownDocument Document);

        /// <summary>Null for a body that nests too deep to parse (the compiler reports it, CE0012).</summary>
        private static BodyText? Parse(FrontMatterDocument d)
        {
            var text = d.File.Text[d.BodyStart..];
            return ContentPipeline.Parse(text, out _) is { } document ? new BodyText(d.File, d.BodyStart, text, document) : null;
        }

        private BodyText? _o, _t;

        public void Body(FrontMatterDocument original, FrontMatterDocument? translation, string prefix, string what)
        {
            _o = Parse(original);
            if (_o is null) return;
            _t = translation is null ? null : Parse(translation);
            var root = new Enclosing(what, null, false);
            Blocks(Children(_o.Document), _t is null ? null : Children(_t.Document), prefix, root);
            // Footnotes pair by label.
            var tNotes = _t?.Document.Descendants<Footnote>().Where(f => f.Label is not null).ToDictionary(f => f.Label!, StringComparer.Ordinal);
            foreach (var note in _o.Document.Descendants<Footnote>().Where(f => f.Label is not null))
            {
                var match = tNotes?.GetValueOrDefault(note.Label!);
                Blocks([.. note], match is null ? null : [.. match], $"{prefix}.footnote.{Segment(note.Label!.TrimStart('^'))}", root with { Context = $"{what}, the footnote [^{note.Label!.TrimStart('^')}]" });
            }
        }

        private static List<Block> Children(ContainerBlock c) =>
            [.. c.Where(b => b is not (LinkReferenceDefinitionGroup or FootnoteGroup or BlankLineBlock))];

        private static string Shape(Block b) => b switch
        {
            HeadingBlock h => "h" + h.Level,
            ParagraphBlock p => ImageOnly(p) is null ? "p" : "img",
            ListBlock l => (l.IsOrdered ? "ol" : "ul") + l.Count,
            Table t => "table" + t.Count + "x" + string.Join(',', t.OfType<TableRow>().Select(r => r.Count)),
            QuoteBlock => "quote",
            CustomContainer c => "::" + c.Info,
            _ => b.GetType().Name,
        };

        private static LinkInline? ImageOnly(ParagraphBlock p)
        {
            if (p.Inline is null) return null;
            var inlines = p.Inline.Where(i => !(i is LiteralInline l && l.Content.IsEmptyOrWhitespace())).ToList();
            return inlines is [LinkInline { IsImage: true } image] ? image : null;
        }

        /// <summary>Pairs the original's blocks with the translation's (null: no translation) and adds their units.</summary>
        private void Blocks(List<Block> original, List<Block>? translated, string prefix, Enclosing enclosing)
        {
            if (translated is null || original.Select(Shape).SequenceEqual(translated.Select(Shape)))
            {
                for (var i = 0; i < original.Count; i++) Block(original[i], translated?[i], $"{prefix}.{i}", enclosing);
                return;
            }
            // The blocks differ: pair the directives (the structure rule keeps them the same) and the runs between them.
            var oDirectives = original.Select((b, i) => (b, i)).Where(x => x.b is CustomContainer).Select(x => x.i).ToList();
            var tDirectives = translated.Select((b, i) => (b, i)).Where(x => x.b is CustomContainer).Select(x => x.i).ToList();
            if (oDirectives.Count != tDirectives.Count || !oDirectives.Zip(tDirectives).All(p => Shape(original[p.First]) == Shape(translated[p.Second])))
            {
                // A structure error (CE0501) is reported by the compiler; here nothing pairs.
                Blocks(original, null, prefix, enclosing);
                return;
            }
            var oFrom = 0;
            var tFrom = 0;
            for (var k = 0; k <= oDirectives.Count; k++)
            {
                var oTo = k < oDirectives.Count ? oDirectives[k] : original.Count;
                var tTo = k < tDirectives.Count ? tDirectives[k] : translated.Count;
                var oRun = original[oFrom..oTo];
                var tRun = translated[tFrom..tTo];
                if (oRun.Select(Shape).SequenceEqual(tRun.Select(Shape)))
                    for (var i = 0; i < oRun.Count; i++) Block(oRun[i], tRun[i], $"{prefix}.{oFrom + i}", enclosing);
                else if (oRun.Count > 0)
                {
                    var source = Slice(_o!, oRun[0].Span.Start, oRun[^1].Span.End + 1);
                    var target = tRun.Count == 0 ? null : Slice(_t!, tRun[0].Span.Start, tRun[^1].Span.End + 1);
                    Add($"{prefix}.{oFrom}-{oTo - 1}", "passage", enclosing.Context + ", a passage translated as a whole", enclosing.Condition, enclosing.IsSafety,
                        source.Text, source.Location, target?.Text, target?.Range);
                }
                if (k < oDirectives.Count) Block(original[oTo], translated[tTo], $"{prefix}.{oTo}", enclosing);
                oFrom = oTo + 1;
                tFrom = tTo + 1;
            }
        }

        private sealed record Cut(string Text, SourceLocation Location, TextRange Range);

        /// <summary>The text of a body between two body offsets, white space around it left out.</summary>
        private static Cut Slice(BodyText body, int start, int end, TextSyntax syntax = TextSyntax.Markdown)
        {
            start = Math.Clamp(start, 0, body.Text.Length);
            end = Math.Clamp(end, start, body.Text.Length);
            while (end > start && char.IsWhiteSpace(body.Text[end - 1])) end--;
            while (start < end && char.IsWhiteSpace(body.Text[start])) start++;
            var text = body.Text[start..end];
            var firstLine = text.IndexOf('\n');
            return new Cut(text, body.File.Location(body.Start + start, firstLine < 0 ? text.Length : firstLine),
                new TextRange(body.File.Path, body.Start + start, end - start, syntax));
        }

        private void Leaf(string id, string kind, Enclosing enclosing, Cut source, Cut? target) =>
            Add(id, kind, enclosing.Context, enclosing.Condition, enclosing.IsSafety, source.Text, source.Location, target?.Text, target?.Range);

        private void Block(Block o, Block? t, string id, Enclosing enclosing)
        {
            switch (o)
            {
                case HeadingBlock h:
                    if (HeadingText(_o!, h) is { } heading && heading.Text.Length > 0)
                        Leaf(id, "heading", enclosing, heading, t is HeadingBlock th ? HeadingText(_t!, th) : null);
                    break;
                case ParagraphBlock p:
                    if (ImageOnly(p) is { } image)
                    {
                        if (AltText(_o!, image) is { } alt && alt.Text.Trim().Length > 0)
                            Leaf(id, "alt", enclosing with { Context = enclosing.Context + ", what a picture shows (alt text)" }, alt,
                                t is ParagraphBlock tp && ImageOnly(tp) is { } ti ? AltText(_t!, ti) : null);
                    }
                    else
                        Leaf(id, "paragraph", enclosing, Slice(_o!, p.Span.Start, p.Span.End + 1), t is null ? null : Slice(_t!, t.Span.Start, t.Span.End + 1));
                    break;
                case ListBlock list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        var item = (ListItemBlock)list[i];
                        var titem = (t as ListBlock)?[i] as ListItemBlock;
                        if (item is [ParagraphBlock only] && (titem is null || titem is [ParagraphBlock]))
                            Leaf($"{id}.{i}", "list-item", enclosing, Slice(_o!, only.Span.Start, only.Span.End + 1),
                                titem is null ? null : Slice(_t!, titem[0].Span.Start, titem[0].Span.End + 1));
                        else
                            Blocks(Children(item), titem is null ? null : Children(titem), $"{id}.{i}", enclosing);
                    }
                    break;
                case Table table:
                    for (var r = 0; r < table.Count; r++)
                    {
                        if (table[r] is not TableRow row) continue;
                        var trow = (t as Table)?[r] as TableRow;
                        for (var c = 0; c < row.Count; c++)
                        {
                            if (row[c] is not TableCell { Count: > 0 } cell || cell[0] is not ParagraphBlock cp) continue;
                            var tcp = (trow?.ElementAtOrDefault(c) as TableCell)?.FirstOrDefault() as ParagraphBlock;
                            Leaf($"{id}.{r}.{c}", "table-cell", enclosing with { Context = enclosing.Context + (row.IsHeader ? ", a table's heading" : ", a table cell") },
                                Slice(_o!, cp.Span.Start, cp.Span.End + 1), tcp is null ? null : Slice(_t!, tcp.Span.Start, tcp.Span.End + 1));
                        }
                    }
                    break;
                case QuoteBlock quote:
                    Blocks(Children(quote), t is QuoteBlock tq ? Children(tq) : null, id, enclosing with { Context = enclosing.Context + ", a quotation" });
                    break;
                case CustomContainer directive:
                    Directive(directive, t as CustomContainer, id, enclosing);
                    break;
            }
        }

        private void Directive(CustomContainer o, CustomContainer? t, string id, Enclosing enclosing)
        {
            var name = o.Info ?? string.Empty;
            var attributes = Attributes(_o!, o);
            var tAttributes = t is null ? null : Attributes(_t!, t);
            var title = attributes.GetValueOrDefault("title");
            var inner = name switch
            {
                "exercise" => enclosing with { Context = enclosing.Context + (title is null ? ", an exercise" : $", the exercise '{title.Text}'") },
                "safety" => enclosing with { Context = enclosing.Context + ", a safety message", IsSafety = true },
                "note" or "tip" or "warning" => enclosing with { Context = enclosing.Context + $", a {name}" + (title is null ? "" : $" '{title.Text}'") },
                "worksheet" => enclosing with { Context = enclosing.Context + $", the introduction to the worksheet '{attributes.GetValueOrDefault("ref")?.Text}'" },
                "audio" or "video" => enclosing with { Context = enclosing.Context + $", with the {name} {attributes.GetValueOrDefault("src")?.Text}" },
                "narration" => enclosing with { Context = enclosing.Context + ", narration (heard only in the audio)" },
                "only" => enclosing with { Context = enclosing.Context + $", only in the {attributes.GetValueOrDefault("formats")?.Text.Replace(" ", " and ", StringComparison.Ordinal)} version" },
                "if" when attributes.GetValueOrDefault("when") is { } when => enclosing with
                {
                    Context = enclosing.Context + $", shown when {when.Text}",
                    Condition = enclosing.Condition is null ? when.Text : $"({enclosing.Condition}) and ({when.Text})",
                },
                _ => enclosing,
            };
            if (title is not null && title.Text.Length > 0)
                Leaf(id + ".title", "attribute", inner with { Context = inner.Context + $": the {name}'s title" }, title, tAttributes?.GetValueOrDefault("title"));
            Blocks(Children(o), t is null ? null : Children(t), id, inner);
        }

        /// <summary>The attributes of a directive's opening line, each value with its place.</summary>
        private static Dictionary<string, Cut> Attributes(BodyText body, CustomContainer c)
        {
            var result = new Dictionary<string, Cut>(StringComparer.Ordinal);
            var lineStart = c.Span.Start;
            var lineEnd = body.Text.IndexOf('\n', lineStart);
            var line = body.Text[lineStart..(lineEnd < 0 ? body.Text.Length : lineEnd)];
            var brace = line.IndexOf('{');
            if (brace < 0) return result;
            var (attributes, _) = DirectiveAttributeParser.Parse(line, brace);
            foreach (var a in attributes)
            {
                var at = body.Start + lineStart + a.ValueColumn;
                result[a.Name] = new Cut(a.Value, body.File.Location(at, a.ValueLength), new TextRange(body.File.Path, at, a.ValueLength, TextSyntax.DirectiveAttribute));
            }
            return result;
        }

        /// <summary>A heading's text without its #s, its closing #s and its {#id} or {.class}.</summary>
        private static Cut? HeadingText(BodyText body, HeadingBlock h)
        {
            if (h.IsSetext)
            {
                var underline = body.Text.LastIndexOf('\n', Math.Min(h.Span.End, body.Text.Length - 1));
                return underline <= h.Span.Start ? null : Slice(body, h.Span.Start, underline);
            }
            var lineEnd = body.Text.IndexOf('\n', h.Span.Start);
            var line = body.Text[h.Span.Start..(lineEnd < 0 ? body.Text.Length : lineEnd)];
            var open = AtxOpening().Match(line);
            if (!open.Success) return null;
            var rest = line[open.Length..];
            var close = AtxClosing().Match(rest);
            var length = close.Success ? close.Index : rest.Length;
            return Slice(body, h.Span.Start + open.Length, h.Span.Start + open.Length + length);
        }

        /// <summary>An image's alt text: what is between ![ and the matching ].</summary>
        private static Cut? AltText(BodyText body, LinkInline image)
        {
            var start = image.Span.Start + 2;
            var depth = 0;
            for (var i = start; i < Math.Min(body.Text.Length, image.Span.End + 1); i++)
            {
                var c = body.Text[i];
                if (c == '\\') { i++; continue; }
                if (c == '[') depth++;
                else if (c == ']' && depth-- == 0) return Slice(body, start, i);
            }
            return null;
        }
    }
}

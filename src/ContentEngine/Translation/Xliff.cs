using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace ContentEngine.Translation;

/// <summary>A note for the translator: XLIFF's <c>&lt;note category=…&gt;</c>.</summary>
public sealed record XliffNote(string Category, string Text, int? Priority = null);

/// <summary>One translatable text: its unit id (the catalogue's), the state, the source and the target as Markdown.</summary>
/// <param name="State">initial, translated, reviewed or final (XLIFF's segment states).</param>
/// <param name="SubState">a refinement such as <c>ce:stale</c> (prefix:value), or null.</param>
/// <param name="Markdown">the texts are Markdown, whose formatting becomes tags; else plain text.</param>
public sealed record XliffUnit(string Id, string State, string? SubState, string Source, string? Target, IReadOnlyList<XliffNote> Notes, bool Markdown = true);

/// <summary>One source file of the program: XLIFF's <c>&lt;file&gt;</c>, its <c>original</c> the program id and the file's path.</summary>
public sealed record XliffFile(string Path, IReadOnlyList<XliffNote> Notes, IReadOnlyList<XliffUnit> Units);

public sealed record XliffDocument(string ProgramId, string SourceLocale, string TargetLocale, IReadOnlyList<XliffFile> Files);

/// <summary>A unit as read back: its parts, and where it is in the XLIFF file (1-based line and column).</summary>
public sealed record XliffReadUnit(
    string XliffId,
    string? Name,
    string FilePath,
    string State,
    ImmutableArray<InlinePart> Source,
    ImmutableArray<InlinePart>? Target,
    int Line,
    int Column)
{
    public string SourceMarkdown => InlineMarkup.ToMarkdown(Source);
    public string? TargetMarkdown => Target is { } t ? InlineMarkup.ToMarkdown(t) : null;
}

public sealed record XliffReadDocument(string ProgramId, string SourceLocale, string TargetLocale, IReadOnlyList<XliffReadUnit> Units);

/// <summary>An XLIFF file that cannot be taken: where (1-based line and column, 0 when unknown), which unit, and why.</summary>
public sealed class XliffException(string message, int line, int column, string? unit = null) : Exception(message)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string? Unit { get; } = unit;
}

/// <summary>
/// Writes and reads XLIFF 2.1 (OASIS; the core only, namespace <c>urn:oasis:names:tc:xliff:document:2.0</c>
/// with version="2.1"). One <c>&lt;file&gt;</c> per source file, its <c>original</c> "program-id/path";
/// one <c>&lt;unit&gt;</c> per translatable text, its <c>id</c> the catalogue's unit id made an XML name
/// token (<see cref="UnitId"/>) and its <c>name</c> the catalogue's id as it is; inline formatting as
/// <c>&lt;pc&gt;</c>/<c>&lt;ph&gt;</c> with the Markdown in <c>&lt;originalData&gt;</c>.
/// </summary>
public static class Xliff
{
    public const string Namespace = "urn:oasis:names:tc:xliff:document:2.0";
    private static readonly XNamespace Ns = Namespace;
    private static readonly string[] States = ["initial", "translated", "reviewed", "final"];

    /// <summary>
    /// The catalogue's unit id as an XLIFF unit id (an XML NMTOKEN): '/' becomes '.', any other character
    /// that a name token cannot hold becomes '_'. "module:values/body/3" is "module:values.body.3".
    /// </summary>
    public static string UnitId(string id)
    {
        var sb = new StringBuilder(id.Length);
        foreach (var c in id)
            sb.Append(c == '/' ? '.' : char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' ? c : '_');
        return sb.ToString();
    }

    /// <summary>A file's id: its path made a name token ("modules/values.md" is "modules.values.md").</summary>
    public static string FileId(string path) => UnitId(path);

    // ---- writing ----

    public static string Write(XliffDocument document)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false, NewLineChars = "\n", OmitXmlDeclaration = false };
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, settings))
        {
            w.WriteStartDocument();
            w.WriteWhitespace("\n");
            w.WriteStartElement("xliff", Namespace);
            w.WriteAttributeString("version", "2.1");
            w.WriteAttributeString("srcLang", document.SourceLocale);
            w.WriteAttributeString("trgLang", document.TargetLocale);
            var unitIds = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in document.Files)
            {
                Line(w, 1);
                w.WriteStartElement("file", Namespace);
                w.WriteAttributeString("id", FileId(file.Path));
                w.WriteAttributeString("original", document.ProgramId + "/" + file.Path);
                WriteNotes(w, file.Notes, 2);
                foreach (var unit in file.Units)
                {
                    var xid = UnitId(unit.Id);
                    if (!unitIds.TryAdd(xid, unit.Id))
                        throw new InvalidOperationException($"the units '{unitIds[xid]}' and '{unit.Id}' would have the same XLIFF id '{xid}'");
                    WriteUnit(w, unit, xid);
                }
                Line(w, 1);
                w.WriteEndElement();
            }
            Line(w, 0);
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return new UTF8Encoding(false).GetString(stream.ToArray()) + "\n";
    }

    private static void Line(XmlWriter w, int depth) => w.WriteWhitespace("\n" + new string(' ', 2 * depth));

    private static void WriteNotes(XmlWriter w, IReadOnlyList<XliffNote> notes, int depth)
    {
        if (notes.Count == 0) return;
        Line(w, depth);
        w.WriteStartElement("notes", Namespace);
        foreach (var note in notes)
        {
            Line(w, depth + 1);
            w.WriteStartElement("note", Namespace);
            w.WriteAttributeString("category", note.Category);
            if (note.Priority is { } p) w.WriteAttributeString("priority", p.ToString(CultureInfo.InvariantCulture));
            w.WriteString(note.Text);
            w.WriteEndElement();
        }
        Line(w, depth);
        w.WriteEndElement();
    }

    private static void WriteUnit(XmlWriter w, XliffUnit unit, string xid)
    {
        if (!States.Contains(unit.State)) throw new ArgumentException($"'{unit.State}' is not an XLIFF state", nameof(unit));
        ImmutableArray<InlinePart> Parts(string text) => unit.Markdown ? InlineMarkup.Parse(text) : text.Length == 0 ? [] : [new InlineText(text)];
        var source = Parts(unit.Source);
        Line(w, 2);
        w.WriteStartElement("unit", Namespace);
        w.WriteAttributeString("id", xid);
        w.WriteAttributeString("name", unit.Id);
        WriteNotes(w, unit.Notes, 3);

        // The Markdown of the tags, once per unit: the source's, and the target's where it differs.
        var data = new List<(string Id, string Text)>();
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        string Ref(string text)
        {
            if (refs.TryGetValue(text, out var id)) return id;
            id = "d" + (data.Count + 1).ToString(CultureInfo.InvariantCulture);
            data.Add((id, text));
            refs[text] = id;
            return id;
        }
        var target = unit.Target is null ? (ImmutableArray<InlinePart>?)null : Align(source, Parts(unit.Target));
        void Collect(IEnumerable<InlinePart> parts)
        {
            foreach (var part in parts)
            {
                if (part is InlinePair p) { Ref(p.Start); Ref(p.End); Collect(p.Content); }
                else if (part is InlinePlaceholder ph) Ref(ph.Data);
            }
        }
        Collect(source);
        if (target is { } tp) Collect(tp);
        if (data.Count > 0)
        {
            Line(w, 3);
            w.WriteStartElement("originalData", Namespace);
            foreach (var (id, text) in data)
            {
                Line(w, 4);
                w.WriteStartElement("data", Namespace);
                w.WriteAttributeString("id", id);
                w.WriteAttributeString("xml", "space", null, "preserve");
                w.WriteString(text);
                w.WriteEndElement();
            }
            Line(w, 3);
            w.WriteEndElement();
        }

        Line(w, 3);
        w.WriteStartElement("segment", Namespace);
        w.WriteAttributeString("state", unit.State);
        if (unit.SubState is { } sub) w.WriteAttributeString("subState", sub);
        Line(w, 4);
        w.WriteStartElement("source", Namespace);
        w.WriteAttributeString("xml", "space", null, "preserve");
        WriteParts(w, source, Ref);
        w.WriteEndElement();
        if (target is { } t)
        {
            Line(w, 4);
            w.WriteStartElement("target", Namespace);
            w.WriteAttributeString("xml", "space", null, "preserve");
            WriteParts(w, t, Ref);
            w.WriteEndElement();
        }
        Line(w, 3);
        w.WriteEndElement();
        Line(w, 2);
        w.WriteEndElement();
    }

    /// <summary>
    /// The target's tags take the ids of the source's tags with the same Markdown (the n-th emphasis of
    /// the target is the n-th of the source), so that a CAT tool pairs them; tags the source does not
    /// have get ids of their own after the source's.
    /// </summary>
    private static ImmutableArray<InlinePart> Align(ImmutableArray<InlinePart> source, ImmutableArray<InlinePart> target)
    {
        var queues = new Dictionary<string, Queue<string>>(StringComparer.Ordinal);
        var max = 0;
        void Index(IEnumerable<InlinePart> parts)
        {
            foreach (var part in parts)
            {
                var key = Key(part);
                if (key is null) continue;
                var id = part is InlinePair p ? p.Id : ((InlinePlaceholder)part).Id;
                max = Math.Max(max, int.Parse(id, CultureInfo.InvariantCulture));
                if (!queues.TryGetValue(key, out var q)) queues[key] = q = new Queue<string>();
                q.Enqueue(id);
                if (part is InlinePair pair) Index(pair.Content);
            }
        }
        Index(source);
        var used = new HashSet<string>(StringComparer.Ordinal);
        ImmutableArray<InlinePart> Map(ImmutableArray<InlinePart> parts) => [.. parts.Select(part =>
        {
            var key = Key(part);
            if (key is null) return part;
            string id;
            if (queues.TryGetValue(key, out var q) && q.Count > 0) id = q.Dequeue();
            else id = (++max).ToString(CultureInfo.InvariantCulture);
            used.Add(id);
            return part switch
            {
                InlinePair p => p with { Id = id, Content = Map(p.Content) },
                InlinePlaceholder ph => ph with { Id = id },
                _ => part,
            };
        })];
        return Map(target);
    }

    private static string? Key(InlinePart part) => part switch
    {
        InlinePair p => "pc\u0000" + p.Start + "\u0000" + p.End,
        InlinePlaceholder ph => "ph\u0000" + ph.Data,
        _ => null,
    };

    private static void WriteParts(XmlWriter w, IEnumerable<InlinePart> parts, Func<string, string> dataRef)
    {
        foreach (var part in parts)
        {
            switch (part)
            {
                case InlineText t:
                    w.WriteString(t.Text);
                    break;
                case InlinePair p:
                    w.WriteStartElement("pc", Namespace);
                    w.WriteAttributeString("id", p.Id);
                    w.WriteAttributeString("canCopy", "no");
                    w.WriteAttributeString("canDelete", "no");
                    w.WriteAttributeString("type", p.Type);
                    if (p.SubType is { } ps) w.WriteAttributeString("subType", ps);
                    w.WriteAttributeString("dataRefStart", dataRef(p.Start));
                    w.WriteAttributeString("dataRefEnd", dataRef(p.End));
                    WriteParts(w, p.Content, dataRef);
                    w.WriteEndElement();
                    break;
                case InlinePlaceholder ph:
                    w.WriteStartElement("ph", Namespace);
                    w.WriteAttributeString("id", ph.Id);
                    w.WriteAttributeString("canCopy", "no");
                    w.WriteAttributeString("canDelete", "no");
                    w.WriteAttributeString("type", ph.Type);
                    if (ph.SubType is { } phs) w.WriteAttributeString("subType", phs);
                    w.WriteAttributeString("dataRef", dataRef(ph.Data));
                    if (ph.Display is { } disp) w.WriteAttributeString("disp", disp);
                    w.WriteEndElement();
                    break;
            }
        }
    }

    // ---- reading ----

    /// <summary>Reads an XLIFF 2.x file strictly; anything it cannot take is an <see cref="XliffException"/>.</summary>
    public static XliffReadDocument Read(string text)
    {
        XDocument doc;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true };
            using var reader = XmlReader.Create(new StringReader(text), settings);
            doc = XDocument.Load(reader, LoadOptions.SetLineInfo | LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            throw new XliffException($"the file is not complete, well-formed XML ({e.Message}); export it again or save it whole from the translation tool", e.LineNumber, e.LinePosition);
        }
        var root = doc.Root!;
        if (root.Name != Ns + "xliff")
            throw Error(root, $"the file is not XLIFF 2 (its root is <{root.Name.LocalName}> in '{root.Name.NamespaceName}', not <xliff> in '{Namespace}')");
        var version = (string?)root.Attribute("version");
        if (version is not ("2.0" or "2.1"))
            throw Error(root, $"the file is XLIFF version '{version}'; only 2.0 and 2.1 are read");
        var src = Required(root, "srcLang");
        var trg = Required(root, "trgLang");

        string? program = null;
        var units = new List<XliffReadUnit>();
        var seen = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var file in root.Elements())
        {
            if (file.Name != Ns + "file") throw Error(file, $"<{file.Name.LocalName}> is not allowed in <xliff>");
            var original = Required(file, "original");
            var slash = original.IndexOf('/');
            if (slash <= 0) throw Error(file, $"the file's original '{original}' does not name a program and a file (program-id/path)");
            var fileProgram = original[..slash];
            if (program is not null && fileProgram != program)
                throw Error(file, $"the file mixes programs: '{program}' and '{fileProgram}'");
            program = fileProgram;
            var path = original[(slash + 1)..];
            foreach (var unit in file.Elements())
            {
                if (unit.Name == Ns + "notes") continue;
                if (unit.Name == Ns + "group") throw Error(unit, "<group> is not used in ContentEngine's XLIFF; keep the units as they were exported");
                if (unit.Name != Ns + "unit") continue;
                var id = Required(unit, "id");
                if (seen.TryGetValue(id, out var first))
                    throw Error(unit, $"the unit '{id}' appears twice (first at line {((IXmlLineInfo)first).LineNumber})", id);
                seen[id] = unit;
                units.Add(ReadUnit(unit, id, path));
            }
        }
        if (program is null) throw Error(root, "the file has no <file> with units");
        return new XliffReadDocument(program, src, trg, units);
    }

    private static XliffReadUnit ReadUnit(XElement unit, string id, string path)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (unit.Element(Ns + "originalData") is { } od)
            foreach (var d in od.Elements(Ns + "data"))
                data[Required(d, "id", id)] = d.Value;
        var segments = unit.Elements(Ns + "segment").ToList();
        if (segments.Count != 1)
            throw Error(unit, $"the unit '{id}' has {segments.Count} segments; ContentEngine's units have one (do not split or join segments)", id);
        var segment = segments[0];
        var state = (string?)segment.Attribute("state") ?? "initial";
        if (!States.Contains(state)) throw Error(segment, $"the unit '{id}' has the state '{state}', not one of {string.Join(", ", States)}", id);
        var sourceElement = segment.Element(Ns + "source") ?? throw Error(segment, $"the unit '{id}' has no <source>", id);
        var source = ReadParts(sourceElement, data, id, isTarget: false);
        ImmutableArray<InlinePart>? target = null;
        if (segment.Element(Ns + "target") is { } targetElement)
        {
            var parts = ReadParts(targetElement, data, id, isTarget: true);
            CheckTags(source, parts, targetElement, id);
            target = parts;
        }
        var info = (IXmlLineInfo)unit;
        return new XliffReadUnit(id, (string?)unit.Attribute("name"), path, state, source, target, info.LineNumber, info.LinePosition);
    }

    private static ImmutableArray<InlinePart> ReadParts(XElement element, Dictionary<string, string> data, string unit, bool isTarget)
    {
        var parts = new List<InlinePart>();
        var where = isTarget ? "target" : "source";
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    parts.Add(new InlineText(t.Value));
                    break;
                case XElement e when e.Name == Ns + "pc":
                {
                    var id = Required(e, "id", unit);
                    var start = Data(e, "dataRefStart", data, unit, where);
                    var end = Data(e, "dataRefEnd", data, unit, where);
                    parts.Add(new InlinePair(id, (string?)e.Attribute("type") ?? "fmt", (string?)e.Attribute("subType"), start, end, ReadParts(e, data, unit, isTarget)));
                    break;
                }
                case XElement e when e.Name == Ns + "ph":
                {
                    var id = Required(e, "id", unit);
                    var text = Data(e, "dataRef", data, unit, where);
                    parts.Add(new InlinePlaceholder(id, (string?)e.Attribute("type") ?? "other", (string?)e.Attribute("subType"), text, (string?)e.Attribute("disp")));
                    break;
                }
                case XElement e when e.Name == Ns + "mrk" && isTarget:
                    // An annotation a tool added (a term, a comment): its words count, the mark does not.
                    parts.AddRange(ReadParts(e, data, unit, isTarget));
                    break;
                case XElement e:
                    throw Error(e, $"the unit '{unit}' has <{e.Name.LocalName}> in its {where}; only the <pc> and <ph> tags of the source may be used (they stand for the Markdown's formatting)", unit);
            }
        }
        var merged = new List<InlinePart>();
        foreach (var part in parts)
        {
            if (part is InlineText t && merged.Count > 0 && merged[^1] is InlineText previous) merged[^1] = new InlineText(previous.Text + t.Text);
            else merged.Add(part);
        }
        return [.. merged];
    }

    private static string Data(XElement e, string attribute, Dictionary<string, string> data, string unit, string where)
    {
        var id = (string?)e.Attribute(attribute)
            ?? throw Error(e, $"the unit '{unit}' has a <{e.Name.LocalName} id=\"{(string?)e.Attribute("id")}\"> in its {where} without {attribute}; copy the tag from the source instead of typing it", unit);
        return data.TryGetValue(id, out var text)
            ? text
            : throw Error(e, $"the unit '{unit}' has a <{e.Name.LocalName}> whose {attribute} '{id}' is not in its <originalData>", unit);
    }

    /// <summary>
    /// The target must hold the source's tags, each once, of the same kind, with the same Markdown and
    /// inside the same paired tag; the order may change (words move in translation).
    /// </summary>
    private static void CheckTags(ImmutableArray<InlinePart> source, ImmutableArray<InlinePart> target, XElement where, string unit)
    {
        var expected = Tags(source);
        var found = new Dictionary<string, (InlinePart Part, string Parent)>(StringComparer.Ordinal);
        void Walk(IEnumerable<InlinePart> parts, string parent)
        {
            foreach (var part in parts)
            {
                if (part is InlineText) continue;
                var id = part is InlinePair p ? p.Id : ((InlinePlaceholder)part).Id;
                if (!found.TryAdd(id, (part, parent)))
                    throw Error(where, $"the unit '{unit}' has the tag {id} twice in its target; each tag of the source appears once", unit);
                if (part is InlinePair pair) Walk(pair.Content, pair.Id);
            }
        }
        Walk(target, "");
        foreach (var (id, (part, parent)) in found)
        {
            if (!expected.TryGetValue(id, out var e))
                throw Error(where, $"the unit '{unit}' has a tag {id} in its target that its source does not have; use only the source's tags", unit);
            if (e.Part.GetType() != part.GetType())
                throw Error(where, $"the unit '{unit}' has tag {id} as <{TagName(part)}> in its target, but as <{TagName(e.Part)}> in its source", unit);
            var same = (e.Part, part) switch
            {
                (InlinePair a, InlinePair b) => a.Start == b.Start && a.End == b.End,
                (InlinePlaceholder a, InlinePlaceholder b) => a.Data == b.Data,
                _ => false,
            };
            if (!same) throw Error(where, $"the unit '{unit}' has tag {id} in its target with other Markdown than in its source", unit);
            if (e.Parent != parent)
                throw Error(where, $"the unit '{unit}' has tag {id} {(parent.Length == 0 ? "outside any tag" : $"inside tag {parent}")} in its target, but {(e.Parent.Length == 0 ? "outside any tag" : $"inside tag {e.Parent}")} in its source; keep the tags nested as in the source", unit);
        }
        var missing = expected.Keys.Where(k => !found.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw Error(where, $"the unit '{unit}' is missing {(missing.Count == 1 ? "the tag" : "the tags")} {string.Join(", ", missing)} of its source in its target ({string.Join(", ", missing.Select(m => Describe(expected[m].Part)))}); put {(missing.Count == 1 ? "it" : "them")} back around the right words", unit);
    }

    private static Dictionary<string, (InlinePart Part, string Parent)> Tags(IEnumerable<InlinePart> parts)
    {
        var tags = new Dictionary<string, (InlinePart, string)>(StringComparer.Ordinal);
        void Walk(IEnumerable<InlinePart> ps, string parent)
        {
            foreach (var part in ps)
            {
                if (part is InlinePair p) { tags[p.Id] = (p, parent); Walk(p.Content, p.Id); }
                else if (part is InlinePlaceholder ph) tags[ph.Id] = (ph, parent);
            }
        }
        Walk(parts, "");
        return tags;
    }

    private static string TagName(InlinePart part) => part is InlinePair ? "pc" : "ph";

    private static string Describe(InlinePart part) => part switch
    {
        InlinePair p => $"{p.Start}…{p.End}",
        InlinePlaceholder ph => ph.Data.Trim(),
        _ => "",
    };

    private static string Required(XElement e, string attribute, string? unit = null) =>
        (string?)e.Attribute(attribute) ?? throw Error(e, $"<{e.Name.LocalName}>{(unit is null ? "" : $" in the unit '{unit}'")} has no {attribute}", unit);

    private static XliffException Error(XObject at, string message, string? unit = null)
    {
        var info = (IXmlLineInfo)at;
        return new XliffException(message, info.LineNumber, info.LinePosition, unit);
    }
}

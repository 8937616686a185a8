using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace ContentEngine.Model;

/// <summary>
/// The stable ids of the things a platform may store a reference to: a body's blocks (text pieces and directives such as
/// <c>::: if</c>), a score's bands and a table's rows. An id is derived from the thing's own content, never from its
/// position: <c>&lt;kind&gt;-&lt;hash&gt;</c>, where the hash is the first 8 hex digits of the SHA-256 of the owner's
/// id (module or worksheet, or table field, or score), the kind and the content. So the same program gives the same ids on
/// every build, and an edit elsewhere (a paragraph added above, another block changed) leaves an untouched block's id
/// alone, while a block that changes gets a new id. Blocks with the same kind and content in one body are told apart by
/// occurrence: the second is <c>&lt;id&gt;-2</c>, the third <c>&lt;id&gt;-3</c>, in the order they stand.
/// See docs/package-format.md, "Stable ids".
/// </summary>
public static class StableIds
{
    /// <summary>The kind of a Markdown block in its id: <c>text-…</c>.</summary>
    public const string TextKind = "text";

    /// <summary>
    /// The id of every block of a body, at any depth (children of directives and directives nested in Markdown too),
    /// keyed by the block object itself. <paramref name="owner"/> is the module's or worksheet's id.
    /// </summary>
    public static IReadOnlyDictionary<ContentBlock, string> Blocks(string owner, IEnumerable<ContentBlock> blocks)
    {
        var ids = new Dictionary<ContentBlock, string>(ReferenceEqualityComparer.Instance);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        void Walk(IEnumerable<ContentBlock> items)
        {
            foreach (var block in items)
            {
                if (block is DirectiveBlock { Name.Length: 0 }) continue;
                ids[block] = Occurrence(seen, Id(owner, Kind(block), Canonical(block)));
                switch (block)
                {
                    case DirectiveBlock d: Walk(d.Children); break;
                    case MarkdownWithDirectivesBlock m: Walk(m.Directives); break;
                }
            }
        }
        Walk(blocks);
        return ids;
    }

    /// <summary>The ids of a score's bands, from low to high: <c>band-…</c> from the band's label in the default locale.</summary>
    public static ImmutableArray<string> Bands(string score, IEnumerable<Band> bands, string defaultLocale)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return [.. bands.Select(b => Occurrence(seen, Id(score, "band", b.Label.Get(defaultLocale, defaultLocale))))];
    }

    /// <summary>
    /// The ids of a table's rows, in order: for labelled rows <c>row-…</c> from the label in the default locale; for a
    /// number of empty rows, which have nothing but their place, <c>row-1</c>, <c>row-2</c>, … Empty for a field that is
    /// not a table.
    /// </summary>
    public static ImmutableArray<string> Rows(Field table, string defaultLocale)
    {
        if (table.Type != FieldType.Table) return [];
        if (table.RowCount is { } count) return [.. Enumerable.Range(1, count).Select(n => $"row-{n}")];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return [.. table.RowLabels.Select(r => Occurrence(seen, Id(table.Id, "row", r.Get(defaultLocale, defaultLocale))))];
    }

    /// <summary>A block's kind in its id: <c>text</c> for Markdown, else the directive's name.</summary>
    public static string Kind(ContentBlock block) => block is DirectiveBlock d ? d.Name : TextKind;

    private static string Id(string owner, string kind, string content)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{owner}\n{kind}\n{content}"));
        return $"{kind}-{Convert.ToHexString(hash, 0, 4).ToLowerInvariant()}";
    }

    private static string Occurrence(Dictionary<string, int> seen, string id)
    {
        var n = seen.TryGetValue(id, out var before) ? before + 1 : 1;
        seen[id] = n;
        return n == 1 ? id : $"{id}-{n}";
    }

    /// <summary>
    /// A block as written, for its hash: Markdown its text; a directive its name, attributes and children (an <c>if</c>
    /// whose text changes is a changed block). Positions are not part of it.
    /// </summary>
    private static string Canonical(ContentBlock block)
    {
        var s = new StringBuilder();
        void Write(ContentBlock b)
        {
            switch (b)
            {
                case MarkdownBlock md: s.Append("md\u001f").Append(md.Markdown).Append('\u001e'); break;
                case MarkdownWithDirectivesBlock m:
                    s.Append("md\u001f").Append(m.Markdown).Append('\u001d');
                    foreach (var d in m.Directives) Write(d);
                    s.Append('\u001e');
                    break;
                case DirectiveBlock d:
                    s.Append("d\u001f").Append(d.Name);
                    foreach (var (k, v) in d.Attributes) s.Append('\u001f').Append(k).Append('=').Append(v);
                    s.Append('\u001d');
                    foreach (var child in d.Children) Write(child);
                    s.Append('\u001e');
                    break;
            }
        }
        Write(block);
        return s.ToString();
    }
}

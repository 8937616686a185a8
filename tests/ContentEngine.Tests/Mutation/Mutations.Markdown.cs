using System.Text.RegularExpressions;

namespace ContentEngine.Tests.Mutation;

/// <summary>Markdown mistakes in module bodies: each reads differently than it looks, or links to what is not there.</summary>
internal static partial class Mutations
{
    [GeneratedRegex(@"^(#{1,6}) (\S.*)$")]
    private static partial Regex AtxHeading();

    [GeneratedRegex(@"^- \S")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"!\[[^\]]+\]\((\.\./media/)([^)]+)\)")]
    private static partial Regex Image();

    /// <summary>The lines of a body outside fenced code, after the front matter.</summary>
    private static IEnumerable<int> BodyLines(SourceText f)
    {
        var inCode = false;
        for (var i = SourceScan.FrontMatterEnd(f) + 1; i > 0 && i < f.Lines.Count; i++)
        {
            if (f.Lines[i].StartsWith("```", StringComparison.Ordinal)) inCode = !inCode;
            else if (!inCode) yield return i;
        }
    }

    // A heading's space after its '#' removed: CE0417 at the heading.
    public static List<Mutant> HeadingWithoutSpace() => SitePicker.Pick(
        from f in Markdown
        from i in BodyLines(f)
        let m = AtxHeading().Match(f.Lines[i])
        where m.Success && char.IsLetter(m.Groups[2].Value[0])
        select new Site(f.Path, $"{i}", new Mutant("heading-without-space", m.Groups[1].Length == 1 ? "h1" : "h2-6", f.Path, i, "CE0417",
            $"removed the space after '{m.Groups[1].Value}'", f.Replace(i, m.Groups[1].Value + m.Groups[2].Value))), 12, "heading-without-space");

    // The first item of a list (after a blank line) indented by four spaces, with the rest of the list: CE0417 at it.
    public static List<Mutant> IndentedList()
    {
        var sites = new List<Site>();
        foreach (var f in Markdown)
            foreach (var i in BodyLines(f).Where(i => ListItem().IsMatch(f.Lines[i]) && f.Lines[i - 1].Trim().Length == 0))
            {
                var last = i;
                while (last + 1 < f.Lines.Count && f.Lines[last + 1].Trim().Length > 0) last++;
                var lines = f.Lines.ToList();
                for (var k = i; k <= last; k++) lines[k] = "    " + lines[k];
                sites.Add(new Site(f.Path, $"{i}", new Mutant("indented-list", "four-spaces", f.Path, i, "CE0417",
                    "indented a list by four spaces", string.Join("\n", lines))));
            }
        return SitePicker.Pick(sites, 12, "indented-list");
    }

    // A footnote reference with no definition added to the end of a paragraph line: CE0418 at it.
    public static List<Mutant> UndefinedFootnote() => SitePicker.Pick(
        from f in Markdown
        from i in BodyLines(f)
        let line = f.Lines[i]
        where line.Length > 20 && char.IsLetter(line[0]) && line.TrimEnd().EndsWith('.') && !line.Contains('[')
        select new Site(f.Path, $"{i}", new Mutant("undefined-footnote", "no-definition", f.Path, i, "CE0418",
            "added a footnote reference [^x9] without its definition", f.Replace(i, line.TrimEnd() + "[^x9]"))), 12, "undefined-footnote");

    // A link to an id no heading has added to a paragraph line: CE0419 at it.
    public static List<Mutant> BrokenAnchor() => SitePicker.Pick(
        from f in Markdown
        from i in BodyLines(f)
        let line = f.Lines[i]
        where line.Length > 20 && char.IsLetter(line[0]) && line.TrimEnd().EndsWith('.') && !line.Contains('[')
        from variant in new[] { "same-page", "other-module" }
        select new Site(f.Path, $"{i}|{variant}", new Mutant("broken-anchor", variant, f.Path, i, "CE0419",
            "added a link to an id no heading has", f.Replace(i, line.TrimEnd() + (variant == "same-page" ? " [Se](#ingenstans)" : " [Se](module:values#ingenstans)")))), 12, "broken-anchor");

    // An image's file name written in other case: CE0420 at the path.
    public static List<Mutant> ImageNameCase() => SitePicker.Pick(
        from f in Markdown
        from i in BodyLines(f)
        let m = Image().Match(f.Lines[i])
        where m.Success
        select new Site(f.Path, $"{i}", new Mutant("image-name-case", "upper", f.Path, i, "CE0420",
            "wrote the image's file name in capitals", f.Replace(i, Splice(f.Lines[i], m.Groups[2].Index, m.Groups[2].Length, m.Groups[2].Value.ToUpperInvariant())))), 8, "image-name-case");

    // A safety message moved into a list item or a quote, its closing fence dropped: CE0410 at its opening.
    public static List<Mutant> NestedSafetyWithoutFence()
    {
        var sites = new List<Site>();
        foreach (var f in Markdown)
            foreach (var d in (SourceScan.Directives(f) ?? []).Where(d => d.Name == "safety" && d.Depth == 0))
                foreach (var (variant, first, rest) in new[] { ("list-item", "- ", "  "), ("quote", "> ", "> ") })
                {
                    var lines = f.Lines.ToList();
                    for (var k = d.Open; k < d.Close; k++) lines[k] = (k == d.Open ? first : rest) + lines[k];
                    lines.RemoveAt(d.Close);
                    sites.Add(new Site(f.Path, $"{d.Open}|{variant}", new Mutant("nested-safety-without-fence", variant, f.Path, d.Open, "CE0410",
                        $"moved the safety message into a {variant} and dropped its closing fence", string.Join("\n", lines))));
                }
        return SitePicker.Pick(sites, 12, "nested-safety-without-fence");
    }
}

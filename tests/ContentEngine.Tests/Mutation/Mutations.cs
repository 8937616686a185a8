using System.Text.RegularExpressions;

namespace ContentEngine.Tests.Mutation;

/// <summary>
/// The mistake kinds: each finds every place of the sample where its mistake can be made, makes it there, and says
/// which single error is expected where. Sites are chosen by <see cref="SitePicker"/>, the same on every run.
/// Expected lines are those of the changed line in the mutated file, computed here, never written down.
/// </summary>
internal static partial class Mutations
{
    private static SampleSource Sample => SampleSource.Instance.Value;

    private static IEnumerable<SourceText> Markdown => Sample.Texts.Where(t => t.IsMarkdown);

    /// <summary>The file a translation translates (<c>a.en.md</c> → <c>a.md</c>); the file itself otherwise.</summary>
    private static string OriginalOf(SourceText file)
    {
        if (!file.IsTranslation) return file.Path;
        var dir = Path.GetDirectoryName(file.Path)!.Replace('\\', '/');
        var name = Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(file.Path));
        return (dir.Length > 0 ? dir + "/" : "") + name + ".md";
    }

    private static string Splice(string line, int start, int length, string replacement) =>
        string.Concat(line.AsSpan(0, start), replacement, line.AsSpan(start + length));

    // ---------------------------------------------------------------------------------------------------------------
    // 1. A directive's closing fence deleted: CE0410 at its opening fence.

    public static List<Mutant> MissingFence()
    {
        var sites = new List<Site>();
        foreach (var f in Markdown)
            foreach (var d in SourceScan.Directives(f) ?? [])
            {
                var variant = d.Depth > 0 ? "nested-inner" : d.HasChildren ? "nested-outer" : "flat";
                var fence = new string(':', d.Fence);
                sites.Add(new Site(f.Path, $"{d.Open}", new Mutant("missing-fence", variant, f.Path, d.Open, "CE0410",
                    $"deleted line {d.Close + 1}, the closing '{fence}' of '{fence} {d.Name}'", f.Delete(d.Close)),
                    Priority: variant != "flat"));
            }
        return SitePicker.Pick(sites, 20, "missing-fence");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. A safety message wrapped in '::: if' or '::: only': CE0411 at the safety's opening fence.

    public static List<Mutant> SafetyInConditional()
    {
        var sites = new List<Site>();
        foreach (var f in Markdown)
        {
            var original = Sample.Texts.FirstOrDefault(t => t.Path == OriginalOf(f)) ?? f;
            var condition = SourceScan.Conditions(f).Concat(SourceScan.Conditions(original))
                .Select(c => c.Text).FirstOrDefault() ?? "pain-rating.intensity >= 7";
            var when = condition.Contains('"', StringComparison.Ordinal) ? $"when='{condition}'" : $"when=\"{condition}\"";
            foreach (var d in (SourceScan.Directives(f) ?? []).Where(d => d.Name == "safety" && d.Depth == 0))
            {
                var outer = new string(':', d.Fence + 1);
                foreach (var (variant, opening) in new[] { ("in-if", $"{outer} if {{{when}}}"), ("in-only", $"{outer} only {{formats=\"web\"}}") })
                    sites.Add(new Site(f.Path, $"{d.Open}|{variant}", new Mutant("safety-in-conditional", variant, f.Path, d.Open + 1, "CE0411",
                        $"wrapped the safety message of line {d.Open + 1} in '{opening}' … '{outer}'", f.Wrap(d.Open, d.Close, opening, outer))));
            }
        }
        return SitePicker.Pick(sites, 24, "safety-in-conditional");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. A tab in the indentation of a YAML line: CE0010 at the tab.

    public static List<Mutant> Tab()
    {
        var sites = new List<Site>();
        foreach (var f in Sample.Texts)
        {
            var (dashTried, innerTried) = (false, false);
            foreach (var y in SourceScan.Yaml(f).Where(y => y.Indent >= 2 && (y.Key is not null || y.Dash)))
            {
                // The first two spaces; on deeper lines, on every other line the last two before the text instead.
                var inner = y.Indent >= 4 && y.Line % 2 == 1;
                var column = inner ? y.Indent - 2 : 0;
                var mutated = Splice(f.Lines[y.Line], column, 2, "\t");
                // Always tried: program.yaml's first list item, and its first line with the tab after spaces.
                var priority = f.Path == "program.yaml" && ((y.Dash && !dashTried) || (inner && !innerTried));
                dashTried |= priority && y.Dash;
                innerTried |= priority && inner;
                sites.Add(new Site(f.Path, $"{y.Line}", new Mutant("tab", inner ? "tab-after-spaces" : "tab-first", f.Path, y.Line, "CE0010",
                    $"replaced the two spaces at column {column + 1} of an indentation of {y.Indent} with a tab", f.Replace(y.Line, mutated), Column: column),
                    Priority: priority));
            }
        }
        return SitePicker.Pick(sites, 16, "tab");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. Typographic characters: curly quotes around a condition or an attribute, a no-break space after a YAML colon,
    //    an en dash for a hyphen in a condition's name: CE0009 at that line.

    [GeneratedRegex(@"\b([a-z]+)=""([^""]*)""")]
    private static partial Regex QuotedAttribute();

    public static List<Mutant> TypographicCharacters()
    {
        var result = new List<Mutant>();

        // Curly double quotes around a directive attribute's value: up to two sites per attribute name.
        var attributes = new List<Site>();
        foreach (var f in Markdown)
            foreach (var d in SourceScan.Directives(f) ?? [])
            {
                var line = f.Lines[d.Open];
                if (QuotedAttribute().Match(line) is not { Success: true } a) continue;
                var mutated = Splice(line, a.Index, a.Length, $"{a.Groups[1].Value}=\u201C{a.Groups[2].Value}\u201D");
                attributes.Add(new Site(f.Path, $"{a.Groups[1].Value}|{d.Open}", new Mutant("typographic", $"curly-double-{a.Groups[1].Value}", f.Path, d.Open, "CE0009",
                    $"curly double quotes around the value of '{a.Groups[1].Value}='", f.Replace(d.Open, mutated))));
            }
        foreach (var group in attributes.GroupBy(s => s.Mutant.Variant).OrderBy(g => g.Key, StringComparer.Ordinal))
            result.AddRange(SitePicker.Pick(group, 2, "curly-attribute"));

        // offer_when: curly double quotes around a text inside it, or curly single quotes around the whole condition.
        var inner = new List<Site>();
        var outer = new List<Site>();
        foreach (var f in Markdown)
            foreach (var c in SourceScan.Conditions(f).Where(c => c.InYaml))
            {
                var line = f.Lines[c.Line];
                var open = c.Text.IndexOf('"', StringComparison.Ordinal);
                var close = open < 0 ? -1 : c.Text.IndexOf('"', open + 1);
                if (close > open)
                {
                    var mutated = Splice(Splice(line, c.Start + close, 1, "\u201D"), c.Start + open, 1, "\u201C");
                    inner.Add(new Site(f.Path, $"{c.Line}", new Mutant("typographic", "curly-double-in-offer_when", f.Path, c.Line, "CE0009",
                        "curly double quotes around a text in offer_when", f.Replace(c.Line, mutated))));
                }
                var quoted = Splice(Splice(line, c.Start + c.Text.Length, 1, "\u2019"), c.Start - 1, 1, "\u2018");
                outer.Add(new Site(f.Path, $"{c.Line}", new Mutant("typographic", "curly-single-around-offer_when", f.Path, c.Line, "CE0009",
                    "curly single quotes around the offer_when condition", f.Replace(c.Line, quoted))));
            }
        result.AddRange(SitePicker.Pick(inner, 3, "curly-inner"));
        result.AddRange(SitePicker.Pick(outer, 3, "curly-outer"));

        // A no-break space instead of the space after a key's colon.
        var nbsp = new List<Site>();
        foreach (var f in Sample.Texts)
            foreach (var y in SourceScan.Yaml(f).Where(y => y.Key is not null && y.Value.Length > 0))
            {
                var line = f.Lines[y.Line];
                var colon = y.KeyColumn + y.Key!.Length;
                if (colon + 1 >= line.Length || line[colon] != ':' || line[colon + 1] != ' ') continue;
                nbsp.Add(new Site(f.Path, $"{y.Line}", new Mutant("typographic", "nbsp-after-colon", f.Path, y.Line, "CE0009",
                    $"a no-break space (U+00A0) instead of the space after '{y.Key}:'", f.Replace(y.Line, Splice(line, colon + 1, 1, "\u00A0"))),
                    Priority: f.Path == "modules/acceptance.md" && y.Key == "week"));
            }
        result.AddRange(SitePicker.Pick(nbsp, 6, "nbsp"));

        // An en dash instead of the hyphen inside a hyphenated name in a condition.
        var dash = new List<Site>();
        foreach (var f in Markdown)
            foreach (var c in SourceScan.Conditions(f))
                foreach (var n in SourceScan.Names(c.Text).Where(n => n.Name.Contains('-', StringComparison.Ordinal)))
                {
                    var at = c.Start + n.Start + n.Name.IndexOf('-', StringComparison.Ordinal);
                    dash.Add(new Site(f.Path, $"{c.Line}|{n.Start}", new Mutant("typographic", "en-dash-in-name", f.Path, c.Line, "CE0009",
                        $"an en dash instead of the hyphen in '{n.Name}' in a condition", f.Replace(c.Line, Splice(f.Lines[c.Line], at, 1, "\u2013")))));
                }
        result.AddRange(SitePicker.Pick(dash, 3, "en-dash"));
        return result;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 5. A YAML key indented two spaces more than its sibling above, whose value is a plain scalar: CE0011 there.

    public static List<Mutant> OverIndent()
    {
        var sites = new List<Site>();
        foreach (var f in Sample.Texts)
        {
            var lines = SourceScan.Yaml(f);
            for (var i = 1; i < lines.Count; i++)
            {
                var (above, y) = (lines[i - 1], lines[i]);
                if (y.Line != above.Line + 1 || y.Key is null || y.Dash || above.Key is null || !above.HasPlainValue || above.KeyColumn != y.KeyColumn) continue;
                sites.Add(new Site(f.Path, $"{y.Line}", new Mutant("over-indent", above.Dash ? "below-a-list-item" : "below-a-sibling", f.Path, y.Line, "CE0011",
                    $"indented '{y.Key}:' two spaces more than '{above.Key}: {above.Value}' above it", f.Replace(y.Line, "  " + f.Lines[y.Line])),
                    Priority: f.Path == "worksheets/pain-rating.md" && y.Key == "label" && above.Value == "scale" && !sites.Any(s => s.Priority)));
            }
        }
        return SitePicker.Pick(sites, 15, "over-indent");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 6. A misspelt front matter or field key: exactly one CE0101 there, whatever depended on the key.

    /// <summary>Keys whose children are not keys of the schema but languages, numbers or ids.</summary>
    private static readonly HashSet<string> MapsOfNames = ["summary", "title", "label", "help", "unit", "offer_reason", "labels", "scores", "bands", "mcid"];

    /// <summary>Sites the brief names or whose keys others depend on: tried first (the first such key of the file).</summary>
    private static readonly (string File, string Key)[] KeyPriorities =
    [
        ("modules/sleep.md", "optional"),            // beside offer_when: no CE0209 as well
        ("modules/acceptance.md", "phase"),          // required: no CE0102 as well
        ("modules/values.md", "title"),
        ("modules/welcome.md", "minutes"),
        ("worksheets/pain-rating.md", "label"),
        ("worksheets/aftercare-wishes.md", "options"),
        ("worksheets/exercise-diary.md", "kind"),    // a diary's repeat and days depend on it
        ("worksheets/flexibility.md", "type"),       // a scale's min, max and labels depend on it
        ("modules/stress.md", "offer_when"),
        ("modules/defusion.en.md", "title"),         // in a translation
        ("worksheets/flexibility.md", "scoring"),
        ("worksheets/sleep-diary.md", "repeat"),
    ];

    public static List<Mutant> MisspeltKey()
    {
        var known = Names.Known.Value;
        var sites = new List<(int Rank, Site Site)>();
        foreach (var f in Markdown)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var y in SourceScan.Yaml(f).Where(y => y.Key is { Length: >= 4 } && (y.Parent is null || !MapsOfNames.Contains(y.Parent))))
            {
                var key = y.Key!;
                var rank = seen.Add(key) ? Array.IndexOf(KeyPriorities, (f.Path, key)) : -1;
                if (SitePicker.Misspell(key, $"{f.Path}|{y.Line}", known) is not { } wrong) continue;
                var line = f.Lines[y.Line];
                sites.Add((rank, new Site(f.Path, $"{key}|{y.Line}", new Mutant("misspelt-key", y.Parent is null ? "top-level" : $"in-{y.Parent}", f.Path, y.Line, "CE0101",
                    $"misspelt the key '{key}' as '{wrong}'", f.Replace(y.Line, Splice(line, y.KeyColumn, key.Length, wrong))),
                    Priority: rank >= 0)));
            }
        }
        // Beyond the priorities, one site per key in turn, so that the sample covers as many keys as it can.
        return SitePicker.Pick(sites.OrderBy(s => s.Rank).Select(s => s.Site), 18, "misspelt-key", s => s.Key.Split('|')[0]);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 7. A misspelt reference to an id: the reference's error at that line, suggesting the id.

    [GeneratedRegex(@"\bref=""?([a-z][a-z0-9-]*)")]
    private static partial Regex WorksheetRef();

    [GeneratedRegex(@"\]\((module|worksheet):([a-z][a-z0-9-]*)\)")]
    private static partial Regex IdLink();

    [GeneratedRegex(@"[a-z][a-z0-9-]*")]
    private static partial Regex Id();

    public static List<Mutant> MisspeltReference()
    {
        var known = Names.Known.Value;
        var groups = new Dictionary<string, (int Max, List<Site> Sites)>(StringComparer.Ordinal)
        {
            ["requires"] = (3, []), ["ref"] = (3, []), ["link"] = (3, []), ["phase"] = (2, []),
            ["condition-worksheet"] = (2, []), ["condition-field"] = (3, []), ["condition-module"] = (2, []),
        };
        void Add(string group, SourceText f, int lineNumber, int column, string id, string code, string what, params string[] prefixes)
        {
            if (SitePicker.Misspell(id, $"{f.Path}|{lineNumber}|{column}", known) is not { } wrong) return;
            var mutated = f.Replace(lineNumber, Splice(f.Lines[lineNumber], column, id.Length, wrong));
            groups[group].Sites.Add(new Site(f.Path, $"{lineNumber}|{column}", new Mutant("misspelt-reference", group, f.Path, lineNumber, code,
                $"misspelt {what} '{id}' as '{wrong}'", mutated,
                MessageContainsAny: prefixes.Prepend("").Select(p => $"did you mean '{p}{id}'").ToArray())));
        }
        foreach (var f in Markdown)
        {
            var body = SourceScan.FrontMatterEnd(f) + 1;
            foreach (var y in SourceScan.Yaml(f).Where(y => y.Parent is null && f.Path.StartsWith("modules/", StringComparison.Ordinal)))
            {
                var line = f.Lines[y.Line];
                var valueStart = line.IndexOf(y.Value, y.KeyColumn + (y.Key?.Length ?? 0), StringComparison.Ordinal);
                if (y.Key == "requires")
                    foreach (Match id in Id().Matches(y.Value))
                        Add("requires", f, y.Line, valueStart + id.Index, id.Value, "CE0201", "the required module");
                if (y.Key == "phase" && y.HasPlainValue)
                    Add("phase", f, y.Line, valueStart, y.Value, "CE0203", "the phase");
            }
            for (var i = body; body > 0 && i < f.Lines.Count; i++)
            {
                var line = f.Lines[i];
                if (line.StartsWith(":::", StringComparison.Ordinal) && WorksheetRef().Match(line) is { Success: true } r)
                    Add("ref", f, i, r.Groups[1].Index, r.Groups[1].Value, "CE0202", "the placed worksheet");
                foreach (Match l in IdLink().Matches(line))
                    Add("link", f, i, l.Groups[2].Index, l.Groups[2].Value, l.Groups[1].Value == "module" ? "CE0201" : "CE0202",
                        $"the linked {l.Groups[1].Value}", l.Groups[1].Value + ":");
            }
            foreach (var c in SourceScan.Conditions(f))
                foreach (var n in SourceScan.Names(c.Text))
                {
                    var (group, what) = n.Role switch
                    {
                        ReferenceRole.Field => ("condition-field", "the field"),
                        ReferenceRole.Module => ("condition-module", "the module"),
                        _ => ("condition-worksheet", "the worksheet"),
                    };
                    Add(group, f, c.Line, c.Start + n.Start, n.Name, "CE0302", what + " in a condition");
                }
        }
        return groups.OrderBy(g => g.Key, StringComparer.Ordinal).SelectMany(g => SitePicker.Pick(g.Value.Sites, g.Value.Max, "reference-" + g.Key)).ToList();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 8. A number in a condition's comparison written as a text: CE0303 at that line.

    public static List<Mutant> WrongLiteralType()
    {
        var sites = new List<Site>();
        foreach (var f in Markdown)
            foreach (var c in SourceScan.Conditions(f))
                foreach (var n in SourceScan.Numbers(c.Text))
                {
                    // Inside offer_when's single quotes, and inside when="…", the other kind of quote.
                    var q = c.InYaml || c.Quote == '\'' ? '"' : '\'';
                    var at = c.Start + n.Start;
                    var mutated = f.Replace(c.Line, Splice(f.Lines[c.Line], at, n.Number.Length, $"{q}{n.Number}{q}"));
                    sites.Add(new Site(f.Path, $"{c.Line}|{n.Start}", new Mutant("wrong-literal-type", c.InYaml ? "in-offer_when" : "in-when", f.Path, c.Line, "CE0303",
                        $"quoted the number in '{n.Operator} {n.Number}'", mutated)));
                }
        return SitePicker.Pick(sites, 14, "wrong-literal-type");
    }
}

using System.Text.RegularExpressions;

namespace ContentEngine.Tests.Mutation;

/// <summary>Mistakes in what an author writes as file names, folders, front-matter values and directive headers.</summary>
internal static partial class Mutations
{
    private static IEnumerable<SourceText> Originals(string folder) =>
        Markdown.Where(f => f.Path.StartsWith(folder + "/", StringComparison.Ordinal) && !f.IsTranslation);

    /// <summary>A module saved as .MD, .markdown or .md.txt, or moved into module/: CE0015 at its first line.</summary>
    public static List<Mutant> MisnamedSource()
    {
        var sites = new List<Site>();
        // Each module one way of going wrong, in turn, so that every mutant has a text of its own.
        foreach (var (f, index) in Originals("modules").Select((f, i) => (f, i)))
        {
            var stem = f.Path[..^3];
            var (variant, to) = (index % 4) switch
            {
                0 => ("upper-md", stem + ".MD"),
                1 => ("markdown", stem + ".markdown"),
                2 => ("md-txt", f.Path + ".txt"),
                _ => ("folder", "module/" + f.Path["modules/".Length..]),
            };
            sites.Add(new Site(f.Path, variant, new Mutant("misnamed-source", variant, to, 0, "CE0015",
                $"saved {f.Path} as {to}", string.Join("\n", f.Lines), Moves: [(f.Path, to)])));
        }
        return SitePicker.Pick(sites, 12, "misnamed-source", s => s.Mutant.Variant);
    }

    /// <summary>A worksheet and its translations saved in modules/: CE0016 at its first line.</summary>
    public static List<Mutant> WorksheetInModules()
    {
        var sites = new List<Site>();
        foreach (var f in Originals("worksheets"))
        {
            var to = "modules/" + f.Path["worksheets/".Length..];
            var moves = Sample.Texts.Where(t => t.Path == f.Path || (t.IsTranslation && OriginalOf(t) == f.Path))
                .Select(t => (t.Path, "modules/" + t.Path["worksheets/".Length..])).ToList();
            sites.Add(new Site(f.Path, f.Path, new Mutant("worksheet-in-modules", "moved", to, 0, "CE0016",
                $"moved {f.Path} and its translations to modules/", string.Join("\n", f.Lines), Moves: moves)));
        }
        return SitePicker.Pick(sites, 4, "worksheet-in-modules");
    }

    [GeneratedRegex(@"\b(next|on): (\d{4})-\d{2}-\d{2}\b")]
    private static partial Regex DateValue();

    /// <summary>A review date turned into one the calendar does not have: CE0104 at that line.</summary>
    public static List<Mutant> ImpossibleDate()
    {
        var sites = new List<Site>();
        foreach (var f in Sample.Texts)
            for (var i = 0; i < f.Lines.Count; i++)
                if (DateValue().Match(f.Lines[i]) is { Success: true } m)
                {
                    var mutated = Splice(f.Lines[i], m.Groups[2].Index, m.Length - (m.Groups[2].Index - m.Index), $"{m.Groups[2].Value}-02-30");
                    sites.Add(new Site(f.Path, $"{i}|{m.Groups[1].Value}", new Mutant("impossible-date", m.Groups[1].Value, f.Path, i, "CE0104",
                        $"made '{m.Groups[1].Value}' the 30th of February", f.Replace(i, mutated), MessageContainsAny: ["does not exist"])));
                }
        return SitePicker.Pick(sites, 8, "impossible-date");
    }

    /// <summary>A line ':::' inserted after a paragraph line where no directive is open: CE0014 there.</summary>
    public static List<Mutant> StrayFence()
    {
        var sites = new List<Site>();
        foreach (var f in Markdown)
        {
            if (SourceScan.Directives(f) is not { } directives) continue;
            var start = SourceScan.FrontMatterEnd(f) + 1;
            for (var i = start; i + 1 < f.Lines.Count; i++)
            {
                var line = f.Lines[i];
                if (line.Length == 0 || !char.IsLetter(line[0]) || f.Lines[i + 1].Length != 0) continue;
                if (directives.Any(d => d.Open <= i && i <= d.Close)) continue;
                sites.Add(new Site(f.Path, $"{i}", new Mutant("stray-fence", "after-paragraph", f.Path, i + 1, "CE0014",
                    $"inserted a line ':::' after line {i + 1}", f.Insert(i + 1, ":::"))));
            }
        }
        return SitePicker.Pick(sites, 12, "stray-fence");
    }

    [GeneratedRegex(@"^(\s*(?:> )?:{3,} if )\{when=""([^""]*)""\}\s*$")]
    private static partial Regex IfLine();

    /// <summary>The quotes of a '::: if' condition dropped, or its braces too: CE0408 at that line, showing the line with quotes.</summary>
    public static List<Mutant> UnquotedCondition()
    {
        var sites = new List<Site>();
        foreach (var f in Markdown)
            for (var i = 0; i < f.Lines.Count; i++)
                if (IfLine().Match(f.Lines[i]) is { Success: true } m && m.Groups[2].Value.Contains(' ', StringComparison.Ordinal))
                {
                    var condition = m.Groups[2].Value;
                    foreach (var (variant, text) in new[] { ("no-quotes", $"{m.Groups[1].Value}{{when={condition}}}"), ("no-braces", $"{m.Groups[1].Value}{condition}") })
                        sites.Add(new Site(f.Path, $"{i}|{variant}", new Mutant("unquoted-condition", variant, f.Path, i, "CE0408",
                            $"wrote the condition of line {i + 1} without quotes", f.Replace(i, text), MessageContainsAny: [$"{{when=\"{condition}\"}}", $"{{when='{condition}'}}"])));
                }
        return SitePicker.Pick(sites, 12, "unquoted-condition", s => s.Mutant.Variant);
    }

    [GeneratedRegex(@"^(\w+): \{(\w\w): ([^,{}""']+), (\w\w): ([^,{}""']+)\}\s*$")]
    private static partial Regex OneLineLocaleMap();

    /// <summary>A comma and a word added to a text of a one-line locale map: CE0104 at that line, showing the text quoted.</summary>
    public static List<Mutant> CommaInLocaleMap()
    {
        var sites = new List<Site>();
        foreach (var f in Sample.Texts)
            for (var i = 0; i < f.Lines.Count; i++)
                if (OneLineLocaleMap().Match(f.Lines[i]) is { Success: true } m)
                {
                    var g = m.Groups;
                    var mutated = $"{g[1].Value}: {{{g[2].Value}: {g[3].Value}, tack, {g[4].Value}: {g[5].Value}}}";
                    sites.Add(new Site(f.Path, $"{i}", new Mutant("comma-in-locale-map", g[1].Value, f.Path, i, "CE0104",
                        $"added ', tack' to the '{g[2].Value}' text of '{g[1].Value}'", f.Replace(i, mutated),
                        MessageContainsAny: [$"{{{g[2].Value}: \"{g[3].Value}, tack\", {g[4].Value}: {g[5].Value}}}"])));
                }
        return SitePicker.Pick(sites, 10, "comma-in-locale-map");
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace ContentEngine.Tests.Mutation;

/// <summary>
/// Mistakes in worksheets, their fields and scoring, and in the phases' choose and the modules' offers: each a form
/// a patient could not fill in, or a score or a choice that cannot work, reported as one error at the mutated line.
/// </summary>
internal static partial class Mutations
{
    private static IEnumerable<SourceText> WorksheetOriginals =>
        Sample.Texts.Where(t => t.Path.StartsWith("worksheets/", StringComparison.Ordinal) && t.IsMarkdown && !t.IsTranslation);

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    /// <summary>A field of a worksheet's front matter: the line of its '- id:' and its keys' lines by name.</summary>
    private sealed record FieldBlock(int Start, Dictionary<string, int> Keys);

    [GeneratedRegex(@"^(\s*)- id: ([a-z0-9-]+)\s*$")]
    private static partial Regex FieldStart();

    [GeneratedRegex(@"^\s*([a-z_]+):")]
    private static partial Regex KeyLine();

    private static List<FieldBlock> Fields(SourceText f)
    {
        var end = SourceScan.FrontMatterEnd(f);
        var result = new List<FieldBlock>();
        for (var i = 1; i < end; i++)
        {
            if (FieldStart().Match(f.Lines[i]) is not { Success: true } m) continue;
            var keyIndent = m.Groups[1].Length + 2;
            var keys = new Dictionary<string, int>(StringComparer.Ordinal) { ["id"] = i };
            for (var j = i + 1; j < end && Indent(f.Lines[j]) >= keyIndent; j++)
                if (Indent(f.Lines[j]) == keyIndent && KeyLine().Match(f.Lines[j]) is { Success: true } k) keys.TryAdd(k.Groups[1].Value, j);
            result.Add(new FieldBlock(i, keys));
        }
        return result;
    }

    private static double? NumberAt(SourceText f, int line) =>
        double.TryParse(f.Lines[line][(f.Lines[line].IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The text with lines <paramref name="from"/> to <paramref name="to"/> replaced by one line.</summary>
    private static string Collapse(SourceText f, int from, int to, string line)
    {
        var lines = f.Lines.ToList();
        lines.RemoveRange(from, to - from + 1);
        lines.Insert(from, line);
        return string.Join("\n", lines);
    }

    /// <summary>The last line of the block under line <paramref name="start"/>: the lines indented deeper (or list items at the same indentation).</summary>
    private static int BlockEnd(SourceText f, int start)
    {
        var indent = Indent(f.Lines[start]);
        var end = SourceScan.FrontMatterEnd(f);
        var last = start;
        for (var j = start + 1; j < end; j++)
        {
            var l = f.Lines[j];
            if (Indent(l) > indent || (Indent(l) == indent && l.TrimStart().StartsWith("- ", StringComparison.Ordinal))) last = j;
            else break;
        }
        return last;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Empty lists: a choice's options or a worksheet's fields written as []: CE0104 at that line.

    public static List<Mutant> EmptyList()
    {
        var sites = new List<Site>();
        foreach (var f in WorksheetOriginals)
        {
            var end = SourceScan.FrontMatterEnd(f);
            for (var i = 1; i < end; i++)
            {
                var line = f.Lines[i];
                var trimmed = line.Trim();
                if (trimmed is not ("options:" or "fields:")) continue;
                var key = trimmed.TrimEnd(':');
                var mutated = Collapse(f, i, BlockEnd(f, i), line.TrimEnd() + " []");
                sites.Add(new Site(f.Path, $"{i}", new Mutant("empty-list", key, f.Path, i, "CE0104", $"emptied '{key}' to []", mutated)));
            }
        }
        return SitePicker.Pick(sites, 12, "empty-list", s => s.Mutant.Variant + s.File);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // A numeric field's range that cannot work: step 0, a step that does not divide min..max, max below min: CE0104.

    public static List<Mutant> FieldRangeMistakes()
    {
        var sites = new List<Site>();
        foreach (var f in WorksheetOriginals)
            foreach (var field in Fields(f))
            {
                field.Keys.TryGetValue("min", out var minLine);
                field.Keys.TryGetValue("max", out var maxLine);
                var min = minLine > 0 ? NumberAt(f, minLine) : null;
                var max = maxLine > 0 ? NumberAt(f, maxLine) : null;
                if (field.Keys.TryGetValue("step", out var stepLine))
                {
                    var prefix = f.Lines[stepLine][..(f.Lines[stepLine].IndexOf(':', StringComparison.Ordinal) + 1)];
                    sites.Add(new Site(f.Path, $"zero|{stepLine}", new Mutant("field-range", "step-zero", f.Path, stepLine, "CE0104",
                        "set step to 0", f.Replace(stepLine, prefix + " 0"), MessageContainsAny: ["greater than 0"])));
                    var bad = min is { } lo && max is { } hi ? new[] { 4.0, 7.0, 3.0 }.FirstOrDefault(s => (hi - lo) % s != 0 && s < hi - lo) : 0;
                    if (bad > 0)
                        sites.Add(new Site(f.Path, $"divide|{stepLine}", new Mutant("field-range", "step-not-dividing", f.Path, stepLine, "CE0104",
                            $"set step to {bad}, which does not divide min to max", f.Replace(stepLine, prefix + " " + bad.ToString(CultureInfo.InvariantCulture)),
                            MessageContainsAny: ["does not divide"])));
                }
                if (min is { } low && max is not null)
                {
                    var prefix = f.Lines[maxLine][..(f.Lines[maxLine].IndexOf(':', StringComparison.Ordinal) + 1)];
                    sites.Add(new Site(f.Path, $"minmax|{maxLine}", new Mutant("field-range", "max-below-min", f.Path, maxLine, "CE0104",
                        $"set max below min ({low})", f.Replace(maxLine, prefix + " " + (low - 1).ToString(CultureInfo.InvariantCulture)),
                        MessageContainsAny: ["greater than min"])));
                }
            }
        return SitePicker.Pick(sites, 24, "field-range", s => s.Mutant.Variant + s.File);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // A choice whose option values mix numbers and text ids: CE0104 at the first value of the other kind.

    [GeneratedRegex(@"\{value: ([a-z0-9-]+),")]
    private static partial Regex OptionValue();

    public static List<Mutant> MixedOptionValues()
    {
        var sites = new List<Site>();
        foreach (var f in WorksheetOriginals)
        {
            var end = SourceScan.FrontMatterEnd(f);
            for (var i = 1; i < end; i++)
            {
                if (f.Lines[i].Trim() != "options:" || i + 2 >= end) continue;
                if (OptionValue().Match(f.Lines[i + 1]) is not { Success: true } first || OptionValue().Match(f.Lines[i + 2]) is not { Success: true } second) continue;
                var numeric = double.TryParse(first.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
                var other = numeric ? "other" : "5";
                var g = second.Groups[1];
                sites.Add(new Site(f.Path, $"{i}", new Mutant("mixed-option-values", numeric ? "text-among-numbers" : "number-among-texts", f.Path, i + 2, "CE0104",
                    $"gave the second option the value {other}", f.Replace(i + 2, Splice(f.Lines[i + 2], g.Index, g.Length, other)),
                    MessageContainsAny: ["same kind of value"])));
            }
        }
        return SitePicker.Pick(sites, 8, "mixed-option-values");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Bands: written with min, or a max out of the score's reach: CE0104 at that band.

    [GeneratedRegex(@"^(\s*)- \{max: ([0-9.]+), ")]
    private static partial Regex BandWithMax();

    public static List<Mutant> BandMistakes()
    {
        var sites = new List<Site>();
        foreach (var f in WorksheetOriginals)
        {
            var end = SourceScan.FrontMatterEnd(f);
            for (var i = 1; i < end; i++)
            {
                if (BandWithMax().Match(f.Lines[i]) is not { Success: true } m) continue;
                var firstOfScore = !f.Lines[i - 1].TrimStart().StartsWith("- {", StringComparison.Ordinal);
                var value = m.Groups[2];
                sites.Add(new Site(f.Path, $"above|{i}", new Mutant("band", "max-above-reach", f.Path, i, "CE0104",
                    "raised a band's max above every score", f.Replace(i, Splice(f.Lines[i], value.Index, value.Length, "1000")), MessageContainsAny: ["at most"])));
                if (!firstOfScore) continue;
                sites.Add(new Site(f.Path, $"below|{i}", new Mutant("band", "max-below-reach", f.Path, i, "CE0104",
                    "lowered the first band's max below every score", f.Replace(i, Splice(f.Lines[i], value.Index, value.Length, "-1")), MessageContainsAny: ["below the lowest score"])));
                sites.Add(new Site(f.Path, $"min|{i}", new Mutant("band", "band-with-min", f.Path, i, "CE0104",
                    "wrote the band with a min", f.Replace(i, Splice(f.Lines[i], value.Index - "max: ".Length, 0, "min: 0, ")), MessageContainsAny: ["keys of a band are max and label"])));
            }
        }
        return SitePicker.Pick(sites, 12, "band", s => s.Mutant.Variant);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // A daily diary asking for more days than its phase has left: CE0211 at its days.

    public static List<Mutant> DiaryTooLong()
    {
        var sites = new List<Site>();
        foreach (var f in WorksheetOriginals)
            for (var i = 1; i < SourceScan.FrontMatterEnd(f); i++)
                if (f.Lines[i].StartsWith("days: ", StringComparison.Ordinal))
                    sites.Add(new Site(f.Path, $"{i}", new Mutant("diary-too-long", "days", f.Path, i, "CE0211", "asked for 300 days", f.Replace(i, "days: 300"))));
        return SitePicker.Pick(sites, 4, "diary-too-long");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // A phase's choose with max 0: CE0104 at max. An offer_when without its offer_reason: CE0102 at offer_when.

    [GeneratedRegex(@"max: ([0-9]+)")]
    private static partial Regex ChooseMax();

    public static List<Mutant> OfferMistakes()
    {
        var result = new List<Mutant>();
        var program = Sample.Texts.Single(t => t.Path == "program.yaml");
        for (var i = 0; i < program.Lines.Count; i++)
            if (program.Lines[i].TrimStart().StartsWith("choose:", StringComparison.Ordinal) && ChooseMax().Match(program.Lines[i]) is { Success: true } m)
                result.Add(new Mutant("offer", "choose-max-zero", program.Path, i, "CE0104", "set choose.max to 0",
                    program.Replace(i, Splice(program.Lines[i], m.Groups[1].Index, m.Groups[1].Length, "0")), MessageContainsAny: ["no patient may choose"]));

        var sites = new List<Site>();
        foreach (var f in Markdown.Where(t => t.Path.StartsWith("modules/", StringComparison.Ordinal)))
        {
            var end = SourceScan.FrontMatterEnd(f);
            int reason = -1, when = -1;
            for (var i = 1; i < end; i++)
            {
                if (f.Lines[i].StartsWith("offer_reason:", StringComparison.Ordinal)) reason = i;
                if (f.Lines[i].StartsWith("offer_when:", StringComparison.Ordinal)) when = i;
            }
            if (reason < 0 || when < 0) continue;
            var last = BlockEnd(f, reason);
            var lines = f.Lines.ToList();
            lines.RemoveRange(reason, last - reason + 1);
            var mutated = string.Join("\n", lines);
            sites.Add(new Site(f.Path, $"{reason}", new Mutant("offer", "offer-without-reason", f.Path, when < reason ? when : when - (last - reason + 1), "CE0102",
                "deleted offer_reason", mutated, MessageContainsAny: ["offer_reason"])));
        }
        result.AddRange(SitePicker.Pick(sites, 4, "offer-without-reason"));
        return result;
    }
}

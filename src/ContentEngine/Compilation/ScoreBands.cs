using System.Collections.Immutable;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Yaml;

namespace ContentEngine.Compilation;

/// <summary>A questionnaire's bands: each named by its highest score, from low to high, and each within reach of the score.</summary>
internal static class ScoreBands
{
    private const string Shape = "[{max: 8, label: Low}, {max: 16, label: Moderate}, {label: High}]";

    /// <summary>The lowest and highest value a score can take, from its items' ranges (a reversed item has the same range).</summary>
    public static (double Lo, double Hi) Range(ScoreMethod method, IReadOnlyList<ScoreItem> items)
    {
        double lo = items.Sum(i => i.Min), hi = items.Sum(i => i.Max);
        return method == ScoreMethod.Mean && items.Count > 0 ? (lo / items.Count, hi / items.Count) : (lo, hi);
    }

    public static ImmutableSortedDictionary<string, ImmutableArray<Band>> Read(YMapping? yaml, IReadOnlyList<string> scoreIds,
        IReadOnlyDictionary<string, (double Lo, double Hi)?> ranges, string worksheetId, BindContext context, ISet<string> broken)
    {
        var bands = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<Band>>(StringComparer.Ordinal);
        var minReported = false;
        foreach (var (key, value) in yaml?.Entries ?? [])
        {
            if (!scoreIds.Contains(key.Value))
            {
                if (!broken.Contains(key.Value))
                    context.Diagnostics.Report(DiagnosticDescriptors.UnknownField, key.Location, worksheetId, key.Value, Suggestions.ForReference(key.Value, scoreIds, "scores") + " (bands are given per score)");
                continue;
            }
            if (value is not YSequence list)
            {
                context.Diagnostics.Report(DiagnosticDescriptors.WrongType, value.Location, key.Value, "a list of bands, such as [{max: 7, label: none}, {label: marked}]", value.Describe());
                continue;
            }
            // Bands written as ranges (min and max) are one mistake, however many bands repeat it: said once, at the first.
            if (list.Items.OfType<YMapping>().FirstOrDefault(b => b["min"] is not null) is { } withMin)
            {
                if (!minReported)
                    context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, withMin.KeyNode("min")?.Location ?? withMin.Location, "min",
                        $"does not belong in a band: the keys of a band are max and label. A band holds the scores above the band before it up to its own max; list the bands from low to high and leave max out of the last, which holds every higher score, as in {Shape}");
                minReported = true;
                continue;
            }
            bands[key.Value] = ReadList(list, key.Value, ranges.GetValueOrDefault(key.Value), context);
        }
        return bands.ToImmutable();
    }

    private static ImmutableArray<Band> ReadList(YSequence list, string score, (double Lo, double Hi)? range, BindContext context)
    {
        var builder = ImmutableArray.CreateBuilder<Band>();
        double? previous = null;
        var reported = false;
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (list.Items[i] is not YMapping bm)
            {
                context.Diagnostics.Report(DiagnosticDescriptors.WrongType, list.Items[i].Location, score, "a band {max, label}", list.Items[i].Describe());
                continue;
            }
            var br = new MappingReader(bm, "a band", context, "max", "label");
            var max = br.Number("max");
            var label = br.Text("label", "the band's name");
            var last = i == list.Items.Count - 1;
            // After a band out of the score's reach, the bands after it are moot: one cause, one error.
            if (!reported) reported = Check(br, bm, max, previous, last, range, score, i + 2 < list.Items.Count, context);
            previous = max ?? previous;
            if (label is not null) builder.Add(new Band(max, label));
        }
        return builder.ToImmutable();
    }

    /// <summary>Checks one band's max; true when it is out of the score's reach (reported).</summary>
    private static bool Check(MappingReader br, YMapping bm, double? max, double? previous, bool last, (double Lo, double Hi)? range, string score, bool several, BindContext context)
    {
        if (max is null && !last)
            context.Diagnostics.Report(DiagnosticDescriptors.MissingKey, bm.Location, "A band before the last", "max", "the highest score in the band; only the last band is open-ended");
        else if (max is not null && last)
            context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, br.KeyLocation("max"), "max", "must be left out of the last band, which holds every higher score");
        else if (max is { } m && previous is { } p && m <= p)
            context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, br.KeyLocation("max"), "max", $"must be greater than the band before ({FieldRange.Num(p)}); list bands from low to high");
        else if (max is { } mx && range is var (lo, hi) && mx < lo)
        {
            context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, br.KeyLocation("max"), "max",
                $"is {FieldRange.Num(mx)}, below the lowest score '{score}' can have ({FieldRange.Num(lo)}), so no score falls in this band; raise it above {FieldRange.Num(lo)}, or remove the band");
            return true;
        }
        else if (max is { } my && range is var (_, high) && my >= high)
        {
            var s = several ? "s" : "";
            context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, br.KeyLocation("max"), "max",
                $"is {FieldRange.Num(my)}, but '{score}' is at most {FieldRange.Num(high)} (its items' highest answers), so no score can reach the band{s} after this one; lower it below {FieldRange.Num(high)}, or remove the later band{s}");
            return true;
        }
        return false;
    }
}

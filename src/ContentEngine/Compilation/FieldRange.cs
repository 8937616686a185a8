using System.Globalization;
using ContentEngine.Diagnostics;
using ContentEngine.Yaml;

namespace ContentEngine.Compilation;

/// <summary>The checks on a numeric field's range and a choice's values that a patient would otherwise meet as a form that cannot be filled in.</summary>
internal static class FieldRange
{
    public static string Num(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The field's step: greater than 0, and, with min and max, a whole number of steps from min to max.</summary>
    public static double? Step(MappingReader r, double? min, double? max, BindContext context)
    {
        var step = r.Number("step");
        if (step is not { } st) return null;
        if (st <= 0)
        {
            context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.KeyLocation("step"), "step",
                $"is {Num(st)}, but it must be greater than 0: it is how far apart the values a patient can give are, such as 1 or 0.5; leave it out to allow any value");
            return null;
        }
        if (min is not { } lo || max is not { } hi || lo >= hi) return st;
        var range = hi - lo;
        var steps = range / st;
        if (Math.Abs(steps - Math.Round(steps)) <= 1e-9 * Math.Max(1, steps)) return st;
        var last = lo + Math.Floor(steps) * st;
        context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.KeyLocation("step"), "step",
            $"is {Num(st)}, which does not divide the range from {Num(lo)} to {Num(hi)}: the values go {Num(lo)}, {Num(lo + st)}, … {Num(last)}, so {Num(hi)} can never be given; {Suggest(range, st)}");
        return st;
    }

    private static string Suggest(double range, double step)
    {
        if (range != Math.Floor(range) || range > 100000)
            return $"use a step that divides {Num(range)}, or change min or max";
        var divisors = Enumerable.Range(1, (int)range).Where(d => range % d == 0 && d < range).Select(d => (double)d).ToList();
        var near = divisors.OrderBy(d => Math.Abs(d - step)).Take(3).Order().Select(Num).ToList();
        return near.Count switch
        {
            0 => $"use a step that divides {Num(range)}",
            1 => $"use a step that divides {Num(range)}, such as {near[0]}",
            _ => $"use a step that divides {Num(range)}, such as {string.Join(", ", near.SkipLast(1))} or {near[^1]}",
        };
    }

    /// <summary>One choice, one kind of value: numbers are ordered and added up, text ids are compared; a mix is neither.</summary>
    public static bool OptionKindsAgree(YSequence options, BindContext context)
    {
        bool? numeric = null;
        foreach (var item in options.Items)
        {
            if (item is not YMapping { } map || map["value"] is not YScalar v) continue;
            var isNumber = v.TryGetNumber(out _);
            if (!isNumber && !MappingReader.IsId(v.Value)) continue;
            numeric ??= isNumber;
            if (numeric == isNumber) continue;
            context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, v.Location, "value",
                isNumber
                    ? $"is the number {v.Value}, but the options before it have text values; give every option of a field the same kind of value: all text ids, or all numbers"
                    : $"is the text '{v.Value}', but the options before it have numbers as values; give every option of a field the same kind of value: all numbers (which conditions can order and scores can add), or all text ids");
            return false;
        }
        return true;
    }
}

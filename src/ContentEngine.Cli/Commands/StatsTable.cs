using System.Globalization;
using System.Text;
using ContentEngine.Compilation;
using ContentEngine.Model;
using ContentEngine.Text;

namespace ContentEngine.Cli.Commands;

/// <summary>
/// <c>check --stats</c>: a table of the modules in schedule order, with the words of each locale, the minutes
/// the compiler estimates, and the readability of each locale's text (a '!' marks a score beyond the program's limit).
/// </summary>
internal static class StatsTable
{
    public static string Write(ProgramGraph graph, ReadabilityLimits limits)
    {
        var header = new List<string> { "module", "week" };
        header.AddRange(graph.Locales.Select(l => "words " + l));
        header.Add("minutes");
        header.AddRange(graph.Locales.Where(l => Readability.MeasureFor(l) is not null).Select(l => "readability " + l));
        var rows = new List<List<string>> { header };
        foreach (var m in graph.Modules)
        {
            var scores = ProgramCompiler.Scores(m.Content);
            var row = new List<string> { m.Id, m.ProgramWeek.ToString(CultureInfo.InvariantCulture) };
            row.AddRange(graph.Locales.Select(l => m.Content.TryGetValue(l, out var c) ? c.Words.ToString(CultureInfo.InvariantCulture) : "-"));
            row.Add(m.EstimatedMinutes.ToString("0", CultureInfo.InvariantCulture));
            row.AddRange(graph.Locales.Where(l => Readability.MeasureFor(l) is not null)
                .Select(l => scores.TryGetValue(l, out var s) ? s.Display + (limits.TooHard(s) ? " !" : string.Empty) : "-"));
            rows.Add(row);
        }
        var widths = Enumerable.Range(0, header.Count).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            // Names left, numbers right.
            sb.AppendLine(string.Join("  ", row.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
            if (row == header) sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }
        var measured = graph.Locales.Where(l => Readability.MeasureFor(l) is not null).ToList();
        var unmeasured = graph.Locales.Except(measured).ToList();
        sb.Append(CultureInfo.InvariantCulture, $"readability: {limits.LimitOf(ReadabilityMeasure.Lix)} (sv, da, nb, nn, no), {limits.LimitOf(ReadabilityMeasure.Flesch)} (en)");
        if (unmeasured.Count > 0) sb.Append(CultureInfo.InvariantCulture, $"; {string.Join(", ", unmeasured)} not measured");
        sb.AppendLine($"; '!' beyond it, text under {ReadabilityLimits.MinWords} words not judged");
        return sb.ToString();
    }
}

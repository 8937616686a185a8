using System.Globalization;
using System.Text;
using ContentEngine.Diagnostics;
using ContentEngine.Exploration;
using ContentEngine.Model;
using ContentEngine.Rendering.Print;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Rendering.Exploration;

/// <summary>
/// The report a clinician reads after <c>explore</c>: per phase and week, which modules and blocks
/// are shown to whom, each condition in the words print uses, the patients who do and do not get
/// them, and a table of findings linked to their source lines. One self-contained HTML page.
/// </summary>
public static class ExplorationReport
{
    /// <param name="sourceHref">the link to a source file of the program (program-relative path, 1-based line).</param>
    /// <param name="witnessHref">the link to a witness file by its name, or null when witnesses are not written.</param>
    public static string Render(ProgramGraph graph, ExplorationResult result, IReadOnlyList<Diagnostic> findings, Theme theme,
        Func<string, int, string> sourceHref, Func<string, string?> witnessHref)
    {
        // The report speaks English; conditions and titles too where the program has English, else its own language.
        var locale = graph.Locales.Contains("en") ? "en" : graph.DefaultLocale;
        var page = new PageContext(graph, locale, "explore.html", theme, OutputMedium.Print);
        var witnesses = ExplorationJson.Witnesses(graph, result).ToLookup(w => w.Target, StringComparer.Ordinal);
        var inv = CultureInfo.InvariantCulture;
        var title = page.T(graph.Title);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"").Append(Html.Attr(locale)).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>").Append(Html.Text(title)).Append(": every patient's path</title>\n<style>\n").Append(Css(theme)).Append("</style>\n</head>\n<body>\n<main>\n")
          .Append("<h1>").Append(Html.Text(title)).Append(": every patient's path</h1>\n")
          .Append("<p>Every condition of the program was tried on every kind of patient it can meet: each answer it reads, at the values that decide it. ")
          .Append("For each optional module and each block shown only to some patients, the smallest patient who gets it and one who does not are listed; open one in the preview's patient panel, or import it in the web bundle, to walk that patient's path.</p>\n");

        sb.Append("<h2 id=\"findings\">Findings</h2>\n");
        if (findings.Count == 0) sb.Append("<p>None: no condition that never or always holds, no patient left without a safety message or a module they cannot open.</p>\n");
        else
        {
            sb.Append("<table>\n<thead><tr><th scope=\"col\">Where</th><th scope=\"col\">Code</th><th scope=\"col\">What</th></tr></thead>\n<tbody>\n");
            foreach (var d in findings)
            {
                var where = d.Location.HasPosition ? $"{d.Location.Path}:{d.Location.Line + 1}" : d.Location.Path;
                sb.Append("<tr><td><a href=\"").Append(Html.Attr(sourceHref(d.Location.Path, d.Location.HasPosition ? d.Location.Line + 1 : 0))).Append("\">")
                  .Append(Html.Text(where)).Append("</a></td><td>").Append(Html.Text(d.Id)).Append("</td><td>").Append(Html.Text(d.Message)).Append("</td></tr>\n");
            }
            sb.Append("</tbody>\n</table>\n");
        }

        foreach (var phase in graph.Phases)
        {
            var last = phase.LastWeek;
            sb.Append("<h2>").Append(Html.Text(page.T(phase.Title))).Append(string.Create(inv, $" <span class=\"weeks\">(weeks {phase.FirstWeek}–{last})</span></h2>\n"));
            if (result.Phases.FirstOrDefault(p => p.Phase.Id == phase.Id) is { } pr)
            {
                sb.Append(string.Create(inv, $"<p>Patients choose {pr.Phase.Choose!.Min} to {(pr.Phase.Choose.Max is { } mx ? mx.ToString(inv) : "any number")} of its {pr.OptionalModules} optional modules; "))
                  .Append(string.Create(inv, $"each patient is recommended from {pr.Fewest} to {pr.Most} of them{(pr.Sampled ? " (found on a sample of the patients)" : string.Empty)}."));
                Links(sb, witnesses[$"phase-{phase.Id}"], witnessHref, ($"The most ({pr.Most})", $"The fewest ({pr.Fewest})"));
                sb.Append("</p>\n");
            }
            foreach (var week in graph.Modules.Where(m => m.Phase == phase.Id).GroupBy(m => m.ProgramWeek).OrderBy(g => g.Key))
            {
                sb.Append(string.Create(inv, $"<h3>Week {week.Key}</h3>\n<ul class=\"modules\">\n"));
                foreach (var m in week)
                {
                    sb.Append("<li><strong>").Append(Html.Text(page.T(m.Title))).Append("</strong> <code>").Append(Html.Text(m.Id)).Append("</code>")
                      .Append(m.Optional ? " <span class=\"tag\">optional</span>" : " <span class=\"tag\">every patient</span>");
                    var targets = result.Targets.Where(t => t.Module == m.Id).ToList();
                    if (targets.Count > 0)
                    {
                        sb.Append("\n<ul>\n");
                        foreach (var t in targets) Target(sb, t, page, witnesses[t.Name], sourceHref, witnessHref);
                        sb.Append("</ul>\n");
                    }
                    sb.Append("</li>\n");
                }
                sb.Append("</ul>\n");
            }
        }

        if (result.Weeks.Length > 0)
        {
            var heaviest = result.Weeks.MaxBy(w => w.Minutes)!;
            sb.Append("<h2>Time</h2>\n<p>").Append(string.Create(inv, $"The most a week asks of a patient: {heaviest.Minutes:0.#} minutes, in week {heaviest.Week} ({string.Join(", ", heaviest.Modules)})"))
              .Append(result.MaxMinutesPerWeek is { } limit ? string.Create(inv, $"; the program allows {limit}.") : "; the program sets no max_minutes_per_week.").Append("</p>\n");
        }
        if (result.Notes.Length > 0)
        {
            sb.Append("<h2>Not explored exactly</h2>\n<ul>\n");
            foreach (var n in result.Notes) sb.Append("<li>").Append(Html.Text(n)).Append("</li>\n");
            sb.Append("</ul>\n");
        }
        sb.Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Target(StringBuilder sb, TargetResult t, PageContext page, IEnumerable<WitnessFile> witnesses, Func<string, int, string> sourceHref, Func<string, string?> witnessHref)
    {
        var inv = CultureInfo.InvariantCulture;
        var share = t.Patients == 0 ? "no patient reaches it" : t.Never ? "no patient" : t.Always ? "every patient" : $"{t.Getting} of the {t.Patients} kinds of patient";
        var words = ConditionWords.Describe(t.Condition, page).TrimEnd(':');
        var line = t.Condition.Location.Line + 1;
        sb.Append("<li class=\"").Append(t.Never || t.Always ? "finding" : "ok").Append("\">")
          .Append(t.Kind == TargetKind.Offer ? "Recommended " : "A block shown ")
          .Append(Html.Text(char.ToLowerInvariant(words[0]) + words[1..])).Append(": ").Append(Html.Text(share))
          .Append(t.Sampled ? " (sampled)" : string.Empty)
          .Append(" <a class=\"source\" href=\"").Append(Html.Attr(sourceHref(t.SourcePath, line))).Append("\">")
          .Append(Html.Text(string.Create(inv, $"{t.SourcePath}:{line}"))).Append("</a> <code>").Append(Html.Text(t.Condition.Source)).Append("</code>");
        Links(sb, witnesses, witnessHref, t.Kind == TargetKind.Offer ? ("Recommended to", "Not to") : ("Shown to", "Not to"));
        sb.Append("</li>\n");
    }

    private static void Links(StringBuilder sb, IEnumerable<WitnessFile> witnesses, Func<string, string?> witnessHref, (string Gets, string DoesNot) labels)
    {
        foreach (var w in witnesses)
        {
            var label = w.Gets ? labels.Gets : labels.DoesNot;
            sb.Append("<br><span class=\"witness\">");
            if (witnessHref(w.FileName) is { } href)
                sb.Append("<a href=\"").Append(Html.Attr(href)).Append("\" title=\"").Append(Html.Attr(w.Description)).Append("\">").Append(Html.Text(label)).Append("</a>");
            else sb.Append(Html.Text(label));
            sb.Append(": ").Append(Html.Text(Summary(w.Patient))).Append("</span>");
        }
    }

    /// <summary>A patient in a line: the week, what they answered, completed and chose.</summary>
    public static string Summary(Patient p)
    {
        var parts = new List<string> { $"week {p.Week}" };
        foreach (var (id, answer) in p.Answers.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            switch (answer)
            {
                case Dictionary<string, object> form:
                    parts.AddRange(form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{id}.{f.Key} = {Show(f.Value)}"));
                    break;
                case List<Dictionary<string, object>> diary:
                    parts.Add($"{id}: {diary.Count} entr{(diary.Count == 1 ? "y" : "ies")}" +
                        (diary.Any(e => e.Count > 0) ? " (" + string.Join("; ", diary.Select(e => string.Join(", ", e.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {Show(f.Value)}")))) + ")" : string.Empty));
                    break;
            }
        }
        if (p.Completed.Length > 0) parts.Add("completed " + string.Join(", ", p.Completed));
        if (p.Chosen.Length > 0) parts.Add("chose " + string.Join(", ", p.Chosen));
        if (p.Answers.Count == 0) parts.Add("no answers");
        return string.Join("; ", parts);
    }

    private static string Show(object v) => v switch
    {
        double d => ConditionWords.Number(d),
        string s => $"'{s}'",
        bool b => b ? "true" : "false",
        System.Collections.Immutable.ImmutableArray<object> set => "[" + string.Join(", ", set.Select(Show)) + "]",
        StructuredAnswer => "(filled in)",
        _ => v.ToString() ?? string.Empty,
    };

    /// <summary>The report's style sheet, the theme's <c>preview/explore.css</c> without its opening comment.</summary>
    private static string Css(Theme theme)
    {
        var text = Encoding.UTF8.GetString(theme.PreviewFiles["explore.css"]);
        if (text.StartsWith("/*", StringComparison.Ordinal) && text.IndexOf("*/", StringComparison.Ordinal) is var end and >= 0) text = text[(end + 2)..];
        return text.Trim('\n');
    }
}

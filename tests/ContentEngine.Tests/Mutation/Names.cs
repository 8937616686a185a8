using System.Text.RegularExpressions;

namespace ContentEngine.Tests.Mutation;

/// <summary>Every name a misspelling must not turn into, nor come within one edit of: keys, ids and condition words.</summary>
internal static partial class Names
{
    /// <summary>The keys of the formats (docs/authoring.md), and the words of the condition language.</summary>
    private static readonly string[] Fixed =
    [
        "id", "version", "title", "summary", "locales", "guidance", "release", "phases", "reading_speed", "theme",
        "weeks", "pause_before", "choose", "min", "max",
        "phase", "week", "optional", "minutes", "requires", "offer_when", "offer_reason", "tags", "review", "by", "on", "next",
        "kind", "repeat", "days", "feedback", "fields", "scoring",
        "type", "label", "help", "required", "step", "unit", "labels", "options", "value", "multiple", "rows", "columns", "rings", "areas",
        "scores", "bands", "mcid", "sum", "mean", "reverse",
        "completed", "chosen", "answered", "last", "count", "and", "or", "not", "true", "false",
        "text", "longtext", "number", "integer", "scale", "choice", "boolean", "date", "time", "duration", "table", "target",
        "form", "diary", "questionnaire", "daily", "weekly", "entry", "guided", "self", "all",
    ];

    [GeneratedRegex(@"[{,]\s*([a-z_][a-z0-9_-]*):")]
    private static partial Regex FlowKey();

    public static readonly Lazy<IReadOnlySet<string>> Known = new(() =>
    {
        var set = new HashSet<string>(Fixed, StringComparer.Ordinal);
        var graph = MutantRunner.Baseline.Value.Graph ?? throw new InvalidOperationException("the sample does not compile");
        set.UnionWith(graph.Locales);
        set.UnionWith(graph.Phases.Select(p => p.Id));
        foreach (var m in graph.Modules)
        {
            set.Add(m.Id);
            set.UnionWith(m.Tags);
        }
        foreach (var w in graph.Worksheets)
        {
            set.Add(w.Id);
            foreach (var field in w.Fields.SelectMany(f => f.Columns.Prepend(f)))
            {
                set.Add(field.Id);
                set.UnionWith(field.Options.Select(o => o.ValueText));
                set.UnionWith(field.Areas.Select(a => a.Id));
            }
            if (w.Scoring is not null) set.UnionWith(w.Scoring.Scores.Select(s => s.Id));
        }
        foreach (var f in SampleSource.Instance.Value.Texts)
            foreach (var y in SourceScan.Yaml(f))
            {
                if (y.Key is not null) set.Add(y.Key);
                foreach (Match k in FlowKey().Matches(y.Value)) set.Add(k.Groups[1].Value);
            }
        return set;
    });
}

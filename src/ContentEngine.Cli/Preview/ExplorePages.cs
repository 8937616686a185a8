using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentEngine.Exploration;
using ContentEngine.Model;
using ContentEngine.Rendering.Exploration;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Cli.Preview;

/// <summary>
/// What the preview serves of the compiler's exploration: the witnesses (the panel's example
/// patients) as a list and as answers files, and the exploration report linked to the preview.
/// </summary>
public static class ExplorePages
{
    public const string Prefix = "explore/";
    public const string ListPath = "/" + UrlPaths.ReservedPrefix + Prefix + "witnesses.json";
    public const string WitnessPrefix = "/" + UrlPaths.ReservedPrefix + Prefix + "witnesses/";
    public const string ReportPath = "/" + UrlPaths.ReservedPrefix + Prefix + "report.html";

    /// <summary>The hash of a page's URL that makes the panel load a witness there: <c>#ce-witness=sleep.gets.json</c>.</summary>
    public const string LoadHash = "#ce-witness=";

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string WitnessUrl(string file) => WitnessPrefix + Uri.EscapeDataString(file);

    /// <summary>
    /// The witnesses grouped for the panel: per phase, each module's (its offer, then its blocks in
    /// the order of the source), then the phase's choice; every one with what it shows, where, and
    /// the patient in a line.
    /// </summary>
    public static byte[] WitnessList(ProgramGraph graph, ExplorationResult result, string locale)
    {
        var witnesses = ExplorationJson.Witnesses(graph, result);
        var targets = result.Targets.ToDictionary(t => t.Name, StringComparer.Ordinal);
        string T(LocalizedText t) => t.Get(locale, graph.DefaultLocale);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            w.WriteStartObject();
            w.WriteString("program", graph.Id);
            w.WriteString("report", ReportPath);
            w.WriteNumber("count", witnesses.Length);
            w.WriteStartArray("groups");
            foreach (var phase in graph.Phases)
            {
                foreach (var m in graph.Modules.Where(m => m.Phase == phase.Id))
                {
                    var own = witnesses.Where(f => targets.TryGetValue(f.Target, out var t) && t.Module == m.Id).ToList();
                    if (own.Count == 0) continue;
                    w.WriteStartObject();
                    w.WriteString("kind", "module");
                    w.WriteString("id", m.Id);
                    w.WriteString("title", T(m.Title));
                    w.WriteString("phase", phase.Id);
                    w.WriteBoolean("optional", m.Optional);
                    w.WriteStartArray("witnesses");
                    // Offers before blocks; ExplorationJson lists a module's blocks in the order of its source.
                    foreach (var f in own.OrderBy(f => targets[f.Target].Kind == TargetKind.Offer ? 0 : 1))
                        Witness(w, graph, f, targets[f.Target], null, locale);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                var choice = witnesses.Where(f => f.Target == $"phase-{phase.Id}").ToList();
                if (choice.Count == 0) continue;
                var pr = result.Phases.First(p => p.Phase.Id == phase.Id);
                w.WriteStartObject();
                w.WriteString("kind", "phase");
                w.WriteString("id", phase.Id);
                w.WriteString("title", T(phase.Title));
                w.WriteString("phase", phase.Id);
                w.WriteStartArray("witnesses");
                foreach (var f in choice) Witness(w, graph, f, null, pr, locale);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void Witness(Utf8JsonWriter w, ProgramGraph graph, WitnessFile f, TargetResult? t, PhaseResult? phase, string locale)
    {
        w.WriteStartObject();
        w.WriteString("file", f.FileName);
        w.WriteString("url", WitnessUrl(f.FileName));
        w.WriteString("kind", t is null ? "phase" : t.Kind == TargetKind.Offer ? "offer" : "block");
        w.WriteBoolean("gets", f.Gets);
        if (t is not null)
        {
            w.WriteString("module", t.Module);
            if (t.Kind == TargetKind.Block) w.WriteNumber("line", t.Condition.Location.Line + 1);
            w.WriteString("condition", t.Condition.Source);
        }
        if (phase is not null) w.WriteNumber("modules", f.Gets ? phase.Most : phase.Fewest);
        w.WriteString("description", f.Description);
        w.WriteNumber("week", f.Patient.Week);
        w.WriteString("answers", Answers(f.Patient));
        w.WriteStartArray("chosen");
        foreach (var c in f.Patient.Chosen) w.WriteStringValue(c);
        w.WriteEndArray();
        w.WriteString("page", PageOf(graph, f, t, locale));
        w.WriteEndObject();
    }

    /// <summary>Where a witness shows: the aftercare chooser for an offer or a phase's choice, the module's page for a block.</summary>
    public static string PageOf(ProgramGraph graph, WitnessFile f, TargetResult? t, string locale)
    {
        if (t is { Kind: TargetKind.Block }) return $"/{locale}/modules/{Uri.EscapeDataString(t.Module)}.html";
        var phase = t is null ? graph.Phases.FirstOrDefault(p => f.Target == $"phase-{p.Id}") : graph.FindPhase(graph.FindModule(t.Module)?.Phase ?? string.Empty);
        return phase?.Choose is not null || t is null
            ? $"/{locale}/aftercare.html"
            : $"/{locale}/modules/{Uri.EscapeDataString(t.Module)}.html";
    }

    /// <summary>A patient's answers in a line: <c>aftercare-wishes.areas = [sleep], sleep-diary ×3: hours 0</c>.</summary>
    public static string Answers(Patient p)
    {
        var parts = new List<string>();
        foreach (var (id, answer) in p.Answers.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            switch (answer)
            {
                case Dictionary<string, object> form:
                    parts.AddRange(form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{id}.{f.Key} = {Show(f.Value)}"));
                    break;
                case List<Dictionary<string, object>> diary:
                    // In no language: the panel speaks the page's. "sleep-diary ×3: hours 5" when every entry is alike.
                    var entries = diary.Select(e => string.Join(", ", e.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {Show(f.Value)}"))).ToList();
                    var count = $"{id} ×{diary.Count}";
                    parts.Add(entries.All(e => e.Length == 0) ? count
                        : entries.Distinct().Count() == 1 ? $"{count}: {entries[0]}"
                        : $"{count}: {string.Join("; ", entries)}");
                    break;
            }
        }
        return string.Join(", ", parts);
    }

    private static string Show(object v) => v switch
    {
        double d => (d + 0.0).ToString("0.###", CultureInfo.InvariantCulture),
        string s => s,
        bool b => b ? "true" : "false",
        ImmutableArray<object> set => "[" + string.Join(", ", set.Select(Show)) + "]",
        StructuredAnswer => "(filled in)",
        _ => v.ToString() ?? string.Empty,
    };

    /// <summary>One witness as an answers file (a stored patient state with a fixed week); null when the program has no witness of that name.</summary>
    public static byte[]? Document(ProgramGraph graph, IReadOnlyList<WitnessFile> witnesses, string file) =>
        witnesses.FirstOrDefault(f => f.FileName == file) is { } found ? Encoding.UTF8.GetBytes(ExplorationJson.WitnessDocument(graph, found)) : null;

    /// <summary>
    /// The exploration report, its witnesses linked to the pages that show them (opening one loads
    /// the patient in the preview) and its source references to the pages made from those files.
    /// </summary>
    public static byte[] Report(ProgramGraph graph, ExplorationResult result, Theme theme, IReadOnlyDictionary<string, ImmutableArray<string>> pageSources)
    {
        var witnesses = ExplorationJson.Witnesses(graph, result).ToDictionary(f => f.FileName, StringComparer.Ordinal);
        var targets = result.Targets.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var locale = graph.DefaultLocale;
        string Source(string path, int line) => PageMadeFrom(graph, pageSources, path) ?? ReportPath;
        string? Witness(string file) => witnesses.TryGetValue(file, out var f)
            ? PageOf(graph, f, targets.GetValueOrDefault(f.Target), locale) + LoadHash + Uri.EscapeDataString(file)
            : null;
        var html = ExplorationReport.Render(graph, result, result.Findings, theme, Source, Witness);
        return Encoding.UTF8.GetBytes(PreviewPages.Inject(html, UrlPaths.ReservedPrefix + Prefix + "report.html", PreviewSnapshot.MissingFingerprint));
    }

    /// <summary>The preview page made from a source file: a module's or worksheet's own page (in the file's locale), else the overview.</summary>
    private static string? PageMadeFrom(ProgramGraph graph, IReadOnlyDictionary<string, ImmutableArray<string>> pageSources, string path)
    {
        var locale = graph.Locales.FirstOrDefault(l => l != graph.DefaultLocale && path.EndsWith($".{l}.md", StringComparison.Ordinal)) ?? graph.DefaultLocale;
        var candidates = pageSources.Where(p => p.Key.StartsWith(locale + "/", StringComparison.Ordinal) && p.Value.Contains(path)).Select(p => p.Key).ToList();
        var best = candidates.FirstOrDefault(p => p.Contains("/modules/", StringComparison.Ordinal) || p.Contains("/worksheets/", StringComparison.Ordinal))
            ?? candidates.FirstOrDefault(p => p.EndsWith("/index.html", StringComparison.Ordinal))
            ?? candidates.FirstOrDefault();
        return best is null ? null : "/" + best;
    }
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentEngine.Diagnostics;
using ContentEngine.Model;

namespace ContentEngine.Exploration;

/// <summary>A witness as a file: who it is, what it shows, and its name in the witnesses folder.</summary>
public sealed record WitnessFile(string FileName, string Target, bool Gets, string Description, Patient Patient);

/// <summary>
/// Writes what <c>explore</c> found: witnesses as patient-state files (the web bundle's answers
/// file, which the runtime and the preview read too), and the whole result as JSON.
/// </summary>
public static class ExplorationJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Every witness of the result: for each optional module and each <c>::: if</c> block, a patient who gets it and one who does not.</summary>
    public static ImmutableArray<WitnessFile> Witnesses(ProgramGraph graph, ExplorationResult result)
    {
        var files = ImmutableArray.CreateBuilder<WitnessFile>();
        foreach (var t in result.Targets)
        {
            var what = t.Kind == TargetKind.Offer
                ? $"is recommended {Title(graph, t.Module)}"
                : $"sees the block at {t.SourcePath} line {t.Condition.Location.Line + 1} ({t.Condition.Source})";
            if (t.Gets is { } g) files.Add(new WitnessFile($"{t.Name}.gets.json", t.Name, true, $"A patient who {what}", g.Patient));
            if (t.DoesNot is { } n) files.Add(new WitnessFile($"{t.Name}.not.json", t.Name, false, $"A patient who {Negated(what)}", n.Patient));
        }
        foreach (var p in result.Phases)
        {
            if (p.MostPatient is { } most)
                files.Add(new WitnessFile($"phase-{p.Phase.Id}.most.json", $"phase-{p.Phase.Id}", true, $"A patient who is recommended {p.Most} modules in {p.Phase.Id}", most));
            if (p.FewestPatient is { } fewest)
                files.Add(new WitnessFile($"phase-{p.Phase.Id}.fewest.json", $"phase-{p.Phase.Id}", false, $"A patient who is recommended {p.Fewest} modules in {p.Phase.Id}", fewest));
        }
        return files.ToImmutable();
    }

    private static string Negated(string what) => what.StartsWith("is ", StringComparison.Ordinal) ? "is not " + what[3..] : "does not see " + what["sees ".Length..];

    private static string Title(ProgramGraph graph, string module) =>
        graph.FindModule(module) is { } m ? $"“{m.Title.Get(graph.DefaultLocale, graph.DefaultLocale)}” ({module})" : module;

    /// <summary>
    /// One witness as a stored patient state (docs/package-format.md, "The patient's state"): <c>{"format":
    /// "contentengine-patient-state", "version": 1, "program": …, "programVersion": …, "week": …, "completed": […], "chosen": […],
    /// "answers": {…}}</c>, the file the web bundle and the preview import. An example patient has a fixed week and no dates.
    /// </summary>
    public static string WitnessDocument(ProgramGraph graph, WitnessFile witness)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            w.WriteStartObject();
            w.WriteString("format", "contentengine-patient-state");
            w.WriteNumber("version", 1);
            w.WriteString("program", graph.Id);
            w.WriteString("programVersion", graph.Version);
            WriteStateKeys(w, witness.Patient);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>The patient's state: week, modules completed and chosen, answers by worksheet.</summary>
    public static void WriteState(Utf8JsonWriter w, Patient p)
    {
        w.WriteStartObject();
        WriteStateKeys(w, p);
        w.WriteEndObject();
    }

    private static void WriteStateKeys(Utf8JsonWriter w, Patient p)
    {
        w.WriteNumber("week", p.Week);
        w.WriteStartArray("completed");
        foreach (var c in p.Completed) w.WriteStringValue(c);
        w.WriteEndArray();
        w.WriteStartArray("chosen");
        foreach (var c in p.Chosen) w.WriteStringValue(c);
        w.WriteEndArray();
        w.WriteStartObject("answers");
        foreach (var (id, answer) in p.Answers.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(id);
            WriteValue(w, answer);
        }
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case double d: w.WriteNumberValue(d); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case StructuredAnswer sa: WriteValue(w, sa.Json); break;
            case ImmutableArray<object> set:
                w.WriteStartArray();
                foreach (var v in set) WriteValue(w, v);
                w.WriteEndArray();
                break;
            case System.Collections.IDictionary map:
                w.WriteStartObject();
                foreach (var key in map.Keys.Cast<string>().Order(StringComparer.Ordinal))
                {
                    w.WritePropertyName(key);
                    WriteValue(w, map[key]);
                }
                w.WriteEndObject();
                break;
            case System.Collections.IEnumerable list:
                w.WriteStartArray();
                foreach (var v in list) WriteValue(w, v);
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(value.ToString()); break;
        }
    }

    /// <summary>The whole result for tools: findings (as check prints them with --format json), targets, phases, weeks and notes.</summary>
    public static string Write(ProgramGraph graph, ExplorationResult result, IReadOnlyList<Diagnostic> findings, string displayRoot)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            w.WriteStartObject();
            w.WriteString("program", graph.Id);
            w.WritePropertyName("findings");
            using (var doc = JsonDocument.Parse(DiagnosticFormatter.Json(findings, displayRoot)))
                doc.RootElement.GetProperty("diagnostics").WriteTo(w);
            var witnesses = Witnesses(graph, result).ToLookup(f => f.Target, StringComparer.Ordinal);
            w.WriteStartArray("targets");
            foreach (var t in result.Targets)
            {
                w.WriteStartObject();
                w.WriteString("name", t.Name);
                w.WriteString("kind", t.Kind == TargetKind.Offer ? "offer" : "block");
                w.WriteString("module", t.Module);
                w.WriteString("file", JoinPath(displayRoot, t.SourcePath));
                if (t.Condition.Location.HasPosition)
                {
                    w.WriteNumber("line", t.Condition.Location.Line + 1);
                    w.WriteNumber("column", t.Condition.Location.Column + 1);
                }
                w.WriteString("condition", t.Condition.Source);
                w.WriteStartArray("enclosing");
                foreach (var e in t.Enclosing) w.WriteStringValue(e.Source);
                w.WriteEndArray();
                w.WriteNumber("patients", t.Patients);
                w.WriteNumber("getting", t.Getting);
                w.WriteBoolean("sampled", t.Sampled);
                w.WriteStartArray("witnesses");
                foreach (var f in witnesses[t.Name])
                {
                    w.WriteStartObject();
                    w.WriteString("file", f.FileName);
                    w.WriteBoolean("gets", f.Gets);
                    w.WriteString("description", f.Description);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("phases");
            foreach (var p in result.Phases)
            {
                w.WriteStartObject();
                w.WriteString("phase", p.Phase.Id);
                w.WriteNumber("optionalModules", p.OptionalModules);
                w.WriteNumber("chooseMin", p.Phase.Choose!.Min);
                if (p.Phase.Choose.Max is { } max) w.WriteNumber("chooseMax", max);
                w.WriteNumber("fewestRecommended", p.Fewest);
                w.WriteNumber("mostRecommended", p.Most);
                w.WriteBoolean("sampled", p.Sampled);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("weeks");
            foreach (var week in result.Weeks)
            {
                w.WriteStartObject();
                w.WriteNumber("week", week.Week);
                w.WriteNumber("mostMinutes", week.Minutes);
                w.WriteStartArray("modules");
                foreach (var m in week.Modules) w.WriteStringValue(m);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (result.MaxMinutesPerWeek is { } limit) w.WriteNumber("maxMinutesPerWeek", limit);
            w.WriteStartArray("notes");
            foreach (var n in result.Notes) w.WriteStringValue(n);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string JoinPath(string root, string path) => root.Length == 0 ? path : root.TrimEnd('/') + "/" + path;

    /// <summary>What explore prints for people after the findings: per phase and week what is shown to whom, the phases' choices, the heaviest weeks, notes.</summary>
    public static string Text(ProgramGraph graph, ExplorationResult result)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        foreach (var phase in graph.Phases)
        {
            var modules = graph.Modules.Where(m => m.Phase == phase.Id).ToList();
            sb.Append(inv, $"{phase.Id} (weeks {phase.FirstWeek}–{phase.LastWeek})\n");
            foreach (var m in modules)
            {
                sb.Append(inv, $"  week {m.ProgramWeek}  {m.Id}{(m.Optional ? " (optional)" : string.Empty)}\n");
                foreach (var t in result.Targets.Where(t => t.Module == m.Id))
                {
                    var share = t.Patients == 0 ? "no patient reaches it" : t.Never ? "no patient" : t.Always ? "every patient" : $"{t.Getting} of {t.Patients} kinds of patient";
                    var what = t.Kind == TargetKind.Offer ? "recommended when" : $"line {t.Condition.Location.Line + 1}: shown when";
                    sb.Append(inv, $"    {what} {t.Condition.Source}: {share}{(t.Sampled ? " (sampled)" : string.Empty)}\n");
                }
            }
            if (result.Phases.FirstOrDefault(p => p.Phase.Id == phase.Id) is { } pr)
                sb.Append(inv, $"  choice: {pr.Fewest} to {pr.Most} of {pr.OptionalModules} optional modules recommended; patients choose {pr.Phase.Choose!.Min} to {(pr.Phase.Choose.Max is { } mx ? mx.ToString(inv) : "any")}{(pr.Sampled ? " (sampled)" : string.Empty)}\n");
        }
        if (result.Weeks.Length > 0)
        {
            var heaviest = result.Weeks.MaxBy(w => w.Minutes)!;
            sb.Append(inv, $"The most minutes a week asks of a patient: {heaviest.Minutes:0.#} in week {heaviest.Week} ({string.Join(", ", heaviest.Modules)})");
            sb.Append(result.MaxMinutesPerWeek is { } limit ? string.Create(inv, $"; max_minutes_per_week is {limit}\n") : "; max_minutes_per_week is not set\n");
        }
        foreach (var n in result.Notes) sb.Append("Note: ").Append(n).Append('\n');
        return sb.ToString();
    }
}

using System.Text;
using System.Text.Json;
using ContentEngine.Model;
using ContentEngine.Output;

namespace ContentEngine.Runtime.Migration;

public sealed partial class ProgramDiff
{
    /// <summary>
    /// One aspect of a field or score under the key graph.json gives it: its value as compact JSON, which is
    /// what two versions compare, and as the short text a change shows.
    /// </summary>
    private sealed record Aspect(string Key, string Json, string? Text);

    /// <summary>The aspects that differ, in the order the older version has them, then those only the newer has.</summary>
    private static IEnumerable<ChangeDetail> DiffAspects(List<Aspect> before, List<Aspect> after)
    {
        var (a, b) = (before.ToDictionary(x => x.Key), after.ToDictionary(x => x.Key));
        foreach (var key in before.Select(x => x.Key).Union(after.Select(x => x.Key)))
        {
            var (x, y) = (a.GetValueOrDefault(key), b.GetValueOrDefault(key));
            if (x?.Json != y?.Json) yield return new(key, x?.Text, y?.Text);
        }
    }

    /// <summary>
    /// What a field's definition holds beyond its id, type, choice, requirement, range and options (which the
    /// comparer reads one by one): its wording, help, step, unit, scale labels, table columns and rows, target areas.
    /// </summary>
    private static List<Aspect> FieldAspects(Field f, string locale)
    {
        var aspects = new List<Aspect> { TextAspect("label", f.Label, locale) };
        if (f.Help is { } help) aspects.Add(TextAspect("help", help, locale));
        if (f.Step is { } step) aspects.Add(Number("step", step));
        if (f.Unit is { } unit) aspects.Add(TextAspect("unit", unit, locale));
        if (f.Labels.Length > 0) aspects.Add(new("labels", Json(w => GraphJson.WriteScaleLabels(w, f.Labels)), string.Join(", ", f.Labels.Select(l => Num(l.Value)))));
        if (f.Type == FieldType.Table)
        {
            aspects.Add(new("columns", Json(w =>
            {
                w.WriteStartArray();
                foreach (var c in f.Columns) GraphJson.WriteField(w, c);
                w.WriteEndArray();
            }), string.Join(", ", f.Columns.Select(c => c.Id))));
            aspects.Add(f.RowCount is { } rows ? Number("rows", rows) : Listed("rows", Json(w => GraphJson.WriteRowLabels(w, f.RowLabels)), f.RowLabels.IsEmpty));
        }
        if (f.Type == FieldType.Target)
        {
            aspects.Add(Number("rings", f.Rings ?? 0));
            aspects.Add(new("areas", Json(w => GraphJson.WriteAreas(w, f.Areas)), string.Join(", ", f.Areas.Select(a => a.Id))));
        }
        return aspects;
    }

    /// <summary>A score's definition: its id, method, items, bands and minimal important change.</summary>
    private static List<Aspect> ScoreAspects(Score score, Scoring scoring, string locale)
    {
        var aspects = new List<Aspect>
        {
            new("id", Json(w => w.WriteStringValue(score.Id)), score.Id),
            new("method", Json(w => w.WriteStringValue(GraphJson.Lower(score.Method))), GraphJson.Lower(score.Method)),
            Listed("items", Json(w => GraphJson.WriteScoreItems(w, score.Items)), score.Items.IsEmpty),
        };
        if (scoring.Bands.TryGetValue(score.Id, out var bands)) aspects.Add(Listed("bands", Json(w => GraphJson.WriteBands(w, bands)), bands.IsEmpty));
        if (scoring.Mcid.TryGetValue(score.Id, out var mcid)) aspects.Add(Number("mcid", mcid));
        return aspects;
    }

    private static Aspect TextAspect(string key, LocalizedText text, string locale) =>
        new(key, Json(w => GraphJson.WriteText(w, text)), text.Values.TryGetValue(locale, out var s) ? s : text.Values.Values.FirstOrDefault());

    private static Aspect Number(string key, double n) => new(key, Json(w => w.WriteNumberValue(n)), Num(n));

    /// <summary>A list of objects shown as its JSON, cut to 120 characters (an empty list as nothing).</summary>
    private static Aspect Listed(string key, string json, bool empty) =>
        new(key, json, empty ? string.Empty : json.Length <= 120 ? json : json[..117] + "...");

    /// <summary>A value as compact JSON, every character outside ASCII escaped.</summary>
    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) write(w);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

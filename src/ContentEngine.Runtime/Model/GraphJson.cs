using System.Globalization;
using System.Text.Json;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Output;

/// <summary>
/// Writes the program graph as JSON: deterministic, keys in a fixed order, conditions as trees and text.
/// <see cref="ProgramGraph.FromGraphJson"/> reads it back into the same model; the two sit together in
/// this library so that what is written is what is read.
/// </summary>
public static class GraphJson
{
    public const int FormatVersion = ProgramGraph.GraphFormat;

    public static string Write(ProgramGraph g)
    {
        return JsonText.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("graphFormat", FormatVersion);
            w.WriteString("id", g.Id);
            w.WriteString("version", g.Version);
            Text(w, "title", g.Title);
            Text(w, "summary", g.Summary);
            Strings(w, "locales", g.Locales);
            w.WriteString("guidance", Lower(g.Guidance));
            w.WriteString("release", Lower(g.Release));
            w.WriteNumber("readingSpeed", g.ReadingSpeed);
            if (g.Theme is not null) w.WriteString("theme", g.Theme);
            if (g.Identity is { } identity)
            {
                w.WriteStartObject("identity");
                if (identity.PrimaryColor is { } light) w.WriteString("primaryColor", light);
                if (identity.PrimaryColorDark is { } dark) w.WriteString("primaryColorDark", dark);
                if (identity.Logo is { } logo) w.WriteString("logo", logo);
                Text(w, "logoAlt", identity.LogoAlt);
                if (identity.CoverImage is { } cover) w.WriteString("coverImage", cover);
                Text(w, "coverAlt", identity.CoverAlt);
                w.WriteEndObject();
            }
            if (g.Approval is { } approval)
            {
                w.WriteStartObject("approval");
                if (approval.By is not null) w.WriteString("by", approval.By);
                if (approval.On is { } on) w.WriteString("on", on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }
            if (g.Provider is { } provider)
            {
                w.WriteStartObject("provider");
                Text(w, "name", provider.Name);
                if (provider.Url is not null) w.WriteString("url", provider.Url);
                if (provider.Email is not null) w.WriteString("email", provider.Email);
                if (provider.Phone is not null) w.WriteString("phone", provider.Phone);
                w.WriteEndObject();
            }
            Text(w, "about", g.About);
            Text(w, "privacy", g.Privacy);
            w.WriteStartArray("phases");
            foreach (var p in g.Phases)
            {
                w.WriteStartObject();
                WritePhaseSchedule(w, p);
                Text(w, "title", p.Title);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("modules");
            foreach (var m in g.Modules) WriteModule(w, m);
            w.WriteEndArray();
            w.WriteStartArray("worksheets");
            foreach (var ws in g.Worksheets) WriteWorksheet(w, ws, g.DefaultLocale);
            w.WriteEndArray();
            w.WriteStartArray("edges");
            foreach (var e in g.Edges)
            {
                w.WriteStartObject();
                w.WriteString("from", e.From);
                w.WriteString("to", e.To);
                w.WriteString("kind", Lower(e.Kind));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("assets");
            foreach (var a in g.Assets)
            {
                w.WriteStartObject();
                w.WriteString("path", a.Path);
                w.WriteString("kind", Lower(a.Kind));
                w.WriteNumber("size", a.Size);
                w.WriteString("sha256", a.Sha256);
                if (a.DurationSeconds is { } d) w.WriteNumber("durationSeconds", Math.Round(d, 3));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// One worksheet's definition as JSON, as graph.json holds it: a package carries one file per worksheet. The ids of
    /// bands and table rows (see <see cref="StableIds"/>) come from their text in <paramref name="defaultLocale"/>, the
    /// program's; without it they are left out.
    /// </summary>
    public static string WriteWorksheet(Worksheet worksheet, string? defaultLocale = null) =>
        JsonText.Write(w => WriteWorksheet(w, worksheet, defaultLocale));

    /// <summary>An enum value as graph.json writes it: its name in lower case.</summary>
    internal static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static void Text(Utf8JsonWriter w, string name, LocalizedText? text)
    {
        if (text is null) return;
        w.WritePropertyName(name);
        WriteText(w, text);
    }

    /// <summary>A text per locale as a JSON object.</summary>
    internal static void WriteText(Utf8JsonWriter w, LocalizedText text)
    {
        w.WriteStartObject();
        foreach (var (k, v) in text.Values) w.WriteString(k, v);
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> items)
    {
        w.WriteStartArray(name);
        foreach (var s in items) w.WriteStringValue(s);
        w.WriteEndArray();
    }

    /// <summary>
    /// The schedule as the browser's <c>schedule.js</c> reads it, into an open object: <c>release</c> (and with
    /// <paramref name="weeks"/> the program's length), then <c>phases</c> and <c>modules</c> in schedule order,
    /// each with <see cref="WritePhaseSchedule"/> or <see cref="WriteModuleSchedule"/> and what the caller adds
    /// (<paramref name="phase"/>, <paramref name="module"/>). The web bundle's <c>window.CE_PROGRAM</c> and the
    /// preview's patient panel both write their schedule with this, so the two cannot drift apart.
    /// </summary>
    public static void WriteSchedule(Utf8JsonWriter w, ProgramGraph g, bool weeks = false,
        Action<Utf8JsonWriter, Phase>? phase = null, Action<Utf8JsonWriter, Module>? module = null)
    {
        w.WriteString("release", Lower(g.Release));
        if (weeks) w.WriteNumber("weeks", Math.Max(1, g.TotalWeeks));
        w.WriteStartArray("phases");
        foreach (var p in g.Phases)
        {
            w.WriteStartObject();
            WritePhaseSchedule(w, p);
            phase?.Invoke(w, p);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("modules");
        foreach (var m in g.Modules)
        {
            w.WriteStartObject();
            WriteModuleSchedule(w, m);
            module?.Invoke(w, m);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// The part of a phase the scheduler reads (<c>id</c>, <c>weeks</c>, <c>firstWeek</c>, <c>pauseBefore</c>,
    /// <c>choose</c>), written into an open object. graph.json, the web bundle's <c>assets/program.js</c> and the
    /// preview's patient panel all write a phase's schedule with this, so the three cannot drift apart.
    /// </summary>
    public static void WritePhaseSchedule(Utf8JsonWriter w, Phase p)
    {
        w.WriteString("id", p.Id);
        w.WriteNumber("weeks", p.Weeks);
        w.WriteNumber("firstWeek", p.FirstWeek);
        w.WriteNumber("pauseBefore", p.PauseBefore);
        if (p.Choose is { } c)
        {
            w.WriteStartObject("choose");
            w.WriteNumber("min", c.Min);
            if (c.Max is { } max) w.WriteNumber("max", max);
            w.WriteEndObject();
        }
    }

    /// <summary>
    /// The part of a module the scheduler reads (<c>id</c>, <c>phase</c>, <c>week</c>, <c>programWeek</c>,
    /// <c>optional</c>, <c>requires</c>, <c>offerWhen</c> as source and tree), written into an open object; shared
    /// like <see cref="WritePhaseSchedule"/>.
    /// </summary>
    public static void WriteModuleSchedule(Utf8JsonWriter w, Module m)
    {
        w.WriteString("id", m.Id);
        w.WriteString("phase", m.Phase);
        w.WriteNumber("week", m.Week);
        w.WriteNumber("programWeek", m.ProgramWeek);
        w.WriteBoolean("optional", m.Optional);
        Strings(w, "requires", m.Requires);
        if (m.OfferWhen is { } c) WriteCondition(w, "offerWhen", c);
    }

    private static void WriteModule(Utf8JsonWriter w, Module m)
    {
        w.WriteStartObject();
        WriteModuleSchedule(w, m);
        w.WriteString("source", m.SourcePath);
        Text(w, "title", m.Title);
        Text(w, "summary", m.Summary);
        if (m.Minutes is { } min) w.WriteNumber("minutes", min);
        w.WriteNumber("estimatedMinutes", m.EstimatedMinutes);
        Text(w, "offerReason", m.OfferReason);
        Strings(w, "tags", m.Tags);
        if (m.NotesPages > 0) w.WriteNumber("notesPages", m.NotesPages);
        if (m.Review is { } r)
        {
            w.WriteStartObject("review");
            if (r.By is not null) w.WriteString("by", r.By);
            if (r.On is { } on) w.WriteString("on", on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (r.Next is { } next) w.WriteString("next", next.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        WriteContent(w, m.Id, m.Content);
        w.WriteEndObject();
    }

    private static void WriteContent(Utf8JsonWriter w, string owner, IReadOnlyDictionary<string, Content> content)
    {
        w.WriteStartObject("content");
        foreach (var (locale, c) in content)
        {
            w.WriteStartObject(locale);
            w.WriteString("source", c.SourcePath);
            w.WriteNumber("words", c.Words);
            WriteBlocks(w, c.Blocks, StableIds.Blocks(owner, c.Blocks));
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteBlocks(Utf8JsonWriter w, IEnumerable<ContentBlock> blocks, IReadOnlyDictionary<ContentBlock, string> ids)
    {
        w.WriteStartArray("blocks");
        foreach (var b in blocks)
        {
            w.WriteStartObject();
            if (ids.TryGetValue(b, out var id)) w.WriteString("id", id);
            switch (b)
            {
                case MarkdownBlock md:
                    w.WriteString("type", "markdown");
                    w.WriteString("markdown", md.Markdown);
                    break;
                case MarkdownWithDirectivesBlock nested:
                    // Its directives, in the order they stand in the text, as the blocks of the Markdown.
                    w.WriteString("type", "markdown");
                    w.WriteString("markdown", nested.Markdown);
                    WriteBlocks(w, nested.Directives, ids);
                    break;
                case DirectiveBlock d:
                    w.WriteString("type", "directive");
                    w.WriteString("name", d.Name);
                    w.WriteStartObject("attributes");
                    foreach (var (k, v) in d.Attributes) w.WriteString(k, v);
                    w.WriteEndObject();
                    if (d.Condition is { } c) WriteCondition(w, "condition", c);
                    WriteBlocks(w, d.Children, ids);
                    break;
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteWorksheet(Utf8JsonWriter w, Worksheet ws, string? defaultLocale)
    {
        w.WriteStartObject();
        w.WriteString("id", ws.Id);
        w.WriteString("source", ws.SourcePath);
        Text(w, "title", ws.Title);
        Text(w, "summary", ws.Summary);
        w.WriteString("kind", Lower(ws.Kind));
        if (ws.Repeat is { } rep) w.WriteString("repeat", Lower(rep));
        if (ws.Days is { } days) w.WriteNumber("days", days);
        w.WriteBoolean("feedback", ws.Feedback);
        w.WriteStartArray("fields");
        foreach (var f in ws.Fields) WriteField(w, f, defaultLocale);
        w.WriteEndArray();
        if (ws.Scoring is { } s)
        {
            w.WriteStartObject("scoring");
            w.WriteStartArray("scores");
            foreach (var score in s.Scores)
            {
                w.WriteStartObject();
                w.WriteString("id", score.Id);
                w.WriteString("method", Lower(score.Method));
                w.WritePropertyName("items");
                WriteScoreItems(w, score.Items);
                if (s.Bands.TryGetValue(score.Id, out var bands))
                {
                    w.WritePropertyName("bands");
                    if (defaultLocale is null) WriteBands(w, bands);
                    else
                    {
                        var bandIds = StableIds.Bands(score.Id, bands, defaultLocale);
                        var i = 0;
                        WriteLabelled(w, bands, b =>
                        {
                            w.WriteString("id", bandIds[i++]);
                            if (b.Max is { } max) w.WriteNumber("max", max);
                        }, "label", b => b.Label);
                    }
                }
                if (s.Mcid.TryGetValue(score.Id, out var mcid)) w.WriteNumber("mcid", mcid);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        WriteContent(w, ws.Id, ws.Content);
        w.WriteEndObject();
    }

    /// <summary>A score's items as a JSON array.</summary>
    internal static void WriteScoreItems(Utf8JsonWriter w, IEnumerable<ScoreItem> items)
    {
        w.WriteStartArray();
        foreach (var i in items)
        {
            w.WriteStartObject();
            w.WriteString("field", i.Field);
            w.WriteBoolean("reverse", i.Reverse);
            w.WriteNumber("min", i.Min);
            w.WriteNumber("max", i.Max);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>A score's bands as a JSON array.</summary>
    internal static void WriteBands(Utf8JsonWriter w, IEnumerable<Band> bands) =>
        WriteLabelled(w, bands, b => { if (b.Max is { } max) w.WriteNumber("max", max); }, "label", b => b.Label);

    /// <summary>A scale's labels as a JSON array.</summary>
    internal static void WriteScaleLabels(Utf8JsonWriter w, IEnumerable<ScaleLabel> labels) =>
        WriteLabelled(w, labels, l => w.WriteNumber("value", l.Value), "text", l => l.Text);

    /// <summary>A target's areas as a JSON array.</summary>
    internal static void WriteAreas(Utf8JsonWriter w, IEnumerable<TargetArea> areas) =>
        WriteLabelled(w, areas, a => w.WriteString("id", a.Id), "label", a => a.Label);

    /// <summary>A JSON array of objects, each with what <paramref name="head"/> writes and then its text under <paramref name="name"/>.</summary>
    private static void WriteLabelled<T>(Utf8JsonWriter w, IEnumerable<T> items, Action<T> head, string name, Func<T, LocalizedText> text)
    {
        w.WriteStartArray();
        foreach (var item in items)
        {
            w.WriteStartObject();
            head(item);
            Text(w, name, text(item));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>A table's row labels as a JSON array of texts.</summary>
    internal static void WriteRowLabels(Utf8JsonWriter w, IEnumerable<LocalizedText> rows)
    {
        w.WriteStartArray();
        foreach (var r in rows) WriteText(w, r);
        w.WriteEndArray();
    }

    /// <summary>A field's definition as a JSON object, as graph.json holds it; with <paramref name="defaultLocale"/>, a labelled table's row ids too.</summary>
    internal static void WriteField(Utf8JsonWriter w, Field f, string? defaultLocale = null)
    {
        w.WriteStartObject();
        w.WriteString("id", f.Id);
        w.WriteString("type", Lower(f.Type));
        Text(w, "label", f.Label);
        Text(w, "help", f.Help);
        w.WriteBoolean("required", f.Required);
        if (f.Min is { } min) w.WriteNumber("min", min);
        if (f.Max is { } max) w.WriteNumber("max", max);
        if (f.Step is { } step) w.WriteNumber("step", step);
        Text(w, "unit", f.Unit);
        if (f.Labels.Length > 0)
        {
            w.WritePropertyName("labels");
            WriteScaleLabels(w, f.Labels);
        }
        if (f.Type == FieldType.Choice)
        {
            w.WriteBoolean("multiple", f.Multiple);
            w.WriteStartArray("options");
            foreach (var o in f.Options)
            {
                w.WriteStartObject();
                if (o.Number is { } n) w.WriteNumber("value", n);
                else w.WriteString("value", o.Text);
                Text(w, "label", o.Label);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (f.Type == FieldType.Table)
        {
            w.WriteStartArray("columns");
            foreach (var c in f.Columns) WriteField(w, c);
            w.WriteEndArray();
            if (f.RowCount is { } rc) w.WriteNumber("rows", rc);
            else
            {
                w.WritePropertyName("rows");
                WriteRowLabels(w, f.RowLabels);
                if (defaultLocale is not null) Strings(w, "rowIds", StableIds.Rows(f, defaultLocale));
            }
        }
        if (f.Type == FieldType.Target)
        {
            w.WriteNumber("rings", f.Rings ?? 0);
            w.WritePropertyName("areas");
            WriteAreas(w, f.Areas);
        }
        w.WriteEndObject();
    }

    private static void WriteCondition(Utf8JsonWriter w, string name, Model.Condition c)
    {
        w.WriteStartObject(name);
        w.WriteString("source", c.Source);
        w.WritePropertyName("tree");
        ConditionJson.Write(w, c.Tree);
        w.WriteEndObject();
    }
}

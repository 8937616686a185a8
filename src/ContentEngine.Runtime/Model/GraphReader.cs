using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Model;

/// <summary>
/// Reads graph.json into a <see cref="ProgramGraph"/>: the one place that walks the JSON of a program
/// (condition trees are read by <see cref="ConditionJson"/>). Anything missing, of the wrong kind or
/// inconsistent throws <see cref="FormatException"/> naming where. Source positions are not in graph.json:
/// a program read back has none, and its asset store is <see cref="AssetStore.None"/>.
/// </summary>
internal static class GraphReader
{
    public static ProgramGraph Read(ReadOnlySpan<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 512 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"graph.json is not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            try
            {
                return Program(document.RootElement);
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
            {
                // A value of the wrong kind where the reader expected another (JsonElement throws these).
                throw new FormatException($"graph.json is malformed: {e.Message}", e);
            }
        }
    }

    private static ProgramGraph Program(JsonElement root)
    {
        var r = new At("graph.json");
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("graph.json must hold an object");
        var format = r.Int(root, "graphFormat");
        if (format != ProgramGraph.GraphFormat) throw new FormatException($"graph.json has graph format {format}; this library reads format {ProgramGraph.GraphFormat}");
        var locales = r.Strings(root, "locales");
        if (locales.IsEmpty) throw new FormatException("graph.json lists no locales");
        var phases = r.Array(root, "phases").Select((p, i) => Phase(p, new At($"phases[{i}]"))).ToImmutableArray();
        var modules = r.Array(root, "modules").Select((m, i) => Module(m, new At($"modules[{i}]"))).ToImmutableArray();
        var worksheets = r.Array(root, "worksheets").Select((w, i) => Worksheet(w, new At($"worksheets[{i}]"))).ToImmutableArray();
        var assets = r.Array(root, "assets").Select((a, i) =>
        {
            var at = new At($"assets[{i}]");
            return new Asset(at.String(a, "path"), at.Enum<AssetKind>(a, "kind"), at.Long(a, "size"), at.String(a, "sha256"), at.OptionalDouble(a, "durationSeconds"));
        }).ToImmutableArray();

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in modules)
        {
            if (!ids.Add(m.Id)) throw new FormatException($"graph.json lists the module '{m.Id}' twice");
            if (!phases.Any(p => p.Id == m.Phase)) throw new FormatException($"graph.json: the module '{m.Id}' names the phase '{m.Phase}', which it does not list");
        }
        foreach (var m in modules)
            foreach (var req in m.Requires.Where(x => !ids.Contains(x)))
                throw new FormatException($"graph.json: the module '{m.Id}' requires '{req}', which it does not list");
        return new ProgramGraph(r.String(root, "id"), r.String(root, "version"), r.Text(root, "title"), r.OptionalText(root, "summary"), locales,
            r.Enum<Guidance>(root, "guidance"), r.Enum<ReleaseMode>(root, "release"), r.Int(root, "readingSpeed"), phases, modules, worksheets, assets)
        {
            Theme = r.OptionalString(root, "theme"),
            Identity = root.TryGetProperty("identity", out var id) ? Identity(id, new At("identity")) : null,
            Approval = root.TryGetProperty("approval", out var ap) ? new Approval(new At("approval").OptionalString(ap, "by"), new At("approval").OptionalDate(ap, "on")) : null,
            Provider = root.TryGetProperty("provider", out var pv) ? Provider(pv, new At("provider")) : null,
            About = r.OptionalText(root, "about"),
            Privacy = r.OptionalText(root, "privacy"),
        };
    }

    private static ProgramProvider Provider(JsonElement e, At at)
    {
        at.Object(e);
        return new(at.Text(e, "name"), at.OptionalString(e, "url"), at.OptionalString(e, "email"), at.OptionalString(e, "phone"));
    }

    private static ProgramIdentity Identity(JsonElement e, At at) =>
        new(at.OptionalString(e, "primaryColor"), at.OptionalString(e, "primaryColorDark"), at.OptionalString(e, "logo"), at.OptionalText(e, "logoAlt"),
            at.OptionalString(e, "coverImage"), at.OptionalText(e, "coverAlt"));

    private static Phase Phase(JsonElement p, At at)
    {
        at.Object(p);
        ChooseRule? choose = p.TryGetProperty("choose", out var c) ? new ChooseRule(at.Int(c, "min"), at.OptionalInt(c, "max")) : null;
        return new Phase(at.String(p, "id"), at.Text(p, "title"), at.Int(p, "weeks"), at.Int(p, "firstWeek"), at.Int(p, "pauseBefore"), choose);
    }

    private static Module Module(JsonElement m, At at)
    {
        at.Object(m);
        Review? review = null;
        if (m.TryGetProperty("review", out var rv))
            review = new Review(at.OptionalString(rv, "by"), at.OptionalDate(rv, "on"), at.OptionalDate(rv, "next"));
        return new Module(at.String(m, "id"), at.String(m, "source"), at.Text(m, "title"), at.OptionalText(m, "summary"), at.String(m, "phase"), at.Int(m, "week"),
            at.Int(m, "programWeek"), at.Bool(m, "optional"), at.OptionalInt(m, "minutes"), at.Double(m, "estimatedMinutes"), at.Strings(m, "requires"),
            at.OptionalCondition(m, "offerWhen"), at.OptionalText(m, "offerReason"), at.Strings(m, "tags"), review, Contents(m, at))
        {
            NotesPages = at.OptionalInt(m, "notesPages") ?? 0,
        };
    }

    private static ImmutableSortedDictionary<string, Content> Contents(JsonElement owner, At at)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, Content>(StringComparer.Ordinal);
        foreach (var (locale, body) in at.Properties(owner, "content"))
        {
            var here = at.In($"content.{locale}");
            result[locale] = new Content(locale, here.String(body, "source"), Blocks(body, here), here.Int(body, "words"));
        }
        return result.ToImmutable();
    }

    private static ImmutableArray<ContentBlock> Blocks(JsonElement owner, At at) =>
        [.. at.Array(owner, "blocks").Select((b, i) =>
        {
            var here = at.In($"blocks[{i}]");
            return here.String(b, "type") switch
            {
                // A Markdown block with "blocks" holds directives in its lists or quotes (MarkdownWithDirectivesBlock).
                "markdown" when b.ValueKind == JsonValueKind.Object && b.TryGetProperty("blocks", out _) =>
                    new MarkdownWithDirectivesBlock(here.String(b, "markdown"), [.. Blocks(b, here).Select((d, j) => d as DirectiveBlock
                        ?? throw new FormatException($"graph.json: {here.Where}.blocks[{j}] of a Markdown block must be a directive"))]),
                "markdown" => (ContentBlock)new MarkdownBlock(here.String(b, "markdown")),
                "directive" => new DirectiveBlock(here.String(b, "name"),
                    here.Properties(b, "attributes").ToImmutableSortedDictionary(p => p.Name, p => here.Value(p.Value, $"attributes.{p.Name}"), StringComparer.Ordinal),
                    Blocks(b, here), here.OptionalCondition(b, "condition")),
                var other => throw new FormatException($"graph.json: {here.Where}.type is '{other}', neither 'markdown' nor 'directive'"),
            };
        })];

    private static Worksheet Worksheet(JsonElement w, At at)
    {
        at.Object(w);
        Scoring? scoring = null;
        if (w.TryGetProperty("scoring", out var s))
        {
            var bands = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<Band>>(StringComparer.Ordinal);
            var mcid = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
            var scores = at.Array(s, "scores").Select((sc, i) =>
            {
                var here = at.In($"scoring.scores[{i}]");
                var id = here.String(sc, "id");
                if (sc.TryGetProperty("bands", out _))
                    bands[id] = [.. here.Array(sc, "bands").Select((b, j) => new Band(here.OptionalDouble(b, "max"), here.In($"bands[{j}]").Text(b, "label")))];
                if (here.OptionalDouble(sc, "mcid") is { } m) mcid[id] = m;
                return new Score(id, here.Enum<ScoreMethod>(sc, "method"), [.. here.Array(sc, "items").Select((it, j) =>
                {
                    var item = here.In($"items[{j}]");
                    return new ScoreItem(item.String(it, "field"), item.Bool(it, "reverse"), item.Double(it, "min"), item.Double(it, "max"));
                })]);
            }).ToImmutableArray();
            scoring = new Scoring(scores, bands.ToImmutable(), mcid.ToImmutable());
        }
        return new Worksheet(at.String(w, "id"), at.String(w, "source"), at.Text(w, "title"), at.OptionalText(w, "summary"), at.Enum<WorksheetKind>(w, "kind"),
            w.TryGetProperty("repeat", out _) ? at.Enum<DiaryRepeat>(w, "repeat") : null, at.OptionalInt(w, "days"), at.Bool(w, "feedback"),
            [.. at.Array(w, "fields").Select((f, i) => Field(f, at.In($"fields[{i}]")))], scoring, Contents(w, at));
    }

    private static Field Field(JsonElement f, At at)
    {
        at.Object(f);
        var type = at.Enum<FieldType>(f, "type");
        var labels = f.TryGetProperty("labels", out _)
            ? at.Array(f, "labels").Select((l, i) => new ScaleLabel(at.Double(l, "value"), at.In($"labels[{i}]").Text(l, "text"))).ToImmutableArray() : [];
        var options = type == FieldType.Choice
            ? at.Array(f, "options").Select((o, i) =>
            {
                var here = at.In($"options[{i}]");
                var value = o.ValueKind == JsonValueKind.Object && o.TryGetProperty("value", out var v) ? v : throw new FormatException($"graph.json: {here.Where} lacks \"value\"");
                return value.ValueKind switch
                {
                    JsonValueKind.Number => new ChoiceOption(null, value.GetDouble(), here.Text(o, "label")),
                    JsonValueKind.String => new ChoiceOption(value.GetString(), null, here.Text(o, "label")),
                    _ => throw new FormatException($"graph.json: {here.Where}.value must be a number or a string"),
                };
            }).ToImmutableArray() : [];
        ImmutableArray<Field> columns = [];
        ImmutableArray<LocalizedText> rowLabels = [];
        int? rowCount = null;
        if (type == FieldType.Table)
        {
            columns = [.. at.Array(f, "columns").Select((c, i) => Field(c, at.In($"columns[{i}]")))];
            if (f.TryGetProperty("rows", out var rows) && rows.ValueKind == JsonValueKind.Number) rowCount = at.Int(f, "rows");
            else rowLabels = [.. at.Array(f, "rows").Select((row, i) => at.In($"rows[{i}]").TextValue(row))];
        }
        var areas = type == FieldType.Target
            ? at.Array(f, "areas").Select((a, i) => new TargetArea(at.In($"areas[{i}]").String(a, "id"), at.In($"areas[{i}]").Text(a, "label"))).ToImmutableArray() : [];
        return new Field(at.String(f, "id"), type, at.Text(f, "label"), at.OptionalText(f, "help"), at.Bool(f, "required"), at.OptionalDouble(f, "min"),
            at.OptionalDouble(f, "max"), at.OptionalDouble(f, "step"), at.OptionalText(f, "unit"), labels, options,
            type == FieldType.Choice && at.Bool(f, "multiple"), columns, rowLabels, rowCount, areas, type == FieldType.Target ? at.Int(f, "rings") : null);
    }

    /// <summary>Reads JSON values, naming the place of anything missing or of the wrong kind.</summary>
    private sealed class At(string where)
    {
        public string Where => where;

        public At In(string part) => new(where == "graph.json" ? part : $"{where}.{part}");

        public void Object(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Object) throw new FormatException($"graph.json: {where} must be an object");
        }

        private JsonElement Get(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : throw new FormatException($"graph.json: {where} lacks \"{name}\"");

        private static bool Has(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out _);

        private FormatException Wrong(string name, string kind) => new($"graph.json: {where}.{name} must be {kind}");

        public string Value(JsonElement v, string name) => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Wrong(name, "a string");

        public string String(JsonElement e, string name) => Value(Get(e, name), name);

        public string? OptionalString(JsonElement e, string name) => Has(e, name) ? String(e, name) : null;

        public int Int(JsonElement e, string name) => Get(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i) ? i : throw Wrong(name, "an integer");

        public int? OptionalInt(JsonElement e, string name) => Has(e, name) ? Int(e, name) : null;

        public long Long(JsonElement e, string name) => Get(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var i) ? i : throw Wrong(name, "an integer");

        public double Double(JsonElement e, string name) => Get(e, name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : throw Wrong(name, "a number");

        public double? OptionalDouble(JsonElement e, string name) => Has(e, name) ? Double(e, name) : null;

        public DateOnly? OptionalDate(JsonElement e, string name) =>
            OptionalString(e, name) is not { } s ? null
            : DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : throw Wrong(name, "a date written yyyy-MM-dd");

        public bool Bool(JsonElement e, string name) => Get(e, name).ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, "true or false"),
        };

        /// <summary>An enum value as graph.json writes it: its name in lower case.</summary>
        public T Enum<T>(JsonElement e, string name) where T : struct, Enum =>
            Get(e, name) is { ValueKind: JsonValueKind.String } v && v.GetString() is { Length: > 0 } s && char.IsLetter(s[0])
                && System.Enum.TryParse<T>(s, ignoreCase: true, out var value) && s == value.ToString().ToLowerInvariant()
                ? value : throw Wrong(name, "one of " + string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant())));

        public ImmutableArray<string> Strings(JsonElement e, string name) =>
            [.. Array(e, name).Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : throw Wrong(name, "a list of strings"))];

        public IEnumerable<JsonElement> Array(JsonElement e, string name) =>
            Get(e, name) is { ValueKind: JsonValueKind.Array } v ? v.EnumerateArray() : throw Wrong(name, "a list");

        public IEnumerable<(string Name, JsonElement Value)> Properties(JsonElement e, string name) =>
            Get(e, name) is { ValueKind: JsonValueKind.Object } v ? v.EnumerateObject().Select(p => (p.Name, p.Value)) : throw Wrong(name, "an object");

        public LocalizedText TextValue(JsonElement v) =>
            v.ValueKind == JsonValueKind.Object && v.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String)
                ? new LocalizedText(v.EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal))
                : throw new FormatException($"graph.json: {where} must be a text per locale");

        public LocalizedText Text(JsonElement e, string name) =>
            Get(e, name) is { ValueKind: JsonValueKind.Object } v && v.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String)
                ? TextValue(v) : throw Wrong(name, "a text per locale");

        public LocalizedText? OptionalText(JsonElement e, string name) => Has(e, name) ? Text(e, name) : null;

        public Condition? OptionalCondition(JsonElement e, string name)
        {
            if (!Has(e, name)) return null;
            var c = Get(e, name);
            try
            {
                return new Condition(String(c, "source"), ConditionJson.Read(Get(c, "tree")));
            }
            catch (Exception x) when (x is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new FormatException($"graph.json: {where}.{name}: {x.Message}", x);
            }
        }
    }
}

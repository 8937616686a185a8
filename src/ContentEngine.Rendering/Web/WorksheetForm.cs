using System.Globalization;
using System.Text;
using System.Text.Json;
using ContentEngine.Model;
using Scriban.Runtime;

namespace ContentEngine.Rendering.Web;

/// <summary>
/// A worksheet as an HTML form that the theme's worksheets.js fills, saves and restores. The markup is
/// usable without the script (every control is labelled, every group has a legend) and carries, in
/// classes and data attributes, all the script needs to read the answers in the shapes of the state.
/// </summary>
/// <remarks>
/// The markup comes from the theme's <c>templates/worksheet/</c> templates (a program may override
/// each); this class works out what they are given: ids, values, the Bull's-eye's geometry, words.
/// Element ids are <c>ws-{worksheet}-{field}{scope}{suffix}</c>: the scope is empty on a form and
/// <c>_e</c> in a diary's open entry (whose own elements are <c>ws-{worksheet}-entry_{part}</c>); suffixes
/// (<c>_label</c>, <c>_help</c>, <c>_o{i}</c>, <c>_r{row}_c{column}</c>, …) use an underscore, which no
/// id an author writes can contain, so ids cannot collide.
/// </remarks>
public static class WorksheetForm
{
    /// <summary>Scales with at most this many values are a row of radio buttons; longer ones a slider.</summary>
    public const int MaxRadioScale = 11;

    /// <summary>The scope of the fields of a diary's open entry (a diary shows one entry at a time).</summary>
    public const string EntryScope = "_e";

    public static string Render(Worksheet worksheet, PageContext page) => new Writer(worksheet, page).Form();

    /// <summary>The values of a scale, from its minimum to its maximum by its step.</summary>
    public static IReadOnlyList<double> ScaleValues(Field field)
    {
        var min = field.Min ?? 0;
        var max = field.Max ?? 10;
        var step = field.Step is > 0 ? field.Step.Value : 1;
        var count = (int)Math.Floor((max - min) / step + 1e-9) + 1;
        var values = new List<double>(Math.Max(count, 0));
        for (var i = 0; i < count; i++) values.Add(Math.Round(min + i * step, 10));
        return values;
    }

    /// <summary>Buttons or a slider: as the field's <c>display</c> says, else buttons for at most
    /// <see cref="MaxRadioScale"/> steps.</summary>
    public static bool ScaleAsRadios(Field field) => field.Display switch
    {
        ScaleDisplay.Buttons => true,
        ScaleDisplay.Slider => false,
        _ => ScaleValues(field).Count <= MaxRadioScale,
    };

    private sealed class Writer(Worksheet ws, PageContext page)
    {
        private readonly Theme _theme = page.Theme;

        private string Prefix => $"ws-{ws.Id}-";

        /// <summary>A template of the theme's <c>templates/worksheet/</c> folder, drawn with its model.</summary>
        private string Draw(string template, params (string Key, object? Value)[] model) =>
            WebRenderer.Render(_theme.Template("worksheet/" + template), WebRenderer.Obj(model));

        /// <summary>The interface's words a template uses, by their keys without "ws." and with '_' for '-'.</summary>
        private ScriptObject Words(params string[] keys)
        {
            var words = new ScriptObject();
            foreach (var key in keys) words[key.Replace('-', '_')] = page.S("ws." + key);
            return words;
        }

        public string Form()
        {
            var repeat = ws.Kind == WorksheetKind.Diary ? ws.Repeat ?? DiaryRepeat.Entry : (DiaryRepeat?)null;
            var scope = repeat is null ? "" : EntryScope;
            // A diary: one entry open at a time (its date and its fields), "add entry", and the list of the
            // patient's entries to open. The script fills the open entry from the one chosen, dates it (today's
            // by default, in the page's language) and lists the entries; without it, the form shows one entry.
            var diary = repeat is null ? null : WebRenderer.Obj(("title_id", Prefix + "entry_title"), ("date_id", Prefix + "entry_date"), ("list_title_id", Prefix + "entries_title"));
            return Draw("form.html",
                ("id", ws.Id), ("kind", Lower(ws.Kind.ToString())), ("repeat", repeat is { } r ? Lower(r.ToString()) : null),
                ("days", repeat == DiaryRepeat.Daily ? Days : null), ("script_strings", ScriptStrings()),
                ("required", AllFields(ws.Fields).Any(f => f.Required)), ("diary", diary),
                ("fields", ws.Fields.Select(f => FieldBlock(f, scope)).ToList()),
                ("words", Words("required-note", "noscript", "new-entry", "entry-date", "remove-entry", "add-entry", "entries", "no-entries")));
        }

        private int Days => Math.Max(ws.Days ?? 7, 1);

        private static IEnumerable<Field> AllFields(IEnumerable<Field> fields) => fields.SelectMany(f => f.Columns.Prepend(f));

        private string FieldBlock(Field f, string scope)
        {
            var id = $"{Prefix}{f.Id}{scope}";
            var body = f.Type switch
            {
                FieldType.Scale when ScaleAsRadios(f) => RadioScale(f, id),
                FieldType.Scale => RangeScale(f, id),
                FieldType.Boolean => Options(f, id, [("true", page.S("ws.yes")), ("false", page.S("ws.no"))], multiple: false),
                FieldType.Choice => Options(f, id, [.. f.Options.Select(o => (o.ValueText, page.T(o.Label)))], f.Multiple),
                FieldType.Table => Table(f, id),
                FieldType.Target => Target(f, id),
                _ => Control(f, id, ariaLabel: null, HelpId(f, id)),
            };
            return Draw("field.html", ("id", f.Id), ("type", TypeName(f.Type)), ("required", f.Required),
                ("control", f.Type == FieldType.Scale ? ScaleAsRadios(f) ? "radios" : "range" : null),
                ("numeric", f.Type == FieldType.Choice && f.HasNumericOptions), ("multiple", f.Type == FieldType.Choice && f.Multiple),
                ("rows", f.Type == FieldType.Table ? Rows(f).Count : null), ("rings", f.Type == FieldType.Target ? Rings(f) : null), ("body", body));
        }

        /// <summary>What every field's template is told of its label, help and ids.</summary>
        private (string, object?)[] Common(Field f, string id, params (string, object?)[] more) =>
        [
            ("id", id), ("label_id", id + "_label"), ("label", page.T(f.Label)), ("required", f.Required),
            ("help", f.Help is null ? null : page.T(f.Help)), ("help_id", HelpId(f, id)),
            ("words", Words("required", "clear", "range-hint", "not-answered", "target-hint", "choose")), .. more,
        ];

        private static string? HelpId(Field f, string id) => f.Help is null ? null : id + "_help";

        private static string? Join(params string?[] ids)
        {
            var joined = string.Join(' ', ids.Where(i => !string.IsNullOrEmpty(i)));
            return joined.Length > 0 ? joined : null;
        }

        // ---- one-control fields --------------------------------------------------------------

        /// <summary>A text, long text, number, date or time field; in a table's cell (with an <paramref name="ariaLabel"/>), its input alone.</summary>
        private string Control(Field f, string id, string? ariaLabel, string? helpId)
        {
            var unit = f.Type is FieldType.Number or FieldType.Integer or FieldType.Duration
                ? f.Unit is not null ? page.T(f.Unit) : f.Type == FieldType.Duration ? page.S("ws.minutes") : null
                : null;
            var number = f.Type is FieldType.Number or FieldType.Integer or FieldType.Duration;
            var whole = f.Type != FieldType.Number && (f.Step is null || f.Step % 1 == 0);
            unit = string.IsNullOrEmpty(unit) ? null : unit;
            return Draw("control.html", [.. Common(f, id,
                ("cell", ariaLabel is not null), ("aria_label", ariaLabel),
                ("kind", f.Type switch { FieldType.LongText => "textarea", _ when number => "number", _ => "input" }),
                ("input_type", f.Type switch { FieldType.Date => "date", FieldType.Time => "time", _ => "text" }),
                ("autocomplete", f.Type == FieldType.Text), ("rows", ariaLabel is null ? 4 : 2),
                ("inputmode", whole ? "numeric" : "decimal"), ("min", f.Min is { } min ? Num(min) : null), ("max", f.Max is { } max ? Num(max) : null),
                ("step", f.Step is > 0 ? Num(f.Step.Value) : f.Type == FieldType.Number ? "any" : "1"),
                ("unit", unit), ("unit_id", id + "_unit"), ("error_id", id + "_error"),
                ("described_by", number ? Join(helpId, unit is null ? null : id + "_unit", id + "_error") : Join(helpId)))]);
        }

        // ---- scales ------------------------------------------------------------------------------

        private string? ScaleText(Field f, double value)
        {
            var label = f.Labels.FirstOrDefault(l => Math.Abs(l.Value - value) < 1e-9);
            return label is null ? null : page.T(label.Text);
        }

        private string RadioScale(Field f, string id)
        {
            var values = ScaleValues(f);
            return Draw("scale-buttons.html", Common(f, id, ("described_by", HelpId(f, id)), ("count", values.Count),
                ("options", values.Select((v, i) => WebRenderer.Obj(("id", $"{id}_o{i}"), ("value", Num(v)), ("shown", Show(v)), ("text", ScaleText(f, v)))).ToList()),
                ("ends", Ends(f))));
        }

        /// <summary>The scale's labelled values, in order: the two ends at the two sides.</summary>
        private List<ScriptObject>? Ends(Field f)
        {
            var labels = f.Labels.OrderBy(l => l.Value).Select(l => WebRenderer.Obj(
                ("end", l.Value <= (f.Min ?? 0) + 1e-9 ? "min" : l.Value >= (f.Max ?? 10) - 1e-9 ? "max" : "mid"),
                ("value", Show(l.Value)), ("text", page.T(l.Text)))).ToList();
            return labels.Count == 0 ? null : labels;
        }

        private string RangeScale(Field f, string id)
        {
            var values = ScaleValues(f);
            var unit = f.Unit is null ? null : page.T(f.Unit);
            return Draw("scale-slider.html", Common(f, id, ("min", Num(values[0])), ("max", Num(values[^1])),
                ("step", Num(f.Step is > 0 ? f.Step.Value : 1)), ("value", Num(values[(values.Count - 1) / 2])),
                ("unit", string.IsNullOrEmpty(unit) ? null : unit), ("hint_id", id + "_hint"), ("ends_id", id + "_ends"), ("out_id", id + "_out"),
                ("described_by", Join(HelpId(f, id), f.Labels.Length > 0 ? id + "_ends" : null, id + "_hint")), ("ends", Ends(f))));
        }

        // ---- choices and yes/no ----------------------------------------------------------------

        private string Options(Field f, string id, IReadOnlyList<(string Value, string Label)> options, bool multiple) =>
            Draw("choice.html", Common(f, id, ("multiple", multiple), ("inline", f.Type == FieldType.Boolean), ("described_by", HelpId(f, id)),
                ("options", options.Select((o, i) => WebRenderer.Obj(("id", $"{id}_o{i}"), ("value", o.Value), ("label", o.Label))).ToList())));

        // ---- tables ------------------------------------------------------------------------------

        private IReadOnlyList<string?> Rows(Field f) =>
            f.RowLabels.Length > 0 ? [.. f.RowLabels.Select(page.T)] : [.. Enumerable.Repeat<string?>(null, Math.Max(f.RowCount ?? 1, 1))];

        private string Table(Field f, string id)
        {
            var columns = f.Columns.Select((col, c) => WebRenderer.Obj(("id", $"{id}_c{c}"), ("label", page.T(col.Label)), ("required", col.Required),
                ("help", col.Help is null ? null : page.T(col.Help)), ("help_id", col.Help is null ? null : $"{id}_c{c}_help"))).ToList();
            var rows = Rows(f).Select((label, r) =>
            {
                var rowName = label ?? page.S("ws.row").Replace("{n}", (r + 1).ToString(CultureInfo.InvariantCulture));
                var rowId = $"{id}_r{r + 1}";
                return WebRenderer.Obj(("number", r + 1), ("id", rowId), ("name", rowName), ("cells", f.Columns.Select((col, c) => Cell(col, $"{rowId}_c{c}",
                    page.T(col.Label), rowName, col.Help is null ? null : $"{id}_c{c}_help")).ToList()));
            }).ToList();
            return Draw("table.html", Common(f, id, ("described_by", HelpId(f, id)), ("columns", columns), ("rows", rows)));
        }

        /// <summary>A table's cell: a list to choose from (a scale, yes/no, a choice), boxes to tick (a choice of many), or the column's input.</summary>
        private ScriptObject Cell(Field col, string id, string colName, string rowName, string? helpId)
        {
            var ariaLabel = $"{colName} – {rowName}";
            IEnumerable<(string Value, string Label)>? options = col.Type switch
            {
                FieldType.Scale => ScaleValues(col).Select(v => (Num(v), ScaleText(col, v) is { } t ? $"{Show(v)} – {t}" : Show(v))),
                FieldType.Boolean => [("true", page.S("ws.yes")), ("false", page.S("ws.no"))],
                FieldType.Choice => col.Options.Select(o => (o.ValueText, page.T(o.Label))),
                _ => null,
            };
            var kind = options is null ? "control" : col.Type == FieldType.Choice && col.Multiple ? "checkboxes" : "select";
            return WebRenderer.Obj(("field", col.Id), ("type", TypeName(col.Type)), ("label", colName), ("help", col.Help is null ? null : page.T(col.Help)),
                ("numeric", col.Type == FieldType.Choice && col.HasNumericOptions), ("multiple", col.Type == FieldType.Choice && col.Multiple),
                ("kind", kind), ("id", id), ("aria_label", ariaLabel), ("described_by", helpId), ("required", col.Required),
                ("options", options?.Select((o, i) => WebRenderer.Obj(("id", $"{id}_o{i}"), ("value", o.Value), ("label", o.Label))).ToList()),
                ("control", kind == "control" ? Control(col, id, ariaLabel, helpId) : null));
        }

        // ---- the Bull's-eye --------------------------------------------------------------------

        private static int Rings(Field f) => Math.Clamp(f.Rings ?? 4, 1, 20);

        private const double Radius = 100;

        private string Target(Field f, string id)
        {
            var rings = Rings(f);
            var areas = f.Areas.Select((area, a) =>
            {
                var aid = $"{id}_a{a}";
                return WebRenderer.Obj(("id", area.Id), ("number", a + 1), ("label", page.T(area.Label)), ("label_id", aid + "_label"),
                    ("rings", Enumerable.Range(1, rings).Select(k => WebRenderer.Obj(("id", $"{aid}_r{k}"), ("name", aid), ("value", k),
                        ("text", (k == 1 ? page.S("ws.ring-centre") : k == rings ? page.S("ws.ring-outer") : "{n}").Replace("{n}", k.ToString(CultureInfo.InvariantCulture))))).ToList()));
            }).ToList();
            return Draw("target.html", Common(f, id, ("described_by", Join(HelpId(f, id), id + "_hint")), ("hint_id", id + "_hint"),
                ("areas", areas), ("picture", TargetPicture(f.Areas, rings))));
        }

        /// <summary>The geometry of the Bull's-eye's picture: its box, each area's cells and dots by ring, the lines between areas, the areas' names.</summary>
        private ScriptObject TargetPicture(IReadOnlyList<TargetArea> areas, int rings)
        {
            var n = Math.Max(areas.Count, 1);
            var sector = 360.0 / n;
            var width = Radius / rings;
            var labels = new List<ScriptObject>();
            double left = -Radius - 4, right = Radius + 4, top = -Radius - 4, bottom = Radius + 4;
            for (var a = 0; a < areas.Count; a++)
            {
                var (x0, y0, x1, y1) = AreaLabel(labels, a + 1, page.T(areas[a].Label), -90 + (a + 0.5) * sector);
                (left, right, top, bottom) = (Math.Min(left, x0), Math.Max(right, x1), Math.Min(top, y0), Math.Max(bottom, y1));
            }
            var sectors = areas.Select((area, a) =>
            {
                var a0 = -90 + a * sector;
                var a1 = a0 + sector;
                var mid = (a0 + a1) / 2;
                var cells = Enumerable.Range(1, rings).Reverse().Select(k => WebRenderer.Obj(("ring", k), ("alt", k % 2 == 0), ("centre", k == 1),
                    ("d", SectorPath((k - 1) * width, k * width, a0, a1)))).ToList();
                var dots = Enumerable.Range(1, rings).Select(k =>
                {
                    var (x, y) = Point(k == 1 ? (n == 1 ? 0 : width * 0.55) : (k - 0.5) * width, mid);
                    return WebRenderer.Obj(("ring", k), ("x", Svg(x)), ("y", Svg(y)), ("r", Svg(Math.Min(8, Math.Max(4.5, width * 0.32)))));
                }).ToList();
                return WebRenderer.Obj(("area", area.Id), ("cells", cells), ("dots", dots));
            }).ToList();
            // Lines between the sectors, drawn over the rings.
            var lines = areas.Count <= 1 ? [] : Enumerable.Range(0, areas.Count).Select(a =>
            {
                var (x, y) = Point(Radius, -90 + a * sector);
                return WebRenderer.Obj(("x", Svg(x)), ("y", Svg(y)));
            }).ToList();
            return WebRenderer.Obj(("view_box", $"{Svg(left)} {Svg(top)} {Svg(right - left)} {Svg(bottom - top)}"), ("sectors", sectors), ("lines", lines), ("labels", labels));
        }

        /// <summary>
        /// An area's number and name outside the rings, wrapped to a few short lines; returns the box it
        /// takes, roughly (15-unit bold text), so that the picture can be made to hold it.
        /// </summary>
        private static (double Left, double Top, double Right, double Bottom) AreaLabel(List<ScriptObject> labels, int number, string label, double angle)
        {
            const double lineHeight = 17, ascent = 12, charWidth = 8.8;
            var lines = Html.Wrap($"{number}. {label}", 14);
            var (x, y) = Point(Radius + 10, angle);
            var anchor = Math.Abs(x) < 15 ? "middle" : x > 0 ? "start" : "end";
            double first;
            if (Math.Abs(y) < 20) first = y - (lines.Count - 1) * lineHeight / 2 + 5;
            else if (y < 0) first = y - (lines.Count - 1) * lineHeight;
            else first = y + ascent;
            labels.Add(WebRenderer.Obj(("anchor", anchor), ("x", Svg(x)), ("y", Svg(first)),
                ("lines", lines.Select((text, i) => WebRenderer.Obj(("dy", i > 0 ? Svg(lineHeight) : null), ("text", text))).ToList())));
            var w = lines.Max(l => l.Length) * charWidth;
            var (l0, r0) = anchor switch { "start" => (x, x + w), "end" => (x - w, x), _ => (x - w / 2, x + w / 2) };
            return (l0 - 4, first - ascent - 4, r0 + 4, first + (lines.Count - 1) * lineHeight + 6);
        }

        private static (double X, double Y) Point(double r, double degrees)
        {
            var rad = degrees * Math.PI / 180;
            return (r * Math.Cos(rad), r * Math.Sin(rad));
        }

        /// <summary>An annular sector (a pie slice when the inner radius is 0); a whole ring when it spans 360°.</summary>
        private static string SectorPath(double r0, double r1, double a0, double a1)
        {
            if (a1 - a0 >= 359.999)
            {
                // Two half arcs for each circle; even-odd leaves the hole.
                var outer = $"M {Svg(r1)} 0 A {Svg(r1)} {Svg(r1)} 0 1 1 {Svg(-r1)} 0 A {Svg(r1)} {Svg(r1)} 0 1 1 {Svg(r1)} 0 Z";
                return r0 <= 0 ? outer : outer + $" M {Svg(r0)} 0 A {Svg(r0)} {Svg(r0)} 0 1 0 {Svg(-r0)} 0 A {Svg(r0)} {Svg(r0)} 0 1 0 {Svg(r0)} 0 Z";
            }
            var large = a1 - a0 > 180 ? 1 : 0;
            var (ox0, oy0) = Point(r1, a0);
            var (ox1, oy1) = Point(r1, a1);
            var sb = new StringBuilder();
            if (r0 <= 0) sb.Append("M 0 0 L ");
            else
            {
                var (ix0, iy0) = Point(r0, a0);
                sb.Append("M ").Append(Svg(ix0)).Append(' ').Append(Svg(iy0)).Append(" L ");
            }
            sb.Append(Svg(ox0)).Append(' ').Append(Svg(oy0)).Append(" A ").Append(Svg(r1)).Append(' ').Append(Svg(r1)).Append(" 0 ").Append(large).Append(" 1 ")
                .Append(Svg(ox1)).Append(' ').Append(Svg(oy1));
            if (r0 > 0)
            {
                var (ix1, iy1) = Point(r0, a1);
                sb.Append(" L ").Append(Svg(ix1)).Append(' ').Append(Svg(iy1)).Append(" A ").Append(Svg(r0)).Append(' ').Append(Svg(r0)).Append(" 0 ").Append(large)
                    .Append(" 0 ");
                var (ix0, iy0) = Point(r0, a0);
                sb.Append(Svg(ix0)).Append(' ').Append(Svg(iy0));
            }
            return sb.Append(" Z").ToString();
        }

        // ---- small helpers ---------------------------------------------------------------------

        /// <summary>The interface words worksheets.js needs, as JSON for a data attribute.</summary>
        private string ScriptStrings()
        {
            string[] keys = ["ws.entry", "ws.day", "ws.new-entry", "ws.today", "ws.entry-opened", "ws.entry-added", "ws.entry-removed", "ws.confirm-remove",
                "ws.days-written", "ws.answers-count", "ws.not-answered", "ws.decimal-separator",
                "ws.error-number", "ws.error-integer", "ws.error-range", "ws.error-min", "ws.error-max", "ws.error-step", "ws.cleared"];
            var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in keys) map[key[3..]] = page.S(key);
            return JsonSerializer.Serialize(map);
        }

        private string Show(double value) => Num(value).Replace(".", page.S("ws.decimal-separator"));

        private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        private static string Svg(double value) => (Math.Round(value, 2) + 0.0).ToString("0.##", CultureInfo.InvariantCulture);

        private static string Lower(string s) => s.ToLowerInvariant();

        private static string TypeName(FieldType type) => type.ToString().ToLowerInvariant();
    }
}

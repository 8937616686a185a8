using System.Globalization;
using ContentEngine.Model;
using ContentEngine.Rendering.Web;
using Scriban.Runtime;

namespace ContentEngine.Rendering.Print;

/// <summary>
/// A worksheet as a paper form to fill in with a pen: lines to write on, boxes to tick, numbers to
/// circle, a line to mark, boxes for the digits of dates and times, empty tables and the Bull's-eye
/// to draw on. A diary is a grid on one page: a row per day (a week to a page), week or entry, each
/// with its date to fill in, and a column per field; a diary whose fields cannot sit in a cell (a
/// table, the Bull's-eye) prints a block per row instead. The worksheet's title is not included: the
/// caller prints it.
/// </summary>
/// <remarks>
/// The markup comes from the theme's <c>templates/paper/</c> templates (a program may override each);
/// the built-in ones' is well-formed (every element closed, no entities but the escaped five) and styled by
/// the theme's print/fields.css through classes prefixed <c>ce-paper-</c>. Each field is a
/// <c>div.ce-paper-field</c> with <c>data-field</c> and <c>data-type</c>, which a page never breaks.
/// No element has an id, so a worksheet can be printed many times in one document.
/// </remarks>
public static class PaperForm
{
    /// <summary>A scale whose range is at least this wide is a line to mark (a visual analogue scale) rather than numbers to circle.</summary>
    public const double LineScaleRange = 20;

    /// <summary>The length of a scale's line on paper.</summary>
    public const double LineLengthMm = 100;

    /// <summary>The lines a long text gets on a form: a short paragraph in a patient's hand.</summary>
    public const int LongTextLines = 5;

    /// <summary>Blocks printed for a diary that is filled in per entry.</summary>
    public const int EntryBlocks = 3;

    /// <summary>The radius of the Bull's-eye's outer ring: a target of 90 mm across.</summary>
    public const double TargetRadiusMm = 45;

    /// <summary>The height of the Bull's-eye's labels in normal print (10.6 pt); large print scales it.</summary>
    public const double TargetLabelMm = 3.75;

    /// <summary>The width the Bull's-eye with its labels keeps within: the narrowest text block (A4's), less a little.</summary>
    private const double TargetWidthMm = 165;

    public static string Render(Worksheet ws, PageContext page) => new Writer(ws, page).Form();

    /// <summary>Whether a scale is drawn as a line (max − min ≥ 20) rather than a row of numbers.</summary>
    public static bool ScaleAsLine(Field field) => (field.Max ?? 10) - (field.Min ?? 0) >= LineScaleRange;

    /// <summary>How many blocks a worksheet prints: 1 for a form; days, weeks or entries for a diary.</summary>
    public static int Blocks(Worksheet ws) => ws.Kind != WorksheetKind.Diary ? 1 : (ws.Repeat ?? DiaryRepeat.Entry) switch
    {
        DiaryRepeat.Daily => Math.Max(ws.Days ?? 7, 1),
        DiaryRepeat.Weekly => Math.Max((ws.Days ?? 7) / 7, 1),
        _ => EntryBlocks,
    };

    /// <summary>The rows of a diary's grid on one page: a week of days.</summary>
    public const int RowsPerPage = 7;

    /// <summary>
    /// Whether a diary prints as a grid: every field fits in a cell (no table, no Bull's-eye, no scale drawn
    /// as a line), and its columns, at the print size (<paramref name="scale"/>: 4/3 in large print), fit
    /// across the page without breaking the words of their headings.
    /// </summary>
    public static bool AsGrid(Worksheet ws, double scale = 1) =>
        ws.Kind == WorksheetKind.Diary && ws.Fields.Length > 0
        && ws.Fields.All(f => f.Type is not (FieldType.Table or FieldType.Target) && !(f.Type == FieldType.Scale && ScaleAsLine(f)))
        && (DayColumnWidth + ws.Fields.Sum(ColumnWidth)) * scale <= GridWidthMm;

    /// <summary>The widest a grid's columns may add up to (<see cref="ColumnWidth"/>, at the print size): a little more than the text block, which they are fitted to.</summary>
    internal const double GridWidthMm = 190;

    /// <summary>
    /// The share of the grid's width a field's column takes, in millimetres before the grid is fitted
    /// to the text block: room for a word or two, a time, ticks, or the numbers of a scale to circle.
    /// </summary>
    internal const double DayColumnWidth = 24;

    internal static double ColumnWidth(Field f) => f.Type switch
    {
        FieldType.Text => 42,
        FieldType.LongText => 56,
        FieldType.Time => 17,
        FieldType.Date => 24,
        FieldType.Boolean => 15,
        FieldType.Choice => 34,
        FieldType.Scale => Math.Max(WorksheetForm.ScaleValues(f).Count * 4.6 + 3, 17),
        _ => 19,
    };

    /// <summary>The height of a grid's row: enough to write a line of text, more for a long text or a list of options, never so much that a week leaves its page.</summary>
    internal static double RowHeight(Worksheet ws) => Math.Clamp(ws.Fields.Max(f => f.Type switch
    {
        FieldType.LongText => 26,
        FieldType.Text => 16,
        FieldType.Choice => f.Options.Length * 4.2 + 3,
        _ => 15,
    }), 15, 26);

    private sealed class Writer(Worksheet ws, PageContext page)
    {
        private readonly Theme _theme = page.Theme;

        private bool InDiary => ws.Kind == WorksheetKind.Diary;

        /// <summary>A template of the theme's <c>templates/paper/</c> folder, drawn with its model.</summary>
        private string Draw(string template, params (string Key, object? Value)[] model) =>
            WebRenderer.Render(_theme.Template("paper/" + template), WebRenderer.Obj(model));

        public string Form()
        {
            var repeat = InDiary ? ws.Repeat ?? DiaryRepeat.Entry : (DiaryRepeat?)null;
            var grid = repeat is not null && AsGrid(ws, page.PrintScale);
            var key = repeat switch { DiaryRepeat.Daily => "print-day", DiaryRepeat.Weekly => "print-week", _ => "print-entry" };
            // A form's fields, or a diary's fields repeated in a block per day, week or entry: the same in every block (no ids).
            var fields = grid ? [] : ws.Fields.Select(FieldBlock).ToList();
            return Draw("form.html", ("id", ws.Id), ("kind", Lower(ws.Kind)), ("repeat", repeat is { } r ? Lower(r) : null), ("blocks", Blocks(ws)),
                ("required", ws.Fields.SelectMany(f => f.Columns.Prepend(f)).Any(f => f.Required)), ("required_note", page.S("ws.required-note")),
                ("fields", fields), ("grid", grid ? Grid(repeat!.Value, key) : null),
                ("repeats", repeat is null || grid ? null : Enumerable.Range(1, Blocks(ws)).Select(n => WebRenderer.Obj(("number", n), ("title", Fill(page.S(key), Int(n))))).ToList()),
                ("date_label", page.S("print-date")), ("date_boxes", repeat is null || grid ? null : DateBoxes()));
        }

        /// <summary>
        /// The diary as a grid: a table per week (or per seven weeks or entries), never broken across
        /// pages, with the fields as columns and a row per day holding its name and a place for the date.
        /// </summary>
        private string Grid(DiaryRepeat rep, string key)
        {
            var blocks = Blocks(ws);
            var total = DayColumnWidth + ws.Fields.Sum(ColumnWidth);
            var pages = new List<ScriptObject>();
            for (var first = 1; first <= blocks; first += RowsPerPage)
            {
                var last = Math.Min(first + RowsPerPage - 1, blocks);
                pages.Add(WebRenderer.Obj(("rows", last - first + 1),
                    ("title", blocks > RowsPerPage && rep == DiaryRepeat.Daily ? Fill(page.S("print-week"), Int((first - 1) / RowsPerPage + 1)) : null),
                    ("entries", Enumerable.Range(first, last - first + 1).Select(n => WebRenderer.Obj(("number", n), ("name", Fill(page.S(key), Int(n))))).ToList())));
            }
            var columns = ws.Fields.Select(f => Column(f, f.Type switch
            {
                FieldType.Choice => f.Multiple ? page.S("print-choose-any") : null,
                FieldType.Scale => WorksheetForm.ScaleValues(f).Count <= 11 ? page.S("print-circle-one") : ColumnHint(f),
                FieldType.Boolean => null,
                _ => ColumnHint(f),
            }, Cell(f), ("width", Svg(ColumnWidth(f) / total * 100)))).ToList();
            // Under the grid, what the ends of its scales mean: "How much pain: 0 No pain – 10 Worst pain imaginable".
            var notes = ws.Fields.Where(f => f.Type == FieldType.Scale && f.Labels.Length > 0).Select(f => WebRenderer.Obj(("label", page.T(f.Label)),
                ("text", string.Join(" · ", f.Labels.OrderBy(l => l.Value).Select(l => $"{Show(l.Value)} = {page.T(l.Text)}"))),
                ("unit", f.Unit is not null && page.T(f.Unit) is { Length: > 0 } unit ? unit : null))).ToList();
            return Draw("grid.html", ("pages", pages), ("row_height", Svg(RowHeight(ws))), ("day_width", Svg(DayColumnWidth / total * 100)),
                ("columns", columns), ("notes", notes), ("date_label", page.S("print-date")));
        }

        /// <summary>A column of a grid or a table: its header's words, and what each of its cells holds.</summary>
        private ScriptObject Column(Field f, string? hint, string? cell, params (string, object?)[] more) => WebRenderer.Obj(
        [
            ("id", f.Id), ("type", Lower(f.Type)), ("label", page.T(f.Label)), ("required", f.Required), ("hint", hint is { Length: > 0 } ? hint : null),
            ("help", f.Help is null ? null : page.T(f.Help)), ("cell", cell), .. more,
        ]);

        /// <summary>What a grid's cell holds: the numbers of a scale to circle, yes and no or the options to tick; empty to write in.</summary>
        private string? Cell(Field f) => f.Type switch
        {
            FieldType.Scale when WorksheetForm.ScaleValues(f) is { Count: <= 11 } values => Draw("circles.html", ("values", values.Select(Show).ToList())),
            FieldType.Boolean => Options([page.S("ws.yes"), page.S("ws.no")], "ce-paper-options ce-paper-options-cell"),
            FieldType.Choice => Options([.. f.Options.Select(o => page.T(o.Label))], "ce-paper-options ce-paper-options-cell"),
            FieldType.Time => Draw("time-cell.html"),
            _ => null,
        };

        private string FieldBlock(Field f)
        {
            var body = f.Type switch
            {
                FieldType.Text => Lines(1),
                FieldType.LongText => Lines(InDiary ? 3 : LongTextLines),
                FieldType.Number or FieldType.Integer or FieldType.Duration => Draw("number.html", ("unit", Unit(f) is { Length: > 0 } u ? u : null), ("limits", Limits(f, Unit(f)))),
                FieldType.Date => DateBoxes(),
                FieldType.Time => Draw("time.html", ("hours", page.S("print-time-hours")), ("minutes", page.S("print-time-minutes"))),
                FieldType.Scale when ScaleAsLine(f) => LineScale(f),
                FieldType.Scale => NumberedScale(f),
                FieldType.Boolean => Options([page.S("ws.yes"), page.S("ws.no")], "ce-paper-options ce-paper-options-inline"),
                FieldType.Choice => Options([.. f.Options.Select(o => page.T(o.Label))], "ce-paper-options", f.Multiple ? page.S("print-choose-any") : null),
                FieldType.Table => Table(f),
                FieldType.Target => Target(f),
                _ => "",
            };
            return Draw("field.html", ("id", f.Id), ("type", Lower(f.Type)), ("required", f.Required), ("label", page.T(f.Label)),
                ("help", f.Help is null ? null : page.T(f.Help)), ("answer", f.Type is FieldType.Number or FieldType.Integer or FieldType.Duration or FieldType.Date or FieldType.Time),
                ("body", body));
        }

        // ---- writing -------------------------------------------------------------------------------

        private string Lines(int count) => Draw("lines.html", ("count", count));

        private string? Unit(Field f) =>
            f.Unit is not null ? page.T(f.Unit) : f.Type == FieldType.Duration ? page.S("print-minutes.other") : null;

        /// <summary>"0–14 hours", "at least 0", "at most 24 h", or null without limits.</summary>
        private string? Limits(Field f, string? unit)
        {
            string? range = (f.Min, f.Max) switch
            {
                ({ } min, { } max) => Fill(page.S("print-range"), Show(min), Show(max)),
                ({ } min, null) => Fill(page.S("print-at-least"), Show(min)),
                (null, { } max) => Fill(page.S("print-at-most"), Show(max)),
                _ => null,
            };
            return range is null || string.IsNullOrEmpty(unit) ? range : $"{range} {unit}";
        }

        /// <summary>Boxes for the digits of a date, year first: ____-__-__.</summary>
        private string DateBoxes() =>
            Draw("date.html", ("year", page.S("print-date-year")), ("month", page.S("print-date-month")), ("day", page.S("print-date-day")));

        // ---- ticking ----------------------------------------------------------------------------------

        private string Options(IReadOnlyList<string> labels, string cls, string? hint = null) =>
            Draw("options.html", ("class", cls), ("labels", labels), ("hint", hint));

        // ---- scales ------------------------------------------------------------------------------------

        private string? ScaleUnit(Field f) => f.Unit is not null && page.T(f.Unit) is { Length: > 0 } unit ? unit : null;

        /// <summary>The values min..max to circle, with the labels under their values: the ends at the two sides.</summary>
        private string NumberedScale(Field f)
        {
            var values = WorksheetForm.ScaleValues(f);
            var n = values.Count;
            var half = Math.Max(n / 2, 1);
            var labels = f.Labels.OrderBy(l => l.Value).Select(l => (Index: IndexOf(values, l.Value), l.Text)).Where(l => l.Index >= 0).Select(l =>
            {
                var (end, start, stop) = l.Index == 0 && n > 1 ? ("min", 1, 1 + half)
                    : l.Index == n - 1 && n > 1 ? ("max", n - half + 1, n + 1)
                    : ("mid", Math.Max(l.Index, 1), Math.Min(l.Index + 2, n) + 1);
                return WebRenderer.Obj(("end", end), ("start", start), ("stop", stop), ("text", page.T(l.Text)));
            }).ToList();
            return Draw("scale-numbers.html", ("hint", page.S("print-circle-one")), ("count", n), ("values", values.Select(Show).ToList()),
                ("labels", labels.Count > 0 ? labels : null), ("unit", ScaleUnit(f)));
        }

        private static int IndexOf(IReadOnlyList<double> values, double value)
        {
            for (var i = 0; i < values.Count; i++)
                if (Math.Abs(values[i] - value) < 1e-9) return i;
            return -1;
        }

        /// <summary>A 100 mm line with ticks at its ends (and at labelled values between), the labels at their places.</summary>
        private string LineScale(Field f)
        {
            var min = f.Min ?? 0;
            var max = f.Max ?? 10;
            var labels = f.Labels.OrderBy(l => l.Value).ToList();
            var middle = labels.Where(l => l.Value > min + 1e-9 && l.Value < max - 1e-9)
                .Select(l => WebRenderer.Obj(("left", Percent(l.Value, min, max)), ("value", Show(l.Value)), ("text", page.T(l.Text)))).ToList();
            ScriptObject End(string end, double value) =>
                WebRenderer.Obj(("end", end), ("value", Show(value)), ("text", labels.FirstOrDefault(l => Math.Abs(l.Value - value) < 1e-9) is { } label ? page.T(label.Text) : null));
            return Draw("scale-line.html", ("min", Num(min)), ("max", Num(max)), ("mids", middle.Count > 0 ? middle : null),
                ("ends", new List<ScriptObject> { End("min", min), End("max", max) }), ("unit", ScaleUnit(f)));
        }

        private static string Percent(double value, double min, double max) =>
            max > min ? Svg((value - min) / (max - min) * 100) : "0";

        // ---- tables ----------------------------------------------------------------------------------

        /// <summary>An empty table: the columns' headers with hints, and a row per row label or <c>rows</c> empty rows.</summary>
        private string Table(Field f)
        {
            var labelled = f.RowLabels.Length > 0;
            var columns = f.Columns.Select(col => Column(col, ColumnHint(col), col.Type switch
            {
                FieldType.Boolean => Options([page.S("ws.yes"), page.S("ws.no")], "ce-paper-options ce-paper-options-inline ce-paper-options-cell"),
                FieldType.Choice => Options([.. col.Options.Select(o => page.T(o.Label))], "ce-paper-options ce-paper-options-cell"),
                _ => null,
            })).ToList();
            var rows = Enumerable.Range(0, labelled ? f.RowLabels.Length : Math.Max(f.RowCount ?? 1, 1))
                .Select(r => WebRenderer.Obj(("number", r + 1), ("label", labelled ? page.T(f.RowLabels[r]) : null))).ToList();
            return Draw("table.html", ("labelled", labelled), ("tall", f.Columns.Any(c => c.Type == FieldType.LongText)), ("columns", columns), ("rows", rows));
        }

        /// <summary>What to write in a column's cells: "yyyy-mm-dd", "hh:mm", a unit with limits, a scale's range and labels.</summary>
        private string? ColumnHint(Field col)
        {
            switch (col.Type)
            {
                case FieldType.Date:
                    return $"{page.S("print-date-year")}-{page.S("print-date-month")}-{page.S("print-date-day")}";
                case FieldType.Time:
                    return $"{page.S("print-time-hours")}:{page.S("print-time-minutes")}";
                case FieldType.Number:
                case FieldType.Integer:
                case FieldType.Duration:
                    var unit = Unit(col);
                    return Limits(col, unit) ?? unit;
                case FieldType.Scale:
                    var values = WorksheetForm.ScaleValues(col);
                    if (values.Count == 0) return null;
                    var text = Fill(page.S("print-range"), Show(values[0]), Show(values[^1]));
                    if (col.Unit is not null) text += " " + page.T(col.Unit);
                    var labels = col.Labels.OrderBy(l => l.Value).Select(l => $"{Show(l.Value)} = {page.T(l.Text)}").ToList();
                    return labels.Count == 0 ? text : $"{text}: {string.Join(", ", labels)}";
                default:
                    return null;
            }
        }

        // ---- the Bull's-eye ----------------------------------------------------------------------------

        /// <summary>
        /// Concentric rings with a line between each two areas and the areas' numbered names outside,
        /// at the middle of their sectors, as the web form draws it; in millimetres, 90 mm across.
        /// </summary>
        private string Target(Field f)
        {
            // Labels 3.75 mm high (10.6 pt), a third larger in large print, wrapped to stay beside the target on the page.
            var fontSize = TargetLabelMm * page.PrintScale;
            double lineHeight = fontSize * 1.26, charWidth = fontSize * 0.53;
            const double gap = 3;
            var wrap = Math.Max((int)(((TargetWidthMm / 2) - TargetRadiusMm - gap - 1) / charWidth), 10);
            var rings = Math.Clamp(f.Rings ?? 4, 1, 20);
            var areas = f.Areas;
            var n = Math.Max(areas.Length, 1);
            var sector = 360.0 / n;
            const double radius = TargetRadiusMm;

            var labels = new List<ScriptObject>();
            double left = -radius - 2, right = radius + 2, top = -radius - 2, bottom = radius + 2;
            for (var a = 0; a < areas.Length; a++)
            {
                var angle = -90 + (a + 0.5) * sector;
                var lines = Html.Wrap($"{a + 1}. {page.T(areas[a].Label)}", wrap);
                var (x, y) = Point(radius + gap, angle);
                var anchor = Math.Abs(x) < 6 ? "middle" : x > 0 ? "start" : "end";
                var first = Math.Abs(y) < 8 ? y - (lines.Count - 1) * lineHeight / 2 + fontSize / 3
                    : y < 0 ? y - (lines.Count - 1) * lineHeight
                    : y + fontSize;
                labels.Add(WebRenderer.Obj(("anchor", anchor), ("x", Svg(x)), ("y", Svg(first)),
                    ("lines", lines.Select((text, i) => WebRenderer.Obj(("dy", i > 0 ? Svg(lineHeight) : null), ("text", text))).ToList())));
                var w = lines.Max(l => l.Length) * charWidth;
                var (l0, r0) = anchor switch { "start" => (x, x + w), "end" => (x - w, x), _ => (x - w / 2, x + w / 2) };
                left = Math.Min(left, l0 - 1);
                right = Math.Max(right, r0 + 1);
                top = Math.Min(top, first - fontSize - 1);
                bottom = Math.Max(bottom, first + (lines.Count - 1) * lineHeight + 1.5);
            }

            var width = right - left;
            var height = bottom - top;
            var circles = Enumerable.Range(1, rings).Reverse().Select(k => WebRenderer.Obj(("ring", k), ("r", Svg(k * radius / rings)), ("stroke", k == rings ? "0.5" : "0.3"))).ToList();
            var dividers = areas.Length <= 1 ? [] : Enumerable.Range(0, areas.Length).Select(a =>
            {
                var (x, y) = Point(radius, -90 + a * sector);
                return WebRenderer.Obj(("x", Svg(x)), ("y", Svg(y)));
            }).ToList();
            return Draw("target.html", ("hint", page.S("print-target-hint")), ("rings", rings), ("areas", areas.Length), ("label", page.T(f.Label)),
                ("view_box", $"{Svg(left)} {Svg(top)} {Svg(width)} {Svg(height)}"), ("width", Svg(width)), ("height", Svg(height)), ("font_size", Svg(fontSize)),
                ("circles", circles), ("lines", dividers), ("labels", labels));
        }

        private static (double X, double Y) Point(double r, double degrees)
        {
            var rad = degrees * Math.PI / 180;
            return (r * Math.Cos(rad), r * Math.Sin(rad));
        }

        // ---- small helpers ---------------------------------------------------------------------------

        private static string Fill(string template, params string[] args) => ConditionWords.Fill(template, args);

        /// <summary>A number as the reader writes it: the locale's decimal separator.</summary>
        private string Show(double value) => Num(value).Replace(".", page.S("ws.decimal-separator"));

        private static string Num(double value) => (value + 0.0).ToString("R", CultureInfo.InvariantCulture);

        private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Svg(double value) => (Math.Round(value, 2) + 0.0).ToString("0.##", CultureInfo.InvariantCulture);

        private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
    }
}

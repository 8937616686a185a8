using System.Globalization;
using System.Text;
using ContentEngine.Model;
using ContentEngine.Rendering.Web;

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
/// The markup is well-formed (every element closed, no entities but the escaped five) and styled by
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

    /// <summary>Whether a diary prints as a grid: every field fits in a cell (no table, no Bull's-eye, no scale drawn as a line).</summary>
    public static bool AsGrid(Worksheet ws) =>
        ws.Kind == WorksheetKind.Diary && ws.Fields.Length > 0
        && ws.Fields.All(f => f.Type is not (FieldType.Table or FieldType.Target) && !(f.Type == FieldType.Scale && ScaleAsLine(f)));

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
        private readonly StringBuilder _sb = new();

        private bool InDiary => ws.Kind == WorksheetKind.Diary;

        public string Form()
        {
            var repeat = InDiary ? ws.Repeat ?? DiaryRepeat.Entry : (DiaryRepeat?)null;
            _sb.Append("<div class=\"ce-paper-form\" data-worksheet=\"").Append(Html.Attr(ws.Id)).Append("\" data-kind=\"").Append(Lower(ws.Kind)).Append('"');
            if (repeat is { } r) _sb.Append(" data-repeat=\"").Append(Lower(r)).Append("\" data-blocks=\"").Append(Blocks(ws)).Append('"');
            _sb.Append(">\n");

            if (ws.Fields.SelectMany(f => f.Columns.Prepend(f)).Any(f => f.Required))
                _sb.Append("<p class=\"ce-paper-required-note\"><span class=\"ce-paper-req\">*</span> ").Append(Html.Text(page.S("ws.required-note"))).Append("</p>\n");

            if (repeat is not { } rep)
                Fields();
            else if (AsGrid(ws))
                Grid(rep);
            else
            {
                var key = rep switch { DiaryRepeat.Daily => "print-day", DiaryRepeat.Weekly => "print-week", _ => "print-entry" };
                for (var n = 1; n <= Blocks(ws); n++)
                {
                    _sb.Append("<section class=\"ce-paper-repeat\" data-entry=\"").Append(n).Append("\">\n<div class=\"ce-paper-repeat-head\">")
                        .Append("<h4 class=\"ce-paper-repeat-title\">").Append(Html.Text(Fill(page.S(key), Int(n)))).Append("</h4>")
                        .Append("<div class=\"ce-paper-repeat-date\"><span class=\"ce-paper-inline-label\">").Append(Html.Text(page.S("print-date"))).Append("</span> ");
                    DateBoxes();
                    _sb.Append("</div></div>\n");
                    Fields();
                    _sb.Append("</section>\n");
                }
            }
            _sb.Append("</div>\n");
            return _sb.ToString();
        }

        /// <summary>
        /// The diary as a grid: a table per week (or per seven weeks or entries), never broken across
        /// pages, with the fields as columns and a row per day holding its name and a place for the date.
        /// </summary>
        private void Grid(DiaryRepeat rep)
        {
            var key = rep switch { DiaryRepeat.Daily => "print-day", DiaryRepeat.Weekly => "print-week", _ => "print-entry" };
            var blocks = Blocks(ws);
            var total = DayColumnWidth + ws.Fields.Sum(ColumnWidth);
            var row = RowHeight(ws);
            for (var first = 1; first <= blocks; first += RowsPerPage)
            {
                var last = Math.Min(first + RowsPerPage - 1, blocks);
                _sb.Append("<div class=\"ce-paper-grid\" data-rows=\"").Append(last - first + 1).Append("\" style=\"--ce-paper-row: ").Append(Svg(row)).Append("mm\">\n");
                if (blocks > RowsPerPage && rep == DiaryRepeat.Daily)
                    _sb.Append("<p class=\"ce-paper-grid-title\">").Append(Html.Text(Fill(page.S("print-week"), Int((first - 1) / RowsPerPage + 1)))).Append("</p>\n");
                _sb.Append("<table class=\"ce-paper-diary\" data-columns=\"").Append(ws.Fields.Length).Append("\">\n<colgroup><col style=\"width: ")
                    .Append(Svg(DayColumnWidth / total * 100)).Append("%\"/>");
                foreach (var f in ws.Fields) _sb.Append("<col style=\"width: ").Append(Svg(ColumnWidth(f) / total * 100)).Append("%\"/>");
                _sb.Append("</colgroup>\n<thead><tr><td class=\"ce-paper-corner\"></td>");
                foreach (var f in ws.Fields)
                {
                    _sb.Append("<th scope=\"col\" class=\"ce-paper-col\" data-field=\"").Append(Html.Attr(f.Id)).Append("\" data-type=\"").Append(Lower(f.Type)).Append("\">")
                        .Append(Html.Text(page.T(f.Label)));
                    if (f.Required) _sb.Append("<span class=\"ce-paper-req\">\u00A0*</span>");
                    var hint = f.Type switch
                    {
                        FieldType.Choice => f.Multiple ? page.S("print-choose-any") : null,
                        FieldType.Scale => WorksheetForm.ScaleValues(f).Count <= 11 ? page.S("print-circle-one") : ColumnHint(f),
                        FieldType.Boolean => null,
                        _ => ColumnHint(f),
                    };
                    if (hint is { Length: > 0 }) _sb.Append("<span class=\"ce-paper-col-hint\">").Append(Html.Text(hint)).Append("</span>");
                    if (f.Help is not null) _sb.Append("<span class=\"ce-paper-col-help\">").Append(Html.Text(page.T(f.Help))).Append("</span>");
                    _sb.Append("</th>");
                }
                _sb.Append("</tr></thead>\n<tbody>\n");
                for (var n = first; n <= last; n++)
                {
                    _sb.Append("<tr class=\"ce-paper-row\" data-entry=\"").Append(n).Append("\"><th scope=\"row\" class=\"ce-paper-row-label\"><span class=\"ce-paper-row-name\">")
                        .Append(Html.Text(Fill(page.S(key), Int(n)))).Append("</span><span class=\"ce-paper-row-date\">").Append(Html.Text(page.S("print-date")))
                        .Append("</span></th>");
                    foreach (var f in ws.Fields)
                    {
                        _sb.Append("<td class=\"ce-paper-cell\" data-field=\"").Append(Html.Attr(f.Id)).Append("\">");
                        Cell(f);
                        _sb.Append("</td>");
                    }
                    _sb.Append("</tr>\n");
                }
                _sb.Append("</tbody>\n</table>\n");
                _sb.Append(ScaleEnds());
                _sb.Append("</div>\n");
            }
        }

        /// <summary>What a grid's cell holds: the numbers of a scale to circle, yes and no or the options to tick; empty to write in.</summary>
        private void Cell(Field f)
        {
            switch (f.Type)
            {
                case FieldType.Scale:
                    var values = WorksheetForm.ScaleValues(f);
                    if (values.Count > 11) break;
                    _sb.Append("<span class=\"ce-paper-circle-row\">");
                    foreach (var v in values) _sb.Append("<span class=\"ce-paper-circle\">").Append(Html.Text(Show(v))).Append("</span>");
                    _sb.Append("</span>");
                    break;
                case FieldType.Boolean:
                    Options([page.S("ws.yes"), page.S("ws.no")], "ce-paper-options ce-paper-options-cell");
                    break;
                case FieldType.Choice:
                    Options([.. f.Options.Select(o => page.T(o.Label))], "ce-paper-options ce-paper-options-cell");
                    break;
                case FieldType.Time:
                    _sb.Append("<span class=\"ce-paper-cell-sep\" aria-hidden=\"true\">:</span>");
                    break;
            }
        }

        /// <summary>Under the grid, what the ends of its scales mean: "How much pain: 0 No pain – 10 Worst pain imaginable".</summary>
        private string ScaleEnds()
        {
            var sb = new StringBuilder();
            foreach (var f in ws.Fields.Where(f => f.Type == FieldType.Scale && f.Labels.Length > 0))
            {
                sb.Append("<p class=\"ce-paper-grid-note\"><span class=\"ce-paper-grid-note-field\">").Append(Html.Text(page.T(f.Label))).Append("</span> ")
                    .Append(Html.Text(string.Join(" · ", f.Labels.OrderBy(l => l.Value).Select(l => $"{Show(l.Value)} = {page.T(l.Text)}"))));
                if (f.Unit is not null && page.T(f.Unit) is { Length: > 0 } unit) sb.Append(" (").Append(Html.Text(unit)).Append(')');
                sb.Append("</p>\n");
            }
            return sb.ToString();
        }

        private void Fields()
        {
            foreach (var f in ws.Fields) FieldBlock(f);
        }

        private void FieldBlock(Field f)
        {
            _sb.Append("<div class=\"ce-paper-field\" data-field=\"").Append(Html.Attr(f.Id)).Append("\" data-type=\"").Append(Lower(f.Type)).Append('"');
            if (f.Required) _sb.Append(" data-required=\"true\"");
            _sb.Append(">\n<p class=\"ce-paper-label\">").Append(Html.Text(page.T(f.Label)));
            if (f.Required) _sb.Append("<span class=\"ce-paper-req\">\u00A0*</span>");
            _sb.Append("</p>\n");
            if (f.Help is not null) _sb.Append("<p class=\"ce-paper-help\">").Append(Html.Text(page.T(f.Help))).Append("</p>\n");

            switch (f.Type)
            {
                case FieldType.Text:
                    Lines(1);
                    break;
                case FieldType.LongText:
                    Lines(InDiary ? 3 : LongTextLines);
                    break;
                case FieldType.Number:
                case FieldType.Integer:
                case FieldType.Duration:
                    _sb.Append("<div class=\"ce-paper-answer\">");
                    NumberBox(f);
                    _sb.Append("</div>\n");
                    break;
                case FieldType.Date:
                    _sb.Append("<div class=\"ce-paper-answer\">");
                    DateBoxes();
                    _sb.Append("</div>\n");
                    break;
                case FieldType.Time:
                    _sb.Append("<div class=\"ce-paper-answer\">");
                    TimeBoxes();
                    _sb.Append("</div>\n");
                    break;
                case FieldType.Scale when ScaleAsLine(f):
                    LineScale(f);
                    break;
                case FieldType.Scale:
                    NumberedScale(f);
                    break;
                case FieldType.Boolean:
                    Options([page.S("ws.yes"), page.S("ws.no")], "ce-paper-options ce-paper-options-inline");
                    break;
                case FieldType.Choice:
                    if (f.Multiple) _sb.Append("<p class=\"ce-paper-hint\">").Append(Html.Text(page.S("print-choose-any"))).Append("</p>\n");
                    Options([.. f.Options.Select(o => page.T(o.Label))], "ce-paper-options");
                    break;
                case FieldType.Table:
                    Table(f);
                    break;
                case FieldType.Target:
                    Target(f);
                    break;
            }
            _sb.Append("</div>\n");
        }

        // ---- writing -------------------------------------------------------------------------------

        private void Lines(int count)
        {
            _sb.Append("<div class=\"ce-paper-lines\" data-lines=\"").Append(count).Append("\">");
            for (var i = 0; i < count; i++) _sb.Append("<div class=\"ce-paper-line\"></div>");
            _sb.Append("</div>\n");
        }

        /// <summary>A box to write a number in, the unit after it and the limits as a hint: "(0–14 hours)".</summary>
        private void NumberBox(Field f)
        {
            var unit = Unit(f);
            _sb.Append("<span class=\"ce-paper-write-box\"></span>");
            if (!string.IsNullOrEmpty(unit)) _sb.Append(" <span class=\"ce-paper-unit\">").Append(Html.Text(unit)).Append("</span>");
            var limits = Limits(f, unit);
            if (limits is not null) _sb.Append(" <span class=\"ce-paper-limits\">(").Append(Html.Text(limits)).Append(")</span>");
        }

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
        private void DateBoxes()
        {
            _sb.Append("<span class=\"ce-paper-date\">");
            Digits(4, "print-date-year");
            _sb.Append("<span class=\"ce-paper-sep\">-</span>");
            Digits(2, "print-date-month");
            _sb.Append("<span class=\"ce-paper-sep\">-</span>");
            Digits(2, "print-date-day");
            _sb.Append("</span>");
        }

        /// <summary>Boxes for hours and minutes: __:__.</summary>
        private void TimeBoxes()
        {
            _sb.Append("<span class=\"ce-paper-time\">");
            Digits(2, "print-time-hours");
            _sb.Append("<span class=\"ce-paper-sep\">:</span>");
            Digits(2, "print-time-minutes");
            _sb.Append("</span>");
        }

        private void Digits(int count, string captionKey)
        {
            _sb.Append("<span class=\"ce-paper-digit-group\"><span class=\"ce-paper-digits\">");
            for (var i = 0; i < count; i++) _sb.Append("<span class=\"ce-paper-digit\"></span>");
            _sb.Append("</span><span class=\"ce-paper-digit-caption\">").Append(Html.Text(page.S(captionKey))).Append("</span></span>");
        }

        // ---- ticking ----------------------------------------------------------------------------------

        private void Options(IReadOnlyList<string> labels, string cls)
        {
            _sb.Append("<div class=\"").Append(cls).Append("\">\n");
            foreach (var label in labels)
                _sb.Append("<div class=\"ce-paper-option\"><span class=\"ce-paper-box\"></span><span class=\"ce-paper-option-text\">")
                    .Append(Html.Text(label)).Append("</span></div>\n");
            _sb.Append("</div>\n");
        }

        // ---- scales ------------------------------------------------------------------------------------

        /// <summary>The values min..max to circle, with the labels under their values: the ends at the two sides.</summary>
        private void NumberedScale(Field f)
        {
            var values = WorksheetForm.ScaleValues(f);
            var n = values.Count;
            _sb.Append("<p class=\"ce-paper-hint\">").Append(Html.Text(page.S("print-circle-one"))).Append("</p>\n");
            _sb.Append("<div class=\"ce-paper-scale\" data-count=\"").Append(n).Append("\" style=\"--ce-paper-count: ").Append(n).Append("\">\n")
                .Append("<div class=\"ce-paper-scale-values\">");
            foreach (var v in values) _sb.Append("<span class=\"ce-paper-scale-value\">").Append(Html.Text(Show(v))).Append("</span>");
            _sb.Append("</div>\n");

            var labels = f.Labels.OrderBy(l => l.Value).Select(l => (Index: IndexOf(values, l.Value), l.Text)).Where(l => l.Index >= 0).ToList();
            if (labels.Count > 0)
            {
                var half = Math.Max(n / 2, 1);
                _sb.Append("<div class=\"ce-paper-scale-labels\">");
                foreach (var (index, text) in labels)
                {
                    var (cls, start, end) = index == 0 && n > 1 ? ("ce-paper-end-min", 1, 1 + half)
                        : index == n - 1 && n > 1 ? ("ce-paper-end-max", n - half + 1, n + 1)
                        : ("ce-paper-end-mid", Math.Max(index, 1), Math.Min(index + 2, n) + 1);
                    _sb.Append("<span class=\"ce-paper-scale-label ").Append(cls).Append("\" style=\"grid-column: ").Append(start).Append(" / ").Append(end).Append("\">")
                        .Append(Html.Text(page.T(text))).Append("</span>");
                }
                _sb.Append("</div>\n");
            }
            _sb.Append("</div>\n");
            ScaleUnit(f);
        }

        private static int IndexOf(IReadOnlyList<double> values, double value)
        {
            for (var i = 0; i < values.Count; i++)
                if (Math.Abs(values[i] - value) < 1e-9) return i;
            return -1;
        }

        /// <summary>A 100 mm line with ticks at its ends (and at labelled values between), the labels at their places.</summary>
        private void LineScale(Field f)
        {
            var min = f.Min ?? 0;
            var max = f.Max ?? 10;
            var labels = f.Labels.OrderBy(l => l.Value).ToList();
            _sb.Append("<div class=\"ce-paper-vas\" data-min=\"").Append(Num(min)).Append("\" data-max=\"").Append(Num(max)).Append("\">\n");
            var middle = labels.Where(l => l.Value > min + 1e-9 && l.Value < max - 1e-9).ToList();
            if (middle.Count > 0)
            {
                _sb.Append("<div class=\"ce-paper-vas-mids\">");
                foreach (var l in middle)
                    _sb.Append("<span class=\"ce-paper-vas-mid\" style=\"left: ").Append(Percent(l.Value, min, max)).Append("%\"><span class=\"ce-paper-vas-value\">")
                        .Append(Html.Text(Show(l.Value))).Append("</span> ").Append(Html.Text(page.T(l.Text))).Append("</span>");
                _sb.Append("</div>\n");
            }
            _sb.Append("<div class=\"ce-paper-vas-line\"><span class=\"ce-paper-vas-tick ce-paper-vas-tick-min\"></span>");
            foreach (var l in middle)
                _sb.Append("<span class=\"ce-paper-vas-tick ce-paper-vas-tick-mid\" style=\"left: ").Append(Percent(l.Value, min, max)).Append("%\"></span>");
            _sb.Append("<span class=\"ce-paper-vas-tick ce-paper-vas-tick-max\"></span></div>\n")
                .Append("<div class=\"ce-paper-vas-ends\">");
            End("ce-paper-end-min", min, labels.FirstOrDefault(l => Math.Abs(l.Value - min) < 1e-9));
            End("ce-paper-end-max", max, labels.FirstOrDefault(l => Math.Abs(l.Value - max) < 1e-9));
            _sb.Append("</div>\n</div>\n");
            ScaleUnit(f);
        }

        private void End(string cls, double value, ScaleLabel? label)
        {
            _sb.Append("<span class=\"ce-paper-vas-end ").Append(cls).Append("\"><span class=\"ce-paper-vas-value\">").Append(Html.Text(Show(value))).Append("</span>");
            if (label is not null) _sb.Append(" <span class=\"ce-paper-vas-text\">").Append(Html.Text(page.T(label.Text))).Append("</span>");
            _sb.Append("</span>");
        }

        private static string Percent(double value, double min, double max) =>
            max > min ? Svg((value - min) / (max - min) * 100) : "0";

        private void ScaleUnit(Field f)
        {
            if (f.Unit is not null && page.T(f.Unit) is { Length: > 0 } unit)
                _sb.Append("<p class=\"ce-paper-hint\"><span class=\"ce-paper-unit\">").Append(Html.Text(unit)).Append("</span></p>\n");
        }

        // ---- tables ----------------------------------------------------------------------------------

        /// <summary>An empty table: the columns' headers with hints, and a row per row label or <c>rows</c> empty rows.</summary>
        private void Table(Field f)
        {
            var labelled = f.RowLabels.Length > 0;
            var rows = labelled ? f.RowLabels.Length : Math.Max(f.RowCount ?? 1, 1);
            var tall = f.Columns.Any(c => c.Type == FieldType.LongText);
            _sb.Append("<table class=\"ce-paper-table").Append(tall ? " ce-paper-table-tall" : "").Append("\" data-columns=\"").Append(f.Columns.Length)
                .Append("\" data-rows=\"").Append(rows).Append("\">\n<thead><tr>");
            if (labelled) _sb.Append("<td class=\"ce-paper-corner\"></td>");
            foreach (var col in f.Columns)
            {
                _sb.Append("<th scope=\"col\" class=\"ce-paper-col\" data-column=\"").Append(Html.Attr(col.Id)).Append("\" data-type=\"").Append(Lower(col.Type)).Append("\">")
                    .Append(Html.Text(page.T(col.Label)));
                if (col.Required) _sb.Append("<span class=\"ce-paper-req\">\u00A0*</span>");
                if (ColumnHint(col) is { Length: > 0 } hint) _sb.Append("<span class=\"ce-paper-col-hint\">").Append(Html.Text(hint)).Append("</span>");
                if (col.Help is not null) _sb.Append("<span class=\"ce-paper-col-help\">").Append(Html.Text(page.T(col.Help))).Append("</span>");
                _sb.Append("</th>");
            }
            _sb.Append("</tr></thead>\n<tbody>\n");
            for (var r = 0; r < rows; r++)
            {
                _sb.Append("<tr class=\"ce-paper-row\" data-row=\"").Append(r + 1).Append("\">");
                if (labelled) _sb.Append("<th scope=\"row\" class=\"ce-paper-row-label\">").Append(Html.Text(page.T(f.RowLabels[r]))).Append("</th>");
                foreach (var col in f.Columns)
                {
                    _sb.Append("<td class=\"ce-paper-cell\" data-column=\"").Append(Html.Attr(col.Id)).Append("\">");
                    if (col.Type == FieldType.Boolean)
                        Options([page.S("ws.yes"), page.S("ws.no")], "ce-paper-options ce-paper-options-inline ce-paper-options-cell");
                    else if (col.Type == FieldType.Choice)
                        Options([.. col.Options.Select(o => page.T(o.Label))], "ce-paper-options ce-paper-options-cell");
                    _sb.Append("</td>");
                }
                _sb.Append("</tr>\n");
            }
            _sb.Append("</tbody>\n</table>\n");
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
        private void Target(Field f)
        {
            const double fontSize = 3.5, lineHeight = 4.4, charWidth = 1.85, gap = 3;
            var rings = Math.Clamp(f.Rings ?? 4, 1, 20);
            var areas = f.Areas;
            var n = Math.Max(areas.Length, 1);
            var sector = 360.0 / n;
            const double radius = TargetRadiusMm;

            _sb.Append("<p class=\"ce-paper-hint\">").Append(Html.Text(page.S("print-target-hint"))).Append("</p>\n");

            var labels = new StringBuilder();
            double left = -radius - 2, right = radius + 2, top = -radius - 2, bottom = radius + 2;
            for (var a = 0; a < areas.Length; a++)
            {
                var angle = -90 + (a + 0.5) * sector;
                var lines = Html.Wrap($"{a + 1}. {page.T(areas[a].Label)}", 22);
                var (x, y) = Point(radius + gap, angle);
                var anchor = Math.Abs(x) < 6 ? "middle" : x > 0 ? "start" : "end";
                var first = Math.Abs(y) < 8 ? y - (lines.Count - 1) * lineHeight / 2 + fontSize / 3
                    : y < 0 ? y - (lines.Count - 1) * lineHeight
                    : y + fontSize;
                labels.Append("<text class=\"ce-paper-target-label\" font-size=\"").Append(Svg(fontSize)).Append("\" text-anchor=\"").Append(anchor)
                    .Append("\" x=\"").Append(Svg(x)).Append("\" y=\"").Append(Svg(first)).Append("\">");
                for (var i = 0; i < lines.Count; i++)
                {
                    labels.Append("<tspan x=\"").Append(Svg(x)).Append('"');
                    if (i > 0) labels.Append(" dy=\"").Append(Svg(lineHeight)).Append('"');
                    labels.Append('>').Append(Html.Text(lines[i])).Append("</tspan>");
                }
                labels.Append("</text>\n");
                var w = lines.Max(l => l.Length) * charWidth;
                var (l0, r0) = anchor switch { "start" => (x, x + w), "end" => (x - w, x), _ => (x - w / 2, x + w / 2) };
                left = Math.Min(left, l0 - 1);
                right = Math.Max(right, r0 + 1);
                top = Math.Min(top, first - fontSize - 1);
                bottom = Math.Max(bottom, first + (lines.Count - 1) * lineHeight + 1.5);
            }

            var width = right - left;
            var height = bottom - top;
            _sb.Append("<div class=\"ce-paper-target\" data-rings=\"").Append(rings).Append("\" data-areas=\"").Append(areas.Length).Append("\">\n")
                .Append("<svg class=\"ce-paper-target-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"").Append(Svg(left)).Append(' ').Append(Svg(top)).Append(' ')
                .Append(Svg(width)).Append(' ').Append(Svg(height)).Append("\" width=\"").Append(Svg(width)).Append("mm\" height=\"").Append(Svg(height))
                .Append("mm\" role=\"img\" aria-label=\"").Append(Html.Attr(page.T(f.Label))).Append("\">\n");
            for (var k = rings; k >= 1; k--)
                _sb.Append("<circle class=\"ce-paper-target-ring\" data-ring=\"").Append(k).Append("\" cx=\"0\" cy=\"0\" r=\"").Append(Svg(k * radius / rings))
                    .Append("\" fill=\"none\" stroke=\"#000\" stroke-width=\"").Append(k == rings ? "0.5" : "0.3").Append("\"/>\n");
            if (areas.Length > 1)
                for (var a = 0; a < areas.Length; a++)
                {
                    var (x, y) = Point(radius, -90 + a * sector);
                    _sb.Append("<line class=\"ce-paper-target-line\" x1=\"0\" y1=\"0\" x2=\"").Append(Svg(x)).Append("\" y2=\"").Append(Svg(y))
                        .Append("\" stroke=\"#000\" stroke-width=\"0.3\"/>\n");
                }
            _sb.Append(labels).Append("</svg>\n</div>\n");
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

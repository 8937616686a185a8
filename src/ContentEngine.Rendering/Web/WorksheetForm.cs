using System.Globalization;
using System.Text;
using System.Text.Json;
using ContentEngine.Model;

namespace ContentEngine.Rendering.Web;

/// <summary>
/// A worksheet as an HTML form that the theme's worksheets.js fills, saves and restores. The markup is
/// usable without the script (every control is labelled, every group has a legend) and carries, in
/// classes and data attributes, all the script needs to read the answers in the shapes of the state.
/// </summary>
/// <remarks>
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
        private readonly StringBuilder _sb = new();

        private string Prefix => $"ws-{ws.Id}-";

        public string Form()
        {
            var repeat = ws.Kind == WorksheetKind.Diary ? ws.Repeat ?? DiaryRepeat.Entry : (DiaryRepeat?)null;
            _sb.Append("<form class=\"ce-worksheet\" data-worksheet=\"").Append(Html.Attr(ws.Id))
                .Append("\" data-kind=\"").Append(Lower(ws.Kind.ToString())).Append('"');
            if (repeat is { } r)
            {
                _sb.Append(" data-repeat=\"").Append(Lower(r.ToString())).Append('"');
                if (r == DiaryRepeat.Daily) _sb.Append(" data-days=\"").Append(Days).Append('"');
            }
            _sb.Append(" data-ws-strings=\"").Append(Html.Attr(ScriptStrings())).Append("\" novalidate>\n");

            if (AllFields(ws.Fields).Any(f => f.Required))
                _sb.Append("<p class=\"ce-ws-required-note\"><span class=\"ce-ws-req\" aria-hidden=\"true\">*</span> ")
                    .Append(Html.Text(page.S("ws.required-note"))).Append("</p>\n");

            if (repeat is null) Fields("");
            else Diary();

            _sb.Append("<p class=\"ce-ws-sr\" role=\"status\" data-ws-announce></p>\n");
            _sb.Append("<noscript><p class=\"ce-ws-noscript\">").Append(Html.Text(page.S("ws.noscript"))).Append("</p></noscript>\n")
                .Append("</form>\n");
            return _sb.ToString();
        }

        private int Days => Math.Max(ws.Days ?? 7, 1);

        private static IEnumerable<Field> AllFields(IEnumerable<Field> fields) => fields.SelectMany(f => f.Columns.Prepend(f));

        private void Fields(string scope)
        {
            foreach (var field in ws.Fields) FieldBlock(field, scope);
        }

        /// <summary>
        /// A diary: one entry open at a time (its date and its fields), "add entry", and the list of the
        /// patient's entries to open. The script fills the open entry from the one chosen, dates it (today's
        /// by default, in the page's language) and lists the entries; without it, the form shows one entry.
        /// </summary>
        private void Diary()
        {
            var titleId = Prefix + "entry_title";
            var dateId = Prefix + "entry_date";
            var listTitleId = Prefix + "entries_title";
            _sb.Append("<div class=\"ce-ws-diary\" data-ws-diary>\n")
                .Append("<fieldset class=\"ce-ws-entry\" data-ws-entry aria-labelledby=\"").Append(titleId).Append("\">\n")
                .Append("<legend class=\"ce-ws-entry-title\" id=\"").Append(titleId).Append("\" data-ws-entry-title>")
                .Append(Html.Text(page.S("ws.new-entry"))).Append("</legend>\n")
                .Append("<div class=\"ce-ws-entry-date\"><label class=\"ce-ws-label\" for=\"").Append(dateId).Append("\">")
                .Append(Html.Text(page.S("ws.entry-date"))).Append("</label>")
                .Append("<input class=\"ce-ws-input ce-ws-date\" type=\"date\" id=\"").Append(dateId).Append("\" name=\"").Append(dateId)
                .Append("\" data-ws-date></div>\n");
            Fields(EntryScope);
            _sb.Append("<div class=\"ce-ws-entry-actions\"><button type=\"button\" class=\"ce-ws-button ce-ws-remove\" data-ws-remove aria-describedby=\"")
                .Append(titleId).Append("\" hidden>").Append(Html.Text(page.S("ws.remove-entry"))).Append("</button></div>\n")
                .Append("</fieldset>\n")
                .Append("<div class=\"ce-ws-add-row\"><button type=\"button\" class=\"ce-ws-button ce-ws-add\" data-ws-add>")
                .Append("<span aria-hidden=\"true\">+ </span>").Append(Html.Text(page.S("ws.add-entry"))).Append("</button></div>\n")
                .Append("<section class=\"ce-ws-history\" aria-labelledby=\"").Append(listTitleId).Append("\" data-ws-history>\n")
                .Append("<h2 class=\"ce-ws-history-title\" id=\"").Append(listTitleId).Append("\">").Append(Html.Text(page.S("ws.entries"))).Append("</h2>\n")
                .Append("<p class=\"ce-ws-progress\" data-ws-progress hidden></p>\n")
                .Append("<ul class=\"ce-ws-entry-list\" data-ws-list></ul>\n")
                .Append("<p class=\"ce-ws-empty\" data-ws-empty>").Append(Html.Text(page.S("ws.no-entries"))).Append("</p>\n")
                .Append("</section>\n</div>\n");
        }

        private void FieldBlock(Field f, string scope)
        {
            var id = $"{Prefix}{f.Id}{scope}";
            _sb.Append("<div class=\"ce-ws-field\" data-field=\"").Append(Html.Attr(f.Id)).Append("\" data-type=\"").Append(TypeName(f.Type)).Append('"');
            if (f.Required) _sb.Append(" data-required=\"true\"");
            switch (f.Type)
            {
                case FieldType.Scale:
                    _sb.Append(" data-control=\"").Append(ScaleAsRadios(f) ? "radios" : "range").Append('"');
                    break;
                case FieldType.Choice:
                    if (f.HasNumericOptions) _sb.Append(" data-numeric=\"true\"");
                    if (f.Multiple) _sb.Append(" data-multiple=\"true\"");
                    break;
                case FieldType.Table:
                    _sb.Append(" data-rows=\"").Append(Rows(f).Count).Append('"');
                    break;
                case FieldType.Target:
                    _sb.Append(" data-rings=\"").Append(Rings(f)).Append('"');
                    break;
            }
            _sb.Append(">\n");

            switch (f.Type)
            {
                case FieldType.Text:
                case FieldType.LongText:
                case FieldType.Date:
                case FieldType.Time:
                case FieldType.Number:
                case FieldType.Integer:
                case FieldType.Duration:
                    SingleControl(f, id);
                    break;
                case FieldType.Scale when ScaleAsRadios(f):
                    RadioScale(f, id);
                    break;
                case FieldType.Scale:
                    RangeScale(f, id);
                    break;
                case FieldType.Boolean:
                    Options(f, id, [("true", page.S("ws.yes")), ("false", page.S("ws.no"))], multiple: false);
                    break;
                case FieldType.Choice:
                    Options(f, id, [.. f.Options.Select(o => (o.ValueText, page.T(o.Label)))], f.Multiple);
                    break;
                case FieldType.Table:
                    Table(f, id);
                    break;
                case FieldType.Target:
                    Target(f, id);
                    break;
            }
            _sb.Append("</div>\n");
        }

        // ---- labels, help, required ----------------------------------------------------------

        private void LabelContent(Field f)
        {
            _sb.Append(Html.Text(page.T(f.Label)));
            if (f.Required) _sb.Append("<span class=\"ce-ws-req\" aria-hidden=\"true\"> *</span>");
        }

        /// <summary>A "(required)" for screen readers where aria-required cannot be said.</summary>
        private void RequiredText(Field f)
        {
            if (f.Required) _sb.Append("<span class=\"ce-ws-sr\"> (").Append(Html.Text(page.S("ws.required"))).Append(")</span>");
        }

        private void Help(Field f, string id)
        {
            if (f.Help is not null)
                _sb.Append("<p class=\"ce-ws-help\" id=\"").Append(id).Append("_help\">").Append(Html.Text(page.T(f.Help))).Append("</p>\n");
        }

        private static string? HelpId(Field f, string id) => f.Help is null ? null : id + "_help";

        private static string Join(params string?[] ids) => string.Join(' ', ids.Where(i => !string.IsNullOrEmpty(i)));

        private void DescribedBy(params string?[] ids)
        {
            var joined = Join(ids);
            if (joined.Length > 0) _sb.Append(" aria-describedby=\"").Append(joined).Append('"');
        }

        private void Clear(string labelId, string? area = null)
        {
            _sb.Append("<button type=\"button\" class=\"ce-ws-button ce-ws-clear\" data-ws-clear");
            if (area is not null) _sb.Append(" data-area=\"").Append(Html.Attr(area)).Append('"');
            _sb.Append(" aria-describedby=\"").Append(labelId).Append("\" hidden>").Append(Html.Text(page.S("ws.clear"))).Append("</button>\n");
        }

        // ---- one-control fields --------------------------------------------------------------

        private void SingleControl(Field f, string id)
        {
            _sb.Append("<label class=\"ce-ws-label\" for=\"").Append(id).Append("\" id=\"").Append(id).Append("_label\">");
            LabelContent(f);
            _sb.Append("</label>\n");
            Help(f, id);
            Control(f, id, id, ariaLabel: null, HelpId(f, id), f.Required);
        }

        /// <summary>The input of a text, number, date or time field (also in a table's cell).</summary>
        private void Control(Field f, string id, string name, string? ariaLabel, string? helpId, bool required)
        {
            var label = ariaLabel is null ? "" : $" aria-label=\"{Html.Attr(ariaLabel)}\"";
            var req = required ? " aria-required=\"true\"" : "";
            switch (f.Type)
            {
                case FieldType.LongText:
                    _sb.Append("<textarea class=\"ce-ws-input ce-ws-textarea\" id=\"").Append(id).Append("\" name=\"").Append(name)
                        .Append("\" rows=\"").Append(ariaLabel is null ? 4 : 2).Append('"').Append(label).Append(req);
                    DescribedBy(helpId);
                    _sb.Append("></textarea>\n");
                    break;
                case FieldType.Number:
                case FieldType.Integer:
                case FieldType.Duration:
                    var unit = f.Unit is not null ? page.T(f.Unit) : f.Type == FieldType.Duration ? page.S("ws.minutes") : null;
                    var step = f.Step is > 0 ? Num(f.Step.Value) : f.Type == FieldType.Number ? "any" : "1";
                    var whole = f.Type != FieldType.Number && (f.Step is null || f.Step % 1 == 0);
                    _sb.Append("<span class=\"ce-ws-number\"><input class=\"ce-ws-input ce-ws-input-number\" type=\"number\" id=\"").Append(id)
                        .Append("\" name=\"").Append(name).Append("\" inputmode=\"").Append(whole ? "numeric" : "decimal").Append('"');
                    if (f.Min is { } min) _sb.Append(" min=\"").Append(Num(min)).Append('"');
                    if (f.Max is { } max) _sb.Append(" max=\"").Append(Num(max)).Append('"');
                    _sb.Append(" step=\"").Append(step).Append('"').Append(label).Append(req);
                    DescribedBy(helpId, string.IsNullOrEmpty(unit) ? null : id + "_unit", id + "_error");
                    _sb.Append('>');
                    if (!string.IsNullOrEmpty(unit))
                        _sb.Append("<span class=\"ce-ws-unit\" id=\"").Append(id).Append("_unit\">").Append(Html.Text(unit)).Append("</span>");
                    _sb.Append("</span>\n<p class=\"ce-ws-error\" id=\"").Append(id).Append("_error\" hidden></p>\n");
                    break;
                default:
                    var type = f.Type switch { FieldType.Date => "date", FieldType.Time => "time", _ => "text" };
                    _sb.Append("<input class=\"ce-ws-input\" type=\"").Append(type).Append("\" id=\"").Append(id).Append("\" name=\"").Append(name).Append('"');
                    if (f.Type == FieldType.Text) _sb.Append(" autocomplete=\"off\"");
                    _sb.Append(label).Append(req);
                    DescribedBy(helpId);
                    _sb.Append(">\n");
                    break;
            }
        }

        // ---- scales ------------------------------------------------------------------------------

        private string? ScaleText(Field f, double value)
        {
            var label = f.Labels.FirstOrDefault(l => Math.Abs(l.Value - value) < 1e-9);
            return label is null ? null : page.T(label.Text);
        }

        private void RadioScale(Field f, string id)
        {
            var values = ScaleValues(f);
            var helpId = HelpId(f, id);
            _sb.Append("<fieldset class=\"ce-ws-group\" role=\"radiogroup\" aria-labelledby=\"").Append(id).Append("_label\"");
            if (f.Required) _sb.Append(" aria-required=\"true\"");
            DescribedBy(helpId);
            _sb.Append(">\n<legend class=\"ce-ws-label\" id=\"").Append(id).Append("_label\">");
            LabelContent(f);
            _sb.Append("</legend>\n");
            Help(f, id);
            _sb.Append("<div class=\"ce-ws-scale\" data-count=\"").Append(values.Count).Append("\">\n<div class=\"ce-ws-scale-options\">\n");
            for (var i = 0; i < values.Count; i++)
            {
                var oid = $"{id}_o{i}";
                var text = ScaleText(f, values[i]);
                _sb.Append("<label class=\"ce-ws-scale-option\" for=\"").Append(oid).Append("\"><input type=\"radio\" id=\"").Append(oid)
                    .Append("\" name=\"").Append(id).Append("\" value=\"").Append(Num(values[i])).Append("\">")
                    .Append("<span class=\"ce-ws-scale-value\">").Append(Html.Text(Show(values[i]))).Append("</span>");
                if (text is not null) _sb.Append("<span class=\"ce-ws-scale-text\"> ").Append(Html.Text(text)).Append("</span>");
                _sb.Append("</label>\n");
            }
            _sb.Append("</div>\n");
            Ends(f, "ce-ws-scale-ends", null, hidden: true);
            _sb.Append("</div>\n</fieldset>\n");
            Clear(id + "_label");
        }

        /// <summary>The texts of a scale's labelled values, in order: the two ends at the two sides.</summary>
        private void Ends(Field f, string cls, string? id, bool hidden)
        {
            var labels = f.Labels.OrderBy(l => l.Value).ToList();
            if (labels.Count == 0) return;
            _sb.Append("<div class=\"").Append(cls).Append('"');
            if (id is not null) _sb.Append(" id=\"").Append(id).Append('"');
            if (hidden) _sb.Append(" aria-hidden=\"true\"");
            _sb.Append('>');
            foreach (var l in labels)
            {
                var end = l.Value <= (f.Min ?? 0) + 1e-9 ? " ce-ws-end-min" : l.Value >= (f.Max ?? 10) - 1e-9 ? " ce-ws-end-max" : " ce-ws-end-mid";
                _sb.Append("<span class=\"ce-ws-end").Append(end).Append("\"><span class=\"ce-ws-end-value\">").Append(Html.Text(Show(l.Value)))
                    .Append("</span> <span class=\"ce-ws-end-text\">").Append(Html.Text(page.T(l.Text))).Append("</span></span>");
            }
            _sb.Append("</div>\n");
        }

        private void RangeScale(Field f, string id)
        {
            var values = ScaleValues(f);
            var middle = values[(values.Count - 1) / 2];
            var step = f.Step is > 0 ? f.Step.Value : 1;
            _sb.Append("<label class=\"ce-ws-label\" for=\"").Append(id).Append("\" id=\"").Append(id).Append("_label\">");
            LabelContent(f);
            RequiredText(f); // aria-required is not allowed on input type=range: the label says it
            _sb.Append("</label>\n");
            Help(f, id);
            _sb.Append("<p class=\"ce-ws-hint\" id=\"").Append(id).Append("_hint\">").Append(Html.Text(page.S("ws.range-hint"))).Append("</p>\n");
            var unit = f.Unit is null ? null : page.T(f.Unit);
            _sb.Append("<div class=\"ce-ws-range\">\n<input class=\"ce-ws-range-input ce-ws-unanswered\" type=\"range\" id=\"").Append(id)
                .Append("\" name=\"").Append(id).Append("\" min=\"").Append(Num(values[0])).Append("\" max=\"").Append(Num(values[^1]))
                .Append("\" step=\"").Append(Num(step)).Append("\" value=\"").Append(Num(middle)).Append("\" data-ws-unanswered")
                .Append(" aria-valuetext=\"").Append(Html.Attr(page.S("ws.not-answered"))).Append('"');
            if (!string.IsNullOrEmpty(unit)) _sb.Append(" data-unit=\"").Append(Html.Attr(unit)).Append('"');
            DescribedBy(HelpId(f, id), f.Labels.Length > 0 ? id + "_ends" : null, id + "_hint");
            _sb.Append(">\n");
            Ends(f, "ce-ws-range-ends", id + "_ends", hidden: false);
            _sb.Append("</div>\n<div class=\"ce-ws-range-status\"><output class=\"ce-ws-range-output\" for=\"").Append(id).Append("\" id=\"").Append(id)
                .Append("_out\" aria-hidden=\"true\">").Append(Html.Text(page.S("ws.not-answered"))).Append("</output>");
            if (!string.IsNullOrEmpty(unit)) _sb.Append(" <span class=\"ce-ws-unit\" aria-hidden=\"true\" hidden>").Append(Html.Text(unit)).Append("</span>");
            _sb.Append("\n");
            Clear(id + "_label");
            _sb.Append("</div>\n");
        }

        // ---- choices and yes/no ----------------------------------------------------------------

        private void Options(Field f, string id, IReadOnlyList<(string Value, string Label)> options, bool multiple)
        {
            _sb.Append("<fieldset class=\"ce-ws-group\"");
            if (!multiple)
            {
                _sb.Append(" role=\"radiogroup\" aria-labelledby=\"").Append(id).Append("_label\"");
                if (f.Required) _sb.Append(" aria-required=\"true\"");
            }
            DescribedBy(HelpId(f, id));
            _sb.Append(">\n<legend class=\"ce-ws-label\" id=\"").Append(id).Append("_label\">");
            LabelContent(f);
            if (multiple) RequiredText(f);
            _sb.Append("</legend>\n");
            Help(f, id);
            _sb.Append("<div class=\"ce-ws-options").Append(f.Type == FieldType.Boolean ? " ce-ws-options-inline" : "").Append("\">\n");
            for (var i = 0; i < options.Count; i++)
            {
                var oid = $"{id}_o{i}";
                _sb.Append("<label class=\"ce-ws-option\" for=\"").Append(oid).Append("\"><input type=\"").Append(multiple ? "checkbox" : "radio")
                    .Append("\" id=\"").Append(oid).Append("\" name=\"").Append(id).Append("\" value=\"").Append(Html.Attr(options[i].Value)).Append("\">")
                    .Append("<span class=\"ce-ws-option-text\">").Append(Html.Text(options[i].Label)).Append("</span></label>\n");
            }
            _sb.Append("</div>\n</fieldset>\n");
            if (!multiple) Clear(id + "_label");
        }

        // ---- tables ------------------------------------------------------------------------------

        private IReadOnlyList<string?> Rows(Field f) =>
            f.RowLabels.Length > 0 ? [.. f.RowLabels.Select(page.T)] : [.. Enumerable.Repeat<string?>(null, Math.Max(f.RowCount ?? 1, 1))];

        private void Table(Field f, string id)
        {
            var rows = Rows(f);
            Help(f, id);
            _sb.Append("<div class=\"ce-ws-table-wrap\">\n<table class=\"ce-ws-table\" data-columns=\"").Append(f.Columns.Length).Append('"');
            DescribedBy(HelpId(f, id));
            _sb.Append(">\n<caption class=\"ce-ws-label\" id=\"").Append(id).Append("_label\">");
            LabelContent(f);
            RequiredText(f);
            _sb.Append("</caption>\n<thead><tr><td class=\"ce-ws-corner\"></td>");
            for (var c = 0; c < f.Columns.Length; c++)
            {
                var col = f.Columns[c];
                _sb.Append("<th scope=\"col\" id=\"").Append(id).Append("_c").Append(c).Append("\">").Append(Html.Text(page.T(col.Label)));
                if (col.Required) _sb.Append("<span class=\"ce-ws-req\" aria-hidden=\"true\"> *</span>");
                if (col.Help is not null)
                    _sb.Append("<span class=\"ce-ws-help ce-ws-col-help\" id=\"").Append(id).Append("_c").Append(c).Append("_help\">")
                        .Append(Html.Text(page.T(col.Help))).Append("</span>");
                _sb.Append("</th>");
            }
            _sb.Append("</tr></thead>\n<tbody>\n");
            for (var r = 0; r < rows.Count; r++)
            {
                var rowName = rows[r] ?? page.S("ws.row").Replace("{n}", (r + 1).ToString(CultureInfo.InvariantCulture));
                var rowId = $"{id}_r{r + 1}";
                _sb.Append("<tr class=\"ce-ws-row\" data-row=\"").Append(r + 1).Append("\"><th scope=\"row\" id=\"").Append(rowId).Append("\">")
                    .Append(Html.Text(rowName)).Append("</th>");
                for (var c = 0; c < f.Columns.Length; c++)
                {
                    var col = f.Columns[c];
                    var colName = page.T(col.Label);
                    _sb.Append("<td class=\"ce-ws-cell\" data-field=\"").Append(Html.Attr(col.Id)).Append("\" data-type=\"").Append(TypeName(col.Type))
                        .Append("\" data-label=\"").Append(Html.Attr(colName)).Append('"');
                    if (col.Help is not null) _sb.Append(" data-help=\"").Append(Html.Attr(page.T(col.Help))).Append('"');
                    if (col.Type == FieldType.Choice && col.HasNumericOptions) _sb.Append(" data-numeric=\"true\"");
                    if (col.Type == FieldType.Choice && col.Multiple) _sb.Append(" data-multiple=\"true\"");
                    _sb.Append('>');
                    Cell(col, $"{rowId}_c{c}", $"{colName} – {rowName}", col.Help is null ? null : $"{id}_c{c}_help");
                    _sb.Append("</td>");
                }
                _sb.Append("</tr>\n");
            }
            _sb.Append("</tbody>\n</table>\n</div>\n");
        }

        private void Cell(Field col, string id, string ariaLabel, string? helpId)
        {
            switch (col.Type)
            {
                case FieldType.Scale:
                    Select(id, ariaLabel, helpId, col.Required,
                        [.. ScaleValues(col).Select(v => (Num(v), ScaleText(col, v) is { } t ? $"{Show(v)} – {t}" : Show(v)))]);
                    break;
                case FieldType.Boolean:
                    Select(id, ariaLabel, helpId, col.Required, [("true", page.S("ws.yes")), ("false", page.S("ws.no"))]);
                    break;
                case FieldType.Choice when !col.Multiple:
                    Select(id, ariaLabel, helpId, col.Required, [.. col.Options.Select(o => (o.ValueText, page.T(o.Label)))]);
                    break;
                case FieldType.Choice:
                    _sb.Append("<div class=\"ce-ws-cell-options\" role=\"group\" aria-label=\"").Append(Html.Attr(ariaLabel)).Append('"');
                    DescribedBy(helpId);
                    _sb.Append('>');
                    for (var i = 0; i < col.Options.Length; i++)
                    {
                        var oid = $"{id}_o{i}";
                        _sb.Append("<label class=\"ce-ws-option\" for=\"").Append(oid).Append("\"><input type=\"checkbox\" id=\"").Append(oid)
                            .Append("\" name=\"").Append(id).Append("\" value=\"").Append(Html.Attr(col.Options[i].ValueText)).Append("\">")
                            .Append("<span class=\"ce-ws-option-text\">").Append(Html.Text(page.T(col.Options[i].Label))).Append("</span></label>");
                    }
                    _sb.Append("</div>");
                    break;
                default:
                    Control(col, id, id, ariaLabel, helpId, col.Required);
                    break;
            }
        }

        private void Select(string id, string ariaLabel, string? helpId, bool required, IReadOnlyList<(string Value, string Label)> options)
        {
            _sb.Append("<select class=\"ce-ws-input ce-ws-select\" id=\"").Append(id).Append("\" name=\"").Append(id)
                .Append("\" aria-label=\"").Append(Html.Attr(ariaLabel)).Append('"');
            if (required) _sb.Append(" aria-required=\"true\"");
            DescribedBy(helpId);
            _sb.Append("><option value=\"\">").Append(Html.Text(page.S("ws.choose"))).Append("</option>");
            foreach (var (value, label) in options)
                _sb.Append("<option value=\"").Append(Html.Attr(value)).Append("\">").Append(Html.Text(label)).Append("</option>");
            _sb.Append("</select>\n");
        }

        // ---- the Bull's-eye --------------------------------------------------------------------

        private static int Rings(Field f) => Math.Clamp(f.Rings ?? 4, 1, 20);

        private const double Radius = 100;

        private void Target(Field f, string id)
        {
            var rings = Rings(f);
            var areas = f.Areas;
            _sb.Append("<fieldset class=\"ce-ws-group ce-ws-target\" aria-labelledby=\"").Append(id).Append("_label\"");
            DescribedBy(HelpId(f, id), id + "_hint");
            _sb.Append(">\n<legend class=\"ce-ws-label\" id=\"").Append(id).Append("_label\">");
            LabelContent(f);
            RequiredText(f);
            _sb.Append("</legend>\n");
            Help(f, id);
            _sb.Append("<p class=\"ce-ws-hint\" id=\"").Append(id).Append("_hint\">").Append(Html.Text(page.S("ws.target-hint"))).Append("</p>\n");
            TargetSvg(areas, rings);
            _sb.Append("<div class=\"ce-ws-target-areas\">\n");
            for (var a = 0; a < areas.Length; a++)
            {
                var aid = $"{id}_a{a}";
                _sb.Append("<div class=\"ce-ws-target-area\" data-area=\"").Append(Html.Attr(areas[a].Id)).Append("\">\n")
                    .Append("<fieldset class=\"ce-ws-group\" role=\"radiogroup\" aria-labelledby=\"").Append(aid).Append("_label\"");
                if (f.Required) _sb.Append(" aria-required=\"true\"");
                _sb.Append(">\n<legend class=\"ce-ws-area-label\" id=\"").Append(aid).Append("_label\">")
                    .Append("<span class=\"ce-ws-area-number\" aria-hidden=\"true\">").Append(a + 1).Append("</span> ")
                    .Append(Html.Text(page.T(areas[a].Label))).Append("</legend>\n<div class=\"ce-ws-rings\">");
                for (var k = 1; k <= rings; k++)
                {
                    var text = k == 1 ? page.S("ws.ring-centre") : k == rings ? page.S("ws.ring-outer") : "{n}";
                    var oid = $"{aid}_r{k}";
                    _sb.Append("<label class=\"ce-ws-ring-option\" for=\"").Append(oid).Append("\"><input type=\"radio\" id=\"").Append(oid)
                        .Append("\" name=\"").Append(aid).Append("\" value=\"").Append(k).Append("\"><span>")
                        .Append(Html.Text(text.Replace("{n}", k.ToString(CultureInfo.InvariantCulture)))).Append("</span></label>");
                }
                _sb.Append("</div>\n</fieldset>\n");
                Clear(aid + "_label", areas[a].Id);
                _sb.Append("</div>\n");
            }
            _sb.Append("</div>\n</fieldset>\n");
        }

        private void TargetSvg(IReadOnlyList<TargetArea> areas, int rings)
        {
            var n = Math.Max(areas.Count, 1);
            var sector = 360.0 / n;
            var width = Radius / rings;
            var labels = new StringBuilder();
            double left = -Radius - 4, right = Radius + 4, top = -Radius - 4, bottom = Radius + 4;
            for (var a = 0; a < areas.Count; a++)
            {
                var (x0, y0, x1, y1) = AreaLabel(labels, a + 1, page.T(areas[a].Label), -90 + (a + 0.5) * sector);
                (left, right, top, bottom) = (Math.Min(left, x0), Math.Max(right, x1), Math.Min(top, y0), Math.Max(bottom, y1));
            }
            _sb.Append("<svg class=\"ce-ws-target-svg\" viewBox=\"").Append(Svg(left)).Append(' ').Append(Svg(top)).Append(' ')
                .Append(Svg(right - left)).Append(' ').Append(Svg(bottom - top)).Append("\" aria-hidden=\"true\" focusable=\"false\">\n");
            for (var a = 0; a < areas.Count; a++)
            {
                var a0 = -90 + a * sector;
                var a1 = a0 + sector;
                _sb.Append("<g class=\"ce-ws-target-sector\" data-area=\"").Append(Html.Attr(areas[a].Id)).Append("\">");
                for (var k = rings; k >= 1; k--)
                {
                    _sb.Append("<path class=\"ce-ws-target-cell").Append(k % 2 == 0 ? " ce-ws-target-alt" : "").Append(k == 1 ? " ce-ws-target-centre" : "")
                        .Append("\" data-area=\"").Append(Html.Attr(areas[a].Id)).Append("\" data-ring=\"").Append(k)
                        .Append("\" d=\"").Append(SectorPath((k - 1) * width, k * width, a0, a1)).Append("\"/>");
                }
                var mid = (a0 + a1) / 2;
                for (var k = 1; k <= rings; k++)
                {
                    var r = k == 1 ? (n == 1 ? 0 : width * 0.55) : (k - 0.5) * width;
                    var (x, y) = Point(r, mid);
                    _sb.Append("<circle class=\"ce-ws-target-dot\" data-area=\"").Append(Html.Attr(areas[a].Id)).Append("\" data-ring=\"").Append(k)
                        .Append("\" cx=\"").Append(Svg(x)).Append("\" cy=\"").Append(Svg(y)).Append("\" r=\"").Append(Svg(Math.Min(8, Math.Max(4.5, width * 0.32)))).Append("\"/>");
                }
                _sb.Append("</g>\n");
            }
            // Lines between the sectors, drawn over the rings.
            if (areas.Count > 1)
                for (var a = 0; a < areas.Count; a++)
                {
                    var (x, y) = Point(Radius, -90 + a * sector);
                    _sb.Append("<line class=\"ce-ws-target-line\" x1=\"0\" y1=\"0\" x2=\"").Append(Svg(x)).Append("\" y2=\"").Append(Svg(y)).Append("\"/>");
                }
            _sb.Append('\n').Append(labels).Append("</svg>\n");
        }

        /// <summary>
        /// An area's number and name outside the rings, wrapped to a few short lines; returns the box it
        /// takes, roughly (15-unit bold text), so that the picture can be made to hold it.
        /// </summary>
        private static (double Left, double Top, double Right, double Bottom) AreaLabel(StringBuilder sb, int number, string label, double angle)
        {
            const double lineHeight = 17, ascent = 12, charWidth = 8.8;
            var lines = Html.Wrap($"{number}. {label}", 14);
            var (x, y) = Point(Radius + 10, angle);
            var anchor = Math.Abs(x) < 15 ? "middle" : x > 0 ? "start" : "end";
            double first;
            if (Math.Abs(y) < 20) first = y - (lines.Count - 1) * lineHeight / 2 + 5;
            else if (y < 0) first = y - (lines.Count - 1) * lineHeight;
            else first = y + ascent;
            sb.Append("<text class=\"ce-ws-target-label\" text-anchor=\"").Append(anchor).Append("\" x=\"").Append(Svg(x)).Append("\" y=\"").Append(Svg(first)).Append("\">");
            for (var i = 0; i < lines.Count; i++)
            {
                sb.Append("<tspan x=\"").Append(Svg(x)).Append('"');
                if (i > 0) sb.Append(" dy=\"").Append(Svg(lineHeight)).Append('"');
                sb.Append('>').Append(Html.Text(lines[i])).Append("</tspan>");
            }
            sb.Append("</text>\n");
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

using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ContentEngine.Compilation;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Print;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Tests;

/// <summary>Worksheets as paper forms, and conditions in words, for the printed workbook.</summary>
public sealed class PaperFormTests
{
    private static readonly string ProgramFolder = TestPaths.Repo("content", "iact-chronic-pain");

    private static readonly Lazy<CompilationResult> Sample = new(() => ProgramCompiler.Compile(ProgramFolder));

    private static ProgramGraph Graph => Sample.Value.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(Sample.Value.Diagnostics));

    private static readonly Lazy<Theme> DefaultTheme = new(() => Theme.Load(ProgramFolder, Graph.Theme));

    private static PageContext Page(string locale = "en") => new(Graph, locale, $"{locale}/workbook.html", DefaultTheme.Value);

    private static Worksheet Sheet(string id) => Graph.FindWorksheet(id) ?? throw new InvalidOperationException($"no worksheet {id}");

    private static string Render(Worksheet ws, string locale = "en") => PaperForm.Render(ws, Page(locale));

    /// <summary>A diary's fields as a form, as each would print outside the diary's grid.</summary>
    private static Worksheet AsForm(string id) => Sheet(id) with { Kind = WorksheetKind.Form, Repeat = null };

    private static int Count(string html, string s) => Regex.Matches(html, Regex.Escape(s)).Count;

    /// <summary>The markup of one field's wrapper (the first, in a diary), up to the next field.</summary>
    private static string FieldHtml(string html, string fieldId)
    {
        var start = html.IndexOf($"<div class=\"ce-paper-field\" data-field=\"{fieldId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no field {fieldId}");
        var next = html.IndexOf("<div class=\"ce-paper-field\"", start + 10, StringComparison.Ordinal);
        return next < 0 ? html[start..] : html[start..next];
    }

    /// <summary>The paper form is well-formed markup: it parses as XML inside one root.</summary>
    private static XElement Parse(string html) => XElement.Parse("<root>" + html + "</root>");

    private static int EmptyCells(string html) => Regex.Matches(html, "<td class=\"ce-paper-cell\" data-column=\"[^\"]*\"></td>").Count;

    private static string Type(FieldType type) => type.ToString().ToLowerInvariant();

    // ---- building worksheets ------------------------------------------------------------------

    private static LocalizedText L(string en, string? sv = null)
    {
        var b = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        b["en"] = en;
        b["sv"] = sv ?? en;
        return new LocalizedText(b.ToImmutable());
    }

    private static Field F(string id, FieldType type, string label, string? help = null, double? min = null, double? max = null, double? step = null,
        string? unit = null, ScaleLabel[]? labels = null, ChoiceOption[]? options = null, bool multiple = false, Field[]? columns = null,
        string[]? rows = null, int? rowCount = null, TargetArea[]? areas = null, int? rings = null) =>
        new(id, type, L(label), help is null ? null : L(help), false, min, max, step, unit is null ? null : L(unit),
            [.. labels ?? []], [.. options ?? []], multiple, [.. columns ?? []], [.. (rows ?? []).Select(r => L(r))], rowCount, [.. areas ?? []], rings);

    private static Worksheet W(string id, WorksheetKind kind, params Field[] fields) =>
        new(id, $"worksheets/{id}.md", L(id), null, kind, null, null, false, [.. fields], null, ImmutableSortedDictionary<string, Content>.Empty);

    // ---- every worksheet of the sample ----------------------------------------------------------

    [Fact]
    public void EverySampleWorksheetPrintsEveryFieldWithItsTypeAndLabelInEveryLocale()
    {
        Assert.NotEmpty(Graph.Worksheets);
        var types = new HashSet<FieldType>();
        foreach (var ws in Graph.Worksheets)
            foreach (var locale in new[] { "sv", "en" })
            {
                Assert.Contains(locale, Graph.Locales);
                var page = Page(locale);
                var html = Render(ws, locale);
                var root = Parse(html);
                Assert.Equal("ce-paper-form", root.Elements().First().Attribute("class")?.Value);
                // The caller prints the title; no ids, so a worksheet can be printed twice in a document; every string is found.
                Assert.DoesNotContain($">{Html.Text(page.T(ws.Title))}<", html);
                Assert.DoesNotContain(" id=\"", html);
                Assert.DoesNotContain("<input", html);
                Assert.DoesNotMatch(@"(?<![\w-])(ws\.|print-)[a-z]", html);

                var wrappers = root.Descendants().Where(e => e.Attribute("class")?.Value == "ce-paper-field").ToList();
                if (PaperForm.AsGrid(ws))
                {
                    // A diary's grid: a column per field, headed by its label, and a cell per field in each row.
                    Assert.Empty(wrappers);
                    foreach (var f in ws.Fields)
                    {
                        types.Add(f.Type);
                        Assert.Contains($"<th scope=\"col\" class=\"ce-paper-col\" data-field=\"{f.Id}\" data-type=\"{Type(f.Type)}\">{Html.Text(page.T(f.Label))}", html);
                        Assert.Equal(PaperForm.Blocks(ws), Count(html, $"<td class=\"ce-paper-cell\" data-field=\"{f.Id}\">"));
                        if (f.Help is not null) Assert.Contains($"<span class=\"ce-paper-col-help\">{Html.Text(page.T(f.Help))}</span>", html);
                        foreach (var l in f.Labels) Assert.Contains(Html.Text(page.T(l.Text)), html);
                    }
                    continue;
                }
                Assert.Equal(ws.Fields.Length * PaperForm.Blocks(ws), wrappers.Count);
                foreach (var f in ws.Fields)
                {
                    types.Add(f.Type);
                    Assert.Contains($"<div class=\"ce-paper-field\" data-field=\"{f.Id}\" data-type=\"{Type(f.Type)}\"", html);
                    var field = FieldHtml(html, f.Id);
                    Assert.Contains($"<p class=\"ce-paper-label\">{Html.Text(page.T(f.Label))}", field);
                    if (f.Help is not null) Assert.Contains($"<p class=\"ce-paper-help\">{Html.Text(page.T(f.Help))}</p>", field);
                    if (f.Unit is not null) Assert.Contains(Html.Text(page.T(f.Unit)), field);
                    foreach (var o in f.Options) Assert.Contains($"<span class=\"ce-paper-option-text\">{Html.Text(page.T(o.Label))}</span>", field);
                    foreach (var c in f.Columns) Assert.Contains($"data-column=\"{c.Id}\" data-type=\"{Type(c.Type)}\">{Html.Text(page.T(c.Label))}", field);
                    foreach (var l in f.Labels) Assert.Contains(Html.Text(page.T(l.Text)), field);
                }
            }
        // The sample has a field of every type.
        Assert.Equal(Enum.GetValues<FieldType>().Length, types.Count);
    }

    [Fact]
    public void TheDailySleepDiaryIsAGridOfAWeekWithARowPerDayAndItsDate()
    {
        var ws = Sheet("sleep-diary");
        Assert.True(PaperForm.AsGrid(ws));
        Assert.Equal(7, PaperForm.Blocks(ws));
        foreach (var (locale, day, date) in new[] { ("en", "Day", "Date"), ("sv", "Dag", "Datum") })
        {
            var html = Render(ws, locale);
            Parse(html);
            Assert.Contains("data-kind=\"diary\" data-repeat=\"daily\" data-blocks=\"7\"", html);
            // One grid, one table: a week on one page.
            Assert.Equal(1, Count(html, "<div class=\"ce-paper-grid\""));
            Assert.Equal(1, Count(html, "<table class=\"ce-paper-diary\" data-columns=\"7\">"));
            Assert.Equal(7, Count(html, "<tr class=\"ce-paper-row\""));
            for (var d = 1; d <= 7; d++)
                Assert.Contains($"<tr class=\"ce-paper-row\" data-entry=\"{d}\"><th scope=\"row\" class=\"ce-paper-row-label\"><span class=\"ce-paper-row-name\">{day} {d}</span><span class=\"ce-paper-row-date\">{date}</span></th>", html);
            foreach (var f in ws.Fields) Assert.Equal(7, Count(html, $"<td class=\"ce-paper-cell\" data-field=\"{f.Id}\">"));
            Assert.DoesNotContain("ce-paper-repeat", html);
        }
        var en = Render(ws);
        // Times show where the colon goes, with hh:mm under the label; the 1-5 scale is numbers to circle in every row.
        Assert.Contains("<span class=\"ce-paper-col-hint\">hh:mm</span>", en);
        Assert.Equal(14, Count(en, "<span class=\"ce-paper-cell-sep\" aria-hidden=\"true\">:</span>"));
        Assert.Equal(7, Count(en, "<span class=\"ce-paper-circle-row\"><span class=\"ce-paper-circle\">1</span><span class=\"ce-paper-circle\">2</span><span class=\"ce-paper-circle\">3</span><span class=\"ce-paper-circle\">4</span><span class=\"ce-paper-circle\">5</span></span>"));
        Assert.Contains("<span class=\"ce-paper-col-hint\">Circle one number.</span>", en);
        // What the scale's ends mean, once, under the grid.
        Assert.Contains("<p class=\"ce-paper-grid-note\"><span class=\"ce-paper-grid-note-field\">How did you sleep?</span> 1 = Very badly · 5 = Very well</p>", en);
        // Yes and no to tick in the two yes/no columns of each row.
        Assert.Equal(7 * 2 * 2, Count(en, "<span class=\"ce-paper-box\"></span>"));
        // The column widths add up to the text block.
        var widths = Regex.Matches(en, "<col style=\"width: ([0-9.]+)%\"/>").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(8, widths.Count);
        Assert.InRange(widths.Sum(), 99.9, 100.1);
    }

    [Fact]
    public void WeeklyAndEntryDiariesAreGridsToo()
    {
        var field = F("what", FieldType.Text, "What happened?");
        var entries = W("flare", WorksheetKind.Diary, field) with { Repeat = DiaryRepeat.Entry };
        Assert.Equal(3, PaperForm.Blocks(entries));
        var html = Render(entries);
        Assert.Equal(3, Count(html, "<tr class=\"ce-paper-row\""));
        Assert.Contains("<span class=\"ce-paper-row-name\">Entry 3</span>", html);
        Assert.Contains("<span class=\"ce-paper-row-name\">Anteckning 2</span>", Render(entries, "sv"));

        var weekly = W("week", WorksheetKind.Diary, field) with { Repeat = DiaryRepeat.Weekly, Days = 21 };
        Assert.Equal(3, PaperForm.Blocks(weekly));
        Assert.Contains("<span class=\"ce-paper-row-name\">Week 3</span>", Render(weekly));
        Assert.Contains("<span class=\"ce-paper-row-name\">Vecka 1</span>", Render(weekly, "sv"));
        Assert.Equal(1, PaperForm.Blocks(weekly with { Days = null }));
        Assert.Equal(1, PaperForm.Blocks(weekly with { Days = 3 }));

        var daily = W("days", WorksheetKind.Diary, field) with { Repeat = DiaryRepeat.Daily };
        Assert.Equal(7, PaperForm.Blocks(daily));
        Assert.Equal(1, PaperForm.Blocks(W("form", WorksheetKind.Form, field)));
        Assert.DoesNotContain("ce-paper-grid", Render(W("form", WorksheetKind.Form, field)));
        Assert.False(PaperForm.AsGrid(W("form", WorksheetKind.Form, field)));

        // Two weeks of days: a grid per week, each titled with its week (the CSS starts each on a page of its own).
        var fortnight = Render(daily with { Days = 14 });
        Assert.Equal(2, Count(fortnight, "<div class=\"ce-paper-grid\" data-rows=\"7\""));
        Assert.Contains("<p class=\"ce-paper-grid-title\">Week 2</p>", fortnight);
        Assert.Contains("<span class=\"ce-paper-row-name\">Day 14</span>", fortnight);
        Assert.Equal(2, Count(Render(daily with { Days = 10 }), "<div class=\"ce-paper-grid\""));
        Assert.Contains("data-rows=\"3\"", Render(daily with { Days = 10 }));
    }

    [Fact]
    public void ADiaryWhoseFieldsCannotSitInACellPrintsABlockPerDay()
    {
        var table = F("t", FieldType.Table, "Table", columns: [F("a", FieldType.Text, "A")], rowCount: 2);
        var diary = W("d", WorksheetKind.Diary, F("what", FieldType.Text, "What happened?"), table) with { Repeat = DiaryRepeat.Daily };
        Assert.False(PaperForm.AsGrid(diary));
        Assert.False(PaperForm.AsGrid(diary with { Fields = [F("vas", FieldType.Scale, "How", min: 0, max: 100)] }));
        var html = Render(diary);
        Assert.DoesNotContain("ce-paper-grid", html);
        Assert.Equal(7, Count(html, "<section class=\"ce-paper-repeat\""));
        for (var d = 1; d <= 7; d++)
            Assert.Contains($"<section class=\"ce-paper-repeat\" data-entry=\"{d}\">\n<div class=\"ce-paper-repeat-head\"><h4 class=\"ce-paper-repeat-title\">Day {d}</h4>", html);
        Assert.Equal(7, Count(html, "<div class=\"ce-paper-repeat-date\">"));
        // One line per text field.
        Assert.Equal(7, Count(html, "data-lines=\"1\""));
    }

    /// <summary>notes_pages in a module's front matter reaches the graph and graph.json; left out it is 0 and not written.</summary>
    [Fact]
    public void NotesPagesAreReadIntoTheGraph()
    {
        Assert.Equal(["defusion", "values"], Graph.Modules.Where(m => m.NotesPages > 0).Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.All(Graph.Modules.Where(m => m.NotesPages > 0), m => Assert.Equal(1, m.NotesPages));
        using var json = JsonDocument.Parse(ContentEngine.Output.GraphJson.Write(Graph));
        var modules = json.RootElement.GetProperty("modules").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal(1, modules["values"].GetProperty("notesPages").GetInt32());
        Assert.False(modules["welcome"].TryGetProperty("notesPages", out _));
    }

    [Fact]
    public void AZeroToTenScaleIsElevenNumbersToCircleWithItsEndLabels()
    {
        var ws = Sheet("pain-rating");
        foreach (var (locale, min, max) in new[] { ("en", "No pain", "Worst pain imaginable"), ("sv", "Ingen smärta", "Värsta tänkbara smärta") })
        {
            var intensity = FieldHtml(Render(ws, locale), "intensity");
            Assert.Contains("<div class=\"ce-paper-scale\" data-count=\"11\"", intensity);
            Assert.Contains(locale == "en" ? ">Circle one number.</p>" : ">Ringa in en siffra.</p>", intensity);
            var values = Regex.Matches(intensity, "<span class=\"ce-paper-scale-value\">([^<]*)</span>").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal([.. Enumerable.Range(0, 11).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))], values);
            Assert.Contains($"<span class=\"ce-paper-scale-label ce-paper-end-min\" style=\"grid-column: 1 / 6\">{min}</span>", intensity);
            Assert.Contains($"<span class=\"ce-paper-scale-label ce-paper-end-max\" style=\"grid-column: 7 / 12\">{max}</span>", intensity);
            Assert.DoesNotContain("ce-paper-vas", intensity);
            Assert.Contains("<span class=\"ce-paper-req\">\u00A0*</span>", intensity);
        }
        var control = FieldHtml(Render(ws), "control");
        Assert.Equal(7, Count(control, "<span class=\"ce-paper-scale-value\">"));
        Assert.Contains(">Not at all</span>", control);
        Assert.Contains(">Very well</span>", control);

        // A label between the ends sits under its value.
        var mid = PaperForm.Render(W("m", WorksheetKind.Form, F("s", FieldType.Scale, "S", min: 0, max: 10, step: 1,
            labels: [new ScaleLabel(0, L("Low")), new ScaleLabel(5, L("Middle")), new ScaleLabel(10, L("High"))])), Page());
        Assert.Contains("<span class=\"ce-paper-scale-label ce-paper-end-mid\" style=\"grid-column: 5 / 8\">Middle</span>", mid);

        // Steps show the locale's decimal separator.
        var half = PaperForm.Render(W("h", WorksheetKind.Form, F("s", FieldType.Scale, "S", min: 0, max: 2, step: 0.5)), Page("sv"));
        Assert.Contains(">1,5</span>", half);
        Assert.Equal(5, Count(half, "class=\"ce-paper-scale-value\""));
    }

    [Fact]
    public void AZeroToHundredScaleIsAHundredMillimetreLine()
    {
        var field = Sheet("health-check").Fields.Single(f => f.Id == "health-today");
        Assert.True(PaperForm.ScaleAsLine(field));
        Assert.False(PaperForm.ScaleAsLine(Sheet("pain-rating").Fields[0]));
        Assert.True(PaperForm.ScaleAsLine(F("s", FieldType.Scale, "S", min: 0, max: 20)));
        Assert.False(PaperForm.ScaleAsLine(F("s", FieldType.Scale, "S", min: 1, max: 20)));

        var vas = FieldHtml(Render(Sheet("health-check")), "health-today");
        Assert.Contains("<div class=\"ce-paper-vas\" data-min=\"0\" data-max=\"100\">", vas);
        Assert.Contains("<div class=\"ce-paper-vas-line\"><span class=\"ce-paper-vas-tick ce-paper-vas-tick-min\"></span><span class=\"ce-paper-vas-tick ce-paper-vas-tick-max\"></span></div>", vas);
        Assert.Contains("<span class=\"ce-paper-vas-end ce-paper-end-min\"><span class=\"ce-paper-vas-value\">0</span> <span class=\"ce-paper-vas-text\">The worst health I can imagine</span></span>", vas);
        Assert.Contains("<span class=\"ce-paper-vas-end ce-paper-end-max\"><span class=\"ce-paper-vas-value\">100</span> <span class=\"ce-paper-vas-text\">The best health I can imagine</span></span>", vas);
        Assert.DoesNotContain("ce-paper-scale-value", vas);
        Assert.Contains("Bästa hälsa jag kan tänka mig", FieldHtml(Render(Sheet("health-check"), "sv"), "health-today"));

        var css = File.ReadAllText(TestPaths.Repo("themes", "default", "print", "fields.css"));
        Assert.Matches(@"\.ce-paper-vas-line \{[^}]*width: 100mm;", css);
        Assert.Matches(@"\.ce-paper-field \{[^}]*break-inside: avoid;", css);
        Assert.Matches(@"\.ce-paper-grid \{[^}]*break-inside: avoid;", css);
        Assert.Matches(@"\.ce-paper-grid \+ \.ce-paper-grid \{[^}]*break-before: page;", css);
        Assert.Matches(@"\.ce-paper-repeat \{[^}]*break-inside: avoid;", css);
        // Boxes and lines in rem: 5 mm and 9.5 mm at 12 pt, a third more in large print.
        Assert.Matches(@"\.ce-paper-box \{[^}]*width: 1\.2rem;[^}]*height: 1\.2rem;", css);
        Assert.Matches(@"\.ce-paper-line \{[^}]*height: 2\.25rem;[^}]*border-bottom:", css);
        Assert.DoesNotMatch(@"(^|[\s,{])\.(?!ce-paper-)[a-z][\w-]*", Regex.Replace(css, @"/\*.*?\*/", "", RegexOptions.Singleline));
    }

    [Fact]
    public void ChoicesAndYesNoAreBoxesWithTheirLabels()
    {
        var wishes = Render(Sheet("aftercare-wishes"));
        var areas = FieldHtml(wishes, "areas");
        Assert.Equal(6, Count(areas, "<div class=\"ce-paper-option\"><span class=\"ce-paper-box\"></span>"));
        Assert.Contains("<p class=\"ce-paper-hint\">Tick as many as apply.</p>", areas);
        Assert.Contains("<span class=\"ce-paper-option-text\">Stress and recovery</span>", areas);
        var situation = FieldHtml(wishes, "work-situation");
        Assert.Equal(4, Count(situation, "<span class=\"ce-paper-box\"></span>"));
        Assert.DoesNotContain("ce-paper-hint", situation);
        Assert.Contains("Kryssa för alla som stämmer.", FieldHtml(Render(Sheet("aftercare-wishes"), "sv"), "areas"));

        var nap = FieldHtml(Render(AsForm("sleep-diary")), "nap");
        Assert.Contains("<div class=\"ce-paper-options ce-paper-options-inline\">", nap);
        Assert.Contains("<span class=\"ce-paper-box\"></span><span class=\"ce-paper-option-text\">Yes</span>", nap);
        Assert.Contains("<span class=\"ce-paper-box\"></span><span class=\"ce-paper-option-text\">No</span>", nap);
        var sv = FieldHtml(Render(AsForm("sleep-diary"), "sv"), "nap");
        Assert.Contains(">Ja</span>", sv);
        Assert.Contains(">Nej</span>", sv);
        // Boxes are drawn, not typed.
        Assert.DoesNotContain("☐", Render(AsForm("sleep-diary")));
    }

    [Fact]
    public void NumbersDatesTimesAndDurationsAreBoxesWithUnitsAndLimits()
    {
        var sleep = Render(AsForm("sleep-diary"));
        var hours = FieldHtml(sleep, "hours");
        Assert.Contains("<span class=\"ce-paper-write-box\"></span> <span class=\"ce-paper-unit\">hours</span> <span class=\"ce-paper-limits\">(0–14 hours)</span>", hours);
        Assert.Contains("(0–14 timmar)", FieldHtml(Render(AsForm("sleep-diary"), "sv"), "hours"));
        var awake = FieldHtml(sleep, "awake");
        Assert.Contains("<span class=\"ce-paper-write-box\"></span> <span class=\"ce-paper-unit\">minutes</span>", awake);
        Assert.DoesNotContain("ce-paper-limits", awake);
        Assert.Contains(">minuter</span>", FieldHtml(Render(AsForm("sleep-diary"), "sv"), "awake"));
        Assert.Contains("(0–7 days)", FieldHtml(Render(Sheet("aftercare-wishes")), "low-days"));

        var bedtime = FieldHtml(sleep, "bedtime");
        Assert.Equal(4, Count(bedtime, "<span class=\"ce-paper-digit\"></span>"));
        Assert.Contains("<span class=\"ce-paper-sep\">:</span>", bedtime);
        Assert.Contains(">hh</span>", bedtime);
        Assert.Contains(">tt</span>", FieldHtml(Render(AsForm("sleep-diary"), "sv"), "bedtime"));

        var date = FieldHtml(Render(Sheet("relapse-plan")), "review-date");
        Assert.Equal(8, Count(date, "<span class=\"ce-paper-digit\"></span>"));
        Assert.Equal(2, Count(date, "<span class=\"ce-paper-sep\">-</span>"));
        Assert.Contains(">yyyy</span>", date);
        Assert.Contains(">åååå</span>", FieldHtml(Render(Sheet("relapse-plan"), "sv"), "review-date"));

        var limits = PaperForm.Render(W("n", WorksheetKind.Form, F("a", FieldType.Number, "A", min: 0.5), F("b", FieldType.Integer, "B", max: 24, unit: "h")), Page("sv"));
        Assert.Contains("(minst 0,5)", limits);
        Assert.Contains("(högst 24 h)", limits);
    }

    [Fact]
    public void TextIsRuledLines()
    {
        var plan = Render(Sheet("relapse-plan"));
        // A long text gets a short paragraph's lines, a text one line.
        Assert.Contains($"<div class=\"ce-paper-lines\" data-lines=\"{PaperForm.LongTextLines}\">", FieldHtml(plan, "warning-signs"));
        Assert.Equal(5, Count(FieldHtml(plan, "warning-signs"), "<div class=\"ce-paper-line\"></div>"));
        Assert.Equal(1, Count(FieldHtml(plan, "support"), "<div class=\"ce-paper-line\"></div>"));
    }

    [Fact]
    public void TablesAreEmptyWithTheirColumnsAndRows()
    {
        foreach (var locale in new[] { "en", "sv" })
        {
            var page = Page(locale);
            var ws = Sheet("activity-plan");
            var field = ws.Fields.Single(f => f.Id == "plan");
            var plan = FieldHtml(Render(ws, locale), "plan");
            Assert.Contains("<table class=\"ce-paper-table\" data-columns=\"6\" data-rows=\"7\">", plan);
            Assert.Contains("<td class=\"ce-paper-corner\"></td>", plan);
            foreach (var c in field.Columns)
                Assert.Contains($"<th scope=\"col\" class=\"ce-paper-col\" data-column=\"{c.Id}\" data-type=\"{Type(c.Type)}\">{Html.Text(page.T(c.Label))}", plan);
            foreach (var r in field.RowLabels)
                Assert.Contains($"<th scope=\"row\" class=\"ce-paper-row-label\">{Html.Text(page.T(r))}</th>", plan);
            Assert.Equal(7, Count(plan, "<tr class=\"ce-paper-row\""));
            Assert.Equal(42, Count(plan, "<td class=\"ce-paper-cell\""));
            // Ticks in the cells of the choice and yes/no columns; the rest are empty.
            Assert.Equal(7 * (3 + 2), Count(plan, "<span class=\"ce-paper-box\"></span>"));
            Assert.Equal(28, EmptyCells(plan));
        }
        var en = FieldHtml(Render(Sheet("activity-plan")), "plan");
        Assert.Contains(">Monday</th>", en);
        Assert.Contains(">Söndag</th>", FieldHtml(Render(Sheet("activity-plan"), "sv"), "plan"));
        Assert.Contains("<span class=\"ce-paper-col-hint\">yyyy-mm-dd</span>", en);
        Assert.Contains("<span class=\"ce-paper-col-hint\">hh:mm</span>", en);
        Assert.Contains("<span class=\"ce-paper-col-hint\">minutes</span>", en);

        var records = FieldHtml(Render(Sheet("thought-record")), "records");
        Assert.Contains("<table class=\"ce-paper-table ce-paper-table-tall\" data-columns=\"5\" data-rows=\"5\">", records);
        Assert.DoesNotContain("ce-paper-corner", records);
        Assert.DoesNotContain("scope=\"row\"", records);
        Assert.Equal(5, Count(records, "<tr class=\"ce-paper-row\""));
        Assert.Equal(25, EmptyCells(records));
        foreach (var c in new[] { "Situation", "Thought", "Feeling", "How strong was the feeling?", "Another way to respond" })
            Assert.Contains($"\">{c}", records);
        Assert.Contains("<span class=\"ce-paper-col-hint\">0–100: 0 = Not at all, 100 = As strong as it gets</span>", records);
        Assert.Contains("<span class=\"ce-paper-col-help\">Where were you and what happened?</span>", records);
    }

    [Fact]
    public void TheBullsEyeIsAnSvgOfItsRingsWithTheAreasAround()
    {
        foreach (var locale in new[] { "en", "sv" })
        {
            var page = Page(locale);
            var field = Sheet("bulls-eye").Fields.Single(f => f.Type == FieldType.Target);
            var target = FieldHtml(Render(Sheet("bulls-eye"), locale), field.Id);
            Assert.Contains("<div class=\"ce-paper-target\" data-rings=\"4\" data-areas=\"4\">", target);
            Assert.Equal(field.Rings, Count(target, "<circle class=\"ce-paper-target-ring\""));
            for (var k = 1; k <= 4; k++)
                Assert.Contains($"<circle class=\"ce-paper-target-ring\" data-ring=\"{k}\" cx=\"0\" cy=\"0\" r=\"{(k * 11.25).ToString(System.Globalization.CultureInfo.InvariantCulture)}\"", target);
            Assert.Equal(4, Count(target, "<line class=\"ce-paper-target-line\""));
            Assert.Equal(4, Count(target, "<text class=\"ce-paper-target-label\""));
            var text = string.Join(" ", Regex.Matches(target, "<tspan[^>]*>([^<]*)</tspan>").Select(m => m.Groups[1].Value));
            for (var a = 0; a < field.Areas.Length; a++)
                Assert.Contains($"{a + 1}. {page.T(field.Areas[a].Label)}", text);

            // At least 90 mm across, and narrow enough for the text block of an A4 or Letter page.
            var svg = Parse(target).Descendants().Single(e => e.Name.LocalName == "svg");
            var width = double.Parse(svg.Attribute("width")!.Value.Replace("mm", ""), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(width, 90, 170);
            var box = svg.Attribute("viewBox")!.Value.Split(' ');
            Assert.Equal(box[2] + "mm", svg.Attribute("width")!.Value);
            Assert.Equal(box[3] + "mm", svg.Attribute("height")!.Value);
        }
    }

    [Fact]
    public void AuthorTextsAreEscaped()
    {
        const string evil = "<script>alert(\"x\")</script>&";
        var ws = W("all", WorksheetKind.Diary,
            F("text", FieldType.Text, evil + "Text", help: evil + "Help"),
            F("number", FieldType.Number, evil + "Hours", min: 0, max: 14, unit: evil + "hours"),
            F("nrs", FieldType.Scale, evil + "Pain", min: 0, max: 10, labels: [new ScaleLabel(0, L(evil + "None")), new ScaleLabel(10, L(evil + "Worst"))]),
            F("vas", FieldType.Scale, evil + "Health", min: 0, max: 100, labels: [new ScaleLabel(50, L(evil + "Middle"))], unit: evil + "points"),
            F("many", FieldType.Choice, evil + "Many", multiple: true, options: [new ChoiceOption("a", null, L(evil + "A"))]),
            F("plan", FieldType.Table, evil + "Plan", rows: [evil + "Monday"],
                columns: [F("what", FieldType.Text, evil + "What", help: evil + "Help of what"), F("kind", FieldType.Choice, evil + "Kind", options: [new ChoiceOption("a", null, L(evil + "Kind A"))])]),
            F("target", FieldType.Target, evil + "Target", rings: 3, areas: [new TargetArea("work", L(evil + "Work")), new TargetArea("love", L(evil + "Love"))]))
            with { Repeat = DiaryRepeat.Entry };
        foreach (var locale in new[] { "en", "sv" })
        {
            var html = PaperForm.Render(ws, Page(locale));
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain("alert(\"x\")", html);
            foreach (var s in new[] { "Text", "Help", "Hours", "hours", "None", "Worst", "Middle", "points", "Many", "A", "Plan", "Monday", "What", "Help of what", "Kind A", "Target" })
                Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" + s, html);
            Assert.Contains("aria-label=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;Target\"", html);
            Assert.Contains("&lt;/script&gt;&amp;Work", html);
            var root = Parse(html);
            Assert.Equal(3 * 7, root.Descendants().Count(e => e.Attribute("class")?.Value == "ce-paper-field"));
        }
    }

    [Fact]
    public void TheStringsOfPrintExistInEveryLocale()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("themes", "default", "strings-print.json")));
        var sv = doc.RootElement.GetProperty("sv").EnumerateObject().Select(p => p.Name).ToHashSet();
        var en = doc.RootElement.GetProperty("en").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(en.Order(), sv.Order());
        Assert.Equal(2, doc.RootElement.EnumerateObject().Count());
        foreach (var key in new[] { "print-contents", "print-page", "print-week", "print-version", "print-listen", "print-watch", "print-transcript",
                     "print-worksheets", "print-pause.one", "print-pause.other", "print-optional", "print-locale-sv", "print-locale-en" })
            Assert.Contains(key, en);
        foreach (var p in doc.RootElement.EnumerateObject())
            foreach (var s in p.Value.EnumerateObject())
                Assert.False(string.IsNullOrWhiteSpace(s.Value.GetString()), $"{p.Name}.{s.Name} is empty");

        var page = Page("en");
        Assert.Equal("Week 3", string.Format(page.S("print-week"), 3));
        Assert.Equal("Paus: vecka 7–10", string.Format(Page("sv").S("print-pause.other"), 7, 10));
        Assert.Equal("Pause: week 7", string.Format(page.S("print-pause.one"), 7));
        Assert.Equal("vecka 3", string.Format(Page("sv").S("print-weeks.one"), 3));
        Assert.Equal("Version 1.2.0", string.Format(page.S("print-version"), "1.2.0"));
        Assert.Equal("Svenska", page.S("print-locale-sv"));
        Assert.Equal("English", Page("sv").S("print-locale-en"));
        Assert.Contains("“Body scan”", string.Format(page.S("print-listen"), "Body scan"));
        Assert.Contains("”Kroppsskanning”", string.Format(Page("sv").S("print-watch"), "Kroppsskanning"));
    }

    // ---- conditions in words -------------------------------------------------------------------------

    /// <summary>A condition bound against the sample program, as the compiler binds it.</summary>
    private static Condition Cond(string source)
    {
        var (syntax, error) = ConditionParser.Parse(source);
        Assert.Null(error);
        var errors = new List<string>();
        var scope = new ConditionScope(Graph.Worksheets.ToDictionary(w => w.Id), [.. Graph.Modules.Select(m => m.Id)]);
        var tree = ConditionBinder.Bind(syntax!, scope, (d, _, _, _) => errors.Add(d.Id));
        Assert.Empty(errors);
        return new Condition(source, tree!);
    }

    private static string Words(string source, string locale = "en") => ConditionWords.Describe(Cond(source), Page(locale));

    private static IEnumerable<Condition> IfConditions(IEnumerable<ContentBlock> blocks)
    {
        foreach (var b in blocks.OfType<DirectiveBlock>())
        {
            if (b.Condition is not null) yield return b.Condition;
            foreach (var c in IfConditions(b.Children)) yield return c;
        }
    }

    [Fact]
    public void EveryConditionOfTheSampleIsASentenceInEveryLocale()
    {
        var conditions = Graph.Modules.SelectMany(m => m.Content.Values.SelectMany(c => IfConditions(c.Blocks)))
            .Concat(Graph.Worksheets.SelectMany(w => w.Content.Values.SelectMany(c => IfConditions(c.Blocks))))
            .Concat(Graph.Modules.Select(m => m.OfferWhen).OfType<Condition>())
            .ToList();
        Assert.True(conditions.Count >= 20, $"only {conditions.Count} conditions");
        foreach (var c in conditions)
            foreach (var (locale, start) in new[] { ("en", "If "), ("sv", "Om ") })
            {
                var words = ConditionWords.Describe(c, Page(locale));
                Assert.StartsWith(start, words);
                Assert.EndsWith(":", words);
                Assert.DoesNotContain("print-", words);
                Assert.DoesNotContain("{", words);
                Assert.DoesNotContain(" == ", words);
                Assert.DoesNotContain(">=", words);
            }
    }

    [Theory]
    [InlineData("pain-rating.intensity >= 7",
        "If your answer to “On average, how much pain have you had during the past week?” is 7 or more:",
        "Om ditt svar på ”Hur ont har du haft i genomsnitt den senaste veckan?” är 7 eller mer:")]
    [InlineData("pain-rating.control <= 2",
        "If your answer to “How well can you reduce the pain yourself when it is at its worst?” is 2 or less:",
        "Om ditt svar på ”Hur väl kan du själv minska smärtan när den är som värst?” är 2 eller mindre:")]
    [InlineData("aftercare-wishes.low-days >= 6",
        "If your answer to “On how many days during the past week have you felt low for most of the day?” is 6 days or more:",
        "Om ditt svar på ”Hur många dagar den senaste veckan har du känt dig nedstämd större delen av dagen?” är 6 dagar eller mer:")]
    [InlineData("health-check.leisure-exercise < 60",
        "If your answer to “In an ordinary week, how much time do you spend on exercise or training in your free time that makes you warm or a little out of breath?” is less than “60–90 minutes”:",
        "Om ditt svar på ”Hur mycket tid ägnar du en vanlig vecka åt motion eller träning på fritiden, som gör dig varm eller lite andfådd?” är mindre än ”60–90 minuter”:")]
    [InlineData("exercise-diary.mean(minutes) < 20",
        "If the average of your answers to “How long did you keep going?” in “Physical exercise diary” is less than 20 min:",
        "Om medelvärdet av dina svar på ”Hur länge höll du på?” i ”Träningsdagbok” är mindre än 20 min:")]
    [InlineData("sleep-diary.last(awake) >= 1",
        "If your latest answer to “Roughly how long were you awake during the night, in total?” in “Sleep diary” is 1 minute or more:",
        "Om ditt senaste svar på ”Ungefär hur länge låg du vaken under natten, sammanlagt?” i ”Sömndagbok” är 1 minut eller mer:")]
    [InlineData("exercise-diary.count() < 4",
        "If the number of entries in “Physical exercise diary” is less than 4:",
        "Om antalet anteckningar i ”Träningsdagbok” är mindre än 4:")]
    [InlineData("exercise-diary.max(pain) >= 8",
        "If your highest answer to “How much pain did you have afterwards?” in “Physical exercise diary” is 8 or more:",
        "Om ditt högsta svar på ”Hur ont hade du efteråt?” i ”Träningsdagbok” är 8 eller mer:")]
    [InlineData("flexibility.avoidance >= 16",
        "If your “avoidance” score on “Flexibility with pain” is 16 or more:",
        "Om din poäng för ”avoidance” i ”Flexibilitet med smärta” är 16 eller mer:")]
    [InlineData("not answered(bulls-eye)",
        "If you have not yet filled in “The Bull's-eye”:",
        "Om du ännu inte har fyllt i ”Måltavlan”:")]
    [InlineData("chosen(flare-ups)",
        "If you have chosen “When the pain flares up”:",
        "Om du har valt ”När smärtan blossar upp”:")]
    [InlineData("sleep-diary.mean(hours) < 6",
        "If the average of your answers to “How many hours did you sleep?” in “Sleep diary” is less than 6 hours:",
        "Om medelvärdet av dina svar på ”Hur många timmar sov du?” i ”Sömndagbok” är mindre än 6 timmar:")]
    [InlineData("aftercare-wishes.stress >= 7 or aftercare-wishes.areas == \"stress\"",
        "If your answer to “How stressed have you felt during the past week?” is 7 or more, or your answer to “Which areas would you like to keep working on? Choose as many as you like.” includes “Stress and recovery”:",
        "Om ditt svar på ”Hur stressad har du känt dig den senaste veckan?” är 7 eller mer, eller ditt svar på ”Vilka områden vill du arbeta vidare med? Välj gärna flera.” innehåller ”Stress och återhämtning”:")]
    [InlineData("aftercare-wishes.work-situation != \"sick-leave\"",
        "If your answer to “What is your work situation right now?” is not “I am on full-time sick leave”:",
        "Om ditt svar på ”Hur ser din arbetssituation ut just nu?” inte är ”Jag är heltidssjukskriven”:")]
    public void TheSamplesConditionsInWords(string source, string en, string sv)
    {
        Assert.Equal(en, Words(source, "en"));
        Assert.Equal(sv, Words(source, "sv"));
    }

    [Fact]
    public void TheSamplesIfConditionsAreAmongThoseSaidAbove()
    {
        var sources = Graph.Modules.SelectMany(m => m.Content.Values.SelectMany(c => IfConditions(c.Blocks))).Select(c => c.Source).ToHashSet();
        foreach (var s in new[] { "pain-rating.intensity >= 7", "exercise-diary.count() < 4", "not answered(bulls-eye)", "chosen(flare-ups)", "flexibility.avoidance >= 16",
                     "exercise-diary.mean(minutes) < 20", "health-check.leisure-exercise < 60", "sleep-diary.mean(hours) < 6" })
            Assert.Contains(s, sources);
    }

    [Fact]
    public void OperatorsAndLogicAreSaidInWords()
    {
        Assert.Equal("If the week of the program is 4:", Words("week == 4"));
        Assert.Equal("If the week of the program is not 4:", Words("week != 4"));
        Assert.Equal("If the week of the program is more than 4:", Words("week > 4"));
        Assert.Equal("If the week of the program is less than 4:", Words("week < 4"));
        Assert.Equal("Om veckan i programmet är mer än 4:", Words("week > 4", "sv"));
        // A literal on the left is said second, with the comparison turned round.
        Assert.Equal("If the week of the program is 3 or less:", Words("3 >= week"));
        // Numbers: invariant, no trailing zeros.
        Assert.Equal("If the week of the program is 6.5 or more:", Words("week >= 6.50"));
        Assert.Equal("If the week of the program is 20 or more:", Words("week >= 20.0"));
        Assert.Equal("Om veckan i programmet är 6.5 eller mer:", Words("week >= 6.5", "sv"));
        // Arithmetic with symbols and the parentheses it needs.
        Assert.Equal("If the week of the program − 1 is 6 or more:", Words("week - 1 >= 6"));
        Assert.Equal("If (the week of the program + 2) × 3 is more than −1:", Words("(week + 2) * 3 > -1"));
        Assert.Equal("If the week of the program ÷ (2 − 1) is 4:", Words("week / (2 - 1) == 4"));
        Assert.Equal("If the week of the program − (2 − 1) is 4:", Words("week - (2 - 1) == 4"));
        Assert.Equal("If the week of the program − 2 − 1 is 4:", Words("week - 2 - 1 == 4"));
        // and / or, with "both" and "either" only when mixed.
        Assert.Equal("If the week of the program is 1 and you have completed “Welcome”:", Words("week == 1 and completed(welcome)"));
        Assert.Equal("If the week of the program is 1, or the week of the program is 2, or the week of the program is 3:", Words("week == 1 or week == 2 or week == 3"));
        Assert.Equal("If the week of the program is 1, and either you have chosen “When the pain flares up” or you have filled in “Sleep diary”:",
            Words("week == 1 and (chosen(flare-ups) or answered(sleep-diary))"));
        Assert.Equal("If both the week of the program is 1 and you have completed “Welcome”, or the week of the program is 2:",
            Words("week == 1 and completed(welcome) or week == 2"));
        Assert.Equal("Om både veckan i programmet är 1 och du har gått igenom ”Välkommen”, eller veckan i programmet är 2:",
            Words("week == 1 and completed(welcome) or week == 2", "sv"));
        Assert.Equal("Om veckan i programmet är 1, och antingen du har valt ”När smärtan blossar upp” eller du har fyllt i ”Sömndagbok”:",
            Words("week == 1 and (chosen(flare-ups) or answered(sleep-diary))", "sv"));
        Assert.Equal("If the week of the program is 1, or you have completed “Welcome”:", Words("week == 1 or completed(welcome)"));
        Assert.Equal("If both the week of the program is 1 and the week of the program is 2 and you have completed “Welcome”, or you have chosen “When the pain flares up”:",
            Words("week == 1 and week == 2 and completed(welcome) or chosen(flare-ups)"));
        // not
        Assert.Equal("If it is not the case that the week of the program is 4:", Words("not week == 4"));
        Assert.Equal("Om det inte är så att veckan i programmet är 4:", Words("not week == 4", "sv"));
        Assert.Equal("If you have not completed “Welcome”:", Words("not completed(welcome)"));
        Assert.Equal("Om du inte har valt ”När smärtan blossar upp”:", Words("not chosen(flare-ups)", "sv"));
        Assert.Equal("If you have completed “Welcome”:", Words("completed(welcome)"));
        Assert.Equal("Om du har gått igenom ”Välkommen”:", Words("completed(welcome)", "sv"));
        Assert.Equal("If you have filled in “Sleep diary”:", Words("answered(sleep-diary)"));
        // Yes and no.
        Assert.Equal("If your latest answer to “Did you nap during the day?” in “Sleep diary” is “Yes”:", Words("sleep-diary.last(nap)"));
        Assert.Equal("If your latest answer to “Did you nap during the day?” in “Sleep diary” is “No”:", Words("sleep-diary.last(nap) == false"));
        Assert.Equal("Om ditt senaste svar på ”Sov du en stund under dagen?” i ”Sömndagbok” är ”Nej”:", Words("sleep-diary.last(nap) == false", "sv"));
        Assert.Equal("If the week of the program is 4:", Words("(week == 4) == true"));
        Assert.Equal("If it is not the case that the week of the program is 4:", Words("(week == 4) == false"));
        // Aggregates and scores.
        Assert.Equal("If your lowest answer to “How did you sleep?” in “Sleep diary” is 2 or less:", Words("sleep-diary.min(quality) <= 2"));
        Assert.Equal("If your latest answer to “How did you sleep?” in “Sleep diary” is 2 or less:", Words("sleep-diary.last(quality) <= 2"));
        Assert.Equal("If your “total” score on “Flexibility with pain” − your “avoidance” score on “Flexibility with pain” is more than 3:",
            Words("flexibility.total - flexibility.avoidance > 3"));
        // Multiple choice: includes / does not include.
        Assert.Equal("If your answer to “Which areas would you like to keep working on? Choose as many as you like.” does not include “Sleep”:",
            Words("aftercare-wishes.areas != 'sleep'"));
        Assert.Equal("If your answer to “Which areas would you like to keep working on? Choose as many as you like.” includes “Sleep”:",
            Words("'sleep' == aftercare-wishes.areas"));
        // A numeric choice by its option's label, also turned round.
        Assert.Equal("If your answer to “Has rehabilitation changed your ability to manage your life?” is more than “Unchanged”:",
            Words("3 < looking-back.manage-life"));
    }

    [Fact]
    public void ConditionWordsArePlainTextForTheCallerToEscape()
    {
        var words = Words("not answered(bulls-eye)");
        Assert.Contains("Bull's-eye", words);
        Assert.DoesNotContain("&", words);
        Assert.Equal("If you have not yet filled in “The Bull&#39;s-eye”:", Html.Text(words));
    }
}

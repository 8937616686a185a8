using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Tests;

/// <summary>The HTML of worksheet forms: labelled, unique, escaped, and in the markup worksheets.js reads.</summary>
public sealed partial class WorksheetFormTests
{
    private static readonly Lazy<CompilationResult> Sample = new(() => ProgramCompiler.Compile(TestPaths.Repo("content", "iact-chronic-pain")));

    private static ProgramGraph Graph => Sample.Value.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(Sample.Value.Diagnostics));

    private static PageContext Page(string locale = "en") => new(Graph, locale, $"{locale}/worksheets/test.html", Theme.BuiltIn);

    // ---- building worksheets ------------------------------------------------------------------

    private static LocalizedText L(string en, string? sv = null)
    {
        var b = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        b["en"] = en;
        if (sv is not null) b["sv"] = sv;
        return new LocalizedText(b.ToImmutable());
    }

    private static Field F(string id, FieldType type, string label, string? help = null, bool required = false, double? min = null, double? max = null,
        double? step = null, string? unit = null, ScaleLabel[]? labels = null, ChoiceOption[]? options = null, bool multiple = false,
        Field[]? columns = null, string[]? rows = null, int? rowCount = null, TargetArea[]? areas = null, int? rings = null) =>
        new(id, type, L(label), help is null ? null : L(help), required, min, max, step, unit is null ? null : L(unit),
            [.. labels ?? []], [.. options ?? []], multiple, [.. columns ?? []], [.. (rows ?? []).Select(r => L(r))], rowCount, [.. areas ?? []], rings);

    private static Worksheet W(string id, WorksheetKind kind, params Field[] fields) =>
        new(id, $"worksheets/{id}.md", L(id), null, kind, null, null, false, [.. fields], null, ImmutableSortedDictionary<string, Content>.Empty);

    private static Worksheet Diary(string id, DiaryRepeat repeat, int? days, params Field[] fields) =>
        W(id, WorksheetKind.Diary, fields) with { Repeat = repeat, Days = days };

    private static string Render(Worksheet ws, string locale = "en") => WorksheetForm.Render(ws, Page(locale));

    /// <summary>A worksheet with a field of every type, and every author text a piece of markup.</summary>
    private static Worksheet Everything(string evil = "")
    {
        var scaleLabels = new[] { new ScaleLabel(0, L(evil + "No pain")), new ScaleLabel(10, L(evil + "Worst pain")) };
        return W("all", WorksheetKind.Form,
            F("text", FieldType.Text, evil + "Text", help: evil + "Help of text", required: true),
            F("long", FieldType.LongText, evil + "Long text"),
            F("number", FieldType.Number, evil + "Hours", min: 0, max: 14, step: 0.5, unit: evil + "hours"),
            F("integer", FieldType.Integer, evil + "Days", min: 0, max: 7),
            F("duration", FieldType.Duration, evil + "Awake"),
            F("date", FieldType.Date, evil + "Date"),
            F("time", FieldType.Time, evil + "Time"),
            F("yes", FieldType.Boolean, evil + "Woke?", required: true),
            F("nrs", FieldType.Scale, evil + "Pain", help: evil + "Help of pain", required: true, min: 0, max: 10, step: 1, labels: scaleLabels),
            F("vas", FieldType.Scale, evil + "Health", min: 0, max: 100, step: 1,
                labels: [new ScaleLabel(0, L(evil + "Worst health")), new ScaleLabel(100, L(evil + "Best health"))]),
            F("one", FieldType.Choice, evil + "One", options: [new ChoiceOption(null, 0, L(evil + "Zero")), new ChoiceOption(null, 30, L(evil + "Thirty"))]),
            F("many", FieldType.Choice, evil + "Many", multiple: true,
                options: [new ChoiceOption("sleep", null, L(evil + "Sleep")), new ChoiceOption("work", null, L(evil + "Work"))]),
            F("plan", FieldType.Table, evil + "Plan", rows: [evil + "Monday", evil + "Tuesday"], columns:
            [
                F("when", FieldType.Time, evil + "When"),
                F("what", FieldType.Text, evil + "What", help: evil + "Help of what"),
                F("minutes", FieldType.Duration, evil + "Minutes"),
                F("done", FieldType.Boolean, evil + "Done"),
                F("strength", FieldType.Scale, evil + "Strength", min: 0, max: 100, step: 5),
                F("kind", FieldType.Choice, evil + "Kind", options: [new ChoiceOption("a", null, L(evil + "A")), new ChoiceOption("b", null, L(evil + "B"))]),
                F("kinds", FieldType.Choice, evil + "Kinds", multiple: true, options: [new ChoiceOption("a", null, L(evil + "A")), new ChoiceOption("b", null, L(evil + "B"))]),
            ]),
            F("records", FieldType.Table, evil + "Records", rowCount: 3, columns: [F("note", FieldType.LongText, evil + "Note")]),
            F("target", FieldType.Target, evil + "Target", help: evil + "Help of target", required: true, rings: 4,
                areas: [new TargetArea("work", L(evil + "Work and education")), new TargetArea("love", L(evil + "Relationships")), new TargetArea("play", L(evil + "Leisure"))]));
    }

    // ---- reading HTML with plain string checks -------------------------------------------------

    [GeneratedRegex("<(input|select|textarea)\\b[^>]*>")]
    private static partial Regex ControlTag();

    [GeneratedRegex("\\sid=\"([^\"]*)\"")]
    private static partial Regex IdAttr();

    private static string? Attr(string tag, string name)
    {
        var m = Regex.Match(tag, $"\\s{Regex.Escape(name)}=\"([^\"]*)\"");
        return m.Success ? m.Groups[1].Value : null;
    }

    private static List<string> Controls(string html) => [.. ControlTag().Matches(html).Select(m => m.Value)];

    private static List<string> Ids(string html) => [.. IdAttr().Matches(html).Select(m => m.Groups[1].Value)];

    private static int Count(string html, string s) => Regex.Matches(html, Regex.Escape(s)).Count;

    /// <summary>The HTML of one field's wrapper, up to the next field of the form.</summary>
    private static string FieldHtml(string html, string fieldId)
    {
        var start = html.IndexOf($"<div class=\"ce-ws-field\" data-field=\"{fieldId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no field {fieldId}");
        var next = html.IndexOf("<div class=\"ce-ws-field\"", start + 10, StringComparison.Ordinal);
        return next < 0 ? html[start..] : html[start..next];
    }

    private static void AssertWellFormed(string html)
    {
        var ids = Ids(html);
        var duplicates = ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "duplicate ids: " + string.Join(", ", duplicates));
        var idSet = ids.ToHashSet();

        foreach (var tag in Controls(html))
        {
            var id = Attr(tag, "id");
            Assert.False(string.IsNullOrEmpty(id), "a control without an id: " + tag);
            var labelled = html.Contains($"for=\"{id}\"", StringComparison.Ordinal)
                || Attr(tag, "aria-labelledby") is not null || !string.IsNullOrWhiteSpace(Attr(tag, "aria-label"));
            Assert.True(labelled, "a control without a label: " + tag);
            Assert.NotNull(Attr(tag, "name"));
        }

        // Every reference points at an element of the form.
        foreach (Match m in Regex.Matches(html, "\\s(for|aria-labelledby|aria-describedby)=\"([^\"]*)\""))
            foreach (var target in m.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                Assert.True(idSet.Contains(target), $"{m.Groups[1].Value}=\"{target}\" points at nothing");

        // A name belongs to one field (or cell): radio groups share one, nothing else does.
        var owners = new Dictionary<string, string>();
        foreach (var tag in Controls(html))
        {
            var name = Attr(tag, "name")!;
            var type = Attr(tag, "type");
            var group = type is "radio" or "checkbox";
            if (!group) Assert.False(owners.ContainsKey(name), $"the name {name} is used twice");
            else if (owners.TryGetValue(name, out var t)) Assert.True(t == type, $"the name {name} is shared by {t} and {type}");
            owners[name] = type ?? "";
        }
        var fieldNames = new Dictionary<string, int>();
        var blocks = html.Split("<div class=\"ce-ws-field\"");
        for (var b = 1; b < blocks.Length; b++)
            foreach (var name in Controls(blocks[b]).Select(t => Attr(t, "name")!).Distinct())
            {
                Assert.False(fieldNames.ContainsKey(name), $"the name {name} is used by two fields");
                fieldNames[name] = b;
            }

        // Fieldsets have legends; every id is prefixed with the worksheet's.
        Assert.Equal(Count(html, "<fieldset"), Count(html, "<legend"));
        var ws = Regex.Match(html, "data-worksheet=\"([^\"]*)\"").Groups[1].Value;
        Assert.All(ids, id => Assert.StartsWith($"ws-{ws}-", id));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    // ---- the tests ------------------------------------------------------------------------------

    [Fact]
    public void EverySampleWorksheetIsLabelledAndUniqueInEveryLocale()
    {
        Assert.NotEmpty(Graph.Worksheets);
        foreach (var ws in Graph.Worksheets)
            foreach (var locale in Graph.Locales)
            {
                var html = Render(ws, locale);
                Assert.StartsWith($"<form class=\"ce-worksheet\" data-worksheet=\"{ws.Id}\"", html);
                AssertWellFormed(html);
                foreach (var f in ws.Fields) Assert.Contains($"data-field=\"{f.Id}\" data-type=\"{f.Type.ToString().ToLowerInvariant()}\"", html);
            }
    }

    [Fact]
    public void AFormWithEveryFieldTypeIsLabelledAndUnique()
    {
        var html = Render(Everything());
        AssertWellFormed(html);
        foreach (var type in Enum.GetValues<FieldType>())
            Assert.Contains($"data-type=\"{type.ToString().ToLowerInvariant()}\"", html);
    }

    [Fact]
    public void AuthorTextsAreEscaped()
    {
        const string evil = "<script>alert(\"x\")</script>&";
        var html = Render(Everything(evil));
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;Text", html);
        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;Work and education", html);
        Assert.Contains("aria-label=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;When – &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;Monday\"", html);
        Assert.DoesNotContain("alert(\"x\")", html);
        AssertWellFormed(html);
    }

    [Fact]
    public void TextFieldsAreInputsAndTextareasWithLabelsAndHelp()
    {
        var html = Render(Everything());
        var text = FieldHtml(html, "text");
        Assert.Contains("<label class=\"ce-ws-label\" for=\"ws-all-text\" id=\"ws-all-text_label\">Text<span class=\"ce-ws-req\" aria-hidden=\"true\"> *</span></label>", text);
        Assert.Matches("<input class=\"ce-ws-input\" type=\"text\" id=\"ws-all-text\" name=\"ws-all-text\"[^>]* aria-required=\"true\" aria-describedby=\"ws-all-text_help\">", text);
        Assert.Contains("<p class=\"ce-ws-help\" id=\"ws-all-text_help\">Help of text</p>", text);
        Assert.Contains("data-required=\"true\"", text);
        Assert.Contains("<textarea", FieldHtml(html, "long"));
        Assert.Contains("type=\"date\"", FieldHtml(html, "date"));
        Assert.Contains("type=\"time\"", FieldHtml(html, "time"));
        Assert.DoesNotContain("aria-required", FieldHtml(html, "long"));
    }

    [Fact]
    public void NumbersHaveTheirRangeStepAndUnit()
    {
        var html = Render(Everything());
        var number = FieldHtml(html, "number");
        Assert.Matches("type=\"number\" id=\"ws-all-number\"[^>]* min=\"0\" max=\"14\" step=\"0.5\"", number);
        Assert.Matches("aria-describedby=\"ws-all-number_unit ws-all-number_error\"><span class=\"ce-ws-unit\" id=\"ws-all-number_unit\">hours</span>", number);
        Assert.Matches("type=\"number\"[^>]* step=\"1\"", FieldHtml(html, "integer"));
        Assert.Contains("<span class=\"ce-ws-unit\" id=\"ws-all-duration_unit\">min</span>", FieldHtml(html, "duration"));
        Assert.Contains("<span class=\"ce-ws-unit\" id=\"ws-all-duration_unit\">min</span>", FieldHtml(Render(Everything(), "sv"), "duration"));
        Assert.Contains("class=\"ce-ws-error\" id=\"ws-all-number_error\" hidden", number);
    }

    [Fact]
    public void YesNoIsAPairOfRadiosInAFieldset()
    {
        var yes = FieldHtml(Render(Everything()), "yes");
        Assert.Contains("<fieldset class=\"ce-ws-group\" role=\"radiogroup\" aria-labelledby=\"ws-all-yes_label\" aria-required=\"true\">", yes);
        Assert.Contains("<legend class=\"ce-ws-label\" id=\"ws-all-yes_label\">Woke?", yes);
        Assert.Contains("type=\"radio\" id=\"ws-all-yes_o0\" name=\"ws-all-yes\" value=\"true\"><span class=\"ce-ws-option-text\">Yes</span>", yes);
        Assert.Contains("type=\"radio\" id=\"ws-all-yes_o1\" name=\"ws-all-yes\" value=\"false\"><span class=\"ce-ws-option-text\">No</span>", yes);
        var sv = FieldHtml(Render(Everything(), "sv"), "yes");
        Assert.Contains(">Ja</span>", sv);
        Assert.Contains(">Nej</span>", sv);
    }

    [Fact]
    public void ShortScalesAreRowsOfRadiosWithTheirEndLabels()
    {
        var nrs = FieldHtml(Render(Everything()), "nrs");
        Assert.Contains("data-type=\"scale\" data-required=\"true\" data-control=\"radios\"", nrs);
        Assert.Equal(11, Count(nrs, "type=\"radio\""));
        for (var v = 0; v <= 10; v++)
            Assert.Contains($"<label class=\"ce-ws-scale-option\" for=\"ws-all-nrs_o{v}\"><input type=\"radio\" id=\"ws-all-nrs_o{v}\" name=\"ws-all-nrs\" value=\"{v}\">", nrs);
        Assert.Contains("<span class=\"ce-ws-scale-text\"> No pain</span>", nrs);
        Assert.Contains("<span class=\"ce-ws-scale-text\"> Worst pain</span>", nrs);
        Assert.Matches("class=\"ce-ws-end ce-ws-end-min\">.*No pain", nrs);
        Assert.Matches("class=\"ce-ws-end ce-ws-end-max\">.*Worst pain", nrs);
        Assert.Contains("<fieldset class=\"ce-ws-group\" role=\"radiogroup\" aria-labelledby=\"ws-all-nrs_label\" aria-required=\"true\" aria-describedby=\"ws-all-nrs_help\">", nrs);
        Assert.Contains("data-ws-clear", nrs);
    }

    [Fact]
    public void LongScalesAreSlidersThatStartUnanswered()
    {
        var vas = FieldHtml(Render(Everything()), "vas");
        Assert.Contains("data-control=\"range\"", vas);
        Assert.Matches("<input class=\"ce-ws-range-input ce-ws-unanswered\" type=\"range\" id=\"ws-all-vas\" name=\"ws-all-vas\" min=\"0\" max=\"100\" step=\"1\" value=\"50\" data-ws-unanswered aria-valuetext=\"Not answered\"", vas);
        Assert.Contains("<label class=\"ce-ws-label\" for=\"ws-all-vas\"", vas);
        Assert.Contains("<output class=\"ce-ws-range-output\" for=\"ws-all-vas\" id=\"ws-all-vas_out\"", vas);
        Assert.Contains("Worst health", vas);
        Assert.Contains("Best health", vas);
        Assert.Matches("class=\"ce-ws-end ce-ws-end-min\"><span class=\"ce-ws-end-value\">0</span>", vas);
        Assert.Matches("class=\"ce-ws-end ce-ws-end-max\"><span class=\"ce-ws-end-value\">100</span>", vas);
        Assert.Contains("data-ws-clear aria-describedby=\"ws-all-vas_label\" hidden>Clear answer</button>", vas);
        Assert.Equal(11, WorksheetForm.ScaleValues(F("s", FieldType.Scale, "s", min: 0, max: 10, step: 1)).Count);
        Assert.True(WorksheetForm.ScaleAsRadios(F("s", FieldType.Scale, "s", min: 0, max: 10, step: 1)));
        Assert.False(WorksheetForm.ScaleAsRadios(F("s", FieldType.Scale, "s", min: 0, max: 100, step: 5)));
        Assert.True(WorksheetForm.ScaleAsRadios(F("s", FieldType.Scale, "s", min: 0, max: 100, step: 10)));
    }

    [Fact]
    public void DisplayChoosesTheControlAndARequiredSliderSaysSoInItsLabelNotInAriaRequired()
    {
        var nrs = F("nrs", FieldType.Scale, "Pain", required: true, min: 0, max: 10, step: 1) with { Display = ScaleDisplay.Slider };
        var html = FieldHtml(Render(W("d", WorksheetKind.Form, nrs)), "nrs");
        Assert.Contains("data-control=\"range\"", html);
        Assert.Contains("type=\"range\"", html);
        Assert.DoesNotContain("type=\"radio\"", html);
        Assert.DoesNotContain("aria-required", html); // not allowed on input type=range
        Assert.Matches("<label class=\"ce-ws-label\" for=\"ws-d-nrs\"[^>]*>Pain<span class=\"ce-ws-req\" aria-hidden=\"true\"> \\*</span><span class=\"ce-ws-sr\"> \\(required\\)</span></label>", html);

        var vas = F("vas", FieldType.Scale, "Health", min: 0, max: 20, step: 1) with { Display = ScaleDisplay.Buttons };
        var buttons = FieldHtml(Render(W("d", WorksheetKind.Form, vas)), "vas");
        Assert.Contains("data-control=\"radios\"", buttons);
        Assert.Equal(21, Count(buttons, "type=\"radio\""));
    }

    [Fact]
    public void ChoicesAreRadiosOrCheckboxesInAFieldset()
    {
        var html = Render(Everything());
        var one = FieldHtml(html, "one");
        Assert.Contains("data-type=\"choice\" data-numeric=\"true\"", one);
        Assert.Contains("<legend class=\"ce-ws-label\" id=\"ws-all-one_label\">One</legend>", one);
        Assert.Contains("type=\"radio\" id=\"ws-all-one_o1\" name=\"ws-all-one\" value=\"30\"><span class=\"ce-ws-option-text\">Thirty</span>", one);
        var many = FieldHtml(html, "many");
        Assert.Contains("data-type=\"choice\" data-multiple=\"true\"", many);
        Assert.Equal(2, Count(many, "type=\"checkbox\""));
        Assert.Contains("value=\"sleep\"", many);
        Assert.DoesNotContain("data-numeric", many);
        Assert.DoesNotContain("data-ws-clear", many);
    }

    [Fact]
    public void TablesHaveACaptionHeadersAndALabelledInputPerCell()
    {
        var html = Render(Everything());
        var plan = FieldHtml(html, "plan");
        Assert.Contains("data-type=\"table\" data-rows=\"2\"", plan);
        Assert.Contains("<table class=\"ce-ws-table\" data-columns=\"7\"", plan);
        Assert.Contains("<caption class=\"ce-ws-label\" id=\"ws-all-plan_label\">Plan</caption>", plan);
        foreach (var col in new[] { "When", "What", "Minutes", "Done", "Strength", "Kind", "Kinds" })
            Assert.Matches($"<th scope=\"col\" id=\"ws-all-plan_c\\d\">{col}", plan);
        Assert.Contains("<th scope=\"row\" id=\"ws-all-plan_r1\">Monday</th>", plan);
        Assert.Contains("<th scope=\"row\" id=\"ws-all-plan_r2\">Tuesday</th>", plan);
        Assert.Equal(14, Count(plan, "<td class=\"ce-ws-cell\""));
        Assert.Contains("<td class=\"ce-ws-cell\" data-field=\"when\" data-type=\"time\" data-label=\"When\"><input class=\"ce-ws-input\" type=\"time\" id=\"ws-all-plan_r1_c0\" name=\"ws-all-plan_r1_c0\" aria-label=\"When – Monday\">", plan);
        Assert.Contains("aria-label=\"What – Tuesday\" aria-describedby=\"ws-all-plan_c1_help\"", plan);
        Assert.Contains("<select class=\"ce-ws-input ce-ws-select\" id=\"ws-all-plan_r2_c3\" name=\"ws-all-plan_r2_c3\" aria-label=\"Done – Tuesday\">", plan);
        Assert.Contains("<option value=\"true\">Yes</option>", plan);
        Assert.Contains("<option value=\"100\">100</option>", plan);
        Assert.Contains("role=\"group\" aria-label=\"Kinds – Monday\"", plan);
        var records = FieldHtml(html, "records");
        for (var r = 1; r <= 3; r++)
        {
            Assert.Contains($"<th scope=\"row\" id=\"ws-all-records_r{r}\">Row {r}</th>", records);
            Assert.Contains($"aria-label=\"Note – Row {r}\"", records);
        }
        Assert.Contains(">Rad 2</th>", FieldHtml(Render(Everything(), "sv"), "records"));
    }

    [Fact]
    public void TheTargetIsAnSvgWithAKeyboardAlternative()
    {
        var target = FieldHtml(Render(Everything()), "target");
        Assert.Contains("data-type=\"target\" data-required=\"true\" data-rings=\"4\"", target);
        Assert.Contains("<svg class=\"ce-ws-target-svg\"", target);
        Assert.Contains("aria-hidden=\"true\" focusable=\"false\"", target);
        Assert.Equal(12, Count(target, "<path class=\"ce-ws-target-cell"));
        Assert.Equal(12, Count(target, "<circle class=\"ce-ws-target-dot\""));
        foreach (var area in new[] { "work", "love", "play" })
        {
            for (var ring = 1; ring <= 4; ring++) Assert.Contains($"data-area=\"{area}\" data-ring=\"{ring}\" d=\"", target);
            Assert.Contains($"<div class=\"ce-ws-target-area\" data-area=\"{area}\">", target);
        }
        Assert.Contains("<tspan", target);
        Assert.Contains(">Relationships</tspan>", target);
        Assert.Matches("<svg class=\"ce-ws-target-svg\" viewBox=\"-?[0-9.]+ -?[0-9.]+ [0-9.]+ [0-9.]+\"", target);
        Assert.Contains("<legend class=\"ce-ws-area-label\" id=\"ws-all-target_a0_label\"><span class=\"ce-ws-area-number\" aria-hidden=\"true\">1</span> Work and education</legend>", target);
        Assert.Equal(4, Count(target, "name=\"ws-all-target_a1\""));
        Assert.Contains("value=\"1\"><span>1 (centre)</span>", target);
        Assert.Contains("value=\"2\"><span>2</span>", target);
        Assert.Contains("value=\"4\"><span>4 (outer edge)</span>", target);
        Assert.Equal(4, Count(target, "<fieldset")); // the target and one per area
        Assert.Contains("aria-describedby=\"ws-all-target_help ws-all-target_hint\"", target);
        Assert.Contains("value=\"1\"><span>1 (mitten)</span>", Render(Everything(), "sv"));
    }

    [Fact]
    public void EveryDiaryShowsOneDatedEntryAddEntryAndTheListOfEntries()
    {
        foreach (var (repeat, days) in new[] { (DiaryRepeat.Daily, (int?)7), (DiaryRepeat.Weekly, null), (DiaryRepeat.Entry, null) })
        {
            var diary = Diary("sleep", repeat, days,
                F("bedtime", FieldType.Time, "Bedtime", required: true),
                F("quality", FieldType.Scale, "Quality", min: 1, max: 5, step: 1),
                F("woke", FieldType.Boolean, "Woke"));
            var html = Render(diary);
            AssertWellFormed(html);
            Assert.Contains($"data-kind=\"diary\" data-repeat=\"{repeat.ToString().ToLowerInvariant()}\"", html);
            Assert.Equal(repeat == DiaryRepeat.Daily, html.Contains("data-days=\"7\"", StringComparison.Ordinal));
            // One entry, not one per day: its title (the script writes the date), its date and its fields.
            Assert.Equal(1, Count(html, "<fieldset class=\"ce-ws-entry\""));
            Assert.Contains("<fieldset class=\"ce-ws-entry\" data-ws-entry aria-labelledby=\"ws-sleep-entry_title\">", html);
            Assert.Contains("<legend class=\"ce-ws-entry-title\" id=\"ws-sleep-entry_title\" data-ws-entry-title>New entry</legend>", html);
            Assert.Contains("<label class=\"ce-ws-label\" for=\"ws-sleep-entry_date\">Date</label><input class=\"ce-ws-input ce-ws-date\" type=\"date\" id=\"ws-sleep-entry_date\"", html);
            Assert.Equal(1, Count(html, "data-field=\"woke\""));
            Assert.Contains($"id=\"ws-sleep-bedtime{WorksheetForm.EntryScope}\"", html);
            Assert.Contains($"name=\"ws-sleep-quality{WorksheetForm.EntryScope}\"", html);
            Assert.DoesNotContain("_d1", html);
            Assert.DoesNotContain("<template", html);
            // Remove (shown by the script for a stored entry), add, and the list under its heading.
            Assert.Contains("data-ws-remove aria-describedby=\"ws-sleep-entry_title\" hidden>Remove entry</button>", html);
            Assert.Contains(">Add entry</button>", html);
            Assert.Contains("<section class=\"ce-ws-history\" aria-labelledby=\"ws-sleep-entries_title\" data-ws-history>", html);
            Assert.Contains("<h2 class=\"ce-ws-history-title\" id=\"ws-sleep-entries_title\">Your entries</h2>", html);
            Assert.Contains("<ul class=\"ce-ws-entry-list\" data-ws-list></ul>", html);
            Assert.True(html.IndexOf("data-ws-entry ", StringComparison.Ordinal) < html.IndexOf("data-ws-add", StringComparison.Ordinal)
                && html.IndexOf("data-ws-add", StringComparison.Ordinal) < html.IndexOf("data-ws-list", StringComparison.Ordinal),
                "the entry, then add entry, then the list");
            var sv = Render(diary, "sv");
            Assert.Contains(">Lägg till anteckning</button>", sv);
            Assert.Contains(">Datum</label>", sv);
            Assert.Contains(">Dina anteckningar</h2>", sv);
        }
    }

    [Fact]
    public void RequiredFieldsAreMarkedForEveryone()
    {
        var html = Render(Everything());
        Assert.Contains("<p class=\"ce-ws-required-note\">", html);
        Assert.Contains("(required)</span></legend>", FieldHtml(html, "target"));
        Assert.Equal(3, Count(FieldHtml(html, "target"), "role=\"radiogroup\" aria-labelledby=\"ws-all-target_a"));
        Assert.Equal(3, Count(FieldHtml(html, "target"), "aria-required=\"true\""));
        var plain = Render(W("plain", WorksheetKind.Form, F("a", FieldType.Text, "A")));
        Assert.DoesNotContain("ce-ws-required-note", plain);
        Assert.DoesNotContain("ce-ws-req", plain);
    }

    [Fact]
    public void TheFormCarriesTheScriptsStringsAndNeverSubmits()
    {
        var html = Render(Everything(), "sv");
        Assert.Contains(" novalidate>", html);
        Assert.DoesNotContain("type=\"submit\"", html);
        Assert.DoesNotContain("action=", html);
        Assert.Matches("data-ws-strings=\"\\{[^\"]*&quot;entry&quot;:&quot;Anteckning \\{n\\}&quot;", html);
        Assert.Contains("data-ws-announce", html);
        Assert.Contains("data-kind=\"form\"", html);
    }

    [Fact]
    public void TheStringsAreInEnglishAndSwedish()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(TestPaths.Repo("themes", "default", "strings-worksheets.json")));
        var en = doc.RootElement.GetProperty("en").EnumerateObject().Select(p => p.Name).ToHashSet();
        var sv = doc.RootElement.GetProperty("sv").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(en, sv);
        var source = File.ReadAllText(TestPaths.Repo("src", "ContentEngine.Rendering", "Web", "WorksheetForm.cs"));
        foreach (Match m in Regex.Matches(source, "\"(ws\\.[a-z-]+)\""))
            Assert.Contains(m.Groups[1].Value, en);
    }
}

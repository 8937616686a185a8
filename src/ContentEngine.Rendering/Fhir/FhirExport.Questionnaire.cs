using System.Collections.Immutable;
using ContentEngine.Model;
using ContentEngine.Rendering.Directives;
using ContentEngine.Runtime.Conditions;
using F = Hl7.Fhir.Model;
using Item = Hl7.Fhir.Model.Questionnaire.ItemComponent;
using ItemType = Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType;

namespace ContentEngine.Rendering.Fhir;

/// <summary>
/// Worksheet to Questionnaire.
/// </summary>
/// <remarks>
/// <para>Items, in order: the worksheet's instructions (its body) as display items; its fields; for a
/// questionnaire, one read-only item per score.</para>
/// <para>linkIds: a field's linkId is its id. Table columns and Bull's-eye areas are <c>{field}.{column}</c> and
/// <c>{field}.{area}</c>. Items made by the export contain an underscore, which no author's id can:
/// <c>{field}_help</c>, <c>{field}_lower</c>, <c>{field}_upper</c>, <c>{field}_label{n}</c>, <c>_entry</c> (a diary's
/// repeating group) and <c>_text{n}</c> (the instructions). So linkIds never collide.</para>
/// <para>Field types:</para>
/// <list type="bullet">
/// <item>text → string; longtext → text; boolean, date and time → the same.</item>
/// <item>number → decimal with minValue/maxValue (valueDecimal) and questionnaire-unit. Its step has no FHIR element and is left out.</item>
/// <item>integer → integer with minValue/maxValue (valueInteger) and questionnaire-unit.</item>
/// <item>scale → integer (decimal when its min, max or step is not whole) with itemControl slider, minValue, maxValue and,
/// for integer scales, questionnaire-sliderStepValue (step 1 when none is given, as in the web bundle). Labels at the
/// minimum and maximum are child display items with itemControl lower/upper; a label at another value is a plain child
/// display item "value: label". The scale's range with its end labels is also the entryFormat hint (<c>0 = No pain … 10 = Worst
/// pain</c>), which renderers without a slider or lower/upper controls show in the input box.</item>
/// <item>choice → choice (the model has no "other" answer, so never open-choice), one answerOption valueCoding per option
/// (code = the option's value, display = its label, system = the questionnaire's URL and the linkId); numeric options also
/// carry ordinalValue. multiple: true → repeats.</item>
/// <item>duration → quantity in minutes (UCUM <c>min</c>, given as the only questionnaire-unitOption), since the model stores
/// a duration as a number of minutes; min/max → SDC minQuantity/maxQuantity.</item>
/// <item>table → a repeating group (itemControl gtable) with one child item per column; questionnaire-maxOccurs is the number
/// of rows; labelled rows are listed, in order, in <see cref="FhirExport.RowLabelUrl"/> extensions.</item>
/// <item>target (Bull's-eye) → a group with one integer child per area, 1 (the centre) to the number of rings, which is what
/// the web bundle records for each area.</item>
/// <item>help → a child display item with itemControl help, after any scale labels (renderers that read every display
/// child with an item control as help text keep the last one). required → required (on every area of a Bull's-eye too).</item>
/// </list>
/// <para>A diary's fields are wrapped in a repeating group <c>_entry</c> (text: "Entry" in each locale, the web bundle's word),
/// one repetition per entry; a daily diary has
/// questionnaire-maxOccurs = its days.</para>
/// <para>Scores become read-only decimal items with an SDC calculatedExpression in FHIRPath, missing (empty) unless every item
/// is answered, as in the model. Bands and minimal important changes are not mapped.</para>
/// <para>Fields carry no conditions in the model; conditions live only in the body's <c>::: if</c> blocks. See
/// <see cref="EnableWhenMapper"/> for which of them become enableWhen.</para>
/// </remarks>
public static partial class FhirExport
{
    public static F.Questionnaire ToQuestionnaire(ProgramGraph g, Worksheet w)
    {
        var url = QuestionnaireUrl(g, w.Id);
        var q = new F.Questionnaire
        {
            Id = w.Id,
            Language = g.DefaultLocale,
            Url = url,
            Version = g.Version,
            Name = ComputableName(w.Id, "Worksheet"),
            Title = Text(g, w.Title),
            Status = F.PublicationStatus.Active,
        };
        Translate(g, q.TitleElement, w.Title);
        q.SubjectTypeElement.Add(new F.Code<F.ResourceType>(F.ResourceType.Patient));
        if (w.Summary is { } summary)
        {
            q.Description = Text(g, summary);
            Translate(g, q.DescriptionElement, summary);
        }

        var context = new QuestionnaireContext(g, w, url);
        q.Item.AddRange(Instructions(context));

        var fields = w.Fields.Select(f => FieldItem(context, f, f.Id)).ToList();
        if (w.Kind == WorksheetKind.Diary)
        {
            var repeat = w.Repeat ?? DiaryRepeat.Entry;
            var entryText = EntryText(g);
            var entry = new Item { LinkId = "_entry", Type = ItemType.Group, Repeats = true, Text = Text(g, entryText) };
            Translate(g, entry.TextElement, entryText);
            entry.Extension.Add(new F.Extension(DiaryRepeatUrl, new F.Code(repeat.ToString().ToLowerInvariant())));
            if (repeat == DiaryRepeat.Daily)
                entry.Extension.Add(new F.Extension(MaxOccursUrl, new F.Integer(Math.Max(w.Days ?? 7, 1))));
            entry.Item.AddRange(fields);
            q.Item.Add(entry);
        }
        else
        {
            q.Item.AddRange(fields);
        }

        if (w.Scoring is { } scoring)
            foreach (var score in scoring.Scores)
                q.Item.Add(ScoreQuestion(g, w, score));
        DeclareVariables(q);
        return q;
    }

    internal sealed record QuestionnaireContext(ProgramGraph Graph, Worksheet Worksheet, string Url)
    {
        public string OptionSystem(string linkId) => $"{Url}:{linkId}";
    }

    // ---- fields ------------------------------------------------------------------------------------

    private static Item FieldItem(QuestionnaireContext c, Field f, string linkId)
    {
        var g = c.Graph;
        var item = new Item { LinkId = linkId, Text = Text(g, f.Label) };
        Translate(g, item.TextElement, f.Label);
        if (f.Required) item.Required = true;

        switch (f.Type)
        {
            case FieldType.Text:
                item.Type = ItemType.String;
                break;
            case FieldType.LongText:
                item.Type = ItemType.Text;
                break;
            case FieldType.Boolean:
                item.Type = ItemType.Boolean;
                break;
            case FieldType.Date:
                item.Type = ItemType.Date;
                break;
            case FieldType.Time:
                item.Type = ItemType.Time;
                break;
            case FieldType.Number:
                item.Type = ItemType.Decimal;
                if (f.Min is { } nmin) item.Extension.Add(new F.Extension(MinValueUrl, new F.FhirDecimal(Dec(nmin))));
                if (f.Max is { } nmax) item.Extension.Add(new F.Extension(MaxValueUrl, new F.FhirDecimal(Dec(nmax))));
                AddUnit(g, item, f.Unit);
                break;
            case FieldType.Integer:
                item.Type = ItemType.Integer;
                if (f.Min is { } imin && IsWhole(imin)) item.Extension.Add(new F.Extension(MinValueUrl, new F.Integer((int)imin)));
                if (f.Max is { } imax && IsWhole(imax)) item.Extension.Add(new F.Extension(MaxValueUrl, new F.Integer((int)imax)));
                AddUnit(g, item, f.Unit);
                break;
            case FieldType.Scale:
                Scale(c, f, item);
                break;
            case FieldType.Choice:
                item.Type = ItemType.Choice;
                if (f.Multiple) item.Repeats = true;
                foreach (var option in f.Options)
                    item.AnswerOption.Add(new F.Questionnaire.AnswerOptionComponent { Value = OptionCoding(c, linkId, option) });
                break;
            case FieldType.Duration:
                item.Type = ItemType.Quantity;
                var unit = new F.Coding(Ucum, "min", f.Unit is { } u ? Text(g, u) : "min");
                Translate(g, unit.DisplayElement, f.Unit);
                item.Extension.Add(new F.Extension(UnitOptionUrl, unit));
                if (f.Min is { } dmin) item.Extension.Add(new F.Extension(MinQuantityUrl, Minutes(dmin)));
                if (f.Max is { } dmax) item.Extension.Add(new F.Extension(MaxQuantityUrl, Minutes(dmax)));
                break;
            case FieldType.Table:
                item.Type = ItemType.Group;
                item.Repeats = true;
                item.Extension.Add(ItemControl("gtable"));
                var rows = f.RowCount ?? f.RowLabels.Length;
                if (rows > 0) item.Extension.Add(new F.Extension(MaxOccursUrl, new F.Integer(rows)));
                foreach (var row in f.RowLabels)
                {
                    var label = new F.FhirString(Text(g, row));
                    Translate(g, label, row);
                    item.Extension.Add(new F.Extension(RowLabelUrl, label));
                }
                foreach (var column in f.Columns)
                    item.Item.Add(FieldItem(c, column, $"{linkId}.{column.Id}"));
                break;
            case FieldType.Target:
                item.Type = ItemType.Group;
                var rings = Math.Max(f.Rings ?? 4, 1);
                foreach (var area in f.Areas)
                {
                    var child = new Item { LinkId = $"{linkId}.{area.Id}", Text = Text(g, area.Label), Type = ItemType.Integer };
                    Translate(g, child.TextElement, area.Label);
                    if (f.Required) child.Required = true;
                    child.Extension.Add(new F.Extension(MinValueUrl, new F.Integer(1)));
                    child.Extension.Add(new F.Extension(MaxValueUrl, new F.Integer(rings)));
                    item.Item.Add(child);
                }
                break;
        }

        if (f.Help is { } help)
            item.Item.Add(Display(g, $"{linkId}_help", help, "help"));
        return item;
    }

    /// <summary>Whether a scale's values are whole numbers, so that it is an integer item.</summary>
    internal static bool IsIntegerScale(Field f) => IsWhole(f.Min ?? 0) && IsWhole(f.Max ?? 10) && IsWhole(f.Step ?? 1);

    private static void Scale(QuestionnaireContext c, Field f, Item item)
    {
        var g = c.Graph;
        double min = f.Min ?? 0, max = f.Max ?? 10, step = f.Step ?? 1;
        var integer = IsIntegerScale(f);
        item.Type = integer ? ItemType.Integer : ItemType.Decimal;
        item.Extension.Add(ItemControl("slider"));
        item.Extension.Add(new F.Extension(MinValueUrl, integer ? new F.Integer((int)min) : new F.FhirDecimal(Dec(min))));
        item.Extension.Add(new F.Extension(MaxValueUrl, integer ? new F.Integer((int)max) : new F.FhirDecimal(Dec(max))));
        if (integer) item.Extension.Add(new F.Extension(SliderStepValueUrl, new F.Integer((int)step)));
        var range = ScaleRangeText(g, f, min, max);
        var format = new F.FhirString(Text(g, range));
        Translate(g, format, range);
        item.Extension.Add(new F.Extension(EntryFormatUrl, format));
        AddUnit(g, item, f.Unit);
        var n = 0;
        foreach (var label in f.Labels)
        {
            if (label.Value == min) item.Item.Add(Display(g, $"{item.LinkId}_lower", label.Text, "lower"));
            else if (label.Value == max) item.Item.Add(Display(g, $"{item.LinkId}_upper", label.Text, "upper"));
            else
            {
                var text = new LocalizedText(label.Text.Values.ToImmutableSortedDictionary(kv => kv.Key, kv => $"{Num(label.Value)}: {kv.Value}", StringComparer.Ordinal));
                item.Item.Add(Display(g, $"{item.LinkId}_label{++n}", text, null));
            }
        }
    }

    internal static F.Coding OptionCoding(QuestionnaireContext c, string linkId, ChoiceOption option)
    {
        var coding = new F.Coding(c.OptionSystem(linkId), option.ValueText, Text(c.Graph, option.Label));
        Translate(c.Graph, coding.DisplayElement, option.Label);
        if (option.Number is { } number) coding.Extension.Add(new F.Extension(OrdinalValueUrl, new F.FhirDecimal(Dec(number))));
        return coding;
    }

    private static void AddUnit(ProgramGraph g, Item item, LocalizedText? unit)
    {
        if (unit is null) return;
        var coding = new F.Coding { Display = Text(g, unit) };
        Translate(g, coding.DisplayElement, unit);
        item.Extension.Add(new F.Extension(UnitUrl, coding));
    }

    private static Item Display(ProgramGraph g, string linkId, LocalizedText text, string? control)
    {
        var item = new Item { LinkId = linkId, Type = ItemType.Display, Text = Text(g, text) };
        Translate(g, item.TextElement, text);
        if (control is not null) item.Extension.Add(ItemControl(control));
        return item;
    }

    // ---- scores ------------------------------------------------------------------------------------

    /// <summary>
    /// A score as a read-only item computed in FHIRPath: the items' answers added up (a reversed item counts as
    /// min + max − answer), divided by their number for a mean, as <see cref="FhirPathCompiler"/> writes a score in a
    /// condition but read from <c>%resource</c>. FHIRPath arithmetic on an empty answer is empty, so the
    /// score is missing until every item is answered, as in the model. The model has no label for a score: its text names it
    /// as the printed workbook does ("Your “total” score on “Flexibility with pain”").
    /// </summary>
    private static Item ScoreQuestion(ProgramGraph g, Worksheet w, Score score)
    {
        var expression = new FhirPathCompiler(g, w.Id).Score(w.Id, score.Method, score.Items);
        var text = ScoreText(g, w, score);
        var item = new Item { LinkId = score.Id, Text = Text(g, text), Type = ItemType.Decimal, ReadOnly = true };
        Translate(g, item.TextElement, text);
        item.Extension.Add(new F.Extension(CalculatedExpressionUrl, new F.Expression { Language = FhirPathCompiler.Language, Expression_ = expression }));
        return item;
    }

    // ---- instructions ------------------------------------------------------------------------------

    /// <summary>A run of the body shown under the same conditions.</summary>
    private sealed record Segment(string Markdown, ImmutableArray<Model.Condition> Conditions);

    /// <summary>Where a directive's renderer adds questionnaire text: under the conditions around it.</summary>
    private sealed class SegmentText(List<Segment> pieces, ImmutableArray<Model.Condition> conditions, Action<IEnumerable<ContentBlock>, ImmutableArray<Model.Condition>> walk) : IDirectiveText
    {
        public void Add(string markdown) => pieces.Add(new Segment(markdown, conditions));

        public void Walk(IEnumerable<ContentBlock> blocks, Model.Condition? condition = null) => walk(blocks, condition is null ? conditions : conditions.Add(condition));
    }

    /// <summary>
    /// The worksheet's body as display items: plain text in <c>text</c>, the Markdown in the rendering-markdown extension
    /// (on the translations too). Runs of the body under the same <c>::: if</c> conditions make one item; the conditions
    /// become enableWhen where <see cref="EnableWhenMapper"/> can express them, and otherwise an SDC enableWhenExpression in
    /// FHIRPath (<see cref="FhirPathCompiler"/>, the worksheet's own fields read from <c>%resource</c>); either way the author's
    /// text is in <see cref="ConditionSourceUrl"/>. <c>narration</c> (for listeners only) is left out, and <c>only</c> blocks are kept
    /// when they include the web format, the one a questionnaire is closest to. Media directives contribute their text.
    /// A translation is attached only when its body has the same runs under the same conditions as the original.
    /// </summary>
    private static IEnumerable<Item> Instructions(QuestionnaireContext c)
    {
        var g = c.Graph;
        var w = c.Worksheet;
        if (!w.Content.TryGetValue(g.DefaultLocale, out var original)) yield break;
        var segments = Segments(original.Blocks, Text(g, w.Title));
        var translations = g.Locales.Skip(1)
            .Where(locale => w.Content.ContainsKey(locale))
            .Select(locale => (Locale: locale, Segments: Segments(w.Content[locale].Blocks, w.Title.Get(locale, g.DefaultLocale))))
            .Where(t => t.Segments.Count == segments.Count
                && t.Segments.Zip(segments).All(p => p.First.Conditions.Select(x => x.Source).SequenceEqual(p.Second.Conditions.Select(x => x.Source))))
            .ToList();

        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var text = new F.FhirString(PlainText.From(segment.Markdown));
            text.Extension.Add(new F.Extension(RenderingMarkdownUrl, new F.Markdown(segment.Markdown)));
            var item = new Item { LinkId = $"_text{i + 1}", Type = ItemType.Display, TextElement = text };
            foreach (var (locale, other) in translations)
            {
                var content = new F.FhirString(PlainText.From(other[i].Markdown));
                content.Extension.Add(new F.Extension(RenderingMarkdownUrl, new F.Markdown(other[i].Markdown)));
                text.Extension.Add(Translation(locale, content));
            }
            if (segment.Conditions.Length > 0)
            {
                if (EnableWhenMapper.Map(c, [.. segment.Conditions.Select(x => x.Tree)]) is { } mapped)
                {
                    item.EnableWhen.AddRange(mapped.Items);
                    if (mapped.Items.Count > 1) item.EnableBehavior = mapped.Behavior;
                    item.Extension.Add(new F.Extension(ConditionSourceUrl, new F.FhirString(ConditionSource(segment.Conditions))));
                }
                else
                {
                    item.Extension.Add(new F.Extension(EnableWhenExpressionUrl, ConditionExpression(g, segment.Conditions, w.Id)));
                }
            }
            yield return item;
        }
    }

    private static List<Segment> Segments(IReadOnlyList<ContentBlock> blocks, string title)
    {
        var pieces = new List<Segment>();
        void Walk(IEnumerable<ContentBlock> items, ImmutableArray<Model.Condition> conditions)
        {
            foreach (var block in items)
            {
                switch (block)
                {
                    case MarkdownBlock md:
                        pieces.Add(new Segment(md.Markdown, conditions));
                        break;
                    case MarkdownWithDirectivesBlock nested:
                        // Its directives become items as at the top level, after the text around them.
                        pieces.Add(new Segment(NestedDirectives.TextOutside(nested.Markdown), conditions));
                        Walk(nested.Directives, conditions);
                        break;
                    case DirectiveBlock d:
                        DirectiveRenderers.For(d).Fhir(d, new SegmentText(pieces, conditions, Walk));
                        break;
                }
            }
        }
        Walk(WithoutRepeatedTitle(blocks, title), []);

        var merged = new List<Segment>();
        foreach (var piece in pieces)
        {
            if (string.IsNullOrWhiteSpace(piece.Markdown)) continue;
            if (merged.Count > 0 && merged[^1].Conditions.Select(x => x.Source).SequenceEqual(piece.Conditions.Select(x => x.Source)))
                merged[^1] = merged[^1] with { Markdown = merged[^1].Markdown + "\n\n" + piece.Markdown };
            else
                merged.Add(piece);
        }
        return merged;
    }

    /// <summary>A body that opens with its own title as a heading would repeat the questionnaire's title.</summary>
    private static IEnumerable<ContentBlock> WithoutRepeatedTitle(IReadOnlyList<ContentBlock> blocks, string title)
    {
        if (blocks.Count > 0 && blocks[0] is MarkdownBlock first)
        {
            var lines = first.Markdown.Split('\n');
            if (lines[0].StartsWith('#') && lines[0].TrimStart('#').Trim() == title.Trim())
                return blocks.Skip(1).Prepend(new MarkdownBlock(string.Join('\n', lines.Skip(1)).Trim()));
        }
        return blocks;
    }
}

using System.Collections.Immutable;
using System.Globalization;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Text;
using ContentEngine.Yaml;

namespace ContentEngine.Compilation;

/// <summary>Reads a worksheet's front matter: its fields and, for questionnaires, its scoring.</summary>
public static class WorksheetBinder
{
    public static readonly string[] Keys = ["id", "title", "summary", "kind", "repeat", "days", "feedback", "fields", "scoring"];
    private static readonly string[] FieldKeys = ["id", "type", "label", "help", "required", "min", "max", "step", "unit", "labels", "options", "multiple", "columns", "rows", "areas", "rings", "display"];
    private static readonly FieldType[] ColumnTypes = [FieldType.Text, FieldType.LongText, FieldType.Number, FieldType.Integer, FieldType.Scale, FieldType.Choice, FieldType.Boolean, FieldType.Date, FieldType.Time, FieldType.Duration];

    public sealed record Header(string Id, LocalizedText Title, LocalizedText? Summary, WorksheetKind Kind, DiaryRepeat? Repeat, int? Days, bool Feedback, ImmutableArray<Field> Fields, Scoring? Scoring);

    /// <param name="broken">receives the names of fields and scores that exist but failed to bind.</param>
    public static Header? Bind(YMapping yaml, string fileId, BindContext context, ISet<string> broken)
    {
        var r = new MappingReader(yaml, "the worksheet front matter", context, Keys);
        var id = r.Id("id", fallback: fileId);
        var title = r.Text("title", "the worksheet's name as patients see it");
        var summary = r.Text("summary");
        var kind = r.Enum<WorksheetKind>("kind") ?? (r.Has("kind") ? null : WorksheetKind.Form);
        DiaryRepeat? repeat = null;
        int? days = null;
        if (kind == WorksheetKind.Diary)
        {
            repeat = r.Enum<DiaryRepeat>("repeat", "how often the diary is filled in: daily, weekly or entry");
            days = r.Integer("days", repeat == DiaryRepeat.Daily ? "how many days the diary covers, such as 7" : null, 1, 366);
        }
        else
        {
            foreach (var key in new[] { "repeat", "days" }.Where(r.Has))
                context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.KeyLocation(key), key, "only applies to diaries (kind: diary)");
        }
        var feedback = r.Boolean("feedback") ?? false;
        var fieldList = r.Sequence("fields", "a list of the worksheet's fields");
        var noFields = IsEmpty(fieldList, "fields", "must list at least one field, each with id, type and label: a worksheet without questions gives patients nothing to answer", context);
        var fields = ReadFields(fieldList, "fields", context, null, broken);
        Scoring? scoring = null;
        if (r.Mapping("scoring") is { } scoringYaml && !noFields)
        {
            if (kind != WorksheetKind.Questionnaire)
                context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.KeyLocation("scoring"), "scoring", "only applies to questionnaires (kind: questionnaire)");
            else
                scoring = ReadScoring(scoringYaml, fields, id ?? fileId, context, broken);
        }
        if (id is null || title is null || kind is null || noFields) return null;
        return new Header(id, title, summary, kind.Value, repeat, days, feedback, fields, scoring);
    }

    private static ImmutableArray<Field> ReadFields(YSequence? list, string what, BindContext context, FieldType[]? allowed, ISet<string> broken)
    {
        if (list is null) return [];
        var result = ImmutableArray.CreateBuilder<Field>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            if (item is not YMapping map)
            {
                context.Diagnostics.Report(DiagnosticDescriptors.WrongType, item.Location, what, "a list of fields (each with id, type and label)", item.Describe());
                continue;
            }
            var field = ReadField(map, context, allowed, broken);
            if (field is null)
            {
                if (map["id"] is YScalar { } brokenId) broken.Add(brokenId.Value);
                continue;
            }
            if (seen.TryGetValue(field.Id, out var first))
            {
                context.Diagnostics.Report(DiagnosticDescriptors.DuplicateId, map["id"]?.Location ?? map.Location, [first], "field", field.Id, first);
                continue;
            }
            seen[field.Id] = map["id"]?.Location ?? map.Location;
            result.Add(field);
        }
        return result.ToImmutable();
    }

    private static Field? ReadField(YMapping map, BindContext context, FieldType[]? allowed, ISet<string> broken)
    {
        var r = new MappingReader(map, "a field", context, FieldKeys);
        var id = r.Id("id", "a name for the answer, such as 'pain'");
        var typeNode = r.Required("type", "one of " + string.Join(", ", Enum.GetNames<FieldType>().Select(n => n.ToLowerInvariant())));
        var label = r.Text("label", "the question or prompt the patient sees");
        var help = r.Text("help");
        var required = r.Boolean("required") ?? false;
        FieldType? type = null;
        if (typeNode is not null)
        {
            type = r.Enum<FieldType>("type");
            if (type is { } t && allowed is not null && !allowed.Contains(t))
            {
                context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, typeNode.Location, "type", $"'{t.ToString().ToLowerInvariant()}' cannot be a table column; columns are simple fields");
                type = null;
            }
        }
        if (id is null || label is null || type is null) return null;

        var numeric = type is FieldType.Number or FieldType.Integer or FieldType.Scale or FieldType.Duration;
        var min = numeric ? r.Number("min", type == FieldType.Scale ? "the lowest value of the scale" : null) : null;
        var max = numeric ? r.Number("max", type == FieldType.Scale ? "the highest value of the scale" : null) : null;
        var step = numeric ? FieldRange.Step(r, min, max, context) : null;
        var unit = numeric ? r.Text("unit") : null;
        if (min is { } lo && max is { } hi && lo >= hi)
        {
            context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.KeyLocation("max"), "max",
                $"is {FieldRange.Num(hi)}, but it must be greater than min ({FieldRange.Num(lo)}); write the lowest value under min and the highest under max");
            return null;
        }

        var labels = ImmutableArray<ScaleLabel>.Empty;
        if (type == FieldType.Scale && r.Mapping("labels") is { } labelMap)
        {
            var builder = ImmutableArray.CreateBuilder<ScaleLabel>();
            foreach (var (k, v) in labelMap.Entries)
            {
                if (!k.TryGetNumber(out var at) || (min is { } a && at < a) || (max is { } b && at > b))
                {
                    context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, k.Location, "labels", $"must be keyed by values of the scale ({min} to {max}), not '{k.Value}'");
                    continue;
                }
                if (MappingReader.ReadText(v, "labels", context) is { } text) builder.Add(new ScaleLabel(at, text));
            }
            labels = builder.ToImmutable();
        }
        var display = type == FieldType.Scale ? r.Enum<ScaleDisplay>("display") : null;

        var options = ImmutableArray<ChoiceOption>.Empty;
        var multiple = false;
        if (type == FieldType.Choice)
        {
            multiple = r.Boolean("multiple") ?? false;
            var optionList = r.Sequence("options", "the choices, each {value, label}");
            if (IsEmpty(optionList, "options", "must list at least one option, each {value, label}", context)) return null;
            options = ReadOptions(optionList, context);
            if (optionList is not null && !FieldRange.OptionKindsAgree(optionList, context)) return null;
        }

        var columns = ImmutableArray<Field>.Empty;
        var rowLabels = ImmutableArray<LocalizedText>.Empty;
        int? rowCount = null;
        if (type == FieldType.Table)
        {
            var columnList = r.Sequence("columns", "the table's columns, each a field");
            if (IsEmpty(columnList, "columns", "must list at least one column, each a field with id, type and label", context)) return null;
            columns = ReadFields(columnList, "columns", context, ColumnTypes, new HashSet<string>());
            var rows = r.Required("rows", "row labels as a list, or a number of empty rows");
            if (IsEmpty(rows as YSequence, "rows", "must list at least one row label, or give a number of empty rows such as 5", context)) return null;
            if (rows is YSequence rowList)
                rowLabels = [.. rowList.Items.Select(i => MappingReader.ReadText(i, "rows", context)).OfType<LocalizedText>()];
            else if (rows is not null)
                rowCount = r.Integer("rows", null, 1, 100);
        }

        var areas = ImmutableArray<TargetArea>.Empty;
        int? rings = null;
        if (type == FieldType.Target)
        {
            var builder = ImmutableArray.CreateBuilder<TargetArea>();
            var areaList = r.Sequence("areas", "the life areas marked on the target, each {id, label}");
            if (IsEmpty(areaList, "areas", "must list at least one area, each {id, label}", context)) return null;
            foreach (var item in areaList?.Items ?? [])
            {
                if (item is not YMapping am)
                {
                    context.Diagnostics.Report(DiagnosticDescriptors.WrongType, item.Location, "areas", "a list of {id, label}", item.Describe());
                    continue;
                }
                var ar = new MappingReader(am, "a target area", context, "id", "label");
                if (ar.Id("id", "a name for the area") is { } aid && ar.Text("label", "the area's name as patients see it") is { } alabel)
                    builder.Add(new TargetArea(aid, alabel));
            }
            areas = builder.ToImmutable();
            rings = r.Integer("rings", "how many rings the target has, such as 4", 2, 10);
        }

        foreach (var key in FieldKeys.Where(k => r.Has(k) && !Applies(k, type.Value)))
            context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.KeyLocation(key), key, $"does not apply to a {type.Value.ToString().ToLowerInvariant()} field");

        return new Field(id, type.Value, label, help, required, min, max, step, unit, labels, options, multiple, columns, rowLabels, rowCount, areas, rings, display);
    }

    /// <summary>An empty list where a field needs items: reported at the list, and the field is left out (as broken).</summary>
    private static bool IsEmpty(YSequence? list, string key, string message, BindContext context)
    {
        if (list is not { Items.Count: 0 }) return false;
        context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, list.Location, key, message);
        return true;
    }

    private static bool Applies(string key, FieldType type) => key switch
    {
        "id" or "type" or "label" or "help" or "required" => true,
        "min" or "max" or "step" or "unit" => type is FieldType.Number or FieldType.Integer or FieldType.Scale or FieldType.Duration,
        "labels" or "display" => type == FieldType.Scale,
        "options" or "multiple" => type == FieldType.Choice,
        "columns" or "rows" => type == FieldType.Table,
        "areas" or "rings" => type == FieldType.Target,
        _ => false,
    };

    private static ImmutableArray<ChoiceOption> ReadOptions(YSequence? list, BindContext context)
    {
        if (list is null) return [];
        var result = ImmutableArray.CreateBuilder<ChoiceOption>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            if (item is not YMapping map)
            {
                context.Diagnostics.Report(DiagnosticDescriptors.WrongType, item.Location, "options", "a list of {value, label}", item.Describe());
                continue;
            }
            var r = new MappingReader(map, "a choice option", context, "value", "label");
            var valueNode = r.Required("value", "what is stored when this option is chosen");
            var label = r.Text("label", "the option as patients see it");
            if (valueNode is not YScalar v || label is null) continue;
            ChoiceOption option;
            if (v.TryGetNumber(out var n)) option = new ChoiceOption(null, n, label);
            else if (MappingReader.IsId(v.Value)) option = new ChoiceOption(v.Value, null, label);
            else
            {
                context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, v.Location, "value", $"must be a number or an id of lowercase letters, digits and hyphens, not '{v.Value}'");
                continue;
            }
            if (seen.TryGetValue(option.ValueText, out var first))
            {
                context.Diagnostics.Report(DiagnosticDescriptors.DuplicateId, v.Location, [first], "option value", option.ValueText, first);
                continue;
            }
            seen[option.ValueText] = v.Location;
            result.Add(option);
        }
        return result.ToImmutable();
    }

    private static Scoring ReadScoring(YMapping yaml, ImmutableArray<Field> fields, string worksheetId, BindContext context, ISet<string> broken)
    {
        var r = new MappingReader(yaml, "scoring", context, "scores", "bands", "mcid");
        var scores = ImmutableArray.CreateBuilder<Score>();
        var ranges = new Dictionary<string, (double Lo, double Hi)?>(StringComparer.Ordinal);
        foreach (var (key, value) in r.Mapping("scores", "the scores, such as total: {sum: [q1, q2]}")?.Entries ?? [])
        {
            if (!MappingReader.IsId(key.Value))
            {
                context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, key.Location, "scores", $"must be named by ids, not '{key.Value}'");
                continue;
            }
            if (fields.Any(f => f.Id == key.Value))
            {
                context.Diagnostics.Report(DiagnosticDescriptors.DuplicateId, key.Location, [], "score", key.Value, "a field of the same name");
                continue;
            }
            if (value is not YMapping sm)
            {
                context.Diagnostics.Report(DiagnosticDescriptors.WrongType, value.Location, key.Value, "{sum: [items]} or {mean: [items]}", value.Describe());
                continue;
            }
            var sr = new MappingReader(sm, $"the score '{key.Value}'", context, "sum", "mean", "reverse");
            var method = sr.Has("sum") ? ScoreMethod.Sum : sr.Has("mean") ? ScoreMethod.Mean : (ScoreMethod?)null;
            if (method is null || (sr.Has("sum") && sr.Has("mean")))
            {
                context.Diagnostics.Report(DiagnosticDescriptors.MissingKey, key.Location, $"The score '{key.Value}'", "sum", "write exactly one of sum: [items] or mean: [items]");
                continue;
            }
            var itemKey = method == ScoreMethod.Sum ? "sum" : "mean";
            var items = sr.IdList(itemKey);
            var reverse = sr.IdList("reverse");
            var ok = items.Length > 0;
            if (items.Length == 0 && sr.Node(itemKey) is YSequence { Items.Count: 0 } emptyItems)
                context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, emptyItems.Location, itemKey, "needs at least one item to score");
            var scoreItems = ImmutableArray.CreateBuilder<ScoreItem>();
            var bounded = true;
            foreach (var (itemId, location) in items)
            {
                var field = fields.FirstOrDefault(f => f.Id == itemId);
                if (field is null)
                {
                    if (!broken.Contains(itemId))
                        context.Diagnostics.Report(DiagnosticDescriptors.UnknownField, location, worksheetId, itemId, Suggestions.ForReference(itemId, fields.Select(f => f.Id), "fields"));
                    ok = false;
                    continue;
                }
                var numericChoice = field.Type == FieldType.Choice && field.HasNumericOptions && !field.Multiple;
                if (field.Type is not (FieldType.Number or FieldType.Integer or FieldType.Scale) && !numericChoice)
                {
                    context.Diagnostics.Report(DiagnosticDescriptors.ScoringItemType, location, itemId, field.Type.ToString().ToLowerInvariant());
                    ok = false;
                    continue;
                }
                bounded &= numericChoice || (field.Min is not null && field.Max is not null);
                var (lo, hi) = numericChoice ? (field.Options.Min(o => o.Number!.Value), field.Options.Max(o => o.Number!.Value)) : (field.Min ?? 0, field.Max ?? 0);
                var isReverse = reverse.Any(x => x.Id == itemId);
                if (isReverse && !numericChoice && (field.Min is null || field.Max is null))
                {
                    context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, reverse.First(x => x.Id == itemId).Location, "reverse", $"needs '{itemId}' to have min and max");
                    ok = false;
                }
                scoreItems.Add(new ScoreItem(itemId, isReverse, lo, hi));
            }
            foreach (var (rid, location) in reverse.Where(x => items.All(i => i.Id != x.Id)))
            {
                context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, location, "reverse", $"lists '{rid}', which is not one of the score's items; list it under {itemKey} too");
                ok = false;
            }
            if (ok)
            {
                scores.Add(new Score(key.Value, method.Value, scoreItems.ToImmutable()));
                ranges[key.Value] = bounded ? ScoreBands.Range(method.Value, scoreItems) : null;
            }
            else broken.Add(key.Value);
        }

        var scoreIds = scores.Select(s => s.Id).ToList();
        var bands = ScoreBands.Read(r.Mapping("bands"), scoreIds, ranges, worksheetId, context, broken);

        var mcid = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in r.Mapping("mcid")?.Entries ?? [])
        {
            if (!scoreIds.Contains(key.Value))
            {
                if (!broken.Contains(key.Value))
                    context.Diagnostics.Report(DiagnosticDescriptors.UnknownField, key.Location, worksheetId, key.Value, Suggestions.ForReference(key.Value, scoreIds, "scores") + " (mcid is given per score)");
                continue;
            }
            if (value is YScalar s && s.TryGetNumber(out var n) && n > 0) mcid[key.Value] = n;
            else context.Diagnostics.Report(DiagnosticDescriptors.WrongType, value.Location, $"mcid.{key.Value}", "a positive number", value.Describe());
        }
        return new Scoring(scores.ToImmutable(), bands, mcid.ToImmutable());
    }
}

using System.Globalization;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Runtime.Patients;

/// <summary>Whether an answer fits its field: its kind, range, steps and options (docs/package-format.md, "The patient's state").</summary>
internal static class AnswerRules
{
    /// <summary>Adds to <paramref name="problems"/> every way <paramref name="value"/> does not fit <paramref name="field"/>, named <paramref name="at"/>.</summary>
    public static void Check(Field field, Answer value, string at, List<PatientChangeProblem> problems)
    {
        if (value.Kind == AnswerKind.Null) return;
        void Wrong(string what) => problems.Add(new(PatientChangeError.WrongType, $"{at} takes {what}, not {Describe(value)}: give {what}"));
        switch (field.Type)
        {
            case FieldType.Text or FieldType.LongText:
                if (value.Kind != AnswerKind.Text) Wrong("a text");
                break;
            case FieldType.Boolean:
                if (value.Kind != AnswerKind.Boolean) Wrong("true or false");
                break;
            case FieldType.Date:
                if (value.AsText is not { } d || PatientState.ParseDate(d) is null) Wrong("a date written yyyy-MM-dd (Answer.Date)");
                break;
            case FieldType.Time:
                if (value.AsText is not { } t || !TimeOnly.TryParseExact(t, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    Wrong("a time of day written HH:mm (Answer.Time)");
                break;
            case FieldType.Number or FieldType.Integer or FieldType.Scale or FieldType.Duration:
                if (value.AsNumber is { } n) Number(field, n, at, problems);
                else Wrong(field.Type == FieldType.Duration ? "a number of minutes" : field.Type == FieldType.Integer ? "a whole number" : "a number");
                break;
            case FieldType.Choice:
                Choice(field, value, at, problems);
                break;
            case FieldType.Table:
                Table(field, value, at, problems);
                break;
            case FieldType.Target:
                Target(field, value, at, problems);
                break;
        }
    }

    private static string Num(double n) => n.ToString("R", CultureInfo.InvariantCulture);

    private static string Describe(Answer value) => value.Kind switch
    {
        AnswerKind.Number => $"the number {value}",
        AnswerKind.Text => $"the text {value}",
        AnswerKind.Boolean => value.ToString(),
        AnswerKind.List => "a list",
        AnswerKind.Object => "an object",
        _ => "null",
    };

    private static void Number(Field field, double n, string at, List<PatientChangeProblem> problems)
    {
        var range = (field.Min, field.Max) switch
        {
            ({ } lo, { } hi) => $"from {Num(lo)} to {Num(hi)}",
            ({ } lo, null) => $"from {Num(lo)}",
            (null, { } hi) => $"up to {Num(hi)}",
            _ => "",
        };
        if ((field.Min is { } min && n < min) || (field.Max is { } max && n > max))
        {
            problems.Add(new(PatientChangeError.OutOfRange, $"{at} takes a number {range}; {Num(n)} is out of range: give one {range}"));
            return;
        }
        if (field.Type == FieldType.Integer && n != Math.Floor(n))
        {
            problems.Add(new(PatientChangeError.NotAStep, $"{at} takes a whole number, not {Num(n)}: give a whole number"));
            return;
        }
        // A scale moves in steps of 1 unless it says otherwise.
        var step = field.Step ?? (field.Type == FieldType.Scale ? 1 : null);
        if (step is { } s && s > 0)
        {
            var from = field.Min ?? 0;
            var q = (n - from) / s;
            if (Math.Abs(q - Math.Round(q)) > 1e-9 * Math.Max(1, Math.Abs(q)))
                problems.Add(new(PatientChangeError.NotAStep,
                    $"{at} moves in steps of {Num(s)} from {Num(from)}; {Num(n)} is between two: give {Num(from + Math.Floor(q) * s)} or {Num(from + Math.Ceiling(q) * s)}"));
        }
    }

    private static void Choice(Field field, Answer value, string at, List<PatientChangeProblem> problems)
    {
        var numeric = field.HasNumericOptions;
        var options = string.Join(", ", field.Options.Select(o => numeric ? o.ValueText : $"\"{o.ValueText}\""));
        bool Known(Answer v) => field.Options.Any(o => numeric ? v.AsNumber is { } n && o.Number == n : v.AsText is { } t && o.Text == t);
        void One(Answer v, string where)
        {
            if (numeric ? v.Kind != AnswerKind.Number : v.Kind != AnswerKind.Text)
                problems.Add(new(PatientChangeError.WrongType, $"{where} takes one of its options' values ({options}), not {Describe(v)}"));
            else if (!Known(v))
                problems.Add(new(PatientChangeError.UnknownOption, $"{where} has no option {v}: give one of {options}"));
        }
        if (!field.Multiple)
        {
            if (value.Kind == AnswerKind.List)
                problems.Add(new(PatientChangeError.WrongType, $"{at} is a single choice: give one of {options}, not a list"));
            else One(value, at);
            return;
        }
        if (value.Kind != AnswerKind.List)
        {
            problems.Add(new(PatientChangeError.WrongType, $"{at} is a multiple choice: give a list (Answer.List) of its options' values ({options}), an empty one for none"));
            return;
        }
        var seen = new List<Answer>();
        foreach (var (item, i) in value.Items.Select((x, i) => (x, i)))
        {
            One(item, $"{at}[{i}]");
            if (seen.Contains(item)) problems.Add(new(PatientChangeError.WrongType, $"{at} lists {item} twice: give each option once"));
            seen.Add(item);
        }
    }

    private static void Table(Field field, Answer value, string at, List<PatientChangeProblem> problems)
    {
        if (value.Kind != AnswerKind.List)
        {
            problems.Add(new(PatientChangeError.WrongType, $"{at} is a table: give its rows as a list (Answer.List) of objects by column id"));
            return;
        }
        var rows = field.RowLabels.Length > 0 ? field.RowLabels.Length : field.RowCount;
        var items = value.Items;
        if (rows is { } most && items.Count > most)
            problems.Add(new(PatientChangeError.OutOfRange, $"{at} has {most} rows; {items.Count} were given: give at most {most}"));
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Kind == AnswerKind.Null) continue;
            if (items[i].Kind != AnswerKind.Object)
            {
                problems.Add(new(PatientChangeError.WrongType, $"{at}[{i}] is a row: give an object (Answer.Object) by column id"));
                continue;
            }
            foreach (var (column, cell) in items[i].Properties)
            {
                if (field.Columns.FirstOrDefault(c => c.Id == column) is { } c) Check(c, cell, $"{at}[{i}].{column}", problems);
                else problems.Add(new(PatientChangeError.UnknownField,
                    $"{at} has no column '{column}': its columns are {string.Join(", ", field.Columns.Select(x => x.Id))}"));
            }
        }
    }

    private static void Target(Field field, Answer value, string at, List<PatientChangeProblem> problems)
    {
        if (value.Kind != AnswerKind.Object)
        {
            problems.Add(new(PatientChangeError.WrongType, $"{at} is a target: give its marks as an object (Answer.Object) from area id to ring"));
            return;
        }
        var rings = field.Rings ?? 1;
        foreach (var (area, ring) in value.Properties)
        {
            if (!field.Areas.Any(a => a.Id == area))
                problems.Add(new(PatientChangeError.UnknownField, $"{at} has no area '{area}': its areas are {string.Join(", ", field.Areas.Select(a => a.Id))}"));
            else if (ring.Kind == AnswerKind.Null) continue;
            else if (ring.AsNumber is not { } r || r != Math.Floor(r))
                problems.Add(new(PatientChangeError.WrongType, $"{at}.{area} takes a ring, a whole number from 1 to {rings}, not {Describe(ring)}"));
            else if (r < 1 || r > rings)
                problems.Add(new(PatientChangeError.OutOfRange, $"{at}.{area} takes a ring from 1 to {rings}; {Num(r)} is out of range"));
        }
    }
}

using System.Collections.Immutable;
using System.Globalization;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Exploration;

/// <summary>One thing a condition reads of a patient: an answer, a diary aggregate, a score, the week, a module's state.</summary>
public abstract record Input(string Key)
{
    /// <summary>How the input is named in reports: <c>pain-rating.intensity</c>, <c>sleep-diary.mean(hours)</c>, <c>week</c>.</summary>
    public override string ToString() => Key;
}

public sealed record FieldInput(string Worksheet, Field Field) : Input($"{Worksheet}.{Field.Id}");

public sealed record AggregateInput(string Worksheet, AggregateFunction Function, Field? Field)
    : Input(Function == AggregateFunction.Count ? $"{Worksheet}.count()" : $"{Worksheet}.{Function.ToString().ToLowerInvariant()}({Field!.Id})");

public sealed record ScoreInput(string Worksheet, string Score, ScoreMethod Method, ImmutableArray<ScoreItem> Items) : Input($"{Worksheet}.{Score}");

public sealed record WeekInput() : Input("week");

public sealed record ModuleInput(StateFunction Function, string Module) : Input($"{Function.ToString().ToLowerInvariant()}({Module})");

public sealed record AnsweredInput(string Worksheet, ImmutableArray<string> Required, bool IsDiary) : Input($"answered({Worksheet})");

/// <summary>
/// The patients a program can meet, as finite classes of values: for every input its conditions
/// read, the values that decide every comparison made on it (each boundary, just below and just
/// above it, the ends of the field's range), every option of a choice, the subsets of the options a
/// multiple choice is compared with, answered or not. Two patients whose inputs fall in the same
/// classes get the same result from every condition.
/// </summary>
public sealed class PatientSpace
{
    /// <summary>More combinations than this in one condition are sampled, not enumerated.</summary>
    public const int EnumerationLimit = 6_000;

    /// <summary>More combinations than this of the inputs a phase's conditions share are sampled.</summary>
    public const int PhaseLimit = 400;

    /// <summary>More combinations than this of one module's own inputs, for one choice of the shared ones, are sampled.</summary>
    public const int PhaseOwnLimit = 64;

    private readonly ProgramGraph _graph;
    private readonly Dictionary<string, Input> _inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<double>> _numbers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _texts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _approximate = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<object?>> _classes = new(StringComparer.Ordinal);

    public PatientSpace(ProgramGraph graph, IEnumerable<Expr> conditions)
    {
        _graph = graph;
        foreach (var c in conditions) Collect(c);
    }

    public IReadOnlyCollection<Input> Inputs => _inputs.Values;

    /// <summary>Inputs compared in ways whose boundaries cannot be read off (arithmetic between answers): explored by sample points.</summary>
    public bool IsApproximate(Input input) => _approximate.Contains(input.Key);

    /// <summary>
    /// True when every comparison in the condition sets one input against a constant, so that the value
    /// classes decide it exactly; false when it does arithmetic with answers or compares two answers.
    /// </summary>
    public bool IsSplittable(Expr e) => e switch
    {
        UnaryExpr { Operator: UnaryOperator.Not } u => IsSplittable(u.Operand),
        BinaryExpr { Operator: BinaryOperator.And or BinaryOperator.Or } b => IsSplittable(b.Left) && IsSplittable(b.Right),
        BinaryExpr b => InputOf(b.Left) is not null && Constant(b.Right) is not null || InputOf(b.Right) is not null && Constant(b.Left) is not null,
        _ => true,
    };

    /// <summary>The inputs one condition reads, in a stable order.</summary>
    public IReadOnlyList<Input> InputsOf(Expr e)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        Visit(e, keys);
        return [.. keys.Select(k => _inputs[k])];
    }

    private void Visit(Expr e, SortedSet<string> keys)
    {
        if (InputOf(e) is { } input) keys.Add(input.Key);
        switch (e)
        {
            case UnaryExpr u: Visit(u.Operand, keys); break;
            case BinaryExpr b: Visit(b.Left, keys); Visit(b.Right, keys); break;
        }
    }

    private Input? InputOf(Expr e)
    {
        Input? input = e switch
        {
            FieldRef f when Field(f.Worksheet, f.Field) is { } field => new FieldInput(f.Worksheet, field),
            AggregateRef { Function: AggregateFunction.Count } a => new AggregateInput(a.Worksheet, a.Function, null),
            AggregateRef a when a.Field is not null && Field(a.Worksheet, a.Field) is { } field => new AggregateInput(a.Worksheet, a.Function, field),
            ScoreRef s => new ScoreInput(s.Worksheet, s.Score, s.Method, [.. s.Items]),
            WeekRef => new WeekInput(),
            StateCall { Function: StateFunction.Answered } c => new AnsweredInput(c.Target, [.. c.RequiredFields], c.IsDiary),
            StateCall c => new ModuleInput(c.Function, c.Target),
            _ => null,
        };
        if (input is null) return null;
        return _inputs.TryGetValue(input.Key, out var known) ? known : _inputs[input.Key] = input;
    }

    private Field? Field(string worksheet, string field) => _graph.FindWorksheet(worksheet)?.Fields.FirstOrDefault(f => f.Id == field);

    private void Collect(Expr e)
    {
        InputOf(e);
        switch (e)
        {
            case UnaryExpr u:
                Collect(u.Operand);
                break;
            case BinaryExpr b:
                Collect(b.Left);
                Collect(b.Right);
                if (b.Operator is BinaryOperator.And or BinaryOperator.Or) break;
                var (left, right) = (InputOf(b.Left), InputOf(b.Right));
                if (left is not null && Constant(b.Right) is { } rc) Boundary(left, rc);
                else if (right is not null && Constant(b.Left) is { } lc) Boundary(right, lc);
                else
                {
                    // Arithmetic, or two answers compared with each other: no boundary to read off.
                    foreach (var i in InputsOf(b)) _approximate.Add(i.Key);
                }
                break;
        }
    }

    private static object? Constant(Expr e) => e switch
    {
        NumberLiteral n => n.Value,
        UnaryExpr { Operator: UnaryOperator.Negate, Operand: NumberLiteral n } => -n.Value,
        TextLiteral t => t.Value,
        BooleanLiteral b => b.Value,
        _ => null,
    };

    private void Boundary(Input input, object constant)
    {
        switch (constant)
        {
            case double d:
                if (!_numbers.TryGetValue(input.Key, out var set)) _numbers[input.Key] = set = [];
                set.Add(d);
                break;
            case string s:
                if (!_texts.TryGetValue(input.Key, out var texts)) _texts[input.Key] = texts = new(StringComparer.Ordinal);
                texts.Add(s);
                break;
        }
    }

    /// <summary>The value classes of an input; null stands for "not answered" (or false for module states).</summary>
    public IReadOnlyList<object?> ClassesOf(Input input, int firstWeek = 1, int lastWeek = 1)
    {
        if (input is WeekInput) return WeekClasses(firstWeek, lastWeek);
        if (_classes.TryGetValue(input.Key, out var known)) return known;
        var numbers = _numbers.GetValueOrDefault(input.Key) ?? [];
        IReadOnlyList<object?> result = input switch
        {
            FieldInput { Field.Type: FieldType.Boolean } => [null, false, true],
            FieldInput { Field.Type: FieldType.Choice, Field.Multiple: true } f => SubsetClasses(f),
            FieldInput { Field.Type: FieldType.Choice } f when f.Field.HasNumericOptions => [null, .. f.Field.Options.Select(o => (object?)o.Number!.Value)],
            FieldInput { Field.Type: FieldType.Choice } f => [null, .. f.Field.Options.Select(o => (object?)o.ValueText)],
            FieldInput f => [null, .. Points(f.Field.Min, f.Field.Max, IsWhole(f.Field), f.Field.Step, numbers, IsApproximate(input))],
            AggregateInput { Function: AggregateFunction.Count } a => [.. Points(0, Math.Max(7, numbers.Count > 0 ? numbers.Max + 1 : 0), true, 1, numbers, IsApproximate(input))],
            AggregateInput { Function: AggregateFunction.Last, Field.Type: FieldType.Choice } a when !a.Field!.HasNumericOptions => [null, .. a.Field.Options.Select(o => (object?)o.ValueText)],
            AggregateInput { Function: AggregateFunction.Last, Field.Type: FieldType.Boolean } => [null, false, true],
            AggregateInput a => [null, .. Points(a.Field!.Min, a.Field.Max, IsWhole(a.Field) && a.Function != AggregateFunction.Mean, a.Field.Step, numbers, IsApproximate(input))],
            ScoreInput s => [null, .. Points(ScoreMin(s), ScoreMax(s), s.Method == ScoreMethod.Sum && s.Items.All(i => i.Min == Math.Floor(i.Min)), null, numbers, IsApproximate(input))],
            ModuleInput or AnsweredInput => [false, true],
            _ => [null],
        };
        return _classes[input.Key] = result;
    }

    private IReadOnlyList<object?> WeekClasses(int first, int last)
    {
        var numbers = _numbers.GetValueOrDefault("week") ?? [];
        return [.. Points(first, last, true, 1, numbers, IsApproximate(new WeekInput())).Select(p => (object?)p)];
    }

    private static double ScoreMin(ScoreInput s) => s.Method == ScoreMethod.Sum ? s.Items.Sum(i => i.Min) : s.Items.Average(i => i.Min);
    private static double ScoreMax(ScoreInput s) => s.Method == ScoreMethod.Sum ? s.Items.Sum(i => i.Max) : s.Items.Average(i => i.Max);

    private static bool IsWhole(Field f) => f.Type is FieldType.Integer or FieldType.Scale || f.Type == FieldType.Choice
        || (f.Step is { } st && st == Math.Floor(st) && (f.Min ?? 0) == Math.Floor(f.Min ?? 0));

    /// <summary>The options a multiple choice is compared with, each in or out: every subset of them, and not answered.</summary>
    private IReadOnlyList<object?> SubsetClasses(FieldInput f)
    {
        var numeric = f.Field.HasNumericOptions;
        var mentioned = (_texts.GetValueOrDefault(f.Key)?.AsEnumerable() ?? [])
            .Concat((_numbers.GetValueOrDefault(f.Key)?.AsEnumerable() ?? []).Select(n => n.ToString("R", CultureInfo.InvariantCulture)))
            .Where(v => f.Field.Options.Any(o => o.ValueText == v)).Distinct(StringComparer.Ordinal).ToList();
        if (mentioned.Count > 10)
        {
            _approximate.Add(f.Key);
            mentioned = mentioned[..10];
        }
        var result = new List<object?> { null };
        for (var mask = 0; mask < 1 << mentioned.Count; mask++)
            result.Add(Enumerable.Range(0, mentioned.Count).Where(i => (mask & (1 << i)) != 0)
                .Select(i => numeric ? double.Parse(mentioned[i], CultureInfo.InvariantCulture) : (object)mentioned[i]).ToImmutableArray());
        return result;
    }

    /// <summary>Numbers that decide every comparison with the boundaries: each boundary, one step either side, the ends, and a point in every gap.</summary>
    /// <summary>Values tried for an answer compared through arithmetic when it has no range of its own: small and large, whole and not.</summary>
    private static readonly double[] Spread = [-100, -10, -1, 0, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30, 45, 60, 90, 120, 150, 180, 240, 300, 360, 480, 600, 900, 1000, 1440, 10000];

    private static IEnumerable<double> Points(double? min, double? max, bool whole, double? step, SortedSet<double> boundaries, bool approximate)
    {
        var delta = whole ? 1 : step is > 0 ? step.Value : 0.5;
        var lo = min ?? (boundaries.Count > 0 ? boundaries.Min - delta * 2 : 0);
        var hi = max ?? (boundaries.Count > 0 ? boundaries.Max + delta * 2 : 10);
        if (hi < lo) (lo, hi) = (hi, lo);
        var points = new SortedSet<double> { lo, hi };
        if (approximate && (min is null || max is null))
        {
            // No range to sample inside: spread the points over the values answers of this kind take.
            lo = min ?? Math.Min(lo, Spread[0]);
            hi = max ?? Math.Max(hi, Spread[^1]);
            foreach (var x in Spread.Where(x => x >= lo && x <= hi)) points.Add(x);
            points.Add(lo);
            points.Add(hi);
        }
        foreach (var b in boundaries)
        {
            points.Add(b);
            points.Add(b - delta);
            points.Add(b + delta);
        }
        if (approximate)
            for (var k = 1; k < 8; k++) points.Add(lo + (hi - lo) * k / 8);
        var sorted = points.Where(p => p >= lo && p <= hi).ToList();
        for (var i = 0; i + 1 < sorted.Count; i++) points.Add((sorted[i] + sorted[i + 1]) / 2);
        return points.Where(p => p >= lo && p <= hi).Select(p => whole ? Math.Round(p, MidpointRounding.ToZero) : p).Distinct().Order();
    }

    // ---- turning a choice of classes into a patient ----

    /// <summary>
    /// A patient whose inputs take the given classes: answers that give those values (a diary gets
    /// entries whose aggregates come out so, a score items that add up to it), the week and the
    /// modules completed and chosen. The evaluator then decides every condition on this patient.
    /// </summary>
    public Patient Realize(IReadOnlyDictionary<Input, object?> values, int week, IEnumerable<string> completed, IEnumerable<string> chosen)
    {
        var forms = new SortedDictionary<string, Dictionary<string, object>>(StringComparer.Ordinal);
        var diaries = new SortedDictionary<string, (int? Count, List<(AggregateFunction Fn, Field Field, object Value)> Values)>(StringComparer.Ordinal);
        var done = new SortedSet<string>(completed, StringComparer.Ordinal);
        var picked = new SortedSet<string>(chosen, StringComparer.Ordinal);
        var answered = new Dictionary<string, bool>(StringComparer.Ordinal);
        Dictionary<string, object> Form(string id) => forms.TryGetValue(id, out var f) ? f : forms[id] = new(StringComparer.Ordinal);

        foreach (var (input, value) in values)
        {
            switch (input)
            {
                case WeekInput when value is double w:
                    week = (int)w;
                    break;
                case FieldInput f when value is not null:
                    Form(f.Worksheet)[f.Field.Id] = value;
                    break;
                case AggregateInput a:
                    if (!diaries.TryGetValue(a.Worksheet, out var d)) diaries[a.Worksheet] = d = (null, []);
                    if (a.Function == AggregateFunction.Count) diaries[a.Worksheet] = ((int)(double)value!, d.Values);
                    else if (value is not null) d.Values.Add((a.Function, a.Field!, value));
                    break;
                case ScoreInput:
                    break;
                case ModuleInput m when value is true:
                    (m.Function == StateFunction.Completed ? done : picked).Add(m.Module);
                    break;
                case AnsweredInput a:
                    answered[a.Worksheet] = value is true;
                    break;
            }
        }
        // Scores after the fields: the items not answered directly take values that add up to the score.
        foreach (var (input, value) in values)
            if (input is ScoreInput s && value is double total) FillScore(Form(s.Worksheet), s, total);

        var answers = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (id, entry) in forms)
        {
            if (answered.TryGetValue(id, out var a) && !a) continue;
            answers[id] = entry;
        }
        foreach (var (id, is_) in answered.Where(a => a.Value))
        {
            var ws = _graph.FindWorksheet(id);
            if (ws is null) continue;
            if (ws.Kind == WorksheetKind.Diary)
            {
                if (!diaries.ContainsKey(id)) diaries[id] = (null, []);
                continue;
            }
            var entry = answers.TryGetValue(id, out var e) ? (Dictionary<string, object>)e : new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var f in ws.Fields.Where(f => f.Required && !entry.ContainsKey(f.Id)))
                if (DefaultAnswer(f) is { } v) entry[f.Id] = v;
            if (entry.Count == 0 && ws.Fields.FirstOrDefault(f => DefaultAnswer(f) is not null) is { } any) entry[any.Id] = DefaultAnswer(any)!;
            answers[id] = entry;
        }
        foreach (var (id, (count, aggregates)) in diaries)
        {
            if (answered.TryGetValue(id, out var a) && !a) continue;
            var entries = DiaryEntries(_graph.FindWorksheet(id), count, aggregates, answered.GetValueOrDefault(id));
            if (entries.Count > 0 || count is not null) answers[id] = entries;
        }
        // As the scheduler has it: a completed optional module was chosen, and only optional modules can be.
        picked.UnionWith(done.Where(id => _graph.FindModule(id) is { Optional: true }));
        picked.RemoveWhere(id => _graph.FindModule(id) is not { Optional: true });
        return new Patient(Math.Max(1, week), [.. done], [.. picked], answers);
    }

    private static object? DefaultAnswer(Field f) => f.Type switch
    {
        FieldType.Target when f.Areas.Length > 0 => new StructuredAnswer(new SortedDictionary<string, object>(StringComparer.Ordinal) { [f.Areas[0].Id] = 1.0 }),
        FieldType.Table when f.Columns.FirstOrDefault(c => DefaultAnswer(c) is not null) is { } column =>
            new StructuredAnswer(new List<object> { new SortedDictionary<string, object>(StringComparer.Ordinal) { [column.Id] = DefaultAnswer(column)! } }),
        FieldType.Boolean => false,
        FieldType.Choice when f.Multiple => ImmutableArray.Create<object>(f.Options.FirstOrDefault() is { } o ? (object?)o.Number ?? o.ValueText : "x"),
        FieldType.Choice when f.HasNumericOptions => f.Options[0].Number!.Value,
        FieldType.Choice => f.Options.FirstOrDefault()?.ValueText,
        FieldType.Number or FieldType.Integer or FieldType.Scale or FieldType.Duration => f.Min ?? 0,
        FieldType.Text or FieldType.LongText => "…",
        FieldType.Date => "2026-01-01",
        FieldType.Time => "08:00",
        _ => null,
    };

    private static void FillScore(Dictionary<string, object> entry, ScoreInput s, double total)
    {
        var target = s.Method == ScoreMethod.Mean ? total * s.Items.Length : total;
        // Contributions of the items already answered count; the rest start at their least and rise in turn.
        double Contribution(ScoreItem i, double v) => i.Reverse ? i.Min + i.Max - v : v;
        var free = s.Items.Where(i => !entry.ContainsKey(i.Field)).ToList();
        var fixedSum = s.Items.Where(i => entry.ContainsKey(i.Field) && entry[i.Field] is double).Sum(i => Contribution(i, (double)entry[i.Field]));
        var remaining = target - fixedSum - free.Sum(i => i.Min);
        foreach (var item in free)
        {
            var add = Math.Clamp(remaining, 0, item.Max - item.Min);
            remaining -= add;
            var contribution = item.Min + add;
            entry[item.Field] = item.Reverse ? item.Min + item.Max - contribution : contribution;
        }
    }

    private static List<Dictionary<string, object>> DiaryEntries(Worksheet? diary, int? count, List<(AggregateFunction Fn, Field Field, object Value)> aggregates, bool mustHaveEntry)
    {
        var byField = aggregates.GroupBy(a => a.Field.Id).ToList();
        var wanted = count ?? (aggregates.Count > 0 || mustHaveEntry ? 0 : -1);
        if (wanted < 0) return [];
        // Without a count to keep, find the fewest entries (up to 12) whose values give every aggregate asked for.
        var sizes = count is { } c ? [c] : Enumerable.Range(Math.Max(1, byField.Count > 0 ? 1 : 1), 12).ToArray();
        List<Dictionary<string, object>>? best = null;
        foreach (var n in sizes)
        {
            var entries = Enumerable.Range(0, n).Select(_ => new Dictionary<string, object>(StringComparer.Ordinal)).ToList();
            var ok = true;
            foreach (var group in byField)
                ok &= FillField(entries, group.Key, group.ToList());
            best ??= entries;
            if (ok) return entries;
        }
        return best ?? [];
    }

    /// <summary>Values of one field in <paramref name="entries"/> whose min, max, mean and last are those asked; false when no such values exist.</summary>
    private static bool FillField(List<Dictionary<string, object>> entries, string field, List<(AggregateFunction Fn, Field Field, object Value)> asked)
    {
        var n = entries.Count;
        if (n == 0) return false;
        var numeric = asked.Where(a => a.Value is double).ToList();
        if (numeric.Count < asked.Count || numeric.Count == 0)
        {
            foreach (var e in entries) e[field] = asked[0].Value;
            return asked.All(a => Equals(a.Value, asked[0].Value));
        }
        double? Of(AggregateFunction fn) => numeric.FirstOrDefault(a => a.Fn == fn).Value as double?;
        var def = numeric[0].Field;
        var (mean, min, max, last) = (Of(AggregateFunction.Mean), Of(AggregateFunction.Min), Of(AggregateFunction.Max), Of(AggregateFunction.Last));
        var lo = min ?? def.Min ?? double.NegativeInfinity;
        var hi = max ?? def.Max ?? double.PositiveInfinity;
        if (lo > hi) return false;
        var values = new double?[n];
        var k = 0;
        if (max is { } x) values[k++] = x;
        if (min is { } y && k < n) values[k++] = y;
        if (last is { } l)
        {
            if (l < lo || l > hi) return false;
            if (k < n) values[n - 1] = l;
            else if (values[n - 1] != l) return false;
        }
        var free = Enumerable.Range(0, n).Where(i => values[i] is null).ToList();
        if (mean is { } m)
        {
            var fixedSum = values.Where(v => v is not null).Sum(v => v!.Value);
            if (free.Count == 0) { if (Math.Abs(fixedSum / n - m) > 1e-9) return false; }
            else
            {
                var rest = (m * n - fixedSum) / free.Count;
                if (rest < lo - 1e-9 || rest > hi + 1e-9) return false;
                foreach (var i in free) values[i] = rest;
            }
        }
        var fill = mean ?? min ?? max ?? last ?? 0;
        for (var i = 0; i < n; i++) entries[i][field] = values[i] ?? Math.Clamp(fill, lo, hi);
        return (min is null || min == lo) && (max is null || max == hi) && (min is null || max is null || n >= (min == max ? 1 : 2));
    }
}

/// <summary>A table's rows or a Bull's-eye's marks: an answer that conditions cannot compare, only see as given.</summary>
public sealed record StructuredAnswer(object Json);

/// <summary>A concrete patient: the week, the modules completed and chosen, and answers by worksheet (a form's fields, or a diary's entries).</summary>
public sealed record Patient(int Week, ImmutableArray<string> Completed, ImmutableArray<string> Chosen, IReadOnlyDictionary<string, object> Answers)
{
    public PatientState ToState() => new(Week, Completed, Chosen, Answers.ToDictionary(a => a.Key, a => a.Value switch
    {
        Dictionary<string, object> form => new WorksheetAnswers([ToEntry(form)], isDiary: false),
        List<Dictionary<string, object>> diary => new WorksheetAnswers([.. diary.Select(ToEntry)], isDiary: true),
        _ => new WorksheetAnswers([], isDiary: false),
    }, StringComparer.Ordinal));

    private static IReadOnlyDictionary<string, Value> ToEntry(Dictionary<string, object> entry) =>
        entry.ToDictionary(e => e.Key, e => ToValue(e.Value), StringComparer.Ordinal);

    private static Value ToValue(object v) => v switch
    {
        double d => Value.Number(d),
        string s => Value.Text(s),
        bool b => Value.Boolean(b),
        ImmutableArray<object> set => Value.Set([.. set.Select(ToValue)]),
        _ => Value.Opaque,
    };

    /// <summary>How many answers the patient gave: the measure of "the smallest patient".</summary>
    public int Size => Answers.Values.Sum(a => a switch
    {
        Dictionary<string, object> form => form.Count,
        List<Dictionary<string, object>> diary => diary.Sum(e => e.Count) + diary.Count,
        _ => 0,
    }) + Completed.Length + Chosen.Length;
}

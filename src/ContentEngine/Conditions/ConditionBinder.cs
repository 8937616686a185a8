using System.Globalization;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using ValueType = ContentEngine.Runtime.Conditions.ValueType;

namespace ContentEngine.Conditions;

/// <summary>What a condition may name: the program's worksheets and modules.</summary>
public sealed class ConditionScope(IReadOnlyDictionary<string, Worksheet> worksheets, IReadOnlyCollection<string> modules, IReadOnlySet<string>? broken = null)
{
    public IReadOnlyDictionary<string, Worksheet> Worksheets { get; } = worksheets;
    public IReadOnlyCollection<string> Modules { get; } = modules;

    /// <summary>
    /// Names that exist but failed to bind ("worksheet" or "worksheet.field"): their own error was
    /// reported, so references to them stay silent.
    /// </summary>
    public IReadOnlySet<string> Broken { get; } = broken ?? new HashSet<string>();

    /// <summary>The worksheets some body places, where patients can answer them; null when not known (every worksheet counts as placed).</summary>
    public IReadOnlySet<string>? Placed { get; init; }
}

/// <summary>
/// Resolves the names of a parsed condition and checks its types, giving the runtime's tree. A node
/// that fails gets the error type, which silences every check above it: one cause, one error.
/// </summary>
public sealed class ConditionBinder
{
    public delegate void Reporter(DiagnosticDescriptor descriptor, int start, int length, params object?[] args);

    private readonly ConditionScope _scope;
    private readonly Reporter _report;
    private readonly string? _source;

    private ConditionBinder(ConditionScope scope, Reporter report, string? source)
    {
        _scope = scope;
        _report = report;
        _source = source;
    }

    /// <summary>A tree of the error type stands for a part that could not be bound.</summary>
    private sealed record ErrorExpr(int Start, int Length) : Expr(Start, Length)
    {
        public override ValueType Type => ValueType.Error;
    }

    /// <summary>Binds a whole condition; returns null when it has errors (already reported).</summary>
    /// <param name="source">the condition's text, to show a corrected version in messages.</param>
    public static Expr? Bind(ConditionSyntax syntax, ConditionScope scope, Reporter report, string? source = null)
    {
        var errors = 0;
        var binder = new ConditionBinder(scope, (d, s, l, a) =>
        {
            if (d.Severity == DiagnosticSeverity.Error) errors++;
            report(d, s, l, a);
        }, source);
        var expr = binder.BindExpr(syntax);
        if (expr.Type != ValueType.Error && expr.Type != ValueType.Boolean)
        {
            report(DiagnosticDescriptors.ConditionType, syntax.Start, syntax.Length,
                $"a condition must be true or false, but this is {binder.Words(expr)}; compare it, as in {binder.Text(expr)} {binder.ExampleComparison(expr)}");
            return null;
        }
        return errors > 0 || expr.Type == ValueType.Error ? null : expr;
    }

    private static string Describe(ValueType t) => t switch
    {
        ValueType.Number => "a number",
        ValueType.Text => "a text",
        ValueType.Boolean => "true or false",
        ValueType.TextSet => "a multiple choice",
        _ => "unknown",
    };

    private Expr Error(ConditionSyntax at) => new ErrorExpr(at.Start, at.Length);

    /// <summary>The source text of a node, or a plain description when the text is not known.</summary>
    private string Text(Expr e) => _source is not null && e.Start >= 0 && e.Start + e.Length <= _source.Length ? _source.Substring(e.Start, e.Length) : Describe(e.Type);

    private static string Num(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>What kind of answer a field holds, in a clinician's words: "a 0–10 scale", "a choice of low, ok or high".</summary>
    private static string KindOf(Field f)
    {
        string Options(string join) => f.Options.Length == 0 ? string.Empty : " of " + ListWords(f.Options.Select(o => o.Text is null ? o.ValueText : $"'{o.ValueText}'"), join);
        return f.Type switch
        {
            FieldType.Scale => f.Min is { } lo && f.Max is { } hi ? $"a {Num(lo)}–{Num(hi)} scale" : "a scale",
            FieldType.Number => f.Min is { } lo && f.Max is { } hi ? $"a number from {Num(lo)} to {Num(hi)}" : "a number",
            FieldType.Integer => f.Min is { } lo && f.Max is { } hi ? $"a whole number from {Num(lo)} to {Num(hi)}" : "a whole number",
            FieldType.Duration => "a duration in minutes (a number)",
            FieldType.Boolean => "a yes-or-no question (true or false)",
            FieldType.Choice when f.Multiple => "a multiple choice" + Options("and"),
            FieldType.Choice => "a choice" + Options("or"),
            FieldType.LongText => "a long text field",
            FieldType.Text => "a text field",
            _ => $"a {f.Type.ToString().ToLowerInvariant()} field",
        };
    }

    private static string ListWords(IEnumerable<string> items, string join)
    {
        var list = items.ToList();
        if (list.Count > 8) list = [.. list.Take(8), "…"];
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list[..^1]) + $" {join} " + list[^1];
    }

    /// <summary>An operand in words: "'sleep', a 0–10 scale", "the text \"3\"", "the score 'total' (a number)".</summary>
    private string Words(Expr e) => e switch
    {
        FieldRef f => $"'{f.Field}', {KindOf(_scope.Worksheets[f.Worksheet].Fields.First(x => x.Id == f.Field))}",
        AggregateRef { Function: AggregateFunction.Count } a => $"{a.Worksheet}.count(), the number of diary entries",
        AggregateRef a when FieldOf(a) is { } f => $"{a.Worksheet}.{a.Function.ToString().ToLowerInvariant()}({a.Field}), from {KindOf(f)}",
        ScoreRef sc => $"the score '{sc.Score}' (a number)",
        WeekRef => "week (a number)",
        StateCall c => $"{c.Function.ToString().ToLowerInvariant()}({c.Target}) (true or false)",
        TextLiteral t => $"the text \"{t.Value}\"",
        NumberLiteral n => $"the number {Num(n.Value)}",
        BooleanLiteral b => b.Value ? "true" : "false",
        _ => Describe(e.Type),
    };

    /// <summary>A comparison that would make <paramref name="e"/> a condition: ">= 7", "== 'low'", "== true".</summary>
    private string ExampleComparison(Expr e)
    {
        var field = FieldOf(e);
        return e.Type switch
        {
            ValueType.Number or ValueType.TextSet when field is { Type: FieldType.Choice, HasNumericOptions: true } => $"== {field.Options[0].ValueText}",
            ValueType.Number => field is { Type: FieldType.Choice } ? $"== {field.Options.FirstOrDefault()?.ValueText ?? "1"}" : $">= {(field?.Max is { } hi ? Num(Math.Ceiling(((field.Min ?? 0) + hi) / 2)) : "7")}",
            ValueType.Text or ValueType.TextSet => $"== '{field?.Options.FirstOrDefault()?.ValueText ?? "…"}'",
            _ => "== true",
        };
    }

    private Expr BindExpr(ConditionSyntax syntax) => syntax switch
    {
        NumberSyntax n => new NumberLiteral(n.Value, n.Start, n.Length),
        TextSyntax t => new TextLiteral(t.Value, t.Start, t.Length),
        BooleanSyntax b => new BooleanLiteral(b.Value, b.Start, b.Length),
        NameSyntax n => BindName(n),
        MemberSyntax m => BindMember(m),
        CallSyntax c => BindCall(c),
        UnarySyntax u => BindUnary(u),
        BinarySyntax b => BindBinary(b),
        _ => throw new ArgumentException($"Unknown syntax {syntax.GetType().Name}", nameof(syntax)),
    };

    private Expr BindName(NameSyntax n)
    {
        if (n.Name == "week") return new WeekRef(n.Start, n.Length);
        if (_scope.Worksheets.TryGetValue(n.Name, out var ws))
        {
            var example = ws.Kind == WorksheetKind.Diary ? $"{ws.Id}.count()" : $"{ws.Id}.{ws.Fields.FirstOrDefault()?.Id ?? "field"}";
            _report(DiagnosticDescriptors.ConditionType, n.Start, n.Length, $"'{n.Name}' is a worksheet; name one of its answers, as in {example}");
            return Error(n);
        }
        var hyphen = n.Name.Contains('-') ? "; to subtract, put spaces around '-'" : string.Empty;
        var suggestion = Suggestions.Closest(n.Name, ["week"]) is not null ? "; did you mean 'week'?" : Suggestions.ForReference(n.Name, _scope.Worksheets.Keys, "worksheets");
        _report(DiagnosticDescriptors.ConditionUnknownName, n.Start, n.Length, $"'{n.Name}' is not known here; name an answer as worksheet.field, or use week", suggestion + hyphen);
        return Error(n);
    }

    private bool TryWorksheet(NameSyntax name, out Worksheet worksheet)
    {
        if (_scope.Worksheets.TryGetValue(name.Name, out worksheet!))
        {
            if (_scope.Placed is not { } placed || placed.Contains(name.Name)) return true;
            _report(DiagnosticDescriptors.UnplacedWorksheet, name.Start, name.Length, name.Name);
            return false;
        }
        if (_scope.Broken.Contains(name.Name)) return false;
        _report(DiagnosticDescriptors.ConditionUnknownName, name.Start, name.Length, $"There is no worksheet '{name.Name}'",
            Suggestions.ForReference(name.Name, _scope.Worksheets.Keys, "worksheets"));
        return false;
    }

    private static ValueType FieldValueType(Field f) => f.Type switch
    {
        FieldType.Number or FieldType.Integer or FieldType.Scale or FieldType.Duration => ValueType.Number,
        FieldType.Boolean => ValueType.Boolean,
        FieldType.Choice when f.Multiple => ValueType.TextSet,
        FieldType.Choice => f.HasNumericOptions ? ValueType.Number : ValueType.Text,
        _ => ValueType.Error,
    };

    private static string TypeName(FieldType t) => t.ToString().ToLowerInvariant();

    private Expr BindMember(MemberSyntax m)
    {
        if (!TryWorksheet(m.Target, out var ws)) return Error(m);
        var names = ws.Fields.Select(f => f.Id).Concat(ws.Scoring?.Scores.Select(s => s.Id) ?? []).ToList();

        if (m.IsCall)
        {
            if (ws.Kind != WorksheetKind.Diary)
            {
                _report(DiagnosticDescriptors.ConditionType, m.Start, m.Length, $"'{m.Member.Name}(…)' works on diaries, but '{ws.Id}' is a {ws.Kind.ToString().ToLowerInvariant()}; use {ws.Id}.field");
                return Error(m);
            }
            AggregateFunction fn;
            switch (m.Member.Name)
            {
                case "mean": fn = AggregateFunction.Mean; break;
                case "min": fn = AggregateFunction.Min; break;
                case "max": fn = AggregateFunction.Max; break;
                case "last": fn = AggregateFunction.Last; break;
                case "count": fn = AggregateFunction.Count; break;
                default:
                    _report(DiagnosticDescriptors.ConditionUnknownName, m.Member.Start, m.Member.Length, $"'{m.Member.Name}' is not a diary aggregate (mean, min, max, last, count)",
                        Suggestions.DidYouMean(m.Member.Name, ["mean", "min", "max", "last", "count"]));
                    return Error(m);
            }
            if (fn == AggregateFunction.Count)
            {
                if (m.Argument is not null)
                {
                    _report(DiagnosticDescriptors.ConditionType, m.Argument.Start, m.Argument.Length, $"count() takes no field: write {ws.Id}.count()");
                    return Error(m);
                }
                return new AggregateRef(ws.Id, fn, null, ValueType.Number, m.Start, m.Length);
            }
            if (m.Argument is null)
            {
                _report(DiagnosticDescriptors.ConditionType, m.Start, m.Length, $"{m.Member.Name}() needs a field, as in {ws.Id}.{m.Member.Name}({ws.Fields.FirstOrDefault()?.Id ?? "field"})");
                return Error(m);
            }
            var field = ws.Fields.FirstOrDefault(f => f.Id == m.Argument.Name);
            if (field is null && _scope.Broken.Contains($"{ws.Id}.{m.Argument.Name}")) return Error(m);
            if (field is null)
            {
                _report(DiagnosticDescriptors.ConditionUnknownName, m.Argument.Start, m.Argument.Length, $"The diary '{ws.Id}' has no field '{m.Argument.Name}'",
                    Suggestions.ForReference(m.Argument.Name, ws.Fields.Select(f => f.Id), "diary's fields"));
                return Error(m);
            }
            var type = FieldValueType(field);
            if (type == ValueType.Error || (fn != AggregateFunction.Last && type != ValueType.Number))
            {
                _report(DiagnosticDescriptors.ConditionType, m.Argument.Start, m.Argument.Length,
                    $"'{field.Id}' is a {TypeName(field.Type)} field; {m.Member.Name}() needs {(fn == AggregateFunction.Last ? "a field usable in conditions" : "a number, integer, scale or duration field")}");
                return Error(m);
            }
            return new AggregateRef(ws.Id, fn, field.Id, type, m.Start, m.Length);
        }

        if (ws.Kind == WorksheetKind.Diary)
        {
            _report(DiagnosticDescriptors.ConditionType, m.Start, m.Length, $"'{ws.Id}' is a diary with many entries; use an aggregate such as {ws.Id}.mean({m.Member.Name}) or {ws.Id}.last({m.Member.Name})");
            return Error(m);
        }
        var f2 = ws.Fields.FirstOrDefault(f => f.Id == m.Member.Name);
        if (f2 is not null)
        {
            var type = FieldValueType(f2);
            if (type == ValueType.Error)
            {
                _report(DiagnosticDescriptors.ConditionType, m.Member.Start, m.Member.Length, $"'{ws.Id}.{f2.Id}' is a {TypeName(f2.Type)} field, which conditions cannot compare; use answered({ws.Id}) or another field");
                return Error(m);
            }
            return new FieldRef(ws.Id, f2.Id, type, m.Start, m.Length);
        }
        var score = ws.Scoring?.Scores.FirstOrDefault(s => s.Id == m.Member.Name);
        if (score is not null)
            return new ScoreRef(ws.Id, score.Id, score.Method, score.Items, m.Start, m.Length);
        if (_scope.Broken.Contains($"{ws.Id}.{m.Member.Name}")) return Error(m);
        _report(DiagnosticDescriptors.ConditionUnknownName, m.Member.Start, m.Member.Length, $"The worksheet '{ws.Id}' has no field or score '{m.Member.Name}'",
            Suggestions.ForReference(m.Member.Name, names, "fields and scores"));
        return Error(m);
    }

    private Expr BindCall(CallSyntax c)
    {
        StateFunction fn;
        switch (c.Function.Name)
        {
            case "completed": fn = StateFunction.Completed; break;
            case "chosen": fn = StateFunction.Chosen; break;
            case "answered": fn = StateFunction.Answered; break;
            default:
                _report(DiagnosticDescriptors.ConditionUnknownName, c.Function.Start, c.Function.Length, $"'{c.Function.Name}(…)' is not a function (completed, chosen, answered)",
                    Suggestions.DidYouMean(c.Function.Name, ["completed", "chosen", "answered"]));
                return Error(c);
        }
        if (c.Argument is null)
        {
            _report(DiagnosticDescriptors.ConditionType, c.Start, c.Length, $"{c.Function.Name}() needs a {(fn == StateFunction.Answered ? "worksheet" : "module")} id inside the parentheses");
            return Error(c);
        }
        var a = c.Argument;
        if (fn == StateFunction.Answered)
        {
            if (!TryWorksheet(a, out var ws)) return Error(c);
            return new StateCall(fn, ws.Id, [.. ws.Fields.Where(f => f.Required).Select(f => f.Id)], ws.Kind == WorksheetKind.Diary, c.Start, c.Length);
        }
        if (!_scope.Modules.Contains(a.Name))
        {
            _report(DiagnosticDescriptors.ConditionUnknownName, a.Start, a.Length, $"There is no module '{a.Name}'", Suggestions.ForReference(a.Name, _scope.Modules, "modules"));
            return Error(c);
        }
        return new StateCall(fn, a.Name, [], false, c.Start, c.Length);
    }

    private Expr BindUnary(UnarySyntax u)
    {
        var operand = BindExpr(u.Operand);
        if (operand.Type == ValueType.Error) return Error(u);
        var want = u.Operator == UnaryOperator.Not ? ValueType.Boolean : ValueType.Number;
        if (operand.Type != want)
        {
            _report(DiagnosticDescriptors.ConditionType, u.Operand.Start, u.Operand.Length,
                u.Operator == UnaryOperator.Not
                    ? $"'not' needs true or false, but this is {Words(operand)}; compare it, as in not ({Text(operand)} {ExampleComparison(operand)})"
                    : $"'-' needs a number, but this is {Words(operand)}{NumberHint(operand)}");
            return Error(u);
        }
        return new UnaryExpr(u.Operator, operand, u.Start, u.Length);
    }

    private Expr BindBinary(BinarySyntax b)
    {
        var left = BindExpr(b.Left);
        var right = BindExpr(b.Right);
        if (left.Type == ValueType.Error || right.Type == ValueType.Error) return Error(b);
        var symbol = BinaryExpr.Symbol(b.Operator);

        switch (b.Operator)
        {
            case BinaryOperator.And or BinaryOperator.Or:
                foreach (var (side, syntax) in new[] { (left, b.Left), (right, b.Right) })
                    if (side.Type != ValueType.Boolean)
                    {
                        _report(DiagnosticDescriptors.ConditionType, syntax.Start, syntax.Length,
                            $"'{symbol}' joins conditions that are true or false, but this is {Words(side)}; compare it first, as in {Text(side)} {ExampleComparison(side)}");
                        return Error(b);
                    }
                break;
            case BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide:
                foreach (var (side, syntax) in new[] { (left, b.Left), (right, b.Right) })
                    if (side.Type != ValueType.Number)
                    {
                        _report(DiagnosticDescriptors.ConditionType, syntax.Start, syntax.Length, $"'{symbol}' needs numbers, but this is {Words(side)}{NumberHint(side)}");
                        return Error(b);
                    }
                break;
            default:
                if (!CheckComparison(b, left, right, symbol)) return Error(b);
                break;
        }
        return new BinaryExpr(b.Operator, left, right, b.Start, b.Length);
    }

    private bool CheckComparison(BinarySyntax b, Expr left, Expr right, string symbol)
    {
        var ordering = b.Operator is BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual;
        var (lt, rt) = (left.Type, right.Type);
        // A multiple choice compares with one of its option values, written as they are: a text id, or a number where its options are numbers.
        var (set, other) = lt == ValueType.TextSet ? (left, right) : (right, left);
        bool compatible = lt == rt && lt != ValueType.TextSet
            || (set.Type == ValueType.TextSet && other.Type == (FieldOf(set) is { HasNumericOptions: true } ? ValueType.Number : ValueType.Text));
        if (!compatible)
        {
            _report(DiagnosticDescriptors.ConditionType, b.Start, b.Length, Mismatch(b, left, right, symbol));
            return false;
        }
        if (ordering && lt != ValueType.Number)
        {
            var named = left is FieldRef or AggregateRef ? left : right is FieldRef or AggregateRef ? right : left;
            var kind = lt switch { ValueType.Text => "texts", ValueType.Boolean => "true-or-false values", _ => "multiple choices" };
            _report(DiagnosticDescriptors.ConditionType, b.OperatorStart, symbol.Length,
                named is FieldRef or AggregateRef
                    ? $"'{symbol}' orders numbers, but {Words(named)}, has no order; use == or !=, as in {Text(named)} {ExampleComparison(named)}"
                    : $"'{symbol}' orders numbers, but these are {kind}; use == or !=");
            return false;
        }
        if (!ordering)
        {
            CheckOptionValue(left, right);
            CheckOptionValue(right, left);
        }
        CheckRange(b, left, right, flipped: false);
        CheckRange(b, right, left, flipped: true);
        return true;
    }

    /// <summary>Why two sides cannot be compared, naming the field's kind and the comparison as it should be written.</summary>
    private string Mismatch(BinarySyntax b, Expr left, Expr right, string symbol)
    {
        var (reference, literal, literalOnRight) = left is TextLiteral or NumberLiteral or BooleanLiteral ? (right, left, false) : (left, right, true);
        string Fixed(string written) => literalOnRight ? $"{Text(reference)} {symbol} {written}" : $"{written} {symbol} {Text(reference)}";
        var field = FieldOf(reference);
        switch (reference.Type, literal)
        {
            case (ValueType.TextSet, TextLiteral t) when field is { HasNumericOptions: true } && double.TryParse(t.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n):
                return $"{Capitalized(Words(reference))}, has numbers as its values, and is compared with the text \"{t.Value}\" in quotes; numbers are written without quotes: {Fixed(Num(n))}";
            case (ValueType.TextSet, TextLiteral t) when field is { HasNumericOptions: true, Options: [var firstNumber, ..] }:
                return $"{Capitalized(Words(reference))}, has numbers as its values, not the text \"{t.Value}\"; compare it with one of them: {Fixed(firstNumber.ValueText)}";
            case (ValueType.Number, TextLiteral t) when double.TryParse(t.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n):
                return $"{Capitalized(Words(reference))}, is compared with the text \"{t.Value}\" in quotes; numbers are written without quotes: {Fixed(Num(n))}";
            case (ValueType.Number, TextLiteral t):
                return field is { Type: FieldType.Choice, Options: [var first, ..] }
                    ? $"{Capitalized(Words(reference))}, has numbers as its values, not the text \"{t.Value}\"; compare it with one of them: {Fixed(first.ValueText)}"
                    : $"{Capitalized(Words(reference))}, is compared with the text \"{t.Value}\"; compare it with a number: {Fixed(ExampleNumber(field))}";
            case (ValueType.Text or ValueType.TextSet, NumberLiteral n) when field is { Type: FieldType.Choice, Options.Length: > 0 }:
                var option = field.Options.FirstOrDefault(o => o.ValueText == Num(n.Value))?.ValueText ?? field.Options[0].ValueText;
                return $"{Capitalized(Words(reference))}, has texts as its values, not the number {Num(n.Value)}; write the value in quotes: {Fixed($"'{option}'")}";
            case (ValueType.Boolean, TextLiteral t) when t.Value.ToLowerInvariant() is "yes" or "no" or "true" or "false" or "ja" or "nej":
                var yes = t.Value.ToLowerInvariant() is "yes" or "true" or "ja";
                return $"{Capitalized(Words(reference))}, is compared with the text \"{t.Value}\"; write {Fixed(yes ? "true" : "false")}, or simply {(yes ? "" : "not ")}{Text(reference)}";
            case (ValueType.Boolean, NumberLiteral n) when n.Value is 0 or 1:
                return $"{Capitalized(Words(reference))}, is compared with the number {Num(n.Value)}; write {Fixed(n.Value == 1 ? "true" : "false")}";
        }
        if (reference is FieldRef or AggregateRef or ScoreRef or WeekRef)
            return $"'{symbol}' compares {Words(reference)}, with {Words(literal)}; both sides must be of the same kind, as in {Text(reference)} {ExampleComparison(reference)}";
        return $"'{symbol}' compares {Words(left)} with {Words(right)}; both sides must be of the same kind";
    }

    private static string Capitalized(string s) => s.Length > 0 && char.IsLower(s[0]) ? char.ToUpperInvariant(s[0]) + s[1..] : s;

    private static string ExampleNumber(Field? f) => f?.Max is { } hi ? Num(Math.Ceiling(((f.Min ?? 0) + hi) / 2)) : "7";

    private string NumberHint(Expr e) => FieldOf(e) is { } f && e.Type != ValueType.Number ? $"; arithmetic works on number, scale and duration fields and scores" : string.Empty;

    private Field? FieldOf(Expr e) => e switch
    {
        FieldRef f => _scope.Worksheets[f.Worksheet].Fields.First(x => x.Id == f.Field),
        AggregateRef { Field: not null, Function: not AggregateFunction.Count } a => _scope.Worksheets[a.Worksheet].Fields.First(x => x.Id == a.Field),
        _ => null,
    };

    private void CheckOptionValue(Expr reference, Expr literal)
    {
        if (FieldOf(reference) is not { Type: FieldType.Choice } field) return;
        string? value = literal switch
        {
            TextLiteral t => t.Value,
            _ => Constant(literal)?.ToString("R", CultureInfo.InvariantCulture),
        };
        // A choice without options was reported where it is declared.
        if (value is null || field.Options.IsEmpty || field.Options.Any(o => o.ValueText == value)) return;
        var shown = literal is TextLiteral ? $"\"{value}\"" : value;
        _report(DiagnosticDescriptors.ConditionUnknownOption, literal.Start, literal.Length, field.Id, shown,
            Suggestions.DidYouMean(value, field.Options.Select(o => o.ValueText)) is { Length: > 0 } s
                ? s : $"; its options are {string.Join(", ", field.Options.Select(o => o.Text is null ? o.ValueText : $"\"{o.ValueText}\""))}");
    }

    private void CheckRange(BinarySyntax b, Expr reference, Expr literal, bool flipped)
    {
        if (FieldOf(reference) is not { } field || Constant(literal) is not { } c) return;
        if (field.Type is not (FieldType.Number or FieldType.Integer or FieldType.Scale or FieldType.Duration)) return;
        if (reference is AggregateRef { Function: AggregateFunction.Count }) return;
        double lo = field.Min ?? double.NegativeInfinity, hi = field.Max ?? double.PositiveInfinity;
        var op = b.Operator;
        if (flipped)
            op = op switch
            {
                BinaryOperator.Less => BinaryOperator.Greater,
                BinaryOperator.Greater => BinaryOperator.Less,
                BinaryOperator.LessOrEqual => BinaryOperator.GreaterOrEqual,
                BinaryOperator.GreaterOrEqual => BinaryOperator.LessOrEqual,
                _ => op,
            };
        var never = op switch
        {
            BinaryOperator.Greater => c >= hi,
            BinaryOperator.GreaterOrEqual => c > hi,
            BinaryOperator.Less => c <= lo,
            BinaryOperator.LessOrEqual => c < lo,
            BinaryOperator.Equal => c < lo || c > hi,
            _ => false,
        };
        if (never)
            _report(DiagnosticDescriptors.ConditionNeverTrue, b.Start, b.Length,
                $"'{field.Id}' goes from {Num(field.Min)} to {Num(field.Max)}, so it is never {BinaryExpr.Symbol(op)} {Num(c)}");
    }

    private static double? Constant(Expr e) => e switch
    {
        NumberLiteral n => n.Value,
        UnaryExpr { Operator: UnaryOperator.Negate, Operand: NumberLiteral n } => -n.Value,
        _ => null,
    };

    private static string Num(double? d) => d is null ? "any value" : d.Value.ToString("R", CultureInfo.InvariantCulture);
}

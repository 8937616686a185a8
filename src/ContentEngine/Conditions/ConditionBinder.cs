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

    private ConditionBinder(ConditionScope scope, Reporter report)
    {
        _scope = scope;
        _report = report;
    }

    /// <summary>A tree of the error type stands for a part that could not be bound.</summary>
    private sealed record ErrorExpr(int Start, int Length) : Expr(Start, Length)
    {
        public override ValueType Type => ValueType.Error;
    }

    /// <summary>Binds a whole condition; returns null when it has errors (already reported).</summary>
    public static Expr? Bind(ConditionSyntax syntax, ConditionScope scope, Reporter report)
    {
        var errors = 0;
        var binder = new ConditionBinder(scope, (d, s, l, a) =>
        {
            if (d.Severity == DiagnosticSeverity.Error) errors++;
            report(d, s, l, a);
        });
        var expr = binder.BindExpr(syntax);
        if (expr.Type != ValueType.Error && expr.Type != ValueType.Boolean)
        {
            report(DiagnosticDescriptors.ConditionType, syntax.Start, syntax.Length,
                $"a condition must be true or false, but this is {Describe(expr.Type)}; compare it, as in '… >= 7'");
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
        var suggestion = Suggestions.DidYouMean(n.Name, _scope.Worksheets.Keys.Append("week"));
        _report(DiagnosticDescriptors.ConditionUnknownName, n.Start, n.Length, $"'{n.Name}' is not known here; name an answer as worksheet.field, or use week", suggestion + hyphen);
        return Error(n);
    }

    private bool TryWorksheet(NameSyntax name, out Worksheet worksheet)
    {
        if (_scope.Worksheets.TryGetValue(name.Name, out worksheet!)) return true;
        if (_scope.Broken.Contains(name.Name)) return false;
        _report(DiagnosticDescriptors.ConditionUnknownName, name.Start, name.Length, $"There is no worksheet '{name.Name}'",
            Suggestions.DidYouMean(name.Name, _scope.Worksheets.Keys));
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
                    Suggestions.DidYouMean(m.Argument.Name, ws.Fields.Select(f => f.Id)));
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
            Suggestions.DidYouMean(m.Member.Name, names));
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
            _report(DiagnosticDescriptors.ConditionUnknownName, a.Start, a.Length, $"There is no module '{a.Name}'", Suggestions.DidYouMean(a.Name, _scope.Modules));
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
                u.Operator == UnaryOperator.Not ? $"'not' needs true or false, but this is {Describe(operand.Type)}" : $"'-' needs a number, but this is {Describe(operand.Type)}");
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
                        _report(DiagnosticDescriptors.ConditionType, syntax.Start, syntax.Length, $"'{symbol}' joins conditions that are true or false, but this is {Describe(side.Type)}; compare it first");
                        return Error(b);
                    }
                break;
            case BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide:
                foreach (var (side, syntax) in new[] { (left, b.Left), (right, b.Right) })
                    if (side.Type != ValueType.Number)
                    {
                        _report(DiagnosticDescriptors.ConditionType, syntax.Start, syntax.Length, $"'{symbol}' needs numbers, but this is {Describe(side.Type)}");
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
        // A multiple choice compares with one of its option values: a text, or a number where its options are numbers.
        bool compatible = lt == rt && lt != ValueType.TextSet
            || (lt == ValueType.TextSet && rt is ValueType.Text or ValueType.Number)
            || (rt == ValueType.TextSet && lt is ValueType.Text or ValueType.Number);
        if (!compatible)
        {
            _report(DiagnosticDescriptors.ConditionType, b.Start, b.Length, $"'{symbol}' compares {Describe(lt)} with {Describe(rt)}; both sides must be of the same kind");
            return false;
        }
        if (ordering && lt != ValueType.Number)
        {
            var kind = lt switch { ValueType.Text => "texts", ValueType.Boolean => "true-or-false values", _ => "multiple choices" };
            _report(DiagnosticDescriptors.ConditionType, b.OperatorStart, symbol.Length, $"'{symbol}' orders numbers, but these are {kind}; use == or !=");
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
        if (value is null || field.Options.Any(o => o.ValueText == value)) return;
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

namespace ContentEngine.Runtime.Conditions;

/// <summary>
/// The reference semantics of the condition language. A comparison with a missing value is false;
/// arithmetic on a missing value is missing; a missing boolean counts as false.
/// </summary>
public static class Evaluator
{
    public static bool IsTrue(Expr condition, PatientState state) => Evaluate(condition, state).IsTrue;

    public static Value Evaluate(Expr expr, PatientState state)
    {
        switch (expr)
        {
            case NumberLiteral n: return Value.Number(n.Value);
            case TextLiteral t: return Value.Text(t.Value);
            case BooleanLiteral b: return Value.Boolean(b.Value);
            case WeekRef: return Value.Number(state.Week);
            case FieldRef f:
                return state.Answers.TryGetValue(f.Worksheet, out var form) ? form.Get(f.Field) : Value.Missing;
            case ScoreRef s: return Score(s, state);
            case AggregateRef a: return Aggregate(a, state);
            case StateCall c: return Value.Boolean(Call(c, state));
            case UnaryExpr u:
                var operand = Evaluate(u.Operand, state);
                return u.Operator == UnaryOperator.Not
                    ? Value.Boolean(!operand.IsTrue)
                    : operand.IsNumber ? Value.Number(-operand.AsNumber) : Value.Missing;
            case BinaryExpr b: return Binary(b, state);
            default: throw new ArgumentException($"Unknown expression node {expr.GetType().Name}.", nameof(expr));
        }
    }

    private static Value Binary(BinaryExpr b, PatientState state)
    {
        if (b.Operator == BinaryOperator.And)
            return Value.Boolean(Evaluate(b.Left, state).IsTrue && Evaluate(b.Right, state).IsTrue);
        if (b.Operator == BinaryOperator.Or)
            return Value.Boolean(Evaluate(b.Left, state).IsTrue || Evaluate(b.Right, state).IsTrue);

        var left = Evaluate(b.Left, state);
        var right = Evaluate(b.Right, state);
        if (left.IsMissing || right.IsMissing)
            return b.Type == ValueType.Boolean ? Value.False : Value.Missing;

        switch (b.Operator)
        {
            case BinaryOperator.Equal: return Value.Boolean(AreEqual(left, right));
            case BinaryOperator.NotEqual: return Value.Boolean(!AreEqual(left, right));
        }

        if (!left.IsNumber || !right.IsNumber)
            return b.Type == ValueType.Boolean ? Value.False : Value.Missing;
        double x = left.AsNumber, y = right.AsNumber;
        return b.Operator switch
        {
            BinaryOperator.Less => Value.Boolean(x < y),
            BinaryOperator.LessOrEqual => Value.Boolean(x <= y),
            BinaryOperator.Greater => Value.Boolean(x > y),
            BinaryOperator.GreaterOrEqual => Value.Boolean(x >= y),
            BinaryOperator.Add => Value.Number(x + y),
            BinaryOperator.Subtract => Value.Number(x - y),
            BinaryOperator.Multiply => Value.Number(x * y),
            BinaryOperator.Divide => y == 0 ? Value.Missing : Value.Number(x / y),
            _ => throw new ArgumentOutOfRangeException(nameof(b), b.Operator, null),
        };
    }

    /// <summary>Equality; against a set of selected values it means "is among them".</summary>
    private static bool AreEqual(Value left, Value right)
    {
        if (left.IsSet) return left.AsSet.Any(v => Value.ScalarEquals(v, right));
        if (right.IsSet) return right.AsSet.Any(v => Value.ScalarEquals(v, left));
        return Value.ScalarEquals(left, right);
    }

    private static Value Score(ScoreRef s, PatientState state)
    {
        if (!state.Answers.TryGetValue(s.Worksheet, out var answers) || s.Items.Count == 0) return Value.Missing;
        double total = 0;
        foreach (var item in s.Items)
        {
            var v = answers.Get(item.Field);
            if (!v.IsNumber) return Value.Missing;
            total += item.Reverse ? item.Min + item.Max - v.AsNumber : v.AsNumber;
        }
        return Value.Number(s.Method == ScoreMethod.Mean ? total / s.Items.Count : total);
    }

    private static Value Aggregate(AggregateRef a, PatientState state)
    {
        var entries = state.Answers.TryGetValue(a.Worksheet, out var answers) && answers.IsDiary ? answers.Entries : [];
        if (a.Function == AggregateFunction.Count) return Value.Number(entries.Count);

        var values = new List<Value>();
        foreach (var entry in entries)
            if (a.Field is not null && entry.TryGetValue(a.Field, out var v) && !v.IsMissing)
                values.Add(v);
        if (values.Count == 0) return Value.Missing;
        if (a.Function == AggregateFunction.Last) return values[^1];

        var numbers = values.Where(v => v.IsNumber).Select(v => v.AsNumber).ToList();
        if (numbers.Count == 0) return Value.Missing;
        return a.Function switch
        {
            AggregateFunction.Mean => Value.Number(numbers.Sum() / numbers.Count),
            AggregateFunction.Min => Value.Number(numbers.Min()),
            AggregateFunction.Max => Value.Number(numbers.Max()),
            _ => throw new ArgumentOutOfRangeException(nameof(a), a.Function, null),
        };
    }

    private static bool Call(StateCall c, PatientState state)
    {
        switch (c.Function)
        {
            case StateFunction.Completed: return state.Completed.Contains(c.Target);
            case StateFunction.Chosen: return state.Chosen.Contains(c.Target);
        }
        if (!state.Answers.TryGetValue(c.Target, out var answers)) return false;
        if (c.IsDiary) return answers.Entries.Count > 0;
        if (answers.Entries.Count == 0 || answers.Entries[0].Count == 0) return false;
        var entry = answers.Entries[0];
        return c.RequiredFields.All(f => entry.TryGetValue(f, out var v) && !v.IsMissing);
    }
}

namespace ContentEngine.Runtime.Conditions;

/// <summary>The type of a condition expression, fixed at compile time.</summary>
public enum ValueType { Number, Text, Boolean, TextSet, Error }

public enum BinaryOperator { Or, And, Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual, Add, Subtract, Multiply, Divide }

public enum UnaryOperator { Not, Negate }

public enum AggregateFunction { Mean, Min, Max, Last, Count }

public enum StateFunction { Completed, Chosen, Answered }

public enum ScoreMethod { Sum, Mean }

/// <summary>
/// A resolved condition: every reference carries what evaluation needs, so a tree can be evaluated
/// against a patient's state alone (by this library, by the browser, by a delivery platform).
/// <see cref="Start"/> and <see cref="Length"/> locate the node in the condition's source text.
/// </summary>
public abstract record Expr(int Start, int Length)
{
    public abstract ValueType Type { get; }
}

public sealed record NumberLiteral(double Value, int Start, int Length) : Expr(Start, Length)
{
    public override ValueType Type => ValueType.Number;
}

public sealed record TextLiteral(string Value, int Start, int Length) : Expr(Start, Length)
{
    public override ValueType Type => ValueType.Text;
}

public sealed record BooleanLiteral(bool Value, int Start, int Length) : Expr(Start, Length)
{
    public override ValueType Type => ValueType.Boolean;
}

/// <summary><c>week</c>: the patient's current week, 1 in the first week of the program.</summary>
public sealed record WeekRef(int Start, int Length) : Expr(Start, Length)
{
    public override ValueType Type => ValueType.Number;
}

/// <summary><c>worksheet.field</c> on a form or questionnaire.</summary>
public sealed record FieldRef(string Worksheet, string Field, ValueType FieldType, int Start, int Length) : Expr(Start, Length)
{
    public override ValueType Type => FieldType;
}

public sealed record ScoreItem(string Field, bool Reverse, double Min, double Max);

/// <summary><c>questionnaire.score</c>: computed from the items' answers; missing unless every item is answered.</summary>
public sealed record ScoreRef(string Worksheet, string Score, ScoreMethod Method, IReadOnlyList<ScoreItem> Items, int Start, int Length) : Expr(Start, Length)
{
    public override ValueType Type => ValueType.Number;
}

/// <summary><c>diary.mean(field)</c> and the other aggregates over a diary's entries.</summary>
public sealed record AggregateRef(string Worksheet, AggregateFunction Function, string? Field, ValueType FieldType, int Start, int Length) : Expr(Start, Length)
{
    public override ValueType Type => Function is AggregateFunction.Count or AggregateFunction.Mean ? ValueType.Number : FieldType;
}

/// <summary><c>completed(module)</c>, <c>chosen(module)</c>, <c>answered(worksheet)</c>.</summary>
public sealed record StateCall(StateFunction Function, string Target, IReadOnlyList<string> RequiredFields, bool IsDiary, int Start, int Length) : Expr(Start, Length)
{
    public override ValueType Type => ValueType.Boolean;
}

public sealed record UnaryExpr(UnaryOperator Operator, Expr Operand, int Start, int Length) : Expr(Start, Length)
{
    public override ValueType Type => Operator == UnaryOperator.Not ? ValueType.Boolean : ValueType.Number;
}

public sealed record BinaryExpr(BinaryOperator Operator, Expr Left, Expr Right, int Start, int Length) : Expr(Start, Length)
{
    public override ValueType Type => Operator switch
    {
        BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide => ValueType.Number,
        _ => ValueType.Boolean,
    };

    public static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => "or",
        BinaryOperator.And => "and",
        BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}

using System.Globalization;
using System.Text.Json;

namespace ContentEngine.Runtime.Conditions;

/// <summary>
/// A condition tree as JSON: one object per node, with a "node" discriminator. The compiler writes
/// it into graph.json; this library and the browser read it back. Positions in the source text are
/// not part of it: a tree read back has <see cref="Expr.Start"/> and <see cref="Expr.Length"/> 0.
/// </summary>
public static class ConditionJson
{
    /// <summary>Reads a tree written by <see cref="Write"/>; a malformed tree throws <see cref="FormatException"/> naming what is wrong.</summary>
    internal static Expr Read(JsonElement e)
    {
        try
        {
            return Read(e, 0);
        }
        catch (Exception x) when (x is InvalidOperationException or KeyNotFoundException)
        {
            // A value of the wrong JSON kind (JsonElement throws these).
            throw new FormatException($"a condition tree is malformed: {x.Message}", x);
        }
    }

    private static Expr Read(JsonElement e, int depth)
    {
        if (depth > 256) throw new FormatException("a condition tree is nested too deeply");
        if (e.ValueKind != JsonValueKind.Object) throw new FormatException($"a condition node must be an object, not {e.ValueKind}");
        var node = Str(e, "node");
        return node switch
        {
            "number" => new NumberLiteral(Prop(e, "value").GetDouble(), 0, 0),
            "text" => new TextLiteral(Str(e, "value"), 0, 0),
            "boolean" => new BooleanLiteral(Prop(e, "value").GetBoolean(), 0, 0),
            "week" => new WeekRef(0, 0),
            "field" => new FieldRef(Str(e, "worksheet"), Str(e, "field"), Type(Str(e, "type")), 0, 0),
            "score" => new ScoreRef(Str(e, "worksheet"), Str(e, "score"), Enum<ScoreMethod>(Str(e, "method")),
                [.. Prop(e, "items").EnumerateArray().Select(i => new ScoreItem(Str(i, "field"), Prop(i, "reverse").GetBoolean(), Prop(i, "min").GetDouble(), Prop(i, "max").GetDouble()))], 0, 0),
            "aggregate" => new AggregateRef(Str(e, "worksheet"), Enum<AggregateFunction>(Str(e, "function")),
                e.TryGetProperty("field", out var f) ? f.GetString() : null,
                e.TryGetProperty("type", out var t) ? Type(t.GetString() ?? "") : ValueType.Number, 0, 0),
            "completed" or "chosen" => new StateCall(Enum<StateFunction>(node), Str(e, "target"), [], false, 0, 0),
            "answered" => new StateCall(StateFunction.Answered, Str(e, "target"),
                [.. Prop(e, "requiredFields").EnumerateArray().Select(x => x.GetString() ?? throw new FormatException("requiredFields holds a non-string"))],
                Prop(e, "diary").GetBoolean(), 0, 0),
            "not" => new UnaryExpr(UnaryOperator.Not, Read(Prop(e, "operand"), depth + 1), 0, 0),
            "negate" => new UnaryExpr(UnaryOperator.Negate, Read(Prop(e, "operand"), depth + 1), 0, 0),
            "binary" => new BinaryExpr(Operator(Str(e, "op")), Read(Prop(e, "left"), depth + 1), Read(Prop(e, "right"), depth + 1), 0, 0),
            _ => throw new FormatException($"unknown condition node '{node}'"),
        };
    }

    private static JsonElement Prop(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v : throw new FormatException($"a condition node lacks \"{name}\"");

    private static string Str(JsonElement e, string name) =>
        Prop(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw new FormatException($"\"{name}\" of a condition node must be a string");

    private static T Enum<T>(string name) where T : struct, System.Enum =>
        name.Length > 0 && name.All(char.IsAsciiLetter) && System.Enum.TryParse<T>(name, ignoreCase: true, out var v) ? v : throw new FormatException($"unknown {typeof(T).Name} '{name}' in a condition");

    private static ValueType Type(string name) => name == "textSet" ? ValueType.TextSet : Enum<ValueType>(name);

    private static string TypeName(ValueType t) => t == ValueType.TextSet ? "textSet" : t.ToString().ToLowerInvariant();

    private static BinaryOperator Operator(string symbol)
    {
        foreach (var op in System.Enum.GetValues<BinaryOperator>())
            if (BinaryExpr.Symbol(op) == symbol) return op;
        throw new FormatException($"unknown operator '{symbol}' in a condition");
    }

    public static void Write(Utf8JsonWriter w, Expr e)
    {
        w.WriteStartObject();
        switch (e)
        {
            case NumberLiteral n: w.WriteString("node", "number"); w.WriteNumber("value", n.Value); break;
            case TextLiteral t: w.WriteString("node", "text"); w.WriteString("value", t.Value); break;
            case BooleanLiteral b: w.WriteString("node", "boolean"); w.WriteBoolean("value", b.Value); break;
            case WeekRef: w.WriteString("node", "week"); break;
            case FieldRef f:
                w.WriteString("node", "field");
                w.WriteString("worksheet", f.Worksheet);
                w.WriteString("field", f.Field);
                w.WriteString("type", TypeName(f.FieldType));
                break;
            case ScoreRef s:
                w.WriteString("node", "score");
                w.WriteString("worksheet", s.Worksheet);
                w.WriteString("score", s.Score);
                w.WriteString("method", s.Method.ToString().ToLowerInvariant());
                w.WritePropertyName("items");
                Output.GraphJson.WriteScoreItems(w, s.Items);
                break;
            case AggregateRef a:
                w.WriteString("node", "aggregate");
                w.WriteString("worksheet", a.Worksheet);
                w.WriteString("function", a.Function.ToString().ToLowerInvariant());
                if (a.Field is not null)
                {
                    w.WriteString("field", a.Field);
                    w.WriteString("type", TypeName(a.FieldType));
                }
                break;
            case StateCall c:
                w.WriteString("node", c.Function.ToString().ToLowerInvariant());
                w.WriteString("target", c.Target);
                if (c.Function == StateFunction.Answered)
                {
                    w.WriteBoolean("diary", c.IsDiary);
                    w.WriteStartArray("requiredFields");
                    foreach (var f in c.RequiredFields) w.WriteStringValue(f);
                    w.WriteEndArray();
                }
                break;
            case UnaryExpr u:
                w.WriteString("node", u.Operator == UnaryOperator.Not ? "not" : "negate");
                w.WritePropertyName("operand");
                Write(w, u.Operand);
                break;
            case BinaryExpr b:
                w.WriteString("node", "binary");
                w.WriteString("op", BinaryExpr.Symbol(b.Operator));
                w.WritePropertyName("left");
                Write(w, b.Left);
                w.WritePropertyName("right");
                Write(w, b.Right);
                break;
        }
        w.WriteEndObject();
    }
}

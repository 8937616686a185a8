using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using F = Hl7.Fhir.Model;
using Operator = Hl7.Fhir.Model.Questionnaire.QuestionnaireItemOperator;
using EnableWhen = Hl7.Fhir.Model.Questionnaire.EnableWhenComponent;

namespace ContentEngine.Rendering.Fhir;

/// <summary>
/// Turns the <c>::: if</c> conditions of a worksheet's body into Questionnaire enableWhen, where FHIR can say exactly
/// the same thing. (Fields themselves carry no conditions in the model.)
/// </summary>
/// <remarks>
/// <para>What maps, for a field of the <b>same</b> worksheet (a form or questionnaire) compared with a literal:</para>
/// <list type="bullet">
/// <item><c>==</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> → the same operator (the literal may stand on either side).
/// FHIR treats an unanswered question as not matching, as the model treats a missing value.</item>
/// <item><c>!=</c> → <c>exists = true</c> and <c>!=</c> (FHIR's <c>!=</c> alone is true when unanswered; the model's is false),
/// so only where all enableWhen must hold.</item>
/// <item><c>not (field == value)</c> → <c>!=</c>, which in both is true when unanswered.</item>
/// <item>a boolean field alone → <c>= true</c>; <c>not field</c> → <c>!= true</c>.</item>
/// <item>a choice: text values and numeric values with <c>==</c>/<c>!=</c> → answerCoding; <c>&lt;</c>, <c>&gt;</c>, … on numeric
/// options → one <c>=</c> per option that satisfies it, which needs enableBehavior any.</item>
/// <item><c>answered(this worksheet)</c> → <c>exists = true</c> on every required field (all), or on any field when none is required.</item>
/// <item><c>and</c> of the above → enableBehavior all; <c>or</c> → enableBehavior any; nested <c>::: if</c> blocks count as <c>and</c>.</item>
/// </list>
/// <para>What does not map, and is written instead as an SDC enableWhenExpression in FHIRPath (see
/// <see cref="FhirPathCompiler"/>):</para>
/// <list type="bullet">
/// <item>fields of other worksheets, scores, diary aggregates (<c>mean</c>, <c>min</c>, <c>max</c>, <c>last</c>, <c>count</c>),
/// <c>week</c>, <c>completed(…)</c>, <c>chosen(…)</c>, and <c>answered(…)</c> of another worksheet or of a diary;</item>
/// <item>arithmetic, and comparisons between two fields;</item>
/// <item><c>not</c> of anything but an equality or a boolean field (e.g. <c>not (x &gt;= 7)</c>, true when unanswered), and
/// <c>not answered(…)</c>;</item>
/// <item>mixed <c>and</c>/<c>or</c> (FHIR has one enableBehavior per item), and a <c>!=</c> or an <c>answered</c> of
/// several fields under <c>or</c>, or an expanded numeric-choice comparison under <c>and</c>;</item>
/// <item>a non-whole number compared with an integer item, a numeric choice compared for equality with a value it does not
/// have, and <c>answered</c> where a required field (or, with none required, any field) is a table or a Bull's-eye, which are
/// groups without an answer of their own.</item>
/// </list>
/// </remarks>
internal static class EnableWhenMapper
{
    public sealed record Mapped(List<EnableWhen> Items, F.Questionnaire.EnableWhenBehavior Behavior);

    /// <summary>How the enableWhen of one term combine: one alone, or several that must all or may any hold.</summary>
    private sealed record Term(List<EnableWhen> Items, F.Questionnaire.EnableWhenBehavior Behavior)
    {
        public bool FitsAll => Items.Count == 1 || Behavior == F.Questionnaire.EnableWhenBehavior.All;
        public bool FitsAny => Items.Count == 1 || Behavior == F.Questionnaire.EnableWhenBehavior.Any;
    }

    /// <summary>The enableWhen that hold exactly when all the conditions do, or null when FHIR cannot say it.</summary>
    public static Mapped? Map(FhirExport.QuestionnaireContext c, IReadOnlyList<Expr> conditions)
    {
        if (c.Worksheet.Kind == WorksheetKind.Diary) return null;
        var conjuncts = conditions.SelectMany(e => Split(e, BinaryOperator.And)).ToList();
        if (conjuncts.Count == 1)
        {
            var disjuncts = Split(conjuncts[0], BinaryOperator.Or);
            if (disjuncts.Count > 1)
            {
                var any = disjuncts.Select(d => Atom(c, d)).ToList();
                return any.All(t => t is { FitsAny: true })
                    ? new Mapped([.. any.SelectMany(t => t!.Items)], F.Questionnaire.EnableWhenBehavior.Any)
                    : null;
            }
            return Atom(c, conjuncts[0]) is { } single ? new Mapped(single.Items, single.Behavior) : null;
        }
        var all = conjuncts.Select(d => Atom(c, d)).ToList();
        return all.All(t => t is { FitsAll: true })
            ? new Mapped([.. all.SelectMany(t => t!.Items)], F.Questionnaire.EnableWhenBehavior.All)
            : null;
    }

    private static List<Expr> Split(Expr e, BinaryOperator op) =>
        e is BinaryExpr b && b.Operator == op ? [.. Split(b.Left, op), .. Split(b.Right, op)] : [e];

    private static Term One(EnableWhen w) => new([w], F.Questionnaire.EnableWhenBehavior.All);

    private static EnableWhen When(string question, Operator op, F.DataType answer) => new() { Question = question, Operator = op, Answer = answer };

    private static Term? Atom(FhirExport.QuestionnaireContext c, Expr e)
    {
        switch (e)
        {
            case FieldRef f when Field(c, f) is { Type: FieldType.Boolean } field:
                return One(When(field.Id, Operator.Equal, new F.FhirBoolean(true)));
            case UnaryExpr { Operator: UnaryOperator.Not, Operand: FieldRef f } when Field(c, f) is { Type: FieldType.Boolean } field:
                return One(When(field.Id, Operator.NotEqual, new F.FhirBoolean(true)));
            case UnaryExpr { Operator: UnaryOperator.Not, Operand: BinaryExpr { Operator: BinaryOperator.Equal } eq }:
                return Comparison(c, eq, negatedEquality: true);
            case BinaryExpr b:
                return Comparison(c, b, negatedEquality: false);
            case StateCall { Function: StateFunction.Answered } s when s.Target == c.Worksheet.Id:
                return Answered(c);
            default:
                return null;
        }
    }

    private static Field? Field(FhirExport.QuestionnaireContext c, FieldRef f) =>
        f.Worksheet == c.Worksheet.Id ? c.Worksheet.Fields.FirstOrDefault(x => x.Id == f.Field) : null;

    private static Term? Answered(FhirExport.QuestionnaireContext c)
    {
        var fields = c.Worksheet.Fields;
        var required = fields.Where(f => f.Required).ToList();
        var relevant = required.Count > 0 ? required : [.. fields];
        if (relevant.Count == 0 || relevant.Any(f => f.Type is FieldType.Table or FieldType.Target)) return null;
        return new Term([.. relevant.Select(f => When(f.Id, Operator.Exists, new F.FhirBoolean(true)))],
            required.Count > 0 ? F.Questionnaire.EnableWhenBehavior.All : F.Questionnaire.EnableWhenBehavior.Any);
    }

    private static Term? Comparison(FhirExport.QuestionnaireContext c, BinaryExpr b, bool negatedEquality)
    {
        var op = b.Operator;
        if (op is not (BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.Less or BinaryOperator.LessOrEqual
            or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual)) return null;

        FieldRef? reference;
        Expr literal;
        if (b.Left is FieldRef left) (reference, literal) = (left, b.Right);
        else if (b.Right is FieldRef right) (reference, literal, op) = (right, b.Left, Flip(op));
        else return null;
        if (Field(c, reference) is not { } field) return null;
        var value = Literal(literal);
        if (value is null) return null;

        // A numeric choice: its answer is a coding, which FHIR compares only for equality.
        if (field.Type == FieldType.Choice && field.HasNumericOptions && value is double number)
        {
            if (op is BinaryOperator.Equal or BinaryOperator.NotEqual)
            {
                var option = field.Options.FirstOrDefault(o => o.Number == number);
                return option is null ? null : Equality(field, op, FhirExport.OptionCoding(c, field.Id, option), negatedEquality);
            }
            var matching = field.Options.Where(o => Compare(o.Number!.Value, op, number)).ToList();
            if (matching.Count == 0) return null;
            return new Term([.. matching.Select(o => When(field.Id, Operator.Equal, FhirExport.OptionCoding(c, field.Id, o)))],
                F.Questionnaire.EnableWhenBehavior.Any);
        }

        F.DataType? answer = (field.Type, value) switch
        {
            (FieldType.Integer, double n) when FhirExport.IsWhole(n) => new F.Integer((int)n),
            (FieldType.Scale, double n) when FhirExport.IsIntegerScale(field) => FhirExport.IsWhole(n) ? new F.Integer((int)n) : null,
            (FieldType.Scale or FieldType.Number, double n) => new F.FhirDecimal(FhirExport.Dec(n)),
            (FieldType.Duration, double n) => FhirExport.Minutes(n),
            (FieldType.Boolean, bool flag) when op is BinaryOperator.Equal or BinaryOperator.NotEqual => new F.FhirBoolean(flag),
            (FieldType.Choice, string text) when op is BinaryOperator.Equal or BinaryOperator.NotEqual
                && field.Options.FirstOrDefault(o => o.Text == text) is { } option => FhirExport.OptionCoding(c, field.Id, option),
            _ => null,
        };
        if (answer is null) return null;
        return op switch
        {
            BinaryOperator.Equal or BinaryOperator.NotEqual => Equality(field, op, answer, negatedEquality),
            BinaryOperator.Less => One(When(field.Id, Operator.LessThan, answer)),
            BinaryOperator.LessOrEqual => One(When(field.Id, Operator.LessOrEqual, answer)),
            BinaryOperator.Greater => One(When(field.Id, Operator.GreaterThan, answer)),
            _ => One(When(field.Id, Operator.GreaterOrEqual, answer)),
        };
    }

    /// <summary>
    /// <c>x == v</c> is FHIR's <c>=</c>; <c>not (x == v)</c> is FHIR's <c>!=</c> (both true when unanswered); <c>x != v</c>
    /// is false when unanswered in the model, so it also needs the question answered.
    /// </summary>
    private static Term Equality(Field field, BinaryOperator op, F.DataType answer, bool negated)
    {
        var equal = op == BinaryOperator.Equal;
        if (equal && !negated) return One(When(field.Id, Operator.Equal, answer));
        if (equal && negated) return One(When(field.Id, Operator.NotEqual, answer));
        // x != v, or not (x != v) which the caller never passes here.
        return new Term([When(field.Id, Operator.Exists, new F.FhirBoolean(true)), When(field.Id, Operator.NotEqual, answer)],
            F.Questionnaire.EnableWhenBehavior.All);
    }

    private static object? Literal(Expr e) => e switch
    {
        NumberLiteral n => n.Value,
        UnaryExpr { Operator: UnaryOperator.Negate, Operand: NumberLiteral n } => -n.Value,
        TextLiteral t => t.Value,
        BooleanLiteral b => b.Value,
        _ => null,
    };

    private static BinaryOperator Flip(BinaryOperator op) => op switch
    {
        BinaryOperator.Less => BinaryOperator.Greater,
        BinaryOperator.LessOrEqual => BinaryOperator.GreaterOrEqual,
        BinaryOperator.Greater => BinaryOperator.Less,
        BinaryOperator.GreaterOrEqual => BinaryOperator.LessOrEqual,
        _ => op,
    };

    private static bool Compare(double left, BinaryOperator op, double right) => op switch
    {
        BinaryOperator.Less => left < right,
        BinaryOperator.LessOrEqual => left <= right,
        BinaryOperator.Greater => left > right,
        BinaryOperator.GreaterOrEqual => left >= right,
        _ => false,
    };
}

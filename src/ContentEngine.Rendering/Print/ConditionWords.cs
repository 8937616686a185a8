using System.Globalization;
using System.Text.RegularExpressions;
using ContentEngine.Model;
using ContentEngine.Rendering.Web;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Rendering.Print;

/// <summary>
/// A condition in words, for paper, which cannot know the answers: "If your answer to “Pain
/// intensity” is 7 or more:". The phrasing comes from the theme's <c>print-if</c> and
/// <c>print-cond-*</c> strings, so each locale words it in its own order.
/// </summary>
/// <remarks>
/// Fields, worksheets and modules are named by their localized labels and titles; a choice's value
/// by its option's label, a yes/no value by the words Yes and No. Numbers are written in the
/// invariant culture without trailing zeros, and arithmetic with the symbols + − × ÷.
/// </remarks>
public static partial class ConditionWords
{
    /// <summary>Plain text (the caller escapes it): the condition as the opening of a sentence.</summary>
    public static string Describe(Condition c, PageContext page) => Fill(page.S("print-if"), new Speaker(page).Clause(c.Tree));

    /// <summary>Puts the arguments in place of <c>{0}</c>, <c>{1}</c>… in one pass, so text in an argument is never read as a placeholder.</summary>
    internal static string Fill(string template, params string[] args) =>
        Placeholder().Replace(template, m => int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < args.Length ? args[i] : m.Value);

    [GeneratedRegex(@"\{(\d{1,2})\}")]
    private static partial Regex Placeholder();

    /// <summary>A number as a condition writes it: invariant, no exponent, no trailing zeros.</summary>
    internal static string Number(double value) => (value + 0.0).ToString("0.###############", CultureInfo.InvariantCulture);

    private sealed class Speaker(PageContext page)
    {
        private string S(string key) => page.S(key);

        private string Quote(string text) => Fill(S("print-cond-quote"), text);

        // ---- clauses: what is true or false ------------------------------------------------------

        public string Clause(Expr e) => e switch
        {
            BinaryExpr { Operator: BinaryOperator.And or BinaryOperator.Or } b => Logical(b, nested: false),
            BinaryExpr { Operator: BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.Less or BinaryOperator.LessOrEqual
                or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual } b => Comparison(b.Operator, b.Left, b.Right),
            UnaryExpr { Operator: UnaryOperator.Not, Operand: StateCall call } => State(call, negated: true),
            UnaryExpr { Operator: UnaryOperator.Not } u => Fill(S("print-cond-not"), Clause(u.Operand)),
            StateCall call => State(call, negated: false),
            BooleanLiteral l => S(l.Value ? "print-cond-true" : "print-cond-false"),
            // A yes/no answer standing alone: "your answer to … is “Yes”".
            FieldRef or AggregateRef => Comparison(BinaryOperator.Equal, e, new BooleanLiteral(true, e.Start, e.Length)),
            _ => Operand(e),
        };

        /// <summary>
        /// A chain of the same <c>and</c> or <c>or</c> in one list; a part joined by the other word is
        /// wrapped in "both …" or "either …", and then the outer parts are set off with commas. An
        /// outermost <c>or</c> always has its commas, since its parts often end in "or more".
        /// </summary>
        private string Logical(BinaryExpr b, bool nested)
        {
            var parts = new List<Expr>();
            Flatten(b, b.Operator, parts);
            var mixed = parts.Any(p => p is BinaryExpr { Operator: BinaryOperator.And or BinaryOperator.Or });
            var join = b.Operator == BinaryOperator.And
                ? S(mixed ? "print-cond-and-comma" : "print-cond-and")
                : S(mixed || !nested ? "print-cond-or-comma" : "print-cond-or");
            var words = parts.Select(p => p is BinaryExpr { Operator: BinaryOperator.And or BinaryOperator.Or } inner
                ? Fill(S(inner.Operator == BinaryOperator.And ? "print-cond-both" : "print-cond-either"), Logical(inner, nested: true))
                : Clause(p)).ToList();
            var text = words[0];
            for (var i = 1; i < words.Count; i++) text = Fill(join, text, words[i]);
            return text;
        }

        private static void Flatten(Expr e, BinaryOperator op, List<Expr> parts)
        {
            if (e is BinaryExpr b && b.Operator == op)
            {
                Flatten(b.Left, op, parts);
                Flatten(b.Right, op, parts);
            }
            else parts.Add(e);
        }

        private string State(StateCall call, bool negated)
        {
            var (key, title) = call.Function switch
            {
                StateFunction.Completed => ("completed", page.T(page.Graph.FindModule(call.Target)?.Title)),
                StateFunction.Chosen => ("chosen", page.T(page.Graph.FindModule(call.Target)?.Title)),
                _ => ("answered", page.T(page.Graph.FindWorksheet(call.Target)?.Title)),
            };
            return Fill(S(negated ? $"print-cond-not-{key}" : $"print-cond-{key}"), title.Length > 0 ? title : call.Target);
        }

        private string Comparison(BinaryOperator op, Expr left, Expr right)
        {
            // The answer first, the value second: "7 <= x" is said as "x is 7 or more".
            if (IsLiteral(left) && !IsLiteral(right))
            {
                (left, right) = (right, left);
                op = Flip(op);
            }

            // A question that is itself true or false, compared with true or false, is said as itself or its negation.
            if (right is BooleanLiteral lit && IsClause(left) && op is BinaryOperator.Equal or BinaryOperator.NotEqual)
                return lit.Value == (op == BinaryOperator.Equal) ? Clause(left) : Fill(S("print-cond-not"), Clause(left));

            var subject = IsClause(left) ? Fill(S("print-cond-whether"), Clause(left)) : Operand(left);
            var value = IsClause(right) ? Fill(S("print-cond-whether"), Clause(right)) : Value(right, left);
            var key = op switch
            {
                BinaryOperator.Equal when left.Type == Runtime.Conditions.ValueType.TextSet => "print-cond-includes",
                BinaryOperator.NotEqual when left.Type == Runtime.Conditions.ValueType.TextSet => "print-cond-excludes",
                BinaryOperator.Equal => "print-cond-eq",
                BinaryOperator.NotEqual => "print-cond-ne",
                BinaryOperator.Less => "print-cond-lt",
                BinaryOperator.LessOrEqual => "print-cond-le",
                BinaryOperator.Greater => "print-cond-gt",
                _ => "print-cond-ge",
            };
            return Fill(S(key), subject, value);
        }

        private static bool IsLiteral(Expr e) => e is NumberLiteral or TextLiteral or BooleanLiteral
            || e is UnaryExpr { Operator: UnaryOperator.Negate, Operand: var o } && IsLiteral(o);

        /// <summary>A true-or-false question that is not an answer: a comparison, and/or/not, a state function.</summary>
        private static bool IsClause(Expr e) => e is StateCall
            || e is UnaryExpr { Operator: UnaryOperator.Not }
            || e is BinaryExpr { Type: Runtime.Conditions.ValueType.Boolean };

        private static BinaryOperator Flip(BinaryOperator op) => op switch
        {
            BinaryOperator.Less => BinaryOperator.Greater,
            BinaryOperator.LessOrEqual => BinaryOperator.GreaterOrEqual,
            BinaryOperator.Greater => BinaryOperator.Less,
            BinaryOperator.GreaterOrEqual => BinaryOperator.LessOrEqual,
            _ => op,
        };

        // ---- operands: what is compared ----------------------------------------------------------

        private string Operand(Expr e) => e switch
        {
            FieldRef f => Fill(S("print-cond-answer"), FieldLabel(f.Worksheet, f.Field)),
            ScoreRef s => Fill(S("print-cond-score"), s.Score, WorksheetTitle(s.Worksheet)),
            AggregateRef { Function: AggregateFunction.Count } a => Fill(S("print-cond-count"), WorksheetTitle(a.Worksheet)),
            AggregateRef a => Fill(S("print-cond-" + a.Function.ToString().ToLowerInvariant()), FieldLabel(a.Worksheet, a.Field ?? ""), WorksheetTitle(a.Worksheet)),
            WeekRef => S("print-cond-week"),
            NumberLiteral n => Number(n.Value),
            TextLiteral t => Quote(t.Value),
            BooleanLiteral b => Quote(page.S(b.Value ? "ws.yes" : "ws.no")),
            UnaryExpr { Operator: UnaryOperator.Negate } u => "−" + Arithmetic(u.Operand, Precedence(u)),
            BinaryExpr b when Precedence(b) > 0 => Arithmetic(b.Left, Precedence(b)) + " " + Symbol(b.Operator) + " " + Arithmetic(b.Right, Precedence(b), right: b.Operator is BinaryOperator.Subtract or BinaryOperator.Divide),
            _ => Fill(S("print-cond-whether"), Clause(e)),
        };

        private string Arithmetic(Expr e, int parent, bool right = false)
        {
            var own = Precedence(e);
            var text = Operand(e);
            return own > 0 && (own < parent || (right && own == parent)) ? "(" + text + ")" : text;
        }

        /// <summary>1 for + and −, 2 for × and ÷, 3 for a negation; 0 for what needs no parentheses.</summary>
        private static int Precedence(Expr e) => e switch
        {
            BinaryExpr { Operator: BinaryOperator.Add or BinaryOperator.Subtract } => 1,
            BinaryExpr { Operator: BinaryOperator.Multiply or BinaryOperator.Divide } => 2,
            UnaryExpr { Operator: UnaryOperator.Negate } => 3,
            _ => 0,
        };

        private static string Symbol(BinaryOperator op) => op switch
        {
            BinaryOperator.Add => "+",
            BinaryOperator.Subtract => "−",
            BinaryOperator.Multiply => "×",
            _ => "÷",
        };

        /// <summary>
        /// The value an answer is compared with: a choice's option by its label, yes/no in words, a
        /// number with the field's unit.
        /// </summary>
        private string Value(Expr value, Expr subject)
        {
            var field = subject switch
            {
                FieldRef f => FindField(f.Worksheet, f.Field),
                AggregateRef { Function: not AggregateFunction.Count, Field: { } id } a => FindField(a.Worksheet, id),
                _ => null,
            };
            var aggregate = subject as AggregateRef;
            if (field is { Type: FieldType.Choice } && aggregate is not { Function: AggregateFunction.Mean })
            {
                var option = value switch
                {
                    TextLiteral t => field.Options.FirstOrDefault(o => o.Text == t.Value),
                    NumberLiteral n => field.Options.FirstOrDefault(o => o.Number is { } x && x.Equals(n.Value)),
                    _ => null,
                };
                if (option is not null) return Quote(page.T(option.Label));
            }
            var text = Operand(value);
            if (field is not null && value is NumberLiteral or UnaryExpr { Operator: UnaryOperator.Negate, Operand: NumberLiteral })
            {
                var unit = field.Unit is not null ? page.T(field.Unit) : field.Type == FieldType.Duration ? S(Math.Abs(NumberOf(value)) == 1 ? "print-minutes.one" : "print-minutes.other") : null;
                if (!string.IsNullOrEmpty(unit) && field.Type is FieldType.Number or FieldType.Integer or FieldType.Duration or FieldType.Scale)
                    return Fill(S("print-cond-with-unit"), text, unit);
            }
            return text;
        }

        private static double NumberOf(Expr value) => value switch
        {
            NumberLiteral n => n.Value,
            UnaryExpr { Operand: NumberLiteral n } => -n.Value,
            _ => double.NaN,
        };

        private Field? FindField(string worksheet, string field) =>
            page.Graph.FindWorksheet(worksheet)?.Fields.FirstOrDefault(f => f.Id == field);

        private string FieldLabel(string worksheet, string field) =>
            FindField(worksheet, field) is { } f && page.T(f.Label) is { Length: > 0 } label ? label : field;

        private string WorksheetTitle(string worksheet) =>
            page.Graph.FindWorksheet(worksheet) is { } ws && page.T(ws.Title) is { Length: > 0 } title ? title : worksheet;
    }
}

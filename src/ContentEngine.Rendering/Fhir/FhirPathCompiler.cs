using System.Globalization;
using System.Numerics;
using System.Text;
using ContentEngine.Model;
using ContentEngine.Runtime.Conditions;
using ValueType = ContentEngine.Runtime.Conditions.ValueType;

namespace ContentEngine.Rendering.Fhir;

/// <summary>
/// Compiles a resolved condition (<see cref="Expr"/>) to a FHIRPath expression over the patient's QuestionnaireResponses,
/// with the same result as <see cref="Evaluator"/> on the same patient: every compiled condition evaluates to exactly one
/// Boolean, true or false, never empty.
/// </summary>
/// <remarks>
/// <para>The expression reads only these environment variables, which the platform supplies:</para>
/// <list type="bullet">
/// <item><c>%responses</c>: the patient's QuestionnaireResponses for the program's Questionnaires, oldest first. A response
/// belongs to a worksheet when its <c>questionnaire</c> is the worksheet's canonical URL followed by <c>|</c> and a version
/// (any version). A form or questionnaire's answers are those of its last response; a diary's entries are the <c>_entry</c>
/// groups of all its responses, in order (one response per entry or one holding many: both work).</item>
/// <item><c>%programWeek</c>: the patient's current program week (Integer, 1 in the first week).</item>
/// <item><c>%completed</c>, <c>%chosen</c>: the ids of the modules the patient has completed, and chosen (Strings; empty
/// when none).</item>
/// </list>
/// <para>In a Questionnaire's own expressions (<c>enableWhenExpression</c>, <c>calculatedExpression</c>) the worksheet's
/// own fields are read from <c>%resource</c>, the response being filled in, as SDC defines it.</para>
/// <para>A field the patient has not answered has no item in a response (an item without an answer counts as unanswered),
/// except a multiple choice answered with no option ticked, which is an item without an answer. The model's missing value
/// is FHIRPath's empty collection; operators on empty are empty, an empty Boolean counts as false, and the places where the
/// two languages differ are spelled out: <c>not x</c> is <c>iif(x, false, true)</c>, a comparison used as a value is
/// <c>iif(c, true, false)</c>, <c>!=</c> on a multiple choice needs the item to exist.</para>
/// <para>Numbers: a part of a condition that reads no answer and no state is evaluated here, with IEEE doubles as the model
/// defines, and written as its value (<c>0.1 + 0.2 == 0.3</c> is written <c>false</c>). Arithmetic on answers is FHIRPath
/// Decimal arithmetic, which is exact where a double rounds; two whole numbers are added or multiplied as Decimals, so that
/// FHIRPath's 32-bit Integer never overflows. Division by zero is empty in both.</para>
/// </remarks>
public sealed class FhirPathCompiler
{
    /// <summary>The media type of FHIRPath in <c>Expression.language</c>.</summary>
    public const string Language = "text/fhirpath";

    /// <summary>The variable holding the patient's QuestionnaireResponses, oldest first.</summary>
    public const string ResponsesVariable = "responses";

    /// <summary>The variable holding the patient's current program week.</summary>
    public const string ProgramWeekVariable = "programWeek";

    /// <summary>The variable holding the ids of the modules the patient has completed.</summary>
    public const string CompletedVariable = "completed";

    /// <summary>The variable holding the ids of the modules the patient has chosen.</summary>
    public const string ChosenVariable = "chosen";

    /// <summary>The linkId of a diary's repeating group, one repetition per entry.</summary>
    public const string EntryLinkId = "_entry";

    private readonly ProgramGraph _graph;
    private readonly string? _current;

    /// <param name="graph">The program: its worksheets say how each answer is stored in a response.</param>
    /// <param name="currentWorksheet">In a Questionnaire's own expressions, that worksheet: its fields are read from <c>%resource</c>.</param>
    public FhirPathCompiler(ProgramGraph graph, string? currentWorksheet = null)
    {
        _graph = graph;
        _current = currentWorksheet;
    }

    /// <summary>A condition as a FHIRPath expression that is true or false, never empty.</summary>
    public string Compile(Expr condition) => Definite(Emit(condition)).Text;

    /// <summary>Several conditions that must all hold (nested <c>::: if</c> blocks), as one expression.</summary>
    public string CompileAll(IReadOnlyList<Expr> conditions) =>
        conditions.Count == 1 ? Compile(conditions[0]) : string.Join(" and ", conditions.Select(c => Wrap(Compile(c))));

    /// <summary>A questionnaire's score: empty unless every item is answered.</summary>
    public string Score(string worksheet, ScoreMethod method, IReadOnlyList<ScoreItem> items) => Score(new ScoreRef(worksheet, "", method, items, 0, 0)).Text;

    // ---- the compiled form of a node --------------------------------------------------------------------

    /// <param name="Text">The FHIRPath text, an atom or in parentheses.</param>
    /// <param name="Type">The model's type.</param>
    /// <param name="Definite">Never empty (a literal, <c>%programWeek</c>, a count, a test of existence).</param>
    /// <param name="Integer">A FHIRPath Integer (rather than a Decimal).</param>
    /// <param name="Missing">For a Boolean: empty exactly when the model's value is missing (a field, <c>last</c>); else an
    /// empty result stands for false, and must be made false before it is compared.</param>
    /// <param name="Item">For a multiple choice: the item whose presence means "answered".</param>
    private sealed record Code(string Text, ValueType Type, bool Definite, bool Integer = false, bool Missing = false, string? Item = null);

    private Code Emit(Expr e)
    {
        if (IsConstant(e)) return Constant(Evaluator.Evaluate(e, PatientState.Empty), e.Type);
        switch (e)
        {
            case WeekRef: return new($"%{ProgramWeekVariable}", ValueType.Number, Definite: true, Integer: true);
            case FieldRef f: return Field(f);
            case ScoreRef s: return Score(s);
            case AggregateRef a: return Aggregate(a);
            case StateCall { Function: StateFunction.Completed } c: return new($"({Str(c.Target)} in %{CompletedVariable})", ValueType.Boolean, Definite: true);
            case StateCall { Function: StateFunction.Chosen } c: return new($"({Str(c.Target)} in %{ChosenVariable})", ValueType.Boolean, Definite: true);
            case StateCall c: return Answered(c);
            case UnaryExpr { Operator: UnaryOperator.Not } u: return new($"iif({Emit(u.Operand).Text}, false, true)", ValueType.Boolean, Definite: true);
            case UnaryExpr u:
                // "0 - x" rather than "-x": some engines (fhirpath.js) apply unary minus only to a literal, not to an answer or empty.
                var operand = Emit(u.Operand);
                return new($"(0 - {operand.Text})", ValueType.Number, operand.Definite, operand.Integer);
            case BinaryExpr b: return Binary(b);
            default: throw new ArgumentException($"Unknown expression node {e.GetType().Name}.", nameof(e));
        }
    }

    /// <summary>Whether a node reads nothing of the patient, so that its value is known now.</summary>
    private static bool IsConstant(Expr e) => e switch
    {
        NumberLiteral or TextLiteral or BooleanLiteral => true,
        UnaryExpr u => IsConstant(u.Operand),
        BinaryExpr b => IsConstant(b.Left) && IsConstant(b.Right),
        _ => false,
    };

    private static Code Constant(Value v, ValueType type)
    {
        if (v.IsMissing) return new("{}", type, Definite: false, Missing: true);
        if (v.IsBoolean) return new(v.AsBoolean ? "true" : "false", ValueType.Boolean, Definite: true);
        if (v.IsText) return new(Str(v.AsText), ValueType.Text, Definite: true);
        var (text, integer) = Number(v.AsNumber);
        return new(text, ValueType.Number, Definite: true, Integer: integer);
    }

    private static Code Definite(Code c) =>
        c.Definite ? c : c with { Text = $"iif({c.Text}, true, false)", Definite = true, Missing = false };

    // ---- answers ----------------------------------------------------------------------------------------

    private Worksheet Worksheet(string id) =>
        _graph.FindWorksheet(id) ?? throw new ArgumentException($"The condition names the worksheet '{id}', which the program does not have.");

    private static Field FieldOf(Worksheet w, string id) =>
        w.Fields.FirstOrDefault(f => f.Id == id) ?? throw new ArgumentException($"The condition names the field '{w.Id}.{id}', which the worksheet does not have.");

    /// <summary>All the worksheet's responses (a diary's).</summary>
    private string Responses(Worksheet w) => $"%{ResponsesVariable}.where(questionnaire.startsWith({Str(FhirExport.QuestionnaireUrl(_graph, w.Id) + "|")}))";

    /// <summary>The response holding a form's answers: its last one, or in its own Questionnaire the one being filled in.</summary>
    private string Response(Worksheet w) => w.Id == _current ? "%resource" : Responses(w) + ".last()";

    /// <summary>The diary's entries: the <c>_entry</c> groups of all its responses, in order.</summary>
    private string Entries(Worksheet w) => $"{Responses(w)}.item.where(linkId = {Str(EntryLinkId)})";

    private static string ItemOf(string parent, string linkId) => $"{parent}.item.where(linkId = {Str(linkId)})";

    /// <summary>The values of a field's answers under <paramref name="item"/>, as the model has them, and whether they are Integers.</summary>
    private static (string Text, bool Integer) Values(Field f, string item) => f.Type switch
    {
        FieldType.Duration => ($"{item}.answer.value.value", false), // a Quantity in minutes
        FieldType.Choice when f.HasNumericOptions => ($"{item}.answer.value.code.select(toDecimal())", false),
        FieldType.Choice => ($"{item}.answer.value.code", false),
        FieldType.Integer => ($"{item}.answer.value", true),
        FieldType.Scale => ($"{item}.answer.value", FhirExport.IsIntegerScale(f)),
        _ => ($"{item}.answer.value", false),
    };

    private Code Field(FieldRef r)
    {
        var w = Worksheet(r.Worksheet);
        var f = FieldOf(w, r.Field);
        var item = ItemOf(Response(w), f.Id);
        var (text, integer) = Values(f, item);
        return r.FieldType == ValueType.TextSet
            ? new(text, ValueType.TextSet, Definite: false, Item: item)
            : new(text, r.FieldType, Definite: false, integer, Missing: true);
    }

    private Code Score(ScoreRef s)
    {
        if (s.Items.Count == 0) return new("{}", ValueType.Number, Definite: false);
        var w = Worksheet(s.Worksheet);
        var response = Response(w);
        var terms = s.Items.Select(i =>
        {
            var (value, _) = Values(FieldOf(w, i.Field), ItemOf(response, i.Field));
            return i.Reverse ? $"({Number(i.Min + i.Max).Text} - {value})" : value;
        });
        var sum = string.Join(" + ", terms);
        return new(s.Method == ScoreMethod.Mean ? $"(({sum}) / {s.Items.Count})" : s.Items.Count == 1 ? sum : $"({sum})", ValueType.Number, Definite: false);
    }

    private Code Aggregate(AggregateRef a)
    {
        var w = Worksheet(a.Worksheet);
        var entries = Entries(w);
        if (a.Function == AggregateFunction.Count) return new($"{entries}.count()", ValueType.Number, Definite: true, Integer: true);
        var f = FieldOf(w, a.Field!);
        var (values, integer) = Values(f, ItemOf(entries, f.Id));
        return a.Function switch
        {
            AggregateFunction.Last => new($"{values}.last()", a.Type, Definite: false, integer, Missing: true),
            AggregateFunction.Mean => new($"({values}.aggregate($this + $total, 0.0) / {values}.count())", ValueType.Number, Definite: false),
            AggregateFunction.Min => new($"{values}.aggregate(iif($total.empty() or $this < $total, $this, $total))", ValueType.Number, Definite: false, integer),
            _ => new($"{values}.aggregate(iif($total.empty() or $this > $total, $this, $total))", ValueType.Number, Definite: false, integer),
        };
    }

    /// <summary>
    /// <c>answered(ws)</c>: a diary has an entry; a form's response answers at least one field and every required one. A field
    /// is answered when its item has an answer (a table or Bull's-eye: nested items; a multiple choice: the item alone).
    /// </summary>
    private Code Answered(StateCall c)
    {
        var w = Worksheet(c.Target);
        if (c.IsDiary || w.Kind == WorksheetKind.Diary) return new($"{Entries(w)}.exists()", ValueType.Boolean, Definite: true);
        var response = Response(w);
        var multiple = w.Fields.Where(f => f.Type == FieldType.Choice && f.Multiple).Select(f => $"linkId = {Str(f.Id)} or ");
        var tests = new List<string> { $"{response}.item.where({string.Concat(multiple)}answer.exists() or item.exists()).exists()" };
        foreach (var id in c.RequiredFields)
        {
            var f = FieldOf(w, id);
            var item = ItemOf(response, f.Id);
            tests.Add(f.Type switch
            {
                FieldType.Choice when f.Multiple => $"{item}.exists()",
                FieldType.Table or FieldType.Target => $"{item}.item.exists()",
                _ => $"{item}.answer.exists()",
            });
        }
        return new(tests.Count == 1 ? tests[0] : $"({string.Join(" and ", tests)})", ValueType.Boolean, Definite: true);
    }

    // ---- operators --------------------------------------------------------------------------------------

    private Code Binary(BinaryExpr b)
    {
        var left = Emit(b.Left);
        var right = Emit(b.Right);
        switch (b.Operator)
        {
            case BinaryOperator.And or BinaryOperator.Or:
                // FHIRPath's three-valued and/or agree with the model once empty is read as false.
                var word = b.Operator == BinaryOperator.And ? "and" : "or";
                return new($"({left.Text} {word} {right.Text})", ValueType.Boolean, left.Definite && right.Definite);
            case BinaryOperator.Equal or BinaryOperator.NotEqual:
                return Equality(b.Operator == BinaryOperator.Equal, left, right);
            case BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply:
                var symbol = BinaryExpr.Symbol(b.Operator);
                // Integer op Integer stays an Integer in FHIRPath, which has 32 bits; the model's numbers are doubles.
                var l = left.Integer && right.Integer ? $"{left.Text}.toDecimal()" : left.Text;
                return new($"({l} {symbol} {right.Text})", ValueType.Number, left.Definite && right.Definite);
            case BinaryOperator.Divide:
                return new($"({left.Text} / {right.Text})", ValueType.Number, Definite: false); // by zero: empty, as in the model
            default:
                return new($"({left.Text} {BinaryExpr.Symbol(b.Operator)} {right.Text})", ValueType.Boolean, left.Definite && right.Definite);
        }
    }

    private static Code Equality(bool equal, Code left, Code right)
    {
        if (left.Type == ValueType.TextSet || right.Type == ValueType.TextSet)
        {
            var (set, value) = left.Type == ValueType.TextSet ? (left, right) : (right, left);
            var among = $"({value.Text} in {set.Text})";
            return equal
                ? new(among, ValueType.Boolean, value.Definite)
                : new($"({set.Item}.exists() and {among}.not())", ValueType.Boolean, value.Definite);
        }
        // A computed Boolean is never missing in the model: an empty one is false, and compares as false.
        Code Operand(Code c) => c.Type == ValueType.Boolean && !c.Missing ? Definite(c) : c;
        var (l, r) = (Operand(left), Operand(right));
        return new($"({l.Text} {(equal ? "=" : "!=")} {r.Text})", ValueType.Boolean, l.Definite && r.Definite);
    }

    private static string Wrap(string text) => text.StartsWith('(') && text.EndsWith(')') && Balanced(text) ? text : $"({text})";

    /// <summary>Whether the opening parenthesis of <paramref name="text"/> closes at its end.</summary>
    private static bool Balanced(string text)
    {
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '\\') i++;
                else if (ch == '\'') quoted = false;
                continue;
            }
            if (ch == '\'') quoted = true;
            else if (ch == '(') depth++;
            else if (ch == ')' && --depth == 0 && i < text.Length - 1) return false;
        }
        return depth == 0;
    }

    // ---- literals ---------------------------------------------------------------------------------------

    /// <summary>A FHIRPath string literal.</summary>
    public static string Str(string value)
    {
        var sb = new StringBuilder("'");
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\'': sb.Append(@"\'"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                case '\f': sb.Append(@"\f"); break;
                default:
                    if (char.IsControl(ch)) sb.Append(@"\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(ch);
                    break;
            }
        }
        return sb.Append('\'').ToString();
    }

    /// <summary>
    /// A number as a FHIRPath literal (FHIRPath has no exponent): the shortest decimal that reads back as the same double.
    /// Whole numbers within 32 bits are Integers; others are Decimals. A negative number is in parentheses.
    /// </summary>
    public static (string Text, bool Integer) Number(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "FHIRPath has no infinite numbers.");
        var negative = value < 0;
        var digits = Plain(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        var integer = !digits.Contains('.') && Math.Abs(value) <= int.MaxValue;
        if (!integer && !digits.Contains('.')) digits += ".0";
        return (negative ? $"(-{digits})" : digits, integer);
    }

    /// <summary>"1E+21" as "1000000000000000000000", "1E-07" as "0.0000001".</summary>
    private static string Plain(string r)
    {
        var e = r.IndexOfAny(['E', 'e']);
        if (e < 0) return r;
        var exponent = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = r[..e];
        var point = mantissa.IndexOf('.');
        var digits = mantissa.Replace(".", "");
        var position = (point < 0 ? mantissa.Length : point) + exponent; // where the point goes in digits
        if (position <= 0) return "0." + new string('0', -position) + digits;
        if (position >= digits.Length) return BigInteger.Parse(digits + new string('0', position - digits.Length), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        return digits[..position] + "." + digits[position..];
    }
}

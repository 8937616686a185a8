using System.Globalization;
using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Conditions;

/// <summary>A syntax error at an offset of the condition's text.</summary>
public sealed record ConditionError(string Message, int Start, int Length);

/// <summary>
/// Recursive descent over the condition grammar; precedence from low to high:
/// or, and, not, comparison (not chained), + -, * /, unary -, primary.
/// </summary>
public sealed class ConditionParser
{
    private const int MaxDepth = 100;

    private enum Kind { Number, Text, Name, Dot, Comma, Open, Close, Op, End }

    private readonly record struct Token(Kind Kind, string Text, int Start, int Length, double Number = 0);

    private readonly string _text;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _depth;

    private ConditionParser(string text) => _text = text;

    public static (ConditionSyntax? Syntax, ConditionError? Error) Parse(string text)
    {
        var parser = new ConditionParser(text);
        try
        {
            parser.Tokenize();
            if (parser._tokens[0].Kind == Kind.End)
                return (null, new ConditionError("it is empty; write a condition such as pain-rating.intensity >= 7", 0, 0));
            var syntax = parser.ParseOr();
            var next = parser.Peek;
            if (next.Kind != Kind.End)
            {
                var message = next.Kind == Kind.Op && IsComparison(next.Text)
                    ? "comparisons cannot be chained; join them with 'and', as in 1 <= x and x <= 3"
                    : $"unexpected '{next.Text}' after a complete condition; join conditions with 'and' or 'or'";
                throw new ParseException(message, next.Start, next.Length);
            }
            return (syntax, null);
        }
        catch (ParseException e)
        {
            return (null, new ConditionError(e.Message, e.Start, e.Length));
        }
    }

    private sealed class ParseException(string message, int start, int length) : Exception(message)
    {
        public int Start { get; } = start;
        public int Length { get; } = length;
    }

    private static bool IsComparison(string op) => op is "==" or "!=" or "<" or "<=" or ">" or ">=";

    private void Tokenize()
    {
        var i = 0;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var start = i;
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < _text.Length && char.IsAsciiDigit(_text[i + 1])))
            {
                while (i < _text.Length && char.IsAsciiDigit(_text[i])) i++;
                if (i < _text.Length && _text[i] == '.' && i + 1 < _text.Length && char.IsAsciiDigit(_text[i + 1]))
                {
                    i++;
                    while (i < _text.Length && char.IsAsciiDigit(_text[i])) i++;
                }
                if (i < _text.Length && (char.IsAsciiLetter(_text[i]) || _text[i] == '_'))
                    throw new ParseException($"'{_text[start..(i + 1)]}' is not a number or a name; names start with a letter", start, i + 1 - start);
                var s = _text[start..i];
                _tokens.Add(new Token(Kind.Number, s, start, i - start, double.Parse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)));
                continue;
            }
            if (char.IsAsciiLetter(c))
            {
                i++;
                while (i < _text.Length && (char.IsAsciiLetterOrDigit(_text[i]) || _text[i] == '_' ||
                       (_text[i] == '-' && i + 1 < _text.Length && char.IsAsciiLetterOrDigit(_text[i + 1]))))
                    i++;
                _tokens.Add(new Token(Kind.Name, _text[start..i], start, i - start));
                continue;
            }
            if (c is '"' or '\'')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (true)
                {
                    if (i >= _text.Length)
                        throw new ParseException("this text is never closed; end it with a matching quote", start, i - start);
                    if (_text[i] == c) { i++; break; }
                    if (_text[i] == '\\' && i + 1 < _text.Length && (_text[i + 1] == c || _text[i + 1] == '\\'))
                        i++;
                    sb.Append(_text[i++]);
                }
                _tokens.Add(new Token(Kind.Text, sb.ToString(), start, i - start));
                continue;
            }
            var two = i + 1 < _text.Length ? _text.Substring(i, 2) : string.Empty;
            switch (two)
            {
                case "==" or "!=" or "<=" or ">=":
                    _tokens.Add(new Token(Kind.Op, two, start, 2));
                    i += 2;
                    continue;
                case "=>" or "=<":
                    throw new ParseException($"write '{two[1]}{two[0]}' for '{(two[1] == '>' ? "at least" : "at most")}'", start, 2);
                case "&&" or "||":
                    throw new ParseException($"use '{(two == "&&" ? "and" : "or")}' instead of '{two}'", start, 2);
            }
            switch (c)
            {
                case '<' or '>' or '+' or '-' or '*' or '/':
                    _tokens.Add(new Token(Kind.Op, c.ToString(), start, 1));
                    break;
                case '=':
                    throw new ParseException("use '==' to compare", start, 1);
                case '!':
                    throw new ParseException("use 'not' instead of '!'", start, 1);
                case '.':
                    _tokens.Add(new Token(Kind.Dot, ".", start, 1));
                    break;
                case ',':
                    _tokens.Add(new Token(Kind.Comma, ",", start, 1));
                    break;
                case '(':
                    _tokens.Add(new Token(Kind.Open, "(", start, 1));
                    break;
                case ')':
                    _tokens.Add(new Token(Kind.Close, ")", start, 1));
                    break;
                default:
                    throw new ParseException($"'{c}' is not part of the condition language", start, 1);
            }
            i++;
        }
        _tokens.Add(new Token(Kind.End, "end of the condition", _text.Length, 0));
    }

    private Token Peek => _tokens[_pos];

    private Token Next() => _tokens[_pos++];

    private bool IsKeyword(string word) => Peek.Kind == Kind.Name && Peek.Text == word;

    private ConditionSyntax Binary(BinaryOperator op, ConditionSyntax left, ConditionSyntax right, int opStart) =>
        new BinarySyntax(op, left, right, opStart, left.Start, right.End - left.Start);

    private ConditionSyntax ParseOr()
    {
        var left = ParseAnd();
        while (IsKeyword("or"))
        {
            var op = Next();
            left = Binary(BinaryOperator.Or, left, ParseAnd(), op.Start);
        }
        return left;
    }

    private ConditionSyntax ParseAnd()
    {
        var left = ParseNot();
        while (IsKeyword("and"))
        {
            var op = Next();
            left = Binary(BinaryOperator.And, left, ParseNot(), op.Start);
        }
        return left;
    }

    private ConditionSyntax ParseNot()
    {
        if (!IsKeyword("not")) return ParseComparison();
        var op = Next();
        Enter(op);
        var operand = ParseNot();
        _depth--;
        return new UnarySyntax(UnaryOperator.Not, operand, op.Start, operand.End - op.Start);
    }

    private ConditionSyntax ParseComparison()
    {
        var left = ParseAdditive();
        if (Peek.Kind == Kind.Op && IsComparison(Peek.Text))
        {
            var op = Next();
            var kind = op.Text switch
            {
                "==" => BinaryOperator.Equal,
                "!=" => BinaryOperator.NotEqual,
                "<" => BinaryOperator.Less,
                "<=" => BinaryOperator.LessOrEqual,
                ">" => BinaryOperator.Greater,
                _ => BinaryOperator.GreaterOrEqual,
            };
            return Binary(kind, left, ParseAdditive(), op.Start);
        }
        return left;
    }

    private ConditionSyntax ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Peek.Kind == Kind.Op && Peek.Text is "+" or "-")
        {
            var op = Next();
            left = Binary(op.Text == "+" ? BinaryOperator.Add : BinaryOperator.Subtract, left, ParseMultiplicative(), op.Start);
        }
        return left;
    }

    private ConditionSyntax ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Peek.Kind == Kind.Op && Peek.Text is "*" or "/")
        {
            var op = Next();
            left = Binary(op.Text == "*" ? BinaryOperator.Multiply : BinaryOperator.Divide, left, ParseUnary(), op.Start);
        }
        return left;
    }

    private ConditionSyntax ParseUnary()
    {
        if (Peek.Kind == Kind.Op && Peek.Text == "-")
        {
            var op = Next();
            Enter(op);
            var operand = ParseUnary();
            _depth--;
            return new UnarySyntax(UnaryOperator.Negate, operand, op.Start, operand.End - op.Start);
        }
        return ParsePrimary();
    }

    private void Enter(Token at)
    {
        if (++_depth > MaxDepth)
            throw new ParseException($"it is nested more than {MaxDepth} levels deep", at.Start, at.Length);
    }

    private ConditionSyntax ParsePrimary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case Kind.Number:
                return new NumberSyntax(t.Number, t.Start, t.Length);
            case Kind.Text:
                return new TextSyntax(t.Text, t.Start, t.Length);
            case Kind.Open:
            {
                Enter(t);
                var inner = ParseOr();
                _depth--;
                var close = Next();
                if (close.Kind != Kind.Close)
                    throw new ParseException($"expected ')' to close the '(' at column {t.Start + 1}, found '{close.Text}'", close.Start, close.Length);
                return inner with { Start = t.Start, Length = close.Start + 1 - t.Start };
            }
            case Kind.Name when t.Text is "true" or "false":
                return new BooleanSyntax(t.Text == "true", t.Start, t.Length);
            case Kind.Name when t.Text is "and" or "or" or "not":
                throw new ParseException($"expected a value before '{t.Text}'", t.Start, t.Length);
            case Kind.Name:
                return ParseName(t);
            default:
                throw new ParseException(t.Kind == Kind.End ? "it ends too early; a value is missing" : $"expected a value, found '{t.Text}'", t.Start, Math.Max(1, t.Length));
        }
    }

    private ConditionSyntax ParseName(Token t)
    {
        var name = new NameSyntax(t.Text, t.Start, t.Length);
        if (Peek.Kind == Kind.Open)
        {
            Next();
            var argument = ParseArgument();
            var close = ExpectClose();
            return new CallSyntax(name, argument, t.Start, close.Start + 1 - t.Start);
        }
        if (Peek.Kind != Kind.Dot) return name;
        Next();
        var m = Next();
        if (m.Kind != Kind.Name)
            throw new ParseException($"expected a field or score name after '{t.Text}.'", m.Start, Math.Max(1, m.Length));
        var member = new NameSyntax(m.Text, m.Start, m.Length);
        if (Peek.Kind == Kind.Dot)
            throw new ParseException("a reference has one dot: worksheet.field", Peek.Start, 1);
        if (Peek.Kind != Kind.Open)
            return new MemberSyntax(name, member, false, null, t.Start, m.Start + m.Length - t.Start);
        Next();
        var arg = ParseArgument();
        var end = ExpectClose();
        return new MemberSyntax(name, member, true, arg, t.Start, end.Start + 1 - t.Start);
    }

    private NameSyntax? ParseArgument()
    {
        if (Peek.Kind == Kind.Close) return null;
        var a = Next();
        if (a.Kind != Kind.Name)
            throw new ParseException($"expected a name inside the parentheses, found '{a.Text}'", a.Start, Math.Max(1, a.Length));
        return new NameSyntax(a.Text, a.Start, a.Length);
    }

    private Token ExpectClose()
    {
        var close = Next();
        if (close.Kind != Kind.Close)
            throw new ParseException($"expected ')', found '{close.Text}'", close.Start, Math.Max(1, close.Length));
        return close;
    }
}

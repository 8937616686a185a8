using ContentEngine.Runtime.Conditions;

namespace ContentEngine.Conditions;

/// <summary>A condition as parsed, before names are resolved. Offsets are into the condition's text.</summary>
public abstract record ConditionSyntax(int Start, int Length)
{
    public int End => Start + Length;
}

public sealed record NumberSyntax(double Value, int Start, int Length) : ConditionSyntax(Start, Length);

public sealed record TextSyntax(string Value, int Start, int Length) : ConditionSyntax(Start, Length);

public sealed record BooleanSyntax(bool Value, int Start, int Length) : ConditionSyntax(Start, Length);

/// <summary>A bare name: <c>week</c>, or a mistake such as a worksheet without its field.</summary>
public sealed record NameSyntax(string Name, int Start, int Length) : ConditionSyntax(Start, Length);

/// <summary><c>worksheet.member</c>, <c>worksheet.member(argument)</c> or <c>worksheet.count()</c>.</summary>
public sealed record MemberSyntax(NameSyntax Target, NameSyntax Member, bool IsCall, NameSyntax? Argument, int Start, int Length) : ConditionSyntax(Start, Length);

/// <summary><c>completed(module)</c> and the other functions of the patient's state.</summary>
public sealed record CallSyntax(NameSyntax Function, NameSyntax? Argument, int Start, int Length) : ConditionSyntax(Start, Length);

public sealed record UnarySyntax(UnaryOperator Operator, ConditionSyntax Operand, int Start, int Length) : ConditionSyntax(Start, Length);

public sealed record BinarySyntax(BinaryOperator Operator, ConditionSyntax Left, ConditionSyntax Right, int OperatorStart, int Start, int Length) : ConditionSyntax(Start, Length);

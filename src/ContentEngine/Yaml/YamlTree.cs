using System.Globalization;
using ContentEngine.Text;

namespace ContentEngine.Yaml;

/// <summary>A YAML node with its place in the source; positions are 0-based.</summary>
public abstract class YNode
{
    protected YNode(SourceLocation location) => Location = location;

    public SourceLocation Location { get; }

    /// <summary>How a value is named in messages: "a text", "a list", "a mapping".</summary>
    public abstract string Describe();
}

public sealed class YScalar : YNode
{
    public YScalar(string value, bool isPlain, SourceLocation location) : base(location)
    {
        Value = value;
        IsPlain = isPlain;
    }

    public string Value { get; }

    /// <summary>Unquoted: may be a number, a boolean or null; quoted scalars are always text.</summary>
    public bool IsPlain { get; }

    public bool IsNull => IsPlain && (Value.Length == 0 || Value is "~" or "null" or "Null" or "NULL");

    public bool TryGetNumber(out double number)
    {
        number = 0;
        return IsPlain && Value.Length > 0 && (char.IsAsciiDigit(Value[0]) || Value[0] is '-' or '+' or '.')
            && double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
    }

    public bool TryGetBoolean(out bool value)
    {
        value = Value is "true" or "True" or "TRUE";
        return IsPlain && (value || Value is "false" or "False" or "FALSE");
    }

    public override string Describe()
    {
        if (IsNull) return "empty";
        if (TryGetNumber(out _)) return $"the number {Value}";
        if (TryGetBoolean(out _)) return $"the boolean {Value}";
        return Value.Length > 40 ? "a text" : $"the text '{Value}'";
    }
}

public sealed class YSequence : YNode
{
    public YSequence(IReadOnlyList<YNode> items, SourceLocation location) : base(location) => Items = items;

    public IReadOnlyList<YNode> Items { get; }

    public override string Describe() => "a list";
}

public sealed class YMapping : YNode
{
    public YMapping(IReadOnlyList<KeyValuePair<YScalar, YNode>> entries, SourceLocation location) : base(location) => Entries = entries;

    public IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries { get; }

    /// <summary>For a locale map a translation's text was merged into: the map as the original file wrote it.</summary>
    public YMapping? Written { get; init; }

    public YNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    public YScalar? KeyNode(string key) => Entries.FirstOrDefault(e => e.Key.Value == key).Key;

    public override string Describe() => "a mapping";
}

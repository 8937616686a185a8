using System.Globalization;

namespace ContentEngine.Runtime.Conditions;

/// <summary>A value during evaluation: a number, a text, a boolean, a set of texts, or missing.</summary>
public readonly record struct Value
{
    private readonly object? _value;

    private Value(object? value) => _value = value;

    public static readonly Value Missing = default;
    public static readonly Value True = new(true);
    public static readonly Value False = new(false);

    public static Value Number(double n) => double.IsFinite(n) ? new(n) : Missing;
    public static Value Text(string s) => new(s);
    public static Value Boolean(bool b) => b ? True : False;
    public static Value Set(IReadOnlyList<Value> values) => new(values);

    /// <summary>An answer that is given but not comparable (a table's rows, marks on a target).</summary>
    public static readonly Value Opaque = new(new object());

    public bool IsMissing => _value is null;
    public bool IsNumber => _value is double;
    public bool IsText => _value is string;
    public bool IsBoolean => _value is bool;
    public bool IsSet => _value is IReadOnlyList<Value>;

    public double AsNumber => (double)_value!;
    public string AsText => (string)_value!;
    public bool AsBoolean => (bool)_value!;
    public IReadOnlyList<Value> AsSet => (IReadOnlyList<Value>)_value!;

    /// <summary>A boolean context: missing (or anything not true) counts as false.</summary>
    public bool IsTrue => _value is true;

    public override string ToString() => _value switch
    {
        null => "missing",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        IReadOnlyList<Value> l => "[" + string.Join(", ", l) + "]",
        _ => "(answer)",
    };

    /// <summary>Equality of two present scalar values of the same kind.</summary>
    internal static bool ScalarEquals(Value a, Value b) => a._value switch
    {
        double x => b._value is double y && x == y,
        string x => b._value is string y && string.Equals(x, y, StringComparison.Ordinal),
        bool x => b._value is bool y && x == y,
        _ => false,
    };
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Text;
using ContentEngine.Yaml;

namespace ContentEngine.Compilation;

/// <summary>What binding needs to know of the program while reading YAML.</summary>
public sealed class BindContext(ImmutableArray<string> locales, DiagnosticBag diagnostics)
{
    public ImmutableArray<string> Locales { get; } = locales;
    public string DefaultLocale => Locales.Length > 0 ? Locales[0] : "en";
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    /// <summary>Locales some text value lacks, per file, for one warning per file and locale.</summary>
    public Dictionary<(string Path, string Locale), List<(string Key, SourceLocation Location)>> MissingLocales { get; } = [];
}

/// <summary>
/// Reads the keys of one YAML mapping with their types, and reports unknown keys (with "did you
/// mean"), missing keys and wrong types at the key or value at fault.
/// </summary>
public sealed partial class MappingReader
{
    private readonly YMapping _map;
    private readonly string _what;
    private readonly string[] _known;
    private readonly BindContext _context;
    private readonly Dictionary<string, YNode> _misspelled = new(StringComparer.Ordinal);

    public MappingReader(YMapping map, string what, BindContext context, params string[] known)
    {
        _map = map;
        _what = what;
        _known = known;
        _context = context;
        foreach (var (key, _) in map.Entries)
        {
            if (known.Contains(key.Value)) continue;
            var closest = Suggestions.Closest(key.Value, known);
            // The misspelt key is the one cause: a required key it was meant to be is not reported missing too.
            // Its value is read as the key it probably means, so that nothing that depends on the key reports again.
            if (closest is not null && map[closest] is null) _misspelled.TryAdd(closest, map[key.Value]!);
            context.Diagnostics.Report(DiagnosticDescriptors.UnknownKey, key.Location, key.Value, what,
                closest is not null ? $"; did you mean '{closest}'?" : $"; the keys here are {string.Join(", ", known)}");
        }
    }

    public YMapping Map => _map;

    /// <summary>True when an unknown key was reported as probably meaning <paramref name="key"/>: its absence is no news.</summary>
    public bool IsMisspelt(string key) => _misspelled.ContainsKey(key);
    public DiagnosticBag Diagnostics => _context.Diagnostics;

    public YNode? Node(string key) => (_map[key] ?? _misspelled.GetValueOrDefault(key)) is { } n && !(n is YScalar s && s.IsNull) ? n : null;

    public bool Has(string key) => Node(key) is not null;

    public SourceLocation KeyLocation(string key) => _map.KeyNode(key)?.Location ?? _map.Location;

    public YNode? Required(string key, string hint)
    {
        var node = Node(key);
        if (node is null && !_misspelled.ContainsKey(key))
            Diagnostics.Report(DiagnosticDescriptors.MissingKey, _map.KeyNode(key)?.Location ?? _map.Location, Capitalize(_what), key, hint);
        return node;
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private void Wrong(string key, YNode node, string expected) =>
        Diagnostics.Report(DiagnosticDescriptors.WrongType, node.Location, key, expected, node.Describe());

    public string? String(string key, string? hint = null)
    {
        var node = hint is null ? Node(key) : Required(key, hint);
        if (node is null) return null;
        if (node is YScalar s) return s.Value;
        Wrong(key, node, "a text");
        return null;
    }

    /// <summary>
    /// An id or name written in curly quotes (or with a dash typed for a hyphen) by a word processor:
    /// reported with the line as it should be. Such a value is no id, and no other error is due.
    /// </summary>
    public bool IsTypographic(YScalar s)
    {
        if (!s.IsPlain || s.Value.Length == 0) return false;
        var first = s.Value.IndexOfAny([.. s.Value.Where(c => Typography.PlainFor(c) is not null)]);
        if (first < 0) return false;
        var (found, _) = Typography.Describe(s.Value[first]);
        var plain = string.Concat(s.Value.Select(c => Typography.PlainFor(c) switch { null => c.ToString(), "-" => "-", _ => "" }));
        Diagnostics.Report(DiagnosticDescriptors.WordProcessorPunctuation, s.Location with { Column = s.Location.Column + first, Length = 1 },
            found, "an id", "plain letters, digits and hyphens, without quotes", plain);
        return true;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();

    public static bool IsId(string s) => IdPattern().IsMatch(s);

    public string? Id(string key, string? hint = null, string? fallback = null)
    {
        var node = hint is null || fallback is not null ? Node(key) : Required(key, hint);
        if (node is null) return fallback;
        if (node is not YScalar s)
        {
            Wrong(key, node, "an id");
            return null;
        }
        if (IsTypographic(s)) return null;
        if (!IsId(s.Value))
        {
            Diagnostics.Report(DiagnosticDescriptors.InvalidValue, s.Location, key,
                $"must be an id of lowercase letters, digits and hyphens (like 'sleep-diary'), not '{s.Value}'");
            return null;
        }
        return s.Value;
    }

    public double? Number(string key, string? hint = null, double min = double.MinValue, double max = double.MaxValue, bool whole = false)
    {
        var node = hint is null ? Node(key) : Required(key, hint);
        if (node is null) return null;
        if (node is not YScalar s || !s.TryGetNumber(out var n) || (whole && n != Math.Floor(n)))
        {
            Wrong(key, node, whole ? "a whole number" : "a number");
            return null;
        }
        if (n < min || n > max)
        {
            Diagnostics.Report(DiagnosticDescriptors.InvalidValue, node.Location, key,
                max == double.MaxValue ? $"must be at least {min.ToString(CultureInfo.InvariantCulture)}, not {s.Value}"
                : $"must be from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not {s.Value}");
            return null;
        }
        return n;
    }

    public int? Integer(string key, string? hint = null, int min = int.MinValue, int max = int.MaxValue) =>
        Number(key, hint, min, max, whole: true) is { } n ? (int)n : null;

    public bool? Boolean(string key)
    {
        var node = Node(key);
        if (node is null) return null;
        if (node is YScalar s && s.TryGetBoolean(out var b)) return b;
        Wrong(key, node, "true or false");
        return null;
    }

    public T? Enum<T>(string key, string? hint = null) where T : struct, System.Enum
    {
        var node = hint is null ? Node(key) : Required(key, hint);
        if (node is null) return null;
        var names = System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToArray();
        if (node is YScalar s && names.Contains(s.Value))
            return System.Enum.Parse<T>(s.Value, ignoreCase: true);
        if (node is YScalar c && names.Contains(c.Value.ToLowerInvariant()))
        {
            // The right word in the wrong case is one mistake: read it as meant, so that nothing depending on it reports again.
            Diagnostics.Report(DiagnosticDescriptors.InvalidValue, node.Location, key,
                $"is written in lower case: write '{c.Value.ToLowerInvariant()}', not '{c.Value}' (the values are {string.Join(", ", names)})");
            return System.Enum.Parse<T>(c.Value, ignoreCase: true);
        }
        Diagnostics.Report(DiagnosticDescriptors.InvalidValue, node.Location, key,
            $"must be one of {string.Join(", ", names)}, not {node.Describe()}{Suggestions.DidYouMean((node as YScalar)?.Value ?? string.Empty, names)}");
        return null;
    }

    public DateOnly? Date(string key, YMapping? map = null)
    {
        var node = (map ?? _map)[key];
        if (node is null || (node is YScalar { IsNull: true })) return null;
        if (node is YScalar s && DateOnly.TryParseExact(s.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        if (node is YScalar written && Dates.NoSuchDate(written.Value) is { } why)
            Diagnostics.Report(DiagnosticDescriptors.InvalidValue, node.Location, key, $"is {written.Value}, a date that does not exist: {why}; write a date of the calendar");
        else Wrong(key, node, "a date written YYYY-MM-DD");
        return null;
    }

    public YSequence? Sequence(string key, string? hint = null)
    {
        var node = hint is null ? Node(key) : Required(key, hint);
        if (node is null) return null;
        if (node is YSequence seq) return seq;
        Wrong(key, node, "a list");
        return null;
    }

    public YMapping? Mapping(string key, string? hint = null)
    {
        var node = hint is null ? Node(key) : Required(key, hint);
        if (node is null) return null;
        if (node is YMapping m) return m;
        Wrong(key, node, "a mapping");
        return null;
    }

    /// <summary>A list of ids (a single id is accepted as a list of one).</summary>
    public ImmutableArray<(string Id, SourceLocation Location)> IdList(string key)
    {
        var node = Node(key);
        if (node is null) return [];
        IEnumerable<YNode> items = node is YSequence seq ? seq.Items : [node];
        var result = ImmutableArray.CreateBuilder<(string, SourceLocation)>();
        foreach (var item in items)
        {
            if (item is YScalar s && IsId(s.Value)) result.Add((s.Value, s.Location));
            else if (item is YScalar t && IsTypographic(t)) continue;
            else Diagnostics.Report(DiagnosticDescriptors.WrongType, item.Location, key, "a list of ids", item.Describe());
        }
        return result.ToImmutable();
    }

    public LocalizedText? Text(string key, string? hint = null) =>
        (hint is null ? Node(key) : Required(key, hint)) is { } node ? ReadText(node, key, _context) : null;

    /// <summary>A plain string (the default locale) or a map from locale to string.</summary>
    public static LocalizedText? ReadText(YNode node, string key, BindContext context)
    {
        var values = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        switch (node)
        {
            case YScalar s when !s.IsNull:
                values[context.DefaultLocale] = s.Value;
                break;
            case YMapping m:
                foreach (var (k, v) in LocaleMapCommas.Join(m, key, context))
                {
                    if (!context.Locales.Contains(k.Value))
                    {
                        context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, k.Location, key,
                            $"has text for '{k.Value}', which is not one of the program's locales ({string.Join(", ", context.Locales)}){Suggestions.DidYouMean(k.Value, context.Locales)}");
                        continue;
                    }
                    if (v is YScalar vs && !vs.IsNull) values[k.Value] = vs.Value;
                    else context.Diagnostics.Report(DiagnosticDescriptors.WrongType, v.Location, $"{key}.{k.Value}", "a text", v.Describe());
                }
                break;
            default:
                context.Diagnostics.Report(DiagnosticDescriptors.WrongType, node.Location, key, "a text, or a map from locale to text like {sv: …, en: …}", node.Describe());
                return null;
        }
        if (values.Count == 0)
        {
            if (node is YMapping { Entries.Count: 0 })
                context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, node.Location, key, $"is empty; write the text, or a map like {{{context.DefaultLocale}: …}}");
            return null;
        }
        foreach (var locale in context.Locales.Where(l => !values.ContainsKey(l)))
        {
            var k = (node.Location.Path, locale);
            if (!context.MissingLocales.TryGetValue(k, out var list)) context.MissingLocales[k] = list = [];
            list.Add((key, node.Location));
        }
        return new LocalizedText(values.ToImmutable());
    }
}

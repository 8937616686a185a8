using ContentEngine.Directives;

namespace ContentEngine.Markdown;

/// <summary>The directives an author may write, with the attributes each takes (from <see cref="DirectiveKinds"/>).</summary>
public static class Directives
{
    public sealed record Spec(string Name, string[] Attributes, string[] Required);

    public static IReadOnlyDictionary<string, Spec> All { get; } =
        DirectiveKinds.All.ToDictionary(k => k.Name, k => new Spec(k.Name, k.Attributes, k.Required), StringComparer.Ordinal);

    /// <summary>The directives a graph can hold: all but those read away where they stand (<c>::: include</c>).</summary>
    public static IReadOnlyDictionary<string, Spec> InGraph { get; } =
        DirectiveKinds.All.Where(k => !k.OneLine).ToDictionary(k => k.Name, k => All[k.Name], StringComparer.Ordinal);

    public static readonly string[] Formats = OnlyDirective.Formats;

    /// <summary>The shortest and the longest silence a <c>::: pause</c> may ask for, in seconds.</summary>
    public const int PauseMinSeconds = PauseDirective.MinSeconds, PauseMaxSeconds = PauseDirective.MaxSeconds;

    /// <summary>The attribute that identifies a directive when a translation is compared with its original.</summary>
    public static string? KeyAttribute(string name) => DirectiveKinds.Find(name)?.KeyAttribute;
}

/// <summary>One attribute of a directive's opening line, with the column of its value and of each of its characters.</summary>
public sealed record DirectiveAttribute(string Name, string Value, int NameColumn, int ValueColumn, int ValueLength, IReadOnlyList<int> Columns);

/// <summary>Reads <c>{key="value" key=value}</c> from a directive's opening line.</summary>
public static class DirectiveAttributeParser
{
    /// <returns>the attributes, or an error message with the column it points at.</returns>
    public static (List<DirectiveAttribute> Attributes, (string Message, int Column)? Error) Parse(string line, int start)
    {
        var result = new List<DirectiveAttribute>();
        var i = start;
        void Skip() { while (i < line.Length && char.IsWhiteSpace(line[i])) i++; }
        Skip();
        if (i >= line.Length) return (result, null);
        if (line[i] != '{') return (result, ($"expects its attributes in braces, as in {{title=\"…\"}}, not '{line[i..].Trim()}'", i));
        i++;
        while (true)
        {
            Skip();
            if (i >= line.Length) return (result, ("has attributes that are never closed; end them with '}'", i));
            if (line[i] == '}')
            {
                i++;
                Skip();
                return i < line.Length ? (result, ($"has text after its attributes: '{line[i..].Trim()}'", i)) : (result, null);
            }
            var nameStart = i;
            while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '-' or '_')) i++;
            if (i == nameStart) return (result, ($"has '{line[i]}' where an attribute name should be", i));
            var name = line[nameStart..i];
            Skip();
            if (i >= line.Length || line[i] != '=') return (result, ($"needs a value for '{name}', as in {name}=\"…\"", i));
            i++;
            Skip();
            if (i < line.Length && line[i] is '"' or '\'')
            {
                // A quoted value may hold its own quote or a backslash escaped with a backslash.
                var quote = line[i];
                var valueStart = ++i;
                var value = new System.Text.StringBuilder();
                var columns = new List<int>();
                while (i < line.Length && line[i] != quote)
                {
                    if (line[i] == '\\' && i + 1 < line.Length && (line[i + 1] == quote || line[i + 1] == '\\')) i++;
                    columns.Add(i);
                    value.Append(line[i++]);
                }
                if (i >= line.Length) return (result, ($"has a value for '{name}' that is never closed; end it with {quote}", valueStart - 1));
                columns.Add(i);
                result.Add(new DirectiveAttribute(name, value.ToString(), nameStart, valueStart, i - valueStart, columns));
                i++;
            }
            else
            {
                var valueStart = i;
                while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] != '}') i++;
                result.Add(new DirectiveAttribute(name, line[valueStart..i], nameStart, valueStart, i - valueStart, [.. Enumerable.Range(valueStart, i - valueStart + 1)]));
            }
        }
    }
}

using System.Text;

namespace ContentEngine.Text;

/// <summary>
/// The characters word processors and phones type in place of plain ones (curly quotes, non-breaking
/// spaces, dashes, ≥): right in prose, wrong where YAML, a directive's attributes or a condition need
/// the plain character.
/// </summary>
public static class Typography
{
    /// <summary>The plain text that <paramref name="c"/> stands in for, or null for an ordinary character.</summary>
    public static string? PlainFor(char c) => c switch
    {
        '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' or '\u00AB' or '\u00BB' => "\"",
        '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' => "'",
        '\u00A0' or '\u202F' or '\u2007' or '\u2009' or '\u200A' or '\u2002' or '\u2003' => " ",
        '\u2013' or '\u2014' or '\u2212' or '\u2012' or '\u2010' or '\u2011' => "-",
        '\u2265' => ">=",
        '\u2264' => "<=",
        '\u2260' => "!=",
        _ => null,
    };

    public static bool IsQuote(char c) => PlainFor(c) is "\"" or "'";

    /// <summary>How a clinician would name the character, and the plain one needed instead.</summary>
    public static (string Found, string Needed) Describe(char c) => c switch
    {
        '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' => ("curly quotes (“ ”)", "straight quotes (\")"),
        '\u00AB' or '\u00BB' => ("angle quotes (« »)", "straight quotes (\")"),
        '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' => ("curly quotes (‘ ’)", "straight quotes (')"),
        '\u00A0' or '\u202F' or '\u2007' or '\u2009' or '\u200A' or '\u2002' or '\u2003' => ("a non-breaking space", "an ordinary space"),
        '\u2013' => ("an en dash (–)", "a hyphen (-)"),
        '\u2014' => ("an em dash (—)", "a hyphen (-)"),
        '\u2212' => ("a minus sign (−)", "a hyphen (-)"),
        '\u2012' or '\u2010' or '\u2011' => ("a typographic hyphen", "a plain hyphen (-)"),
        '\u2265' => ("'≥'", "'>='"),
        '\u2264' => ("'≤'", "'<='"),
        '\u2260' => ("'≠'", "'!='"),
        _ => ($"'{c}'", "a plain character"),
    };

    /// <summary>The line with the characters at <paramref name="columns"/> made plain.</summary>
    public static string Straighten(string line, IEnumerable<int> columns, char avoidQuote = '\0')
    {
        var at = columns.ToHashSet();
        var sb = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            var plain = at.Contains(i) ? PlainFor(line[i]) : null;
            if (plain is null) sb.Append(line[i]);
            else if (avoidQuote != '\0' && plain.Length == 1 && plain[0] == avoidQuote) sb.Append(avoidQuote == '"' ? '\'' : '"');
            else sb.Append(plain);
        }
        return sb.ToString().Trim();
    }

    /// <summary>
    /// The columns of word-processor characters in <paramref name="line"/> from <paramref name="start"/>,
    /// outside straight-quoted text (where curly quotes and dashes are the author's own text).
    /// </summary>
    public static List<int> OutsideQuotes(string line, int start, Func<char, bool>? include = null)
    {
        var found = new List<int>();
        var quote = '\0';
        for (var i = start; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == '\\' && i + 1 < line.Length) i++;
                else if (c == quote) quote = '\0';
                continue;
            }
            if (c is '"' or '\'') quote = c;
            else if (PlainFor(c) is not null && (include is null || include(c))) found.Add(i);
        }
        return found;
    }
}

using System.Security.Cryptography;
using System.Text;
using ContentEngine.Text;

namespace ContentEngine.Translation;

/// <summary>Where a unit stands in one locale.</summary>
public enum UnitState
{
    /// <summary>The source has no text at this place in the locale.</summary>
    Missing,

    /// <summary>Translated from the source as it is now.</summary>
    Translated,

    /// <summary>Translated from the source as it is now, and reviewed.</summary>
    Reviewed,

    /// <summary>Translated, but the source has changed since (the record's hash differs).</summary>
    Stale,

    /// <summary>Has a target but no entry in the record (written by hand): treated as translated.</summary>
    Unrecorded,
}

/// <summary>How the text at a <see cref="TextRange"/> is written in its file.</summary>
public enum TextSyntax
{
    /// <summary>Markdown as written: the range holds exactly the text, line breaks and indentation included.</summary>
    Markdown,

    /// <summary>A YAML scalar as written (quotes and folding included): its value is the text.</summary>
    YamlScalar,

    /// <summary>A directive attribute's value inside its quotes (a quote or backslash in it escaped with a backslash).</summary>
    DirectiveAttribute,
}

/// <summary>
/// The exact place of a text in a file: a character range of the file's text as the compiler reads it
/// (UTF-8, a byte-order mark dropped, line ends as '\n'), for replacing the text in place.
/// </summary>
public sealed record TextRange(string Path, int Start, int Length, TextSyntax Syntax)
{
    public int End => Start + Length;
}

/// <summary>
/// One translatable text of a program in one locale: its source in the default locale and its target,
/// with a structural id that survives edits of text elsewhere (docs/authoring.md, "Translations").
/// </summary>
/// <param name="Id">stable and structural, such as <c>module:values/body/3</c>; XML-safe.</param>
/// <param name="Kind">heading, paragraph, list-item, table-cell, passage, alt, attribute, title, summary, offer-reason, label, help, unit, scale-label, option, row, area, band.</param>
/// <param name="Context">what the text is, for a translator: the file, the field, the directive around it.</param>
/// <param name="Condition">the condition the text belongs to (an enclosing <c>::: if</c>, a module's offer_when), if any.</param>
/// <param name="IsSafety">inside a <c>::: safety</c> message.</param>
/// <param name="Source">the source text as written (Markdown inline syntax kept; a YAML value as its value).</param>
/// <param name="SourceLocation">where the source text is.</param>
/// <param name="Target">the text in the locale as written, or null when it is missing.</param>
/// <param name="TargetRange">where the target is, in the translation file or (for a locale map) in the original.</param>
/// <param name="RecordedSource">the source text the target was translated from, from the record; null when unrecorded.</param>
public sealed record TranslationUnit(
    string Id,
    string Kind,
    string Context,
    string? Condition,
    bool IsSafety,
    string Source,
    SourceLocation SourceLocation,
    string? Target,
    TextRange? TargetRange,
    UnitState State,
    string? RecordedSource)
{
    /// <summary>Where the target begins (its first line), for diagnostics; null when it is missing.</summary>
    public SourceLocation? TargetLocation { get; init; }

    /// <summary>The hash of the current source (see <see cref="TranslationText.Hash"/>).</summary>
    public string SourceHash => TranslationText.Hash(Source);

    /// <summary>The words of the source: the figure translators price by.</summary>
    public int SourceWords => TranslationText.CountWords(Source);
}

/// <summary>Normalising, hashing, counting and writing the texts of units.</summary>
public static class TranslationText
{
    /// <summary>
    /// The text as compared: runs of white space (line breaks and indentation included) as one space,
    /// trimmed, so that re-wrapping a paragraph is not a change.
    /// </summary>
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary><c>sha256:</c> and the first 16 hex digits of the SHA-256 of the normalised text in UTF-8.</summary>
    public static string Hash(string text) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(text))))[..16];

    /// <summary>
    /// Words as the compiler counts them for reading time: runs of letters and digits (an apostrophe or
    /// hyphen inside a word keeps it one word). Markdown syntax (<c>**</c>, <c>[]()</c> and the address of a
    /// link) is not counted: only the words a reader reads.
    /// </summary>
    public static int CountWords(string text)
    {
        var count = 0;
        var inWord = false;
        var depth = 0; // inside a link's or image's (address)
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (depth > 0)
            {
                if (c == '(') depth++;
                else if (c == ')') depth--;
                continue;
            }
            if (c == '(' && i > 0 && text[i - 1] == ']')
            {
                depth = 1;
                inWord = false;
                continue;
            }
            var letter = char.IsLetterOrDigit(c);
            if (letter && !inWord) count++;
            inWord = letter || (inWord && c is '\'' or '’' or '-');
        }
        return count;
    }

    /// <summary>
    /// The part of two texts that differs, with a few words around it, each at most about 120 characters:
    /// how a message shows what changed in a long paragraph.
    /// </summary>
    public static (string Old, string New) Difference(string old, string now, int context = 24)
    {
        old = Normalize(old);
        now = Normalize(now);
        var prefix = 0;
        while (prefix < old.Length && prefix < now.Length && old[prefix] == now[prefix]) prefix++;
        var suffix = 0;
        while (suffix < old.Length - prefix && suffix < now.Length - prefix && old[^(suffix + 1)] == now[^(suffix + 1)]) suffix++;
        var start = Math.Max(0, prefix - context);
        while (start > 0 && old[start - 1] != ' ') start--;
        return (Excerpt(old, start, old.Length - suffix, context), Excerpt(now, start, now.Length - suffix, context));

        static string Excerpt(string text, int start, int changedEnd, int context)
        {
            var end = Math.Min(text.Length, changedEnd + context);
            while (end < text.Length && text[end] != ' ') end++;
            if (end - start > 120) end = start + 120;
            return (start > 0 ? "…" : "") + text[start..end] + (end < text.Length ? "…" : "");
        }
    }

    /// <summary>The text written for a range of this syntax: what replaces the range's characters.</summary>
    public static string Encode(TextSyntax syntax, string text) => syntax switch
    {
        TextSyntax.Markdown => text,
        TextSyntax.DirectiveAttribute => text.Replace("\\", "\\\\").Replace("\"", "\\\""),
        _ => YamlScalar(text),
    };

    /// <summary>The text as it is meant by what a range of this syntax holds.</summary>
    public static string Decode(TextSyntax syntax, string written) => syntax switch
    {
        TextSyntax.Markdown => written,
        TextSyntax.DirectiveAttribute => UnescapeAttribute(written),
        _ => YamlValue(written),
    };

    private static string YamlValue(string written)
    {
        var parser = new YamlDotNet.Core.Parser(new StringReader(written));
        while (parser.MoveNext())
            if (parser.Current is YamlDotNet.Core.Events.Scalar scalar) return scalar.Value;
        return string.Empty;
    }

    private static string UnescapeAttribute(string written)
    {
        var sb = new StringBuilder(written.Length);
        for (var i = 0; i < written.Length; i++)
        {
            if (written[i] == '\\' && i + 1 < written.Length && written[i + 1] is '"' or '\'' or '\\') i++;
            sb.Append(written[i]);
        }
        return sb.ToString();
    }

    /// <summary>A YAML scalar for the text that is safe in any place (block or flow): plain where it can be, else double-quoted.</summary>
    public static string YamlScalar(string text)
    {
        if (IsSafePlain(text)) return text;
        var sb = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    private static bool IsSafePlain(string text)
    {
        if (text.Length == 0 || text != text.Trim()) return false;
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(text[0])) return false;
        if (text is "true" or "false" or "True" or "False" or "TRUE" or "FALSE" or "null" or "Null" or "NULL" or "~" or "yes" or "no") return false;
        if (char.IsAsciiDigit(text[0]) || text[0] is '+' or '.') return false;
        foreach (var c in text)
            if (c is ',' or '[' or ']' or '{' or '}' or '\n' or '\t' or '"' || char.IsControl(c)) return false;
        return !text.Contains(": ", StringComparison.Ordinal) && !text.Contains(" #", StringComparison.Ordinal) && !text.EndsWith(':');
    }
}

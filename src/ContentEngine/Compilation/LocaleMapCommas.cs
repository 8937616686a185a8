using ContentEngine.Diagnostics;
using ContentEngine.Yaml;

namespace ContentEngine.Compilation;

/// <summary>
/// A locale map written on one line whose text holds a comma, <c>{sv: Ja, tack, en: Yes}</c>: inside braces a comma
/// ends a text, so YAML reads <c>tack</c> as a key without a value. Such keys are glued back onto the text before
/// them, and the mistake is reported once, with the line as it should be written.
/// </summary>
internal static class LocaleMapCommas
{
    /// <summary>The entries of <paramref name="map"/> with the pieces of comma-split texts joined again; reports the first such split.</summary>
    public static List<(YScalar Key, YNode Value)> Join(YMapping map, string key, BindContext context)
    {
        var (entries, stray) = Glue(map, context);
        if (stray is not null)
        {
            // The line as the author wrote it, not with a translation file's text merged into it.
            var written = map.Written is { } w ? Glue(w, context).Entries : entries;
            var quoted = string.Join(", ", written.Select(e => $"{e.Key.Value}: {Quote(((YScalar)e.Value).Value)}"));
            context.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, stray.Location, key,
                $"has a text with a comma in it: inside {{…}} a comma ends a text, so '{stray.Value}' was read as a locale; "
                + $"put that text in quotes: {key}: {{{quoted}}}");
        }
        return entries;
    }

    private static (List<(YScalar Key, YNode Value)> Entries, YScalar? Stray) Glue(YMapping map, BindContext context)
    {
        var entries = new List<(YScalar Key, YNode Value)>();
        YScalar? stray = null;
        foreach (var (k, v) in map.Entries)
        {
            if (entries.Count > 0 && IsPiece(k, v, entries[^1], context))
            {
                stray ??= k;
                var (pk, pv) = entries[^1];
                var text = (YScalar)pv;
                entries[^1] = (pk, new YScalar($"{text.Value}, {k.Value}", isPlain: false, text.Location));
                continue;
            }
            entries.Add((k, v));
        }
        return (entries, stray);
    }

    /// <summary>A key with no value and no locale, on the line of the text before it.</summary>
    private static bool IsPiece(YScalar key, YNode value, (YScalar Key, YNode Value) previous, BindContext context) =>
        !context.Locales.Contains(key.Value) && value is YScalar { IsNull: true }
        && previous.Value is YScalar { IsNull: false } text && context.Locales.Contains(previous.Key.Value)
        && text.Location.Line == key.Location.Line && text.Location.Path == key.Location.Path;

    /// <summary>The text as YAML reads it back: plain when it can be, else in double quotes (single when it holds a double quote).</summary>
    private static string Quote(string text)
    {
        if (!text.Contains(',') && !text.Contains(": ", StringComparison.Ordinal) && text.IndexOfAny(['{', '}', '[', ']', '"', '\'', '#']) < 0) return text;
        return text.Contains('"') ? $"'{text.Replace("'", "''")}'" : $"\"{text}\"";
    }
}

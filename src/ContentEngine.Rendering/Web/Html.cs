using System.Text;

namespace ContentEngine.Rendering.Web;

/// <summary>Escaping for text and attribute values: everything an author writes passes through here.</summary>
public static class Html
{
    /// <summary>Escapes the five characters that matter in text and quoted attributes; leaves other letters as they are.</summary>
    public static string Text(string? s)
    {
        if (string.IsNullOrEmpty(s)) return string.Empty;
        if (s.AsSpan().IndexOfAny("&<>\"'") < 0) return s;
        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
            sb.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\'' => "&#39;", _ => c.ToString() });
        return sb.ToString();
    }

    public static string Attr(string? s) => Text(s);

    /// <summary>Words in lines of at most <paramref name="width"/> characters (a longer word keeps a line of its own), for text in SVG.</summary>
    public static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line.ToString());
        return lines;
    }
}

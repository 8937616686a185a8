using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ContentEngine.Diagnostics;

/// <summary>Prints diagnostics for people (with the source line and a caret), as JSON, or as SARIF 2.1.0.</summary>
public static class DiagnosticFormatter
{
    /// <summary>One line per diagnostic, no source excerpt: the golden-file form.</summary>
    public static string Plain(IEnumerable<Diagnostic> diagnostics) =>
        string.Concat(diagnostics.Select(d => d + "\n"));

    public static string Human(IEnumerable<Diagnostic> diagnostics, string programRoot, string displayRoot)
    {
        var sb = new StringBuilder();
        var lines = new Dictionary<string, string[]?>(StringComparer.Ordinal);
        foreach (var d in diagnostics)
        {
            var shown = d.Location with { Path = Join(displayRoot, d.Location.Path) };
            sb.Append(shown).Append(": ").Append(d.Severity.Name()).Append(' ').Append(d.Id).Append(": ").Append(d.Message).Append('\n');
            if (!d.Location.HasPosition) continue;
            if (!lines.TryGetValue(d.Location.Path, out var text))
            {
                try
                {
                    var full = Path.Combine(programRoot, d.Location.Path);
                    text = File.Exists(full) && new FileInfo(full).Length < 8 * 1024 * 1024 ? File.ReadAllText(full).Replace("\r\n", "\n").Split('\n') : null;
                }
                catch (IOException)
                {
                    text = null;
                }
                lines[d.Location.Path] = text;
            }
            if (text is null || d.Location.Line >= text.Length) continue;
            var line = text[d.Location.Line].TrimEnd('\r');
            var number = (d.Location.Line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var shownLine = line.Length > 200 ? line[..200] + "…" : line;
            sb.Append("  ").Append(number).Append(" | ").Append(Printable(shownLine)).Append('\n');
            var column = Math.Min(d.Location.Column, shownLine.Length);
            var width = Math.Max(1, Math.Min(d.Location.Length, Math.Max(1, shownLine.Length - column)));
            sb.Append("  ").Append(' ', number.Length).Append(" | ").Append(' ', column).Append('^').Append('~', width - 1).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The line with a tab as a space and other control characters as their visible pictures (␇), one column each, so no terminal acts on them.</summary>
    private static string Printable(string line)
    {
        if (!line.Any(char.IsControl)) return line;
        var chars = line.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            chars[i] = chars[i] switch
            {
                '\t' => ' ',
                < '\u0020' => (char)(0x2400 + chars[i]),
                '\u007F' => '\u2421',
                >= '\u0080' and <= '\u009F' => '\uFFFD',
                var c => c,
            };
        return new string(chars);
    }

    private static string Join(string root, string path) => root.Length == 0 ? path : root.TrimEnd('/') + "/" + path;

    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Json(IReadOnlyList<Diagnostic> diagnostics, string displayRoot)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            w.WriteStartObject();
            w.WriteNumber("errors", diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
            w.WriteNumber("warnings", diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning));
            w.WriteNumber("notes", diagnostics.Count(d => d.Severity == DiagnosticSeverity.Note));
            w.WriteStartArray("diagnostics");
            foreach (var d in diagnostics)
            {
                w.WriteStartObject();
                w.WriteString("code", d.Id);
                w.WriteString("severity", d.Severity.Name());
                w.WriteString("title", d.Descriptor.Title);
                w.WriteString("message", d.Message);
                w.WriteString("file", Join(displayRoot, d.Location.Path));
                if (d.Location.HasPosition)
                {
                    w.WriteNumber("line", d.Location.Line + 1);
                    w.WriteNumber("column", d.Location.Column + 1);
                    w.WriteNumber("length", d.Location.Length);
                }
                if (d.RelatedLocations.Count > 0)
                {
                    w.WriteStartArray("related");
                    foreach (var r in d.RelatedLocations)
                    {
                        w.WriteStartObject();
                        w.WriteString("file", Join(displayRoot, r.Path));
                        if (r.HasPosition)
                        {
                            w.WriteNumber("line", r.Line + 1);
                            w.WriteNumber("column", r.Column + 1);
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteString("help", d.Descriptor.HelpUri);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static string Sarif(IReadOnlyList<Diagnostic> diagnostics, string displayRoot, string toolVersion)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            w.WriteStartObject();
            w.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            w.WriteString("version", "2.1.0");
            w.WriteStartArray("runs");
            w.WriteStartObject();
            w.WriteStartObject("tool");
            w.WriteStartObject("driver");
            w.WriteString("name", "contentengine");
            w.WriteString("version", toolVersion);
            w.WriteStartArray("rules");
            var rules = DiagnosticDescriptors.All;
            foreach (var r in rules)
            {
                w.WriteStartObject();
                w.WriteString("id", r.Id);
                w.WriteString("name", string.Concat(r.Title.Split(' ', '-').Select(s => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..])));
                w.WriteStartObject("shortDescription");
                w.WriteString("text", r.Title);
                w.WriteEndObject();
                w.WriteString("helpUri", r.HelpUri);
                w.WriteStartObject("defaultConfiguration");
                w.WriteString("level", r.Severity.Name());
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("results");
            foreach (var d in diagnostics)
            {
                w.WriteStartObject();
                w.WriteString("ruleId", d.Id);
                w.WriteNumber("ruleIndex", rules.ToList().FindIndex(r => r.Id == d.Id));
                w.WriteString("level", d.Severity.Name());
                w.WriteStartObject("message");
                w.WriteString("text", d.Message);
                w.WriteEndObject();
                w.WriteStartArray("locations");
                WriteLocation(w, d.Location, displayRoot);
                w.WriteEndArray();
                if (d.RelatedLocations.Count > 0)
                {
                    w.WriteStartArray("relatedLocations");
                    var id = 0;
                    foreach (var r in d.RelatedLocations) WriteLocation(w, r, displayRoot, id++);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteLocation(Utf8JsonWriter w, Text.SourceLocation l, string displayRoot, int? id = null)
    {
        w.WriteStartObject();
        if (id is { } i) w.WriteNumber("id", i);
        w.WriteStartObject("physicalLocation");
        w.WriteStartObject("artifactLocation");
        w.WriteString("uri", Join(displayRoot, l.Path));
        w.WriteEndObject();
        if (l.HasPosition)
        {
            w.WriteStartObject("region");
            w.WriteNumber("startLine", l.Line + 1);
            w.WriteNumber("startColumn", l.Column + 1);
            w.WriteNumber("endColumn", l.Column + 1 + Math.Max(1, l.Length));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }
}

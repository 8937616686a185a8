using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentEngine.Translation;

namespace ContentEngine.Cli;

/// <summary>
/// <c>contentengine translate status &lt;program&gt;</c>: per language, how many texts are translated
/// (reviewed ones among them), stale, missing and unrecorded, and the words of their sources.
/// </summary>
public static class TranslateStatus
{
    /// <summary>How words are counted, as status says it.</summary>
    public const string WordRule = "words of the source text: runs of letters and digits (an apostrophe or hyphen inside a word keeps it one word), Markdown syntax and link addresses not counted";

    private static readonly (string Name, Func<TranslationUnit, bool> Is)[] Groups =
    [
        ("translated", u => u.State is UnitState.Translated or UnitState.Reviewed),
        ("reviewed", u => u.State == UnitState.Reviewed),
        ("stale", u => u.State == UnitState.Stale),
        ("missing", u => u.State == UnitState.Missing),
        ("unrecorded", u => u.State == UnitState.Unrecorded),
    ];

    /// <param name="format">human or json.</param>
    public static int Run(string folder, string? locale, string format, TextWriter stdout, TextWriter stderr)
    {
        if (Translate.Read(folder, locale, stdout, stderr, out var code) is not { } read) return code;
        var (sources, locales) = read;
        var display = folder.Replace('\\', '/').TrimEnd('/');
        var report = locales.Select(l => (l.Locale, l.Record, Units: sources.Units(l.Locale, l.Record))).ToList();
        stdout.Write(format == "json" ? Json(sources, report) : Human(sources, report, display));
        return CommandLine.Success;
    }

    private static string Human(TranslationSources sources, List<(string Locale, TranslationRecord? Record, IReadOnlyList<TranslationUnit> Units)> report, string display)
    {
        var sb = new StringBuilder();
        static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        foreach (var (locale, record, units) in report)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{display}: '{locale}', translated from '{sources.DefaultLocale}': {Plural.Count(units.Count, "text", "texts")}, {N(units.Sum(u => u.SourceWords))} words")
              .Append(record is null ? $" (no record yet: {TranslationRecord.ProgramPath(locale)})" : $" (record: {TranslationRecord.ProgramPath(locale)})").Append('\n');
            foreach (var (name, isIn) in Groups)
            {
                var group = units.Where(isIn).ToList();
                var label = name == "reviewed" ? "  of which reviewed" : name;
                sb.Append(CultureInfo.InvariantCulture, $"  {label,-20}{N(group.Count),7} {Plural.Form(group.Count, "text ", "texts")}{N(group.Sum(u => u.SourceWords)),9} words\n");
            }
            foreach (var unit in units.Where(u => u.State == UnitState.Stale))
            {
                var (old, now) = TranslationText.Difference(unit.RecordedSource!, unit.Source);
                sb.Append(CultureInfo.InvariantCulture, $"  stale   {display}/{unit.TargetLocation!.Value} {unit.Id}: the source said \"{old}\" and now says \"{now}\"\n");
            }
            foreach (var unit in units.Where(u => u.State == UnitState.Missing))
                sb.Append(CultureInfo.InvariantCulture, $"  missing {display}/{unit.SourceLocation} {unit.Id}: {unit.Context}\n");
        }
        if (report.Count > 0) sb.Append("Words are the ").Append(WordRule).Append(".\n");
        return sb.ToString();
    }

    private static string Json(TranslationSources sources, List<(string Locale, TranslationRecord? Record, IReadOnlyList<TranslationUnit> Units)> report)
    {
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NewLine = "\n" };
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, options))
        {
            w.WriteStartObject();
            w.WriteString("program", sources.ProgramId);
            w.WriteString("sourceLocale", sources.DefaultLocale);
            w.WriteString("words", WordRule);
            w.WriteStartArray("locales");
            foreach (var (locale, record, units) in report)
            {
                w.WriteStartObject();
                w.WriteString("locale", locale);
                if (record is null) w.WriteNull("record");
                else w.WriteString("record", TranslationRecord.ProgramPath(locale));
                w.WriteNumber("units", units.Count);
                w.WriteNumber("words", units.Sum(u => u.SourceWords));
                foreach (var (name, isIn) in Groups)
                {
                    var group = units.Where(isIn).ToList();
                    w.WriteStartObject(name);
                    w.WriteNumber("units", group.Count);
                    w.WriteNumber("words", group.Sum(u => u.SourceWords));
                    w.WriteEndObject();
                }
                w.WriteStartArray("staleUnits");
                foreach (var unit in units.Where(u => u.State == UnitState.Stale))
                {
                    w.WriteStartObject();
                    WriteUnit(w, unit);
                    w.WriteString("recordedSource", unit.RecordedSource);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("missingUnits");
                foreach (var unit in units.Where(u => u.State == UnitState.Missing))
                {
                    w.WriteStartObject();
                    WriteUnit(w, unit);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteUnit(Utf8JsonWriter w, TranslationUnit unit)
    {
        w.WriteString("id", unit.Id);
        w.WriteString("kind", unit.Kind);
        w.WriteString("context", unit.Context);
        w.WriteNumber("words", unit.SourceWords);
        w.WriteString("source", unit.Source);
        w.WriteStartObject("sourceLocation");
        WriteLocation(w, unit.SourceLocation);
        w.WriteEndObject();
        if (unit.TargetLocation is { } at)
        {
            w.WriteStartObject("targetLocation");
            WriteLocation(w, at);
            w.WriteEndObject();
        }
    }

    private static void WriteLocation(Utf8JsonWriter w, Text.SourceLocation at)
    {
        w.WriteString("file", at.Path);
        w.WriteNumber("line", at.Line + 1);
        w.WriteNumber("column", at.Column + 1);
    }
}

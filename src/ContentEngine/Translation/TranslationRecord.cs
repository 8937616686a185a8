using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentEngine.Diagnostics;
using ContentEngine.Text;

namespace ContentEngine.Translation;

/// <summary>How far a recorded translation went (XLIFF's words).</summary>
public enum RecordState { Translated, Reviewed }

/// <summary>What a unit's translation was made from: the source's hash and text at the time, and its state.</summary>
public sealed record RecordEntry(string SourceHash, string Source, RecordState State);

/// <summary>
/// The record of what each translation of a locale was made from: <c>translations/&lt;locale&gt;.json</c> in the
/// program folder, written by the tooling (never by hand), sorted by unit id so that it diffs well.
/// </summary>
public sealed class TranslationRecord
{
    public const string Folder = "translations";
    public const string Format = "contentengine-translations";
    public const int Version = 1;

    public TranslationRecord(string sourceLocale, string locale)
    {
        SourceLocale = sourceLocale;
        Locale = locale;
    }

    public string SourceLocale { get; }
    public string Locale { get; }

    /// <summary>By unit id, in ordinal order.</summary>
    public SortedDictionary<string, RecordEntry> Units { get; } = new(StringComparer.Ordinal);

    /// <summary>The record's path relative to the program folder, as diagnostics name it.</summary>
    public static string ProgramPath(string locale) => $"{Folder}/{locale}.json";

    public static string FullPath(string programDirectory, string locale) => Path.Combine(programDirectory, Folder, locale + ".json");

    /// <summary>Records that the unit's current target was translated (or reviewed) from its current source.</summary>
    public void Record(TranslationUnit unit, RecordState state = RecordState.Translated) =>
        Units[unit.Id] = new RecordEntry(TranslationText.Hash(unit.Source), unit.Source, state);

    /// <summary>Drops the entries of units that no longer exist.</summary>
    public void Prune(IEnumerable<TranslationUnit> existing)
    {
        var ids = existing.Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in Units.Keys.Where(k => !ids.Contains(k)).ToList()) Units.Remove(id);
    }

    /// <summary>A record of every unit that has a target, as translated from its current source (keeping reviewed ones reviewed).</summary>
    public static TranslationRecord Of(IEnumerable<TranslationUnit> units, string sourceLocale, string locale, TranslationRecord? previous = null)
    {
        var record = new TranslationRecord(sourceLocale, locale);
        foreach (var unit in units.Where(u => u.Target is not null))
            record.Record(unit, previous?.Units.GetValueOrDefault(unit.Id) is { State: RecordState.Reviewed } old && old.SourceHash == TranslationText.Hash(unit.Source)
                ? RecordState.Reviewed : RecordState.Translated);
        return record;
    }

    /// <summary>Reads the record of a locale; null when there is none, or it cannot be read (reported, CE0506).</summary>
    public static TranslationRecord? Read(string programDirectory, string sourceLocale, string locale, DiagnosticBag diagnostics)
    {
        var full = FullPath(programDirectory, locale);
        if (!File.Exists(full)) return null;
        var at = SourceLocation.File(ProgramPath(locale));
        if (Compilation.AssetResolver.LeavesFolder(programDirectory, ProgramPath(locale)))
        {
            diagnostics.Report(DiagnosticDescriptors.AssetOutsideProgram, at, ProgramPath(locale), Compilation.AssetResolver.CopyLinkedSource);
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(full));
            var root = document.RootElement;
            string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            if (Text(root, "format") != Format)
                return Fail($"it is not a translation record (\"format\" must be \"{Format}\")");
            if (!root.TryGetProperty("version", out var version) || !version.TryGetInt32(out var v) || v != Version)
                return Fail($"it has a version this compiler does not read (it reads version {Version})");
            if (Text(root, "locale") != locale)
                return Fail($"its \"locale\" is not '{locale}', as its file name says");
            if (Text(root, "sourceLocale") != sourceLocale)
                return Fail($"its \"sourceLocale\" is not '{sourceLocale}', the program's default language; the translations were made from another language");
            if (!root.TryGetProperty("units", out var units) || units.ValueKind != JsonValueKind.Object)
                return Fail("it has no \"units\" object");
            var record = new TranslationRecord(sourceLocale, locale);
            foreach (var unit in units.EnumerateObject())
            {
                var hash = Text(unit.Value, "sourceHash");
                var source = Text(unit.Value, "source");
                var state = Text(unit.Value, "state");
                if (hash is null || source is null || state is not ("translated" or "reviewed"))
                    return Fail($"the unit '{unit.Name}' needs \"sourceHash\", \"source\" and \"state\" (translated or reviewed)");
                record.Units[unit.Name] = new RecordEntry(hash, source, state == "reviewed" ? RecordState.Reviewed : RecordState.Translated);
            }
            return record;
        }
        catch (JsonException e)
        {
            // The line the reader stopped at, shown as the compiler shows any source line.
            if (e.LineNumber is { } line) at = new SourceLocation(at.Path, (int)line, (int)(e.BytePositionInLine ?? 0), 1);
            return Fail("it is not valid JSON" + (e.LineNumber is null ? "" : $" at line {e.LineNumber + 1}")
                + "; if a merge left conflict markers in it, keep one side of each conflict, then run 'contentengine translate record <program>' to record the translations that have no entry");
        }
        catch (IOException e)
        {
            return Fail($"it cannot be read ({e.Message})");
        }

        TranslationRecord? Fail(string why)
        {
            diagnostics.Report(DiagnosticDescriptors.TranslationRecordUnreadable, at, why + (why.StartsWith("it is not valid JSON", StringComparison.Ordinal) ? "" : "; records are written by 'contentengine translate', not by hand"));
            return null;
        }
    }

    /// <summary>The record as JSON: two-space indents, '\n' line ends, units sorted, letters unescaped, a final newline.</summary>
    public string ToJson()
    {
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NewLine = "\n" };
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, options))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteNumber("version", Version);
            w.WriteString("sourceLocale", SourceLocale);
            w.WriteString("locale", Locale);
            w.WriteStartObject("units");
            foreach (var (id, entry) in Units)
            {
                w.WriteStartObject(id);
                w.WriteString("sourceHash", entry.SourceHash);
                w.WriteString("source", entry.Source);
                w.WriteString("state", entry.State == RecordState.Reviewed ? "reviewed" : "translated");
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Writes the record into the program's translations folder (created when needed).</summary>
    public void Write(string programDirectory)
    {
        var full = FullPath(programDirectory, Locale);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, ToJson(), new UTF8Encoding(false));
    }
}

/// <summary>The units of a program in a locale, against its record.</summary>
public static class TranslationCatalog
{
    /// <summary>Reads the program's sources and the locale's record; null when the program cannot be read (reported).</summary>
    public static IReadOnlyList<TranslationUnit>? Load(string programDirectory, string locale, DiagnosticBag diagnostics)
    {
        var sources = TranslationSources.Read(programDirectory, diagnostics);
        if (sources is null) return null;
        return sources.Units(locale, TranslationRecord.Read(programDirectory, sources.DefaultLocale, locale, diagnostics));
    }
}

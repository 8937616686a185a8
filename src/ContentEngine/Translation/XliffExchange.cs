using System.Text;

namespace ContentEngine.Translation;

/// <summary>Which units an export holds.</summary>
public enum ExportSelection { All, Stale, Missing }

/// <summary>What an import changed, or would change.</summary>
public sealed record ImportResult(
    int Imported,
    int Unchanged,
    int Skipped,
    IReadOnlyList<string> ChangedFiles,
    IReadOnlyList<string> StillStale);

/// <summary>
/// The translator's round trip: a program's units in one locale as an XLIFF 2.1 document, and an XLIFF
/// document's targets written back into the translation files at each unit's exact place, with the
/// record of what each was translated from (<see cref="TranslationRecord"/>).
/// </summary>
public static class XliffExchange
{
    /// <summary>The sub-state of a unit whose source changed since it was translated (XLIFF: prefix:value, not xlf).</summary>
    public const string StaleSubState = "ce:stale";

    /// <summary>Whether a unit's text is Markdown (a body's text) rather than a YAML value or a directive attribute.</summary>
    public static bool IsMarkdown(TranslationUnit unit) =>
        unit.Id.Contains(".body.", StringComparison.Ordinal) && unit.Kind != "attribute";

    public static XliffDocument Export(TranslationSources sources, IReadOnlyList<TranslationUnit> units, string locale, ExportSelection only)
    {
        var selected = units.Where(u => only switch
        {
            ExportSelection.Stale => u.State == UnitState.Stale,
            ExportSelection.Missing => u.State == UnitState.Missing,
            _ => true,
        });
        var files = new List<XliffFile>();
        foreach (var group in selected.GroupBy(u => u.SourceLocation.Path))
        {
            var path = group.Key;
            var notes = new List<XliffNote>
            {
                new("file", $"The texts of {path} in the program '{sources.ProgramId}', to translate from '{sources.DefaultLocale}' into '{locale}'. "
                    + "Tags stand for formatting (bold, italics, a link, code, a line break) and must each stay in the translation, around the right words."),
            };
            files.Add(new XliffFile(path, notes, [.. group.Select(u => Unit(u, path))]));
        }
        return new XliffDocument(sources.ProgramId, sources.DefaultLocale, locale, files);
    }

    private static XliffUnit Unit(TranslationUnit u, string path)
    {
        var notes = new List<XliffNote> { new("context", Context(u)) };
        if (u.IsSafety)
            notes.Add(new XliffNote("safety", "A safety message: every patient must get it, in full and exactly. Translate it with particular care, and have it reviewed.", 1));
        if (u.Condition is { } condition)
            notes.Add(new XliffNote("condition", $"Shown only when {condition}"));
        notes.Add(new XliffNote("location", $"{path} line {u.SourceLocation.Line + 1}" + (u.TargetRange is { } r && r.Path != path ? $"; the translation is in {r.Path}" : "")));
        string state;
        string? sub = null;
        switch (u.State)
        {
            case UnitState.Reviewed:
                state = "reviewed";
                break;
            case UnitState.Translated or UnitState.Unrecorded:
                state = "translated";
                break;
            case UnitState.Stale:
                state = "initial";
                sub = StaleSubState;
                notes.Add(new XliffNote("needs-review", "The source has changed since this was translated: check the translation against the new source, change it where needed, and mark it translated."
                    + $" The source it was translated from was: {u.RecordedSource}", 2));
                break;
            default:
                state = "initial";
                break;
        }
        // A YAML value or a directive's attribute is plain text: no formatting to protect.
        return new XliffUnit(u.Id, state, sub, u.Source, u.Target, notes, IsMarkdown(u));
    }

    /// <summary>What the text is and where it is shown, in a sentence: "A paragraph in the module 'values', the exercise '…'".</summary>
    private static string Context(TranslationUnit u)
    {
        var what = u.Kind switch
        {
            "heading" => "A heading",
            "paragraph" => "A paragraph",
            "list-item" => "A list item",
            "passage" => "A passage of several paragraphs (translated as a whole)",
            "alt" when IsMarkdown(u) => "The description of a picture, read aloud to people who cannot see it (alt text)",
            _ => null,
        };
        var context = u.Context.Length == 0 ? u.Context : char.ToUpperInvariant(u.Context[0]) + u.Context[1..];
        return what is null ? context : $"{what} in {u.Context}";
    }

    /// <summary>
    /// Checks every unit of the XLIFF against the program and, when all are good, writes the targets of
    /// the units marked translated, reviewed or final into the translation files and the record.
    /// Anything wrong throws an <see cref="XliffException"/> before any file is written.
    /// </summary>
    public static ImportResult Import(TranslationSources sources, string xliffText)
    {
        var document = Xliff.Read(xliffText);
        if (document.ProgramId != sources.ProgramId)
            throw new XliffException($"the XLIFF is for the program '{document.ProgramId}', not '{sources.ProgramId}'; import it into its own program", 0, 0);
        if (document.SourceLocale != sources.DefaultLocale)
            throw new XliffException($"the XLIFF translates from '{document.SourceLocale}', but the program is written in '{sources.DefaultLocale}'", 0, 0);
        var locale = document.TargetLocale;
        if (locale == sources.DefaultLocale || !sources.Locales.Contains(locale))
            throw new XliffException($"the XLIFF translates into '{locale}', which is not one of the program's translated locales ({string.Join(", ", sources.Locales.Skip(1))})", 0, 0);

        var diagnostics = new Diagnostics.DiagnosticBag();
        var record = TranslationRecord.Read(sources.Root, sources.DefaultLocale, locale, diagnostics);
        if (diagnostics.HasErrors)
            throw new XliffException($"the record {TranslationRecord.ProgramPath(locale)} cannot be read: {diagnostics.Items[0].Message}", 0, 0);
        var units = sources.Units(locale, record);
        var byId = new Dictionary<string, TranslationUnit>(StringComparer.Ordinal);
        foreach (var u in units) byId[Xliff.UnitId(u.Id)] = u;

        var edits = new Dictionary<string, List<(TextRange Range, string Text)>>(StringComparer.Ordinal);
        var newRecord = record ?? new TranslationRecord(sources.DefaultLocale, locale);
        var oldJson = record?.ToJson();
        int imported = 0, unchanged = 0, skipped = 0;
        var stillStale = new List<string>();
        foreach (var x in document.Units)
        {
            XliffException Fail(string message) => new($"the unit '{x.Name ?? x.XliffId}': {message}", x.Line, x.Column, x.XliffId);
            if (!byId.TryGetValue(x.XliffId, out var unit))
                throw Fail($"there is no such unit in the program '{sources.ProgramId}' (it was removed, or its id was changed in the XLIFF); export again");
            if (x.FilePath != unit.SourceLocation.Path)
                throw Fail($"it is in <file original=\"…/{x.FilePath}\">, but the unit belongs to {unit.SourceLocation.Path}");
            var markdown = IsMarkdown(unit);
            var source = x.SourceMarkdown;
            // A tool may have re-wrapped the source: the same words in other white space are the same source.
            if (TranslationText.Normalize(source) == TranslationText.Normalize(unit.Source)) source = unit.Source;
            // The source's tags must be the ones its Markdown makes: the <originalData> was not edited.
            if (markdown ? !SameMarkup(InlineMarkup.Parse(source), x.Source) : x.Source.Any(p => p is not InlineText))
                throw Fail("its <source> or <originalData> was changed; the source and its tags are not to be edited");
            if (x.Target is not { } targetParts || x.State == "initial")
            {
                skipped++;
                continue;
            }
            var target = x.TargetMarkdown!;
            if (TranslationText.Normalize(target).Length == 0)
                throw Fail("its target is empty; translate it, or leave its state 'initial'");
            if (markdown)
            {
                var reparsed = InlineMarkup.Parse(target);
                if (!InlineMarkup.Shape(reparsed).SequenceEqual(InlineMarkup.Shape(targetParts)))
                    throw Fail($"its target's words hold Markdown characters that would make formatting of their own ({Quote(target)}); put the formatting in the tags, or write the characters another way");
                var blocks = InlineMarkup.BlockShape(source);
                if (!InlineMarkup.BlockShape(target).SequenceEqual(blocks))
                    throw Fail($"its target would change the structure of the page ({Quote(target)}): a blank line, or a '#', '-', '>' or number at the start of a line, makes a new paragraph, heading, list or quotation");
            }
            else if (targetParts.Any(p => p is not InlineText))
                throw Fail("its target has tags, but the source has none");
            else if (unit.TargetRange is { Syntax: TextSyntax.DirectiveAttribute } && target.Contains('\n'))
                throw Fail("its target has a line break, which a title cannot hold");

            var state = x.State == "translated" ? RecordState.Translated : RecordState.Reviewed;
            var entry = new RecordEntry(TranslationText.Hash(source), source, state);
            if (TranslationText.Hash(source) != unit.SourceHash) stillStale.Add(unit.Id);
            if (unit.Target == target && newRecord.Units.GetValueOrDefault(unit.Id) == entry)
            {
                unchanged++;
                continue;
            }
            (TextRange Range, Func<string, string> Write) place = unit.TargetRange is { } existing
                ? (existing, t => TranslationText.Encode(existing.Syntax, t))
                : PlaceInMap(sources, unit, locale)
                    ?? throw Fail($"the locale '{locale}' has no place for this text yet ({unit.Context}); add it to the translation file, as in the original, then import again");
            var (range, write) = place;
            if (unit.Target != target)
            {
                if (!edits.TryGetValue(range.Path, out var list)) edits[range.Path] = list = [];
                list.Add((range, write(target)));
            }
            newRecord.Units[unit.Id] = entry;
            imported++;
        }

        // Everything checked: the new texts of the files, then all written or none.
        var writes = new List<(string Full, byte[] Bytes)>();
        foreach (var (path, list) in edits.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var full = Path.Combine(sources.Root, path);
            var raw = File.ReadAllText(full);
            var bom = raw.StartsWith('\uFEFF');
            var crlf = raw.Contains("\r\n", StringComparison.Ordinal);
            var text = new StringBuilder(raw.TrimStart('\uFEFF').Replace("\r\n", "\n"));
            var ordered = list.OrderByDescending(e => e.Range.Start).ToList();
            for (var i = 1; i < ordered.Count; i++)
                if (ordered[i].Range.End > ordered[i - 1].Range.Start)
                    throw new XliffException($"two units overlap in {path}; import them one at a time", 0, 0);
            foreach (var (range, newText) in ordered)
            {
                text.Remove(range.Start, range.Length);
                text.Insert(range.Start, newText);
            }
            var result = text.ToString();
            if (crlf) result = result.Replace("\n", "\r\n");
            writes.Add((full, new UTF8Encoding(bom).GetPreamble().Concat(new UTF8Encoding(false).GetBytes(result)).ToArray()));
        }
        var json = newRecord.ToJson();
        if (imported > 0 && json != oldJson)
            writes.Add((TranslationRecord.FullPath(sources.Root, locale), new UTF8Encoding(false).GetBytes(json)));
        WriteAll(writes);
        return new ImportResult(imported, unchanged, skipped,
            [.. writes.Select(w => Path.GetRelativePath(sources.Root, w.Full).Replace('\\', '/'))], stillStale);
    }

    /// <summary>
    /// Where a missing text of a locale map goes, and how it is written there: after the default locale's
    /// entry, as "en: …" on a line of its own in a block map ("  sv: …" on its line), or as ", en: …" before
    /// the "}" of a flow map on one line. Null when the source is not a one-line entry of a map (the text
    /// then belongs in a translation file).
    /// </summary>
    private static (TextRange Range, Func<string, string> Write)? PlaceInMap(TranslationSources sources, TranslationUnit unit, string locale)
    {
        var at = unit.SourceLocation;
        if (IsMarkdown(unit) || !at.HasPosition) return null;
        var text = File.ReadAllText(Path.Combine(sources.Root, at.Path)).TrimStart('\uFEFF').Replace("\r\n", "\n");
        var file = new Text.SourceFile(at.Path, text);
        var line = file.GetLine(at.Line);
        if (at.Column + at.Length > line.Length) return null;
        var before = line[..at.Column].TrimEnd();
        var key = sources.DefaultLocale + ":";
        if (!before.EndsWith(key, StringComparison.Ordinal)) return null;
        var keyColumn = before.Length - key.Length;
        var lineStart = file.GetOffset(at.Line, 0);
        if (before[..keyColumn].Trim().Length == 0)
        {
            var next = lineStart + line.Length + 1;
            if (next > text.Length) return null;
            return (new TextRange(at.Path, next, 0, TextSyntax.YamlScalar), t => new string(' ', keyColumn) + locale + ": " + BlockScalar(t) + "\n");
        }
        var after = at.Column + at.Length;
        var close = line.IndexOf('}', after);
        if (!before.Contains('{') || close < 0 || line.IndexOf('{', after) is var inner && inner >= 0 && inner < close) return null;
        return (new TextRange(at.Path, lineStart + close, 0, TextSyntax.YamlScalar), t => ", " + locale + ": " + TranslationText.YamlScalar(t));
    }

    /// <summary>A YAML scalar for a block map's value: plain where a block allows it (commas and brackets inside are fine there), else as the engine quotes it.</summary>
    private static string BlockScalar(string text)
    {
        var quoted = TranslationText.YamlScalar(text);
        if (quoted == text || text.Length == 0 || "[]{}".Contains(text[0])) return quoted;
        var probe = TranslationText.YamlScalar(text.Replace(',', 'x').Replace('[', 'x').Replace(']', 'x').Replace('{', 'x').Replace('}', 'x'));
        return probe.StartsWith('"') ? quoted : text;
    }

    private static bool SameMarkup(IReadOnlyList<InlinePart> expected, IReadOnlyList<InlinePart> actual) =>
        TranslationText.Normalize(InlineMarkup.ToMarkdown(expected)) == TranslationText.Normalize(InlineMarkup.ToMarkdown(actual))
        && InlineMarkup.Shape(expected).SequenceEqual(InlineMarkup.Shape(actual))
        && InlineMarkup.Ids(expected).SequenceEqual(InlineMarkup.Ids(actual));

    private static string Quote(string text)
    {
        var line = text.Replace("\n", " ");
        return "\"" + (line.Length > 60 ? line[..60] + "…" : line) + "\"";
    }

    /// <summary>Writes every file through a temporary file beside it, and replaces the files only when all are written.</summary>
    private static void WriteAll(List<(string Full, byte[] Bytes)> writes)
    {
        var temps = new List<(string Temp, string Full)>();
        try
        {
            foreach (var (full, bytes) in writes)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                var temp = full + ".import-" + Guid.NewGuid().ToString("N")[..8];
                File.WriteAllBytes(temp, bytes);
                temps.Add((temp, full));
            }
        }
        catch
        {
            foreach (var (temp, _) in temps) File.Delete(temp);
            throw;
        }
        foreach (var (temp, full) in temps) File.Move(temp, full, overwrite: true);
    }
}

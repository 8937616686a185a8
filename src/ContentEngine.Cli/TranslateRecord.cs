using ContentEngine.Translation;

namespace ContentEngine.Cli;

/// <summary>
/// <c>contentengine translate record &lt;program&gt; [&lt;unit id&gt;...]</c>: records, in
/// translations/&lt;locale&gt;.json, that translations are up to date with their sources as they are now.
/// Without ids it records only the texts that have no entry yet (so it never hides a stale one);
/// with ids, those units; with --all, every translated text.
/// </summary>
public static class TranslateRecord
{
    /// <param name="unitIds">the units to record; none: the texts not yet recorded (or every one, with <paramref name="all"/>).</param>
    public static int Run(string folder, IReadOnlyList<string> unitIds, string? onlyLocale, bool all, TextWriter stdout, TextWriter stderr)
    {
        var ids = unitIds.ToHashSet(StringComparer.Ordinal);
        if (all && ids.Count > 0) return CommandLine.Fail(stderr, "translate record takes unit ids or --all, not both");
        if (Translate.Read(folder, onlyLocale, stdout, stderr, out var code) is not { } read) return code;
        var (sources, locales) = read;

        var units = locales.ToDictionary(l => l.Locale, l => sources.Units(l.Locale, l.Record), StringComparer.Ordinal);
        var unknown = ids.Where(id => !units.Values.Any(us => us.Any(u => u.Id == id))).ToList();
        if (unknown.Count > 0)
            return CommandLine.Fail(stderr, $"the program has no unit {string.Join(", ", unknown.Select(u => $"'{u}'"))}; 'contentengine translate status {folder}' lists the stale ones with their ids");
        var display = folder.Replace('\\', '/').TrimEnd('/');
        foreach (var (locale, previous) in locales)
        {
            var record = previous ?? new TranslationRecord(sources.DefaultLocale, locale);
            var recorded = 0;
            foreach (var unit in units[locale].Where(u => u.Target is not null))
            {
                var wanted = all || ids.Contains(unit.Id) || (ids.Count == 0 && unit.State == UnitState.Unrecorded);
                if (!wanted) continue;
                if (unit.State is UnitState.Translated or UnitState.Reviewed) continue; // already up to date
                record.Record(unit);
                recorded++;
            }
            var missing = units[locale].Where(u => u.Target is null && ids.Contains(u.Id)).Select(u => u.Id).ToList();
            if (missing.Count > 0)
                return CommandLine.Fail(stderr, $"{string.Join(", ", missing)} has no '{locale}' text to record; translate it first");
            var before = record.Units.Count;
            record.Prune(units[locale]);
            var pruned = before - record.Units.Count;
            if (previous is null && record.Units.Count == 0) continue;
            if (recorded > 0 || pruned > 0 || previous is null)
            {
                try
                {
                    record.Write(folder);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    stderr.WriteLine($"contentengine: cannot write {TranslationRecord.ProgramPath(locale)}: {e.Message}");
                    return CommandLine.UsageError;
                }
            }
            stdout.WriteLine($"{display}/{TranslationRecord.ProgramPath(locale)}: recorded {Plural.Count(recorded, "text", "texts")}"
                + (pruned > 0 ? $", dropped {Plural.Count(pruned, "entry", "entries")} of texts that no longer exist" : string.Empty)
                + $"; {Plural.Count(units[locale].Count(u => u.Target is not null), "translated text", "translated texts")} in all");
        }
        return CommandLine.Success;
    }
}

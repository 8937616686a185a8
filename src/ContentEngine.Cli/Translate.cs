using ContentEngine.Diagnostics;
using ContentEngine.Translation;

namespace ContentEngine.Cli;

/// <summary>
/// What the translate commands share (Commands/Translate*Command.cs parse them; TranslateStatus.cs, TranslateRecord.cs,
/// TranslateExport.cs and TranslateImport.cs run them): reading a program's sources and records.
/// </summary>
public static class Translate
{
    /// <summary>
    /// Reads a program's sources and the records of the locales asked for. Prints the diagnostics of reading
    /// and returns null (with the exit code) when the program cannot be read or a record is broken.
    /// </summary>
    internal static (TranslationSources Sources, IReadOnlyList<(string Locale, TranslationRecord? Record)> Locales)? Read(
        string folder, string? locale, TextWriter stdout, TextWriter stderr, out int exitCode)
    {
        exitCode = CommandLine.Success;
        if (!Directory.Exists(folder))
        {
            exitCode = CommandLine.Fail(stderr, $"there is no folder '{folder}'");
            return null;
        }
        var display = folder.Replace('\\', '/').TrimEnd('/');
        var bag = new DiagnosticBag();
        var sources = TranslationSources.Read(folder, bag);
        if (sources is not null && locale is not null && (locale == sources.DefaultLocale || !sources.Locales.Contains(locale)))
        {
            exitCode = CommandLine.Fail(stderr, locale == sources.DefaultLocale
                ? $"'{locale}' is the program's default language, the one its sources are written in; give a translated one ({string.Join(", ", sources.Locales.Skip(1))})"
                : $"'{locale}' is not one of the program's languages ({string.Join(", ", sources.Locales)})");
            return null;
        }
        var locales = new List<(string, TranslationRecord?)>();
        if (sources is not null)
            foreach (var l in locale is null ? sources.Locales.Skip(1) : [locale])
                locales.Add((l, TranslationRecord.Read(folder, sources.DefaultLocale, l, bag)));
        var errors = bag.Items.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (sources is null || errors.Count > 0)
        {
            stderr.Write(DiagnosticFormatter.Human(errors, folder, display));
            stderr.WriteLine($"{display}: {Plural.Count(errors.Count, "error", "errors")}; fix them first ('contentengine check {display}' says more)");
            exitCode = CommandLine.ContentErrors;
            return null;
        }
        if (sources.Locales.Length < 2)
        {
            stdout.WriteLine($"{display}: the program has one language ({sources.DefaultLocale}), so there is nothing to translate; add languages to 'locales' in program.yaml");
            return (sources, []);
        }
        return (sources, locales);
    }
}

using ContentEngine.Diagnostics;
using ContentEngine.Translation;

namespace ContentEngine.Cli;

/// <summary>
/// <c>contentengine translate &lt;command&gt;</c>: the translation commands. Each command is in its own file
/// (TranslateStatus.cs, TranslateRecord.cs, …) and is listed here, in <see cref="Usage"/> and <see cref="Run"/>.
/// </summary>
public static class Translate
{
    private static readonly string[] Commands = ["status", "record", "export", "import"];

    public const string Usage = """
        Usage: contentengine translate <command> <program> [options]

        Commands:
          status <program>             per language: the texts translated (reviewed among them), stale (the
                                       source changed since), missing and unrecorded, with their words in the
                                       source (what translators price by); --format json for tools
          record <program> [<id>...]   record that translations are up to date with their source, in
                                       translations/<locale>.json: the texts not yet recorded, the units named,
                                       or with --all every translated text
          export <program> --locale <code> [-o <file.xlf>] [--only stale|missing]
                                       the language's texts as XLIFF 2.1 for translators' tools
          import <program> <file.xlf>  write an XLIFF file's translated texts back into the program, or
                                       refuse the whole file (nothing written) when it does not fit

        Options:
          --locale <code>              one language (default: every language but the default)
          --format human|json          how status is printed (default: human)
          --all                        record: every translated text, stale ones too
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            stdout.WriteLine(Usage);
            return args.Length == 0 ? CommandLine.UsageError : CommandLine.Success;
        }
        return args[0] switch
        {
            "status" => TranslateStatus.Run(args[1..], stdout, stderr),
            "record" => TranslateRecord.Run(args[1..], stdout, stderr),
            "export" => TranslateExport.Run(args[1..], stdout, stderr),
            "import" => TranslateImport.Run(args[1..], stdout, stderr),
            _ => CommandLine.Fail(stderr, $"unknown translate command '{args[0]}'{Suggestions.DidYouMean(args[0], Commands)}; the commands are {string.Join(", ", Commands)}"),
        };
    }

    /// <summary>A translate command's arguments: positionals, options with a value, and flags.</summary>
    internal sealed class Arguments
    {
        public List<string> Positionals { get; } = [];
        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Flags { get; } = new(StringComparer.Ordinal);

        /// <returns>the arguments, or null when they are wrong (said on stderr).</returns>
        public static Arguments? Parse(string[] args, string command, IReadOnlyDictionary<string, string> valued, IReadOnlyCollection<string> flags, TextWriter stderr)
        {
            var result = new Arguments();
            for (var i = 0; i < args.Length; i++)
            {
                var a = args[i];
                if (valued.TryGetValue(a, out var what))
                {
                    if (++i >= args.Length)
                    {
                        CommandLine.Fail(stderr, $"{a} needs {what}");
                        return null;
                    }
                    result.Values[a] = args[i];
                }
                else if (flags.Contains(a)) result.Flags.Add(a);
                else if (a.StartsWith('-') && a.Length > 1)
                {
                    CommandLine.Fail(stderr, $"translate {command} has no option '{a}'{Suggestions.DidYouMean(a, [.. valued.Keys, .. flags])}");
                    return null;
                }
                else result.Positionals.Add(a);
            }
            return result;
        }
    }

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

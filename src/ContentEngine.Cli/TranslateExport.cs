using ContentEngine.Diagnostics;
using ContentEngine.Translation;

namespace ContentEngine.Cli;

/// <summary>
/// <c>contentengine translate export &lt;program&gt; --locale &lt;locale&gt; [-o &lt;file.xlf&gt;] [--only stale|missing]</c>:
/// the locale's units as XLIFF 2.1, for a translator's tool (docs/authoring.md, "Translating with XLIFF").
/// </summary>
public static class TranslateExport
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        string? program = null, locale = null, output = null;
        var only = ExportSelection.All;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--locale":
                    if (++i >= args.Count) return CommandLine.Fail(stderr, "--locale needs a locale, such as en");
                    locale = args[i];
                    break;
                case "-o" or "--output":
                    if (++i >= args.Count) return CommandLine.Fail(stderr, $"{args[i - 1]} needs a file name, such as en.xlf");
                    output = args[i];
                    break;
                case "--only":
                    if (++i >= args.Count || args[i] is not ("stale" or "missing")) return CommandLine.Fail(stderr, "--only takes stale or missing");
                    only = args[i] == "stale" ? ExportSelection.Stale : ExportSelection.Missing;
                    break;
                default:
                    if (args[i].StartsWith('-') && args[i].Length > 1) return CommandLine.Fail(stderr, $"unknown option '{args[i]}' for translate export");
                    if (program is not null) return CommandLine.Fail(stderr, "translate export takes one program folder");
                    program = args[i];
                    break;
            }
        }
        if (program is null || locale is null)
            return CommandLine.Fail(stderr, "translate export needs a program and a locale: contentengine translate export <program> --locale <locale> -o <file.xlf>");
        if (!Directory.Exists(program)) return CommandLine.Fail(stderr, $"there is no folder '{program}'");

        var diagnostics = new DiagnosticBag();
        var sources = TranslationSources.Read(program, diagnostics);
        var display = program.Replace('\\', '/').TrimEnd('/');
        if (sources is null || diagnostics.HasErrors)
        {
            stdout.Write(DiagnosticFormatter.Human(diagnostics.Items, program, display));
            stderr.WriteLine($"{display}: the program cannot be read; nothing was exported");
            return CommandLine.ContentErrors;
        }
        if (locale == sources.DefaultLocale || !sources.Locales.Contains(locale))
            return CommandLine.Fail(stderr, $"'{locale}' is not one of the program's translated locales ({string.Join(", ", sources.Locales.Skip(1))}); the sources are in '{sources.DefaultLocale}'");
        var units = sources.Units(locale, TranslationRecord.Read(sources.Root, sources.DefaultLocale, locale, diagnostics));
        if (diagnostics.HasErrors)
        {
            stdout.Write(DiagnosticFormatter.Human(diagnostics.Items, program, display));
            stderr.WriteLine($"{display}: nothing was exported");
            return CommandLine.ContentErrors;
        }
        var document = XliffExchange.Export(sources, units, locale, only);
        if (document.Files.Count == 0)
        {
            // XLIFF needs at least one <file>: with nothing to translate, no file is written.
            stderr.WriteLine($"{display}: no {(only == ExportSelection.Stale ? "stale" : only == ExportSelection.Missing ? "missing" : "")} units in '{locale}'; nothing was exported".Replace("no  units", "no units", StringComparison.Ordinal));
            return CommandLine.Success;
        }
        var xml = Xliff.Write(document);
        var exported = document.Files.SelectMany(f => f.Units).ToList();
        if (output is null) stdout.Write(xml);
        else
        {
            try
            {
                var dir = Path.GetDirectoryName(Path.GetFullPath(output));
                if (dir is not null) Directory.CreateDirectory(dir);
                File.WriteAllText(output, xml, new System.Text.UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"contentengine: '{output}' cannot be written ({e.Message})");
                return CommandLine.UsageError;
            }
        }
        var ids = exported.Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        var chosen = units.Where(u => ids.Contains(u.Id)).ToList();
        var words = chosen.Sum(u => u.SourceWords);
        stderr.WriteLine($"{output ?? "stdout"}: {Plural.Count(chosen.Count, "unit", "units")} ({Plural.Count(words, "word", "words")}) from '{sources.DefaultLocale}' into '{locale}'"
            + $"; {chosen.Count(u => u.State == UnitState.Stale)} stale, {chosen.Count(u => u.State == UnitState.Missing)} missing");
        return CommandLine.Success;
    }
}

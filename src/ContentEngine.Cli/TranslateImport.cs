using ContentEngine.Diagnostics;
using ContentEngine.Translation;

namespace ContentEngine.Cli;

/// <summary>
/// <c>contentengine translate import &lt;program&gt; &lt;file.xlf&gt;</c>: writes the translated units of an XLIFF
/// file into the program's translation files and records what each was translated from. A file that does
/// not fit the program (another program, unknown units, broken tags) is refused whole: nothing is written.
/// </summary>
public static class TranslateImport
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        foreach (var a in args)
            if (a.StartsWith('-') && a.Length > 1) return CommandLine.Fail(stderr, $"unknown option '{a}' for translate import");
        if (args.Count != 2) return CommandLine.Fail(stderr, "translate import takes a program and an XLIFF file: contentengine translate import <program> <file.xlf>");
        var (program, file) = (args[0], args[1]);
        if (!Directory.Exists(program)) return CommandLine.Fail(stderr, $"there is no folder '{program}'");
        if (!File.Exists(file)) return CommandLine.Fail(stderr, $"there is no file '{file}'");

        var diagnostics = new DiagnosticBag();
        var sources = TranslationSources.Read(program, diagnostics);
        var display = program.Replace('\\', '/').TrimEnd('/');
        if (sources is null || diagnostics.HasErrors)
        {
            stdout.Write(DiagnosticFormatter.Human(diagnostics.Items, program, display));
            stderr.WriteLine($"{display}: the program cannot be read; nothing was written");
            return CommandLine.ContentErrors;
        }
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (IOException e)
        {
            stderr.WriteLine($"contentengine: '{file}' cannot be read ({e.Message})");
            return CommandLine.UsageError;
        }
        ImportResult result;
        try
        {
            result = XliffExchange.Import(sources, text);
        }
        catch (XliffException e)
        {
            var at = e.Line > 0 ? $"{file}({e.Line},{e.Column})" : file;
            stdout.WriteLine($"{at}: error: {e.Message}");
            stderr.WriteLine($"{file}: refused; nothing was written");
            return CommandLine.ContentErrors;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"contentengine: the translations cannot be written ({e.Message}); nothing was changed");
            return CommandLine.UsageError;
        }
        foreach (var id in result.StillStale)
            stdout.WriteLine($"{file}: warning: the unit '{id}' was translated from an older source (the source changed after the export); it stays stale until it is translated again");
        stderr.WriteLine($"{file}: imported {Plural.Count(result.Imported, "unit", "units")}"
            + (result.ChangedFiles.Count == 0 ? ", no file changed" : $" into {string.Join(", ", result.ChangedFiles)}")
            + $"; {result.Unchanged} unchanged, {result.Skipped} not yet translated (state initial or no target)");
        return CommandLine.Success;
    }
}

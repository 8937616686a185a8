using ContentEngine.Translation;

namespace ContentEngine.Cli;

/// <summary>
/// <c>contentengine translate import &lt;program&gt; &lt;file.xlf&gt;</c>: writes the translated units of an XLIFF
/// file into the program's translation files and records what each was translated from. A file that does
/// not fit the program (another program, unknown units, broken tags) is refused whole: nothing is written.
/// </summary>
public static class TranslateImport
{
    public static int Run(string program, string file, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(file)) return CommandLine.Fail(stderr, $"there is no file '{file}'");
        // The program must read clean (and every record with it) before anything is written into it.
        var read = Translate.Read(program, null, stdout, stderr, out var exit);
        if (read is null) return exit;
        var sources = read.Value.Sources;
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

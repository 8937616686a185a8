using ContentEngine.Translation;

namespace ContentEngine.Cli;

/// <summary>
/// <c>contentengine translate export &lt;program&gt; --locale &lt;locale&gt; [-o &lt;file.xlf&gt;] [--only stale|missing]</c>:
/// the locale's units as XLIFF 2.1, for a translator's tool (docs/authoring.md, "Translating with XLIFF").
/// </summary>
public static class TranslateExport
{
    /// <param name="output">the file to write; null: standard output.</param>
    public static int Run(string program, string locale, string? output, ExportSelection only, TextWriter stdout, TextWriter stderr)
    {
        var display = program.Replace('\\', '/').TrimEnd('/');
        var read = Translate.Read(program, locale, stdout, stderr, out var exit);
        if (read is null) return exit;
        var (sources, locales) = read.Value;
        if (locales.Count == 0) return CommandLine.Success;
        var units = sources.Units(locale, locales[0].Record);
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

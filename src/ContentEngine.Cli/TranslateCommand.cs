namespace ContentEngine.Cli;

/// <summary><c>contentengine translate &lt;subcommand&gt;</c>: the translators' commands, each with its own options.</summary>
public static class TranslateCommand
{
    public const string Usage = """
        Usage: contentengine translate <command> <program> [options]

          export <program> --locale <locale> [-o <file.xlf>] [--only stale|missing]
                                       write the locale's texts as XLIFF 2.1 for a translation tool
          import <program> <file.xlf>  write the translated texts of an XLIFF file back into the program
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h")
        {
            stdout.WriteLine(Usage);
            return args.Count == 0 ? CommandLine.UsageError : CommandLine.Success;
        }
        var rest = args.Skip(1).ToList();
        return args[0] switch
        {
            "export" => TranslateExport.Run(rest, stdout, stderr),
            "import" => TranslateImport.Run(rest, stdout, stderr),
            _ => CommandLine.Fail(stderr, $"unknown translate command '{args[0]}'{Diagnostics.Suggestions.DidYouMean(args[0], ["export", "import"])}"),
        };
    }
}

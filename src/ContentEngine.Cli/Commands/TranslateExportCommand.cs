using System.CommandLine;
using ContentEngine.Translation;

namespace ContentEngine.Cli.Commands;

/// <summary><c>contentengine translate export &lt;program&gt; --locale &lt;code&gt;</c> (<see cref="TranslateExport"/>).</summary>
internal static class TranslateExportCommand
{
    public static Command Create(CommonOptions common)
    {
        var program = TranslateCommand.ProgramArgument();
        var locale = CommonOptions.Text("--locale", "code", "a language, such as en", "the language to export (not the default one)");
        locale.Required = true;
        var output = CommonOptions.Text("--output", "file.xlf", "a file name, such as en.xlf", "the XLIFF file to write (default: standard output)", "-o");
        var only = CommonOptions.Valued<ExportSelection?>("--only", "stale|missing", "stale or missing", "only the stale units, or only the missing ones (default: every unit)",
            text => text switch { "stale" => ExportSelection.Stale, "missing" => ExportSelection.Missing, _ => null }, "--only takes stale or missing");
        var command = new ContentEngineCommand("export", "the language's texts as XLIFF 2.1 for translators' tools",
            "translate export takes a program and a language: contentengine translate export <program> --locale <code> -o <file.xlf>") { program, locale, output, only };
        command.SetAction((result, stdout, stderr) =>
            TranslateExport.Run(result.GetValue(program)!, result.GetValue(locale)!, result.GetValue(output), result.GetValue(only) ?? ExportSelection.All, stdout, stderr));
        return command;
    }
}

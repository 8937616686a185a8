using System.CommandLine;

namespace ContentEngine.Cli.Commands;

/// <summary><c>contentengine translate status &lt;program&gt;</c> (<see cref="TranslateStatus"/>).</summary>
internal static class TranslateStatusCommand
{
    public static Command Create(CommonOptions common)
    {
        var program = TranslateCommand.ProgramArgument();
        var command = new ContentEngineCommand("status",
            "per language: the texts translated (reviewed among them), stale (the source changed since), missing and unrecorded, with the words of their sources (what translators price by)",
            "translate status takes one program folder: contentengine translate status <program>") { program, common.Locale, common.ReportFormat };
        command.SetAction((result, stdout, stderr) =>
            TranslateStatus.Run(result.GetValue(program)!, result.GetValue(common.Locale), result.GetValue(common.ReportFormat)!, stdout, stderr));
        return command;
    }
}

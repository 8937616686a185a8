using System.CommandLine;

namespace ContentEngine.Cli.Commands;

/// <summary><c>contentengine translate record &lt;program&gt; [&lt;id&gt;...]</c> (<see cref="TranslateRecord"/>).</summary>
internal static class TranslateRecordCommand
{
    public static Command Create(CommonOptions common)
    {
        var program = TranslateCommand.ProgramArgument();
        var ids = new Argument<string[]>("id")
        {
            Description = "the units to record, by the ids status prints (default: the texts that have no entry yet)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var all = CommonOptions.Flag("--all", "record every translated text, stale ones too");
        var command = new ContentEngineCommand("record",
            "record in translations/<locale>.json that translations are up to date with their sources: the texts not yet recorded, the units named, or with --all every translated text",
            "translate record takes a program folder: contentengine translate record <program> [<unit id>...]") { program, ids, common.Locale, all };
        command.SetAction((result, stdout, stderr) =>
            TranslateRecord.Run(result.GetValue(program)!, result.GetValue(ids) ?? [], result.GetValue(common.Locale), result.GetValue(all), stdout, stderr));
        return command;
    }
}

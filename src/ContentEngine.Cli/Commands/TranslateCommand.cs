using System.CommandLine;

namespace ContentEngine.Cli.Commands;

/// <summary>
/// <c>contentengine translate &lt;command&gt;</c>: the translation commands, one file each
/// (TranslateStatusCommand.cs, …); given none, help lists them.
/// </summary>
internal static class TranslateCommand
{
    public static Command Create(CommonOptions common) =>
        new("translate", "translations: what is translated, stale and missing; recording them up to date; XLIFF for translators' tools")
        {
            TranslateStatusCommand.Create(common),
            TranslateRecordCommand.Create(common),
            TranslateExportCommand.Create(common),
            TranslateImportCommand.Create(),
        };

    /// <summary>The program folder every translate command takes first.</summary>
    public static Argument<string> ProgramArgument() => new("program") { Description = "the program's folder, the one holding program.yaml and translations/" };
}

using System.CommandLine;

namespace ContentEngine.Cli.Commands;

/// <summary><c>contentengine translate import &lt;program&gt; &lt;file.xlf&gt;</c> (<see cref="TranslateImport"/>).</summary>
internal static class TranslateImportCommand
{
    public static Command Create()
    {
        var program = TranslateCommand.ProgramArgument();
        var file = new Argument<string>("file.xlf") { Description = "the XLIFF file the translator sent back" };
        var command = new ContentEngineCommand("import",
            "write an XLIFF file's translated texts back into the program, or refuse the whole file (nothing written) when it does not fit",
            "translate import takes a program and an XLIFF file: contentengine translate import <program> <file.xlf>") { program, file };
        command.SetAction((result, stdout, stderr) => TranslateImport.Run(result.GetValue(program)!, result.GetValue(file)!, stdout, stderr));
        return command;
    }
}

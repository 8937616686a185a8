using System.CommandLine;

namespace ContentEngine.Cli.Commands;

/// <summary>
/// <c>contentengine serve &lt;program&gt;</c>: the live preview until Ctrl+C (<see cref="Preview.ServeCommand"/>),
/// on a port of its own choosing unless --port names one.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CommonOptions common)
    {
        var program = CheckCommand.ProgramArgument();
        var port = CommonOptions.Valued<int?>("--port", "n", "a port number", "the port the preview listens on (default: a free one)",
            text => int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 65535 ? n : null,
            "--port takes a port number from 1 to 65535");
        var command = new ContentEngineCommand("serve",
            "preview the program on 127.0.0.1 with live reload: every edit rebuilds what it touched (Ctrl+C stops)",
            "serve takes one program folder: contentengine serve <program> [--port <n>]") { program, port, common.Today };
        command.SetAction((result, stdout, stderr) => Preview.ServeCommand.Run([result.GetValue(program)!], result.GetValue(port), result.GetValue(common.Today), stdout, stderr));
        return command;
    }
}

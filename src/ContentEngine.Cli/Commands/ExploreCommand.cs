using System.CommandLine;

namespace ContentEngine.Cli.Commands;

/// <summary>
/// <c>contentengine explore &lt;program&gt;</c>: tries every condition on every kind of patient the program can
/// meet (<see cref="Explore"/>), and writes the witnesses and the HTML report when asked.
/// </summary>
internal static class ExploreCommand
{
    public static Command Create(CommonOptions common)
    {
        var program = CheckCommand.ProgramArgument();
        var witnesses = CommonOptions.Text("--witnesses", "dir", "a folder",
            "write, for every optional module and ::: if block, a patient who gets it and one who does not, as stored patient states");
        var html = CommonOptions.Text("--html", "file", "a file name, such as explore.html",
            "write a report to read in a browser: the findings, and per phase and week what is shown to whom");
        var command = new ContentEngineCommand("explore",
            "try every condition on every kind of patient: what no one or everyone gets, phases' recommendations, safety messages, the heaviest week",
            "explore takes one program folder: contentengine explore <program>") { program, witnesses, html, common.Format, common.WarnAsError, common.Today };
        command.SetAction((result, stdout, stderr) => Explore.Run([result.GetValue(program)!], result.GetValue(common.Format)!, result.GetValue(common.WarnAsError),
            result.GetValue(common.Today), result.GetValue(witnesses), result.GetValue(html), stdout, stderr));
        return command;
    }
}

using System.CommandLine;

namespace ContentEngine.Cli.Commands;

/// <summary><c>contentengine diff &lt;old&gt; &lt;new&gt;</c>: what changed between two versions of a program and what it means for patients (<see cref="Diff"/>).</summary>
internal static class DiffCommand
{
    public static Command Create(CommonOptions common)
    {
        var old = new Argument<string>("old.cepkg") { Description = "the package of the earlier version (the one published)" };
        var @new = new Argument<string>("new.cepkg") { Description = "the package of the new version, of the same program" };
        var command = new ContentEngineCommand("diff",
            "verify two packages of one program and print what changed between the versions and what it means for patients already in the program",
            "diff takes two packages of one program, the old version first: contentengine diff <old.cepkg> <new.cepkg>") { old, @new, common.ReportFormat };
        command.SetAction((result, stdout, stderr) => Diff.Run([result.GetValue(old)!, result.GetValue(@new)!], result.GetValue(common.ReportFormat)!, stdout, stderr));
        return command;
    }
}

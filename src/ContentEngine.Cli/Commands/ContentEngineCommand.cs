using System.CommandLine;

namespace ContentEngine.Cli.Commands;

/// <summary>
/// A command of <c>contentengine</c> with the one line said when its arguments are wrong ("check takes one
/// program folder: contentengine check &lt;program&gt;"), and an action that returns the exit code.
/// </summary>
internal sealed class ContentEngineCommand : Command
{
    public ContentEngineCommand(string name, string description, string usage) : base(name, description) => Usage = usage;

    /// <summary>What the command takes, said when an argument is missing or one too many.</summary>
    public string Usage { get; }

    /// <summary>Runs <paramref name="run"/> with the parse result and the writers of this invocation.</summary>
    public void SetAction(Func<ParseResult, TextWriter, TextWriter, int> run) =>
        SetAction(result => run(result, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
}

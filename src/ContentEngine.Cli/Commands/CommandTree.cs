using System.CommandLine;
using System.CommandLine.Help;

namespace ContentEngine.Cli.Commands;

/// <summary>
/// Every command of <c>contentengine</c>, built in one place: the root, one command per file of this folder,
/// and the options they share (<see cref="CommonOptions"/>). Help is generated from this tree.
/// </summary>
internal static class CommandTree
{
    public static RootCommand Create()
    {
        var common = new CommonOptions();
        var root = new RootCommand("Checks rehabilitation programs written as Markdown and YAML, builds their web, print and audio bundles and packages, previews them, and compares versions. "
            + "Exit codes: 0 success, 1 the content has errors, 2 wrong usage or environment, 3 an internal error.")
        {
            NewCommand.Create(),
            CheckCommand.Create(common),
            BuildCommand.Create(common),
            InspectCommand.Create(),
            ExploreCommand.Create(common),
            DiffCommand.Create(common),
            ServeCommand.Create(common),
            TranslateCommand.Create(common),
            KeyCommand.Create(),
        };
        // Named as installed, however it is started (dotnet run, the tests' host).
        root.HelpName = "contentengine";
        foreach (var option in root.Options)
        {
            // The version of the build without its source revision, as CommandLine.Version says it.
            if (option is VersionOption version)
            {
                version.Action = new VersionAction();
                version.Description = "print the version of contentengine";
            }
            if (option is HelpOption help) help.Description = "show help and usage: of contentengine, or of the command before it";
        }
        return root;
    }

    /// <summary>A command's words after <c>contentengine</c>: "translate status"; empty for the root.</summary>
    public static string PathOf(Command command)
    {
        var words = new List<string>();
        for (Symbol? s = command; s is Command c && c is not RootCommand; s = c.Parents.FirstOrDefault())
            words.Insert(0, c.Name);
        return string.Join(' ', words);
    }

    /// <summary>Every command below the root, parents before their subcommands.</summary>
    public static IEnumerable<Command> All(Command command)
    {
        foreach (var sub in command.Subcommands)
        {
            yield return sub;
            foreach (var below in All(sub)) yield return below;
        }
    }

    private sealed class VersionAction : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(CommandLine.Version);
            return CommandLine.Success;
        }
    }
}

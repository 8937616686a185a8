using System.CommandLine;
using System.Reflection;
using ContentEngine.Cli.Commands;

namespace ContentEngine.Cli;

/// <summary>The <c>contentengine</c> command: runs the command the arguments name in the tree of <see cref="CommandTree"/> and returns its exit code.</summary>
public static class CommandLine
{
    public const int Success = 0;
    public const int ContentErrors = 1;
    public const int UsageError = 2;
    public const int InternalError = 3;

    public static string Version => typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return await Task.Run(() => Run(args, stdout, stderr));
        }
        catch (Exception e)
        {
            stderr.WriteLine($"contentengine: internal error ({e.GetType().Name}: {e.Message}); please report it with the program that caused it");
            return InternalError;
        }
    }

    internal static int Fail(TextWriter stderr, string message) => Fail(stderr, message, string.Empty);

    private static int Fail(TextWriter stderr, string message, string command)
    {
        stderr.WriteLine($"contentengine: {message}");
        stderr.WriteLine($"Run 'contentengine {(command.Length == 0 ? string.Empty : command + " ")}--help' for usage.");
        return UsageError;
    }

    private static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // 'contentengine help [<command>]' is 'contentengine [<command>] --help'.
        if (args is ["help", .. var rest]) args = [.. rest, "--help"];
        var root = CommandTree.Create();
        // No response files (@file) and no Ctrl+C handling of the library's own: serve stops itself cleanly.
        var parsing = new ParserConfiguration { ResponseFileTokenReplacer = null };
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        var result = root.Parse(args, parsing);
        if (result.Action is { ClearsParseErrors: true }) return result.Invoke(invocation); // --help, --version
        if (UsageErrors.NeedsSubcommand(result))
        {
            // No command at all (or 'translate' alone): what there is to run, and exit code 2.
            root.Parse([.. CommandTree.PathOf(result.CommandResult.Command).Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"], parsing).Invoke(invocation);
            return UsageError;
        }
        if (UsageErrors.Find(result) is { } message) return Fail(stderr, message, CommandTree.PathOf(result.CommandResult.Command));
        return result.Invoke(invocation);
    }

    /// <summary>What a program holds, as check's last line says it: "16 modules, 11 worksheets, 2 locales".</summary>
    public static string Summary(Model.ProgramGraph graph) =>
        $"{Plural.Count(graph.Modules.Length, "module", "modules")}, {Plural.Count(graph.Worksheets.Length, "worksheet", "worksheets")}, {Plural.Count(graph.Locales.Length, "locale", "locales")}";
}

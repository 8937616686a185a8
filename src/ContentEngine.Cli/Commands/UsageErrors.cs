using System.CommandLine;
using System.CommandLine.Parsing;
using ContentEngine.Diagnostics;

namespace ContentEngine.Cli.Commands;

/// <summary>
/// What is wrong with the words given, in one line: an unknown command or option (with the closest name),
/// a value an option refuses, an argument missing or one too many (the command's usage).
/// </summary>
internal static class UsageErrors
{
    /// <returns>the message, or null when the command line is right.</returns>
    public static string? Find(ParseResult result)
    {
        var command = result.CommandResult.Command;
        var path = CommandTree.PathOf(command);
        // A word starting with '-' that no option took: taken by an argument, or by nothing.
        var words = result.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value).Concat(result.UnmatchedTokens);
        if (words.FirstOrDefault(w => w.Length > 1 && w[0] == '-') is { } option)
        {
            var known = command.Options.Concat(result.RootCommandResult.Command.Options.Where(o => o.Recursive))
                .SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));
            return (path.Length == 0 ? $"unknown option '{option}'" : $"{path} has no option '{option}'") + Suggestions.DidYouMean(option, known);
        }
        if (result.UnmatchedTokens.FirstOrDefault() is { } word)
        {
            if (command.Subcommands.Count == 0) return Usage(command);
            var names = command.Subcommands.Select(c => c.Name).ToList();
            return path.Length == 0
                ? $"unknown command '{word}'{Suggestions.DidYouMean(word, names)}"
                : $"unknown {path} command '{word}'{Suggestions.DidYouMean(word, names)}; the commands are {string.Join(", ", names)}";
        }
        if (result.Errors.Count == 0) return null;
        foreach (var error in result.Errors)
        {
            var given = error.SymbolResult as OptionResult ?? (error.SymbolResult as ArgumentResult)?.Parent as OptionResult;
            // An option given without its value; a required option not given at all is the command's usage.
            if (given is { Implicit: false, IdentifierToken: { } written })
                return given.Tokens.Count == 0 ? CommonOptions.Missing(given.Option, written.Value) : error.Message;
        }
        return Usage(command);
    }

    /// <summary>A command that only groups others, given none of them: its help is shown, as for no command at all.</summary>
    public static bool NeedsSubcommand(ParseResult result) =>
        result.CommandResult.Command is { Action: null, Subcommands.Count: > 0 } && result.UnmatchedTokens.Count == 0;

    private static string Usage(Command command) => command is ContentEngineCommand c ? c.Usage : command.Description ?? command.Name;
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ContentEngine.Cli.Commands;

/// <summary>
/// The options that mean the same thing wherever they appear, one instance each, added to every command
/// that takes them; and the way every valued option here is made: its value checked by a parser of its own
/// that says in one line what it takes.
/// </summary>
internal sealed class CommonOptions
{
    /// <summary>How diagnostics are printed: check, build and explore.</summary>
    public Option<string> Format { get; } = FormatOption("human", "json", "sarif");

    /// <summary>How a report is printed where there are no diagnostics to print as SARIF: diff, translate status.</summary>
    public Option<string> ReportFormat { get; } = FormatOption("human", "json");

    public Option<bool> WarnAsError { get; } = Flag("--warnaserror", "treat every warning as an error: the command fails (exit code 1) and build writes nothing");

    public Option<DateOnly?> Today { get; } = Valued<DateOnly?>("--today", "YYYY-MM-DD", "a date written YYYY-MM-DD",
        "the day review dates are judged against (default: today)",
        text => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null,
        "--today takes a date written YYYY-MM-DD");

    /// <summary>A language of the program: the translate commands.</summary>
    public Option<string?> Locale { get; } = Text("--locale", "code", "a language code, such as en",
        "one language (default: every language but the default)");

    /// <summary>What each valued option needs, as said when its value is missing: "a folder".</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Option, string> Needs = [];

    /// <summary>"-o needs a folder": the option as it was written, and what it needs.</summary>
    public static string Missing(Option option, string written) =>
        $"{written} needs {(Needs.TryGetValue(option, out var needs) ? needs : $"<{option.HelpName}>")}";

    /// <summary>An option whose value is any text (a folder, a file name, a language code).</summary>
    public static Option<string?> Text(string name, string helpName, string needs, string description, params string[] aliases) =>
        Valued<string?>(name, helpName, needs, description, text => text, string.Empty, aliases);

    /// <summary>An option that takes no value.</summary>
    public static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>
    /// An option with one value, read by <paramref name="read"/>: null means the value is refused, with
    /// <paramref name="refused"/> as the message. A missing value says the option <paramref name="needs"/> something.
    /// </summary>
    public static Option<T> Valued<T>(string name, string helpName, string needs, string description, Func<string, T?> read, string refused, params string[] aliases)
    {
        var option = new Option<T>(name, aliases) { Description = description, HelpName = helpName, Arity = ArgumentArity.ExactlyOne };
        Needs.AddOrUpdate(option, needs);
        option.CustomParser = result =>
        {
            var given = (OptionResult)result.Parent!;
            if (given.Implicit) return default;
            var said = given.IdentifierToken?.Value ?? name;
            if (result.Tokens.Count == 0)
            {
                result.AddError(Missing(option, said));
                return default;
            }
            var value = read(result.Tokens[0].Value);
            if (value is null) result.AddError(refused);
            return value;
        };
        return option;
    }

    private static Option<string> FormatOption(params string[] formats)
    {
        var list = formats.Length == 2 ? $"{formats[0]} or {formats[1]}" : $"{string.Join(", ", formats[..^1])} or {formats[^1]}";
        var option = new Option<string>("--format")
        {
            Description = $"how the output is printed: {list}",
            HelpName = string.Join('|', formats),
            Arity = ArgumentArity.ExactlyOne,
            DefaultValueFactory = _ => "human",
        };
        Needs.AddOrUpdate(option, list);
        option.CustomParser = result =>
        {
            var command = ((CommandResult)result.Parent!.Parent!).Command;
            if (result.Tokens.Count == 1 && formats.Contains(result.Tokens[0].Value)) return result.Tokens[0].Value;
            result.AddError($"{CommandTree.PathOf(command)} prints --format {list}");
            return "human";
        };
        return option;
    }
}

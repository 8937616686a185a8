using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using ContentEngine.Cli;
using ContentEngine.Cli.Commands;

namespace ContentEngine.Tests;

/// <summary>
/// The command reference cannot drift from the command line: every command and option that --help lists is in
/// README.md's command table and in docs/authoring.md's "The commands", and every one they name exists.
/// </summary>
public sealed partial class HelpReferenceTests
{
    private static readonly RootCommand Root = CommandTree.Create();

    /// <summary>Every command with its path ("translate status"), leaf or not.</summary>
    private static IEnumerable<(string Path, Command Command)> Commands() => CommandTree.All(Root).Select(c => (CommandTree.PathOf(c), c));

    /// <summary>What a reader types for a command's options (help itself aside, which every command has).</summary>
    private static IEnumerable<Option> OptionsOf(Command command) => command.Options.Where(o => o is not HelpOption);

    private static IEnumerable<string> Names(Option o) => o.Aliases.Prepend(o.Name);

    [GeneratedRegex(@"(?<![\w<.-])--?[a-z][a-z-]*")]
    private static partial Regex OptionWord();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex CodeSpan();

    /// <summary>The command a synopsis starts with ("translate export" of "translate export &lt;program&gt; --locale …"), or null.</summary>
    private static string? CommandOf(string synopsis)
    {
        var words = synopsis.Replace("contentengine ", string.Empty, StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .TakeWhile(w => Regex.IsMatch(w, "^[a-z]+$")).ToList();
        for (var n = words.Count; n > 0; n--)
        {
            var path = string.Join(' ', words.Take(n));
            if (Commands().Any(c => c.Path == path)) return path;
        }
        return null;
    }

    private static HashSet<string> OptionWords(string text) => [.. OptionWord().Matches(text.Replace("\\|", "|", StringComparison.Ordinal)).Select(m => m.Value)];

    /// <summary>The options documented for each command, and the commands documented, in README.md's table of commands.</summary>
    private static Dictionary<string, HashSet<string>> Readme()
    {
        var text = File.ReadAllText(TestPaths.Repo("README.md"));
        var section = text[text.IndexOf("\n## Using it", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        var documented = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var synopsis = CodeSpan().Match(line).Groups[1].Value;
            var command = CommandOf(synopsis);
            Assert.True(command is not null, $"README.md names a command that does not exist: {synopsis}");
            documented[command!] = OptionWords(synopsis);
        }
        return documented;
    }

    /// <summary>
    /// The options documented for each command in docs/authoring.md's "The commands": those in its subsection
    /// (the heading, code spans that are options, lines of code examples) and the rows of the options table naming it.
    /// </summary>
    private static (Dictionary<string, HashSet<string>> Commands, HashSet<string> Root) Docs()
    {
        var text = File.ReadAllText(TestPaths.Repo("docs", "authoring.md"));
        var section = text[text.IndexOf("\n## 15. The commands", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        var documented = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var root = new HashSet<string>(StringComparer.Ordinal);
        List<string> current = [];
        var fenced = false;
        var optionsTable = false;
        foreach (var line in section.Split('\n'))
        {
            optionsTable = line.StartsWith("| option | commands |", StringComparison.Ordinal) || optionsTable && line.StartsWith('|');
            if (line.StartsWith("```", StringComparison.Ordinal)) fenced = !fenced;
            else if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                current = [.. CodeSpan().Matches(line).Select(m => CommandOf(m.Groups[1].Value)).OfType<string>()];
                foreach (var c in current) documented.TryAdd(c, []);
                foreach (var m in CodeSpan().Matches(line).Cast<Match>())
                    foreach (var c in current) documented[c].UnionWith(OptionWords(m.Groups[1].Value));
            }
            else if (fenced && line.StartsWith("contentengine ", StringComparison.Ordinal) && CommandOf(line) is { } example)
                documented[example].UnionWith(OptionWords(line));
            else if (optionsTable && line.StartsWith("| `-", StringComparison.Ordinal))
            {
                // The options table: | `--format json` | `check`, `build`, … | what it does |
                var cells = line.Split(" | ");
                var options = OptionWords(cells[0]);
                var named = CodeSpan().Matches(cells[1]).Select(m => m.Groups[1].Value).ToList();
                foreach (var c in named)
                {
                    if (c == "contentengine") root.UnionWith(options);
                    else
                    {
                        Assert.True(Commands().Any(x => x.Path == c), $"docs/authoring.md's options table names a command that does not exist: {c}");
                        documented.TryAdd(c, []);
                        documented[c].UnionWith(options);
                    }
                }
            }
            else if (!fenced && current.Count > 0)
                foreach (var word in CodeSpan().Matches(line).Cast<Match>().Where(m => m.Groups[1].Value.StartsWith('-')).SelectMany(m => OptionWords(m.Groups[1].Value)))
                {
                    // In a section on two commands, an option is the one's that has it (one neither has fails below).
                    var owners = current.Where(c => OptionsOf(Commands().Single(x => x.Path == c).Command).Any(o => Names(o).Contains(word))).ToList();
                    foreach (var c in owners.Count > 0 ? owners : current) documented[c].Add(word);
                }
        }
        return (documented, root);
    }

    public static TheoryData<string> References => ["README.md", "docs/authoring.md"];

    [Theory]
    [MemberData(nameof(References))]
    public void EveryCommandAndOptionIsDocumentedAndEveryDocumentedOneExists(string reference)
    {
        var documented = reference == "README.md" ? Readme() : Docs().Commands;
        // The commands that run something: a group such as 'translate' is documented by its subcommands.
        var leaves = Commands().Where(c => c.Command.Subcommands.Count == 0).ToList();
        Assert.Equal(leaves.Select(c => c.Path).Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, command) in leaves)
        {
            var words = documented[path];
            foreach (var option in OptionsOf(command))
                Assert.True(Names(option).Any(words.Contains), $"{reference} does not document {path}'s option {option.Name}");
            foreach (var word in words)
                Assert.True(OptionsOf(command).Any(o => Names(o).Contains(word)), $"{reference} documents an option {path} does not have: {word}");
        }
    }

    [Fact]
    public void TheOptionsOfContentengineItselfAreDocumented()
    {
        var root = OptionsOf(Root).SelectMany(o => Names(o).Take(1)).Append("--help").ToHashSet(StringComparer.Ordinal);
        Assert.Equal(root.Order(StringComparer.Ordinal), Docs().Root.Order(StringComparer.Ordinal));
        var readme = File.ReadAllText(TestPaths.Repo("README.md"));
        foreach (var option in root)
            Assert.Contains($"`contentengine {option}`", readme);
    }

    [Fact]
    public async Task HelpListsEveryCommandArgumentAndOptionWithItsDescription()
    {
        foreach (var (path, command) in Commands().Prepend((string.Empty, Root)))
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = await CommandLine.RunAsync([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"], stdout, stderr);
            Assert.Equal(0, code);
            Assert.Equal(string.Empty, stderr.ToString());
            var help = stdout.ToString();
            Assert.Contains($"contentengine {path}".TrimEnd(), help);
            foreach (var sub in command.Subcommands)
            {
                Assert.False(string.IsNullOrWhiteSpace(sub.Description), $"{path} {sub.Name} has no description");
                Assert.Matches($@"(?m)^  {sub.Name}\b.*{Regex.Escape(sub.Description!)}", help);
            }
            foreach (var argument in command.Arguments)
            {
                Assert.False(string.IsNullOrWhiteSpace(argument.Description), $"{path}'s argument {argument.Name} has no description");
                Assert.Contains($"<{argument.Name}>", help);
                Assert.Contains(argument.Description!, help);
            }
            foreach (var option in command.Options)
            {
                Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{path}'s option {option.Name} has no description");
                Assert.Contains(option.Name, help);
                Assert.Contains(option.Description!, help);
            }
        }
    }

    [Theory]
    [InlineData(new[] { "build", "x", "--port", "8080" }, "build has no option '--port'")]
    [InlineData(new[] { "check", "x", "--foramt", "json" }, "check has no option '--foramt'; did you mean '--format'?")]
    [InlineData(new[] { "diff", "a.cepkg" }, "diff takes two packages of one program")]
    [InlineData(new[] { "build", "x", "-o" }, "-o needs a folder")]
    [InlineData(new[] { "serve", "x", "--port", "0" }, "--port takes a port number from 1 to 65535")]
    [InlineData(new[] { "translate", "export", "x" }, "translate export takes a program and a language")]
    [InlineData(new[] { "translate", "record", "x", "--only", "stale" }, "translate record has no option '--only'")]
    [InlineData(new[] { "chekc", "x" }, "unknown command 'chekc'; did you mean 'check'?")]
    public async Task WrongUsageIsOneLineNamingWhatIsWrong(string[] args, string message)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(CommandLine.UsageError, await CommandLine.RunAsync(args, stdout, stderr));
        Assert.Equal(string.Empty, stdout.ToString());
        var lines = stderr.ToString().TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"contentengine: {message}", lines[0]);
        Assert.StartsWith("Run 'contentengine ", lines[1]);
    }

    [Fact]
    public async Task NoCommandShowsTheCommandsAndExitsWithTwo()
    {
        foreach (var args in new[] { Array.Empty<string>(), ["translate"] })
        {
            var stdout = new StringWriter();
            Assert.Equal(CommandLine.UsageError, await CommandLine.RunAsync(args, stdout, new StringWriter()));
            var command = args.Length == 0 ? Root : Root.Subcommands.Single(c => c.Name == "translate");
            foreach (var sub in command.Subcommands) Assert.Contains($"  {sub.Name} ", stdout.ToString());
        }
    }
}

using System.Reflection;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Output;

namespace ContentEngine.Cli;

/// <summary>The <c>contentengine</c> command: parses arguments and runs one command.</summary>
public static class CommandLine
{
    public const int Success = 0;
    public const int ContentErrors = 1;
    public const int UsageError = 2;
    public const int InternalError = 3;

    public static string Version => typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private const string Usage = """
        Usage: contentengine <command> [options]

        Commands:
          new <folder>                 create a program from a template that compiles clean
          check <program>              compile and report diagnostics; writes nothing
          build <program> [-o <dir>]   compile and write graph.json and the bundles (--graph, --web, --print,
                                       --audio, --package; none means all); the package is <id>-<version>.cepkg
          inspect <package>            verify a package and print its summary and its path through the weeks
          explore <program>            try every condition on every kind of patient: what no one or everyone
                                       gets, phases' recommendations, safety messages, the heaviest week
                                       (--witnesses <dir> writes patients who do and do not get each part,
                                       --html <file> a report)
          diff <old> <new>             verify two packages of one program and print what changed between the
                                       versions and what it means for patients (--format json for JSON)
          serve <program> [--port <n>] preview on 127.0.0.1 with live reload; rebuilds on every edit (Ctrl+C stops)
          translate <command>          translations: status (what is translated, stale, missing), record, …
                                       ('contentengine translate --help' lists them)

        Options:
          --format human|json|sarif    how diagnostics are printed (default: human)
          --warnaserror                treat warnings as errors
          --today YYYY-MM-DD           judge review dates against this day (default: today)
          -o, --output <dir>           where build writes (default: out/<program id>)
          --port <n>                   the port serve listens on (default: a free one)
          --paper a4|letter            the page size of the print bundle (default: a4)
          --base-url <url>             where the audio bundle will be served: the podcast feed's links become absolute
          --cache <dir>                where finished audio tracks are kept between builds
                                       (default: $XDG_CACHE_HOME/contentengine, else ~/.cache/contentengine)
          --version, --help

        Exit codes: 0 success, 1 the content has errors, 2 wrong usage or environment.
        """;

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

    private sealed class Options
    {
        public string? Command;
        public readonly List<string> Positionals = [];
        public string Format = "human";
        public bool WarnAsError;
        public string? Output;
        public DateOnly? Today;
        public int? Port;
        public readonly HashSet<string> Bundles = [];
        public Rendering.Print.PaperSize Paper = Rendering.Print.PaperSize.A4;
        public string? BaseUrl;
        public string? Cache;
        public string? Witnesses;
        public string? HtmlReport;
    }

    internal static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"contentengine: {message}");
        stderr.WriteLine("Run 'contentengine --help' for usage.");
        return UsageError;
    }

    private static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            stdout.WriteLine(Usage);
            return args.Length == 0 ? UsageError : Success;
        }
        if (args[0] == "--version")
        {
            stdout.WriteLine(Version);
            return Success;
        }
        // The translate commands parse their own options (Translate.cs).
        if (args[0] == "translate") return Translate.Run(args[1..], stdout, stderr);
        var o = new Options { Command = args[0] };
        for (var i = 1; i < args.Length; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "--format":
                    if (++i >= args.Length || args[i] is not ("human" or "json" or "sarif"))
                        return Fail(stderr, "--format takes human, json or sarif");
                    o.Format = args[i];
                    break;
                case "--today":
                    if (++i >= args.Length || !DateOnly.TryParseExact(args[i], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var today))
                        return Fail(stderr, "--today takes a date written YYYY-MM-DD");
                    o.Today = today;
                    break;
                case "--port":
                    if (++i >= args.Length || !int.TryParse(args[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                        return Fail(stderr, "--port takes a port number from 1 to 65535");
                    o.Port = port;
                    break;
                case "--paper":
                    if (++i >= args.Length || args[i].ToLowerInvariant() is not ("a4" or "letter"))
                        return Fail(stderr, "--paper takes a4 or letter");
                    o.Paper = args[i].Equals("letter", StringComparison.OrdinalIgnoreCase) ? Rendering.Print.PaperSize.Letter : Rendering.Print.PaperSize.A4;
                    break;
                case "--base-url":
                    if (++i >= args.Length || !Uri.TryCreate(args[i], UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
                        return Fail(stderr, "--base-url takes an absolute http or https address, such as https://example.org/programs/pain/audio");
                    o.BaseUrl = args[i].TrimEnd('/');
                    break;
                case "--cache":
                    if (++i >= args.Length) return Fail(stderr, "--cache needs a folder");
                    o.Cache = args[i];
                    break;
                case "--witnesses":
                    if (++i >= args.Length) return Fail(stderr, "--witnesses needs a folder");
                    o.Witnesses = args[i];
                    break;
                case "--html":
                    if (++i >= args.Length) return Fail(stderr, "--html needs a file name, such as explore.html");
                    o.HtmlReport = args[i];
                    break;
                case "--warnaserror":
                    o.WarnAsError = true;
                    break;
                case "-o" or "--output":
                    if (++i >= args.Length) return Fail(stderr, $"{a} needs a folder");
                    o.Output = args[i];
                    break;
                case "--graph" or "--web" or "--print" or "--audio" or "--package":
                    o.Bundles.Add(a[2..]);
                    break;
                case "--help" or "-h":
                    stdout.WriteLine(Usage);
                    return Success;
                default:
                    if (a.StartsWith('-') && a.Length > 1) return Fail(stderr, $"unknown option '{a}'");
                    o.Positionals.Add(a);
                    break;
            }
        }

        return o.Command switch
        {
            "new" => New(o, stdout, stderr),
            "check" => Check(o, stdout, stderr, write: false),
            "build" => Check(o, stdout, stderr, write: true),
            "serve" => Preview.ServeCommand.Run(o.Positionals, o.Port, o.Today, stdout, stderr),
            "inspect" => Inspect.Run(o.Positionals, stdout, stderr),
            "explore" => Explore.Run(o.Positionals, o.Format, o.WarnAsError, o.Today, o.Witnesses, o.HtmlReport, stdout, stderr),
            "diff" => Diff.Run(o.Positionals, o.Format, stdout, stderr),
            _ => Fail(stderr, $"unknown command '{o.Command}'{Suggestions.DidYouMean(o.Command!, ["new", "check", "build", "serve", "inspect", "explore", "diff", "translate"])}"),
        };
    }

    private static int New(Options o, TextWriter stdout, TextWriter stderr)
    {
        if (o.Positionals.Count != 1) return Fail(stderr, "new takes one folder: contentengine new <folder>");
        var folder = o.Positionals[0];
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            return Fail(stderr, $"'{folder}' already exists and is not empty; choose a new folder");
        var id = Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar)).ToLowerInvariant();
        if (!MappingReader.IsId(id)) id = "my-program";
        var assembly = typeof(CommandLine).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("template/", StringComparison.Ordinal)))
        {
            var target = Path.Combine(folder, name["template/".Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            File.WriteAllText(target, reader.ReadToEnd().Replace("{{id}}", id, StringComparison.Ordinal));
        }
        stdout.WriteLine($"Created the program '{id}' in {folder}. Check it with: contentengine check {folder}");
        return Success;
    }

    private static int Check(Options o, TextWriter stdout, TextWriter stderr, bool write)
    {
        if (o.Positionals.Count != 1) return Fail(stderr, $"{o.Command} takes one program folder: contentengine {o.Command} <program>");
        var folder = o.Positionals[0];
        if (!Directory.Exists(folder)) return Fail(stderr, $"there is no folder '{folder}'");
        long? epoch;
        try
        {
            epoch = Rendering.Package.PackageOptions.SourceDateEpochFromEnvironment();
        }
        catch (ArgumentException e)
        {
            return Fail(stderr, e.Message);
        }

        using var progress = Progress.Start(stderr, $"Compiling {folder}");
        var result = ProgramCompiler.Compile(folder, o.Today is { } day ? new CompilerOptions { Today = day } : null);
        progress.Dispose();

        var diagnostics = result.Diagnostics;
        if (o.WarnAsError) diagnostics = [.. diagnostics.Select(d => d.AsError())];
        var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = diagnostics.Length - errors;
        var display = folder.Replace('\\', '/').TrimEnd('/');
        switch (o.Format)
        {
            case "json":
                stdout.Write(DiagnosticFormatter.Json(diagnostics, display));
                break;
            case "sarif":
                stdout.Write(DiagnosticFormatter.Sarif(diagnostics, display, Version));
                break;
            default:
                stdout.Write(DiagnosticFormatter.Human(diagnostics, folder, display));
                break;
        }

        if (errors > 0 || result.Graph is null)
        {
            if (o.Format == "human") stderr.WriteLine($"{display}: {Plural.Count(errors, "error", "errors")}, {Warnings(warnings)}; nothing was written");
            return ContentErrors;
        }
        var graph = result.Graph;
        if (!write)
        {
            if (o.Format == "human") stderr.WriteLine($"{display}: {Summary(graph)}; {Warnings(warnings)}");
            return Success;
        }

        var output = o.Output ?? Path.Combine("out", graph.Id);
        var all = o.Bundles.Count == 0;
        Rendering.Web.Theme theme;
        try
        {
            theme = Rendering.Web.Theme.Load(folder, graph.Theme);
        }
        catch (Rendering.Web.ThemeException e)
        {
            stderr.WriteLine($"contentengine: {e.Message}");
            return UsageError;
        }
        using (var rendering = Progress.Start(stderr, "Rendering"))
        {
            try
            {
                Render(output, folder, graph, theme, all ? null : o.Bundles, epoch, o, rendering);
            }
            catch (OutputFolderException e)
            {
                stderr.WriteLine($"contentengine: {e.Message}");
                return UsageError;
            }
            catch (Rendering.Web.ThemeException e)
            {
                stderr.WriteLine($"contentengine: {e.Message}");
                return UsageError;
            }
            catch (Rendering.Print.PrintException e)
            {
                stderr.WriteLine($"contentengine: {e.Message}");
                return UsageError;
            }
            catch (Rendering.Audio.AudioException e)
            {
                // A tool missing, failing, or a locale without a voice: the machine, not the content.
                stderr.WriteLine($"contentengine: {e.Message}");
                return UsageError;
            }
        }
        if (o.Format == "human") stderr.WriteLine($"{display}: wrote {output}; {Warnings(warnings)}");
        return Success;
    }

    /// <summary>What a program holds, as check's last line says it: "16 modules, 11 worksheets, 2 locales".</summary>
    public static string Summary(Model.ProgramGraph graph) =>
        $"{Plural.Count(graph.Modules.Length, "module", "modules")}, {Plural.Count(graph.Worksheets.Length, "worksheet", "worksheets")}, {Plural.Count(graph.Locales.Length, "locale", "locales")}";

    private static string Warnings(int n) => Plural.Count(n, "warning", "warnings");

    /// <summary>The folder kept between builds for finished audio tracks.</summary>
    private static string CacheFolder(Options o)
    {
        if (o.Cache is not null) return o.Cache;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "contentengine");
    }

    /// <summary>Writes graph.json and the bundles asked for (null: all) into a fresh folder swapped in at the end (OutputFolder).</summary>
    private static void Render(string output, string program, Model.ProgramGraph graph, Rendering.Web.Theme theme, IReadOnlySet<string>? bundles, long? epoch, Options o, Progress? progress)
    {
        bool Wanted(string name) => bundles is null || bundles.Contains(name);
        OutputFolder.Replace(output, program, graph.Id, bundles, temp =>
        {
            if (Wanted("graph")) File.WriteAllText(Path.Combine(temp, "graph.json"), GraphJson.Write(graph));
            var built = new Dictionary<string, Rendering.Bundle>(StringComparer.Ordinal);
            // Audio before web: the web bundle's module pages link to the audio bundle's tracks.
            if (Wanted("audio"))
            {
                var audio = Rendering.Audio.AudioRenderer.Render(graph, new Rendering.Audio.AudioOptions
                {
                    CacheFolder = CacheFolder(o),
                    BaseUrl = o.BaseUrl,
                    SourceDateEpoch = epoch,
                    Strings = theme.Strings,
                    Progress = (done, total, name) => progress?.Update($"Audio: {done} of {Plural.Count(total, "track", "tracks")} ({name})"),
                });
                audio.WriteTo(Path.Combine(temp, "audio"));
                built["audio"] = audio;
            }
            if (Wanted("web"))
            {
                // With the audio bundle beside it (audio/ next to web/), each module page plays its track.
                var web = Rendering.Web.WebRenderer.Render(graph, new Rendering.Web.WebOptions
                {
                    Theme = theme,
                    Audio = built.TryGetValue("audio", out var audio) ? Rendering.Audio.AudioRenderer.Describe(audio, "../audio/") : null,
                });
                web.WriteTo(Path.Combine(temp, "web"));
                built["web"] = web;
            }
            if (Wanted("print"))
            {
                var print = Rendering.Print.PrintRenderer.RenderAsync(graph, new Rendering.Print.PrintOptions
                {
                    Theme = theme,
                    Paper = o.Paper,
                    SourceDateEpoch = epoch,
                    Progress = path => progress?.Update($"Print: {path}"),
                }).GetAwaiter().GetResult();
                print.WriteTo(Path.Combine(temp, "print"));
                built["print"] = print;
            }
            if (Wanted("package"))
            {
                var package = Rendering.Package.PackageWriter.Write(graph, new Rendering.Package.PackageOptions { Theme = theme, Bundles = built, SourceDateEpoch = epoch });
                File.WriteAllBytes(Path.Combine(temp, Rendering.Package.PackageWriter.FileName(graph)), package);
            }
        });
    }
}

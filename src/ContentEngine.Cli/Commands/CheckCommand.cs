using System.CommandLine;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Output;

namespace ContentEngine.Cli.Commands;

/// <summary>
/// <c>contentengine check &lt;program&gt;</c>: compiles the program and prints its diagnostics; writes nothing.
/// Build compiles and reports the same way (<see cref="Compile"/>) before it writes.
/// </summary>
internal static class CheckCommand
{
    /// <summary>What check and build are asked to compile, and how they report it.</summary>
    internal sealed record Request(string Folder, string Format, bool WarnAsError, DateOnly? Today)
    {
        public string Display => Folder.Replace('\\', '/').TrimEnd('/');
    }

    /// <summary>The program folder that check, build, explore and serve take.</summary>
    public static Argument<string> ProgramArgument() => new("program") { Description = "the program's folder, the one holding program.yaml" };

    public static Command Create(CommonOptions common)
    {
        var program = ProgramArgument();
        var stats = CommonOptions.Flag("--stats", "after the diagnostics, print a table of the modules: words per language, minutes, readability per language (to standard error with --format json or sarif)");
        var command = new ContentEngineCommand("check", "compile the program and report its diagnostics; writes nothing",
            "check takes one program folder: contentengine check <program>") { program, common.Format, common.WarnAsError, common.Today, stats };
        command.SetAction((result, stdout, stderr) =>
        {
            var request = RequestOf(result, program, common);
            if (Compile(request, stdout, stderr, out var exit, out Text.ReadabilityLimits limits) is not { } compiled) return exit;
            if (result.GetValue(stats)) (request.Format == "human" ? stdout : stderr).Write(StatsTable.Write(compiled.Graph, limits));
            if (request.Format == "human") stderr.WriteLine($"{request.Display}: {CommandLine.Summary(compiled.Graph)}; {compiled.Warnings}");
            return CommandLine.Success;
        });
        return command;
    }

    public static Request RequestOf(ParseResult result, Argument<string> program, CommonOptions common) =>
        new(result.GetValue(program)!, result.GetValue(common.Format)!, result.GetValue(common.WarnAsError), result.GetValue(common.Today));

    /// <summary>
    /// Compiles the program and prints its diagnostics; the graph, the count of warnings and notes ("0 warnings") and SOURCE_DATE_EPOCH,
    /// or null (and the exit code in <paramref name="exit"/>) when the folder is missing, SOURCE_DATE_EPOCH is
    /// malformed or the program has errors.
    /// </summary>
    public static (Model.ProgramGraph Graph, string Warnings, long? Epoch)? Compile(Request request, TextWriter stdout, TextWriter stderr, out int exit) =>
        Compile(request, stdout, stderr, out exit, out CompilationResult? _);

    /// <param name="readability">how hard the program allows its text to be (for check --stats).</param>
    public static (Model.ProgramGraph Graph, string Warnings, long? Epoch)? Compile(Request request, TextWriter stdout, TextWriter stderr, out int exit,
        out Text.ReadabilityLimits readability)
    {
        var compiled = Compile(request, stdout, stderr, out exit, out CompilationResult? result);
        readability = result?.Readability ?? Text.ReadabilityLimits.Default;
        return compiled;
    }

    /// <param name="compiled">the compilation's result, with program.yaml's settings; null when the program was not compiled.</param>
    public static (Model.ProgramGraph Graph, string Warnings, long? Epoch)? Compile(Request request, TextWriter stdout, TextWriter stderr, out int exit,
        out CompilationResult? compiled)
    {
        exit = CommandLine.Success;
        compiled = null;
        var folder = request.Folder;
        if (!Directory.Exists(folder))
        {
            exit = CommandLine.Fail(stderr, $"there is no folder '{folder}'");
            return null;
        }
        long? epoch;
        try
        {
            epoch = Rendering.Package.PackageOptions.SourceDateEpochFromEnvironment();
        }
        catch (ArgumentException e)
        {
            exit = CommandLine.Fail(stderr, e.Message);
            return null;
        }

        CompilationResult result;
        using (Progress.Start(stderr, $"Compiling {folder}"))
            result = ProgramCompiler.Compile(folder, request.Today is { } day ? new CompilerOptions { Today = day } : null);

        compiled = result;
        var diagnostics = result.Diagnostics;
        if (request.WarnAsError) diagnostics = [.. diagnostics.Select(d => d.AsError())];
        var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        var notes = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Note);
        var display = request.Display;
        stdout.Write(request.Format switch
        {
            "json" => DiagnosticFormatter.Json(diagnostics, display),
            "sarif" => DiagnosticFormatter.Sarif(diagnostics, display, CommandLine.Version),
            _ => DiagnosticFormatter.Human(diagnostics, folder, display),
        });

        if (errors > 0 || result.Graph is null)
        {
            if (request.Format == "human") stderr.WriteLine($"{display}: {Plural.Count(errors, "error", "errors")}, {Warnings(warnings, notes)}; nothing was written");
            exit = CommandLine.ContentErrors;
            return null;
        }
        return (result.Graph, Warnings(warnings, notes), epoch);
    }

    /// <summary>"0 warnings", "2 warnings, 1 note": notes are named only when there are some.</summary>
    public static string Warnings(int warnings, int notes = 0) =>
        Plural.Count(warnings, "warning", "warnings") + (notes > 0 ? ", " + Plural.Count(notes, "note", "notes") : "");
}

using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Exploration;
using ContentEngine.Rendering.Exploration;

namespace ContentEngine.Cli;

/// <summary>
/// <c>contentengine explore &lt;program&gt;</c>: compiles the program and tries every condition on
/// every kind of patient it can meet (<see cref="ProgramExplorer"/>); prints the findings and what
/// is shown to whom, writes the witnesses and the HTML report when asked.
/// </summary>
public static class Explore
{
    public static int Run(IReadOnlyList<string> positionals, string format, bool warnAsError, DateOnly? today, string? witnesses, string? html,
        TextWriter stdout, TextWriter stderr)
    {
        if (positionals.Count != 1) return CommandLine.Fail(stderr, "explore takes one program folder: contentengine explore <program>");
        var folder = positionals[0];
        if (!Directory.Exists(folder)) return CommandLine.Fail(stderr, $"there is no folder '{folder}'");
        var display = folder.Replace('\\', '/').TrimEnd('/');

        CompilationResult result;
        using (Progress.Start(stderr, $"Exploring {folder}"))
            result = ProgramCompiler.Compile(folder, today is { } day ? new CompilerOptions { Today = day } : null);

        // A program that does not compile is not explored: check's errors, and exit 1.
        if (result.HasErrors || result.Graph is null || result.Exploration is null)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            stdout.Write(format switch
            {
                "json" => DiagnosticFormatter.Json(errors, display),
                "sarif" => DiagnosticFormatter.Sarif(errors, display, CommandLine.Version),
                _ => DiagnosticFormatter.Human(errors, folder, display),
            });
            if (format == "human") stderr.WriteLine($"{display}: {Plural.Count(errors.Count, "error", "errors")}; the program is explored once it compiles");
            return CommandLine.ContentErrors;
        }

        var graph = result.Graph;
        var exploration = result.Exploration;
        IReadOnlyList<Diagnostic> findings = warnAsError ? [.. exploration.Findings.Select(d => d.AsError())] : exploration.Findings;
        switch (format)
        {
            case "json":
                stdout.Write(ExplorationJson.Write(graph, exploration, findings, display));
                break;
            case "sarif":
                stdout.Write(DiagnosticFormatter.Sarif(findings, display, CommandLine.Version));
                break;
            default:
                stdout.Write(DiagnosticFormatter.Human(findings, folder, display));
                if (findings.Count > 0) stdout.WriteLine();
                stdout.Write(ExplorationJson.Text(graph, exploration));
                break;
        }

        try
        {
            var files = ExplorationJson.Witnesses(graph, exploration);
            if (witnesses is not null)
            {
                Directory.CreateDirectory(witnesses);
                foreach (var f in files)
                    File.WriteAllText(Path.Combine(witnesses, f.FileName), ExplorationJson.WitnessDocument(graph, f));
                if (format == "human") stderr.WriteLine($"Wrote {Plural.Count(files.Length, "witness", "witnesses")} to {witnesses}");
            }
            if (html is not null)
            {
                var theme = Rendering.Web.Theme.Load(folder, graph.Theme);
                var reportFolder = Path.GetDirectoryName(Path.GetFullPath(html))!;
                Directory.CreateDirectory(reportFolder);
                string Source(string path, int line) =>
                    Path.GetRelativePath(reportFolder, Path.Combine(Path.GetFullPath(folder), path)).Replace('\\', '/') + (line > 0 ? $"#L{line}" : string.Empty);
                string? Witness(string file) => witnesses is null ? null
                    : Path.GetRelativePath(reportFolder, Path.Combine(Path.GetFullPath(witnesses), file)).Replace('\\', '/');
                File.WriteAllText(html, ExplorationReport.Render(graph, exploration, findings, theme, Source, Witness));
                if (format == "human") stderr.WriteLine($"Wrote the report to {html}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"contentengine: cannot write: {e.Message}");
            return CommandLine.UsageError;
        }
        catch (Rendering.Web.ThemeException e)
        {
            stderr.WriteLine($"contentengine: {e.Message}");
            return CommandLine.UsageError;
        }

        if (format == "human")
            stderr.WriteLine($"{display}: {Plural.Count(exploration.Targets.Length, "condition", "conditions")} explored; {Plural.Count(findings.Count, "finding", "findings")}");
        return warnAsError && findings.Count > 0 ? CommandLine.ContentErrors : CommandLine.Success;
    }
}

using System.Globalization;
using System.Text;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;

namespace ContentEngine.Tests.Mutation;

/// <summary>
/// One mistake made in one file of the sample, and the single diagnostic the compiler must give for it: an error when
/// the expected code is an error (warnings may come beside it), else exactly one new diagnostic of any severity.
/// </summary>
/// <param name="Kind">The mistake kind (one test per kind).</param>
/// <param name="Variant">A finer name within the kind, for the summary (such as "curly-double" or "nbsp").</param>
/// <param name="File">The mutated file, relative to the program.</param>
/// <param name="Line">The 0-based line where the error is expected: the mutated line, in the mutated file.</param>
/// <param name="Code">The expected error code.</param>
/// <param name="Description">What was changed, for people.</param>
/// <param name="MutatedText">The whole mutated file.</param>
/// <param name="Column">The expected 0-based column, when it is asserted.</param>
/// <param name="MessageContainsAny">When given, the message must contain one of these.</param>
/// <param name="Moves">Files of the program moved after the mutated file is written (program-relative paths, from and
/// to), for mistakes in a file's name or folder; <see cref="File"/> names the file where it ends up.</param>
internal sealed record Mutant(
    string Kind,
    string Variant,
    string File,
    int Line,
    string Code,
    string Description,
    string MutatedText,
    int? Column = null,
    IReadOnlyList<string>? MessageContainsAny = null,
    IReadOnlyList<(string From, string To)>? Moves = null)
{
    /// <summary>The severity of the expected code.</summary>
    public DiagnosticSeverity Severity => DiagnosticDescriptors.All.Single(d => d.Id == Code).Severity;

    /// <summary>The mutated file's text at <see cref="Line"/>.</summary>
    public string LineText => MutatedText.Replace("\r\n", "\n").Split('\n') is var l && Line < l.Length ? l[Line] : "";

    public string Expected =>
        $"{Code} at line {Line + 1}{(Column is int c ? $", column {c + 1}" : "")}" +
        (MessageContainsAny is { Count: > 0 } m ? $", message containing {string.Join(" or ", m.Select(s => $"\"{s}\""))}" : "");
}

/// <summary>What the compiler made of a mutant.</summary>
internal sealed record MutantOutcome(Mutant Mutant, bool Caught, string? Problem, IReadOnlyList<Diagnostic> Errors, IReadOnlyList<Diagnostic> NewWarnings, Exception? Exception)
{
    /// <summary>The failure as the assertion message shows it: kind, file, line, the mutated line, what was expected and what came.</summary>
    public string Describe()
    {
        var m = Mutant;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"[{m.Kind}/{m.Variant}] {m.File}:{m.Line + 1} ({m.Description})\n");
        sb.Append(CultureInfo.InvariantCulture, $"    line {m.Line + 1}: {Visible(m.LineText)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"    expected: exactly one {(m.Severity == DiagnosticSeverity.Error ? "error" : "new diagnostic")}, {m.Expected}\n");
        sb.Append(CultureInfo.InvariantCulture, $"    problem:  {Problem}\n");
        if (Exception is not null)
            sb.Append(CultureInfo.InvariantCulture, $"    threw:    {Exception.GetType().Name}: {Exception.Message}\n{Indent(Exception.StackTrace)}");
        if (Errors.Count == 0 && Exception is null) sb.Append("    got:      no errors\n");
        foreach (var d in Errors) sb.Append("    got:      ").Append(Show(d)).Append('\n');
        foreach (var d in NewWarnings) sb.Append("    warning:  ").Append(Show(d)).Append('\n');
        return sb.ToString();
    }

    private static string Show(Diagnostic d) =>
        d.Location.HasPosition
            ? string.Create(CultureInfo.InvariantCulture, $"{d.Id} {d.Location.Path} line {d.Location.Line + 1} col {d.Location.Column + 1}: {d.Message}")
            : $"{d.Id} {d.Location.Path} (no position): {d.Message}";

    private static string Indent(string? text) =>
        text is null ? "" : string.Concat(text.Split('\n').Take(6).Select(l => "              " + l.TrimEnd() + "\n"));

    /// <summary>The line with tabs and other invisible or look-alike characters spelt out.</summary>
    public static string Visible(string line)
    {
        var sb = new StringBuilder();
        foreach (var ch in line)
            sb.Append(ch switch
            {
                '\t' => "\\t",
                '\u00A0' => "\\u00A0",
                '\u2013' => "\\u2013",
                '\u2018' => "\\u2018",
                '\u2019' => "\\u2019",
                '\u201C' => "\\u201C",
                '\u201D' => "\\u201D",
                '\r' => "\\r",
                _ => ch.ToString(),
            });
        return sb.ToString();
    }
}

/// <summary>Compiles mutants, each in its own copy of the sample, and judges the result.</summary>
internal static class MutantRunner
{
    public static readonly CompilerOptions Options = new() { Today = new DateOnly(2026, 6, 1) };

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The unmutated sample, compiled once.</summary>
    public static readonly Lazy<CompilationResult> Baseline = new(() => ProgramCompiler.Compile(SampleSource.Instance.Value.Root, Options));

    private static readonly Lazy<HashSet<string>> BaselineWarnings = new(() =>
        Baseline.Value.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).Select(Key).ToHashSet(StringComparer.Ordinal));

    private static string Key(Diagnostic d) => $"{d.Id}|{d.Location.Path}|{d.Message}";

    public static MutantOutcome Run(Mutant mutant)
    {
        using var folder = new TestPaths.TempFolder();
        if (mutant.Moves is { Count: > 0 } moves)
        {
            var (from, _) = moves.FirstOrDefault(m => m.To == mutant.File);
            SampleSource.Instance.Value.WriteTo(folder.Path, from ?? mutant.File, mutant.MutatedText);
            foreach (var (source, target) in moves)
            {
                var to = Path.Combine(folder.Path, target);
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Move(Path.Combine(folder.Path, source), to);
            }
        }
        else SampleSource.Instance.Value.WriteTo(folder.Path, mutant.File, mutant.MutatedText);
        CompilationResult result;
        try
        {
            // A compiler that loops forever on a mutant fails that mutant instead of hanging the test run.
            var compilation = Task.Run(() => ProgramCompiler.Compile(folder.Path, Options));
            if (!compilation.Wait(Timeout))
                return new MutantOutcome(mutant, false, $"the compilation did not finish within {Timeout.TotalSeconds:0} s", [], [], null);
            result = compilation.Result;
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            return new MutantOutcome(mutant, false, "the compiler threw", [], [], e.InnerExceptions[0]);
        }
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var newWarnings = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning && !BaselineWarnings.Value.Contains(Key(d))).ToList();
        // A mistake reported as a warning must be the one new diagnostic; one reported as an error the one error.
        var problem = Judge(mutant, mutant.Severity == DiagnosticSeverity.Error ? errors : [.. errors, .. newWarnings]);
        return new MutantOutcome(mutant, problem is null, problem, errors, newWarnings, null);
    }

    /// <summary>Null when the errors are exactly the one expected; otherwise what is wrong with them.</summary>
    private static string? Judge(Mutant m, List<Diagnostic> errors)
    {
        var what = m.Severity == DiagnosticSeverity.Error ? "error" : "diagnostic";
        if (errors.Count == 0) return "the mistake was not reported";
        var matching = errors.Where(e => Matches(m, e)).ToList();
        if (errors.Count > 1)
            return matching.Count > 0
                ? $"{errors.Count} {what}s instead of one (the expected one is among them)"
                : $"{errors.Count} {what}s instead of one, none of them the expected one";
        var e = errors[0];
        if (matching.Count == 1) return null;
        var wrong = new List<string>();
        if (e.Id != m.Code) wrong.Add($"code {e.Id} instead of {m.Code}");
        if (e.Location.Path != m.File) wrong.Add($"in {e.Location.Path} instead of {m.File}");
        else if (!e.Location.HasPosition) wrong.Add("no line");
        else
        {
            if (e.Location.Line != m.Line) wrong.Add($"line {e.Location.Line + 1} instead of {m.Line + 1}");
            if (m.Column is int c && e.Location.Column != c) wrong.Add($"column {e.Location.Column + 1} instead of {c + 1}");
        }
        if (m.MessageContainsAny is { Count: > 0 } texts && !texts.Any(t => e.Message.Contains(t, StringComparison.Ordinal)))
            wrong.Add("the message lacks " + string.Join(" or ", texts.Select(t => $"\"{t}\"")));
        return $"one {what}, but " + string.Join(", ", wrong);
    }

    private static bool Matches(Mutant m, Diagnostic e) =>
        e.Id == m.Code && e.Location.Path == m.File && e.Location.HasPosition && e.Location.Line == m.Line &&
        (m.Column is not int c || e.Location.Column == c) &&
        (m.MessageContainsAny is not { Count: > 0 } texts || texts.Any(t => e.Message.Contains(t, StringComparison.Ordinal)));
}

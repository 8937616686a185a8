using System.Diagnostics;
using System.Globalization;
using ContentEngine.Diagnostics;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ContentEngine.Tests.Mutation;

/// <summary>
/// Mutation tests of the compiler: one kind of authoring mistake at a time is made at many places of the sample
/// program, each in its own copy, and every mutant must give exactly one diagnostic of the kind's code, in the mutated
/// file at the mutated line: for an error code, the one error (warnings may come beside it); for a warning code, the
/// one diagnostic the unmutated sample does not have. Each test prints "kind: N tried, N caught".
/// </summary>
/// <remarks>
/// The summary lines are written to the console (shown by <c>dotnet test</c> from the logger verbosity "normal" up,
/// e.g. <c>--logger "console;verbosity=normal"</c> or <c>-v n</c>) and sent as xUnit diagnostic messages (shown at
/// the default verbosity when diagnostic messages are on: <c>dotnet test … -- xUnit.DiagnosticMessages=true</c>).
/// With the environment variable CONTENTENGINE_MUTANTS=list, every mutant tried is listed on the console as well.
/// </remarks>
public sealed partial class MutationTests(MutationTests.Reporter reporter) : IClassFixture<MutationTests.Reporter>
{
    /// <summary>Writes the per-kind summaries where a passing run shows them.</summary>
    public sealed class Reporter(IMessageSink sink)
    {
        public void Report(string line)
        {
            Console.WriteLine(line);
            sink.OnMessage(new DiagnosticMessage(line));
        }
    }

    [Fact]
    public void TheUnmutatedSampleCompilesWithoutErrors()
    {
        var result = MutantRunner.Baseline.Value;
        Assert.False(result.HasErrors, DiagnosticFormatter.Plain(result.Diagnostics));
    }

    [Fact]
    public void MissingClosingFence() => Check("missing-fence", Mutations.MissingFence());

    [Fact]
    public void SafetyMessageInsideAConditional() => Check("safety-in-conditional", Mutations.SafetyInConditional());

    [Fact]
    public void TabInYamlIndentation() => Check("tab", Mutations.Tab());

    [Fact]
    public void TypographicQuotesAndSpaces() => Check("typographic", Mutations.TypographicCharacters());

    [Fact]
    public void OverIndentedYamlKey() => Check("over-indent", Mutations.OverIndent());

    [Fact]
    public void MisspeltKey() => Check("misspelt-key", Mutations.MisspeltKey());

    [Fact]
    public void MisspeltReference() => Check("misspelt-reference", Mutations.MisspeltReference());

    [Fact]
    public void NumberWrittenAsText() => Check("wrong-literal-type", Mutations.WrongLiteralType());

    private void Check(string kind, List<Mutant> mutants)
    {
        var baseline = MutantRunner.Baseline.Value;
        Assert.False(baseline.HasErrors, "The unmutated sample has errors, so no mutant can be judged:\n" + DiagnosticFormatter.Plain(baseline.Diagnostics));
        Assert.True(mutants.Count > 0, $"No site of the sample fits the mutation '{kind}'");
        Assert.All(mutants, m => Assert.Equal(kind, m.Kind));
        Assert.Equal(mutants.Count, mutants.Select(m => m.MutatedText).Distinct(StringComparer.Ordinal).Count());

        var clock = Stopwatch.StartNew();
        var outcomes = mutants.Select(MutantRunner.Run).ToList();
        var summary = Summary(kind, outcomes, clock.Elapsed);
        reporter.Report(summary);
        if (Environment.GetEnvironmentVariable("CONTENTENGINE_MUTANTS") == "list")
            foreach (var o in outcomes)
                Console.WriteLine($"  {(o.Caught ? "caught" : "MISSED")} [{o.Mutant.Variant}] {o.Mutant.File}:{o.Mutant.Line + 1} {o.Mutant.Description}: {MutantOutcome.Visible(o.Mutant.LineText.Trim())}");

        var failed = outcomes.Where(o => !o.Caught).ToList();
        Assert.True(failed.Count == 0, summary + "\n\nMutants not caught as exactly one error at the mutated line (lines and columns counted from 1, as in an editor):\n\n" + string.Join("\n", failed.Select(o => o.Describe())));
    }

    private static string Summary(string kind, List<MutantOutcome> outcomes, TimeSpan elapsed)
    {
        var variants = outcomes.GroupBy(o => o.Mutant.Variant).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count(o => o.Caught)}/{g.Count()}");
        return string.Create(CultureInfo.InvariantCulture,
            $"mutation {kind}: {outcomes.Count} tried, {outcomes.Count(o => o.Caught)} caught ({string.Join(", ", variants)}; {elapsed.TotalSeconds:0.0} s)");
    }
}

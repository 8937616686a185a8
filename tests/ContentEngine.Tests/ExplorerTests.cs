using System.Text;
using System.Text.Json;
using ContentEngine.Cli;
using ContentEngine.Compilation;
using ContentEngine.Exploration;
using ContentEngine.Model;
using ContentEngine.Output;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Runtime.Patients;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Tests;

/// <summary>
/// The explorer: every condition tried on every kind of patient. Its findings are checked on
/// small programs, and every witness it writes for the sample is opened with the runtime, which
/// must give that patient what the witness says.
/// </summary>
public sealed class ExplorerTests
{
    private static readonly CompilerOptions Options = new() { Today = new DateOnly(2026, 6, 1) };

    private static string Sample => TestPaths.Repo("content", "iact-chronic-pain");

    private static readonly Lazy<CompilationResult> SampleResult = new(() => ProgramCompiler.Compile(Sample, Options));

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    // ---- the sample ----

    [Fact]
    public void TheSampleExploresCleanAndEveryOptionalModuleHasBothWitnesses()
    {
        var result = SampleResult.Value;
        Assert.False(result.HasErrors);
        var exploration = result.Exploration!;
        Assert.Empty(exploration.Findings);
        var optional = result.Graph!.Modules.Where(m => m.Optional).Select(m => m.Id).ToList();
        Assert.NotEmpty(optional);
        foreach (var id in optional)
        {
            var offer = Assert.Single(exploration.Targets, t => t.Kind == TargetKind.Offer && t.Module == id);
            Assert.NotNull(offer.Gets);
            Assert.NotNull(offer.DoesNot);
        }
        Assert.Contains(exploration.Targets, t => t.Kind == TargetKind.Block);
        // A patient who answered the aftercare wishes with every area is recommended the six other optional modules;
        // one who answered with none and no problem, nothing. The runtime's scheduler counts them.
        var aftercare = Assert.Single(exploration.Phases);
        Assert.Equal((0, 6), (aftercare.Fewest, aftercare.Most));
        Assert.All(exploration.Targets, t => Assert.True(t.Patients > 0, $"{t.Name} reached no patient"));
    }

    [Fact]
    public void EveryWitnessOfTheSampleGetsFromTheRuntimeWhatItSays()
    {
        var result = SampleResult.Value;
        var graph = result.Graph!;
        var runtime = graph;
        var files = ExplorationJson.Witnesses(graph, result.Exploration!);
        Assert.True(files.Length >= 2 * graph.Modules.Count(m => m.Optional));
        foreach (var file in files)
        {
            using var doc = JsonDocument.Parse(ExplorationJson.WitnessDocument(graph, file));
            Assert.Equal("contentengine-patient-state", doc.RootElement.GetProperty("format").GetString());
            Assert.Equal(graph.Id, doc.RootElement.GetProperty("program").GetString());
            var record = PatientRecord.Read(doc.RootElement);
            Assert.Equal(graph.Version, record.ProgramVersion);
            var now = DateTimeOffset.UtcNow;
            var status = runtime.Evaluate(record, now);
            var progress = record.ToProgress(now);
            var target = result.Exploration!.Targets.FirstOrDefault(t => t.Name == file.Target);
            if (target is null)
            {
                // A phase's witness: the runtime recommends them as many modules as the report says.
                var phase = result.Exploration.Phases.Single(p => $"phase-{p.Phase.Id}" == file.Target);
                Assert.Equal(file.Gets ? phase.Most : phase.Fewest, status.Recommended.Count(m => m.Module.Phase == phase.Phase.Id));
                continue;
            }
            if (target.Kind == TargetKind.Offer)
            {
                Assert.True(status[target.Module].Recommended == file.Gets, $"{file.FileName}: the runtime {(file.Gets ? "does not recommend" : "recommends")} {target.Module}");
                continue;
            }
            // A block: the module is open for the patient, and the block's conditions hold exactly when the witness says so.
            if (!target.InWorksheet) Assert.Contains(status[target.Module].State, new[] { ModuleState.Open, ModuleState.Completed });
            var state = new PatientState(status.Week, progress.Completed, progress.Chosen, progress.Answers);
            var shown = target.Enclosing.All(e => Evaluator.IsTrue(e.Tree, state)) && Evaluator.IsTrue(target.Condition.Tree, state);
            Assert.True(shown == file.Gets, $"{file.FileName}: the block {(file.Gets ? "is hidden" : "shows")} for this patient");
        }
    }

    [Fact]
    public async Task ExploreWritesWitnessesAReportAndJson()
    {
        using var t = new TestPaths.TempFolder();
        var witnesses = Path.Combine(t.Path, "witnesses");
        var html = Path.Combine(t.Path, "report", "explore.html");
        var (code, output, err) = await Run("explore", Sample, "--witnesses", witnesses, "--html", html);
        Assert.True(code == 0, err);
        Assert.Contains("aftercare (weeks 11–21)", output);
        Assert.Contains("recommended when", output);
        Assert.Contains("0 findings", err);
        var written = Directory.GetFiles(witnesses, "*.json").Select(Path.GetFileName).ToList();
        Assert.Contains("sleep.gets.json", written);
        Assert.Contains("sleep.not.json", written);
        var report = File.ReadAllText(html);
        Assert.Contains("<h2 id=\"findings\">Findings</h2>", report);
        Assert.Contains("../witnesses/sleep.gets.json", report);
        Assert.Contains("modules/sleep.md#L", report);

        (code, output, _) = await Run("explore", Sample, "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("iact-chronic-pain", doc.RootElement.GetProperty("program").GetString());
        var sleep = doc.RootElement.GetProperty("targets").EnumerateArray().Single(x => x.GetProperty("name").GetString() == "sleep");
        Assert.Equal("offer", sleep.GetProperty("kind").GetString());
        Assert.True(sleep.GetProperty("getting").GetInt32() > 0);
        Assert.Equal(2, sleep.GetProperty("witnesses").GetArrayLength());
        Assert.Equal(120, doc.RootElement.GetProperty("maxMinutesPerWeek").GetInt32());
    }

    // ---- small programs ----

    private static TestPaths.TempFolder Program(string modules, string? extraProgram = null, string choose = "")
    {
        var t = new TestPaths.TempFolder();
        t.File("program.yaml", $"""
            id: explored
            version: 1.0.0
            title: Explored
            locales: [en]
            {extraProgram ?? string.Empty}
            phases:
              - id: treatment
                title: Treatment
                weeks: 4{choose}
            provider:
              name: The Clinic
              email: pain@example.org
            privacy: Your answers stay in this browser.
            """);
        t.File("worksheets/check-in.md", """
            ---
            id: check-in
            title: Check-in
            kind: form
            fields:
              - {id: pain, type: scale, label: Pain, min: 0, max: 10}
              - {id: sleep, type: scale, label: Sleep, min: 0, max: 10}
              - id: areas
                type: choice
                multiple: true
                label: Areas
                options:
                  - {value: sleep, label: Sleep}
                  - {value: work, label: Work}
            ---

            How are you?
            """);
        t.File("modules/welcome.md", """
            ---
            id: welcome
            title: Welcome
            phase: treatment
            week: 1
            ---

            Welcome. Please fill in the check-in.

            ::: worksheet {ref=check-in}
            :::

            ::: safety
            Call 112 in an emergency.
            :::
            """);
        t.File("modules/more.md", modules);
        return t;
    }

    [Fact]
    public void FindingsNameTheConditionAndItsPlace()
    {
        using var t = Program("""
            ---
            id: more
            title: More
            phase: treatment
            week: 2
            ---

            Text.

            ::: if {when="check-in.pain >= 3 or check-in.pain >= 5"}
            Redundant.
            :::

            ::: if {when="week >= 1"}
            Everyone.
            :::

            ::: if {when="check-in.pain > 5 and check-in.pain < 6"}
            No one.
            :::
            """);
        var result = ProgramCompiler.Compile(t.Path, Options);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var found = result.Diagnostics.Select(d => $"{d.Id} {d.Location.Line + 1}:{d.Location.Column + 1}").ToList();
        // 'check-in.pain >= 5' never matters beside '>= 3'; line 14 holds for everyone; line 18 for no one (a scale has no value between 5 and 6).
        Assert.Equal(["CE0805 10:37", "CE0804 14:15", "CE0803 18:15"], found);
        Assert.Contains("'check-in.pain >= 5' never changes", result.Diagnostics[0].Message);
        var never = result.Exploration!.Targets.Single(x => x.Condition.Source.Contains("< 6"));
        Assert.Null(never.Gets);
        Assert.NotNull(never.DoesNot);
    }

    [Fact]
    public void OffersAndPhasesAreExploredThroughTheScheduler()
    {
        using var t = Program("""
            ---
            id: more
            title: More
            phase: treatment
            week: 2
            optional: true
            offer_when: "check-in.areas == 'sleep' or check-in.sleep <= 3"
            offer_reason: You sleep badly.
            ---

            Sleep better.
            """, choose: "\n    choose: {min: 1, max: 1}");
        var result = ProgramCompiler.Compile(t.Path, Options);
        var offer = result.Exploration!.Targets.Single(x => x.Kind == TargetKind.Offer);
        Assert.True(offer.Getting > 0 && offer.Getting < offer.Patients);
        // The smallest patient who is recommended it answered one thing.
        Assert.Equal(1, offer.Gets!.Patient.Answers.Values.Cast<Dictionary<string, object>>().Sum(a => a.Count));
        var phase = Assert.Single(result.Exploration.Phases);
        Assert.Equal((0, 1), (phase.Fewest, phase.Most));
        var finding = Assert.Single(result.Diagnostics, d => d.Id == "CE0807");
        Assert.Contains("some patients are recommended none of the phase's optional modules (1 in all), yet must choose at least 1", finding.Message);
        Assert.Equal("program.yaml", finding.Location.Path);
        Assert.Equal(10, finding.Location.Line + 1);
    }

    [Fact]
    public void ConditionsThatCannotBeSplitAreSampledAndSaidSo()
    {
        using var t = Program("""
            ---
            id: more
            title: More
            phase: treatment
            week: 2
            ---

            Text.

            ::: if {when="check-in.pain + check-in.sleep >= 12"}
            A hard week.
            :::
            """);
        var result = ProgramCompiler.Compile(t.Path, Options);
        Assert.False(result.HasErrors);
        var block = Assert.Single(result.Exploration!.Targets);
        Assert.True(block.Approximate);
        Assert.False(block.Sampled);
        Assert.True(block.Getting > 0 && block.Getting < block.Patients);
        Assert.Contains(result.Exploration.Notes, n => n.Contains("not explored exactly", StringComparison.Ordinal) && n.Contains("check-in.pain", StringComparison.Ordinal));
    }

    [Fact]
    public void AWeekOverTheLimitAndASafetyMessageInAnOptionalModuleAreReported()
    {
        using var t = Program("""
            ---
            id: more
            title: More
            phase: treatment
            week: 2
            minutes: 50
            optional: true
            ---

            Text.

            ::: safety
            Stop if it hurts.
            :::
            """, extraProgram: "max_minutes_per_week: 40");
        var result = ProgramCompiler.Compile(t.Path, Options);
        var codes = result.Diagnostics.Select(d => d.Id).ToList();
        Assert.Contains("CE0808", codes);
        var week = Assert.Single(result.Diagnostics, d => d.Id == "CE0809");
        Assert.Contains("In week 2 a patient can be given 50 minutes, more than max_minutes_per_week (40)", week.Message);
    }

    [Fact]
    public async Task AProgramThatDoesNotCompileIsNotExplored()
    {
        using var t = Program("""
            ---
            id: more
            title: More
            phase: treatment
            week: 2
            ---

            ::: if {when="check-in.pian >= 3"}
            Text.
            :::
            """);
        var (code, output, err) = await Run("explore", t.Path);
        Assert.Equal(1, code);
        Assert.Contains("error CE0302", output);
        Assert.Contains("explored once it compiles", err);
        Assert.DoesNotContain("recommended when", output);
    }

    [Fact]
    public async Task WarnAsErrorMakesFindingsFail()
    {
        using var t = Program("""
            ---
            id: more
            title: More
            phase: treatment
            week: 2
            ---

            ::: if {when="week >= 1"}
            Everyone.
            :::
            """);
        var (code, _, _) = await Run("explore", t.Path);
        Assert.Equal(0, code);
        (code, var output, _) = await Run("explore", t.Path, "--warnaserror");
        Assert.Equal(1, code);
        Assert.Contains("error CE0804", output);
        (code, _, _) = await Run("check", t.Path, "--warnaserror");
        Assert.Equal(1, code);
    }
}

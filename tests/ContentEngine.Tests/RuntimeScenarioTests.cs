using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContentEngine.Model;
using ContentEngine.Runtime.Packaging;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Tests;

/// <summary>
/// Patients walked through the sample program's weeks with the runtime library, opened from the
/// sample's package. What is expected comes from the program's sources: program.yaml's phases and
/// each module's week, requires and optional.
/// </summary>
public sealed partial class RuntimeScenarioTests
{
    private sealed record SourcePhase(string Id, int Weeks, int PauseBefore, int FirstWeek, int? Min, int? Max)
    {
        public int LastWeek => FirstWeek + Weeks - 1;
    }

    private sealed record SourceModule(string Id, string Phase, int Week, int ProgramWeek, bool Optional, ImmutableArray<string> Requires, string? OfferWhen, string? OfferReasonEn, string? OfferReasonSv);

    private sealed record Sources(ImmutableArray<SourcePhase> Phases, ImmutableArray<SourceModule> Modules)
    {
        public SourceModule this[string id] => Modules.Single(m => m.Id == id);
        public SourcePhase Phase(string id) => Phases.Single(p => p.Id == id);
    }

    [GeneratedRegex(@"^(?<key>[a-z_]+):\s*(?<value>.*?)\s*(#.*)?$")]
    private static partial Regex TopLevel();

    [GeneratedRegex(@"^\s+(?<key>[a-z]{2}):\s*(?<value>.*?)\s*$")]
    private static partial Regex LocaleLine();

    private static string Unquote(string s) => s.Length >= 2 && (s[0] == '\'' || s[0] == '"') && s[^1] == s[0] ? s[1..^1] : s;

    private static ImmutableArray<string> List(string? s) =>
        s is null ? [] : [.. s.Trim('[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>The facts of the sample program as its sources state them.</summary>
    private static readonly Lazy<Sources> Source = new(() =>
    {
        var folder = PackageTestData.SampleFolder;
        var phases = new List<SourcePhase>();
        var yaml = File.ReadAllLines(Path.Combine(folder, "program.yaml"));
        var inPhases = false;
        Dictionary<string, string>? current = null;
        var rawPhases = new List<Dictionary<string, string>>();
        foreach (var line in yaml)
        {
            if (line.StartsWith("phases:", StringComparison.Ordinal)) { inPhases = true; continue; }
            if (!inPhases) continue;
            var m = Regex.Match(line, @"^\s+(- )?(?<key>[a-z_]+):\s*(?<value>.*?)\s*(#.*)?$");
            if (!m.Success) continue;
            if (line.TrimStart().StartsWith("- ", StringComparison.Ordinal)) rawPhases.Add(current = new Dictionary<string, string>());
            current![m.Groups["key"].Value] = m.Groups["value"].Value;
        }
        var week = 1;
        foreach (var p in rawPhases)
        {
            var pause = p.TryGetValue("pause_before", out var pb) ? int.Parse(pb) : 0;
            int? min = null, max = null;
            if (p.TryGetValue("choose", out var choose))
            {
                min = int.Parse(Regex.Match(choose, @"min:\s*(\d+)").Groups[1].Value);
                if (Regex.Match(choose, @"max:\s*(\d+)") is { Success: true } mx) max = int.Parse(mx.Groups[1].Value);
            }
            week += pause;
            var phase = new SourcePhase(p["id"], int.Parse(p["weeks"]), pause, week, min, max);
            phases.Add(phase);
            week += phase.Weeks;
        }

        var modules = new List<SourceModule>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(folder, "modules"), "*.md").Order(StringComparer.Ordinal))
        {
            if (Regex.IsMatch(Path.GetFileName(file), @"\.[a-z]{2}\.md$")) continue; // a translation
            var lines = File.ReadAllLines(file);
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
            string? lastKey = null;
            for (var i = 1; i < lines.Length && lines[i] != "---"; i++)
            {
                if (TopLevel().Match(lines[i]) is { Success: true } t)
                {
                    lastKey = t.Groups["key"].Value;
                    keys[lastKey] = t.Groups["value"].Value;
                }
                else if (lastKey == "offer_reason" && LocaleLine().Match(lines[i]) is { Success: true } l)
                    reasons[l.Groups["key"].Value] = l.Groups["value"].Value;
            }
            var phase = phases.Single(p => p.Id == keys["phase"]);
            var w = int.Parse(keys["week"]);
            modules.Add(new SourceModule(keys["id"], phase.Id, w, phase.FirstWeek + w - 1, keys.GetValueOrDefault("optional") == "true",
                List(keys.GetValueOrDefault("requires")), keys.TryGetValue("offer_when", out var ow) ? Unquote(ow) : null,
                reasons.GetValueOrDefault("en"), reasons.GetValueOrDefault("sv")));
        }
        return new Sources([.. phases], [.. modules]);
    });

    private static Sources Content => Source.Value;

    private static readonly Lazy<ProgramPackage> Package = new(PackageTestData.OpenSample);

    private static ProgramGraph Program => Package.Value.Program;

    private static readonly string[] Treatment = ["welcome", "values", "physical-exercise", "acceptance", "mindfulness", "defusion", "committed-action"];

    private static ImmutableArray<string> Ids(IEnumerable<ModuleStatus> modules) => [.. modules.Select(m => m.Id)];

    /// <summary>The rules of the schedule applied to the sources: the state a module should have.</summary>
    private static ModuleState Expected(SourceModule m, int week, IReadOnlySet<string> completed, IReadOnlySet<string> chosen, bool all = false)
    {
        if (completed.Contains(m.Id)) return ModuleState.Completed;
        var released = week >= 1 && week >= (all ? 1 : m.ProgramWeek);
        if (!released || !m.Requires.All(completed.Contains)) return ModuleState.Locked;
        if (!m.Optional || chosen.Contains(m.Id)) return ModuleState.Open;
        var phase = Content.Phase(m.Phase);
        var chosenInPhase = Content.Modules.Count(x => x.Phase == phase.Id && x.Optional && chosen.Contains(x.Id));
        return phase.Max is { } max && chosenInPhase >= max ? ModuleState.Locked : ModuleState.Offered;
    }

    [Fact]
    public void ThePackagedProgramSaysWhatItsSourcesSay()
    {
        Assert.Equal(Content.Modules.Select(m => m.Id).Order(StringComparer.Ordinal), Program.Modules.Select(m => m.Id).Order(StringComparer.Ordinal));
        foreach (var s in Content.Modules)
        {
            var m = Program.FindModule(s.Id)!;
            Assert.Equal((s.Phase, s.Week, s.ProgramWeek, s.Optional, s.OfferWhen), (m.Phase, m.Week, m.ProgramWeek, m.Optional, m.OfferWhen?.Source));
            Assert.Equal<string>(s.Requires, m.Requires);
        }
        foreach (var s in Content.Phases)
        {
            var p = Program.FindPhase(s.Id)!;
            Assert.Equal((s.FirstWeek, s.LastWeek, s.PauseBefore, s.Min, s.Max), (p.FirstWeek, p.LastWeek, p.PauseBefore, p.Choose?.Min, p.Choose?.Max));
        }
        // The program the scenarios walk: six weeks of treatment, a four-week pause, eleven weeks of aftercare with 1 to 4 choices.
        Assert.Equal(21, Program.TotalWeeks);
        Assert.Equal(11, Content.Phase("aftercare").FirstWeek);
        Assert.Equal(Treatment.Order(StringComparer.Ordinal), Content.Modules.Where(m => m.Phase == "treatment").Select(m => m.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void APatientWhoCompletesEverythingOnTime()
    {
        var start = new DateOnly(2026, 1, 5);
        var completed = new HashSet<string>(StringComparer.Ordinal);
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        var aftercare = Content.Phase("aftercare");
        ProgramStatus? status = null;
        for (var week = 1; week <= Program.TotalWeeks; week++)
        {
            var today = start.AddDays(7 * (week - 1) + week % 7); // some day of the week
            while (true)
            {
                status = Program.Evaluate(new PatientProgress { StartDate = start, Today = today, Completed = [.. completed], Chosen = [.. chosen] });
                Assert.Equal(week, status.Week);
                Assert.Equal(Content.Phases.FirstOrDefault(p => week >= p.FirstWeek && week <= p.LastWeek)?.Id, status.CurrentPhase?.Id);
                Assert.Equal(Program.Modules.Select(m => m.Id), status.Modules.Select(m => m.Id));

                foreach (var ms in status.Modules)
                {
                    var source = Content[ms.Id];
                    var at = $"week {week}, {ms.Id}";
                    Assert.True(Expected(source, week, completed, chosen) == ms.State, $"{at}: {ms.State}, expected {Expected(source, week, completed, chosen)}");
                    var opensOn = start.AddDays(7 * (source.ProgramWeek - 1));
                    if (ms.State == ModuleState.Completed)
                        Assert.Empty(ms.Reasons);
                    if (week < source.ProgramWeek && ms.State != ModuleState.Completed)
                    {
                        var reason = Assert.Single(ms.Reasons, r => r.Kind == LockKind.NotYetReleased);
                        Assert.Equal(source.ProgramWeek, reason.OpensInWeek);
                        Assert.Equal(opensOn, reason.OpensOn);
                        Assert.Contains(opensOn.ToString("yyyy-MM-dd"), reason.Message);
                        Assert.Equal(opensOn, ms.OpensOn);
                    }
                    else
                    {
                        Assert.DoesNotContain(ms.Reasons, r => r.Kind == LockKind.NotYetReleased);
                        Assert.Null(ms.OpensOn);
                    }
                    var missing = source.Requires.Where(r => !completed.Contains(r)).ToList();
                    if (ms.State != ModuleState.Completed && missing.Count > 0)
                        Assert.Equal(missing, Assert.Single(ms.Reasons, r => r.Kind == LockKind.RequiresModules).Modules);
                    Assert.Equal(chosen.Contains(ms.Id), ms.Chosen);
                }

                var upcoming = Content.Modules.Where(m => m.ProgramWeek > week && !completed.Contains(m.Id)).ToList();
                if (upcoming.Count == 0) Assert.Null(status.Next);
                else
                {
                    var next = upcoming.Min(m => m.ProgramWeek);
                    Assert.NotNull(status.Next);
                    Assert.Equal(next, status.Next.Week);
                    Assert.Equal(start.AddDays(7 * (next - 1)), status.Next.Date);
                    Assert.Equal(upcoming.Where(m => m.ProgramWeek == next).Select(m => m.Id).Order(StringComparer.Ordinal), status.Next.Modules.Order(StringComparer.Ordinal));
                }

                // In aftercare, once modules are offered, the patient chooses two of them.
                if (chosen.Count == 0 && status.Offered.Any())
                {
                    Assert.Equal(aftercare.Id, status.CurrentPhase?.Id);
                    var choice = Assert.Single(status.Choices);
                    Assert.Equal((0, 0, 0, (int?)6), (choice.Chosen, choice.StillRequired, choice.Min, choice.Max));
                    foreach (var id in status.Offered.Take(2).Select(m => m.Id).ToList()) chosen.Add(id);
                    continue;
                }
                var open = status.Open.FirstOrDefault();
                if (open is null) break;
                completed.Add(open.Id);
            }
        }

        Assert.NotNull(status);
        Assert.Equal(21, status.Week);
        Assert.Equal(2, chosen.Count);
        Assert.All(Content.Modules.Where(m => !m.Optional), m => Assert.Contains(m.Id, completed));
        Assert.All(chosen, id => Assert.Contains(id, completed));
        Assert.Empty(status.Open);
        Assert.Null(status.Next);
        var final = Assert.Single(status.Choices);
        Assert.Equal((2, (int?)4, 0), (final.Chosen, final.Remaining, final.StillRequired));
        Assert.All(status.Modules.Where(m => m.Module.Optional && !m.Chosen), m => Assert.Equal(ModuleState.Offered, m.State));
    }

    [Fact]
    public void APatientWhoStoppedInWeekThree()
    {
        string[] done = ["welcome", "values", "physical-exercise"];
        Assert.All(done, id => Assert.True(Content[id].ProgramWeek < 3));
        Assert.Equal(3, Content["acceptance"].ProgramWeek);
        Assert.Contains("acceptance", Content["mindfulness"].Requires);

        var start = new DateOnly(2026, 1, 5);
        var byWeek = Program.Evaluate(new PatientProgress { Week = 8, StartDate = start, Completed = done });
        var byDate = Program.Evaluate(new PatientProgress { StartDate = start, Today = start.AddDays(7 * 7 + 3), Completed = done });
        foreach (var status in new[] { byWeek, byDate })
        {
            Assert.Equal(8, status.Week);
            Assert.Null(status.CurrentPhase); // the pause between treatment and aftercare
            Assert.Equal(new[] { "acceptance" }, Ids(status.Open));
            Assert.All(done, id => Assert.Equal(ModuleState.Completed, status[id].State));

            var mindfulness = status["mindfulness"];
            Assert.Equal(ModuleState.Locked, mindfulness.State);
            var reason = Assert.Single(mindfulness.Reasons);
            Assert.Equal(LockKind.RequiresModules, reason.Kind);
            Assert.Equal(new[] { "acceptance" }, reason.Modules);
            Assert.Contains("'acceptance'", reason.Message);
            Assert.Null(reason.OpensInWeek);

            Assert.Equal(new[] { "defusion" }, Assert.Single(status["committed-action"].Reasons).Modules);

            foreach (var source in Content.Modules.Where(m => m.Phase == "aftercare"))
            {
                var ms = status[source.Id];
                Assert.Equal(ModuleState.Locked, ms.State);
                var notYet = Assert.Single(ms.Reasons, r => r.Kind == LockKind.NotYetReleased);
                Assert.Equal(source.ProgramWeek, notYet.OpensInWeek);
                Assert.True(notYet.OpensInWeek >= 11);
                Assert.Equal(start.AddDays(7 * (source.ProgramWeek - 1)), notYet.OpensOn);
            }
            Assert.Equal(11, status["maintaining"].Reasons.Single(r => r.Kind == LockKind.NotYetReleased).OpensInWeek);
            Assert.NotNull(status.Next);
            Assert.Equal((11, (DateOnly?)start.AddDays(70)), (status.Next.Week, status.Next.Date));
            Assert.Equal(new[] { "maintaining" }, status.Next.Modules);
        }

        // Nothing in aftercare opens before week 11, however far the patient got.
        for (var week = 7; week <= 10; week++)
        {
            var status = Program.Evaluate(new PatientProgress { Week = week, Completed = Treatment });
            Assert.Empty(status.Open);
            Assert.All(status.Modules.Where(m => m.Module.Phase == "aftercare"),
                m => Assert.Contains(m.Reasons, r => r.Kind == LockKind.NotYetReleased && r.OpensInWeek >= 11));
        }
        Assert.Equal(new[] { "maintaining" }, Ids(Program.Evaluate(new PatientProgress { Week = 11, Completed = Treatment }).Open));
    }

    private const string TwoRecommendations = """
        {
          "week": 12,
          "completed": ["welcome", "values", "physical-exercise", "acceptance", "mindfulness", "defusion", "committed-action", "maintaining"],
          "answers": {
            "aftercare-wishes": {"areas": [], "stress": 8, "low-days": 1, "relationship-strain": 2, "work-situation": "working"},
            "sleep-diary": [
              {"bedtime": "23:30", "wake-time": "05:00", "hours": 5, "quality": 4},
              {"bedtime": "23:00", "wake-time": "05:30", "hours": 5.5, "quality": 3},
              {"bedtime": "22:30", "wake-time": "05:00", "hours": 6, "quality": 4}
            ],
            "pain-rating": {"intensity": 4, "control": 3}
          }
        }
        """;

    [Fact]
    public void APatientWhoseAnswersRecommendTwoModulesChoosesOne()
    {
        // The answers hit exactly these conditions of the sample.
        Assert.Contains("aftercare-wishes.stress >= 7", Content["stress"].OfferWhen);
        Assert.Contains("sleep-diary.mean(hours) < 6", Content["sleep"].OfferWhen);
        Assert.Contains("pain-rating.intensity >= 7", Content["flare-ups"].OfferWhen);
        Assert.Contains("aftercare-wishes.low-days >= 4", Content["low-mood"].OfferWhen);
        Assert.Contains("aftercare-wishes.relationship-strain >= 6", Content["relationships"].OfferWhen);
        Assert.Contains("aftercare-wishes.work-situation == \"sick-leave\"", Content["work"].OfferWhen);

        using var json = JsonDocument.Parse(TwoRecommendations);
        var progress = PatientProgress.FromJson(json.RootElement);
        Assert.Equal(12, progress.Week);
        Assert.True(progress.Answers["sleep-diary"].IsDiary);

        string[] recommended = ["sleep", "stress"];
        var before = Program.Evaluate(progress);
        Assert.Equal(recommended, Ids(before.Recommended).Order(StringComparer.Ordinal));
        foreach (var ms in before.Modules)
        {
            var source = Content[ms.Id];
            if (recommended.Contains(ms.Id))
            {
                Assert.True(ms.Recommended);
                Assert.NotNull(ms.RecommendationReason);
                Assert.Equal(source.OfferReasonEn, ms.RecommendationReason.Get("en"));
                Assert.Equal(source.OfferReasonSv, ms.RecommendationReason.Get("sv"));
                Assert.Equal(ModuleState.Offered, ms.State);
            }
            else
            {
                Assert.False(ms.Recommended, ms.Id);
                Assert.Null(ms.RecommendationReason);
            }
        }
        Assert.Equal(Content.Modules.Where(m => m.Optional).Select(m => m.Id).Order(StringComparer.Ordinal), Ids(before.Offered).Order(StringComparer.Ordinal));
        var none = Assert.Single(before.Choices);
        Assert.Equal(("aftercare", 0, 0, (int?)6, (int?)6, 0), (none.Phase.Id, none.Chosen, none.Min, none.Max, none.Remaining, none.StillRequired));

        // Chosen: open, counted; still recommended, but no longer listed as a recommendation to act on.
        var after = Program.Evaluate(progress with { Chosen = ["sleep"] });
        Assert.Equal(ModuleState.Open, after["sleep"].State);
        Assert.True(after["sleep"].Chosen);
        Assert.True(after["sleep"].Recommended);
        Assert.Equal(new[] { "stress" }, Ids(after.Recommended));
        var one = Assert.Single(after.Choices);
        Assert.Equal((1, 0, (int?)6, (int?)5, 0), (one.Chosen, one.Min, one.Max, one.Remaining, one.StillRequired));
        Assert.Equal(ModuleState.Offered, after["stress"].State);

        // Chosen before its week came, or before maintaining is completed: still locked, for that reason.
        var early = Program.Evaluate(progress with { Week = 11, Chosen = ["sleep"] });
        Assert.Equal(ModuleState.Locked, early["sleep"].State);
        Assert.Equal(Content["sleep"].ProgramWeek, Assert.Single(early["sleep"].Reasons).OpensInWeek);
        var notReady = Program.Evaluate(progress with { Chosen = ["sleep"], Completed = Treatment });
        Assert.Equal(ModuleState.Locked, notReady["sleep"].State);
        Assert.Equal(new[] { "maintaining" }, Assert.Single(notReady["sleep"].Reasons).Modules);
        Assert.Equal(ModuleState.Open, notReady["maintaining"].State);

        // Six chosen: the phase's maximum; the other one locks.
        string[] four = ["sleep", "stress", "work", "relationships", "flare-ups", "low-mood"];
        var full = Program.Evaluate(progress with { Chosen = four });
        var all = Assert.Single(full.Choices);
        Assert.Equal((6, (int?)0, 0), (all.Chosen, all.Remaining, all.StillRequired));
        Assert.All(four, id => Assert.Equal(ModuleState.Open, full[id].State));
        foreach (var id in Content.Modules.Where(m => m.Optional && !four.Contains(m.Id)).Select(m => m.Id))
        {
            Assert.Equal(ModuleState.Locked, full[id].State);
            var reason = Assert.Single(full[id].Reasons);
            Assert.Equal(LockKind.ChoiceLimitReached, reason.Kind);
            Assert.Contains("6", reason.Message);
        }
        Assert.Empty(full.Offered);
        Assert.DoesNotContain(full.Recommended, m => m.State != ModuleState.Locked);

        // What is not an optional module of the program does not count as a choice.
        var odd = Program.Evaluate(progress with { Chosen = ["welcome", "no-such-module"] });
        Assert.Equal(0, Assert.Single(odd.Choices).Chosen);
    }

    [Fact]
    public void ExactlyTheOffersWhoseConditionsHoldAreRecommended()
    {
        // One answer per condition of the sample's optional modules, each alone; a patient who has not answered
        // the aftercare wishes (all its required questions) is recommended pacing as well.
        var cases = new (string Module, string Answers)[]
        {
            ("flare-ups", """{"pain-rating": {"intensity": 7}}"""),
            ("flare-ups", """{"exercise-diary": [{"pain": 3}, {"pain": 8}]}"""),
            ("low-mood", """{"aftercare-wishes": {"low-days": 4}}"""),
            ("relationships", """{"aftercare-wishes": {"relationship-strain": 6}}"""),
            ("sleep", """{"sleep-diary": [{"quality": 2}, {"quality": 2}]}"""),
            ("stress", """{"aftercare-wishes": {"stress": 7}}"""),
            ("work", """{"aftercare-wishes": {"work-situation": "part-sick-leave"}}"""),
            ("work", """{"aftercare-wishes": {"areas": ["work"]}}"""),
        };
        foreach (var (module, answers) in cases)
        {
            using var json = JsonDocument.Parse($$"""{"week": 12, "answers": {{answers}}}""");
            var status = Program.Evaluate(PatientProgress.FromJson(json.RootElement));
            // answered() needs every required field: stress and low-days.
            var answered = answers.Contains("\"stress\"", StringComparison.Ordinal) && answers.Contains("\"low-days\"", StringComparison.Ordinal);
            string[] expected = answered ? [module] : [module, "pacing"];
            Assert.True(expected.Order(StringComparer.Ordinal).SequenceEqual(Ids(status.Modules.Where(m => m.Recommended)).Order(StringComparer.Ordinal)),
                $"{answers}: {string.Join(", ", Ids(status.Modules.Where(m => m.Recommended)))}");
        }
        using var nothing = JsonDocument.Parse("""{"week": 12}""");
        Assert.Equal(new[] { "pacing" }, Ids(Program.Evaluate(PatientProgress.FromJson(nothing.RootElement)).Modules.Where(m => m.Recommended)).AsEnumerable());
        using var told = JsonDocument.Parse("""{"week": 12, "answers": {"aftercare-wishes": {"areas": [], "stress": 2, "low-days": 1}}}""");
        Assert.Empty(Program.Evaluate(PatientProgress.FromJson(told.RootElement)).Modules.Where(m => m.Recommended));
    }

    [Fact]
    public void BeforeTheStartDateEverythingIsLocked()
    {
        var start = new DateOnly(2026, 3, 2);
        var status = Program.Evaluate(new PatientProgress { StartDate = start, Today = new DateOnly(2026, 2, 20) });
        Assert.Equal(0, status.Week);
        Assert.Null(status.CurrentPhase);
        Assert.Empty(status.Open);
        Assert.Empty(status.Offered);
        foreach (var ms in status.Modules)
        {
            Assert.Equal(ModuleState.Locked, ms.State);
            var reason = Assert.Single(ms.Reasons, r => r.Kind == LockKind.ProgramNotStarted);
            Assert.Contains("2026-03-02", reason.Message);
            Assert.DoesNotContain(ms.Reasons, r => r.Kind == LockKind.NotYetReleased);
            Assert.Equal(start.AddDays(7 * (Content[ms.Id].ProgramWeek - 1)), ms.OpensOn);
        }
        Assert.NotNull(status.Next);
        Assert.Equal((1, (DateOnly?)start), (status.Next.Week, status.Next.Date));
        Assert.Equal(new[] { "welcome" }, status.Next.Modules);

        // Completed modules stay completed even so.
        Assert.Equal(ModuleState.Completed, Program.Evaluate(new PatientProgress { StartDate = start, Today = start.AddDays(-1), Completed = ["welcome"] })["welcome"].State);

        // From the start date on, the week is floor(days / 7) + 1.
        for (var days = 0; days <= 7 * 23; days++)
            Assert.Equal(days / 7 + 1, Program.Evaluate(new PatientProgress { StartDate = start, Today = start.AddDays(days) }).Week);
        Assert.Equal(ModuleState.Open, Program.Evaluate(new PatientProgress { StartDate = start, Today = start })["welcome"].State);

        // From JSON, with the dates as the web bundle's state carries them; a given week wins over the dates.
        using var json = JsonDocument.Parse("""{"start": "2026-03-02", "today": "2026-03-20", "completed": ["welcome"]}""");
        var fromJson = PatientProgress.FromJson(json.RootElement);
        Assert.Equal((start, new DateOnly(2026, 3, 20)), (fromJson.StartDate!.Value, fromJson.Today!.Value));
        Assert.Null(fromJson.Week);
        Assert.Equal(3, Program.Evaluate(fromJson).Week);
        Assert.Equal(5, Program.Evaluate(fromJson with { Week = 5 }).Week);
    }

    [Fact]
    public void ReleaseAllReleasesEveryModuleInWeekOneStillSubjectToRequires()
    {
        using var t = new TestPaths.TempFolder();
        var folder = Path.Combine(t.Path, PackageTestData.SampleName);
        PackageTestData.CopyFolder(PackageTestData.SampleFolder, folder);
        var yamlPath = Path.Combine(folder, "program.yaml");
        var yaml = File.ReadAllText(yamlPath);
        Assert.Contains("release: weekly", yaml);
        File.WriteAllText(yamlPath, yaml.Replace("release: weekly", "release: all", StringComparison.Ordinal));

        var program = ProgramPackage.Open(new MemoryStream(PackageTestData.Build(folder).Bytes)).Program;
        Assert.Equal(ReleaseMode.All, program.Release);

        var start = new DateOnly(2026, 1, 5);
        var completed = new HashSet<string>(StringComparer.Ordinal);
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var status = program.Evaluate(new PatientProgress { StartDate = start, Today = start.AddDays(2), Completed = [.. completed], Chosen = [.. chosen] });
            Assert.Equal(1, status.Week);
            Assert.Null(status.Next);
            foreach (var ms in status.Modules)
            {
                var source = Content[ms.Id];
                Assert.Equal(Expected(source, 1, completed, chosen, all: true), ms.State);
                Assert.DoesNotContain(ms.Reasons, r => r.Kind == LockKind.NotYetReleased);
                Assert.Null(ms.OpensOn);
                if (ms.State == ModuleState.Locked && chosen.Count < 4)
                    Assert.Equal(source.Requires.Where(r => !completed.Contains(r)), Assert.Single(ms.Reasons).Modules);
            }
            if (completed.Count == 0) Assert.Equal(new[] { "welcome" }, Ids(status.Open));
            if (chosen.Count == 0 && status.Offered.Any())
            {
                foreach (var id in status.Offered.Select(m => m.Id).Take(1)) chosen.Add(id);
                continue;
            }
            var open = status.Open.FirstOrDefault();
            if (open is null) break;
            completed.Add(open.Id);
        }
        Assert.All(Content.Modules.Where(m => !m.Optional), m => Assert.Contains(m.Id, completed));
        Assert.All(chosen, id => Assert.Contains(id, completed));
        Assert.Single(chosen);
    }
}

using System.Text.Json;
using ContentEngine.Runtime.Migration;
using ContentEngine.Runtime.Packaging;
using ContentEngine.Runtime.Patients;

namespace ContentEngine.Tests;

/// <summary>
/// The per-patient notices of a migration: a small program written here, in a version 1.0.0 and a 1.1.0
/// made from it by one edit per test, and a patient state that meets the edit.
/// </summary>
public sealed class MigrationReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 10, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The program's files: week 1 of treatment is 2026-09-07, aftercare weeks 5-8 (2026-10-05 on).</summary>
    private static Dictionary<string, string> Program() => new(StringComparer.Ordinal)
    {
        ["program.yaml"] = """
            id: mini
            version: 1.0.0
            title: Mini
            locales: [en]
            guidance: guided
            release: weekly
            phases:
              - id: treatment
                title: Treatment
                weeks: 4
              - id: aftercare
                title: Aftercare
                weeks: 4
                choose: {min: 0, max: 3}
            """,
        ["modules/welcome.md"] = """
            ---
            title: Welcome
            phase: treatment
            week: 1
            minutes: 5
            ---

            # Welcome

            Fill in your wishes and how you feel.

            ::: worksheet {ref=wishes}
            What you wish for.
            :::

            ::: worksheet {ref=mood}
            How you feel.
            :::
            """,
        ["modules/values.md"] = """
            ---
            title: Values
            phase: treatment
            week: 4
            minutes: 5
            requires: [welcome]
            ---

            # Values

            What matters to you.
            """,
        ["modules/sleep.md"] = OptionalModule("sleep", "Sleep", "wishes.areas == \"sleep\""),
        ["modules/stress.md"] = OptionalModule("stress", "Stress", "wishes.stress >= 7"),
        ["modules/walking.md"] = OptionalModule("walking", "Walking", null),
        ["worksheets/wishes.md"] = """
            ---
            title: Wishes
            kind: form
            fields:
              - id: areas
                type: choice
                multiple: true
                label: What would you like to work on?
                options:
                  - {value: sleep, label: Sleep}
                  - {value: stress, label: Stress}
                  - {value: work, label: Work}
              - id: stress
                type: scale
                label: How stressed are you?
                min: 0
                max: 10
              - id: note
                type: text
                label: Anything else?
            ---
            Tell us what you wish for.
            """,
        ["worksheets/mood.md"] = """
            ---
            title: Mood
            kind: questionnaire
            fields:
              - id: q1
                type: scale
                label: How often were you low?
                required: true
                min: 0
                max: 4
              - id: q2
                type: scale
                label: How often were you worried?
                required: true
                min: 0
                max: 4
            scoring:
              scores:
                total: {sum: [q1, q2]}
              bands:
                total:
                  - {max: 3, label: Low}
                  - {label: High}
            ---
            Think of the last two weeks.
            """,
    };

    private static string OptionalModule(string id, string title, string? offerWhen) => $"""
        ---
        title: {title}
        phase: aftercare
        week: 1
        optional: true
        minutes: 5
        requires: [welcome]{(offerWhen is null ? "" : $"\noffer_when: '{offerWhen}'\noffer_reason: Your answers point here.")}
        ---

        # {title}

        About {title.ToLowerInvariant()}.
        """;

    /// <summary>The two packages: 1.0.0 as written above, 1.1.0 with <paramref name="edit"/> applied to the files.</summary>
    private static (ProgramPackage From, ProgramPackage To) Versions(Action<Dictionary<string, string>> edit)
    {
        using var temp = new TestPaths.TempFolder();
        var files = Program();
        var from = Package(temp, "v1", files);
        files["program.yaml"] = files["program.yaml"].Replace("version: 1.0.0", "version: 1.1.0", StringComparison.Ordinal);
        edit(files);
        return (from, Package(temp, "v2", files));
    }

    private static ProgramPackage Package(TestPaths.TempFolder temp, string name, Dictionary<string, string> files)
    {
        foreach (var (path, text) in files) temp.File(Path.Combine(name, path), text);
        return ProgramPackage.Open(new MemoryStream(PackageTestData.Build(Path.Combine(temp.Path, name), 1700000000).Bytes));
    }

    private static void Edit(Dictionary<string, string> files, string file, string from, string to)
    {
        Assert.True(files[file].Contains(from, StringComparison.Ordinal), $"{file} does not hold '{from}'");
        files[file] = files[file].Replace(from, to, StringComparison.Ordinal);
    }

    private static void AddRequiredSleepHours(Dictionary<string, string> files) =>
        Edit(files, "worksheets/wishes.md", "  - id: note\n", "  - id: sleep-hours\n    type: integer\n    label: Hours of sleep?\n    required: true\n  - id: note\n");

    private static void RemoveWorkOption(Dictionary<string, string> files) => Edit(files, "worksheets/wishes.md", "      - {value: work, label: Work}\n", "");

    /// <summary>A patient who started on 2026-09-07 (week 4 at <see cref="Now"/>) with the given completions, choices and answers.</summary>
    private static PatientRecord Patient(string answers, string completed = "\"welcome\"", string chosen = "", string start = "2026-09-07") => PatientRecord.Parse($$"""
        {
          "format": "contentengine-patient-state", "version": 1, "program": "mini", "programVersion": "1.0.0",
          "timeZone": "Europe/Stockholm", "start": "{{start}}",
          "completed": [{{completed}}], "chosen": [{{chosen}}],
          "answers": {{{answers}}}
        }
        """);

    private static MigrationReport Migrate(PatientRecord patient, (ProgramPackage From, ProgramPackage To) versions) =>
        PatientMigration.Migrate(patient, versions.From, versions.To, Now).Report;

    private static MigrationNotice Single(MigrationReport report, NoticeKind kind)
    {
        Assert.True(report.Notices.Count(n => n.Kind == kind) == 1,
            $"expected one {kind}, got: {string.Join(" | ", report.Notices.Select(n => $"{n.Kind} {n.Id}: {n.Message}"))}");
        return report.Notices.Single(n => n.Kind == kind);
    }

    [Fact]
    public void ANewRequiredFieldInAnAnsweredWorksheetIsToBeAsked()
    {
        var versions = Versions(f =>
        {
            Edit(f, "worksheets/wishes.md", "    label: Anything else?\n", "    label: Anything else?\n    required: true\n");
            AddRequiredSleepHours(f);
        });
        var report = Migrate(Patient("\"wishes\": {\"stress\": 3}"), versions);
        var added = report.Notices.Where(n => n.Kind == NoticeKind.NewRequiredField).ToList();
        Assert.Equal(["wishes.sleep-hours", "wishes.note"], added.Select(n => n.Id));
        Assert.All(added, n => Assert.Equal(NoticeAction.AskPatient, n.Action));
        Assert.Equal((null, "required"), (added[0].Before, added[0].After));
        Assert.Equal(("optional", "required"), (added[1].Before, added[1].After));
        Assert.Contains("ask the patient to answer wishes.note", added[1].Message);
        Assert.True(report.NeedsAttention);

        // A patient who answered the field, or never filled in the worksheet, is not asked.
        Assert.DoesNotContain(Migrate(Patient("\"wishes\": {\"stress\": 3, \"note\": \"hi\"}"), versions).Notices, n => n.Id == "wishes.note");
        Assert.Empty(Migrate(Patient("\"mood\": {\"q1\": 1, \"q2\": 1}"), versions).Notices);
    }

    [Fact]
    public void AnAnswerHoldingARemovedOrRenamedOptionIsFlagged()
    {
        var versions = Versions(f =>
        {
            RemoveWorkOption(f);
            Edit(f, "worksheets/wishes.md", "{value: stress, label: Stress}", "{value: stress-recovery, label: Stress}");
        });
        var report = Migrate(Patient("\"wishes\": {\"areas\": [\"sleep\", \"stress\", \"work\"]}"), versions);
        var removed = Single(report, NoticeKind.OptionRemoved);
        Assert.Equal(("wishes.areas", "work", (string?)null, NoticeAction.AskPatient), (removed.Id, removed.Before, removed.After, removed.Action));
        Assert.Contains("'work'", removed.Message);
        var renamed = Single(report, NoticeKind.OptionRenamed);
        Assert.Equal(("wishes.areas", "stress", "stress-recovery", NoticeAction.ReplaceAnswer), (renamed.Id, renamed.Before, renamed.After, renamed.Action));
        Assert.Equal(2, report.Notices.Length);
    }

    [Fact]
    public void AScoreThatComputesDifferentlyOrFallsInAnotherBandIsFlagged()
    {
        var items = Versions(f => Edit(f, "worksheets/mood.md", "total: {sum: [q1, q2]}", "total: {mean: [q1, q2]}"));
        var score = Single(Migrate(Patient("\"mood\": {\"q1\": 1, \"q2\": 3}"), items), NoticeKind.ScoreChanged);
        Assert.Equal(("mood.total", "4", "2", NoticeAction.TellTherapist), (score.Id, score.Before, score.After, score.Action));
        // 4 was High, and the mean, 2, is Low: both are said.
        var band = Single(Migrate(Patient("\"mood\": {\"q1\": 1, \"q2\": 3}"), items), NoticeKind.BandChanged);
        Assert.Equal(("High", "Low"), (band.Before, band.After));

        var bands = Versions(f => Edit(f, "worksheets/mood.md", "- {max: 3, label: Low}", "- {max: 4, label: Low}"));
        var report = Migrate(Patient("\"mood\": {\"q1\": 1, \"q2\": 3}"), bands);
        var moved = Single(report, NoticeKind.BandChanged);
        Assert.Equal(("mood.total", "High", "Low", NoticeAction.TellTherapist), (moved.Id, moved.Before, moved.After, moved.Action));
        Assert.DoesNotContain(report.Notices, n => n.Kind == NoticeKind.ScoreChanged);
        // A score that stays in its band, or that the patient does not have, gives nothing.
        Assert.Empty(Migrate(Patient("\"mood\": {\"q1\": 3, \"q2\": 3}"), bands).Notices);
        Assert.Empty(Migrate(Patient("\"mood\": {\"q1\": 3}"), bands).Notices);
    }

    [Fact]
    public void AModuleMovedInWeeksThePatientHasNotReachedIsFlaggedWithBothWeeks()
    {
        var versions = Versions(f => Edit(f, "modules/values.md", "week: 4", "week: 2"));
        // In week 1 the patient has not reached either week.
        var early = Single(Migrate(Patient("", start: "2026-09-28"), versions), NoticeKind.ModuleMoved);
        Assert.Equal(("values", "4", "2", NoticeAction.TellPatient), (early.Id, early.Before, early.After, early.Action));
        Assert.Contains("it opens in week 2 (2026-10-05), not 4", early.Message);
        // In week 3 it is released at once.
        var now = Single(Migrate(Patient("", start: "2026-09-14"), versions), NoticeKind.ModuleMoved);
        Assert.Contains("it is released for them now, in week 3", now.Message);
        // In week 4 it was released before and still is; completed, it is nobody's concern.
        Assert.Empty(Migrate(Patient(""), versions).Notices);
        Assert.Empty(Migrate(Patient("", start: "2026-09-28", completed: "\"welcome\", \"values\""), versions).Notices);

        // Moved earlier within the weeks the patient has reached, nothing changes for them.
        Assert.Empty(Migrate(Patient(""), Versions(f => Edit(f, "modules/values.md", "week: 4", "week: 3"))).Notices);
        // Moved later past the patient's week, it locks again.
        var later = Versions(f =>
        {
            Edit(f, "program.yaml", "    weeks: 4\n  - id: aftercare", "    weeks: 5\n  - id: aftercare");
            Edit(f, "modules/values.md", "week: 4", "week: 5");
        });
        var relocked = Migrate(Patient(""), later).Notices.Single(n => n.Id == "values");
        Assert.Equal((NoticeKind.ModuleMoved, "4", "5"), (relocked.Kind, relocked.Before, relocked.After));
        Assert.Contains("released for them before, it is locked again until week 5 (2026-10-05)", relocked.Message);
        // The aftercare modules moved a week with their phase, in weeks the patient has not reached.
        Assert.Equal(["sleep", "stress", "values", "walking"], Migrate(Patient(""), later).Notices.Select(n => n.Id).Order(StringComparer.Ordinal));
    }

    /// <summary>Started 2026-08-31: in week 5 at <see cref="Now"/>, the first week of aftercare, where the optional modules are offered.</summary>
    private const string InAftercare = "2026-08-31";

    [Fact]
    public void AnOfferThatIsRemovedIsFlaggedAndAChosenOneIsToBeChosenAgain()
    {
        var versions = Versions(f => f.Remove("modules/walking.md"));
        var offered = Single(Migrate(Patient("", start: InAftercare), versions), NoticeKind.OfferRemoved);
        Assert.Equal(("walking", NoticeAction.TellPatient), (offered.Id, offered.Action));
        Assert.Contains("stop offering it", offered.Message);

        var report = Migrate(Patient("", start: InAftercare, chosen: "\"walking\""), versions);
        var chosen = Single(report, NoticeKind.ChosenModuleRemoved);
        Assert.Equal(("walking", NoticeAction.AskToChoose), (chosen.Id, chosen.Action));
        Assert.Contains("ask them to choose another module of aftercare", chosen.Message);
        Assert.DoesNotContain(report.Notices, n => n.Kind == NoticeKind.OfferRemoved);
    }

    [Fact]
    public void AnOfferWhoseConditionNoLongerHoldsIsFlagged()
    {
        var versions = Versions(f => Edit(f, "modules/stress.md", "wishes.stress >= 7", "wishes.stress >= 8"));
        var notice = Single(Migrate(Patient("\"wishes\": {\"stress\": 7}", start: InAftercare), versions), NoticeKind.NoLongerRecommended);
        Assert.Equal(("stress", "wishes.stress >= 7", "wishes.stress >= 8", NoticeAction.TellPatient), (notice.Id, notice.Before, notice.After, notice.Action));
        Assert.EndsWith("stop recommending it; they may still choose it", notice.Message);
        var chosen = Single(Migrate(Patient("\"wishes\": {\"stress\": 7}", start: InAftercare, chosen: "\"stress\""), versions), NoticeKind.NoLongerRecommended);
        Assert.EndsWith("they chose it and keep it", chosen.Message);
        // Still met (stress 9), nothing.
        Assert.Empty(Migrate(Patient("\"wishes\": {\"stress\": 9}", start: InAftercare), versions).Notices);
    }

    [Fact]
    public void AChoiceLimitLoweredBelowWhatThePatientChoseIsFlaggedAndTheOffersItLocks()
    {
        var versions = Versions(f => Edit(f, "program.yaml", "choose: {min: 0, max: 3}", "choose: {min: 0, max: 1}"));
        var report = Migrate(Patient("", start: InAftercare, chosen: "\"sleep\", \"stress\""), versions);
        var limit = Single(report, NoticeKind.ChoiceLimitExceeded);
        Assert.Equal(("aftercare", "3", "1", NoticeAction.AskToChoose), (limit.Id, limit.Before, limit.After, limit.Action));
        Assert.Contains("chose 2 modules of aftercare ('sleep', 'stress')", limit.Message);
        var locked = Single(report, NoticeKind.OfferLocked);
        Assert.Equal(("walking", NoticeAction.TellPatient), (locked.Id, locked.Action));
        Assert.Contains("of at most 1 modules of aftercare are already chosen", locked.After);

        // Lowered to exactly what they chose: the others lock, and their choices are within the rule.
        report = Migrate(Patient("", start: InAftercare, chosen: "\"sleep\""), versions);
        Assert.Equal([NoticeKind.OfferLocked, NoticeKind.OfferLocked], report.Notices.Select(n => n.Kind));
    }

    [Fact]
    public void APatientMeetingSeveralChangesGetsANoticeForEach()
    {
        var versions = Versions(f =>
        {
            AddRequiredSleepHours(f);
            RemoveWorkOption(f);
            Edit(f, "worksheets/wishes.md", "    min: 0\n    max: 10\n", "    min: 0\n    max: 5\n");
            Edit(f, "worksheets/mood.md", "total: {sum: [q1, q2]}", "total: {sum: [q1]}");
            Edit(f, "modules/stress.md", "wishes.stress >= 7", "wishes.areas == \"stress\"");
            Edit(f, "modules/sleep.md", "week: 1", "week: 3");
            f.Remove("modules/walking.md");
        });
        var patient = Patient("\"wishes\": {\"areas\": [\"work\", \"sleep\"], \"stress\": 8}, \"mood\": {\"q1\": 1, \"q2\": 3}", start: InAftercare);
        var (migrated, report) = PatientMigration.Migrate(patient, versions.From, versions.To, Now);
        Assert.Equal(
        [
            (NoticeKind.NewRequiredField, "wishes.sleep-hours", NoticeAction.AskPatient),
            (NoticeKind.OptionRemoved, "wishes.areas", NoticeAction.AskPatient),
            (NoticeKind.OutsideRange, "wishes.stress", NoticeAction.AskPatient),
            (NoticeKind.ScoreChanged, "mood.total", NoticeAction.TellTherapist),
            (NoticeKind.BandChanged, "mood.total", NoticeAction.TellTherapist),
            (NoticeKind.ModuleMoved, "sleep", NoticeAction.TellPatient),
            (NoticeKind.OfferRemoved, "walking", NoticeAction.TellPatient),
            (NoticeKind.NoLongerRecommended, "stress", NoticeAction.TellPatient),
        ], report.Notices.Select(n => (n.Kind, n.Id, n.Action)));
        Assert.True(report.NeedsAttention);
        // Nothing of this changes the stored answers: they are kept as they were.
        Assert.Equal(JsonSerializer.Serialize(patient.Answers), JsonSerializer.Serialize(migrated.Answers));

        // The JSON lists the notices after the modules, each with the same keys, an absent value as null.
        using var json = JsonDocument.Parse(report.ToJson());
        Assert.Equal(["format", "version", "program", "from", "to", "at", "keptAside", "completedRemoved", "chosenRemoved", "week", "modules", "notices"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        var notices = json.RootElement.GetProperty("notices").EnumerateArray().ToList();
        Assert.Equal(report.Notices.Length, notices.Count);
        Assert.All(notices, n => Assert.Equal(["kind", "id", "before", "after", "action", "message"], n.EnumerateObject().Select(p => p.Name)));
        var moved = notices.Single(n => n.GetProperty("kind").GetString() == "moduleMoved");
        Assert.Equal(("sleep", "5", "7", "tellPatient"), (moved.GetProperty("id").GetString(), moved.GetProperty("before").GetString(),
            moved.GetProperty("after").GetString(), moved.GetProperty("action").GetString()));
        Assert.Equal(JsonValueKind.Null, notices.Single(n => n.GetProperty("kind").GetString() == "offerRemoved").GetProperty("before").ValueKind);
    }
}

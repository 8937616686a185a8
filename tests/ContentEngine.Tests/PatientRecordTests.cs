using System.Text.Json;
using System.Text.Json.Nodes;
using ContentEngine.Runtime.Patients;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Tests;

/// <summary>The stored patient state (docs/package-format.md, "The patient's state"): read, written and refused by the runtime.</summary>
public sealed class PatientRecordTests
{
    internal const string Example = """
        {
          "format": "contentengine-patient-state",
          "version": 1,
          "program": "iact-chronic-pain",
          "programVersion": "1.0.0",
          "timeZone": "Europe/Stockholm",
          "start": "2026-09-07",
          "week": 3,
          "completed": ["welcome", "values"],
          "chosen": ["sleep"],
          "answers": {
            "pain-rating": {"intensity": 7, "note": "Värre på morgonen \"ibland\""},
            "sleep-diary": [{"_date": "2026-09-08", "hours": 5}, {"_date": "2026-09-09", "hours": 6.50, "nap": false}],
            "activity-plan": {"rows": [{"activity": "Promenad", "when": "måndag"}, {"activity": "Simning", "when": null}]},
            "bulls-eye": {"work": {"value": "Vara närvarande", "mark": 3}}
          },
          "keptAside": {"old-worksheet": {"field": 3}}
        }
        """;

    [Fact]
    public void ReadsEveryValueOfTheState()
    {
        var r = PatientRecord.Parse(Example);
        Assert.Equal("iact-chronic-pain", r.ProgramId);
        Assert.Equal("1.0.0", r.ProgramVersion);
        Assert.Equal("Europe/Stockholm", r.TimeZone);
        Assert.Equal(new DateOnly(2026, 9, 7), r.StartDate);
        Assert.Equal(3, r.Week);
        Assert.Equal(["welcome", "values"], r.Completed);
        Assert.Equal(["sleep"], r.Chosen);
        Assert.Equal(["pain-rating", "sleep-diary", "activity-plan", "bulls-eye"], r.Answers.Keys);
        Assert.Equal("6.50", r.Answers["sleep-diary"].Entries[1]["hours"]!.ToString());
        Assert.Equal(3, r.KeptAside["old-worksheet"].Entries[0]["field"]!.AsNumber);
    }

    [Fact]
    public void WritesTheStateAsItReadsItLosslesslyInAFixedKeyOrder()
    {
        var r = PatientRecord.Parse(Example);
        var json = r.ToJson();
        Assert.DoesNotContain("\r", json);
        Assert.EndsWith("}\n", json, StringComparison.Ordinal);
        Assert.Contains("\"Värre på morgonen \\\"ibland\\\"\"", json, StringComparison.Ordinal);
        Assert.Contains("6.50", json, StringComparison.Ordinal);
        var again = PatientRecord.Parse(json);
        Assert.Equal(r, again);
        Assert.Equal(json, again.ToJson());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Example), JsonNode.Parse(json)));
        var keys = JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["format", "version", "program", "programVersion", "timeZone", "start", "week", "completed", "chosen", "answers", "keptAside"], keys);
    }

    [Fact]
    public void WritesOnlyWhatIsKnown()
    {
        var json = new PatientRecord { ProgramId = "p" }.ToJson();
        Assert.Equal("""
            {
              "format": "contentengine-patient-state",
              "version": 1,
              "program": "p",
              "completed": [],
              "chosen": [],
              "answers": {}
            }

            """.Replace("\r", "", StringComparison.Ordinal), json);
        var back = PatientRecord.Parse(json);
        Assert.Equal(new PatientRecord { ProgramId = "p" }, back);
        Assert.Null(back.TimeZone);
        Assert.Null(back.StartDate);
        Assert.Null(back.Week);
    }

    [Fact]
    public void RecordsDifferWhenAnAnswerDiffersAndNotWhenOnlyTheKeyOrderDoes()
    {
        var a = PatientRecord.Parse(Example);
        var reordered = PatientRecord.Parse(Example.Replace("{\"intensity\": 7, \"note\": \"Värre på morgonen \\\"ibland\\\"\"}",
            "{\"note\": \"Värre på morgonen \\\"ibland\\\"\", \"intensity\": 7}", StringComparison.Ordinal));
        Assert.NotSame(a, reordered);
        Assert.Equal(a, reordered);
        var changed = PatientRecord.Parse(Example.Replace("\"hours\": 5}", "\"hours\": 4}", StringComparison.Ordinal));
        Assert.NotEqual(a, changed);
        Assert.NotEqual(a, a with { Completed = ["values", "welcome"] });
    }

    [Fact]
    public void ReadsTheWebBundlesOlderAnswersFile()
    {
        var r = PatientRecord.Parse("""
            {"format": "contentengine-answers", "version": 1, "program": "iact-chronic-pain",
             "state": {"week": null, "start": "2026-09-07", "completed": ["welcome"], "chosen": [],
                       "answers": {"sleep-diary": [{"_date": "2026-09-08", "hours": 5}]}}}
            """);
        Assert.Equal(new PatientRecord
        {
            ProgramId = "iact-chronic-pain",
            StartDate = new DateOnly(2026, 9, 7),
            Completed = ["welcome"],
            Answers = PatientRecord.Parse("""{"format": "contentengine-patient-state", "version": 1, "program": "x", "answers": {"sleep-diary": [{"_date": "2026-09-08", "hours": 5}]}}""").Answers,
        }, r);
        Assert.Null(r.TimeZone);
        Assert.StartsWith("{\n  \"format\": \"contentengine-patient-state\"", r.ToJson(), StringComparison.Ordinal);
    }

    public static TheoryData<string, PatientStateError, string> BadStates => new()
    {
        { "not json {", PatientStateError.NotAPatientState, "not JSON" },
        { "", PatientStateError.NotAPatientState, "not JSON" },
        { "[1, 2]", PatientStateError.NotAPatientState, "a list" },
        { """{"resourceType": "Patient"}""", PatientStateError.NotAPatientState, "no \"format\"" },
        { """{"format": "contentengine-manifest", "version": 1}""", PatientStateError.NotAPatientState, "\"contentengine-manifest\"" },
        { """{"format": "contentengine-patient-state", "version": 3, "program": "p"}""", PatientStateError.NewerFormat, "version 3" },
        { """{"format": "contentengine-answers", "version": 3, "program": "p", "state": {}}""", PatientStateError.NewerFormat, "version 3" },
        { """{"format": "contentengine-patient-state", "version": "1", "program": "p"}""", PatientStateError.Invalid, "\"version\"" },
        { """{"format": "contentengine-patient-state", "program": "p"}""", PatientStateError.Invalid, "no \"version\"" },
        { """{"format": "contentengine-patient-state", "version": 1}""", PatientStateError.Invalid, "program" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": ""}""", PatientStateError.Invalid, "program" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "timeZone": "Europe/Atlantis"}""", PatientStateError.UnknownTimeZone, "Europe/Atlantis" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "timeZone": "+25:00"}""", PatientStateError.UnknownTimeZone, "+25:00" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "timeZone": "CET+1"}""", PatientStateError.UnknownTimeZone, "CET+1" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "timeZone": "../../etc/passwd"}""", PatientStateError.UnknownTimeZone, "neither" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "timeZone": 1}""", PatientStateError.Invalid, "\"timeZone\"" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "start": "2026-02-30"}""", PatientStateError.Invalid, "\"start\"" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "start": "7/9/2026"}""", PatientStateError.Invalid, "\"start\"" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "week": 2.5}""", PatientStateError.Invalid, "\"week\"" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "week": -1}""", PatientStateError.Invalid, "\"week\"" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "completed": "welcome"}""", PatientStateError.Invalid, "\"completed\"" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "chosen": [1]}""", PatientStateError.Invalid, "\"chosen\"[0]" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "answers": []}""", PatientStateError.Invalid, "\"answers\"" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "answers": {"pain": 7}}""", PatientStateError.Invalid, "answers.pain" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "answers": {"d": [{"_date": "2026-13-01"}]}}""", PatientStateError.Invalid, "answers.d\"[0]._date" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "answers": {"d": [3]}}""", PatientStateError.Invalid, "answers.d\"[0]" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "keptAside": {"old": "x"}}""", PatientStateError.Invalid, "keptAside.old" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "state": {}}""", PatientStateError.Invalid, "unknown key \"state\"" },
        { """{"format": "contentengine-answers", "version": 1, "program": "p"}""", PatientStateError.Invalid, "\"state\"" },
        { """{"format": "contentengine-answers", "version": 1, "program": "p", "state": {"start": "yesterday"}}""", PatientStateError.Invalid, "state.start" },
    };

    [Theory]
    [MemberData(nameof(BadStates))]
    public void RefusesABadStateWithATypedErrorNamingTheProblem(string json, PatientStateError error, string named)
    {
        var e = Assert.Throws<PatientStateException>(() => PatientRecord.Parse(json));
        Assert.Equal(error, e.Error);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesAStateOfAnotherProgramWhenEvaluated()
    {
        var program = PackageTestData.OpenSample().Program;
        var record = new PatientRecord { ProgramId = "another-program", StartDate = new DateOnly(2026, 9, 7) };
        var e = Assert.Throws<PatientStateException>(() => program.Evaluate(record, DateTimeOffset.UtcNow));
        Assert.Equal(PatientStateError.OtherProgram, e.Error);
        Assert.Contains("'another-program'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{program.Id}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownTimeZoneSetInCodeIsRefusedWhenTheDateIsNeeded()
    {
        var record = new PatientRecord { ProgramId = "p", TimeZone = "Mars/Olympus_Mons" };
        Assert.Equal(PatientStateError.UnknownTimeZone, Assert.Throws<PatientStateException>(() => record.LocalDate(DateTimeOffset.UtcNow)).Error);
    }

    [Theory]
    [InlineData(null, "2026-12-06T23:30:00Z", "2026-12-06")]
    [InlineData("Z", "2026-12-06T23:30:00Z", "2026-12-06")]
    [InlineData("+01:00", "2026-12-06T23:30:00Z", "2026-12-07")]
    [InlineData("-05:30", "2026-12-07T05:29:00Z", "2026-12-06")]
    [InlineData("-05:30", "2026-12-07T05:30:00Z", "2026-12-07")]
    [InlineData("+14:00", "2026-12-06T10:00:00Z", "2026-12-07")]
    [InlineData("Europe/Stockholm", "2026-12-06T22:59:59Z", "2026-12-06")]
    [InlineData("Europe/Stockholm", "2026-12-06T23:00:00Z", "2026-12-07")]
    [InlineData("Asia/Kolkata", "2026-12-06T18:30:00Z", "2026-12-07")]
    public void TheLocalDateIsTheDateInThePatientsTimeZone(string? zone, string instant, string date)
    {
        var record = new PatientRecord { ProgramId = "p", TimeZone = zone };
        Assert.Equal(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
            record.LocalDate(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Patients whose week 3 begins on the day clocks change (or whose next day does): local midnight is
    /// an hour nearer or farther from UTC midnight than the day before, and the week turns exactly there.
    /// </summary>
    [Theory]
    [MemberData(nameof(DaylightSaving.Cases), MemberType = typeof(DaylightSaving))]
    public void TheWeekTurnsAtThePatientsLocalMidnightAcrossADaylightSavingChange(string zone, string start, string instant, string date, int week)
    {
        var program = PackageTestData.OpenSample().Program;
        var record = new PatientRecord { ProgramId = program.Id, TimeZone = zone, StartDate = DateOnly.ParseExact(start, "yyyy-MM-dd") };
        var now = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(DateOnly.ParseExact(date, "yyyy-MM-dd"), record.LocalDate(now));
        Assert.Equal(week, program.Evaluate(record, now).Week);
    }

    [Fact]
    public void AFixedWeekWinsOverTheDates()
    {
        var program = PackageTestData.OpenSample().Program;
        var record = new PatientRecord { ProgramId = program.Id, TimeZone = "Europe/Stockholm", StartDate = new DateOnly(2026, 1, 5), Week = 2 };
        Assert.Equal(2, program.Evaluate(record, new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero)).Week);
    }

    [Fact]
    public void AnswersReachTheConditionsAsTheWebBundleStoresThem()
    {
        var record = PatientRecord.Parse(Example);
        var progress = record.ToProgress(new DateTimeOffset(2026, 9, 9, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 9, 9), progress.Today);
        var diary = progress.Answers["sleep-diary"];
        Assert.True(diary.IsDiary);
        Assert.Equal([new DateOnly(2026, 9, 8), new DateOnly(2026, 9, 9)], diary.Dates);
        Assert.Equal(7, progress.Answers["pain-rating"].Get("intensity").AsNumber);
    }
}

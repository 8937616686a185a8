using ContentEngine.Runtime.Migration;
using ContentEngine.Runtime.Patients;

namespace ContentEngine.Tests;

/// <summary>
/// Malformed patient states, as a platform may hold them: wrong kinds, huge numbers, deep nesting,
/// duplicate keys, dates at the calendar's ends, odd offsets and time zones, lone surrogates. Reading,
/// writing, dating and evaluating each either works or throws a <see cref="PatientStateException"/>,
/// never another exception (docs/package-format.md, "The patient's state").
/// </summary>
public sealed class MalformedPatientStateTests(Mutation.MutationTests.Reporter reporter) : IClassFixture<Mutation.MutationTests.Reporter>
{
    private const string Program = "iact-chronic-pain";

    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A state of the sample program with <paramref name="keys"/> after its program key.</summary>
    private static string State(string keys) =>
        $$"""{"format": "contentengine-patient-state", "version": 1, "program": "{{Program}}"{{(keys.Length > 0 ? ", " + keys : "")}}}""";

    private static string Nested(int depth, string inner) => new string('[', depth) + inner + new string(']', depth);

    /// <summary>Each malformed state, the refusal expected (null: a state that is read and used), and a text the message holds.</summary>
    private static readonly (string Name, string Json, PatientStateError? Error, string Named)[] Cases =
    [
        // Wrong kinds.
        ("version-as-text", """{"format": "contentengine-patient-state", "version": "1", "program": "p"}""", PatientStateError.Invalid, "\"version\""),
        ("version-huge", """{"format": "contentengine-patient-state", "version": 1e400, "program": "p"}""", PatientStateError.Invalid, "\"version\""),
        ("version-negative", """{"format": "contentengine-patient-state", "version": -1, "program": "p"}""", PatientStateError.Invalid, "\"version\""),
        ("format-as-number", """{"format": 1, "version": 1, "program": "p"}""", PatientStateError.NotAPatientState, "\"format\""),
        ("program-as-number", """{"format": "contentengine-patient-state", "version": 1, "program": 5}""", PatientStateError.Invalid, "program"),
        ("program-version-as-list", State("\"programVersion\": [1]"), PatientStateError.Invalid, "\"programVersion\""),
        ("start-as-number", State("\"start\": 20260907"), PatientStateError.Invalid, "\"start\""),
        ("week-as-text", State("\"week\": \"3\""), PatientStateError.Invalid, "\"week\""),
        ("completed-of-objects", State("\"completed\": [{}]"), PatientStateError.Invalid, "\"completed\"[0]"),
        ("chosen-of-null", State("\"chosen\": [null]"), PatientStateError.Invalid, "\"chosen\"[0]"),
        ("answers-as-text", State("\"answers\": \"none\""), PatientStateError.Invalid, "\"answers\""),
        ("kept-aside-as-list", State("\"keptAside\": []"), PatientStateError.Invalid, "\"keptAside\""),
        ("root-as-text", "\"contentengine-patient-state\"", PatientStateError.NotAPatientState, "a string"),
        ("root-null", "null", PatientStateError.NotAPatientState, "null"),

        // Huge numbers and values JSON has no place for.
        ("week-huge", State("\"week\": 1e10"), PatientStateError.Invalid, "\"week\""),
        ("week-max", State("\"week\": 2147483647"), null, ""),
        ("week-beyond-int", State("\"week\": 2147483648"), PatientStateError.Invalid, "\"week\""),
        ("answer-huge", State("\"answers\": {\"pain-rating\": {\"intensity\": 1e400}}"), PatientStateError.Invalid, "answers.pain-rating"),
        ("answer-tiny", State("\"answers\": {\"pain-rating\": {\"intensity\": -1e400}}"), PatientStateError.Invalid, "answers.pain-rating"),
        ("answer-many-digits", State("\"answers\": {\"pain-rating\": {\"intensity\": " + new string('9', 5000) + "}}"), PatientStateError.Invalid, "answers.pain-rating"),
        ("answer-nan", State("\"answers\": {\"pain-rating\": {\"intensity\": NaN}}"), PatientStateError.NotAPatientState, "not JSON"),
        ("answer-infinity", State("\"answers\": {\"pain-rating\": {\"intensity\": Infinity}}"), PatientStateError.NotAPatientState, "not JSON"),

        // Deep nesting.
        ("answer-nested-deep", State("\"answers\": {\"pain-rating\": {\"intensity\": " + Nested(200, "1") + "}}"), null, ""),
        ("answer-nested-too-deep", State("\"answers\": {\"pain-rating\": {\"intensity\": " + Nested(5000, "1") + "}}"), PatientStateError.NotAPatientState, "not JSON"),
        ("diary-nested-deep", State("\"answers\": {\"sleep-diary\": [{\"hours\": " + Nested(240, "{\"a\": 1}") + "}]}"), null, ""),

        // Duplicate keys.
        ("program-twice", """{"format": "contentengine-patient-state", "version": 1, "program": "p", "program": "q"}""", PatientStateError.Invalid, "\"program\" is given twice"),
        ("start-twice", State("\"start\": \"2026-09-07\", \"start\": \"2026-09-14\""), PatientStateError.Invalid, "\"start\" is given twice"),
        ("worksheet-twice", State("\"answers\": {\"pain-rating\": {}, \"pain-rating\": {}}"), PatientStateError.Invalid, "twice"),
        ("field-twice", State("\"answers\": {\"pain-rating\": {\"intensity\": 3, \"intensity\": 9}}"), PatientStateError.Invalid, "intensity\" is given twice"),
        ("diary-field-twice", State("\"answers\": {\"sleep-diary\": [{\"_date\": \"2026-09-08\", \"_date\": \"2026-09-09\"}]}"), PatientStateError.Invalid, "_date\" is given twice"),
        ("legacy-state-key-twice", """{"format": "contentengine-answers", "version": 1, "program": "p", "state": {"week": 1, "week": 2}}""", PatientStateError.Invalid, "state.week\" is given twice"),

        // Dates at the calendar's ends.
        ("start-year-zero", State("\"start\": \"0000-01-01\""), PatientStateError.Invalid, "\"start\""),
        ("start-first-day", State("\"start\": \"0001-01-01\""), null, ""),
        ("start-last-day", State("\"start\": \"9999-12-31\""), PatientStateError.Invalid, "9999-12-31"),
        ("start-near-the-end", State("\"start\": \"9999-12-30\""), PatientStateError.Invalid, "9999-12-30"),
        ("start-weeks-before-the-end", State("\"start\": \"9999-10-01\""), PatientStateError.Invalid, "9999-10-01"),
        ("start-long-enough-before-the-end", State("\"start\": \"9999-01-01\""), null, ""),
        ("start-at-the-end-with-a-fixed-week", State("\"start\": \"9999-12-31\", \"week\": 3"), PatientStateError.Invalid, "9999-12-31"),
        ("start-far-future-in-kiribati", State("\"timeZone\": \"+14:00\", \"start\": \"9999-12-31\""), PatientStateError.Invalid, "9999-12-31"),
        ("diary-date-year-zero", State("\"answers\": {\"sleep-diary\": [{\"_date\": \"0000-01-01\"}]}"), PatientStateError.Invalid, "_date"),
        ("diary-date-last-day", State("\"answers\": {\"sleep-diary\": [{\"_date\": \"9999-12-31\", \"hours\": 5}]}"), null, ""),
        ("start-with-time", State("\"start\": \"2026-09-07T00:00:00Z\""), PatientStateError.Invalid, "\"start\""),

        // Offsets and time zones.
        ("offset-99", State("\"timeZone\": \"+99:00\""), PatientStateError.UnknownTimeZone, "+99:00"),
        ("offset-minutes-99", State("\"timeZone\": \"+01:99\""), PatientStateError.UnknownTimeZone, "+01:99"),
        ("offset-14-30", State("\"timeZone\": \"-14:30\""), PatientStateError.UnknownTimeZone, "-14:30"),
        ("offset-short", State("\"timeZone\": \"+1:00\""), PatientStateError.UnknownTimeZone, "+1:00"),
        ("offset-14", State("\"timeZone\": \"-14:00\", \"start\": \"0001-01-01\""), null, ""),
        ("zone-folder", State("\"timeZone\": \"Europe\""), PatientStateError.UnknownTimeZone, "Europe"),
        ("zone-not-a-zone-file", State("\"timeZone\": \"zone1970.tab\""), PatientStateError.UnknownTimeZone, "zone1970.tab"),
        ("zone-long", State("\"timeZone\": \"Europe/" + new string('A', 5000) + "\""), PatientStateError.UnknownTimeZone, "time zone"),
        ("zone-empty", State("\"timeZone\": \"\""), PatientStateError.UnknownTimeZone, "time zone"),
        ("zone-nul", State("\"timeZone\": \"Europe/Stockholm\\u0000\""), PatientStateError.UnknownTimeZone, "time zone"),
        ("zone-lowercase", State("\"timeZone\": \"europe/stockholm\""), null, ""),

        // Lone surrogates, escaped in the JSON and raw in the text.
        ("surrogate-in-program", """{"format": "contentengine-patient-state", "version": 1, "program": "p\ud800"}""", PatientStateError.Invalid, "\"program\""),
        ("surrogate-in-id", State("\"completed\": [\"welcome\\udc00\"]"), PatientStateError.Invalid, "completed[0]"),
        ("surrogate-in-chosen", State("\"chosen\": [\"\\ud800\"]"), PatientStateError.Invalid, "chosen[0]"),
        ("surrogate-in-time-zone", State("\"timeZone\": \"Europe/\\ud800\""), PatientStateError.Invalid, "\"timeZone\""),
        ("surrogate-in-format", """{"format": "\ud800", "version": 1, "program": "p"}""", PatientStateError.NotAPatientState, "format"),
        ("surrogate-in-worksheet-key", State("\"answers\": {\"\\ud800\": {}}"), PatientStateError.Invalid, "\"answers\""),
        ("surrogate-in-field-key", State("\"answers\": {\"pain-rating\": {\"\\udfff\": 1}}"), PatientStateError.Invalid, "answers.pain-rating"),
        ("surrogate-in-answer", State("\"answers\": {\"pain-rating\": {\"note\": \"a\\ud800b\"}}"), PatientStateError.Invalid, "answers.pain-rating"),
        ("surrogate-in-diary-answer", State("\"answers\": {\"sleep-diary\": [{\"note\": [\"\\udc00\"]}]}"), PatientStateError.Invalid, "answers.sleep-diary"),
        ("surrogate-in-kept-aside", State("\"keptAside\": {\"old\": {\"x\": \"\\ud800\"}}"), PatientStateError.Invalid, "keptAside.old"),
        ("surrogate-in-unknown-key", State("\"\\ud800\": 1"), PatientStateError.Invalid, "a key of the patient state"),
        ("raw-surrogate", State("\"completed\": [\"welcome\ud800\"]"), PatientStateError.NotAPatientState, "not JSON"),
        ("surrogate-pair", State("\"answers\": {\"pain-rating\": {\"note\": \"\\ud83d\\ude00\"}}"), null, ""),
    ];

    public static TheoryData<string> Names() => new(Cases.Select(c => c.Name));

    private static readonly Lazy<ContentEngine.Runtime.Packaging.ProgramPackage> Sample = new(PackageTestData.OpenSample);

    /// <summary>Everything a platform does with a state: read it, write it back, date it, evaluate it, migrate it.</summary>
    private static void Use(string json)
    {
        var record = PatientRecord.Parse(json);
        var again = PatientRecord.Parse(record.ToJson());
        Assert.Equal(record, again);
        record.LocalDate(Now);
        record.LocalDate(DateTimeOffset.MinValue);
        record.LocalDate(DateTimeOffset.MaxValue);
        record.ToProgress(Now);
        if (record.ProgramId != Program) return;
        var package = Sample.Value;
        package.Program.Evaluate(record, Now);
        package.Program.Evaluate(record, DateTimeOffset.MaxValue);
        try
        {
            PatientMigration.Migrate(record with { ProgramVersion = null }, package, package, Now);
        }
        catch (MigrationException)
        {
            // Documented: migrating within one version is not a migration.
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AMalformedStateThrowsOnlyTheDocumentedException(string name)
    {
        var (_, json, error, named) = Cases.Single(c => c.Name == name);
        var e = Record.Exception(() => Use(json));
        if (error is null)
        {
            Assert.True(e is null, $"{name}: {e?.GetType().Name}: {e?.Message}");
            return;
        }
        Assert.True(e is PatientStateException, $"{name}: {(e is null ? "accepted" : e.GetType().Name + ": " + e.Message)}");
        var refused = (PatientStateException)e!;
        Assert.True(error == refused.Error, $"{name}: {refused.Error} rather than {error}: {refused.Message}");
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public void EveryMalformedStateIsReadOrRefusedWithAPatientStateException()
    {
        var others = Cases.Select(c => (c.Name, Exception: Record.Exception(() => Use(c.Json))))
            .Where(r => r.Exception is not (null or PatientStateException)).Select(r => $"{r.Name}: {r.Exception!.GetType().Name}").ToList();
        var refused = Cases.Count(c => c.Error is not null);
        reporter.Report($"malformed patient states: {Cases.Length}, {refused} refused with PatientStateException, {Cases.Length - refused} read, {others.Count} other exceptions");
        Assert.Empty(others);
    }
}

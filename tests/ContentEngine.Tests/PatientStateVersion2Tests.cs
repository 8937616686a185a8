using System.Text.Json.Nodes;
using ContentEngine.Runtime.Patients;

namespace ContentEngine.Tests;

/// <summary>
/// Version 2 of the stored patient state (docs/package-format.md, "The patient's state"): when each answer was
/// saved (<c>saved</c>), which the web bundle's backup merges by. The runtime and the npm reader read versions 1
/// and 2, keep the times as written, write version 1 for a state without them, and refuse version 3.
/// </summary>
public sealed class PatientStateVersion2Tests(NpmPackage npm) : IClassFixture<NpmPackage>
{
    internal const string Timed = """
        {
          "format": "contentengine-patient-state",
          "version": 2,
          "program": "iact-chronic-pain",
          "timeZone": "Europe/Stockholm",
          "start": "2026-09-07",
          "completed": [
            "welcome"
          ],
          "chosen": [],
          "answers": {
            "pain-rating": {
              "intensity": 7
            },
            "sleep-diary": [
              {
                "_date": "2026-09-08",
                "hours": 5
              },
              {
                "_date": "2026-09-08",
                "hours": 2
              },
              {
                "hours": 1
              }
            ]
          },
          "saved": {
            "pain-rating": {
              "intensity": "2026-09-10T08:15:00.123Z",
              "control": "2026-09-11T19:00:00.000Z"
            },
            "sleep-diary": {
              "2026-09-08": "2026-09-08T06:30:00.000Z",
              "2026-09-08#2": "2026-09-08T21:00:00.000Z",
              "#1": "2026-09-09T07:00:00.000Z"
            }
          }
        }

        """;

    [Fact]
    public void ReadsTheTimesAndWritesThemBackByteForByte()
    {
        var r = PatientRecord.Parse(Timed);
        Assert.Equal(new DateTimeOffset(2026, 9, 10, 8, 15, 0, 123, TimeSpan.Zero), r.Saved["pain-rating"]["intensity"]);
        Assert.Equal(["2026-09-08", "2026-09-08#2", "#1"], r.Saved["sleep-diary"].Keys);
        Assert.Equal(Timed.ReplaceLineEndings("\n"), r.ToJson());
        Assert.Equal(r, PatientRecord.Parse(r.ToJson()));
        Assert.NotEqual(r, r with { Saved = SavedTimes.None });
    }

    [Fact]
    public void AStateWithoutTimesIsWrittenAsVersion1AsBefore()
    {
        var v1 = PatientRecord.Parse(PatientRecordTests.Example);
        Assert.Empty(v1.Saved);
        Assert.Contains("\"version\": 1,", v1.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("saved", v1.ToJson(), StringComparison.Ordinal);
        var timed = PatientRecord.Parse(Timed) with { Saved = SavedTimes.None };
        Assert.Contains("\"version\": 1,", timed.ToJson(), StringComparison.Ordinal);
        // And a version 2 file without times reads, and is written as version 1.
        var bare = PatientRecord.Parse("""{"format": "contentengine-patient-state", "version": 2, "program": "p"}""");
        Assert.Contains("\"version\": 1,", bare.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void TimesGivenThroughTheApiAreWrittenInUtcToTheMillisecond()
    {
        var at = new DateTimeOffset(2026, 12, 8, 10, 30, 0, 250, TimeSpan.FromHours(1));
        var r = new PatientRecord
        {
            ProgramId = "p",
            Saved = new Dictionary<string, IReadOnlyDictionary<string, DateTimeOffset>> { ["ws"] = new Dictionary<string, DateTimeOffset> { ["f"] = at } },
        };
        var json = r.ToJson();
        Assert.Contains("\"version\": 2,", json, StringComparison.Ordinal);
        Assert.Contains("\"f\": \"2026-12-08T09:30:00.250Z\"", json, StringComparison.Ordinal);
        Assert.Equal(at, PatientRecord.Parse(json).Saved["ws"]["f"]);
        Assert.Equal("2026-12-08T09:30:00.250Z", SavedTimes.Format(at));
    }

    [Fact]
    public void EntryKeysNameTheNthEntryOfADay()
    {
        var d = new DateOnly(2026, 9, 8);
        Assert.Equal(["2026-09-08", "#1", "2026-09-08#2", "2026-09-09", "#2"], SavedTimes.EntryKeys([d, null, d, d.AddDays(1), null]));
    }

    public static TheoryData<string, PatientStateError, string> Refused => new()
    {
        { """{"format": "contentengine-patient-state", "version": 3, "program": "p"}""", PatientStateError.NewerFormat, "versions 1 to 2" },
        { """{"format": "contentengine-answers", "version": 2, "program": "p", "state": {}}""", PatientStateError.NewerFormat, "version 1:" },
        { """{"format": "contentengine-patient-state", "version": 1, "program": "p", "saved": {}}""", PatientStateError.Invalid, "belongs to version 2" },
        { """{"format": "contentengine-patient-state", "version": 2, "program": "p", "saved": []}""", PatientStateError.Invalid, "\"saved\" must be an object" },
        { """{"format": "contentengine-patient-state", "version": 2, "program": "p", "saved": {"ws": "x"}}""", PatientStateError.Invalid, "\"saved.ws\"" },
        { """{"format": "contentengine-patient-state", "version": 2, "program": "p", "saved": {"ws": {"f": "2026-12-08T10:00:00Z"}}}""", PatientStateError.Invalid, "yyyy-MM-ddTHH:mm:ss.fffZ" },
        { """{"format": "contentengine-patient-state", "version": 2, "program": "p", "saved": {"ws": {"f": "2026-02-30T10:00:00.000Z"}}}""", PatientStateError.Invalid, "\"saved.ws.f\"" },
        { """{"format": "contentengine-patient-state", "version": 2, "program": "p", "saved": {"ws": {"f": 5}}}""", PatientStateError.Invalid, "\"saved.ws.f\"" },
        { """{"format": "contentengine-patient-state", "version": 2, "program": "p", "saved": {"": {}}}""", PatientStateError.Invalid, "without a worksheet id" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void RefusesWhatVersion2DoesNotAllow(string json, PatientStateError error, string said)
    {
        var e = Assert.Throws<PatientStateException>(() => PatientRecord.Parse(json));
        Assert.Equal(error, e.Error);
        Assert.Contains(said, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheNpmReaderReadsAndWritesVersions1And2AsTheRuntimeDoesAndRefusesTheSame()
    {
        var states = new List<string> { Timed, PatientRecordTests.Example };
        states.AddRange(Refused.Select(r => (string)r[0]));
        var results = npm.RunScript("state.mjs", new JsonObject { ["states"] = new JsonArray([.. states.Select(s => (JsonNode?)JsonValue.Create(s))]) }).AsArray();
        Assert.Equal(states.Count, results.Count);
        for (var i = 0; i < states.Count; i++)
        {
            string expected;
            try
            {
                expected = PatientRecord.Parse(states[i]).ToJson();
            }
            catch (PatientStateException e)
            {
                Assert.True(results[i]!["error"] is not null, $"state {i}: Node read what the runtime refuses ({e.Error})");
                Assert.Equal(char.ToLowerInvariant(e.Error.ToString()[0]) + e.Error.ToString()[1..], (string?)results[i]!["error"]);
                continue;
            }
            Assert.True(results[i]!["json"] is not null, $"state {i}: Node refused it: {results[i]!["error"]}");
            var actual = (string)results[i]!["json"]!;
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"state {i}:\n{actual}\nthe runtime:\n{expected}");
        }
        // The timed state goes through Node unchanged, byte for byte.
        Assert.Equal(Timed.ReplaceLineEndings("\n"), (string)results[0]!["json"]!);
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Output;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Tests;

/// <summary>
/// The shared schedule vectors (tests/vectors/schedule.json) and the program they are evaluated
/// against, read once; a status as the vectors write it; and the comparison of a status with a
/// case's expectation. The runtime's tests and the browser's tests both use this file.
/// </summary>
internal static class ScheduleVectors
{
    public sealed record Case(string Name, JsonObject Progress, Clock? Clock, JsonObject Expected);

    /// <summary>A moment in a time zone: the browser runs at that moment in that zone, and "today" is its local date.</summary>
    public sealed record Clock(string TimeZone, DateTimeOffset Now)
    {
        /// <summary>The local date at <see cref="Now"/> in <see cref="TimeZone"/>.</summary>
        public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Now, TimeZoneInfo.FindSystemTimeZoneById(TimeZone)).DateTime);
    }

    public static readonly Lazy<(ProgramGraph Graph, ProgramGraph Program, IReadOnlyList<Case> Cases)> Data = new(() =>
    {
        var vectors = JsonNode.Parse(File.ReadAllText(TestPaths.Repo("tests", "vectors", "schedule.json")))!.AsObject();
        var folder = vectors["program"]!.GetValue<string>();
        var result = ProgramCompiler.Compile(TestPaths.Repo("tests", "vectors", folder));
        Assert.True(result.Graph is not null, DiagnosticFormatter.Plain(result.Diagnostics));
        var program = ProgramGraph.FromGraphJson(Encoding.UTF8.GetBytes(GraphJson.Write(result.Graph!)));
        var cases = vectors["cases"]!.AsArray().Select(c => new Case(
            c!["name"]!.GetValue<string>(),
            c["progress"]!.AsObject(),
            c["clock"] is JsonObject clock ? new Clock(clock["timeZone"]!.GetValue<string>(), DateTimeOffset.Parse(clock["now"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)) : null,
            c["expected"]!.AsObject())).ToList();
        return (result.Graph!, program, cases);
    });

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in Data.Value.Cases) data.Add(c.Name);
        return data;
    }

    public static Case Named(string name) => Data.Value.Cases.Single(c => c.Name == name);

    /// <summary>The patient's progress of a case as the runtime takes it; with a clock, today is the clock's local date.</summary>
    public static PatientProgress ProgressOf(Case c)
    {
        using var doc = JsonDocument.Parse(c.Progress.ToJsonString());
        var progress = PatientProgress.FromJson(doc.RootElement);
        return c.Clock is { } clock ? progress with { Today = clock.Today } : progress;
    }

    internal static string Camel(string s) => char.ToLowerInvariant(s[0]) + s[1..];

    internal static JsonNode? Date(DateOnly? d) => d is { } x ? JsonValue.Create(x.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)) : null;

    internal static JsonArray Strings(IEnumerable<string> items) => [.. items.Select(s => (JsonNode?)JsonValue.Create(s))];

    /// <summary>A lock reason in the vectors' shape.</summary>
    internal static JsonObject Reason(LockReason r) => new()
    {
        ["kind"] = Camel(r.Kind.ToString()),
        ["week"] = r.OpensInWeek,
        ["date"] = Date(r.OpensOn),
        ["modules"] = Strings(r.Modules),
    };

    /// <summary>A runtime status in the vectors' shape: modules by id, choices by phase.</summary>
    public static JsonObject Write(ProgramStatus status)
    {
        var modules = new JsonObject();
        foreach (var m in status.Modules)
        {
            modules[m.Id] = new JsonObject
            {
                ["state"] = Camel(m.State.ToString()),
                ["reasons"] = new JsonArray([.. m.Reasons.Select(r => (JsonNode?)Reason(r))]),
                ["chosen"] = m.Chosen,
                ["recommended"] = m.Recommended,
                ["opensOn"] = Date(m.OpensOn),
            };
        }
        var choices = new JsonObject();
        foreach (var c in status.Choices)
            choices[c.Phase.Id] = new JsonObject { ["chosen"] = c.Chosen, ["min"] = c.Min, ["max"] = c.Max, ["remaining"] = c.Remaining, ["stillRequired"] = c.StillRequired };
        return new JsonObject
        {
            ["week"] = status.Week,
            ["phase"] = status.CurrentPhase?.Id,
            ["modules"] = modules,
            ["choices"] = choices,
            ["next"] = status.Next is { } n ? new JsonObject { ["week"] = n.Week, ["date"] = Date(n.Date), ["modules"] = Strings(n.Modules) } : null,
        };
    }

    /// <summary>An expected module with what it leaves out filled in: no reasons, not chosen, not recommended, no date.</summary>
    private static JsonObject Module(JsonObject expected) => new()
    {
        ["state"] = expected["state"]!.DeepClone(),
        ["reasons"] = new JsonArray([.. (expected["reasons"]?.AsArray() ?? []).Select(r => (JsonNode?)new JsonObject
        {
            ["kind"] = r!["kind"]!.DeepClone(),
            ["week"] = r["week"]?.DeepClone(),
            ["date"] = r["date"]?.DeepClone(),
            ["modules"] = r["modules"]?.DeepClone() ?? new JsonArray(),
        })]),
        ["chosen"] = expected["chosen"]?.DeepClone() ?? false,
        ["recommended"] = expected["recommended"]?.DeepClone() ?? false,
        ["opensOn"] = expected["opensOn"]?.DeepClone(),
    };

    /// <summary>Where <paramref name="actual"/> (a status as <see cref="Write"/> makes it) differs from what the case expects; empty when it agrees.</summary>
    public static List<string> Differences(JsonObject expected, JsonObject actual)
    {
        var problems = new List<string>();
        void Same(string what, JsonNode? e, JsonNode? a)
        {
            if (!JsonNode.DeepEquals(e, a)) problems.Add($"{what}: expected {e?.ToJsonString() ?? "null"}, got {a?.ToJsonString() ?? "null"}");
        }
        foreach (var (key, value) in expected)
        {
            switch (key)
            {
                case "modules":
                    foreach (var (id, m) in value!.AsObject())
                        Same($"module '{id}'", Module(m!.AsObject()), actual["modules"]?[id]);
                    break;
                case "choices":
                    foreach (var (phase, c) in value!.AsObject())
                        Same($"choice of '{phase}'", c, actual["choices"]?[phase]);
                    break;
                case "week" or "phase" or "next":
                    Same(key, value, actual[key]);
                    break;
                default:
                    problems.Add($"the case expects '{key}', which the vectors do not have");
                    break;
            }
        }
        return problems;
    }
}

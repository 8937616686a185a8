using System.Text.Json.Nodes;

namespace ContentEngine.Tests;

/// <summary>
/// The runtime's scheduler (ContentEngine.Runtime's Scheduler), the reference semantics, against the
/// shared schedule vectors that the browser's schedule.js must pass too.
/// </summary>
public sealed class ScheduleVectorTests
{
    public static TheoryData<string> Cases() => ScheduleVectors.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Vector(string name)
    {
        var c = ScheduleVectors.Named(name);
        var status = ScheduleVectors.Data.Value.Program.Evaluate(ScheduleVectors.ProgressOf(c));
        var problems = ScheduleVectors.Differences(c.Expected, ScheduleVectors.Write(status));
        Assert.True(problems.Count == 0, $"{name}:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void VectorsAreNamedOnceAndCoverEveryStateReasonAndClock()
    {
        var cases = ScheduleVectors.Data.Value.Cases;
        Assert.True(cases.Count >= 30, $"only {cases.Count} vectors");
        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct().Count());
        var expected = cases.SelectMany(c => c.Expected["modules"]?.AsObject().Select(m => m.Value!.AsObject()) ?? []).ToList();
        foreach (var state in new[] { "open", "locked", "completed", "offered" })
            Assert.Contains(expected, m => m["state"]!.GetValue<string>() == state);
        foreach (var kind in new[] { "programNotStarted", "notYetReleased", "requiresModules", "choiceLimitReached" })
            Assert.Contains(expected, m => m["reasons"]?.AsArray().Any(r => r!["kind"]!.GetValue<string>() == kind) == true);
        Assert.Contains(expected, m => m["recommended"]?.GetValue<bool>() == true);
        Assert.Contains(cases, c => c.Expected["next"] is JsonObject);
        Assert.Contains(cases, c => c.Expected.ContainsKey("next") && c.Expected["next"] is null);
        // Local dates across daylight-saving changes, in zones on both sides of UTC.
        Assert.True(cases.Count(c => c.Clock is not null) >= 4, "too few cases with a clock");
        Assert.Contains(cases, c => c.Clock is { } k && k.Now.Offset > TimeSpan.Zero);
        Assert.Contains(cases, c => c.Clock is { } k && k.Now.Offset < TimeSpan.Zero);
        // The vectors' program has what they test: a pause, a choice with a minimum and a maximum, requirements, offer_when.
        var graph = ScheduleVectors.Data.Value.Graph;
        Assert.Contains(graph.Phases, p => p.PauseBefore > 0);
        Assert.Contains(graph.Phases, p => p.Choose is { Min: > 0, Max: not null });
        Assert.Contains(graph.Modules, m => m.Requires.Length > 0);
        Assert.Contains(graph.Modules, m => m.Optional && m.OfferWhen is not null);
    }
}

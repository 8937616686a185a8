using System.Diagnostics;
using System.Text.Json.Nodes;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Tests;

/// <summary>
/// The npm package contentengine-runtime built once (src/contentengine-runtime-js/build.mjs) into a temporary
/// folder, the Node scripts of tests/npm-runtime run on it, and the .NET runtime's status in the shape the package gives.
/// </summary>
public sealed class NpmPackage : IDisposable
{
    private readonly TestPaths.TempFolder _temp = new();

    public NpmPackage()
    {
        Folder = Path.Combine(_temp.Path, "contentengine-runtime");
        var (code, output, error) = Run("node", [TestPaths.Repo("src", "contentengine-runtime-js", "build.mjs"), Folder]);
        Assert.True(code == 0, $"build.mjs failed ({code}): {error}{output}");
    }

    /// <summary>The built package's folder, as `npm pack` packs it.</summary>
    public string Folder { get; }

    /// <summary>A fresh file in the fixture's temporary folder.</summary>
    public string TempFile(string name) => Path.Combine(_temp.Path, Guid.NewGuid().ToString("N") + "-" + name);

    public void Dispose() => _temp.Dispose();

    /// <summary>Runs a script of tests/npm-runtime on the package with its input as JSON; returns what it prints, parsed.</summary>
    public JsonNode RunScript(string script, JsonNode input)
    {
        var file = TempFile("input.json");
        File.WriteAllText(file, input.ToJsonString());
        var (code, output, error) = Run("node", [TestPaths.Repo("tests", "npm-runtime", script), Folder, file]);
        Assert.True(code == 0, $"{script} failed ({code}): {error}");
        return JsonNode.Parse(output)!;
    }

    /// <summary>Runs a program, failing the test with what to install when it cannot start.</summary>
    public static (int Code, string Out, string Err) Run(string program, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? TestPaths.RepoRoot,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"'{program}' is needed by the npm package's tests and could not be started ({e.Message}): install Node.js and npm (`apt-get install nodejs npm`).");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), $"{program} did not finish in 3 minutes");
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    private static string Camel(string s) => ScheduleVectors.Camel(s);

    private static JsonNode? Date(DateOnly? d) => ScheduleVectors.Date(d);

    private static JsonArray Strings(IEnumerable<string> items) => ScheduleVectors.Strings(items);

    /// <summary>The .NET runtime's whole status in the package's shape: every module, reason (with its message), choice and list.</summary>
    public static JsonObject Full(ProgramStatus status, DateOnly? start) => new()
    {
        ["week"] = status.Week,
        ["start"] = Date(start),
        ["phase"] = status.CurrentPhase?.Id,
        ["modules"] = new JsonArray([.. status.Modules.Select(m => (JsonNode?)new JsonObject
        {
            ["id"] = m.Id,
            ["state"] = Camel(m.State.ToString()),
            ["reasons"] = new JsonArray([.. m.Reasons.Select(r => (JsonNode?)WithMessage(ScheduleVectors.Reason(r), r.Message))]),
            ["chosen"] = m.Chosen,
            ["recommended"] = m.Recommended,
            ["recommendationReason"] = m.RecommendationReason is { } reason
                ? new JsonObject(reason.Values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value)))
                : null,
            ["opensOn"] = Date(m.OpensOn),
        })]),
        ["choices"] = new JsonArray([.. status.Choices.Select(c => (JsonNode?)new JsonObject
        {
            ["phase"] = c.Phase.Id, ["chosen"] = c.Chosen, ["min"] = c.Min, ["max"] = c.Max, ["remaining"] = c.Remaining, ["stillRequired"] = c.StillRequired,
        })]),
        ["next"] = status.Next is { } n ? new JsonObject { ["week"] = n.Week, ["date"] = Date(n.Date), ["modules"] = Strings(n.Modules) } : null,
        ["open"] = Strings(status.Open.Select(m => m.Id)),
        ["locked"] = Strings(status.Locked.Select(m => m.Id)),
        ["offered"] = Strings(status.Offered.Select(m => m.Id)),
        ["recommended"] = Strings(status.Recommended.Select(m => m.Id)),
    };

    private static JsonObject WithMessage(JsonObject reason, string message)
    {
        reason["message"] = message;
        return reason;
    }

    /// <summary>A status of the package in the shape of the schedule vectors (ScheduleVectors.Write): modules by id, choices by phase.</summary>
    public static JsonObject VectorShape(JsonNode status)
    {
        var modules = new JsonObject();
        foreach (var m in status["modules"]!.AsArray())
        {
            modules[(string)m!["id"]!] = new JsonObject
            {
                ["state"] = m["state"]!.DeepClone(),
                ["reasons"] = new JsonArray([.. m["reasons"]!.AsArray().Select(r => (JsonNode?)new JsonObject
                {
                    ["kind"] = r!["kind"]!.DeepClone(), ["week"] = r["week"]?.DeepClone(), ["date"] = r["date"]?.DeepClone(), ["modules"] = r["modules"]!.DeepClone(),
                })]),
                ["chosen"] = m["chosen"]!.DeepClone(),
                ["recommended"] = m["recommended"]!.DeepClone(),
                ["opensOn"] = m["opensOn"]?.DeepClone(),
            };
        }
        var choices = new JsonObject();
        foreach (var c in status["choices"]!.AsArray())
        {
            choices[(string)c!["phase"]!] = new JsonObject
            {
                ["chosen"] = c["chosen"]!.DeepClone(), ["min"] = c["min"]!.DeepClone(), ["max"] = c["max"]?.DeepClone(),
                ["remaining"] = c["remaining"]?.DeepClone(), ["stillRequired"] = c["stillRequired"]!.DeepClone(),
            };
        }
        return new JsonObject
        {
            ["week"] = status["week"]!.DeepClone(), ["phase"] = status["phase"]?.DeepClone(),
            ["modules"] = modules, ["choices"] = choices, ["next"] = status["next"]?.DeepClone(),
        };
    }
}

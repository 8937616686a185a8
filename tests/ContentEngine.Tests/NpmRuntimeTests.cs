using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentEngine.Conditions;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Output;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Runtime.Packaging;
using ContentEngine.Runtime.Patients;
using ContentEngine.Text;

namespace ContentEngine.Tests;

/// <summary>
/// The npm package contentengine-runtime (src/contentengine-runtime-js), built from the web bundle's own
/// conditions.js and schedule.js, in Node: the shared vectors, the .NET runtime's answers on the sample's
/// package for recorded patients and its refusals of damaged and crafted packages, `npm pack`, and its types.
/// </summary>
public sealed class NpmRuntimeTests(NpmPackage npm) : IClassFixture<NpmPackage>
{
    [Fact]
    public void TheConditionVectorsPassInNode()
    {
        var (graph, vectors) = ConditionVectors.Data.Value;
        var cases = new JsonArray();
        var expected = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var c in vectors.RootElement.GetProperty("cases").EnumerateArray())
        {
            var name = c.GetProperty("name").GetString()!;
            var diagnostics = new DiagnosticBag();
            var condition = ConditionCompiler.Compile(c.GetProperty("condition").GetString()!,
                ScalarPositions.Verbatim(new SourceLocation("vector", 0, 0, 1)), ConditionVectorTests.ScopeOf(graph), diagnostics);
            Assert.True(condition is not null, $"{name}: {DiagnosticFormatter.Plain(diagnostics.Items)}");
            using var tree = new MemoryStream();
            using (var w = new Utf8JsonWriter(tree)) ConditionJson.Write(w, condition!.Tree);
            cases.Add(new JsonObject { ["name"] = name, ["tree"] = JsonNode.Parse(tree.ToArray()), ["state"] = JsonNode.Parse(c.GetProperty("state").GetRawText()) });
            var holds = c.GetProperty("expected").GetBoolean();
            Assert.Equal(holds, Evaluator.IsTrue(condition.Tree, PatientState.FromJson(c.GetProperty("state"))));
            expected[name] = holds;
        }
        Assert.True(cases.Count >= 300, $"only {cases.Count} condition vectors");

        var results = npm.RunScript("conditions.mjs", cases).AsArray();
        Assert.Equal(cases.Count, results.Count);
        var wrong = results.Where(r => (bool)r!["holds"]! != expected[(string)r["name"]!] || (bool)r["holds"]! != (r["value"]?.GetValueKind() == JsonValueKind.True))
            .Select(r => $"{r!["name"]}: Node gives {r["value"]?.ToJsonString() ?? "null"}, expected {expected[(string)r["name"]!]}").ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cases.Count} condition vectors fail in Node:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void TheScheduleVectorsPassInNodeAndAgreeWithTheRuntime()
    {
        var (graph, program, cases) = ScheduleVectors.Data.Value;
        var items = new JsonArray([.. cases.Select(c => (JsonNode?)new JsonObject
        {
            ["progress"] = c.Progress.DeepClone(),
            ["clock"] = c.Clock is { } clock ? new JsonObject { ["timeZone"] = clock.TimeZone, ["now"] = clock.Now.ToString("O", CultureInfo.InvariantCulture) } : null,
        })]);
        var results = npm.RunScript("schedule.mjs", new JsonObject { ["graph"] = JsonNode.Parse(GraphJson.Write(graph)), ["items"] = items }).AsArray();

        var problems = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var status = results[i]!;
            if (status["error"] is { } error)
            {
                problems.Add($"{c.Name}: {error}");
                continue;
            }
            problems.AddRange(ScheduleVectors.Differences(c.Expected, NpmPackage.VectorShape(status)).Select(d => $"{c.Name}: {d}"));
            var progress = ScheduleVectors.ProgressOf(c);
            var reference = NpmPackage.Full(program.Evaluate(progress, "en"), progress.StartDate);
            if (!JsonNode.DeepEquals(status, reference))
                problems.Add($"{c.Name}: Node gives\n  {status.ToJsonString()}\nthe runtime\n  {reference.ToJsonString()}");
        }
        Assert.True(cases.Count >= 30, $"only {cases.Count} schedule vectors");
        Assert.True(problems.Count == 0, $"{problems.Count} disagreements:\n" + string.Join("\n", problems));
    }

    private const string Start = "2026-01-05";
    private const string Treatment = "\"welcome\", \"physical-exercise\", \"values\", \"acceptance\", \"mindfulness\", \"defusion\", \"committed-action\"";

    private static string State(string rest) =>
        $$"""{"format": "contentengine-patient-state", "version": 1, "program": "iact-chronic-pain", {{rest}}}""";

    /// <summary>Recorded patients of the sample program: their stored state and the moment they are evaluated at.</summary>
    public static readonly (string Name, string State, string Now)[] Patients =
    [
        ("not started", State($$$"""
            "timeZone": "Europe/Stockholm", "start": "2026-03-02", "completed": [], "chosen": [], "answers": {}
            """), "2026-02-20T12:00:00Z"),
        ("first day", State($$$"""
            "timeZone": "Europe/Stockholm", "start": "{{{Start}}}", "completed": [], "chosen": [], "answers": {}
            """), "2026-01-05T07:00:00Z"),
        ("week 3, two done, a pain rating", State($$$"""
            "programVersion": "1.0.0", "timeZone": "Europe/Stockholm", "start": "{{{Start}}}", "completed": ["welcome", "values"], "chosen": [],
            "answers": {"pain-rating": {"intensity": 7, "control": 3}}
            """), "2026-01-21T09:30:00Z"),
        ("week 6 behind, requires unmet", State($$$"""
            "timeZone": "+01:00", "start": "{{{Start}}}", "completed": ["welcome"], "chosen": [], "answers": {}
            """), "2026-02-12T22:59:00Z"),
        ("the pause after treatment", State($$$"""
            "timeZone": "Europe/Stockholm", "start": "{{{Start}}}", "completed": [{{{Treatment}}}], "chosen": [], "answers": {}
            """), "2026-02-25T12:00:00Z"),
        ("aftercare begins, recommended by pain", State($$$"""
            "timeZone": "Europe/Stockholm", "start": "{{{Start}}}", "completed": [{{{Treatment}}}], "chosen": [],
            "answers": {"pain-rating": {"intensity": 8}, "exercise-diary": [{"_date": "2026-03-10", "pain": 9}, {"_date": "2026-03-11", "pain": 5}]}
            """), "2026-03-17T10:00:00Z"),
        ("week 12, wishes answered, sleep chosen", State($$$"""
            "timeZone": "America/New_York", "start": "{{{Start}}}", "completed": [{{{Treatment}}}, "maintaining"], "chosen": ["sleep"],
            "answers": {"aftercare-wishes": {"areas": ["stress", "work"], "stress": 8, "low-days": 2, "relationship-strain": 6, "work-situation": "sick-leave"},
                        "sleep-diary": [{"_date": "2026-03-20", "hours": 5, "quality": 3}, {"_date": "2026-03-21", "hours": 6.5, "quality": 2}],
                        "flexibility": {"q1": 5, "q2": 6, "q3": 6, "q4": 5, "q5": 6, "q6": 4, "q7": 6}}
            """), "2026-03-24T03:30:00Z"),
        ("the choice is full", State($$$"""
            "timeZone": "Europe/Stockholm", "start": "{{{Start}}}", "completed": [{{{Treatment}}}, "maintaining", "sleep", "stress"],
            "chosen": ["flare-ups", "low-mood", "relationships", "work"], "answers": {"aftercare-wishes": {"areas": ["sleep"]}}
            """), "2026-04-14T12:00:00Z"),
        ("relapse prevention waits", State($$$"""
            "timeZone": "Asia/Tokyo", "start": "{{{Start}}}", "completed": [{{{Treatment}}}, "sleep"], "chosen": ["pacing", "no-such-module"], "answers": {}
            """), "2026-04-20T16:00:00Z"),
        ("after the end, all done", State($$$"""
            "timeZone": "Z", "start": "{{{Start}}}", "completed": [{{{Treatment}}}, "maintaining", "pacing", "relapse-prevention", "final-review"], "chosen": ["pacing"], "answers": {}
            """), "2026-07-01T12:00:00Z"),
        ("a fixed week 0 without a start", State("""
            "week": 0, "completed": [], "chosen": [], "answers": {}
            """), "2026-05-01T12:00:00Z"),
        ("a fixed week 12 with a start", State($$$"""
            "start": "{{{Start}}}", "week": 12, "completed": [{{{Treatment}}}, "maintaining"], "chosen": ["work"], "answers": {"aftercare-wishes": {"work-situation": "part-sick-leave"}}
            """), "2026-01-10T12:00:00Z"),
        ("Kiritimati is a day ahead", State($$$"""
            "timeZone": "Pacific/Kiritimati", "start": "2026-01-12", "completed": ["welcome"], "chosen": [], "answers": {}
            """), "2026-01-11T10:30:00Z"),
        ("the older answers file", """
            {"format": "contentengine-answers", "version": 1, "program": "iact-chronic-pain",
             "state": {"start": "2026-01-05", "completed": ["welcome", "values"], "chosen": null, "answers": {"pain-rating": {"intensity": 9}}}}
            """, "2026-01-26T12:00:00Z"),
        ("another program's state", """
            {"format": "contentengine-patient-state", "version": 1, "program": "another-program", "completed": []}
            """, "2026-01-26T12:00:00Z"),
    ];

    [Fact]
    public void ThePackageAgreesWithTheRuntimeOnTheSampleForRecordedPatients()
    {
        var file = npm.TempFile("sample.cepkg");
        File.WriteAllBytes(file, PackageTestData.SampleBytes);
        var package = ProgramPackage.Open(file);
        var states = new JsonArray([.. Patients.Select(p => (JsonNode?)new JsonObject { ["state"] = JsonNode.Parse(p.State), ["now"] = p.Now })]);
        var result = npm.RunScript("package.mjs", new JsonObject { ["packages"] = new JsonArray(new JsonObject { ["file"] = file, ["states"] = states }) })[0]!;
        Assert.True(result["error"] is null, $"Node refused the sample's package: {result["error"]?.ToJsonString()}");
        Assert.Equal(package.Manifest.ProgramVersion, (string?)result["manifest"]!["programVersion"]);
        Assert.Equal(package.Paths, result["paths"]!.AsArray().Select(p => (string)p!));

        var problems = new List<string>();
        var statuses = result["statuses"]!.AsArray();
        for (var i = 0; i < Patients.Length; i++)
        {
            var (name, state, now) = Patients[i];
            JsonNode reference;
            try
            {
                var record = PatientRecord.Parse(state);
                reference = NpmPackage.Full(package.Program.Evaluate(record, DateTimeOffset.Parse(now, CultureInfo.InvariantCulture), "en"), record.StartDate);
            }
            catch (PatientStateException e)
            {
                reference = new JsonObject { ["error"] = Camel(e.Error.ToString()) };
            }
            var actual = statuses[i]!;
            if (actual["error"] is { } error) actual = new JsonObject { ["error"] = error["code"]!.DeepClone() };
            if (!JsonNode.DeepEquals(actual, reference))
                problems.Add($"{name}: Node gives\n  {actual.ToJsonString()}\nthe runtime\n  {reference.ToJsonString()}");
        }
        Assert.True(problems.Count == 0, $"{problems.Count} of {Patients.Length} patients differ:\n" + string.Join("\n", problems));
        // The patients between them see every state, every kind of lock, a recommendation and the end of the program.
        var all = statuses.Where(s => s!["modules"] is not null).SelectMany(s => s!["modules"]!.AsArray()).ToList();
        Assert.Equal(["completed", "locked", "offered", "open"], all.Select(m => (string)m!["state"]!).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["choiceLimitReached", "notYetReleased", "programNotStarted", "requiresModules"],
            all.SelectMany(m => m!["reasons"]!.AsArray()).Select(r => (string)r!["kind"]!).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(all, m => m!["recommendationReason"] is JsonObject);
    }

    private static string Camel(string s) => char.ToLowerInvariant(s[0]) + s[1..];

    /// <summary>Every damaged and crafted package the runtime's tests make is refused by the package too, for the same reason.</summary>
    [Fact]
    public void ThePackageRefusesWhatTheRuntimeRefuses()
    {
        var cases = PackageTamperTests.CaseNames.Select(n => (Name: n, Case: PackageTamperTests.Tampered(n)))
            .Select(x => (x.Name, x.Case.Bytes, x.Case.Error))
            .Concat(CraftedPackageTests.Names.Select(n => (Name: n, Case: CraftedPackageTests.Craft(n))).Select(x => (x.Name, x.Case.Bytes, x.Case.Error)))
            .ToList();
        var packages = new JsonArray();
        foreach (var (name, bytes, _) in cases)
        {
            var file = npm.TempFile(name + ".cepkg");
            File.WriteAllBytes(file, bytes);
            packages.Add(new JsonObject { ["file"] = file, ["verifyAll"] = true });
        }
        var results = npm.RunScript("package.mjs", new JsonObject { ["packages"] = packages }).AsArray();
        var wrong = cases.Select((c, i) => (c, r: results[i]!))
            .Where(x => (string?)x.r["error"]?["code"] != Camel(x.c.Error.ToString()))
            .Select(x => $"{x.c.Name}: the runtime refuses it as {x.c.Error}, Node gives {x.r["error"]?.ToJsonString() ?? "an opened package"}")
            .ToList();
        Assert.True(cases.Count >= 30, $"only {cases.Count} crafted packages");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cases.Count} packages are refused differently:\n" + string.Join("\n", wrong));
    }

    /// <summary>Signed packages: the package opens, refuses and names the signer exactly as ProgramPackage.Open does.</summary>
    [Fact]
    public void SignedPackagesOpenAndAreRefusedAsTheRuntimeDoes()
    {
        var publisher = PackageSigner.NewKey();
        var stranger = PackageSigner.NewKey();
        var publisherKey = PublisherKey.FromPem(publisher.PublicKeyPem);
        var strangerKey = PublisherKey.FromPem(stranger.PublicKeyPem);
        byte[] Signed(string key, string name, Action<PackageTamperTests.Entries>? after = null) => PackageTamperTests.Rezip(e =>
        {
            using var signer = PackageSigner.FromPem(key, name);
            e[ProgramPackage.SignaturePath] = signer.Sign(e[ProgramPackage.ManifestPath]);
            after?.Invoke(e);
        });
        var signed = Signed(publisher.PrivateKeyPem, "Pain clinic");
        var cases = new List<(string Name, byte[] Bytes, PublisherKey[] Trusted)>
        {
            ("signed, no keys", signed, []),
            ("signed, its key", signed, [strangerKey, publisherKey]),
            ("signed, another key", signed, [strangerKey]),
            ("unsigned, a key", PackageTestData.SampleBytes, [publisherKey]),
            ("re-signed by a stranger", Signed(stranger.PrivateKeyPem, "Pain clinic"), [publisherKey]),
            ("signer renamed", Signed(publisher.PrivateKeyPem, "Pain clinic", e =>
                e[ProgramPackage.SignaturePath] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(e[ProgramPackage.SignaturePath]).Replace("Pain clinic", "Pain clinix", StringComparison.Ordinal))), []),
            ("manifest changed after signing", Signed(publisher.PrivateKeyPem, "Pain clinic", e => e[ProgramPackage.ManifestPath] = [.. e[ProgramPackage.ManifestPath], (byte)' ']), []),
        };
        var packages = new JsonArray();
        foreach (var (name, bytes, trusted) in cases)
        {
            var file = npm.TempFile(name.Replace(' ', '-').Replace(',', '_') + ".cepkg");
            File.WriteAllBytes(file, bytes);
            packages.Add(new JsonObject { ["file"] = file, ["trusted"] = new JsonArray([.. trusted.Select(k => JsonValue.Create(k.Fingerprint))]) });
        }
        var results = npm.RunScript("package.mjs", new JsonObject { ["packages"] = packages }).AsArray();
        var wrong = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var (name, bytes, trusted) = cases[i];
            string expected;
            try
            {
                var package = ProgramPackage.Open(new MemoryStream(bytes), new PackageOpenOptions { TrustedPublishers = trusted });
                expected = package.Signature is { } s ? $"{s.Signer}/{s.Fingerprint}/{(s.Trusted ? "trusted" : "not trusted")}" : "unsigned";
            }
            catch (PackageException e)
            {
                expected = "refused: " + Camel(e.Error.ToString());
            }
            var r = results[i]!;
            var given = r["error"] is { } error ? "refused: " + (string?)error["code"]
                : r["signature"] is JsonObject s2 ? $"{(string?)s2["signer"]}/{(string?)s2["fingerprint"]}/{((bool)s2["trusted"]! ? "trusted" : "not trusted")}" : "unsigned";
            if (given != expected) wrong.Add($"{name}: the runtime gives {expected}, Node {given}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Contains("manifest changed", cases[6].Name, StringComparison.Ordinal);
        Assert.Equal("refused: badSignature", "refused: " + (string?)results[6]!["error"]?["code"]);
    }

    [Fact]
    public void NpmPackMakesAPackageWithItsFilesTypesAndExports()
    {
        var destination = npm.TempFile("packed");
        Directory.CreateDirectory(destination);
        var (code, output, error) = NpmPackage.Run("npm", ["pack", "--pack-destination", destination, "--json"], npm.Folder);
        Assert.True(code == 0, $"npm pack failed ({code}): {error}");
        var tarball = Assert.Single(Directory.GetFiles(destination, "*.tgz"));
        var version = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(TestPaths.Repo("Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;
        Assert.Equal($"contentengine-runtime-{version}.tgz", Path.GetFileName(tarball));
        Assert.Contains("contentengine-runtime", output, StringComparison.Ordinal);

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                files[entry.Name] = data.ToArray();
            }
        }
        Assert.Equal(
            ["package/README.md", "package/index.d.ts", "package/index.js", "package/lib/engine.js", "package/lib/package.js",
             "package/lib/patient-state.js", "package/lib/program.js", "package/package.json"],
            files.Keys.Order(StringComparer.Ordinal));

        var manifest = JsonNode.Parse(files["package/package.json"])!;
        Assert.Equal("contentengine-runtime", (string?)manifest["name"]);
        Assert.Equal(version, (string?)manifest["version"]);
        Assert.Equal("module", (string?)manifest["type"]);
        Assert.Equal("./index.d.ts", (string?)manifest["types"]);
        Assert.Equal("./index.d.ts", (string?)manifest["exports"]!["."]!["types"]);
        Assert.Equal("./index.js", (string?)manifest["exports"]!["."]!["import"]);

        // The package's engine is the web bundle's conditions.js and schedule.js, whole and unchanged.
        var engine = System.Text.Encoding.UTF8.GetString(files["package/lib/engine.js"]);
        foreach (var asset in new[] { "conditions.js", "schedule.js" })
            Assert.Contains(File.ReadAllText(TestPaths.Repo("themes", "default", "assets", asset)), engine, StringComparison.Ordinal);
    }

    /// <summary>Where <c>./build.sh test</c> installs the TypeScript compiler.</summary>
    private static string TypeScriptCompiler =>
        Environment.GetEnvironmentVariable("CONTENTENGINE_TYPESCRIPT") is { Length: > 0 } t ? t : TestPaths.Repo("out", "typescript", "node_modules", "typescript");

    [Fact]
    public void TheTypesCheckWithTsc()
    {
        var tsc = Path.Combine(TypeScriptCompiler, "bin", "tsc");
        Assert.True(File.Exists(tsc), $"The TypeScript compiler is missing ({tsc}): install it with `./build.sh test` (or "
            + "`npm install --prefix out/typescript --ignore-scripts typescript@5.9.3` in the repository), or set CONTENTENGINE_TYPESCRIPT to the typescript package's folder.");
        var project = npm.TempFile("types");
        PackageTestData.CopyFolder(npm.Folder, Path.Combine(project, "node_modules", "contentengine-runtime"));
        File.Copy(TestPaths.Repo("tests", "npm-runtime", "usage.ts"), Path.Combine(project, "usage.ts"));
        File.WriteAllText(Path.Combine(project, "tsconfig.json"), """
            {"compilerOptions": {"strict": true, "noEmit": true, "target": "es2022", "module": "nodenext", "moduleResolution": "nodenext",
                                 "types": [], "noUnusedLocals": true, "exactOptionalPropertyTypes": true}, "files": ["usage.ts"]}
            """);
        File.WriteAllText(Path.Combine(project, "package.json"), """{"type": "module", "private": true}""");
        var (code, output, error) = NpmPackage.Run("node", [tsc, "-p", project], project);
        Assert.True(code == 0, $"tsc --noEmit finds errors in tests/npm-runtime/usage.ts against the package's types:\n{output}{error}");
    }
}

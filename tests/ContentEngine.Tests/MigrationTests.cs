using System.Text.Json;
using ContentEngine.Cli;
using ContentEngine.Compilation;
using ContentEngine.Exploration;
using ContentEngine.Runtime.Migration;
using ContentEngine.Runtime.Packaging;
using ContentEngine.Runtime.Patients;
using ContentEngine.Runtime.Programs;
using Json.Schema;

namespace ContentEngine.Tests;

/// <summary>
/// Two versions of the sample program, built as packages: 1.0.0 as it is, and 1.1.0 made from a copy
/// with an optional module removed, a module added, a worksheet field removed, two fields changed in
/// type with the same id (one of a form, one of a diary), an offer condition changed and a module's
/// text edited. Plus a package of another program, made from a copy with another id.
/// </summary>
public sealed class MigrationFixture : IDisposable
{
    private const long Epoch = 1700000000;
    private readonly TestPaths.TempFolder _temp = new();

    public MigrationFixture()
    {
        var v2 = Path.Combine(_temp.Path, "v2");
        PackageTestData.CopyFolder(PackageTestData.SampleFolder, v2);
        MakeVersion2(v2);
        var other = Path.Combine(_temp.Path, "other");
        PackageTestData.CopyFolder(PackageTestData.SampleFolder, other);
        Edit(other, "program.yaml", "id: iact-chronic-pain", "id: other-program");

        var v3 = Path.Combine(_temp.Path, "v3");
        PackageTestData.CopyFolder(PackageTestData.SampleFolder, v3);
        MakeVersion3(v3);

        V1Path = Write("iact-chronic-pain-1.0.0.cepkg", PackageTestData.SampleBytes);
        V3 = ProgramPackage.Open(new MemoryStream(PackageTestData.Build(v3, Epoch).Bytes));
        V2Path = Write("iact-chronic-pain-1.1.0.cepkg", PackageTestData.Build(v2, Epoch).Bytes);
        OtherPath = Write("other-program-1.0.0.cepkg", PackageTestData.Build(other, Epoch).Bytes);
        V1 = ProgramPackage.Open(V1Path);
        V2 = ProgramPackage.Open(V2Path);
        Other = ProgramPackage.Open(OtherPath);

        var result = ProgramCompiler.Compile(PackageTestData.SampleFolder, new CompilerOptions { Today = new DateOnly(2026, 6, 1) });
        Assert.True(result.Graph is not null && result.Exploration is not null, "the sample does not compile");
        Witnesses = [.. ExplorationJson.Witnesses(result.Graph!, result.Exploration!)
            .Select(w => (w.FileName, PatientRecord.Parse(ExplorationJson.WitnessDocument(result.Graph!, w))))];
    }

    public ProgramPackage V1 { get; }
    public ProgramPackage V2 { get; }
    public ProgramPackage Other { get; }

    /// <summary>Another 1.1.0, with the changes the first one does not make: a choice rule, a module moved earlier, requirements, options, a range, a required field, a score.</summary>
    public ProgramPackage V3 { get; }
    public string V1Path { get; }
    public string V2Path { get; }
    public string OtherPath { get; }

    /// <summary>Every witness <c>contentengine explore --witnesses</c> writes for the sample, by file name.</summary>
    public IReadOnlyList<(string Name, PatientRecord State)> Witnesses { get; }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_temp.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void Edit(string folder, string file, string from, string to)
    {
        var path = Path.Combine(folder, file);
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(text.Contains(from, StringComparison.Ordinal), $"{file} no longer holds '{from}': update the test's second version of the sample");
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>Makes the sample's copy in <paramref name="v2"/> the 1.1.0 described above (docs/package-format.md, section 15, migrates a patient to it).</summary>
    internal static void MakeVersion2(string v2)
    {
        Edit(v2, "program.yaml", "version: 1.0.0", "version: 1.1.0");
        // An optional module removed.
        File.Delete(Path.Combine(v2, "modules", "relationships.md"));
        File.Delete(Path.Combine(v2, "modules", "relationships.en.md"));
        // A field removed: the one only the removed module's conditions read.
        var wishes = File.ReadAllText(Path.Combine(v2, "worksheets", "aftercare-wishes.md")).ReplaceLineEndings("\n");
        var start = wishes.IndexOf("  - id: relationship-strain\n", StringComparison.Ordinal);
        var end = wishes.IndexOf("  - id: work-situation\n", StringComparison.Ordinal);
        Assert.True(start > 0 && end > start, "aftercare-wishes.md no longer has relationship-strain before work-situation");
        File.WriteAllText(Path.Combine(v2, "worksheets", "aftercare-wishes.md"), wishes[..start] + wishes[end..]);
        // Two fields change type and keep their ids: one of a form, one of a diary.
        Edit(v2, "worksheets/aftercare-wishes.md", "  - id: low-days\n    type: integer", "  - id: low-days\n    type: scale");
        Edit(v2, "worksheets/exercise-diary.md", "  - id: minutes\n    type: number", "  - id: minutes\n    type: duration");
        // A module moved a week later.
        Edit(v2, "modules/stress.md", "week: 2\noptional: true", "week: 3\noptional: true");
        // An offer condition changed.
        Edit(v2, "modules/stress.md", "aftercare-wishes.stress >= 7", "aftercare-wishes.stress >= 6");
        // A module's text edited.
        Edit(v2, "modules/welcome.md", "# Välkommen till programmet\n", "# Välkommen till programmet\n\nI den här versionen finns en ny del i vecka 3.\n");
        // A module added, in week 3.
        File.WriteAllText(Path.Combine(v2, "modules", "check-in.md"), """
            ---
            id: check-in
            title: {sv: Hur går det?, en: How is it going?}
            phase: treatment
            week: 3
            optional: false
            requires: [welcome]
            ---

            # Hur går det?

            Stanna upp en stund och tänk på de senaste veckorna. Vad har fungerat, och vad har varit svårt?

            """);
        File.WriteAllText(Path.Combine(v2, "modules", "check-in.en.md"), """
            ---
            title: How is it going?
            ---

            # How is it going?

            Stop for a moment and think about the past weeks. What has worked, and what has been hard?

            """);
    }

    private static void MakeVersion3(string v3)
    {
        Edit(v3, "program.yaml", "version: 1.0.0", "version: 1.1.0");
        Edit(v3, "program.yaml", "choose: {min: 0, max: 6}", "choose: {min: 0, max: 4}");
        Edit(v3, "modules/sleep.md", "week: 2\n", "week: 1\n");
        Edit(v3, "modules/work.md", "requires: [maintaining]", "requires: [maintaining, values]");
        Edit(v3, "worksheets/aftercare-wishes.md",
            "      - {value: other, label: {sv: \"Annat, till exempel pensionär eller arbetssökande\", en: \"Other, such as retired or looking for work\"}}\n", "");
        Edit(v3, "worksheets/exercise-diary.md", "max: 600", "max: 300");
        Edit(v3, "worksheets/pain-rating.md", "    min: 0\n    max: 6\n", "    required: true\n    min: 0\n    max: 6\n");
        Edit(v3, "worksheets/pain-rating.md", "sv: Hur väl kan du själv minska smärtan när den är som värst?", "sv: Hur väl kan du minska smärtan när den är som värst?");
        Edit(v3, "worksheets/flexibility.md", "acceptance: {sum: [q1, q3, q5, q7]}", "acceptance: {sum: [q1, q3, q5]}");
    }

    public void Dispose() => _temp.Dispose();
}

public sealed class MigrationTests(MigrationFixture f) : IClassFixture<MigrationFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Every change the second version makes, and nothing else.</summary>
    private static readonly (ItemKind Item, string Id, ChangeKind Change)[] Expected =
    [
        (ItemKind.Module, "welcome", ChangeKind.Changed),
        (ItemKind.Module, "check-in", ChangeKind.Added),
        (ItemKind.Module, "relationships", ChangeKind.Removed),
        (ItemKind.Module, "stress", ChangeKind.Changed),
        (ItemKind.Field, "aftercare-wishes.low-days", ChangeKind.Changed),
        (ItemKind.Field, "aftercare-wishes.relationship-strain", ChangeKind.Removed),
        (ItemKind.Field, "exercise-diary.minutes", ChangeKind.Changed),
        (ItemKind.Condition, "stress.offerWhen", ChangeKind.Changed),
        (ItemKind.Condition, "relationships.offerWhen", ChangeKind.Removed),
        (ItemKind.Condition, "relationships.if", ChangeKind.Removed),
    ];

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    // ---- the diff ----

    [Fact]
    public void TheDiffListsEveryChangeAndNothingElse()
    {
        var diff = ProgramDiff.Compare(f.V1, f.V2);
        Assert.Equal(("iact-chronic-pain", "1.0.0", "1.1.0"), (diff.ProgramId, diff.FromVersion, diff.ToVersion));
        Assert.Equal(Expected.Order(), diff.Changes.Select(c => (c.Item, c.Id, c.Change)).Order());

        var welcome = diff[ItemKind.Module, "welcome"]!;
        Assert.Equal("sv", welcome.Detail("text")!.After); // only the Swedish text was edited, as the manifests' SHA-256 tell
        Assert.Contains(welcome.Impacts, i => i.Kind == ImpactKind.TextChanged);

        var added = diff[ItemKind.Module, "check-in"]!;
        Assert.Equal("3", added.Detail("programWeek")!.After);
        Assert.False(added.Moved);
        Assert.Contains(added.Impacts, i => i.Kind == ImpactKind.NewModuleInPassedWeek && i.Message.Contains("past week 2", StringComparison.Ordinal));

        var moved = diff[ItemKind.Module, "stress"]!;
        Assert.True(moved.Moved);
        Assert.Equal(new ChangeDetail("programWeek", "12", "13"), moved.Detail("programWeek"));
        Assert.Equal([ImpactKind.OpensLater], moved.Impacts.Select(i => i.Kind));
        Assert.Contains("patients in week 12 who have not completed it see it locked again until week 13", moved.Impacts[0].Message);

        var removed = diff[ItemKind.Module, "relationships"]!;
        Assert.Equal([ImpactKind.CompletedModuleRemoved, ImpactKind.ChosenModuleRemoved], removed.Impacts.Select(i => i.Kind));

        var retyped = diff[ItemKind.Field, "aftercare-wishes.low-days"]!;
        Assert.Equal(new ChangeDetail("type", "integer", "scale"), retyped.Detail("type"));
        Assert.Equal([ImpactKind.AnswersKeptAside, ImpactKind.AskedAgain], retyped.Impacts.Select(i => i.Kind));
        Assert.Equal(new ChangeDetail("type", "number", "duration"), diff[ItemKind.Field, "exercise-diary.minutes"]!.Detail("type"));

        var gone = diff[ItemKind.Field, "aftercare-wishes.relationship-strain"]!;
        Assert.Contains(gone.Impacts, i => i.Kind == ImpactKind.AnswersKeptAside && i.Message.Contains("aftercare-wishes.relationship-strain", StringComparison.Ordinal));

        var offer = diff[ItemKind.Condition, "stress.offerWhen"]!;
        Assert.Equal(new ChangeDetail("source",
            "aftercare-wishes.stress >= 7 or aftercare-wishes.areas == \"stress\"",
            "aftercare-wishes.stress >= 6 or aftercare-wishes.areas == \"stress\""), offer.Detail("source"));
        Assert.Contains(offer.Impacts, i => i.Kind == ImpactKind.ConditionChanged);
    }

    [Fact]
    public void TheDiffNamesWhatEveryOtherKindOfChangeMeansForPatients()
    {
        var diff = ProgramDiff.Compare(f.V1, f.V3);
        Assert.Equal(new (ItemKind, string, ChangeKind, ImpactKind)[]
        {
            (ItemKind.Phase, "aftercare", ChangeKind.Changed, ImpactKind.ChoiceRuleChanged),
            (ItemKind.Module, "sleep", ChangeKind.Changed, ImpactKind.OpensEarlier),
            (ItemKind.Module, "work", ChangeKind.Changed, ImpactKind.RequirementsChanged),
            (ItemKind.Field, "aftercare-wishes.work-situation", ChangeKind.Changed, ImpactKind.AnswersOutsideNewValues),
            (ItemKind.Field, "exercise-diary.minutes", ChangeKind.Changed, ImpactKind.AnswersOutsideNewValues),
            (ItemKind.Field, "pain-rating.control", ChangeKind.Changed, ImpactKind.NewlyRequired),
            (ItemKind.Score, "flexibility.acceptance", ChangeKind.Changed, ImpactKind.ScoreChanged),
        }, diff.Changes.Select(c => (c.Item, c.Id, c.Change, Assert.Single(c.Impacts).Kind)));
        Assert.Equal(new ChangeDetail("choose", "0 to 6", "0 to 4"), diff[ItemKind.Phase, "aftercare"]!.Detail("choose"));
        Assert.True(diff[ItemKind.Module, "sleep"]!.Moved);
        Assert.Contains("patients in week 11 find it open at once when 'maintaining' is completed", diff[ItemKind.Module, "sleep"]!.Impacts[0].Message);
        Assert.Contains("now also requires 'values'", diff[ItemKind.Module, "work"]!.Impacts[0].Message);
        Assert.Contains("no longer has the option 'other'", diff[ItemKind.Field, "aftercare-wishes.work-situation"]!.Impacts[0].Message);
        Assert.Equal(new ChangeDetail("range", "0..600", "0..300"), diff[ItemKind.Field, "exercise-diary.minutes"]!.Detail("range"));
        Assert.Equal(new ChangeDetail("required", "false", "true"), diff[ItemKind.Field, "pain-rating.control"]!.Detail("required"));
        Assert.NotNull(diff[ItemKind.Score, "flexibility.acceptance"]!.Detail("items"));
        // The wording, in the program's default locale: the answers keep their meaning, so it concerns no patient.
        Assert.Equal(new ChangeDetail("label", "Hur väl kan du själv minska smärtan när den är som värst?", "Hur väl kan du minska smärtan när den är som värst?"),
            diff[ItemKind.Field, "pain-rating.control"]!.Detail("label"));

        // Nothing of this sets answers aside: a patient's answers stay as they are, wherever they now fall.
        foreach (var (_, state) in f.Witnesses)
        {
            var (migrated, report) = PatientMigration.Migrate(state, f.V1, f.V3, Now);
            Assert.Empty(report.KeptAside);
            Assert.Equal(state with { ProgramVersion = "1.1.0" }, migrated);
        }
    }

    [Fact]
    public void APackageComparedWithItselfHasNoChanges()
    {
        Assert.True(ProgramDiff.Compare(f.V1, f.V1).IsEmpty);
    }

    [Fact]
    public void PackagesOfTwoProgramsAreRefused()
    {
        var e = Assert.Throws<MigrationException>(() => ProgramDiff.Compare(f.V1, f.Other));
        Assert.Equal(MigrationError.DifferentPrograms, e.Error);
        Assert.Contains("'iact-chronic-pain' 1.0.0 and 'other-program' 1.0.0", e.Message);
    }

    [Fact]
    public async Task DiffPrintsEveryChangeForAReader()
    {
        var (code, output, err) = await Run("diff", f.V1Path, f.V2Path);
        Assert.True(code == 0, err);
        Assert.StartsWith("iact-chronic-pain 1.0.0 -> 1.1.0: 10 changes\n", output);
        foreach (var (_, id, change) in Expected)
            Assert.Matches($@"(?m)^  {change.ToString().ToLowerInvariant(),-8} {System.Text.RegularExpressions.Regex.Escape(id)}(:|$)", output);
        foreach (var heading in new[] { "Modules:", "Fields:", "Conditions:" })
            Assert.Contains($"\n{heading}\n", output);
        Assert.DoesNotContain("Worksheets:", output);
        Assert.Contains("  changed  aftercare-wishes.low-days: type integer -> scale\n", output);
        Assert.Contains("  changed  welcome: text changed (sv)\n", output);
        Assert.Contains("  added    check-in: in treatment; week 3; mandatory\n", output);
        Assert.Contains("           condition after:  aftercare-wishes.stress >= 6 or aftercare-wishes.areas == \"stress\"\n", output);
        foreach (var impact in ProgramDiff.Compare(f.V1, f.V2).Changes.SelectMany(c => c.Impacts))
            Assert.Contains("           patients: " + impact.Message + "\n", output);
    }

    [Fact]
    public async Task TheGuideShowsWhatDiffPrints()
    {
        var doc = File.ReadAllText(TestPaths.Repo("docs", "package-format.md")).ReplaceLineEndings("\n");
        var section = doc[doc.IndexOf("### Comparing two versions: `contentengine diff`", StringComparison.Ordinal)..];
        var start = section.IndexOf("```text\n", StringComparison.Ordinal) + "```text\n".Length;
        var documented = section[start..section.IndexOf("```\n", start, StringComparison.Ordinal)];
        var (_, output, _) = await Run("diff", f.V1Path, f.V2Path);
        Assert.Equal(documented, output);
    }

    [Fact]
    public async Task DiffWritesJsonThatMatchesItsSchema()
    {
        var (code, output, err) = await Run("diff", f.V1Path, f.V2Path, "--format", "json");
        Assert.True(code == 0, err);
        Assert.Equal(ProgramDiff.Compare(f.V1, f.V2).ToJson(), output);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("contentengine-diff", root.GetProperty("format").GetString());
        Assert.Equal("1.0.0", root.GetProperty("from").GetString());
        Assert.Equal("1.1.0", root.GetProperty("to").GetString());
        var listed = root.GetProperty("changes").EnumerateArray()
            .Select(c => (c.GetProperty("item").GetString(), c.GetProperty("id").GetString(), c.GetProperty("change").GetString())).Order().ToList();
        Assert.Equal(Expected.Select(e => ((string?)ProgramDiff.Name(e.Item), (string?)e.Id, (string?)ProgramDiff.Name(e.Change))).Order(), listed);
        var kept = root.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "aftercare-wishes.relationship-strain");
        Assert.Equal("answersKeptAside", kept.GetProperty("patients")[0].GetProperty("impact").GetString());

        var schema = JsonSchema.FromText(File.ReadAllText(TestPaths.Repo("schemas", "diff.schema.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var results = schema.Evaluate(root, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, "the diff does not match schemas/diff.schema.json: " +
            string.Join("; ", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        // The schema is not empty: a change of an unknown kind fails it.
        var bad = System.Text.Json.Nodes.JsonNode.Parse(output)!;
        bad["changes"]![0]!["item"] = "chapter";
        Assert.False(schema.Evaluate(JsonDocument.Parse(bad.ToJsonString()).RootElement).IsValid);
    }

    [Fact]
    public async Task DiffRefusesWhatItCannotCompare()
    {
        var (code, _, err) = await Run("diff", f.V1Path);
        Assert.Equal(2, code);
        Assert.Contains("diff takes two packages", err);

        (code, _, err) = await Run("diff", f.V1Path, f.OtherPath);
        Assert.Equal(2, code);
        Assert.Contains("the packages are of two programs", err);

        (code, _, err) = await Run("diff", f.V1Path, f.V2Path, "--format", "sarif");
        Assert.Equal(2, code);
        Assert.Contains("--format human or json", err);

        using var t = new TestPaths.TempFolder();
        (code, _, err) = await Run("diff", f.V1Path, Path.Combine(t.Path, "missing.cepkg"));
        Assert.Equal(2, code);
        Assert.Contains("there is no file", err);

        var broken = t.File("broken.cepkg", "not a zip");
        (code, var output, err) = await Run("diff", broken, f.V2Path);
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"{broken}: refused: the file is not a readable zip archive", err);
    }

    // ---- migrating patients ----

    /// <summary>The explorer's witnesses, and patients like them who chose or completed the module the new version removes, with dates and answers set aside before.</summary>
    private List<(string Name, PatientRecord State)> Patients()
    {
        var patients = f.Witnesses.ToList();
        var (_, relationships) = f.Witnesses.First(w => w.Name == "relationships.gets.json");
        patients.Add(("relationships.chosen", relationships with { Chosen = [.. relationships.Chosen.Append("relationships").Distinct()] }));
        patients.Add(("relationships.completed", relationships with
        {
            Completed = [.. relationships.Completed.Append("relationships").Distinct()],
            Chosen = [.. relationships.Chosen.Append("relationships").Distinct()],
        }));
        patients.Add(("dated", PatientRecord.Parse("""
            {
              "format": "contentengine-patient-state",
              "version": 1,
              "program": "iact-chronic-pain",
              "programVersion": "1.0.0",
              "timeZone": "Europe/Stockholm",
              "start": "2026-09-07",
              "completed": ["welcome", "physical-exercise", "values", "acceptance", "mindfulness", "defusion", "committed-action", "maintaining", "relationships"],
              "chosen": ["relationships", "sleep"],
              "answers": {
                "exercise-diary": [
                  {"_date": "2026-09-08", "activity": "walk", "minutes": 30, "pain": 4},
                  {"_date": "2026-09-09", "minutes": 20},
                  {"_date": "2026-09-10", "activity": "swim", "pain": 3}
                ],
                "aftercare-wishes": {"areas": ["relationships", "sleep"], "stress": 6, "low-days": 3, "relationship-strain": 7, "work-situation": "working"},
                "pain-rating": {"intensity": 6, "control": 2}
              },
              "keptAside": {"aftercare-wishes": {"relationship-strain": 9}, "old-worksheet": {"field": 3}}
            }
            """)));
        return patients;
    }

    /// <summary>Every answer as "worksheet|date|field|value", a diary's one per entry; the keys of the entry's own (its date) are not answers.</summary>
    private static List<string> Flatten(IReadOnlyDictionary<string, RecordedWorksheet> answers) =>
    [
        .. answers.SelectMany(a => (a.Value.Json.ValueKind == JsonValueKind.Array ? [.. a.Value.Json.EnumerateArray()] : new[] { a.Value.Json })
            .Where(e => e.ValueKind == JsonValueKind.Object)
            .SelectMany(e => e.EnumerateObject().Where(p => !p.Name.StartsWith('_')).Select(p =>
                $"{a.Key}|{(e.TryGetProperty("_date", out var d) ? d.GetString() : "")}|{p.Name}|{JsonSerializer.Serialize(p.Value)}"))),
    ];

    [Fact]
    public void EveryWitnessOfTheSampleMovesToTheNewVersionWithNothingLost()
    {
        var patients = Patients();
        Assert.True(f.Witnesses.Count >= 10, $"only {f.Witnesses.Count} witnesses");
        var seen = new HashSet<string>();
        foreach (var (name, old) in patients)
        {
            var (state, report) = PatientMigration.Migrate(old, f.V1, f.V2, Now);
            var why = $"patient {name}";

            // The state now names the new version; the rest of who the patient is stays.
            Assert.Equal("1.1.0", state.ProgramVersion);
            Assert.Equal((old.ProgramId, old.TimeZone, old.StartDate, old.Week), (state.ProgramId, state.TimeZone, state.StartDate, state.Week));
            Assert.Equal(("1.0.0", "1.1.0", Now), (report.FromVersion, report.ToVersion, report.At));

            // Nothing lost: every answer is in the answers or kept aside, once.
            Assert.Equal([.. Flatten(old.Answers).Concat(Flatten(old.KeptAside)).Order(StringComparer.Ordinal)],
                [.. Flatten(state.Answers).Concat(Flatten(state.KeptAside)).Order(StringComparer.Ordinal)]);
            foreach (var (ws, value) in old.KeptAside)
                Assert.True(state.KeptAside.ContainsKey(ws), $"{why}: keptAside.{ws} was dropped");

            // What the new version no longer reads, or would misread, is kept aside and listed.
            foreach (var (ws, field, reason) in new[]
            {
                ("aftercare-wishes", "relationship-strain", KeptAsideReason.FieldRemoved),
                ("aftercare-wishes", "low-days", KeptAsideReason.FieldRetyped),
                ("exercise-diary", "minutes", KeptAsideReason.FieldRetyped),
            })
            {
                var had = Flatten(old.Answers).Count(a => a.StartsWith($"{ws}|", StringComparison.Ordinal) && a.Split('|')[2] == field);
                Assert.DoesNotContain(Flatten(state.Answers), a => a.StartsWith($"{ws}|", StringComparison.Ordinal) && a.Split('|')[2] == field);
                var listed = report.KeptAside.SingleOrDefault(k => k.Worksheet == ws && k.Field == field);
                if (had == 0)
                {
                    Assert.Null(listed);
                    continue;
                }
                seen.Add($"{ws}.{field}");
                Assert.Equal(new KeptAsideAnswers(ws, field, reason, had), listed);
                Assert.True(Flatten(state.KeptAside).Count(a => a.StartsWith($"{ws}|", StringComparison.Ordinal) && a.Split('|')[2] == field)
                    >= had, $"{why}: {ws}.{field} is not in keptAside");
                Assert.Equal(reason == KeptAsideReason.FieldRetyped, report.AskAgain.Contains($"{ws}.{field}"));
            }
            Assert.All(report.KeptAside, k => Assert.True(k.Field is "relationship-strain" or "low-days" or "minutes", $"{why}: {k.Id} was set aside"));

            // Completed modules are kept by id; the removed one is listed, and choosing it is flagged.
            Assert.Equal(old.Completed.Where(id => id != "relationships"), state.Completed);
            Assert.Equal(old.Chosen.Where(id => id != "relationships"), state.Chosen);
            Assert.Equal(old.Completed.Contains("relationships") ? new[] { "relationships" } : [], report.CompletedRemoved);
            Assert.Equal(old.Chosen.Contains("relationships") ? new[] { "relationships" } : [], report.ChosenRemoved);
            if (old.Completed.Contains("relationships")) seen.Add("completed");
            if (old.Chosen.Contains("relationships")) seen.Add("chosen");

            // The new state evaluates against the new program, and the report says each module's state before and after.
            var before = f.V1.Program.Evaluate(old, Now);
            var after = f.V2.Program.Evaluate(state, Now);
            Assert.Equal((before.Week, after.Week), (report.WeekBefore, report.WeekAfter));
            Assert.Equal(f.V2.Program.Modules.Select(m => m.Id).Append("relationships"), report.Modules.Select(m => m.Id));
            foreach (var m in report.Modules)
            {
                Assert.Equal(m.Id == "check-in" ? (ModuleState?)null : before[m.Id].State, m.Before);
                Assert.Equal(m.Id == "relationships" ? (ModuleState?)null : after[m.Id].State, m.After);
                Assert.Equal(m.Id != "check-in" && before[m.Id].Recommended, m.RecommendedBefore);
                Assert.Equal(m.Id != "relationships" && after[m.Id].Recommended, m.RecommendedAfter);
            }
            if (after.Week >= 3 && state.Completed.Contains("welcome"))
            {
                Assert.Equal(ModuleState.Open, after["check-in"].State);
                Assert.Contains(report.NewlyAvailable, m => m.Id == "check-in");
                seen.Add("check-in");
            }
            foreach (var (ws, value) in state.Answers)
            {
                var sheet = f.V2.Program.Worksheets.SingleOrDefault(w => w.Id == ws);
                Assert.True(sheet is not null, $"{why}: answers to {ws}, which 1.1.0 does not have");
                Assert.All(Flatten(new Dictionary<string, RecordedWorksheet> { [ws] = value }), a => Assert.Contains(sheet.Fields, x => x.Id == a.Split('|')[2]));
            }
            Assert.All(state.Completed.Concat(state.Chosen), id => Assert.NotNull(f.V2.Program.FindModule(id)));

            // The new state is stored and read back as it is.
            Assert.Equal(state, PatientRecord.Parse(state.ToJson()));
            using var reportJson = JsonDocument.Parse(report.ToJson());
            Assert.Equal("1.1.0", reportJson.RootElement.GetProperty("to").GetString());
        }
        // The patients cover every kind of change (so that the checks above are not vacuous).
        Assert.Equal(["aftercare-wishes.low-days", "aftercare-wishes.relationship-strain", "check-in", "chosen", "completed", "exercise-diary.minutes"],
            seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AnswersSetAsideBeforeAreKeptBesideTheNewOnes()
    {
        var state = Patients().Single(p => p.Name == "dated").State;
        var (migrated, report) = PatientMigration.Migrate(state, f.V1, f.V2, Now);
        // relationship-strain was set aside before (9), and now again (7): both are kept, in order.
        Assert.Equal("""[{"relationship-strain":9},{"low-days":3,"relationship-strain":7}]""", JsonSerializer.Serialize(migrated.KeptAside["aftercare-wishes"].Json));
        Assert.Equal("""{"field":3}""", JsonSerializer.Serialize(migrated.KeptAside["old-worksheet"].Json));
        // A diary entry left with no answer is kept aside whole, and the others lose only the retyped field.
        Assert.Equal("""[{"_date":"2026-09-08","activity":"walk","pain":4},{"_date":"2026-09-10","activity":"swim","pain":3}]""",
            JsonSerializer.Serialize(migrated.Answers["exercise-diary"].Json));
        Assert.Equal("""[{"_date":"2026-09-08","minutes":30},{"_date":"2026-09-09","minutes":20}]""", JsonSerializer.Serialize(migrated.KeptAside["exercise-diary"].Json));
        Assert.Equal(new KeptAsideAnswers("exercise-diary", "minutes", KeptAsideReason.FieldRetyped, 2), report.KeptAside.Single(k => k.Worksheet == "exercise-diary"));
        // The week is counted from the start date in the patient's time zone, in both versions alike.
        Assert.Equal((13, 13), (report.WeekBefore, report.WeekAfter));
        Assert.Equal(ModuleState.Open, report.Modules.Single(m => m.Id == "check-in").After);
        Assert.Equal((ModuleState?)ModuleState.Completed, report.Modules.Single(m => m.Id == "relationships").Before);
        Assert.True(report.NeedsAttention);
        // Stress at 6 now recommends 'stress' (the condition was >= 7); and with the required low-days set aside,
        // aftercare-wishes counts as unanswered until the patient answers it again, which recommends 'pacing'.
        Assert.Equal(["pacing", "stress"], report.NewlyRecommended.Select(m => m.Id));
        Assert.Contains("aftercare-wishes counts as unanswered", report.Diff[ItemKind.Field, "aftercare-wishes.low-days"]!.Impacts[1].Message);
    }

    [Fact]
    public void AnswersToAWorksheetTheProgramDoesNotHaveOrOfAnotherShapeAreSetAsideWhole()
    {
        var state = PatientRecord.Parse("""
            {
              "format": "contentengine-patient-state", "version": 1, "program": "iact-chronic-pain", "week": 4,
              "answers": {
                "retired-questionnaire": {"q1": 2},
                "pain-rating": [{"_date": "2026-09-08", "intensity": 6}],
                "sleep-diary": [{"_date": "2026-09-08", "hours": 5}]
              }
            }
            """);
        var (migrated, report) = PatientMigration.Migrate(state, f.V1, f.V2, Now);
        Assert.Equal(["sleep-diary"], migrated.Answers.Keys);
        Assert.Equal(["retired-questionnaire", "pain-rating"], migrated.KeptAside.Keys);
        Assert.Equal(
            new[] { new KeptAsideAnswers("retired-questionnaire", null, KeptAsideReason.WorksheetRemoved, 1), new KeptAsideAnswers("pain-rating", null, KeptAsideReason.WorksheetReshaped, 1) },
            report.KeptAside.ToArray());
        Assert.Equal("""[{"_date":"2026-09-08","intensity":6}]""", JsonSerializer.Serialize(migrated.KeptAside["pain-rating"].Json));
    }

    [Fact]
    public void MigratingToTheSameVersionChangesNothingButTheVersion()
    {
        var (_, state) = f.Witnesses[0];
        var (migrated, report) = PatientMigration.Migrate(state, f.V1, f.V1, Now);
        Assert.Equal(state with { ProgramVersion = "1.0.0" }, migrated);
        Assert.True(report.Diff.IsEmpty);
        Assert.False(report.NeedsAttention);
        Assert.All(report.Modules, m => Assert.Equal(m.Before, m.After));
    }

    [Fact]
    public void EveryWitnessGetsANoticeForWhatTheOtherVersionChangesForThem()
    {
        var kinds = new SortedSet<NoticeKind>();
        foreach (var (name, old) in Patients())
        {
            var (_, report) = PatientMigration.Migrate(old, f.V1, f.V3, Now);
            foreach (var n in report.Notices)
            {
                kinds.Add(n.Kind);
                Assert.False(string.IsNullOrWhiteSpace(n.Message), $"patient {name}: {n.Kind} {n.Id} has no message");
                Assert.True(n.Id.Split('.')[0] is var owner && (f.V1.Program.FindModule(owner) is not null || f.V1.Program.FindPhase(owner) is not null
                    || f.V1.Program.Worksheets.Any(w => w.Id == owner)), $"patient {name}: {n.Kind} about '{n.Id}', which 1.0.0 does not have");
            }
            Assert.Equal(report.Notices.Length, JsonDocument.Parse(report.ToJson()).RootElement.GetProperty("notices").GetArrayLength());
        }
        // The second 1.1.0 makes pain-rating.control required (witnesses answered intensity alone) and moves 'sleep' a week
        // earlier (witnesses before week 11 have not reached it); MigrationReportTests holds every kind to a small program.
        Assert.Equal([NoticeKind.NewRequiredField, NoticeKind.ModuleMoved], kinds);
    }

    [Fact]
    public void BadInputIsRefusedWithATypedError()
    {
        var (_, state) = f.Witnesses[0];

        var e = Assert.Throws<MigrationException>(() => PatientMigration.Migrate(state, f.V1, f.Other, Now));
        Assert.Equal(MigrationError.DifferentPrograms, e.Error);

        e = Assert.Throws<MigrationException>(() => PatientMigration.Migrate(state with { ProgramId = "other-program" }, f.V1, f.V2, Now));
        Assert.Equal(MigrationError.OtherProgram, e.Error);
        Assert.Contains("'other-program'", e.Message);

        e = Assert.Throws<MigrationException>(() => PatientMigration.Migrate(state with { ProgramVersion = "0.9.0" }, f.V1, f.V2, Now));
        Assert.Equal(MigrationError.OtherVersion, e.Error);
        Assert.Contains("version 0.9.0", e.Message);

        e = Assert.Throws<MigrationException>(() => PatientMigration.Migrate(state with { ProgramVersion = "1.1.0" }, f.V1, f.V2, Now));
        Assert.Equal(MigrationError.OtherVersion, e.Error);
        Assert.Contains("already on 1.1.0", e.Message);

        var zone = Assert.Throws<PatientStateException>(() => PatientMigration.Migrate(state with { TimeZone = "Mars/Olympus_Mons" }, f.V1, f.V2, Now));
        Assert.Equal(PatientStateError.UnknownTimeZone, zone.Error);
    }
}

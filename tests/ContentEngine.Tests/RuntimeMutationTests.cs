using ContentEngine.Model;
using ContentEngine.Runtime;
using ContentEngine.Runtime.Conditions;
using ContentEngine.Runtime.Packaging;
using ContentEngine.Runtime.Patients;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Tests;

/// <summary>Changes to a patient's state through <see cref="PatientRecordChanges"/>, each checked against the sample program.</summary>
public sealed class RuntimeMutationTests
{
    private static readonly Lazy<ProgramPackage> Sample = new(PackageTestData.OpenSample);

    internal static ProgramGraph Program => Sample.Value.Program;

    internal static readonly DateTimeOffset Now = new(2026, 9, 8, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A patient who started on 2026-09-07: week 1 at <see cref="Now"/>.</summary>
    internal static PatientRecord Patient => new() { ProgramId = Program.Id, ProgramVersion = Program.Version, StartDate = new DateOnly(2026, 9, 7) };

    private static readonly string[] Treatment = ["welcome", "values", "physical-exercise", "acceptance", "mindfulness", "defusion", "committed-action", "maintaining"];

    /// <summary>In the aftercare's second week, every mandatory module before it completed: the optional modules are offered.</summary>
    internal static PatientRecord InAftercare => Patient with { Week = 12, Completed = Treatment };

    private static Dictionary<string, Answer> Values(params (string Id, Answer Value)[] values) => values.ToDictionary(v => v.Id, v => v.Value);

    private static PatientChangeException Refused(Func<PatientRecord> change, PatientChangeError error, string inMessage)
    {
        var e = Assert.Throws<PatientChangeException>(() => change());
        Assert.True(e.Error == error, $"{e.Error}: {e.Message}");
        Assert.Contains(inMessage, e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ContentEngineException>(e);
        return e;
    }

    [Fact]
    public void AnAnswerIsRecordedInANewStateAndTheOldOneIsUnchanged()
    {
        var before = Patient;
        var after = before.RecordAnswer(Program, "pain-rating", "intensity", Answer.Number(6))
            .RecordAnswer(Program, "aftercare-wishes", "areas", Answer.List(Answer.Text("sleep"), Answer.Text("work")))
            .RecordAnswer(Program, "bulls-eye", "target", Answer.Object(new Dictionary<string, Answer> { ["work"] = Answer.Number(3) }));
        Assert.Empty(before.Answers);
        Assert.Equal(6, after.Answers["pain-rating"].Entries[0]["intensity"]!.AsNumber);
        Assert.Equal(["sleep", "work"], after.Answers["aftercare-wishes"].Entries[0]["areas"]!.Items.Select(i => i.AsText));
        Assert.Equal(after, PatientRecord.Parse(after.ToJson()));
        Assert.Contains("\"intensity\": 6", after.ToJson(), StringComparison.Ordinal);

        // Answered again, the value is replaced in place; cleared, it is gone, and so is the form left empty.
        var again = after.RecordAnswer(Program, "pain-rating", "intensity", Answer.Number(2)).RecordAnswer(Program, "pain-rating", "control", Answer.Number(4));
        Assert.Equal(["intensity", "control"], again.Answers["pain-rating"].Entries[0].Values.Keys);
        Assert.Equal(2, again.Answers["pain-rating"].Entries[0]["intensity"]!.AsNumber);
        var cleared = again.ClearAnswer(Program, "pain-rating", "intensity").ClearAnswer(Program, "pain-rating", "control");
        Assert.False(cleared.Answers.ContainsKey("pain-rating"));
        Assert.Same(cleared, cleared.ClearAnswer(Program, "pain-rating", "control"));

        // The state feeds the schedule and the conditions as before.
        var progress = again.ToProgress(Now);
        Assert.Equal(2, progress.Answers["pain-rating"].Get("intensity").AsNumber);
    }

    [Fact]
    public void AnswersThatDoNotFitTheProgramAreRefusedWithTheReason()
    {
        var p = Patient;
        Refused(() => p.RecordAnswer(Program, "no-such-sheet", "x", Answer.Number(1)), PatientChangeError.UnknownWorksheet, "no worksheet 'no-such-sheet'");
        Refused(() => p.RecordAnswer(Program, "pain-rating", "loudness", Answer.Number(1)), PatientChangeError.UnknownField, "no field 'loudness': its fields are intensity, control");
        Refused(() => p.RecordAnswer(Program, "pain-rating", "intensity", Answer.Text("high")), PatientChangeError.WrongType, "pain-rating.intensity takes a number, not the text \"high\"");
        Refused(() => p.RecordAnswer(Program, "pain-rating", "intensity", Answer.Number(11)), PatientChangeError.OutOfRange, "from 0 to 10; 11 is out of range");
        Refused(() => p.RecordAnswer(Program, "pain-rating", "intensity", Answer.Number(4.5)), PatientChangeError.NotAStep, "give 4 or 5");
        Refused(() => p.RecordAnswer(Program, "aftercare-wishes", "low-days", Answer.Number(2.5)), PatientChangeError.NotAStep, "whole number");
        Refused(() => p.RecordAnswer(Program, "aftercare-wishes", "areas", Answer.List(Answer.Text("golf"))), PatientChangeError.UnknownOption, "no option \"golf\"");
        Refused(() => p.RecordAnswer(Program, "aftercare-wishes", "areas", Answer.Text("sleep")), PatientChangeError.WrongType, "multiple choice: give a list");
        Refused(() => p.RecordAnswer(Program, "aftercare-wishes", "work-situation", Answer.List(Answer.Text("working"))), PatientChangeError.WrongType, "single choice");
        Refused(() => p.RecordAnswer(Program, "bulls-eye", "target", Answer.Object(new Dictionary<string, Answer> { ["work"] = Answer.Number(5) })), PatientChangeError.OutOfRange, "ring from 1 to 4");
        Refused(() => p.RecordAnswer(Program, "bulls-eye", "target", Answer.Object(new Dictionary<string, Answer> { ["moon"] = Answer.Number(1) })), PatientChangeError.UnknownField, "no area 'moon'");
        Refused(() => p.RecordAnswer(Program, "sleep-diary", "hours", Answer.Number(7)), PatientChangeError.WrongWorksheetKind, "is a diary: add its answers as an entry");
        Refused(() => p.AddDiaryEntry(Program, "pain-rating", new DateOnly(2026, 9, 8), Values()), PatientChangeError.WrongWorksheetKind, "not a diary");
        // Every reason of one change at once.
        var e = Refused(() => p.AddDiaryEntry(Program, "sleep-diary", new DateOnly(2026, 9, 8),
            Values(("hours", Answer.Number(6.3)), ("bedtime", Answer.Text("late")), ("snoring", Answer.Boolean(true)))), PatientChangeError.NotAStep, "steps of 0.5");
        Assert.Equal([PatientChangeError.NotAStep, PatientChangeError.WrongType, PatientChangeError.UnknownField], e.Problems.Select(x => x.Error));
        Assert.Empty(PatientRecordChanges.CheckAnswer(Program, "pain-rating", "intensity", Answer.Number(3)));
        Assert.Single(PatientRecordChanges.CheckAnswer(Program, "pain-rating", "intensity", Answer.Number(-1)));
        Assert.Throws<PatientStateException>(() => (p with { ProgramId = "other" }).RecordAnswer(Program, "pain-rating", "intensity", Answer.Number(1)));
    }

    [Fact]
    public void DiaryEntriesAreAddedReplacedAndRemovedWithTheirDates()
    {
        var day = new DateOnly(2026, 9, 8);
        var p = Patient.AddDiaryEntry(Program, "sleep-diary", day, Values(("hours", Answer.Number(6.5)), ("bedtime", Answer.Text("23:30")), ("awake", Answer.Number(20))))
            .AddDiaryEntry(Program, "sleep-diary", day.AddDays(1), Values(("hours", Answer.Number(5)), ("pain-woke", Answer.Boolean(true))));
        var diary = p.Answers["sleep-diary"];
        Assert.True(diary.IsDiary);
        Assert.Equal([day, day.AddDays(1)], diary.Entries.Select(x => x.Date));
        Assert.Contains("\"_date\": \"2026-09-08\"", p.ToJson(), StringComparison.Ordinal);
        Assert.Equal(5.75, p.ToProgress(Now).Answers["sleep-diary"].Entries.Average(x => x["hours"].AsNumber));

        var replaced = p.ReplaceDiaryEntry(Program, "sleep-diary", 0, day, Values(("hours", Answer.Number(8))));
        Assert.Equal(8, replaced.Answers["sleep-diary"].Entries[0]["hours"]!.AsNumber);
        Assert.Null(replaced.Answers["sleep-diary"].Entries[0]["bedtime"]);
        var removed = replaced.RemoveDiaryEntry(Program, "sleep-diary", 0);
        Assert.Equal([day.AddDays(1)], removed.Answers["sleep-diary"].Entries.Select(x => x.Date));
        Assert.False(removed.RemoveDiaryEntry(Program, "sleep-diary", 0).Answers.ContainsKey("sleep-diary"));
        Refused(() => removed.RemoveDiaryEntry(Program, "sleep-diary", 1), PatientChangeError.UnknownEntry, "its entries are 0 (the oldest) to 0");
    }

    [Fact]
    public void AModuleIsCompletedOnlyWhenOpen()
    {
        var p = RuntimeHomeworkTests.WelcomeHomeworkDone.CompleteModule(Program, "welcome", Now);
        Assert.Equal(["welcome"], p.Completed);
        Refused(() => p.CompleteModule(Program, "welcome", Now), PatientChangeError.AlreadyCompleted, "already completed");
        var locked = Refused(() => p.CompleteModule(Program, "values", Now, "en"), PatientChangeError.ModuleLocked, "opens in week 2 (2026-09-14)");
        Assert.Contains("once it is open", locked.Message, StringComparison.Ordinal);
        Refused(() => Patient.CompleteModule(Program, "physical-exercise", Now.AddDays(7), "en"), PatientChangeError.ModuleLocked, "needs 'welcome' completed first");
        Refused(() => p.CompleteModule(Program, "no-such-module", Now), PatientChangeError.UnknownModule, "no module 'no-such-module'");
        Assert.Empty(p.UncompleteModule(Program, "welcome").Completed);
        Refused(() => Patient.UncompleteModule(Program, "welcome"), PatientChangeError.NotCompleted, "not completed");
    }

    [Fact]
    public void AChoiceIsMadeOnlyOfAnOfferAndWithinThePhasesMaximum()
    {
        Refused(() => InAftercare.ChooseModule(Program, "maintaining", Now), PatientChangeError.NotOptional, "not optional");
        Refused(() => Patient.ChooseModule(Program, "sleep", Now, "en"), PatientChangeError.NotOffered, "opens in week 12");

        var optional = Program.Modules.Where(m => m.Optional && m.Phase == "aftercare").Select(m => m.Id).ToList();
        var max = Program.FindPhase("aftercare")!.Choose!.Max!.Value;
        Assert.True(optional.Count > max, "the sample offers more aftercare modules than a patient may choose");
        var p = optional.Take(max).Aggregate(InAftercare, (r, id) => r.ChooseModule(Program, id, Now));
        Assert.Equal(optional.Take(max), p.Chosen);
        Refused(() => p.ChooseModule(Program, optional[0], Now), PatientChangeError.AlreadyChosen, "already chosen");
        var full = Refused(() => p.ChooseModule(Program, optional[max], Now, "en"), PatientChangeError.NotOffered, $"{max} of at most {max} modules of aftercare are already chosen");
        Assert.Contains("withdraw another choice", full.Message, StringComparison.Ordinal);

        // Withdrawing a choice makes room for another.
        var withdrawn = p.WithdrawChoice(Program, optional[0]);
        Assert.DoesNotContain(optional[0], withdrawn.Chosen);
        Assert.Contains(optional[max], withdrawn.ChooseModule(Program, optional[max], Now).Chosen);
        Refused(() => withdrawn.WithdrawChoice(Program, optional[0]), PatientChangeError.NotChosen, "not chosen");
        var done = p.CompleteModule(Program, optional[1], Now);
        Refused(() => done.WithdrawChoice(Program, optional[1]), PatientChangeError.NotChosen, "take back its completion first");
    }

    [Fact]
    public void EveryRefusalIsAContentEngineExceptionThatSaysWhatToDo()
    {
        var status = Program.Evaluate(Patient, Now);
        var unknown = Assert.Throws<UnknownModuleException>(() => status["no-such-module"]);
        Assert.Contains("ProgramStatus.Find", unknown.Message, StringComparison.Ordinal);
        Assert.Null(status.Find("no-such-module"));
        Assert.Equal(ModuleState.Open, status["welcome"].State);

        using var temp = new TestPaths.TempFolder();
        var missing = Assert.Throws<PackageException>(() => ProgramPackage.Open(Path.Combine(temp.Path, "none.cepkg")));
        Assert.Equal(PackageError.NotFound, missing.Error);
        Assert.Contains("give the path of a .cepkg file that exists", missing.Message, StringComparison.Ordinal);
        var file = Assert.Throws<PackageException>(() => Sample.Value.ReadFile("content/en/modules/no-such-module.html"));
        Assert.Equal(PackageError.MissingFile, file.Error);
        Assert.Equal("content/en/modules/no-such-module.html", file.Path);
        Assert.Throws<PatientStateException>(() => PatientState.Parse("not json"));
        Assert.Throws<PatientStateException>(() => PatientProgress.Parse("{"));
    }

    [Fact]
    public void NoPublicMemberOfTheRuntimeTakesOrGivesJsonElement()
    {
        static bool Json(Type t) => t == typeof(System.Text.Json.JsonElement) || t == typeof(System.Text.Json.JsonDocument)
            || (t.IsGenericType && t.GetGenericArguments().Any(Json)) || (t.HasElementType && Json(t.GetElementType()!));
        var offending = new List<string>();
        foreach (var type in typeof(ProgramPackage).Assembly.GetExportedTypes())
            foreach (var member in type.GetMembers(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly))
            {
                var types = member switch
                {
                    System.Reflection.PropertyInfo p => [p.PropertyType],
                    System.Reflection.FieldInfo f => [f.FieldType],
                    System.Reflection.MethodBase m => m.GetParameters().Select(x => x.ParameterType).Concat(m is System.Reflection.MethodInfo mi ? [mi.ReturnType] : []),
                    _ => Enumerable.Empty<Type>(),
                };
                if (types.Any(Json)) offending.Add($"{type.Name}.{member.Name}");
            }
        Assert.Empty(offending);
    }
}

using ContentEngine.Runtime.Patients;
using ContentEngine.Runtime.Programs;

namespace ContentEngine.Tests;

/// <summary>A module is completed only when its required homework (<see cref="Homework"/>) is answered, as the web bundle's done button asks.</summary>
public sealed class RuntimeHomeworkTests
{
    private static Model.ProgramGraph Program => RuntimeMutationTests.Program;
    private static PatientRecord Patient => RuntimeMutationTests.Patient;
    private static DateTimeOffset Now => RuntimeMutationTests.Now;

    /// <summary>The sample's first patient with every required answer of the welcome module's three worksheets.</summary>
    internal static PatientRecord WelcomeHomeworkDone =>
        Enumerable.Range(1, 8).Aggregate(
            Patient.RecordAnswer(Program, "pain-rating", "intensity", Answer.Number(6))
                .RecordAnswer(Program, "health-check", "health-today", Answer.Number(60))
                .RecordAnswer(Program, "health-check", "leisure-exercise", Answer.Number(30)),
            (p, i) => p.RecordAnswer(Program, "flexibility", "q" + i, Answer.Number(3)));

    [Fact]
    public void TheWelcomeModulesHomeworkIsItsThreeWorksheetsWithRequiredQuestions()
    {
        var homework = Homework.Of(Program, Program.FindModule("welcome")!);
        Assert.Equal(["pain-rating", "flexibility", "health-check"], homework.Select(h => h.Worksheet.Id));
        Assert.All(homework, h => Assert.True(h.IsRequired));
        Assert.Equal(["intensity"], homework[0].RequiredFields.AsEnumerable());
        // A diary runs on after its module: it is homework, never one the module waits for.
        var diary = Assert.Single(Homework.Of(Program, Program.FindModule("physical-exercise")!));
        Assert.False(diary.IsRequired);
    }

    [Fact]
    public void AModuleWithRequiredHomeworkUnansweredIsNotCompleted()
    {
        var e = Assert.Throws<PatientChangeException>(() => Patient.CompleteModule(Program, "welcome", Now));
        Assert.Equal(PatientChangeError.HomeworkMissing, e.Error);
        Assert.Contains("'pain-rating', 'flexibility', 'health-check'", e.Message, StringComparison.Ordinal);

        // One required answer left out is enough to refuse, and the message names only that worksheet.
        var almost = WelcomeHomeworkDone.ClearAnswer(Program, "flexibility", "q8");
        var one = Assert.Throws<PatientChangeException>(() => almost.CompleteModule(Program, "welcome", Now));
        Assert.Equal(PatientChangeError.HomeworkMissing, one.Error);
        Assert.Contains("'flexibility' first", one.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pain-rating", one.Message, StringComparison.Ordinal);
        Assert.Empty(almost.Completed);

        // An answer that is not required is not needed.
        Assert.Equal(["welcome"], WelcomeHomeworkDone.CompleteModule(Program, "welcome", Now).Completed);
    }

    [Fact]
    public void ALockedModuleIsRefusedAsLockedBeforeItsHomeworkIsLookedAt()
    {
        var e = Assert.Throws<PatientChangeException>(() => Patient.CompleteModule(Program, "values", Now, "en"));
        Assert.Equal(PatientChangeError.ModuleLocked, e.Error);
    }
}

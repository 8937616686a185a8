using System.Collections.Immutable;

namespace ContentEngine.Runtime.Patients;

/// <summary>Why a change to a patient's state was refused (<see cref="PatientChangeException"/>).</summary>
public enum PatientChangeError
{
    /// <summary>The program has no worksheet of that id.</summary>
    UnknownWorksheet,

    /// <summary>The worksheet has no field of that id (or a table no column, a target no area).</summary>
    UnknownField,

    /// <summary>A diary's answers go in entries (<c>AddDiaryEntry</c>), a form's one by one (<c>RecordAnswer</c>).</summary>
    WrongWorksheetKind,

    /// <summary>The answer is of another kind than the field takes (a text for a number, one option for a multiple choice, …).</summary>
    WrongType,

    /// <summary>A number below the field's <c>min</c> or above its <c>max</c>, a ring beyond a target's, more rows than a table's.</summary>
    OutOfRange,

    /// <summary>A number between the field's steps, or not whole where the field takes whole numbers.</summary>
    NotAStep,

    /// <summary>A choice the field does not offer as an option.</summary>
    UnknownOption,

    /// <summary>The diary has no entry at that place.</summary>
    UnknownEntry,

    /// <summary>The program has no module of that id.</summary>
    UnknownModule,

    /// <summary>The module is locked for the patient: its week has not come, it requires modules not completed, or its phase's choice is full.</summary>
    ModuleLocked,

    /// <summary>The module is already completed.</summary>
    AlreadyCompleted,

    /// <summary>Only optional modules are chosen; the module is mandatory.</summary>
    NotOptional,

    /// <summary>The optional module is not offered now: not yet released, requiring others, or the phase's <c>choose.max</c> is reached.</summary>
    NotOffered,

    /// <summary>The module is already chosen.</summary>
    AlreadyChosen,

    /// <summary>The module is not completed: there is no completion to take back.</summary>
    NotCompleted,

    /// <summary>The module is not chosen, or completed (a completed optional module stays the patient's choice).</summary>
    NotChosen,

    /// <summary>The module's required homework is not done: a form or questionnaire it places has a required field unanswered (<see cref="Programs.Homework"/>).</summary>
    HomeworkMissing,
}

/// <summary>One reason a change was refused: what and where, in one sentence that says what to do.</summary>
public sealed record PatientChangeProblem(PatientChangeError Error, string Message);

/// <summary>
/// A change to a patient's state (<see cref="PatientRecordChanges"/>) refused by the program's rules: nothing was
/// changed. <see cref="Problems"/> lists every reason found (an entry with two wrong answers gives two);
/// <see cref="Error"/> is the first one's, and <see cref="Exception.Message"/> says them all.
/// </summary>
public sealed class PatientChangeException : ContentEngineException
{
    public PatientChangeException(IReadOnlyList<PatientChangeProblem> problems)
        : base(string.Join("; ", problems.Select(p => p.Message)))
    {
        if (problems.Count == 0) throw new ArgumentException("a refusal has at least one reason", nameof(problems));
        Problems = [.. problems];
    }

    public PatientChangeException(PatientChangeError error, string message) : this([new PatientChangeProblem(error, message)]) { }

    public PatientChangeError Error => Problems[0].Error;

    public ImmutableArray<PatientChangeProblem> Problems { get; }
}

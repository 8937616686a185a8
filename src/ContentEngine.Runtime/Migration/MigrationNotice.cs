namespace ContentEngine.Runtime.Migration;

/// <summary>What a migration found that concerns one patient.</summary>
public enum NoticeKind
{
    /// <summary>Answers the new version no longer reads were set aside (a removed worksheet or field); <c>id</c> is the worksheet or <c>worksheet.field</c>.</summary>
    AnswersKeptAside,

    /// <summary>A field changed type (or a worksheet between a form and a diary) with the same id: the old answer was set aside, and the question is asked again.</summary>
    FieldRetyped,

    /// <summary>A module the patient completed is no longer in the program.</summary>
    CompletedModuleRemoved,

    /// <summary>A module the patient chose is no longer in the program.</summary>
    ChosenModuleRemoved,

    /// <summary>A worksheet the patient answered has a required field they have not answered: added, or made required.</summary>
    NewRequiredField,

    /// <summary>An answer holds an option value the field no longer has; <c>before</c> is the value, <c>after</c> null.</summary>
    OptionRemoved,

    /// <summary>An answer holds an option value that was renamed: the new version has an option of the same label and another value; <c>before</c> is the old value, <c>after</c> the new one.</summary>
    OptionRenamed,

    /// <summary>A number answer lies outside the field's new range; <c>before</c> is the answer, <c>after</c> the range.</summary>
    OutsideRange,

    /// <summary>A score the patient has computes to another value (or none) in the new version; <c>before</c> and <c>after</c> are the values.</summary>
    ScoreChanged,

    /// <summary>A score the patient has falls in another band in the new version; <c>before</c> and <c>after</c> are the bands' labels.</summary>
    BandChanged,

    /// <summary>A module the patient has not completed, and had not reached or no longer reaches, moved to another program week; <c>before</c> and <c>after</c> are the weeks.</summary>
    ModuleMoved,

    /// <summary>An optional module offered to the patient, and not chosen, is no longer in the program.</summary>
    OfferRemoved,

    /// <summary>An optional module recommended to the patient no longer is: its condition changed, or reads answers set aside; <c>before</c> and <c>after</c> are the conditions.</summary>
    NoLongerRecommended,

    /// <summary>An optional module offered to the patient is now locked: it requires other modules, or its phase's choice is full.</summary>
    OfferLocked,

    /// <summary>The patient chose more modules of a phase than its <c>choose</c> rule now allows; <c>id</c> is the phase, <c>before</c> and <c>after</c> the largest number allowed.</summary>
    ChoiceLimitExceeded,
}

/// <summary>What the platform should do about a notice.</summary>
public enum NoticeAction
{
    /// <summary>Ask the patient to answer a question (again): the notice's id is <c>worksheet.field</c> (or the worksheet).</summary>
    AskPatient,

    /// <summary>Replace the stored answer <c>before</c> with <c>after</c> (an option renamed), or ask the patient.</summary>
    ReplaceAnswer,

    /// <summary>Ask the patient to choose among the optional modules of a phase (again).</summary>
    AskToChoose,

    /// <summary>Tell the patient what changed in their schedule or offers; nothing to store.</summary>
    TellPatient,

    /// <summary>Tell the therapist: results, completions or answers read differently now; nothing to ask the patient.</summary>
    TellTherapist,
}

/// <summary>
/// One thing a migration found that concerns the patient, and what to do about it: <see cref="Message"/>
/// says it in a sentence for a platform developer or a therapist, <see cref="Action"/> as a kind a
/// platform can act on. <see cref="Id"/> is what it concerns (a module, phase, worksheet,
/// <c>worksheet.field</c> or <c>worksheet.score</c>); <see cref="Before"/> and <see cref="After"/> are
/// short texts, null where there is none (see each <see cref="NoticeKind"/>).
/// </summary>
public sealed record MigrationNotice(NoticeKind Kind, string Id, string? Before, string? After, NoticeAction Action, string Message);

namespace ContentEngine.Runtime.Patients;

/// <summary>Why a stored patient state was refused.</summary>
public enum PatientStateError
{
    /// <summary>The text is not JSON, or is JSON of another format than a patient state.</summary>
    NotAPatientState,

    /// <summary>The state is written in a newer version of the format than this library reads.</summary>
    NewerFormat,

    /// <summary>The state belongs to another program than the one it is used with.</summary>
    OtherProgram,

    /// <summary>The state's time zone is neither a known IANA id nor a UTC offset.</summary>
    UnknownTimeZone,

    /// <summary>A value of the state is missing, of the wrong kind or malformed (a date, a list, an answer).</summary>
    Invalid,
}

/// <summary>A stored patient state that cannot be used: <see cref="Error"/> says why, the message where.</summary>
public sealed class PatientStateException(PatientStateError error, string message, Exception? inner = null) : ContentEngineException(message, inner)
{
    public PatientStateError Error { get; } = error;
}

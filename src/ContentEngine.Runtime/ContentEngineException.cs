namespace ContentEngine.Runtime;

/// <summary>
/// The one base of every error this library throws on purpose: a package refused (<see cref="Packaging.PackageException"/>),
/// a patient's state refused (<see cref="Patients.PatientStateException"/>), a comparison or migration refused
/// (<see cref="Migration.MigrationException"/>). <see cref="Exception.Message"/> says in one sentence what is wrong and what
/// to do; a platform that catches this type catches every refusal and nothing else.
/// </summary>
public abstract class ContentEngineException(string message, Exception? inner = null) : Exception(message, inner);

using System.Collections.Immutable;

namespace ContentEngine.Runtime.Packaging;

/// <summary>Why a package was refused.</summary>
public enum PackageError
{
    /// <summary>The file is not a zip archive, or is damaged.</summary>
    NotAPackage,

    /// <summary>manifest.json is missing.</summary>
    MissingManifest,

    /// <summary>manifest.json cannot be read.</summary>
    InvalidManifest,

    /// <summary>The package format is outside the versions this library reads.</summary>
    UnsupportedFormat,

    /// <summary>A file the manifest lists is not in the package.</summary>
    MissingFile,

    /// <summary>The package holds a file the manifest does not list.</summary>
    ExtraFile,

    /// <summary>A file's content does not match its SHA-256 or size in the manifest.</summary>
    HashMismatch,

    /// <summary>graph.json cannot be read.</summary>
    InvalidGraph,

    /// <summary>
    /// The package, its manifest.json or the files it lists are beyond this library's limits
    /// (<see cref="ProgramPackage.MaxFileBytes"/> and the other limits of <see cref="ProgramPackage"/>), against zip bombs.
    /// </summary>
    TooLarge,

    /// <summary>There is no package file at the path given, or it cannot be read.</summary>
    NotFound,

    /// <summary>Trusted publisher keys were given and the package has no signature.json.</summary>
    Unsigned,

    /// <summary>signature.json is malformed, or its signature does not match manifest.json: the package was changed after signing, or the signature is forged.</summary>
    BadSignature,

    /// <summary>The package is signed correctly, but by a key that is not among the trusted publisher keys.</summary>
    UntrustedSigner,
}

/// <summary>A package was refused; <see cref="Exception.Message"/> says why in one sentence, naming the file.</summary>
public sealed class PackageException(PackageError error, string message, string? path = null, Exception? inner = null) : ContentEngineException(message, inner)
{
    public PackageError Error { get; } = error;

    /// <summary>The file inside the package the problem concerns, if one.</summary>
    public string? Path { get; } = path;
}

/// <summary>A file of the package as the manifest lists it.</summary>
public sealed record PackageFile(string Path, long Size, string Sha256);

/// <summary>manifest.json: what the package holds and how it was made.</summary>
public sealed record PackageManifest(
    int PackageFormat,
    string ProgramId,
    string ProgramVersion,
    ImmutableArray<string> Locales,
    int GraphFormat,
    string Generator,
    string? Created,
    ImmutableArray<string> Bundles,
    ImmutableArray<PackageFile> Files);

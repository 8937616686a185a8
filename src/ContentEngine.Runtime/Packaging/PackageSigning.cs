using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ContentEngine.Runtime.Packaging;

/// <summary>How <see cref="ProgramPackage.Open(string, PackageOpenOptions)"/> opens a package.</summary>
public sealed record PackageOpenOptions
{
    /// <summary>
    /// The publisher keys a package must be signed with. Empty (the default): any package opens, signed or not, and
    /// <see cref="ProgramPackage.Signature"/> says whether and by whom it was signed. Not empty: an unsigned package,
    /// a wrong signature, or a signature by a key not in this list is refused.
    /// </summary>
    public IReadOnlyList<PublisherKey> TrustedPublishers { get; init; } = [];

    /// <summary>Hash every file while opening (as <see cref="ProgramPackage.Verify"/> does) rather than each file when it is read.</summary>
    public bool VerifyAllFiles { get; init; }
}

/// <summary>Who signed a package: the name they signed with and their public key's fingerprint.</summary>
/// <param name="Signer">The name the publisher signed with, such as a clinic's name.</param>
/// <param name="Fingerprint">The SHA-256 of the public key (its DER SubjectPublicKeyInfo), 64 lowercase hexadecimal digits.</param>
/// <param name="Algorithm">The signature algorithm, <c>ecdsa-p256-sha256</c>.</param>
/// <param name="Trusted">Whether the key is one of the trusted publisher keys the package was opened with.</param>
public sealed record PackageSignature(string Signer, string Fingerprint, string Algorithm, bool Trusted);

/// <summary>A publisher's public key (ECDSA P-256), as a platform trusts it.</summary>
public sealed class PublisherKey
{
    private PublisherKey(string fingerprint) => Fingerprint = fingerprint;

    /// <summary>The SHA-256 of the key's DER SubjectPublicKeyInfo, 64 lowercase hexadecimal digits.</summary>
    public string Fingerprint { get; }

    /// <summary>
    /// The key in a PEM text: a public key (<c>-----BEGIN PUBLIC KEY-----</c>), or a private key, whose public half
    /// is taken. <see cref="ArgumentException"/> when it is not an ECDSA P-256 key.
    /// </summary>
    public static PublisherKey FromPem(string pem)
    {
        using var key = PackageSigning.ImportP256(pem);
        return new PublisherKey(PackageSigning.Fingerprint(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>A key file in PEM, as <see cref="FromPem"/> reads it; <see cref="ArgumentException"/> also when the file cannot be read.</summary>
    public static PublisherKey FromPemFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"the key file '{path}' cannot be read ({e.Message}): give the path of the publisher's public key, the .pub.pem file 'contentengine key new' wrote", nameof(path), e);
        }
        return FromPem(pem);
    }

    /// <summary>A key known by its fingerprint alone (64 hexadecimal digits), as <c>contentengine inspect</c> prints it.</summary>
    public static PublisherKey FromFingerprint(string fingerprint)
    {
        var hex = fingerprint.Trim().ToLowerInvariant();
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
            throw new ArgumentException($"a publisher key's fingerprint is 64 hexadecimal digits, not '{fingerprint}'", nameof(fingerprint));
        return new PublisherKey(hex);
    }

    public override string ToString() => Fingerprint;
}

/// <summary>Signs packages with a publisher's private key (ECDSA P-256, SHA-256), .NET's own cryptography.</summary>
public sealed class PackageSigner : IDisposable
{
    private readonly ECDsa _key;

    private PackageSigner(ECDsa key, string name)
    {
        _key = key;
        Name = name;
        PublicKey = key.ExportSubjectPublicKeyInfo();
        Fingerprint = PackageSigning.Fingerprint(PublicKey);
    }

    /// <summary>The name the packages are signed with.</summary>
    public string Name { get; }

    public string Fingerprint { get; }

    private byte[] PublicKey { get; }

    /// <summary>
    /// A signer from a private key in PEM (PKCS#8 <c>PRIVATE KEY</c> or SEC1 <c>EC PRIVATE KEY</c>, unencrypted) and the name to sign with.
    /// <see cref="ArgumentException"/> when the key is not an ECDSA P-256 private key or the name is empty or not one plain line.
    /// </summary>
    public static PackageSigner FromPem(string privateKeyPem, string name)
    {
        if (PackageSigning.WhyNotAName(name) is { } why) throw new ArgumentException($"the signer's name {why}", nameof(name));
        var key = PackageSigning.ImportP256(privateKeyPem);
        try
        {
            key.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw new ArgumentException("the key is a public key; signing needs the private key", nameof(privateKeyPem));
        }
        return new PackageSigner(key, name);
    }

    /// <summary>A new ECDSA P-256 key pair as PEM texts: the private key (PKCS#8) to keep secret, and its public key to give to platforms.</summary>
    public static (string PrivateKeyPem, string PublicKeyPem) NewKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (key.ExportPkcs8PrivateKeyPem() + "\n", key.ExportSubjectPublicKeyInfoPem() + "\n");
    }

    /// <summary>signature.json for a package whose manifest.json is <paramref name="manifest"/>.</summary>
    public byte[] Sign(byte[] manifest)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(manifest));
        var signature = _key.SignData(PackageSigning.Message(Name, hash), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("signatureFormat", PackageSigning.Format);
            w.WriteString("algorithm", PackageSigning.Algorithm);
            w.WriteString("signer", Name);
            w.WriteString("fingerprint", Fingerprint);
            w.WriteString("publicKey", Convert.ToBase64String(PublicKey));
            w.WriteString("manifestSha256", hash);
            w.WriteString("signature", Convert.ToBase64String(signature));
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    public void Dispose() => _key.Dispose();
}

/// <summary>The signature format shared by <see cref="PackageSigner"/> and the package reader.</summary>
internal static class PackageSigning
{
    public const int Format = 1;
    public const string Algorithm = "ecdsa-p256-sha256";
    public const string SignaturePath = "signature.json";
    public const long MaxSignatureBytes = 64 * 1024;

    private const string P256 = "1.2.840.10045.3.1.7";

    /// <summary>The bytes signed: the signer's name and the manifest's SHA-256, so that neither can be changed without the key.</summary>
    public static byte[] Message(string signer, string manifestSha256) =>
        Encoding.UTF8.GetBytes($"ContentEngine package signature {Format}\nsigner: {signer}\nmanifest.json sha256: {manifestSha256}\n");

    public static string Fingerprint(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    public static string? WhyNotAName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "is empty"
        : name.Any(char.IsControl) ? "must be one line without control characters"
        : name.Length > 200 ? "is longer than 200 characters"
        : name.Trim() != name ? "must not begin or end with a space"
        : null;

    public static ECDsa ImportP256(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.ExportParameters(false).Curve.Oid?.Value != P256)
                throw new ArgumentException("the key is an ECDSA key on another curve; package signing uses P-256 (prime256v1)");
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw e as ArgumentException ?? new ArgumentException($"the text is not an ECDSA P-256 key in PEM ({e.Message})", e);
        }
    }

    /// <summary>
    /// Reads signature.json and checks that it signs <paramref name="manifest"/> with the public key it carries; the
    /// signer, or a <see cref="PackageException"/> (<see cref="PackageError.BadSignature"/>) saying what is wrong.
    /// Whether the key is trusted is the caller's question.
    /// </summary>
    public static PackageSignature Check(byte[] signatureJson, byte[] manifest, IReadOnlyList<PublisherKey> trusted)
    {
        string signer, fingerprint, hash;
        byte[] publicKey, signature;
        try
        {
            using var doc = JsonDocument.Parse(signatureJson);
            var root = doc.RootElement;
            if (root.GetProperty("signatureFormat").GetInt32() != Format)
                throw Bad($"signature.json has signature format {root.GetProperty("signatureFormat")}, and this version of ContentEngine.Runtime reads format {Format}");
            var algorithm = root.GetProperty("algorithm").GetString();
            if (algorithm != Algorithm)
                throw Bad($"signature.json uses the algorithm '{algorithm}', and this version of ContentEngine.Runtime checks '{Algorithm}'");
            signer = root.GetProperty("signer").GetString() ?? throw new FormatException("signer is null");
            fingerprint = root.GetProperty("fingerprint").GetString() ?? throw new FormatException("fingerprint is null");
            hash = root.GetProperty("manifestSha256").GetString() ?? throw new FormatException("manifestSha256 is null");
            publicKey = Convert.FromBase64String(root.GetProperty("publicKey").GetString() ?? string.Empty);
            signature = Convert.FromBase64String(root.GetProperty("signature").GetString() ?? string.Empty);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Bad($"signature.json is malformed ({e.Message})", e);
        }
        if (WhyNotAName(signer) is { } why) throw Bad($"signature.json's signer name {why}");
        if (Fingerprint(publicKey) != fingerprint)
            throw Bad("signature.json's fingerprint is not that of the public key it carries: it was changed after signing");
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(manifest)), hash, StringComparison.Ordinal))
            throw Bad("manifest.json does not match the SHA-256 signature.json signed: it was changed after signing");
        bool valid;
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(publicKey, out _);
            valid = key.ExportParameters(false).Curve.Oid?.Value == P256
                && key.VerifyData(Message(signer, hash), signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException e)
        {
            throw Bad($"signature.json's public key cannot be read ({e.Message})", e);
        }
        if (!valid)
            throw Bad($"the signature in signature.json is not valid for manifest.json and the signer '{signer}': the package or its signature was changed after signing");
        return new PackageSignature(signer, fingerprint, Algorithm, trusted.Any(k => k.Fingerprint == fingerprint));
    }

    private static PackageException Bad(string message, Exception? inner = null) => new(PackageError.BadSignature, message, SignaturePath, inner);
}

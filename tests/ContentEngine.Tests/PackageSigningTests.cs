using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContentEngine.Runtime;
using ContentEngine.Runtime.Packaging;

namespace ContentEngine.Tests;

/// <summary>
/// A signed package opens with its publisher's key and is refused with any other key, unsigned, with one byte changed
/// or re-signed by a stranger; without trusted keys it opens as before and says who signed it. Keys are made here, thrown away after.
/// </summary>
public sealed class PackageSigningTests
{
    private const string ContentFile = "content/en/modules/welcome.html";
    private const string Publisher = "Pain clinic, Example hospital";

    private static readonly (string Private, string Public) PublisherKeys = PackageSigner.NewKey();
    private static readonly (string Private, string Public) StrangerKeys = PackageSigner.NewKey();

    private static PublisherKey Trusted => PublisherKey.FromPem(PublisherKeys.Public);

    /// <summary>The sample package, edited, then signed with <paramref name="keyPem"/> as <paramref name="name"/>.</summary>
    private static byte[] Signed(string keyPem, string name = Publisher, Action<PackageTamperTests.Entries>? edit = null) =>
        PackageTamperTests.Rezip(e =>
        {
            edit?.Invoke(e);
            using var signer = PackageSigner.FromPem(keyPem, name);
            e[ProgramPackage.SignaturePath] = signer.Sign(e[ProgramPackage.ManifestPath]);
        });

    private static readonly Lazy<byte[]> SignedSample = new(() => Signed(PublisherKeys.Private));

    private static ProgramPackage Open(byte[] bytes, params PublisherKey[] trusted) =>
        ProgramPackage.Open(new MemoryStream(bytes), new PackageOpenOptions { TrustedPublishers = trusted });

    private static PackageException Refused(byte[] bytes, params PublisherKey[] trusted)
    {
        var e = Assert.Throws<PackageException>(() => Open(bytes, trusted).Verify());
        Assert.IsAssignableFrom<ContentEngineException>(e);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void ASignedPackageOpensWithItsPublishersKey()
    {
        var package = Open(SignedSample.Value, PublisherKey.FromPem(StrangerKeys.Public), Trusted);
        package.Verify();
        Assert.Equal(new PackageSignature(Publisher, Trusted.Fingerprint, "ecdsa-p256-sha256", true), package.Signature);
        Assert.Contains(ProgramPackage.SignaturePath, package.Paths);
        // The private key names the same key as the public one, and so does its fingerprint.
        Assert.Equal(Trusted.Fingerprint, PublisherKey.FromPem(PublisherKeys.Private).Fingerprint);
        Assert.Equal(Trusted.Fingerprint, Open(SignedSample.Value, PublisherKey.FromFingerprint(Trusted.Fingerprint.ToUpperInvariant())).Signature!.Fingerprint);
    }

    [Fact]
    public void AKeyFileThatIsNotThereSaysWhatToGive()
    {
        using var folder = new TestPaths.TempFolder();
        var e = Assert.Throws<ArgumentException>(() => PublisherKey.FromPemFile(Path.Combine(folder.Path, "missing.pub.pem")));
        Assert.Contains("cannot be read", e.Message, StringComparison.Ordinal);
        Assert.Contains(".pub.pem file 'contentengine key new' wrote", e.Message, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder.Path, "not-a-key.pem"), "hello");
        Assert.Throws<ArgumentException>(() => PublisherKey.FromPemFile(Path.Combine(folder.Path, "not-a-key.pem")));
    }

    [Fact]
    public void ASignedPackageIsRefusedWithAnotherKey()
    {
        var e = Refused(SignedSample.Value, PublisherKey.FromPem(StrangerKeys.Public));
        Assert.Equal(PackageError.UntrustedSigner, e.Error);
        Assert.Contains(Publisher, e.Message);
        Assert.Contains(Trusted.Fingerprint, e.Message);
    }

    [Fact]
    public void AnUnsignedPackageIsRefusedWhenKeysAreTrustedAndOpensWhenNone()
    {
        var e = Refused(PackageTestData.SampleBytes, Trusted);
        Assert.Equal(PackageError.Unsigned, e.Error);
        Assert.Contains("not signed", e.Message);
        Assert.Null(Open(PackageTestData.SampleBytes).Signature);
    }

    [Fact]
    public void WithoutTrustedKeysASignedPackageOpensAndSaysWhoSignedIt()
    {
        var signature = Open(SignedSample.Value).Signature!;
        Assert.Equal(Publisher, signature.Signer);
        Assert.Equal(Trusted.Fingerprint, signature.Fingerprint);
        Assert.False(signature.Trusted);
    }

    [Fact]
    public void OneByteChangedIsRefused()
    {
        static byte[] Flip(byte[] data)
        {
            var copy = (byte[])data.Clone();
            copy[copy.Length / 2] ^= 0x20;
            return copy;
        }
        // In a file, the manifest left alone: the file no longer matches the signed hash.
        var inFile = PackageTamperTests.Rezip(e =>
        {
            e[ProgramPackage.SignaturePath] = SignedEntry(ProgramPackage.SignaturePath);
            e[ContentFile] = Flip(e[ContentFile]);
        });
        Assert.NotNull(Open(inFile, Trusted).Signature);
        Assert.Equal(PackageError.HashMismatch, Refused(inFile, Trusted).Error);
        // In a file, its new hash written into the manifest: the manifest no longer matches the signature.
        var rehashed = PackageTamperTests.Rezip(e =>
        {
            e[ProgramPackage.SignaturePath] = SignedEntry(ProgramPackage.SignaturePath);
            e.ReplaceAndRehash(ContentFile, Flip(e[ContentFile]));
        });
        var e1 = Refused(rehashed, Trusted);
        Assert.Equal(PackageError.BadSignature, e1.Error);
        Assert.Contains("changed after signing", e1.Message);
        // Refused without trusted keys too: a wrong signature is never taken for none.
        Assert.Equal(PackageError.BadSignature, Refused(rehashed).Error);
        // In signature.json: the signer's name, or the signature itself.
        var renamed = WithSignature(s => s["signer"] = "Someone else");
        Assert.Equal(PackageError.BadSignature, Refused(renamed, Trusted).Error);
        var forged = WithSignature(s =>
        {
            var sig = Convert.FromBase64String((string)s["signature"]!);
            sig[^1] ^= 0x01;
            s["signature"] = Convert.ToBase64String(sig);
        });
        Assert.Equal(PackageError.BadSignature, Refused(forged, Trusted).Error);
        Assert.Equal(PackageError.BadSignature, Refused(PackageTamperTests.Rezip(e =>
        {
            e[ProgramPackage.SignaturePath] = "{\"signatureFormat\": 1,"u8.ToArray();
        })).Error);
    }

    [Fact]
    public void APackageReSignedByAStrangerIsRefused()
    {
        // A stranger changes a file, writes its hash into the manifest and signs the manifest with their own key.
        var forged = Signed(StrangerKeys.Private, Publisher, e => e.ReplaceAndRehash(ContentFile, "<p>Stop your medication.</p>\n"u8.ToArray()));
        var e = Refused(forged, Trusted);
        Assert.Equal(PackageError.UntrustedSigner, e.Error);
        Assert.Contains(PublisherKey.FromPem(StrangerKeys.Public).Fingerprint, e.Message);
        // Without trusted keys it opens, and says whose key signed it: not the publisher's.
        Assert.NotEqual(Trusted.Fingerprint, Open(forged).Signature!.Fingerprint);
    }

    [Fact]
    public void OnlyP256KeysSign()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Throws<ArgumentException>(() => PackageSigner.FromPem(p384.ExportPkcs8PrivateKeyPem(), Publisher));
        Assert.Throws<ArgumentException>(() => PackageSigner.FromPem(PublisherKeys.Public, Publisher));
        Assert.Throws<ArgumentException>(() => PackageSigner.FromPem("not a key", Publisher));
        Assert.Throws<ArgumentException>(() => PackageSigner.FromPem(PublisherKeys.Private, "two\nlines"));
        Assert.Throws<ArgumentException>(() => PublisherKey.FromFingerprint("abc"));
    }

    private static byte[] SignedEntry(string name)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(SignedSample.Value));
        using var s = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[] WithSignature(Action<JsonNode> edit) => PackageTamperTests.Rezip(e =>
    {
        var node = JsonNode.Parse(SignedEntry(ProgramPackage.SignaturePath))!;
        edit(node);
        e[ProgramPackage.SignaturePath] = Encoding.UTF8.GetBytes(node.ToJsonString());
    });

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => PackageTamperTests.Run(args);

    [Fact]
    public async Task KeyNewBuildSignAndInspectTrustWorkTogether()
    {
        using var t = new TestPaths.TempFolder();
        var key = Path.Combine(t.Path, "keys", "publisher.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(key)!);
        var (code, output, error) = await Run("key", "new", key);
        Assert.True(code == 0, error);
        var publicKey = Path.Combine(t.Path, "keys", "publisher.pub.pem");
        Assert.Contains(PublisherKey.FromPemFile(publicKey).Fingerprint, output);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal(2, (await Run("key", "new", key)).Code); // never overwritten

        var program = Path.Combine(t.Path, "program");
        Assert.Equal(0, (await Run("new", program)).Code);
        var outFolder = Path.Combine(t.Path, "out");
        (code, _, error) = await Run("build", program, "--package", "-o", outFolder, "--sign", key, "--signer", Publisher);
        Assert.True(code == 0, error);
        var package = Directory.GetFiles(outFolder, "*.cepkg").Single();

        (code, output, error) = await Run("inspect", package, "--trust", publicKey);
        Assert.True(code == 0, error);
        Assert.Contains($"signed by {Publisher}, key {PublisherKey.FromPemFile(publicKey).Fingerprint} (trusted)", output);
        Assert.Contains("Review and approval:", output);

        var stranger = Path.Combine(t.Path, "keys", "stranger.pem");
        Assert.Equal(0, (await Run("key", "new", stranger)).Code);
        (code, output, error) = await Run("inspect", package, "--trust", Path.Combine(t.Path, "keys", "stranger.pub.pem"));
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("not among the trusted publisher keys", error);

        // Signing needs a name, a private key and the package.
        Assert.Equal(2, (await Run("build", program, "--package", "-o", outFolder, "--sign", key)).Code);
        Assert.Equal(2, (await Run("build", program, "--package", "-o", outFolder, "--sign", publicKey, "--signer", Publisher)).Code);
        Assert.Equal(2, (await Run("build", program, "--web", "-o", outFolder, "--sign", key, "--signer", Publisher)).Code);
        Assert.Equal(2, (await Run("inspect", package, "--trust", "not-a-key")).Code);
    }

    [Fact]
    public async Task InspectShowsWhetherAndWhoSignedAndTheReviewAndApprovalRecord()
    {
        using var t = new TestPaths.TempFolder();
        var unsigned = Path.Combine(t.Path, "unsigned.cepkg");
        var signed = Path.Combine(t.Path, "signed.cepkg");
        await File.WriteAllBytesAsync(unsigned, PackageTestData.SampleBytes);
        await File.WriteAllBytesAsync(signed, SignedSample.Value);

        var (code, output, _) = await Run("inspect", unsigned);
        Assert.Equal(0, code);
        Assert.Contains("\n  not signed\n", output);
        Assert.Contains("  program approved by Clinical lead on 2026-10-01\n", output);
        Assert.Contains("  welcome: reviewed by Clinical lead on 2026-09-01, next review 2027-09-01\n", output);

        (code, output, _) = await Run("inspect", signed);
        Assert.Equal(0, code);
        Assert.Contains($"  signed by {Publisher}, key {Trusted.Fingerprint} (not checked against a trusted key: give it with --trust)\n", output);
        (code, output, _) = await Run("inspect", signed, "--trust", Trusted.Fingerprint);
        Assert.Equal(0, code);
        Assert.Contains("(trusted)", output);
        (code, _, var error) = await Run("inspect", unsigned, "--trust", Trusted.Fingerprint);
        Assert.Equal(1, code);
        Assert.Contains("not signed", error);
    }
}

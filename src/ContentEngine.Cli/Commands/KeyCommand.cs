using System.CommandLine;
using ContentEngine.Runtime.Packaging;

namespace ContentEngine.Cli.Commands;

/// <summary>
/// <c>contentengine key new &lt;file&gt;</c>: a publisher's key pair for signing packages (ECDSA P-256 in PEM): the private
/// key in the file, readable by its owner alone, and the public key beside it for the platforms that trust it.
/// </summary>
internal static class KeyCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "where to write the private key, such as publisher.pem (outside the repository); the public key goes beside it as <name>.pub.pem" };
        var create = new ContentEngineCommand("new",
            "make a key pair for signing packages: the private key for build --sign, the public key for platforms to trust",
            "key new takes one file: contentengine key new <file>") { file };
        create.SetAction((result, stdout, stderr) => New(result.GetValue(file)!, stdout, stderr));
        return new Command("key", "publisher keys: make a key pair for signing packages") { create };
    }

    /// <summary>publisher.pem gives publisher.pub.pem; any other name gets .pub.pem added.</summary>
    public static string PublicKeyPath(string privateKey) =>
        (privateKey.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) ? privateKey[..^4] : privateKey) + ".pub.pem";

    private static int New(string file, TextWriter stdout, TextWriter stderr)
    {
        var publicFile = PublicKeyPath(file);
        foreach (var path in new[] { file, publicFile })
            if (File.Exists(path) || Directory.Exists(path))
                return CommandLine.Fail(stderr, $"'{path}' already exists; a key is never overwritten: choose another name");
        var (privateKey, publicKey) = PackageSigner.NewKey();
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var w = new StreamWriter(file, System.Text.Encoding.ASCII, options)) w.Write(privateKey);
            File.WriteAllText(publicFile, publicKey);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CommandLine.Fail(stderr, $"the key cannot be written ({e.Message})");
        }
        stdout.WriteLine($"Wrote the private key to {file} (keep it secret, never in a repository) and the public key to {publicFile}.");
        stdout.WriteLine($"Key fingerprint: {PublisherKey.FromPem(publicKey).Fingerprint}");
        stdout.WriteLine($"Sign a package with: contentengine build <program> --sign {file} --signer \"<your name>\"");
        return CommandLine.Success;
    }
}

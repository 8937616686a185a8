using System.CommandLine;

namespace ContentEngine.Cli.Commands;

/// <summary><c>contentengine inspect &lt;package&gt;</c>: verifies a package and prints what it holds (<see cref="Inspect"/>).</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var package = new Argument<string>("package") { Description = "the package, <id>-<version>.cepkg" };
        var trust = new Option<string[]>("--trust")
        {
            Description = "a trusted publisher's public key file (PEM) or key fingerprint: the package must be signed by it (or by another --trust)",
            HelpName = "key",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new ContentEngineCommand("inspect",
            "verify a package (every SHA-256, nothing missing or added, a format this version reads, its signature) and print its summary, who signed it, its review and approval and its path through phases and weeks; exit code 1 when it is refused",
            "inspect takes one package: contentengine inspect <id>-<version>.cepkg") { package, trust };
        command.SetAction((result, stdout, stderr) => Inspect.Run([result.GetValue(package)!], result.GetValue(trust) ?? [], stdout, stderr));
        return command;
    }
}

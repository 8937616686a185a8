using System.Diagnostics;
using System.Text;

namespace ContentEngine.Tests;

/// <summary>The command line as its own process: the Release build beside the tests, run by the dotnet host that runs them.</summary>
internal static class CliProcess
{
    /// <summary><c>contentengine</c> with the arguments in <paramref name="folder"/>, its output read by the caller.</summary>
    public static ProcessStartInfo StartInfo(string folder, IEnumerable<string> arguments)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "ContentEngine.Cli.dll");
        Assert.True(File.Exists(cli), $"{cli} is missing");
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
            StandardErrorEncoding = Encoding.UTF8,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments.Prepend(cli)) info.ArgumentList.Add(a);
        return info;
    }

    /// <summary><c>contentengine</c> with the arguments, run in this process: its exit code, standard output and standard error.</summary>
    public static async Task<(int Code, string Out, string Err)> InProcess(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await ContentEngine.Cli.CommandLine.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts <c>contentengine</c> with the arguments in <paramref name="folder"/>.</summary>
    public static Process Start(string folder, params string[] arguments) => Process.Start(StartInfo(folder, arguments))!;

    /// <summary>The dotnet host's own path, so the child needs no PATH to find it.</summary>
    private static string DotnetHost()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var candidates = new[] { Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"), Environment.ProcessPath }
            .Concat(new[] { Environment.GetEnvironmentVariable("DOTNET_ROOT") }.Where(r => r is not null).Select(r => Path.Combine(r!, name)))
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, name)));
        var host = candidates.FirstOrDefault(c => c is not null && Path.GetFileName(c) == name && File.Exists(c))
            ?? throw new InvalidOperationException("the dotnet host was not found");
        return new FileInfo(host).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? host;
    }
}

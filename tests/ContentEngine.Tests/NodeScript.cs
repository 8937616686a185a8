using System.Diagnostics;

namespace ContentEngine.Tests;

/// <summary>Runs a script with Node, for the tests that read outputs with independent npm tools.</summary>
internal static class NodeScript
{
    /// <summary>What the script prints; the test fails, naming <paramref name="tool"/>, when Node is missing, the script stops with an error or runs over <paramref name="minutes"/>.</summary>
    public static string Run(string tool, int minutes, params string[] arguments)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"Node is needed to run {tool} and could not be started ({e.Message}): install it with `apt-get install nodejs`.");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(minutes)), $"{tool} did not finish in {minutes} minutes");
            Assert.True(process.ExitCode == 0, $"{tool} stopped (exit code {process.ExitCode}): {stderr.Result}");
            return stdout.Result;
        }
    }
}

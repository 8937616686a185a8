using System.Diagnostics;
using System.Text;

namespace ContentEngine.Rendering.Audio;

/// <summary>What a finished process wrote, with its exit code.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs one external program: by its full path, with each argument passed as it is (never through a shell), its
/// output and error read as they come (the last part kept), a time limit, and cancellation that ends the
/// program and everything it started.
/// </summary>
public static class ProcessRunner
{
    /// <summary>How much of each output stream is kept: the end, where ffmpeg writes its summaries and its errors.</summary>
    private const int KeepChars = 256 * 1024;

    /// <param name="executable">the program's full path (see <see cref="AudioTools.Find"/>).</param>
    /// <param name="arguments">each argument as the program should receive it.</param>
    /// <param name="standardInput">text written to the program's input, which is then closed; null for no input.</param>
    /// <param name="timeout">how long the program may run before it is ended and an <see cref="AudioException"/> thrown.</param>
    /// <param name="cancellationToken">ends the program and throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="workingDirectory">the folder the program runs in; null for this process's.</param>
    public static async Task<ProcessResult> RunAsync(
        string executable, IEnumerable<string> arguments, string? standardInput, TimeSpan timeout, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var name = Path.GetFileNameWithoutExtension(executable);

        using var process = new Process { StartInfo = start };
        try
        {
            if (!process.Start()) throw new AudioException($"{name} could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new AudioException($"{name} could not be started: {e.Message}", e);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var output = ReadTailAsync(process.StandardOutput);
        var error = ReadTailAsync(process.StandardError);
        try
        {
            try
            {
                if (standardInput is not null) await process.StandardInput.WriteAsync(standardInput.AsMemory(), limit.Token);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program ended without reading all of its input; its exit code and error output tell why.
            }
            await process.WaitForExitAsync(limit.Token);
            // The streams end when the program (and anything holding its handles) has gone.
            await Task.WhenAll(output, error).WaitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            try
            {
                await Task.WhenAll(output, error).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or TimeoutException or InvalidOperationException)
            {
                // The streams of a stopped program may end abruptly; what they held is not needed.
            }
            cancellationToken.ThrowIfCancellationRequested();
            throw new AudioException($"{name} did not finish within {timeout.TotalSeconds:0} s and was stopped.");
        }
        return new ProcessResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs the program and throws an <see cref="AudioException"/> naming <paramref name="task"/> unless it exits with 0.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(
        string executable, IEnumerable<string> arguments, string? standardInput, TimeSpan timeout, string task, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        var result = await RunAsync(executable, arguments, standardInput, timeout, cancellationToken, workingDirectory);
        if (result.ExitCode != 0)
            throw new AudioException($"{Path.GetFileNameWithoutExtension(executable)} failed while {task} (exit code {result.ExitCode}): {LastLine(result.StandardError)}");
        return result;
    }

    /// <summary>The last non-empty line of a program's error output, for a one-line message.</summary>
    public static string LastLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return string.IsNullOrEmpty(line) ? "no error output" : line;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // It ended by itself in the meantime.
        }
    }

    private static async Task<string> ReadTailAsync(StreamReader reader)
    {
        var kept = new StringBuilder();
        var buffer = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory())) > 0)
        {
            kept.Append(buffer, 0, read);
            if (kept.Length > 2 * KeepChars) kept.Remove(0, kept.Length - KeepChars);
        }
        return kept.ToString();
    }
}

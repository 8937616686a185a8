using System.Runtime.InteropServices;

namespace ContentEngine.Cli.Preview;

/// <summary><c>contentengine serve &lt;program&gt; [--port N]</c>: runs the preview until Ctrl+C.</summary>
public static class ServeCommand
{
    public static int Run(IReadOnlyList<string> positionals, int? port, DateOnly? today, TextWriter stdout, TextWriter stderr) =>
        Run(positionals, port, today, stdout, stderr, CancellationToken.None);

    /// <param name="stop">stops the preview like Ctrl+C does (for hosting it in-process).</param>
    public static int Run(IReadOnlyList<string> positionals, int? port, DateOnly? today, TextWriter stdout, TextWriter stderr, CancellationToken stop)
    {
        if (positionals.Count != 1)
            return CommandLine.Fail(stderr, "serve takes one program folder: contentengine serve <program> [--port <n>]");
        var folder = positionals[0];
        if (!Directory.Exists(folder)) return CommandLine.Fail(stderr, $"there is no folder '{folder}'");

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // stop cleanly instead of being killed
            stopping.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        PreviewServer server;
        try
        {
            server = PreviewServer.StartAsync(new PreviewOptions { ProgramFolder = folder, Port = port ?? 0, Today = today }, stdout, stopping.Token)
                .GetAwaiter().GetResult();
        }
        catch (PreviewStartException e)
        {
            return CommandLine.Fail(stderr, e.Message);
        }
        catch (OperationCanceledException)
        {
            return CommandLine.Success;
        }

        stopping.Token.WaitHandle.WaitOne();
        stdout.WriteLine("Stopping the preview…");
        server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return CommandLine.Success;
    }
}

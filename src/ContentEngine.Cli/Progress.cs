namespace ContentEngine.Cli;

/// <summary>A one-line status on a terminal; silent in pipelines (CI set, or output redirected).</summary>
public sealed class Progress : IDisposable
{
    private readonly TextWriter? _writer;
    private readonly int _width;

    private Progress(TextWriter? writer, string message)
    {
        _writer = writer;
        _width = message.Length + 1;
        _writer?.Write(message + "…");
        _writer?.Flush();
    }

    public static bool IsInteractive =>
        !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public static Progress Start(TextWriter stderr, string message) =>
        new(IsInteractive && ReferenceEquals(stderr, Console.Error) ? stderr : null, message);

    public void Dispose()
    {
        if (_writer is null) return;
        _writer.Write("\r" + new string(' ', _width) + "\r");
        _writer.Flush();
    }
}

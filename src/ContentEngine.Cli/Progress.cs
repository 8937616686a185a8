namespace ContentEngine.Cli;

/// <summary>A one-line status on a terminal; silent in pipelines (CI set, or output redirected).</summary>
public sealed class Progress : IDisposable
{
    private readonly TextWriter? _writer;
    private readonly Lock _gate = new();
    private int _width;

    private Progress(TextWriter? writer, string message)
    {
        _writer = writer;
        _width = message.Length + 1;
        _writer?.Write(message + "…");
        _writer?.Flush();
    }

    /// <summary>Replaces the line, such as "Audio: 12 of 32 tracks (en/sleep)"; safe from any thread.</summary>
    public void Update(string message)
    {
        if (_writer is null) return;
        lock (_gate)
        {
            var line = message.Length > 78 ? message[..77] + "…" : message;
            _writer.Write("\r" + line.PadRight(_width) + "\r" + line);
            _writer.Flush();
            _width = Math.Max(_width, line.Length + 1);
        }
    }

    public static bool IsInteractive =>
        !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public static Progress Start(TextWriter stderr, string message) =>
        new(IsInteractive && ReferenceEquals(stderr, Console.Error) ? stderr : null, message);

    public void Dispose()
    {
        if (_writer is null) return;
        lock (_gate)
        {
            _writer.Write("\r" + new string(' ', _width) + "\r");
            _writer.Flush();
        }
    }
}

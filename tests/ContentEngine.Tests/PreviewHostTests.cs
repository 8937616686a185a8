using System.Net.Sockets;
using System.Text;
using ContentEngine.Cli.Preview;

namespace ContentEngine.Tests;

/// <summary>The preview of the small example program, started once for these tests on a free port.</summary>
public sealed class PreviewHostFixture : IAsyncLifetime
{
    private readonly TestPaths.TempFolder _temp = new();

    public PreviewServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var from = TestPaths.Repo("docs", "diagnostics", "example-base");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            _temp.File(Path.GetRelativePath(from, file), File.ReadAllText(file));
        Server = await PreviewServer.StartAsync(new PreviewOptions { ProgramFolder = _temp.Path }, new StringWriter());
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        _temp.Dispose();
    }
}

/// <summary>
/// The preview answers only its own names (localhost, 127.0.0.1, [::1]) with its port, so that a web
/// page cannot read it by pointing a name of its own at 127.0.0.1 (DNS rebinding), and refuses
/// requests that another site's page makes (a foreign Origin). Raw requests, so the headers are exactly as written.
/// </summary>
public sealed class PreviewHostTests(PreviewHostFixture fixture) : IClassFixture<PreviewHostFixture>
{
    private int Port => fixture.Server.Port;

    private const string Page = "/en/index.html";
    private const string Status = "/__contentengine/status.json?page=en/index.html";
    private const string Events = "/__contentengine/events?page=en/index.html";

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("LocalHost")]
    [InlineData("[::1]")]
    public async Task ItsOwnNamesWithItsPortAreAnswered(string name)
    {
        var (status, _, body) = await RequestAsync(Page, $"Host: {name}:{Port}\r\n");
        Assert.Equal(200, status);
        Assert.Contains("<html", body);
        Assert.Equal(200, (await RequestAsync(Status, $"Host: {name}:{Port}\r\n")).Status);
    }

    public static TheoryData<string, string> ForeignHosts()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in new[] { Page, Status, Events, "/__contentengine/explore/witnesses.json" })
            foreach (var host in new[] { "evil.example", "evil.example:{port}", "127.0.0.1", "localhost:{other}", "127.0.0.1.nip.io:{port}", "localhost.:{port}", "" })
                data.Add(target, host);
        return data;
    }

    [Theory]
    [MemberData(nameof(ForeignHosts))]
    public async Task AnyOtherHostGets421AndNothingOfTheProgram(string target, string host)
    {
        var header = host.Replace("{port}", Port.ToString()).Replace("{other}", (Port == 65535 ? Port - 1 : Port + 1).ToString());
        var (status, head, body) = await RequestAsync(target, $"Host: {header}\r\n");
        Assert.Equal(421, status);
        Assert.Contains("Content-Type: text/plain", head);
        Assert.Equal($"Misdirected request: this preview answers only to localhost, 127.0.0.1 and [::1] on port {Port}.\n", body);
    }

    [Fact]
    public async Task ARequestWithoutHostOrWithAMalformedOneIsRefused()
    {
        // HTTP/1.0 may leave Host out: the preview refuses it; HTTP/1.1 must have one, and the server
        // refuses a request without one, or with a malformed one, before the preview sees it.
        var (status, _, body) = await RequestAsync(Page, string.Empty, version: "HTTP/1.0");
        Assert.Equal(421, status);
        Assert.StartsWith("Misdirected request", body);
        Assert.Equal(400, (await RequestAsync(Page, string.Empty)).Status);
        Assert.Equal(400, (await RequestAsync(Page, $"Host: localhost:{Port}@evil.example\r\n")).Status);
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://127.0.0.1.nip.io:{port}")]
    [InlineData("https://127.0.0.1:{port}")]
    [InlineData("http://localhost:{other}")]
    [InlineData("null")]
    public async Task ARequestFromAnotherSitesPageGets403(string origin)
    {
        var header = origin.Replace("{port}", Port.ToString()).Replace("{other}", (Port == 65535 ? Port - 1 : Port + 1).ToString());
        foreach (var target in new[] { Page, Status, Events })
        {
            var (status, _, body) = await RequestAsync(target, $"Host: 127.0.0.1:{Port}\r\nOrigin: {header}\r\n");
            Assert.Equal(403, status);
            Assert.Equal("Forbidden: a page of another site may not read the preview.\n", body);
        }
    }

    [Fact]
    public async Task ARequestFromItsOwnPagesIsAnswered()
    {
        Assert.Equal(200, (await RequestAsync(Status, $"Host: 127.0.0.1:{Port}\r\nOrigin: http://127.0.0.1:{Port}\r\n")).Status);
        Assert.Equal(200, (await RequestAsync(Status, $"Host: localhost:{Port}\r\nOrigin: http://localhost:{Port}\r\n")).Status);
    }

    /// <summary>One raw request; for the event stream, only its head (the stream stays open).</summary>
    private async Task<(int Status, string Head, string Body)> RequestAsync(string target, string headers, string version = "HTTP/1.1")
    {
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} {version}\r\n{headers}Connection: close\r\n\r\n"));
        using var memory = new MemoryStream();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) break;
            memory.Write(buffer, 0, read);
            var sofar = Encoding.UTF8.GetString(memory.ToArray());
            if (sofar.Contains("text/event-stream") && sofar.Contains("\r\n\r\n")) break;
        }
        var text = Encoding.UTF8.GetString(memory.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var status = int.Parse(head.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, head, split < 0 ? string.Empty : text[(split + 4)..]);
    }
}

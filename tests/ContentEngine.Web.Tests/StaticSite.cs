using System.Net;
using System.Net.Sockets;

namespace ContentEngine.Web.Tests;

/// <summary>
/// A plain static file server on 127.0.0.1 for the browser tests, as a clinic's web server would serve
/// a bundle: the files of a folder under a base path (such as /program/), with their content types, and
/// nothing else. Every request is recorded. The folder can be swapped (a new build deployed) and the
/// server stopped (the network gone).
/// </summary>
public sealed class StaticSite : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<string> _requests = [];
    private readonly Task _loop;
    private volatile string _folder;

    private StaticSite(string folder, string basePath, int port)
    {
        _folder = folder;
        BasePath = basePath;
        Port = port;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Serves <paramref name="folder"/> at http://127.0.0.1:port<paramref name="basePath"/> (a free port unless given).</summary>
    public static StaticSite Start(string folder, string basePath = "/", int port = 0) =>
        new(folder, basePath.EndsWith('/') ? basePath : basePath + "/", port == 0 ? FreePort() : port);

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public int Port { get; }

    public string BasePath { get; }

    /// <summary>The bundle's root, such as http://127.0.0.1:5123/program/.</summary>
    public string Root => $"http://127.0.0.1:{Port}{BasePath}";

    public string Url(string relative) => Root + relative;

    /// <summary>Serves another folder from now on, as when a new build is deployed.</summary>
    public string Folder { get => _folder; set => _folder = value; }

    /// <summary>The paths asked for (with the query), in order.</summary>
    public IReadOnlyList<string> Requests { get { lock (_requests) return [.. _requests]; } }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { await AnswerAsync(ctx); }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { /* the browser went away */ }
        }
    }

    private async Task AnswerAsync(HttpListenerContext ctx)
    {
        var path = ctx.Request.Url!.AbsolutePath;
        lock (_requests) _requests.Add(ctx.Request.Url.PathAndQuery);
        var response = ctx.Response;
        response.Headers["Cache-Control"] = "no-cache";
        string? file = null;
        if (path.StartsWith(BasePath, StringComparison.Ordinal))
        {
            var relative = Uri.UnescapeDataString(path[BasePath.Length..]);
            if (relative.Length == 0 || relative.EndsWith('/')) relative += "index.html";
            if (!relative.Split('/').Contains("..")) file = Path.Combine(_folder, relative.Replace('/', Path.DirectorySeparatorChar));
        }
        if (file is null || !File.Exists(file))
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }
        var bytes = await File.ReadAllBytesAsync(file);
        response.StatusCode = 200;
        response.ContentType = Path.GetExtension(file) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".json" => "application/json",
            ".webmanifest" => "application/manifest+json",
            ".svg" => "image/svg+xml",
            ".png" => "image/png",
            ".woff2" => "font/woff2",
            ".mp3" => "audio/mpeg",
            ".txt" => "text/plain; charset=utf-8",
            _ => "application/octet-stream",
        };
        // A media element asks for parts (Range: bytes=a-b), as web servers answer them: 206 and the part's Content-Range.
        response.Headers["Accept-Ranges"] = "bytes";
        var (start, length) = (0, bytes.Length);
        if (ctx.Request.Headers["Range"] is { } range && Part(range, bytes.Length) is { } part)
        {
            if (part.Start >= bytes.Length)
            {
                response.StatusCode = 416;
                response.Headers["Content-Range"] = $"bytes */{bytes.Length}";
                response.Close();
                return;
            }
            (start, length) = (part.Start, part.End - part.Start + 1);
            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {part.Start}-{part.End}/{bytes.Length}";
        }
        response.ContentLength64 = length;
        if (ctx.Request.HttpMethod != "HEAD") await response.OutputStream.WriteAsync(bytes.AsMemory(start, length));
        response.Close();
    }

    /// <summary>The bytes a single range "bytes=a-b", "bytes=a-" or "bytes=-n" asks for, or null to answer the whole file.</summary>
    private static (int Start, int End)? Part(string range, int size)
    {
        var m = System.Text.RegularExpressions.Regex.Match(range.Trim(), @"^bytes=(\d*)-(\d*)$");
        if (!m.Success || (m.Groups[1].Length == 0 && m.Groups[2].Length == 0)) return null;
        if (m.Groups[1].Length == 0) return (Math.Max(0, size - int.Parse(m.Groups[2].Value)), size - 1);
        var start = int.Parse(m.Groups[1].Value);
        var end = m.Groups[2].Length == 0 ? size - 1 : Math.Min(int.Parse(m.Groups[2].Value), size - 1);
        return start > end && start < size ? null : (start, end);
    }

    public void Dispose()
    {
        try { _listener.Stop(); _listener.Close(); } catch (ObjectDisposedException) { /* stopped */ }
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { /* stopped */ }
    }
}

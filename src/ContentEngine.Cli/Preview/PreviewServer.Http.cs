using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using ContentEngine.Rendering.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ContentEngine.Cli.Preview;

/// <summary>The preview's HTTP side: pages and files from the snapshot, the status the panel reads, the reload events, and who may ask.</summary>
public sealed partial class PreviewServer
{
    private async Task HandleAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        var response = ctx.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        // A web page elsewhere can point a name of its own at 127.0.0.1 (DNS rebinding) and read the
        // preview as its own site: answer only the preview's own names, and no other site's scripts.
        var port = ctx.Connection.LocalPort;
        if (!IsOwnHost(request.Headers.Host.ToString(), port))
        {
            await TextAsync(ctx, StatusCodes.Status421MisdirectedRequest, $"Misdirected request: this preview answers only to localhost, 127.0.0.1 and [::1] on port {port}.\n");
            return;
        }
        if (request.Headers.Origin.Count > 0 && !IsOwnOrigin(request.Headers.Origin.ToString(), port))
        {
            await TextAsync(ctx, StatusCodes.Status403Forbidden, "Forbidden: a page of another site may not read the preview.\n");
            return;
        }
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }
        var raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value;
        if (!UrlPaths.TryMap(raw, out var key))
        {
            await TextAsync(ctx, StatusCodes.Status404NotFound, "Not found\n");
            return;
        }

        if (key.StartsWith(UrlPaths.ReservedPrefix, StringComparison.Ordinal))
        {
            switch (key[UrlPaths.ReservedPrefix.Length..])
            {
                case PreviewClient.Script or PreviewClient.Style or PreviewClient.Strings:
                    var file = PreviewClient.Get(key[UrlPaths.ReservedPrefix.Length..], _builder.Current, request.Query["locale"].FirstOrDefault())!;
                    await BytesAsync(ctx, StatusCodes.Status200OK, file.ContentType, file.Content);
                    return;
                case "events":
                    await EventsAsync(ctx);
                    return;
                case "program.json":
                    if (_builder.Current.ProgramJson(request.Query["locale"].FirstOrDefault()) is { } json)
                        await BytesAsync(ctx, StatusCodes.Status200OK, "application/json; charset=utf-8", json);
                    else
                        await TextAsync(ctx, StatusCodes.Status404NotFound, "The program has not compiled yet.\n");
                    return;
                case "status.json":
                    await BytesAsync(ctx, StatusCodes.Status200OK, "application/json; charset=utf-8", StatusJson(_builder.Current, request.Query["page"].FirstOrDefault() ?? string.Empty));
                    return;
                case ExplorePages.Prefix + "witnesses.json":
                    if (_builder.Current.WitnessesJson(request.Query["locale"].FirstOrDefault()) is { } list)
                        await BytesAsync(ctx, StatusCodes.Status200OK, "application/json; charset=utf-8", list);
                    else
                        await TextAsync(ctx, StatusCodes.Status404NotFound, "The program has not been explored yet.\n");
                    return;
                case ExplorePages.Prefix + "report.html":
                    if (_builder.Current.ReportHtml() is { } report)
                        await BytesAsync(ctx, StatusCodes.Status200OK, "text/html; charset=utf-8", report);
                    else
                        await TextAsync(ctx, StatusCodes.Status404NotFound, "The program has not been explored yet.\n");
                    return;
            }
            const string witnesses = ExplorePages.Prefix + "witnesses/";
            if (key.AsSpan(UrlPaths.ReservedPrefix.Length).StartsWith(witnesses, StringComparison.Ordinal)
                && _builder.Current.WitnessDocument(key[(UrlPaths.ReservedPrefix.Length + witnesses.Length)..]) is { } document)
            {
                await BytesAsync(ctx, StatusCodes.Status200OK, "application/json; charset=utf-8", document);
                return;
            }
            await TextAsync(ctx, StatusCodes.Status404NotFound, "Not found\n");
            return;
        }

        if (key == WebRenderer.WorkerPath)
        {
            // Never the bundle's offline worker: it would answer the pages from a cache while they are edited.
            await BytesAsync(ctx, StatusCodes.Status200OK, "text/javascript; charset=utf-8", PreviewClient.RetiredWorker(_builder.Current));
            return;
        }

        var snapshot = _builder.Current;
        if (snapshot.TryGet(key, out var content))
        {
            await FileAsync(ctx, ContentTypes.For(key), content);
            return;
        }
        if (ContentTypes.IsHtml(key))
            await BytesAsync(ctx, StatusCodes.Status404NotFound, "text/html; charset=utf-8", PreviewPages.NotFound(key, snapshot));
        else
            await TextAsync(ctx, StatusCodes.Status404NotFound, "Not found\n");
    }

    private static readonly string[] OwnNames = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>A Host header naming the preview itself: one of its names with its port (without, only for port 80).</summary>
    private static bool IsOwnHost(string host, int port) =>
        OwnNames.Any(name => host.Equals($"{name}:{port.ToString(CultureInfo.InvariantCulture)}", StringComparison.OrdinalIgnoreCase)
            || (port == 80 && host.Equals(name, StringComparison.OrdinalIgnoreCase)));

    /// <summary>An Origin header of the preview's own pages (a browser sends none on most of their requests).</summary>
    private static bool IsOwnOrigin(string origin, int port) =>
        origin.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && IsOwnHost(origin["http://".Length..], port);

    private static Task TextAsync(HttpContext ctx, int status, string text) =>
        BytesAsync(ctx, status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));

    private static async Task BytesAsync(HttpContext ctx, int status, string type, byte[] content)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = type;
        ctx.Response.ContentLength = content.Length;
        if (!HttpMethods.IsHead(ctx.Request.Method)) await ctx.Response.Body.WriteAsync(content, ctx.RequestAborted);
    }

    /// <summary>A bundle file; one byte range on request, so that audio and video can seek.</summary>
    private static async Task FileAsync(HttpContext ctx, string type, byte[] content)
    {
        ctx.Response.Headers.AcceptRanges = "bytes";
        var range = ctx.Request.Headers.Range.ToString();
        if (range.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) && !range.Contains(','))
        {
            var spec = range[6..].Trim();
            var dash = spec.IndexOf('-');
            long start, end;
            var ok = dash >= 0;
            if (ok && dash == 0)
            {
                ok = long.TryParse(spec[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) && suffix > 0;
                start = Math.Max(0, content.Length - (ok ? suffix : 0));
                end = content.Length - 1;
            }
            else
            {
                ok = ok & long.TryParse(spec[..Math.Max(0, dash)], NumberStyles.None, CultureInfo.InvariantCulture, out start);
                end = content.Length - 1;
                if (ok && dash + 1 < spec.Length) ok = long.TryParse(spec[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out end);
                end = Math.Min(end, content.Length - 1);
            }
            if (!ok || start > end || start >= content.Length)
            {
                ctx.Response.Headers.ContentRange = $"bytes */{content.Length}";
                await TextAsync(ctx, StatusCodes.Status416RangeNotSatisfiable, "Range not satisfiable\n");
                return;
            }
            ctx.Response.StatusCode = StatusCodes.Status206PartialContent;
            ctx.Response.ContentType = type;
            ctx.Response.Headers.ContentRange = $"bytes {start}-{end}/{content.Length}";
            ctx.Response.ContentLength = end - start + 1;
            if (!HttpMethods.IsHead(ctx.Request.Method))
                await ctx.Response.Body.WriteAsync(content.AsMemory((int)start, (int)(end - start + 1)), ctx.RequestAborted);
            return;
        }
        await BytesAsync(ctx, StatusCodes.Status200OK, type, content);
    }

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The state of the latest build as one page sees it: its errors, marked where they are in this page's sources.</summary>
    private static byte[] StatusJson(PreviewSnapshot s, string page)
    {
        var sources = s.PageSources.TryGetValue(page, out var list) ? list : [];
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, JsonOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("generation", s.Generation);
            w.WriteNumber("bundle", s.BundleGeneration);
            w.WriteNumber("explored", s.ExploredGeneration);
            w.WriteBoolean("hasBundle", s.Files.Count > 0);
            w.WriteString("fingerprint", s.FingerprintOf(page));
            w.WriteStartArray("errors");
            // The errors in this page's own sources first: that is where the author is looking.
            foreach (var e in s.Errors.OrderBy(e => e.File is not null && sources.Contains(e.File) ? 0 : 1))
            {
                w.WriteStartObject();
                w.WriteString("file", e.File);
                if (e.Line is { } line) w.WriteNumber("line", line); else w.WriteNull("line");
                if (e.Column is { } column) w.WriteNumber("column", column); else w.WriteNull("column");
                w.WriteNumber("length", e.Length);
                w.WriteString("id", e.Id);
                w.WriteString("severity", e.Severity);
                w.WriteString("message", e.Message);
                w.WriteString("source", e.SourceLine);
                w.WriteBoolean("here", e.File is not null && sources.Contains(e.File));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("warnings", s.Warnings.Length);
            // Translated texts of this page whose source changed since (CE0505): the page marks them.
            w.WriteStartArray("stale");
            foreach (var t in s.Stale.Where(t => page.StartsWith(t.Locale + "/", StringComparison.Ordinal) && sources.Contains(t.File)))
            {
                w.WriteStartObject();
                w.WriteString("id", t.Id);
                w.WriteString("kind", t.Kind);
                w.WriteString("file", t.File);
                w.WriteNumber("line", t.Line);
                w.WriteString("text", t.Text);
                w.WriteString("source", t.Source);
                w.WriteString("old", t.Old);
                w.WriteString("sourceLocale", t.SourceLocale);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Server-Sent Events for one page: "status" after every build (and at once), and "reload" when
    /// the page, or a file it loads, differs from the version the browser has.
    /// </summary>
    private async Task EventsAsync(HttpContext ctx)
    {
        var page = ctx.Request.Query["page"].FirstOrDefault() ?? string.Empty;
        var seen = ctx.Request.Query["fp"].FirstOrDefault() ?? PreviewSnapshot.MissingFingerprint;
        var response = ctx.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers["X-Accel-Buffering"] = "no";
        ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        if (HttpMethods.IsHead(ctx.Request.Method)) return;

        var channel = Channel.CreateBounded<PreviewSnapshot>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var id = Interlocked.Increment(ref _nextSubscriber);
        _subscribers[id] = channel;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping.Token);
        var token = done.Token;
        try
        {
            await WriteAsync(response, "retry: 1000\n\n", token);
            var snapshot = _builder.Current; // after subscribing: no build can slip between the two
            while (true)
            {
                await WriteAsync(response, "event: status\ndata: " + Encoding.UTF8.GetString(StatusJson(snapshot, page)) + "\n\n", token);
                if (snapshot.FingerprintOf(page) != seen)
                {
                    await WriteAsync(response, "event: reload\ndata: {}\n\n", token);
                    seen = snapshot.FingerprintOf(page);
                }
                while (true)
                {
                    using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(token);
                    keepAlive.CancelAfter(TimeSpan.FromSeconds(20));
                    try
                    {
                        if (await channel.Reader.WaitToReadAsync(keepAlive.Token) && channel.Reader.TryRead(out var next))
                        {
                            snapshot = next;
                            break;
                        }
                    }
                    catch (OperationCanceledException) when (!token.IsCancellationRequested)
                    {
                        await WriteAsync(response, ": keep-alive\n\n", token);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            _subscribers.TryRemove(id, out _);
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken token)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), token);
        await response.Body.FlushAsync(token);
    }
}

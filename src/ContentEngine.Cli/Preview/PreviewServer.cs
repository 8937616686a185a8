using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using ContentEngine.Compilation;
using ContentEngine.Rendering.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContentEngine.Cli.Preview;

public sealed record PreviewOptions
{
    public required string ProgramFolder { get; init; }

    /// <summary>The port on 127.0.0.1; 0 takes a free one.</summary>
    public int Port { get; init; }

    public DateOnly? Today { get; init; }

    /// <summary>How long the sources must be quiet after a change before the preview rebuilds.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(50);
}

/// <summary>The preview could not start: a missing folder or a port in use. The message says what to do.</summary>
public sealed class PreviewStartException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// <c>contentengine serve</c>: Kestrel on 127.0.0.1 serving the program's web bundle from memory,
/// rebuilt when its sources or theme change, with live reload, an error overlay and a patient panel
/// injected into every page.
/// </summary>
public sealed class PreviewServer : IAsyncDisposable
{
    private readonly PreviewOptions _options;
    private readonly TextWriter _log;
    private readonly PreviewBuilder _builder;
    private readonly string _root;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Channel<string> _changes = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, Channel<PreviewSnapshot>> _subscribers = new();
    private readonly Dictionary<string, string> _sourceHashes = new(StringComparer.Ordinal);
    private readonly SourceWatcher _watcher;
    private WebApplication? _app;
    private Task _loop = Task.CompletedTask;
    private long _nextSubscriber;
    private int _stopped;

    private PreviewServer(PreviewOptions options, TextWriter log)
    {
        _options = options;
        _log = log;
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.ProgramFolder));
        _builder = new PreviewBuilder(_root, options.Today is { } today ? new CompilerOptions { Today = today } : null);
        _watcher = new SourceWatcher(path => _changes.Writer.TryWrite(path));
    }

    /// <summary>The address the preview answers on, such as http://127.0.0.1:5123/.</summary>
    public Uri Url { get; private set; } = null!;

    public int Port => Url.Port;

    public string ProgramFolder => _root;

    /// <summary>What is served now.</summary>
    public PreviewSnapshot Current => _builder.Current;

    /// <summary>Raised after every build, on the build's thread.</summary>
    public event Action<BuildReport>? Rebuilt;

    /// <summary>Binds the port, builds the program once and starts watching it.</summary>
    /// <exception cref="PreviewStartException">the folder is missing or the port is taken.</exception>
    public static async Task<PreviewServer> StartAsync(PreviewOptions options, TextWriter log, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(options.ProgramFolder))
            throw new PreviewStartException($"there is no folder '{options.ProgramFolder}'");
        if (options.Port is < 0 or > 65535)
            throw new PreviewStartException($"--port takes a number from 1 to 65535, not {options.Port}");
        var server = new PreviewServer(options, TextWriter.Synchronized(log));
        try
        {
            await server.StartCoreAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "contentengine-serve", ContentRootPath = _root });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, _options.Port);
        });
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        ((IApplicationBuilder)app).Run(HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new PreviewStartException(_options.Port == 0
                ? $"no free port could be opened on 127.0.0.1 ({e.Message})"
                : $"port {_options.Port} is already in use on 127.0.0.1; choose another with --port <n>, or leave --port out to take a free one", e);
        }
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = new Uri(address.EndsWith('/') ? address : address + "/");

        // Watch before the first build, so that an edit made while it runs is not lost.
        _watcher.Watch([_root]);
        HashAll();
        var report = _builder.Build(compile: true, reloadTheme: true, [], explore: true);
        _watcher.Watch([_root, .. _builder.ThemeFolders]);
        HashAll();
        LogFirst(report);
        Rebuilt?.Invoke(report);
        _loop = Task.Run(() => LoopAsync(_stopping.Token));
    }

    // ---- watching and rebuilding ----

    private IEnumerable<string> WatchedRoots() => [_root, .. _builder.ThemeFolders];

    private bool IsThemePath(string path) =>
        _builder.ThemeFolders.Any(f => path == f || SourceWatcher.IsInside(path, Path.TrimEndingDirectorySeparator(f)))
        || SourceWatcher.IsInside(path, Path.Combine(_root, "templates"));

    /// <summary>Editor droppings, hidden folders and output folders do not change the program.</summary>
    private bool IsRelevant(string path)
    {
        var root = WatchedRoots().Select(Path.TrimEndingDirectorySeparator).FirstOrDefault(r => path == r || SourceWatcher.IsInside(path, r));
        if (root is null) return false;
        var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
        var segments = relative.Split('/');
        if (segments.Any(s => s.StartsWith('.'))) return false;
        if (root == _root && segments[0] is "out" or "bin" or "obj" or "node_modules") return false;
        var name = segments[^1];
        return !(name.EndsWith('~') || name.StartsWith('#') || name == "4913"
            || name.EndsWith(".swp", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".swx", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".crdownload", StringComparison.OrdinalIgnoreCase));
    }

    private void HashAll()
    {
        foreach (var root in WatchedRoots().Where(Directory.Exists))
            foreach (var file in SafeFiles(root))
                if (IsRelevant(file) && !_sourceHashes.ContainsKey(file))
                    _sourceHashes[file] = HashFile(file) ?? string.Empty;
    }

    private static IEnumerable<string> SafeFiles(string folder)
    {
        try
        {
            return Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden }).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string? HashFile(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether the path's content differs from what was last built (files, and the files of a folder).</summary>
    private bool Refresh(string path)
    {
        if (File.Exists(path))
        {
            var hash = HashFile(path);
            if (hash is not null && _sourceHashes.TryGetValue(path, out var old) && old == hash) return false;
            if (hash is null) _sourceHashes.Remove(path); else _sourceHashes[path] = hash;
            return true;
        }
        var changed = false;
        if (Directory.Exists(path))
        {
            foreach (var file in SafeFiles(path).Where(IsRelevant))
                changed |= Refresh(file);
        }
        foreach (var gone in _sourceHashes.Keys.Where(k => (k == path || SourceWatcher.IsInside(k, path)) && !File.Exists(k)).ToList())
        {
            _sourceHashes.Remove(gone);
            changed = true;
        }
        return changed;
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        var reader = _changes.Reader;
        // The program is explored on another thread once the author pauses, so that exploring never
        // holds up an edit: the edit is served first, the panel's example patients, the report and
        // the explorer's warnings follow. A result for a program compiled again since is dropped.
        Task<ExploreOutcome>? exploring = null;
        CancellationTokenSource? notYet = null;
        Task<bool>? more = null;
        try
        {
            // A second, silent build right away: the runtime compiles the hot paths of compiling and
            // rendering now, so that the author's first edit is as fast as the ones after it.
            if (!reader.TryPeek(out _))
            {
                var warm = _builder.Build(compile: true, reloadTheme: false, []);
                Publish(warm.Snapshot);
                if (!warm.ChangedPages.IsEmpty) LogRebuild(warm, warm.Total, overflow: false);
            }
            while (true)
            {
                more ??= reader.WaitToReadAsync(ct).AsTask();
                if (exploring is null && _builder.PendingExploration is { } job)
                {
                    notYet?.Dispose();
                    notYet = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    exploring = ExploreLaterAsync(job, notYet.Token);
                }
                if (exploring is not null && await Task.WhenAny(more, exploring) == exploring)
                {
                    ExploreOutcome? outcome = null;
                    try
                    {
                        outcome = await exploring;
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        // A change came before it started: the program is built again and explored then.
                    }
                    exploring = null;
                    if (outcome is not null && _builder.Apply(outcome) is { } explored)
                    {
                        Publish(explored.Snapshot);
                        Rebuilt?.Invoke(explored);
                    }
                    continue;
                }
                if (!await more) break;
                more = null;
                notYet?.Cancel(); // an exploration that has not started waits for the program as it is about to be

                var batch = new HashSet<string>(StringComparer.Ordinal);
                var waiting = Stopwatch.StartNew();
                do
                {
                    while (reader.TryRead(out var path)) batch.Add(path);
                }
                while (waiting.Elapsed < TimeSpan.FromSeconds(1) && await MoreWithinAsync(reader, _options.Debounce, ct));
                try
                {
                    Rebuild(batch);
                    // After a partial render, and once the author pauses: render everything and
                    // correct any page the partial render missed.
                    if (_builder.NeedsVerify && !await MoreWithinAsync(reader, TimeSpan.FromMilliseconds(250), ct) && _builder.Verify() is { } check)
                    {
                        Publish(check.Snapshot);
                        _log.WriteLine($"{DateTime.Now:HH:mm:ss} the full render corrected {Plural.Count(check.ChangedPages.Length, "page", "pages")} the partial one missed: {string.Join(", ", check.ChangedPages.Take(5))}");
                        Rebuilt?.Invoke(check);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log.WriteLine($"contentengine: the preview could not rebuild ({e.GetType().Name}: {e.Message}); it keeps serving the last version");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            notYet?.Dispose();
        }
    }

    /// <summary>Explores on the thread pool after a quiet moment; cancelled when a change comes first.</summary>
    private static async Task<ExploreOutcome> ExploreLaterAsync(ExploreJob job, CancellationToken notYet)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(100), notYet);
        return await Task.Run(job.Run, notYet);
    }

    private static async Task<bool> MoreWithinAsync(ChannelReader<string> reader, TimeSpan quiet, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(quiet);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private void Rebuild(HashSet<string> batch)
    {
        var started = Stopwatch.StartNew();
        var overflow = batch.Remove(string.Empty);
        var changed = new List<string>();
        foreach (var path in batch.Order(StringComparer.Ordinal))
            if (IsRelevant(path) && Refresh(path)) changed.Add(path);
        if (overflow)
        {
            _sourceHashes.Clear();
            HashAll();
        }
        if (changed.Count == 0 && !overflow) return; // saved without changes, or only editor files

        var theme = overflow || changed.Any(IsThemePath);
        var compile = overflow || changed.Any(p => !IsThemePath(p));
        var shown = changed.Select(p => Path.GetRelativePath(_root, p).Replace('\\', '/')).ToList();
        var report = _builder.Build(compile, theme, shown, changesComplete: !overflow);
        _watcher.Watch(WatchedRoots());
        Publish(report.Snapshot);
        LogRebuild(report, started.Elapsed, overflow);
        Rebuilt?.Invoke(report);
    }

    private void Publish(PreviewSnapshot snapshot)
    {
        foreach (var channel in _subscribers.Values) channel.Writer.TryWrite(snapshot);
    }

    // ---- messages ----

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private void LogFirst(BuildReport r)
    {
        var s = r.Snapshot;
        if (s.Graph is { } g)
            _log.WriteLine($"Built {g.Id}: {CommandLine.Summary(g)}, {Plural.Count(s.Files.Count, "file", "files")} in {Ms(r.Total)} (compile {Ms(r.Compile)}, theme {Ms(r.Theme)}, render {Ms(r.Render)})");
        else
            _log.WriteLine($"The program has {Plural.Count(s.Errors.Length, "error", "errors")}; the preview lists them in the browser and builds again when a file is saved:");
        LogErrors(s);
        _log.WriteLine($"Preview at {Url} (Ctrl+C to stop)");
    }

    private void LogRebuild(BuildReport r, TimeSpan total, bool overflow)
    {
        var what = overflow ? "many files" : r.ChangedFiles.Length switch
        {
            0 => "the program",
            1 => r.ChangedFiles[0],
            <= 3 => string.Join(", ", r.ChangedFiles),
            _ => $"{r.ChangedFiles.Length} files",
        };
        var steps = new List<string>();
        if (r.Compiled) steps.Add($"compile {Ms(r.Compile)}");
        if (r.ThemeLoaded) steps.Add($"theme {Ms(r.Theme)}");
        if (r.Rendered) steps.Add(r.RenderedFiles < r.BundleFiles ? $"render {Ms(r.Render)} for {r.RenderedFiles} of {Plural.Count(r.BundleFiles, "file", "files")}" : $"render {Ms(r.Render)}");
        var outcome = r.Snapshot.HasErrors
            ? $"{Plural.Count(r.Snapshot.Errors.Length, "error", "errors")}; still serving the last version that worked"
            : r.ChangedPages.Length switch
            {
                0 => "no page changed",
                1 => $"reloading {r.ChangedPages[0]}",
                _ => $"reloading {r.ChangedPages.Length} pages",
            };
        _log.WriteLine($"{DateTime.Now:HH:mm:ss} {what} changed: rebuilt in {Ms(total)} ({string.Join(", ", steps)}); {outcome}");
        LogErrors(r.Snapshot);
    }

    private void LogErrors(PreviewSnapshot s)
    {
        foreach (var e in s.Errors)
        {
            var at = e.File is null ? "" : e.Line is { } line ? $"{e.File}({line},{e.Column ?? 1}): " : $"{e.File}: ";
            _log.WriteLine($"  {at}error {e.Id}: {e.Message}");
        }
    }

    // ---- HTTP ----

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

    // ---- stopping ----

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _stopping.Cancel();
        _changes.Writer.TryComplete();
        _watcher.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    /// <summary>The command decides when to stop (Ctrl+C); the host does not listen to the console itself.</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

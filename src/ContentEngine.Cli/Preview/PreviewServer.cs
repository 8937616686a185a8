using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Threading.Channels;
using ContentEngine.Compilation;
using ContentEngine.Rendering.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
public sealed partial class PreviewServer : IAsyncDisposable
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

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ContentEngine.Rendering.Print;

/// <summary>
/// While a print runs, a signal that ends the process (Ctrl+C, SIGTERM, SIGHUP, SIGQUIT) or its
/// ordinary exit first ends every process it started: the browser driver and Chromium with all its
/// helpers, so none is left running. A print that ends by itself closes them in order instead. SIGKILL
/// runs nothing in the process; then the driver sees its input close and closes the browser, and
/// Chromium sees its DevTools pipe close and quits (both measured on Linux within half a second).
/// </summary>
internal static class BrowserProcesses
{
    private static readonly Lock Gate = new();
    private static int _prints;
    private static PosixSignalRegistration[] _signals = [];

    /// <summary>Holds the guard for one print; disposing it lets go when no other print runs.</summary>
    public static IDisposable Guard()
    {
        lock (Gate)
        {
            if (_prints++ == 0)
            {
                _signals = OperatingSystem.IsWindows() ? [] :
                    [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }.Select(s => PosixSignalRegistration.Create(s, OnSignal))];
                AppDomain.CurrentDomain.ProcessExit += OnExit;
            }
        }
        return new Release();
    }

    private sealed class Release : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 1) return;
            lock (Gate)
            {
                if (--_prints > 0) return;
                foreach (var s in _signals) s.Dispose();
                _signals = [];
                AppDomain.CurrentDomain.ProcessExit -= OnExit;
            }
        }
    }

    // The signal is not cancelled: it goes on to end the process as it would have.
    private static void OnSignal(PosixSignalContext context) => EndChildren();

    private static void OnExit(object? sender, EventArgs e) => EndChildren();

    /// <summary>Kills every process descended from this one (Linux: from /proc), children before the parents they would outlive.</summary>
    internal static void EndChildren()
    {
        foreach (var pid in Descendants(Environment.ProcessId))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                // Gone already, or not ours to end.
            }
        }
    }

    /// <summary>The processes below <paramref name="root"/>, deepest first; empty where there is no /proc.</summary>
    internal static List<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc")) return [];
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (ParentOf(pid) is not { } parent) continue;
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(pid);
        }
        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var pid))
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
                if (!found.Contains(child))
                {
                    found.Add(child);
                    queue.Enqueue(child);
                }
        found.Reverse();
        return found;
    }

    /// <summary>The parent of a process from /proc/&lt;pid&gt;/stat ("pid (name) state ppid …"; the name may hold spaces and parentheses).</summary>
    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ? parent : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

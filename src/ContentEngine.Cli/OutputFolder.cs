using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace ContentEngine.Cli;

/// <summary>A build's output folder cannot be written: something else is in the way, or the disk is full. One line for the user.</summary>
public sealed class OutputFolderException(string message) : Exception(message);

/// <summary>The steps of <see cref="OutputFolder.Replace"/>, in order, as its fault seam sees them.</summary>
public enum OutputStep { Created, Written, Kept, MovedAside, Swapped, Cleaned }

/// <summary>
/// Writes a whole output folder beside its target, then swaps it in: a failed build leaves the old output as it was.
/// It replaces only a folder that does not exist, is empty or holds <see cref="MarkerName"/>, never the program
/// folder, a folder above it or the current folder; the swap is one atomic exchange where the system has one, and
/// what a killed build left beside the target is put right by the next build.
/// </summary>
public static class OutputFolder
{
    /// <summary>The file every build writes at the top of its output: the sign that a folder may be replaced.</summary>
    public const string MarkerName = ".contentengine-output";

    private static readonly AsyncLocal<Action<OutputStep>?> fault = new();
    private static readonly AsyncLocal<bool> noExchange = new();

    /// <summary>For tests: called after each step; it may throw (<see cref="Killed"/> stands for the process dying there).</summary>
    internal static Action<OutputStep>? Fault { get => fault.Value; set => fault.Value = value; }

    /// <summary>For tests: swap with two renames, as on a system or file system without an atomic exchange.</summary>
    internal static bool NoExchange { get => noExchange.Value; set => noExchange.Value = value; }

    /// <summary>Thrown by a test's <see cref="Fault"/>: like a killed process, it leaves everything as it is, with no clean-up.</summary>
    internal sealed class Killed : Exception;

    /// <summary>
    /// Replaces <paramref name="target"/> with what <paramref name="write"/> puts in a fresh folder. With
    /// <paramref name="bundles"/> (a partial build: graph, web, print, audio, package) an earlier output of the same
    /// program keeps the parts this build does not make.
    /// </summary>
    public static void Replace(string target, string programFolder, string programId, IReadOnlySet<string>? bundles, Action<string> write)
    {
        var display = target.Replace('\\', '/');
        var full = Resolve(target);
        var parent = Path.GetDirectoryName(full);
        if (parent is null) throw new OutputFolderException($"'{display}' is the root of a file system; choose a folder for the output with -o, such as out/{programId}");
        Guard(display, full, Resolve(programFolder), programId);
        Directory.CreateDirectory(parent);
        Recover(full);
        var previous = Previous(display, full, programId);
        var name = Path.GetFileName(full);
        var temp = Path.Combine(parent, $".{name}.tmp-{Guid.NewGuid():N}");
        string? aside = null;
        var exchanged = false;
        try
        {
            Directory.CreateDirectory(temp);
            // Held open (and locked) while the build writes, so that another build's recovery leaves this folder alone.
            using (WriteMarker(temp, programId))
            {
                Step(OutputStep.Created);
                write(temp);
                Step(OutputStep.Written);
                if (bundles is not null && previous == programId) Keep(full, temp, bundles);
                Step(OutputStep.Kept);
            }
            // Someone may have put files there while the build ran.
            Previous(display, full, programId);
            if (Directory.Exists(full))
            {
                exchanged = !NoExchange && Exchange(temp, full);
                if (!exchanged)
                {
                    aside = Path.Combine(parent, $".{name}.old-{Guid.NewGuid():N}");
                    Directory.Move(full, aside);
                    Step(OutputStep.MovedAside);
                    Directory.Move(temp, full);
                }
            }
            else Directory.Move(temp, full);
        }
        catch (Exception e) when (e is not Killed)
        {
            // Judged before the unfinished folder is removed and its space is free again.
            var diskFull = IsDiskFull(e) || (e is IOException && NoSpaceLeft(parent));
            if (aside is not null && !Directory.Exists(full) && Directory.Exists(aside)) Directory.Move(aside, full);
            TryDelete(temp);
            if (diskFull) throw new OutputFolderException($"the disk is full while writing '{display}'; nothing was replaced (free some space and build again)");
            throw;
        }
        Step(OutputStep.Swapped);
        // After an exchange the old output sits where the new one was written.
        TryDelete(exchanged ? temp : aside);
        Step(OutputStep.Cleaned);
    }

    private static void Step(OutputStep step) => Fault?.Invoke(step);

    /// <summary>Refuses the program folder, a folder above it, and the current folder or one above it.</summary>
    private static void Guard(string display, string full, string program, string programId)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        bool Holds(string path) => string.Equals(path, full, comparison) || path.StartsWith(full.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, comparison);
        var advice = $"a build replaces its output folder whole: choose another with -o, such as out/{programId}";
        if (string.Equals(program, full, comparison))
            throw new OutputFolderException($"'{display}' is the program folder; {advice}");
        if (Holds(program))
            throw new OutputFolderException($"'{display}' holds the program folder; {advice}");
        if (Holds(Resolve(Directory.GetCurrentDirectory())))
            throw new OutputFolderException($"'{display}' is the current folder or holds it; {advice}");
    }

    /// <summary>The program whose earlier output the target holds (null: none, or an empty folder); refuses anything else.</summary>
    private static string? Previous(string display, string full, string programId)
    {
        if (File.Exists(full)) throw new OutputFolderException($"'{display}' is a file; choose a folder for the output with -o, such as out/{programId}");
        if (!Directory.Exists(full)) return null;
        var entries = Directory.EnumerateFileSystemEntries(full).Select(e => Path.GetFileName(e)!).Order(StringComparer.Ordinal).ToList();
        if (entries.Count == 0) return null;
        var marker = new FileInfo(Path.Combine(full, MarkerName));
        if (marker.Exists && marker.LinkTarget is null)
        {
            foreach (var line in File.ReadLines(marker.FullName))
                if (line.StartsWith("program: ", StringComparison.Ordinal)) return line["program: ".Length..].Trim();
            return string.Empty;
        }
        var named = string.Join(", ", entries.Take(3).Select(e => $"'{e}'")) + (entries.Count > 3 ? $" and {entries.Count - 3} more" : string.Empty);
        throw new OutputFolderException($"'{display}' holds files that no build wrote ({named}); a build replaces only a new or empty folder or its own earlier output (marked by {MarkerName}): choose another folder with -o, or empty this one");
    }

    private static FileStream WriteMarker(string folder, string programId)
    {
        var stream = new FileStream(Path.Combine(folder, MarkerName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        stream.Write(Encoding.UTF8.GetBytes(
            $"This folder is the output of 'contentengine build' (ContentEngine {CommandLine.Version}); the next build into it replaces it.\nprogram: {programId}\n"));
        stream.Flush();
        return stream;
    }

    /// <summary>Copies the parts of the earlier output that a partial build does not make into its new folder.</summary>
    private static void Keep(string full, string temp, IReadOnlySet<string> bundles)
    {
        bool Made(string name) =>
            name == MarkerName
            || (name == "graph.json" && bundles.Contains("graph"))
            || (name is "web" or "print" or "audio" && bundles.Contains(name))
            || (name.EndsWith(".cepkg", StringComparison.OrdinalIgnoreCase) && bundles.Contains("package"));
        foreach (var entry in Directory.EnumerateFileSystemEntries(full))
        {
            var name = Path.GetFileName(entry);
            var into = Path.Combine(temp, name);
            if (!Made(name) && !Path.Exists(into)) Copy(entry, into);
        }
    }

    private static void Copy(string from, string to)
    {
        var info = new DirectoryInfo(from);
        if (info.LinkTarget is { } link)
        {
            if (info.Attributes.HasFlag(FileAttributes.Directory)) Directory.CreateSymbolicLink(to, link);
            else File.CreateSymbolicLink(to, link);
        }
        else if (info.Attributes.HasFlag(FileAttributes.Directory))
        {
            Directory.CreateDirectory(to);
            foreach (var entry in Directory.EnumerateFileSystemEntries(from)) Copy(entry, Path.Combine(to, Path.GetFileName(entry)));
        }
        else File.Copy(from, to);
    }

    /// <summary>
    /// Puts right what a killed build left beside <paramref name="full"/>: an old copy comes back if the target is
    /// missing; the other old copies and the unfinished new folders (unless a running build holds them) are removed.
    /// </summary>
    internal static void Recover(string full)
    {
        var parent = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(parent)) return;
        var pattern = new Regex($"^\\.{Regex.Escape(Path.GetFileName(full))}\\.(?<kind>tmp|old)-[0-9a-f]{{32}}$", RegexOptions.CultureInvariant);
        var leftovers = new DirectoryInfo(parent).EnumerateDirectories()
            .Select(d => (Dir: d, Match: pattern.Match(d.Name)))
            .Where(l => l.Match.Success && l.Dir.LinkTarget is null)
            .Select(l => (l.Dir, Old: l.Match.Groups["kind"].Value == "old"))
            .ToList();
        if (!Path.Exists(full) && leftovers.Where(l => l.Old).OrderByDescending(l => l.Dir.LastWriteTimeUtc).FirstOrDefault() is { Dir: not null } restore)
        {
            Directory.Move(restore.Dir.FullName, full);
            leftovers.Remove(restore);
        }
        foreach (var (dir, old) in leftovers)
            if (old || !InUse(dir.FullName)) TryDelete(dir.FullName);
    }

    private static bool InUse(string folder)
    {
        try
        {
            using var _ = new FileStream(Path.Combine(folder, MarkerName), FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (FileNotFoundException) { return false; }
        catch (IOException) { return true; }
        catch (UnauthorizedAccessException) { return true; }
    }

    private static void TryDelete(string? folder)
    {
        if (folder is null) return;
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next build's recovery.
        }
    }

    /// <summary>
    /// ENOSPC (28 on Linux and macOS), ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows, anywhere in the chain;
    /// .NET says "the disk was full" without a code when a file's size is set ahead.
    /// </summary>
    internal static bool IsDiskFull(Exception e) => e switch
    {
        IOException io when io.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027)
            || io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
            || io.Message.Contains("disk was full", StringComparison.OrdinalIgnoreCase) => true,
        AggregateException a => a.InnerExceptions.Any(IsDiskFull),
        _ => e.InnerException is { } inner && IsDiskFull(inner),
    };

    /// <summary>Whether the file system that holds <paramref name="folder"/> has (next to) no space left, for errors that do not say so.</summary>
    private static bool NoSpaceLeft(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace < 64 * 1024;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The full path with every symbolic link and '..' resolved as the file system does (realpath), for as much of it as exists.</summary>
    internal static string Resolve(string path) => Resolve(Path.Combine(Directory.GetCurrentDirectory(), path), 0);

    private static string Resolve(string path, int depth)
    {
        if (depth > 40) throw new OutputFolderException($"'{path}' has too many levels of symbolic links");
        var root = Path.GetPathRoot(path)!;
        var current = root;
        foreach (var part in path[root.Length..].Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } final)
                next = Resolve(final.FullName, depth + 1);
            current = next;
        }
        return current;
    }

    private const int AtCurrentFolder = -100;
    private const uint RenameExchange = 2;

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int oldFolder, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newFolder, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);

    /// <summary>Swaps two folders in one step (Linux renameat2 with RENAME_EXCHANGE); false where the system or file system has no such call.</summary>
    private static bool Exchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            if (RenameAt2(AtCurrentFolder, a, AtCurrentFolder, b, RenameExchange) == 0) return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
        var errno = Marshal.GetLastPInvokeError();
        // EINVAL, ENOSYS, EOPNOTSUPP: this kernel or file system cannot exchange.
        if (errno is 22 or 38 or 95) return false;
        throw new IOException($"could not swap '{a}' and '{b}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }
}

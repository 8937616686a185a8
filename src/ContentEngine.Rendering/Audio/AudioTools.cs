namespace ContentEngine.Rendering.Audio;

/// <summary>
/// Finds the command-line programs the audio bundle runs, and says in one line what is missing and how to install it.
/// Nothing here starts a process: a program counts as present when an executable file of its name is on the search path.
/// </summary>
public static class AudioTools
{
    public const string Ffmpeg = "ffmpeg";
    public const string Ffprobe = "ffprobe";
    public const string EspeakNg = "espeak-ng";

    /// <summary>Every program the default speech engine and audio tool use.</summary>
    public static IReadOnlyList<string> All { get; } = [Ffmpeg, Ffprobe, EspeakNg];

    /// <summary>
    /// Null when ffmpeg, ffprobe and espeak-ng are all installed; otherwise one line such as
    /// <c>ffmpeg is missing; install it with: sudo apt-get install ffmpeg</c>.
    /// </summary>
    /// <param name="searchPath">folders to look in, separated as in PATH; null for the PATH of this process.</param>
    public static string? Check(string? searchPath = null) => Check(All, searchPath);

    /// <summary>Null when every one of <paramref name="tools"/> is installed; otherwise one line naming the missing ones.</summary>
    public static string? Check(IEnumerable<string> tools, string? searchPath = null)
    {
        var missing = Missing(tools, searchPath);
        return missing.Count == 0 ? null : Describe(missing);
    }

    /// <summary>The programs among <paramref name="tools"/> that are not on the search path, in the order given.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<string> tools, string? searchPath = null) =>
        tools.Distinct(StringComparer.Ordinal).Where(t => Find(t, searchPath) is null).ToList();

    /// <summary>The full path of the executable <paramref name="tool"/> on the search path, or null.</summary>
    public static string? Find(string tool, string? searchPath = null)
    {
        var path = searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var windows = OperatingSystem.IsWindows();
        var names = windows ? new[] { tool + ".exe", tool } : [tool];
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var name in names)
            {
                string candidate;
                try
                {
                    candidate = Path.GetFullPath(Path.Combine(folder.Trim('"'), name));
                }
                catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
                {
                    continue;
                }
                if (File.Exists(candidate) && (windows || IsExecutable(candidate))) return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// One line naming the missing programs and how to install them:
    /// <c>ffmpeg and espeak-ng are missing; install them with: sudo apt-get install ffmpeg espeak-ng</c>.
    /// </summary>
    public static string Describe(IReadOnlyList<string> missing)
    {
        if (missing.Count == 0) throw new ArgumentException("Nothing is missing.", nameof(missing));
        var names = missing.Count == 1 ? missing[0]
            : string.Join(", ", missing.Take(missing.Count - 1)) + " and " + missing[^1];
        var packages = string.Join(' ', missing.Select(Package).Distinct(StringComparer.Ordinal));
        var (verb, them) = missing.Count == 1 ? ("is", "it") : ("are", "them");
        string how;
        if (OperatingSystem.IsMacOS()) how = $"install {them} with: brew install {packages}";
        else if (OperatingSystem.IsWindows()) how = $"install {packages} and add {them} to PATH";
        else how = $"install {them} with: sudo apt-get install {packages}";
        return $"{names} {verb} missing; {how}";
    }

    /// <summary>The package that provides a program: ffprobe comes with ffmpeg.</summary>
    private static string Package(string tool) => tool switch
    {
        Ffprobe => Ffmpeg,
        _ => tool,
    };

    private static bool IsExecutable(string file)
    {
        if (OperatingSystem.IsWindows()) return true;
        try
        {
            const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            return (File.GetUnixFileMode(file) & anyExecute) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

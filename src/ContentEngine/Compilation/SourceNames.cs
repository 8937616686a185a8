using ContentEngine.Diagnostics;

namespace ContentEngine.Compilation;

/// <summary>
/// Where the compiler reads Markdown sources (<c>modules/*.md</c>, <c>worksheets/*.md</c>), and the near misses a
/// person makes in them: a file named <c>.MD</c>, <c>.markdown</c> or <c>.md.txt</c>, a folder named <c>module/</c>
/// or <c>Worksheets/</c>. A near miss is read as the file it was meant to be, and reported once.
/// </summary>
internal static class SourceNames
{
    /// <summary>The folders of Markdown sources.</summary>
    public static readonly string[] Folders = ["modules", "worksheets"];

    /// <summary>Other folders of a program: never taken for a misspelt source folder.</summary>
    private static readonly string[] OtherFolders = ["media", "translations", "snippets"];

    /// <summary>Endings of Markdown files, longest first; compared without regard to case.</summary>
    private static readonly string[] MarkdownEndings = [".markdown.txt", ".md.txt", ".markdown", ".mdown", ".mkdn", ".mkd", ".md"];

    /// <summary>
    /// The path a source file should have ("modules/values.md" for "module/values.MD"), or null when the file is no
    /// Markdown source of modules/ or worksheets/. A path that is right is its own canonical path.
    /// </summary>
    public static string? Canonical(string path)
    {
        var slash = path.IndexOf('/');
        if (slash <= 0 || FolderMeant(path[..slash]) is not { } folder) return null;
        var rest = path[(slash + 1)..];
        if (Path.GetFileName(rest).StartsWith('.')) return null;
        var ending = MarkdownEndings.FirstOrDefault(e => rest.Length > e.Length && rest.EndsWith(e, StringComparison.OrdinalIgnoreCase));
        return ending is null ? null : $"{folder}/{rest[..^ending.Length]}.md";
    }

    /// <summary>The source folder a folder at the program's top was meant to be (itself when it is one), or null.</summary>
    public static string? FolderMeant(string name)
    {
        if (Folders.Contains(name, StringComparer.Ordinal)) return name;
        if (OtherFolders.Contains(name, StringComparer.OrdinalIgnoreCase)) return null;
        var lower = name.ToLowerInvariant();
        var ranked = Folders.Select(f => (Folder: f, Distance: Suggestions.Distance(lower, f))).OrderBy(f => f.Distance).ToList();
        return ranked[0].Distance <= 2 && ranked[0].Distance < ranked[1].Distance ? ranked[0].Folder : null;
    }

    /// <summary>The program-relative paths of the sources of <paramref name="folder"/>: its own and those of near misses, in ordinal order.</summary>
    public static string[] List(string root, string folder)
    {
        if (!Directory.Exists(root)) return [];
        return [.. Directory.EnumerateDirectories(root)
            .Where(d => FolderMeant(Path.GetFileName(d)) == folder)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(p => Canonical(p) is not null)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Reports each source that is not where or as the compiler reads it: a folder once, at its first file; a file name per file.</summary>
    public static void ReportNearMisses(IEnumerable<string> paths, DiagnosticBag diagnostics)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (Canonical(path) is not { } canonical || canonical == path) continue;
            var folder = path[..path.IndexOf('/')];
            var meant = canonical[..canonical.IndexOf('/')];
            var at = new Text.SourceLocation(path, 0, 0, 0);
            if (folder != meant)
            {
                if (folders.Add(folder))
                    diagnostics.Report(DiagnosticDescriptors.SourceNotRead, at, $"{meant}/*.md", $"the files in the folder '{folder}/'", $"rename the folder to '{meant}'");
            }
            else
                diagnostics.Report(DiagnosticDescriptors.SourceNotRead, at, $"{meant}/*.md (names ending in '.md', in lower case)", $"'{path}'", $"rename it to '{canonical}'");
        }
    }
}

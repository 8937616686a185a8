using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ContentEngine.Tests;

/// <summary>
/// A PDF on disk, read from outside the renderer with poppler's tools (pdftotext, pdfinfo, pdffonts,
/// pdftoppm), each run as a process.
/// </summary>
public sealed partial class PrintPdf(string path)
{
    public string Path { get; } = path;

    private string[]? _pages;
    private readonly ConcurrentDictionary<int, string> _single = new();

    /// <summary>The text of every page (pdftotext in reading order; pages split at its form feeds); index 0 is page 1.</summary>
    public IReadOnlyList<string> Pages => _pages ??= ReadPages();

    private string[] ReadPages()
    {
        var pages = Run("pdftotext", "-enc", "UTF-8", Path, "-").Split('\f');
        // pdftotext ends the last page with a form feed too.
        return pages.Length > 1 && pages[^1].Trim().Length == 0 ? pages[..^1] : pages;
    }

    /// <summary>One page's text from its own <c>pdftotext -f N -l N</c>.</summary>
    public string PageAlone(int page) => _single.GetOrAdd(page, p =>
        Run("pdftotext", "-enc", "UTF-8", "-f", Num(p), "-l", Num(p), Path, "-").TrimEnd('\f'));

    /// <summary>
    /// One page's text in the order it is drawn (<c>pdftotext -raw</c>), normalised: a table's cells and a
    /// row of numbers come out whole, where the reading order mixes neighbouring columns' lines.
    /// </summary>
    public string RawPage(int page) => _raw.GetOrAdd(page, p =>
        Normalize(Run("pdftotext", "-enc", "UTF-8", "-raw", "-f", Num(p), "-l", Num(p), Path, "-").TrimEnd('\f')));

    private readonly ConcurrentDictionary<int, string> _raw = new();

    /// <summary>The page's first line of text: its running header, if it has one.</summary>
    public static string FirstLine(string page) =>
        page.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? string.Empty;

    private static string LastLine(string page) =>
        page.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? string.Empty;

    /// <summary>The page's number as printed in its footer, or null.</summary>
    public static int? FooterNumber(string page) =>
        int.TryParse(LastLine(page), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>A page without its running header and page number (when it has a page number), normalised.</summary>
    public static string Body(string page)
    {
        var lines = page.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count >= 2 && FooterNumber(page) is not null)
            lines = lines[1..^1];
        return Normalize(string.Join("\n", lines));
    }

    /// <summary>All the text of the document that is not page furniture, normalised, pages joined by a space.</summary>
    public string BodyText => _body ??= string.Join(" ", Pages.Select(Body));

    private string? _body;

    /// <summary>
    /// Whitespace (line breaks from wrapping, no-break spaces) as single spaces; soft hyphens dropped, and
    /// a word wrapped after its own hyphen ("long-" at the end of a line, "term" on the next) joined again.
    /// </summary>
    public static string Normalize(string text) =>
        Whitespace().Replace(WrappedAtHyphen().Replace(text.Replace("\u00AD", string.Empty, StringComparison.Ordinal), string.Empty), " ").Trim();

    [GeneratedRegex(@"[\s\u00A0\u202F]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(?<=\w-)[ \t]*\r?\n\s*(?=\w)")]
    private static partial Regex WrappedAtHyphen();

    public static int Count(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    // ---- pdfinfo, pdffonts ----

    /// <summary>The size in points of every page, from <c>pdfinfo -f 1 -l N</c>.</summary>
    public IReadOnlyList<(double Width, double Height)> PageSizes()
    {
        var pages = int.Parse(PagesLine().Match(Run("pdfinfo", Path)).Groups[1].Value, CultureInfo.InvariantCulture);
        var info = Run("pdfinfo", "-f", "1", "-l", Num(pages), Path);
        return [.. PageSize().Matches(info).Select(m => (
            double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))];
    }

    [GeneratedRegex(@"^Pages:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex PagesLine();

    [GeneratedRegex(@"^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", RegexOptions.Multiline)]
    private static partial Regex PageSize();

    /// <summary>The fonts <c>pdffonts</c> lists, with its "emb" column.</summary>
    public IReadOnlyList<(string Name, bool Embedded)> Fonts()
    {
        var lines = Run("pdffonts", Path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // name, type (may contain spaces), encoding, emb, sub, uni, object number, generation: read from the right.
        return [.. lines.Skip(2).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(t => t.Length >= 7)
            .Select(t => (t[0], t[^5] == "yes"))];
    }

    // ---- pdftoppm, pdftotext -bbox ----

    /// <summary>A page as an 8-bit gray raster from <c>pdftoppm -r dpi -gray</c>.</summary>
    public GrayImage Raster(int page, int dpi)
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ce-raster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var prefix = System.IO.Path.Combine(folder, "page");
            Run("pdftoppm", "-r", Num(dpi), "-gray", "-f", Num(page), "-l", Num(page), "-singlefile", Path, prefix);
            return GrayImage.ReadPgm(File.ReadAllBytes(prefix + ".pgm"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The words of a page with their boxes in points from the top left (<c>pdftotext -bbox</c>).</summary>
    public IReadOnlyList<(string Text, double XMin, double YMin, double XMax, double YMax)> Words(int page)
    {
        var html = Run("pdftotext", "-enc", "UTF-8", "-bbox", "-f", Num(page), "-l", Num(page), Path, "-");
        return [.. Word().Matches(html).Select(m => (
            System.Net.WebUtility.HtmlDecode(m.Groups[5].Value),
            double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)))];
    }

    [GeneratedRegex("""<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>""")]
    private static partial Regex Word();

    // ---- processes ----

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs a tool with arguments (no shell) and returns its standard output; fails on a non-zero exit code.</summary>
    public static string Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr.Result}");
        return stdout;
    }
}

using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace ContentEngine.Web.Tests;

/// <summary>
/// The Nu Html Checker (vnu, the W3C's validator: <c>vnu-jar</c> from npm, run with Java) finds no
/// error on any page of the sample's web bundle: the root page and every page of both locales.
/// <c>./build.sh test</c> installs it into out/vnu/ (ignored by git); CONTENTENGINE_VNU names another vnu.jar.
/// In the browser tests' collection, though it needs no browser: a minute of Java beside them would
/// upset the timing of the preview's live-reload tests on a small machine.
/// </summary>
[Collection("browser")]
public sealed class HtmlCheckerTests(WebBundleFixture bundle, ITestOutputHelper output) : IClassFixture<WebBundleFixture>
{
    /// <summary>Where <c>./build.sh test</c> installs the checker.</summary>
    public static string InstalledJar => TestPaths.Repo("out", "vnu", "node_modules", "vnu-jar", "build", "dist", "vnu.jar");

    private const string Install =
        "install it with `./build.sh test` (or `npm install --prefix out/vnu --ignore-scripts vnu-jar@26.9.27` in the repository), or set CONTENTENGINE_VNU to a vnu.jar";

    private static string Jar()
    {
        var jar = Environment.GetEnvironmentVariable("CONTENTENGINE_VNU") is { Length: > 0 } path ? path : InstalledJar;
        Assert.True(File.Exists(jar), $"The Nu Html Checker is missing ({jar}): {Install}.");
        return jar;
    }

    /// <summary>Runs vnu on the files and gives its messages, each as (file, line, type, text).</summary>
    private List<(string File, int Line, string Type, string Message)> Check(IEnumerable<string> files)
    {
        var info = new ProcessStartInfo("java") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-jar", Jar(), "--format", "json", "--stdout", "--exit-zero-always", "--skip-info-messages" }) info.ArgumentList.Add(a);
        foreach (var f in files) info.ArgumentList.Add(f);
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"Java is needed to run the Nu Html Checker and could not be started ({e.Message}): install it with `apt-get install default-jre-headless`.");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "the Nu Html Checker did not finish in 5 minutes");
            Assert.True(process.ExitCode == 0, $"the Nu Html Checker failed (exit code {process.ExitCode}): {stderr.Result}");
            using var json = JsonDocument.Parse(stdout.Result);
            return [.. json.RootElement.GetProperty("messages").EnumerateArray().Select(m => (
                File: m.TryGetProperty("url", out var url) ? LocalPath(url.GetString()!) : "",
                Line: m.TryGetProperty("lastLine", out var line) ? line.GetInt32() : 0,
                Type: m.GetProperty("type").GetString()! + (m.TryGetProperty("subType", out var sub) ? "/" + sub.GetString() : ""),
                Message: m.GetProperty("message").GetString()!))];
        }
    }

    /// <summary>The file of vnu's "file:/tmp/x.html" (one slash), as a path.</summary>
    private static string LocalPath(string url)
    {
        if (!url.StartsWith("file:", StringComparison.Ordinal)) return url;
        var path = url["file:".Length..];
        while (path.StartsWith("//", StringComparison.Ordinal)) path = path[1..];
        return Path.GetFullPath(Uri.UnescapeDataString(path));
    }

    [Fact]
    public void TheCheckerFindsNoErrorOnAnyPageAndFindsOneThatIsPlanted()
    {
        var pages = bundle.HtmlPages().ToList();
        Assert.Contains("index.html", pages);
        foreach (var locale in bundle.Locales)
        {
            Assert.Contains($"{locale}/index.html", pages);
            Assert.Contains($"{locale}/search.html", pages);
            Assert.Contains($"{locale}/aftercare.html", pages);
            Assert.Equal(bundle.Graph.Modules.Length, pages.Count(p => p.StartsWith($"{locale}/modules/", StringComparison.Ordinal)));
            Assert.Equal(bundle.Graph.Worksheets.Length, pages.Count(p => p.StartsWith($"{locale}/worksheets/", StringComparison.Ordinal)));
        }

        // A page with the mistake the checker once found in the bundle (aria-required on a range input) shows it sees errors.
        using var temp = new TestPaths.TempFolder();
        var planted = temp.File("planted.html", File.ReadAllText(Path.Combine(bundle.Folder, "en", "worksheets", "health-check.html"))
            .Replace("type=\"range\"", "type=\"range\" aria-required=\"true\"", StringComparison.Ordinal));

        var files = pages.Select(p => Path.Combine(bundle.Folder, p.Replace('/', Path.DirectorySeparatorChar))).Append(planted).ToList();
        var messages = Check(files);
        foreach (var m in messages.Where(m => m.Type.StartsWith("info", StringComparison.Ordinal) || m.Type == "warning"))
            output.WriteLine($"{m.File}:{m.Line}: {m.Type}: {m.Message}");

        Assert.Contains(messages, m => m.File == planted && m.Type == "error" && m.Message.Contains("aria-required", StringComparison.Ordinal));
        var errors = messages.Where(m => m.File != planted && m.Type is not ("info" or "info/warning")).Select(m =>
            $"{Path.GetRelativePath(bundle.Folder, m.File)}:{m.Line}: {m.Type}: {m.Message}").ToList();
        Assert.True(errors.Count == 0, $"the Nu Html Checker reports {errors.Count} errors on {files.Count - 1} pages:\n" + string.Join("\n", errors));
    }
}

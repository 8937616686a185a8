using System.Diagnostics;
using ContentEngine.Cli.Preview;

// PreviewEdit <program folder> [edits]: builds the preview once, then edits one module's body again
// and again, timing each rebuild (compile + render of what the edit touches), and prints the median.
if (args.Length < 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: PreviewEdit <program folder> [edits]");
    return 2;
}
var edits = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15;
var builder = new PreviewBuilder(args[0]);
var sw = Stopwatch.StartNew();
var first = builder.Build(compile: true, reloadTheme: true, changedFiles: []);
Console.WriteLine($"first build: {sw.Elapsed.TotalMilliseconds:0} ms, {first.BundleFiles} files, {first.Snapshot.Errors.Length} errors");
var module = Directory.EnumerateFiles(Path.Combine(args[0], "modules"), "*.md").Order(StringComparer.Ordinal).Skip(1).First();
var original = File.ReadAllText(module);
var times = new List<double>();
try
{
    for (var i = 0; i < edits; i++)
    {
        File.WriteAllText(module, original + $"\nAn edited paragraph, version {i}.\n");
        // As serve does: its watcher names the file that changed.
        var report = builder.Build(compile: true, reloadTheme: false, changedFiles: [Path.GetRelativePath(args[0], module).Replace('\\', '/')], changesComplete: true);
        if (!report.Snapshot.Files.Keys.Any(k => k.Contains(Path.GetFileNameWithoutExtension(module), StringComparison.Ordinal)))
            throw new InvalidOperationException("the edited module's page is missing");
        times.Add(report.Total.TotalMilliseconds);
        if (Environment.GetEnvironmentVariable("PREVIEW_EDIT_DETAIL") == "1") Console.WriteLine($"  compile {report.Compile.TotalMilliseconds:0} ms, render {report.Render.TotalMilliseconds:0} ms, {report.RenderedFiles} files rendered");
        if (builder.NeedsVerify) builder.Verify();
    }
}
finally
{
    File.WriteAllText(module, original);
}
times.Sort();
Console.WriteLine($"one-module edit rebuilt: median {times[times.Count / 2]:0.0} ms (min {times[0]:0.0}, max {times[^1]:0.0}) over {edits} edits");
return 0;

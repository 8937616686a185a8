using System.Diagnostics;
using System.Text;
using ContentEngine.Cli;

namespace ContentEngine.Tests;

/// <summary>
/// <c>build -o</c> replaces only an earlier output (or an empty or new folder), never the program or a folder above
/// it; a partial build keeps the other parts; a build killed at any step of the swap leaves the old output or the
/// new one, and the next build clears what it left.
/// </summary>
public sealed class OutputFolderTests
{
    private static async Task<(int Code, string Err)> Run(params string[] args)
    {
        var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(args, new StringWriter(), stderr);
        return (code, stderr.ToString());
    }

    /// <summary>A one-module program in <c>prog/</c> of a fresh folder.</summary>
    private static TestPaths.TempFolder Program(string id = "p", string text = "Short.")
    {
        var t = new TestPaths.TempFolder();
        WriteProgram(t, id, text);
        return t;
    }

    private static void WriteProgram(TestPaths.TempFolder t, string id, string text)
    {
        t.File("prog/program.yaml", $"id: {id}\nversion: 1.0.0\ntitle: P\nlocales: [en]\nphases:\n  - id: main\n    title: Main\n    weeks: 2\n");
        t.File("prog/modules/b.md", $"---\ntitle: B\nphase: main\nweek: 1\n---\n{text}\n");
    }

    /// <summary>Every file under a folder with its text, by relative path: a snapshot to compare.</summary>
    private static SortedDictionary<string, string> Snapshot(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllText), StringComparer.Ordinal);

    private static string OneLine(string err)
    {
        var line = Assert.Single(err.TrimEnd().Split('\n'));
        Assert.StartsWith("contentengine: ", line);
        return line;
    }

    [Fact]
    public async Task DotInAFolderWithOtherFilesAndGitIsRefusedAndNothingIsDeleted()
    {
        using var t = Program();
        var work = Path.Combine(t.Path, "work");
        t.File("work/README.md", "mine");
        t.File("work/.git/HEAD", "ref: refs/heads/main\n");
        var before = Snapshot(work);
        // '.' means the current folder, so the command runs as its own process with its own working folder.
        var (code, _, err) = await RunCli(work, "build", Path.Combine(t.Path, "prog"), "--graph", "-o", ".");
        Assert.Equal(2, code);
        Assert.Contains("'.'", OneLine(err));
        Assert.Equal(before, Snapshot(work));
        Assert.Equal([".git", "README.md"], Directory.EnumerateFileSystemEntries(work).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("prog", "is the program folder")]
    [InlineData(".", "holds the program folder")]
    [InlineData("prog/..", "holds the program folder")]
    [InlineData("prog/modules/..", "is the program folder")]
    [InlineData("link", "is the program folder")]
    [InlineData("link/..", "holds the program folder")]
    public async Task TheProgramFolderAndTheFoldersAboveItAreRefused(string output, string reason)
    {
        using var t = Program();
        // A symbolic link to the program: the check compares resolved paths.
        Directory.CreateSymbolicLink(Path.Combine(t.Path, "link"), Path.Combine(t.Path, "prog"));
        var before = Snapshot(t.Path);
        var (code, err) = await Run("build", Path.Combine(t.Path, "prog"), "--graph", "-o", Path.Combine(t.Path, output));
        Assert.Equal(2, code);
        Assert.Contains(reason, OneLine(err));
        Assert.Equal(before, Snapshot(t.Path));
        Assert.Equal(["link", "prog"], Directory.EnumerateFileSystemEntries(t.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AFolderInsideTheProgramMayHoldTheOutput()
    {
        using var t = Program();
        var output = Path.Combine(t.Path, "prog", "out");
        var (code, err) = await Run("build", Path.Combine(t.Path, "prog"), "--graph", "-o", output);
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(output, "graph.json")));
        Assert.True(File.Exists(Path.Combine(t.Path, "prog", "program.yaml")));
    }

    [Fact]
    public async Task AFolderWithOtherFilesIsRefusedAndNamesThem()
    {
        using var t = Program();
        t.File("out/notes.txt", "mine");
        t.File("out/web/index.html", "my own site");
        var before = Snapshot(t.Path);
        var (code, err) = await Run("build", Path.Combine(t.Path, "prog"), "--graph", "-o", Path.Combine(t.Path, "out"));
        Assert.Equal(2, code);
        var line = OneLine(err);
        Assert.Contains("'notes.txt', 'web'", line);
        Assert.Contains(OutputFolder.MarkerName, line);
        Assert.Equal(before, Snapshot(t.Path));
        Assert.Equal(["out", "prog"], Directory.EnumerateFileSystemEntries(t.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AFileIsRefused()
    {
        using var t = Program();
        var file = t.File("out", "mine");
        var (code, err) = await Run("build", Path.Combine(t.Path, "prog"), "--graph", "-o", file);
        Assert.Equal(2, code);
        Assert.Contains("is a file", OneLine(err));
        Assert.Equal("mine", File.ReadAllText(file));
    }

    [Fact]
    public async Task AnEmptyFolderTakesTheOutputAndItsMarker()
    {
        using var t = Program();
        var output = Path.Combine(t.Path, "out");
        Directory.CreateDirectory(output);
        var (code, err) = await Run("build", Path.Combine(t.Path, "prog"), "--graph", "-o", output);
        Assert.True(code == 0, err);
        Assert.Equal([OutputFolder.MarkerName, "graph.json"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("program: p\n", File.ReadAllText(Path.Combine(output, OutputFolder.MarkerName)));
        Assert.Equal(["out", "prog"], Directory.EnumerateFileSystemEntries(t.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FilesPutIntoTheFolderWhileTheBuildRunsAreNotReplaced()
    {
        using var t = Program();
        var output = Path.Combine(t.Path, "out");
        Directory.CreateDirectory(output);
        try
        {
            OutputFolder.Fault = s =>
            {
                if (s == OutputStep.Written) File.WriteAllText(Path.Combine(output, "late.txt"), "mine");
            };
            var e = Assert.Throws<OutputFolderException>(() => OutputFolder.Replace(output, Path.Combine(t.Path, "prog"), "p", null, Writer("new")));
            Assert.Contains("'late.txt'", e.Message);
        }
        finally
        {
            OutputFolder.Fault = null;
        }
        Assert.Equal(["late.txt"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName));
        Assert.Equal(["out", "prog"], Directory.EnumerateFileSystemEntries(t.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AMarkedEarlierOutputIsReplacedWhole()
    {
        using var t = Program();
        var output = Path.Combine(t.Path, "out");
        var program = Path.Combine(t.Path, "prog");
        OutputFolder.Replace(output, program, "p", null, w => File.WriteAllText(Path.Combine(w, "old.txt"), "old"));
        File.WriteAllText(Path.Combine(output, "added-later.txt"), "x");
        OutputFolder.Replace(output, program, "p", null, w => File.WriteAllText(Path.Combine(w, "new.txt"), "new"));
        Assert.Equal([OutputFolder.MarkerName, "new.txt"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["out", "prog"], Directory.EnumerateFileSystemEntries(t.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task APartialBuildReplacesItsOwnPartsAndKeepsTheOthers()
    {
        using var t = Program(text: "First text.");
        var program = Path.Combine(t.Path, "prog");
        var output = Path.Combine(t.Path, "out");
        var (code, err) = await Run("build", program, "--graph", "--web", "--package", "-o", output);
        Assert.True(code == 0, err);
        // Print and audio stand in for the slow bundles of a full build.
        t.File("out/print/en/workbook.pdf", "a workbook");
        t.File("out/audio/en/b.mp3", "a track");
        var before = Snapshot(output);
        Assert.Contains("First text.", before["web/en/modules/b.html"]);

        WriteProgram(t, "p", "Second text.");
        (code, err) = await Run("build", program, "--web", "-o", output);
        Assert.True(code == 0, err);
        var after = Snapshot(output);
        Assert.Contains("Second text.", after["web/en/modules/b.html"]);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var kept in new[] { "graph.json", "p-1.0.0.cepkg", "print/en/workbook.pdf", "audio/en/b.mp3" })
            Assert.Equal(before[kept], after[kept]);
        Assert.Equal(["out", "prog"], Directory.EnumerateFileSystemEntries(t.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // Another program's output is replaced whole, even by a partial build.
        using var other = Program(id: "q");
        (code, err) = await Run("build", Path.Combine(other.Path, "prog"), "--graph", "-o", output);
        Assert.True(code == 0, err);
        Assert.Equal([OutputFolder.MarkerName, "graph.json"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("program: q\n", File.ReadAllText(Path.Combine(output, OutputFolder.MarkerName)));
    }

    public static TheoryData<bool, string> KillPoints()
    {
        var data = new TheoryData<bool, string>();
        foreach (var exchange in new[] { true, false })
            foreach (var step in new[] { "Writing" }.Concat(Enum.GetNames<OutputStep>()))
                data.Add(exchange, step);
        return data;
    }

    /// <summary>The output's state: "old", "new", "next", or null when the path holds nothing.</summary>
    private static string? State(string output)
    {
        if (!Directory.Exists(output)) return null;
        Assert.True(File.Exists(Path.Combine(output, OutputFolder.MarkerName)));
        var graph = File.ReadAllText(Path.Combine(output, "graph.json"));
        Assert.Equal(graph, File.ReadAllText(Path.Combine(output, "web", "index.html")));
        return graph;
    }

    private static Action<string> Writer(string state, bool dieHalfway = false) => w =>
    {
        File.WriteAllText(Path.Combine(w, "graph.json"), state);
        if (dieHalfway) throw new OutputFolder.Killed();
        Directory.CreateDirectory(Path.Combine(w, "web"));
        File.WriteAllText(Path.Combine(w, "web", "index.html"), state);
    };

    [Theory]
    [MemberData(nameof(KillPoints))]
    public void AKillAtAnyStepLeavesTheOldOrTheNewOutputAndTheNextBuildClearsUp(bool exchange, string step)
    {
        using var t = Program();
        var program = Path.Combine(t.Path, "prog");
        var output = Path.Combine(t.Path, "out");
        OutputFolder.Replace(output, program, "p", null, Writer("old"));
        var seen = new List<OutputStep>();
        var died = false;
        try
        {
            OutputFolder.NoExchange = !exchange;
            OutputFolder.Fault = s =>
            {
                seen.Add(s);
                if (s.ToString() == step) throw new OutputFolder.Killed();
            };
            OutputFolder.Replace(output, program, "p", null, Writer("new", dieHalfway: step == "Writing"));
        }
        catch (OutputFolder.Killed)
        {
            died = true;
        }
        finally
        {
            OutputFolder.Fault = null;
            OutputFolder.NoExchange = false;
        }
        // An exchange has no step with the old output moved aside: that build runs to its end.
        Assert.Equal(!(exchange && step == nameof(OutputStep.MovedAside)), died);
        // Linux exchanges the folders in one step (renameat2); the test's file system supports it.
        if (OperatingSystem.IsLinux() && seen.Contains(OutputStep.Swapped)) Assert.Equal(!exchange, seen.Contains(OutputStep.MovedAside));

        var expected = step is nameof(OutputStep.Swapped) or nameof(OutputStep.Cleaned) || (exchange && step == nameof(OutputStep.MovedAside)) ? "new" : "old";
        if (!exchange && step == nameof(OutputStep.MovedAside))
            Assert.Null(State(output)); // Between two renames: only the next build's recovery brings the old output back.
        else
            Assert.Equal(expected, State(output));

        OutputFolder.Recover(OutputFolder.Resolve(output));
        Assert.Equal(expected, State(output));
        Assert.Equal(["out", "prog"], Directory.EnumerateFileSystemEntries(t.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        OutputFolder.Replace(output, program, "p", null, Writer("next"));
        Assert.Equal("next", State(output));
        Assert.Equal(["out", "prog"], Directory.EnumerateFileSystemEntries(t.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheNextBuildRemovesLeftoversButNotOthersNorOneStillBeingWritten()
    {
        using var t = Program();
        var program = Path.Combine(t.Path, "prog");
        var output = Path.Combine(t.Path, "out");
        OutputFolder.Replace(output, program, "p", null, Writer("old"));
        t.File($".out.tmp-{Guid.NewGuid():N}/graph.json", "half");
        t.File($".out.old-{Guid.NewGuid():N}/graph.json", "older");
        t.File(".out.tmp-mine/notes.txt", "not a leftover");
        t.File($".other.old-{Guid.NewGuid():N}/notes.txt", "not beside this output");
        var running = $".out.tmp-{Guid.NewGuid():N}";
        var marker = t.File($"{running}/{OutputFolder.MarkerName}", "program: p\n");
        using (new FileStream(marker, FileMode.Open, FileAccess.Read, FileShare.None))
        {
            OutputFolder.Replace(output, program, "p", null, Writer("new"));
            Assert.True(Directory.Exists(Path.Combine(t.Path, running)));
        }
        Assert.Equal("new", State(output));
        Assert.Equal(new[] { ".other.old-", ".out.tmp-mine", "out", "prog", running }.Order(StringComparer.Ordinal),
            Directory.EnumerateFileSystemEntries(t.Path).Select(e => Path.GetFileName(e)!).Select(n => n.StartsWith(".other.old-", StringComparison.Ordinal) ? ".other.old-" : n).Order(StringComparer.Ordinal));

        // Without its output, the newest old copy comes back.
        Directory.Delete(output, recursive: true);
        var older = t.File($".out.old-{Guid.NewGuid():N}/graph.json", "older");
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(older)!, DateTime.UtcNow.AddHours(-1));
        var newer = t.File($".out.old-{Guid.NewGuid():N}/graph.json", "newer");
        OutputFolder.Recover(OutputFolder.Resolve(output));
        Assert.Equal("newer", File.ReadAllText(Path.Combine(output, "graph.json")));
        Assert.False(Directory.Exists(Path.GetDirectoryName(older)));
        Assert.False(Directory.Exists(Path.GetDirectoryName(newer)));
    }

    [Fact]
    public async Task AFullDiskIsOneLineAndExitCode2AndTheEarlierOutputStays()
    {
        using var t = Program();
        var program = Path.Combine(t.Path, "prog");
        var output = Path.Combine(t.Path, "out");
        var (code, err) = await Run("build", program, "--graph", "--web", "-o", output);
        Assert.True(code == 0, err);
        var before = Snapshot(output);
        foreach (var at in new[] { OutputStep.Created, OutputStep.Written, OutputStep.Kept })
        {
            try
            {
                // As .NET reports ENOSPC on Linux; a parallel writer wraps it in an AggregateException.
                OutputFolder.Fault = s =>
                {
                    if (s == at) throw new AggregateException(new IOException($"No space left on device : '{output}/web/en/index.html'", 28));
                };
                (code, err) = await Run("build", program, "--web", "-o", output);
            }
            finally
            {
                OutputFolder.Fault = null;
            }
            Assert.Equal(2, code);
            Assert.Equal($"contentengine: the disk is full while writing '{output}'; nothing was replaced (free some space and build again)", OneLine(err));
            Assert.Equal(before, Snapshot(output));
            Assert.Equal(["out", "prog"], Directory.EnumerateFileSystemEntries(t.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData(28, "No space left on device : '/x'", true)]
    [InlineData(unchecked((int)0x80070070), "There is not enough space on the disk.", true)]
    [InlineData(unchecked((int)0x80131620), "Failed to create '/x' with allocation size '237244' because the disk was full.", true)]
    [InlineData(13, "Access to the path is denied.", false)]
    public void TheDiskIsFullOnlyWhenTheSystemSaysSo(int code, string message, bool full)
    {
        Assert.Equal(full, OutputFolder.IsDiskFull(new IOException(message, code)));
        Assert.Equal(full, OutputFolder.IsDiskFull(new InvalidOperationException("wrapped", new IOException(message, code))));
    }

    [Fact]
    public async Task ABuildKilledWhileItWritesLeavesTheOldOutputAndTheNextBuildClearsUp()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        using var t = new TestPaths.TempFolder();
        var sample = TestPaths.Repo("content", "iact-chronic-pain");
        var output = Path.Combine(t.Path, "out");
        var (code, err) = await Run("build", sample, "--graph", "-o", output);
        Assert.True(code == 0, err);
        var before = Snapshot(output);

        using var process = CliProcess.Start(t.Path, "build", sample, "--web", "-o", output);
        var watch = Stopwatch.StartNew();
        var killed = false;
        while (!process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(1))
        {
            // The new output's folder exists: the build is writing it.
            if (Directory.EnumerateDirectories(t.Path, ".out.tmp-*").Any(d => Directory.Exists(Path.Combine(d, "web"))))
            {
                process.Kill(); // SIGKILL: no clean-up runs.
                killed = true;
                break;
            }
            Thread.Sleep(5);
        }
        process.WaitForExit();
        Assert.True(killed, "the build ended before it could be killed");
        // The old output, or (killed in the instant after the swap) the new one, which keeps graph.json.
        var after = Snapshot(output);
        Assert.True(after.SequenceEqual(before) || after.Keys.Any(k => k.StartsWith("web/", StringComparison.Ordinal)), string.Join(", ", after.Keys));
        Assert.Equal(before["graph.json"], after["graph.json"]);
        Assert.NotEmpty(Directory.EnumerateDirectories(t.Path, ".out.*"));

        (code, err) = await Run("build", sample, "--graph", "-o", output);
        Assert.True(code == 0, err);
        Assert.Equal(before, Snapshot(output));
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(t.Path).Select(Path.GetFileName));
    }

    private static async Task<(int Code, string Out, string Err)> RunCli(string folder, params string[] args)
    {
        using var process = CliProcess.Start(folder, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await stdout, await stderr);
    }
}

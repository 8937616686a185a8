using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Translation;

namespace ContentEngine.Tests;

/// <summary>
/// Files of a program that are links to outside its folder are not read, sources as media (CE0405).
/// Git cannot keep links on every system, so each test makes its program in a temporary folder.
/// </summary>
public sealed class LinkedSourceTests : IDisposable
{
    private readonly TestPaths.TempFolder _temp = new();

    public LinkedSourceTests()
    {
        Copy(TestPaths.Repo("docs", "diagnostics", "example-base"), Program);
        _temp.File("elsewhere/sleep.md", "---\nid: sleep\ntitle: Sleep\nphase: treatment\nweek: 3\n---\n\nRead from outside.\n");
        _temp.File("elsewhere/shared/extra.md", "---\nid: extra\ntitle: Extra\nphase: treatment\nweek: 3\n---\n\nRead from outside.\n");
        _temp.File("elsewhere/diary.md", "---\nid: diary\ntitle: Diary\nkind: form\nfields:\n  - id: note\n    type: text\n    label: Note\n---\n");
        _temp.File("elsewhere/theme.yaml", "primary_color: \"#1d5b79\"\n");
        _temp.File("elsewhere/program.yaml", File.ReadAllText(Path.Combine(Program, "program.yaml")));
        _temp.File("elsewhere/pictures/chart.png", "(stands in for a picture)");
        _temp.File("elsewhere/en.json", "{}");
    }

    public void Dispose() => _temp.Dispose();

    private string Program => Path.Combine(_temp.Path, "program");

    private string Elsewhere(string name) => Path.Combine(_temp.Path, "elsewhere", name);

    private void Link(string programPath, string target, bool folder = false)
    {
        var full = Path.Combine(Program, programPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        if (folder) Directory.CreateSymbolicLink(full, target);
        else File.CreateSymbolicLink(full, target);
    }

    private static string[] Compile(string folder) =>
        [.. ProgramCompiler.Compile(folder, new CompilerOptions { Today = new DateOnly(2026, 6, 1) }).Diagnostics.Select(d => DiagnosticFormatter.Plain([d]).TrimEnd())];

    private static string Refused(string programPath) =>
        $"{programPath}: error CE0405: The path '{programPath}' leaves the program folder; {AssetResolver.CopyLinkedSource}";

    [LinksFact]
    public void SourcesLinkedFromOutsideAreRefusedAtTheFileAndNotRead()
    {
        Link("modules/sleep.md", Elsewhere("sleep.md"));                               // absolute target
        Link("modules/shared", Path.Combine("..", "..", "elsewhere", "shared"), folder: true); // relative, a folder
        Link("worksheets/diary.md", Elsewhere("diary.md"));
        Link("theme.yaml", Path.Combine("..", "elsewhere", "theme.yaml"));

        Assert.Equal(
            [Refused("modules/shared/extra.md"), Refused("modules/sleep.md"), Refused("theme.yaml"), Refused("worksheets/diary.md")],
            Compile(Program));
    }

    [LinksFact]
    public void ALinkedProgramYamlIsRefusedAndNothingElseIsRead()
    {
        File.Delete(Path.Combine(Program, "program.yaml"));
        Link("program.yaml", Elsewhere("program.yaml"));
        Assert.Equal([Refused("program.yaml")], Compile(Program));
    }

    [LinksFact]
    public void MediaInALinkedFolderLeaveTheProgramThoughTheFileIsNotALink()
    {
        Link("media/pictures", Elsewhere("pictures"), folder: true);
        File.AppendAllText(Path.Combine(Program, "modules", "welcome.md"), "\n![A chart](../media/pictures/chart.png)\n");
        Assert.Equal(
            ["modules/welcome.md(12,12): error CE0405: The path '../media/pictures/chart.png' leaves the program folder; keep media inside the program (for example under media/)"],
            Compile(Program));
    }

    [LinksFact]
    public void LinksInsideTheProgramAndAProgramReachedThroughALinkAreFine()
    {
        _temp.File("program/media/chart.png", "(stands in for a picture)");
        Link("media/same-chart.png", "chart.png");
        var welcome = Path.Combine(Program, "modules", "welcome.md");
        _temp.File("program/texts/welcome.md", File.ReadAllText(welcome) + "\n![A chart](../media/same-chart.png)\n\n![The same chart](../media/chart.png)\n");
        File.Delete(welcome);
        Link("modules/welcome.md", Path.Combine("..", "texts", "welcome.md"));
        var alias = Path.Combine(_temp.Path, "alias");
        Directory.CreateSymbolicLink(alias, Program);

        Assert.Empty(Compile(Program));
        Assert.Empty(Compile(alias));
    }

    [LinksFact]
    public void ALinkLoopIsRefusedNotFollowedForever()
    {
        Link("modules/loop.md", "loop-back.md");
        Link("modules/loop-back.md", "loop.md");
        Assert.Equal([Refused("modules/loop-back.md"), Refused("modules/loop.md")], Compile(Program).Where(d => d.Contains("CE0405")));
    }

    [LinksFact]
    public void ATranslationRecordLinkedFromOutsideIsNotRead()
    {
        Link("translations/en.json", Elsewhere("en.json"));
        var bag = new DiagnosticBag();
        Assert.Null(TranslationRecord.Read(Program, "sv", "en", bag));
        Assert.Equal([Refused("translations/en.json")], bag.Items.Select(d => DiagnosticFormatter.Plain([d]).TrimEnd()));
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>A test that needs symbolic links, skipped where the system does not let this user make them.</summary>
    private sealed class LinksFactAttribute : FactAttribute
    {
        public LinksFactAttribute()
        {
            if (!CanLink.Value) Skip = "this system does not let the user make symbolic links";
        }

        private static readonly Lazy<bool> CanLink = new(() =>
        {
            var probe = Path.Combine(Path.GetTempPath(), "ce-link-" + Guid.NewGuid().ToString("N"));
            try
            {
                File.CreateSymbolicLink(probe, Path.GetTempPath());
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
            finally
            {
                File.Delete(probe);
            }
        });
    }
}

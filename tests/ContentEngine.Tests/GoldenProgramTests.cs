using ContentEngine.Compilation;
using ContentEngine.Diagnostics;

namespace ContentEngine.Tests;

/// <summary>
/// Golden tests: every folder under tests/programs is a small program with one thing wrong, and its
/// expected.txt holds exactly the diagnostics the compiler must report for it, in the plain form
/// <c>path(line,col): error CE0123: message</c>, one per line (see <see cref="DiagnosticFormatter.Plain"/>).
///
/// To accept the compiler's current output as the new golden files, run the tests with the
/// environment variable UPDATE_GOLDEN=1, for example
/// <c>UPDATE_GOLDEN=1 dotnet test tests/ContentEngine.Tests --filter GoldenProgramTests</c>:
/// each expected.txt is then rewritten instead of compared. Review the diff before keeping it: a
/// golden file states what the compiler should say, not merely what it says today.
/// </summary>
public class GoldenProgramTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    private static string ProgramsRoot => TestPaths.Repo("tests", "programs");

    private static bool Updating => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var name in CaseNames()) data.Add(name);
        return data;
    }

    private static IEnumerable<string> CaseNames() =>
        Directory.EnumerateDirectories(ProgramsRoot)
            .Select(d => Path.GetFileName(d)!)
            .Order(StringComparer.Ordinal);

    private static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    [Theory]
    [MemberData(nameof(Cases))]
    public void Program_reports_exactly_the_expected_diagnostics(string name)
    {
        var folder = Path.Combine(ProgramsRoot, name);
        var result = ProgramCompiler.Compile(folder, new CompilerOptions { Today = Today });
        var actual = DiagnosticFormatter.Plain(result.Diagnostics);
        var expectedPath = Path.Combine(folder, "expected.txt");

        if (Updating)
        {
            File.WriteAllText(expectedPath, actual);
            return;
        }

        Assert.True(File.Exists(expectedPath), $"{name} has no expected.txt (run with UPDATE_GOLDEN=1 to create it)");
        var expected = Normalize(File.ReadAllText(expectedPath));
        Assert.Equal(expected, Normalize(actual));
    }

    [Fact]
    public void Every_case_has_a_non_empty_expected_file()
    {
        var names = CaseNames().ToList();
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            var expectedPath = Path.Combine(ProgramsRoot, name, "expected.txt");
            Assert.True(File.Exists(expectedPath), $"{name} has no expected.txt");
            var lines = Normalize(File.ReadAllText(expectedPath)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length > 0, $"{name}/expected.txt lists no diagnostics; every case must expect at least one");
            foreach (var line in lines)
                Assert.Matches(@"^[^\s(][^(]*(\(\d+,\d+\))?: (error|warning|note) CE\d{4}: \S.*$", line);
        }
    }
}

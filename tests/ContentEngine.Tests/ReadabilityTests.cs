using System.Text.Json;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Text;

namespace ContentEngine.Tests;

/// <summary>LIX and Flesch reading ease on texts counted by hand; the warning (CE0604) and check --stats on programs.</summary>
public sealed class ReadabilityTests
{
    [Fact]
    public void LixIsWordsPerSentencePlusThePercentageOfLongWords()
    {
        // 7 words in 2 sentences; Smärtan, påverkar, vardagen and tillsammans have more than 6 letters (mycket and tränar have 6).
        var score = Readability.Measure(ReadabilityMeasure.Lix, ["Smärtan påverkar vardagen mycket. Vi tränar tillsammans."])!;
        Assert.Equal((7, 2, 4), (score.Words, score.Sentences, score.LongWords));
        Assert.Equal(3.5 + 100.0 * 4 / 7, score.Score, 9);
        Assert.Equal("LIX 61", score.Display);
        Assert.Equal("tillsammans", score.LongestWords[0]);
    }

    [Fact]
    public void FleschCountsSyllablesBySentence()
    {
        // 9 words, 2 sentences, 10 syllables (happy has 2): 206.835 - 1.015 * 4.5 - 84.6 * 10 / 9.
        var score = Readability.Measure(ReadabilityMeasure.Flesch, ["The cat sat on the mat. It was happy."])!;
        Assert.Equal((9, 2, 10), (score.Words, score.Sentences, score.Syllables));
        Assert.Equal(206.835 - 1.015 * 4.5 - 94.0, score.Score, 9);
        Assert.Equal("The cat sat on the mat.", score.LongestSentences[0]);
    }

    [Theory]
    [InlineData("the", 1)]
    [InlineData("be", 1)]
    [InlineData("time", 1)]
    [InlineData("free", 1)]
    [InlineData("little", 2)]
    [InlineData("happy", 2)]
    [InlineData("walked", 1)]
    [InlineData("wanted", 2)]
    [InlineData("rehabilitation", 6)]
    [InlineData("information", 4)]
    public void SyllablesAreCountedByRule(string word, int syllables) => Assert.Equal(syllables, Readability.Syllables(word));

    [Theory]
    [InlineData("Vad? Nej!", 2)]
    [InlineData("Sov gott: du behöver det.", 2)]
    [InlineData("Version 1.5 kom ut i år.", 1)]
    [InlineData("En mening utan punkt", 1)]
    [InlineData("Hon sa \"Stanna!\" Sedan gick hon.", 2)]
    public void SentencesEndAtStopsBeforeASpace(string paragraph, int sentences) =>
        Assert.Equal(sentences, Readability.Sentences(paragraph).Count());

    [Theory]
    [InlineData("sv", ReadabilityMeasure.Lix)]
    [InlineData("nb", ReadabilityMeasure.Lix)]
    [InlineData("da", ReadabilityMeasure.Lix)]
    [InlineData("en", ReadabilityMeasure.Flesch)]
    [InlineData("en-GB", ReadabilityMeasure.Flesch)]
    [InlineData("de", null)]
    [InlineData("fi", null)]
    public void EachLocaleHasItsMeasureOrNone(string locale, ReadabilityMeasure? measure) => Assert.Equal(measure, Readability.MeasureFor(locale));

    private const string Program = "id: p\nversion: 1.0.0\ntitle: {sv: P, en: P}\nlocales: [sv, en]\nprovider: {name: {sv: Kliniken, en: The Clinic}, email: pain@example.org}\nprivacy: {sv: Svaren sparas i webbläsaren., en: Answers stay in this browser.}\nphases:\n  - id: main\n    title: {sv: Main, en: Main}\n    weeks: 2\n";

    /// <summary>Clinic-letter Swedish: long sentences of long words (LIX far over 45).</summary>
    private const string HardSwedish = """
        ---
        title: {sv: Välkommen, en: Welcome}
        phase: main
        week: 1
        ---

        Välkommen.

        Deltagandet i rehabiliteringsprogrammet förutsätter kontinuerligt engagemang i behandlingsmaterialet,
        inklusive systematisk dokumentation av symtomvariationer och följsamhet gentemot de individualiserade
        aktivitetsrekommendationer som formulerats av den behandlande fysioterapeuten under utredningsfasen.
        Följaktligen föranleder oregelbundenheter avseende läkemedelsbehandlingen, försämring av funktionsförmågan
        eller oväntade neurologiska symtom omedelbar kontakt med mottagningen, oberoende av inbokade besök.
        Behandlingsperioden omfattar sammanlagt sex veckor.
        """;

    private const string EasyEnglish = """
        ---
        title: Welcome
        ---

        Welcome.

        Each week a new part opens. Read it when you have time. Try the exercises. Write down how your pain
        changes from day to day. Your physiotherapist has picked some activities for you. Do them as well as
        you can. If you get new or worse symptoms, call the clinic. Do the same if you have problems with your
        medicines. We are here to help you.
        """;

    private static CompilationResult Compile(string? readability = null)
    {
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", Program + (readability is null ? string.Empty : $"readability: {readability}\n"));
        t.File("modules/welcome.md", HardSwedish);
        t.File("modules/welcome.en.md", EasyEnglish);
        return ProgramCompiler.Compile(t.Path);
    }

    [Fact]
    public void HardTextIsWarnedAboutAtItsLongestSentenceInItsOwnLanguageOnly()
    {
        var result = Compile();
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticDescriptors.HardToRead.Id, d.Id);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("modules/welcome.md", d.Location.Path);
        Assert.Equal(8, d.Location.Line); // "Deltagandet …", the longest sentence, on the 9th line
        Assert.Contains("The 'sv' text of 'welcome' is hard to read: LIX ", d.Message);
        Assert.Contains("at most LIX 45", d.Message);
        Assert.Contains("\"Deltagandet i rehabiliteringsprogrammet", d.Message);
        Assert.Contains("'rehabiliteringsprogrammet'", d.Message);
        Assert.Contains("readability.lix in program.yaml", d.Message);
    }

    [Fact]
    public void TheProgramSetsTheLimits()
    {
        Assert.Empty(Compile("{lix: 90}").Diagnostics);
        var d = Assert.Single(Compile("{lix: 90, flesch: 95}").Diagnostics);
        Assert.Equal(("CE0604", "modules/welcome.en.md"), (d.Id, d.Location.Path));
        Assert.Contains("at least Flesch 95", d.Message);
        var wrong = Assert.Single(Compile("{lix: 5}").Diagnostics);
        Assert.Equal("CE0104", wrong.Id);
    }

    [Fact]
    public async Task CheckWithStatsPrintsATableOfTheModules()
    {
        using var t = new TestPaths.TempFolder();
        t.File("program.yaml", Program);
        t.File("modules/welcome.md", HardSwedish);
        t.File("modules/welcome.en.md", EasyEnglish);
        var (code, output, _) = await CliProcess.InProcess("check", t.Path, "--stats");
        Assert.Equal(0, code);
        var lines = output.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("module ", StringComparison.Ordinal));
        Assert.True(header >= 0, output);
        Assert.Matches(@"^module\s+week\s+words sv\s+words en\s+minutes\s+readability sv\s+readability en$", lines[header]);
        Assert.Matches(@"^welcome\s+1\s+\d+\s+\d+\s+\d+\s+LIX \d+ !\s+Flesch \d+$", lines[header + 2]);
        Assert.Contains("warning CE0604", output[..output.IndexOf("module ", StringComparison.Ordinal)]);

        // With SARIF the diagnostics stay alone on standard output, the warning among them; the table goes to standard error.
        (code, output, var err) = await CliProcess.InProcess("check", t.Path, "--stats", "--format", "sarif");
        Assert.Equal(0, code);
        using var sarif = JsonDocument.Parse(output);
        var result = Assert.Single(sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
        Assert.Equal("CE0604", result.GetProperty("ruleId").GetString());
        Assert.Equal("warning", result.GetProperty("level").GetString());
        Assert.Contains("readability sv", err);
    }
}

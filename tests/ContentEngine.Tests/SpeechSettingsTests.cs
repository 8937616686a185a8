using ContentEngine.Compilation;
using ContentEngine.Diagnostics;

namespace ContentEngine.Tests;

/// <summary>program.yaml's <c>speech</c>, checked by the compiler: one diagnostic at the line of each mistake.</summary>
public sealed class SpeechSettingsTests
{
    private static CompilationResult Compile(string speech)
    {
        using var folder = new TestPaths.TempFolder();
        folder.File("program.yaml", $$"""
            id: speech-case
            version: 1.0.0
            title: {sv: Tal, en: Speech}
            locales: [sv, en]
            phases:
              - id: treatment
                title: {sv: Behandling, en: Treatment}
                weeks: 1
            {{speech}}
            provider:
              name:
                sv: Kliniken
                en: The Clinic
              email: pain@example.org
            privacy:
              sv: Svaren sparas i webbläsaren.
              en: Answers stay in this browser.
            """);
        folder.File("modules/a.md", "---\nid: a\ntitle: {sv: A, en: A}\nphase: treatment\nweek: 1\n---\n\nText.\n");
        folder.File("modules/a.en.md", "---\ntitle: A\n---\n\nText.\n");
        return ProgramCompiler.Compile(folder.Path);
    }

    [Fact]
    public void TheDefaultsAreAReadingAloudPaceAndASlowerOneForExercises()
    {
        var result = Compile("");
        Assert.Empty(result.Diagnostics);
        Assert.Equal(150, result.Speech.RateFor("sv", exercise: false));
        Assert.Equal(125, result.Speech.RateFor("en", exercise: true));
        Assert.Empty(result.Speech.Commands);
    }

    [Fact]
    public void EveryKeyIsRead()
    {
        var result = Compile("""speech: {rate: {sv: 140, en: 155}, exercise_rate: 120, word_gap: 30, engine: {command: {sv: "piper --model 'voices/my voice.onnx' --output_file {output}"}}}""");
        Assert.Empty(result.Diagnostics);
        Assert.Equal(140, result.Speech.RateFor("sv", false));
        Assert.Equal(155, result.Speech.RateFor("en", false));
        Assert.Equal(120, result.Speech.RateFor("sv", true));
        Assert.Equal(30, result.Speech.WordGapMilliseconds);
        var command = result.Speech.Commands["sv"];
        Assert.Equal(["piper", "--model", "voices/my voice.onnx", "--output_file", "{output}"], command.Arguments.ToArray());
        Assert.False(command.TextAsFile);
        Assert.Equal(["--model", "voices/my voice.onnx", "--output_file", "x.wav"], command.Fill("x.wav", null, "sv", 150));
        Assert.False(result.Speech.Commands.ContainsKey("en"));
    }

    public static TheoryData<string, string, string> Mistakes => new()
    {
        { "speech: {rate: 20}", "CE0104", "from 60 to 300 words per minute" },
        { "speech: {rate: fast}", "CE0103", "words per minute" },
        { "speech: {rate: {de: 150}}", "CE0104", "not one of the program's locales" },
        { "speech: {exercise_rate: 170}", "CE0104", "faster than the rate of its other text (150)" },
        { "speech: {word_gap: 900}", "CE0104", "from 0 to 500" },
        { "speech: {speed: 150}", "CE0101", "speed" },
        { "speech: {engine: {command: \"piper --model v.onnx\"}}", "CE0104", "has no {output}" },
        { "speech: {engine: {command: \"tts --out {output} --voice {voice}\"}}", "CE0104", "{voice}, which is not one of" },
        { "speech: {engine: {command: \"tts 'x --out {output}\"}}", "CE0104", "not closed" },
        { "speech: {engine: {command: \"{output}\"}}", "CE0104", "must start with the program" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void AMistakeIsOneDiagnosticAtItsLine(string speech, string code, string says)
    {
        var result = Compile(speech);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(code, d.Id);
        Assert.Contains(says, d.Message);
        Assert.Equal("program.yaml", d.Location.Path);
        Assert.Equal(8, d.Location.Line);
    }
}

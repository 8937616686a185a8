using System.Text.Json;
using ContentEngine.Rendering.Audio;
using Xunit.Abstractions;

namespace ContentEngine.Tests;

/// <summary>
/// A speech engine plugged in by a command: a small fake engine, a script in the program folder that writes a 440 Hz
/// tone of 1.5 s for every paragraph it is given and notes each call, replaces espeak-ng for English while Swedish stays
/// with espeak-ng. The track is made from its sound with the usual loudness and chapters, a second build takes it from
/// the cache, and a command that is missing, fails or writes no WAVE file stops the build with one line (exit 2).
/// Needs bash, ffmpeg and espeak-ng.
/// </summary>
[Trait("Category", "Audio")]
public sealed class SpeechCommandTests(ITestOutputHelper output) : IDisposable
{
    private const string Program = """
        id: engine-case
        version: 1.0.0
        title: {en: Engine, sv: Motor}
        locales: [en, sv]
        guidance: self
        release: weekly
        speech:
          engine:
            command: {en: "./tools/fake-tts --out {output} --rate {rate} --locale {locale} --scale {length_scale}"}
        phases:
          - id: treatment
            title: {en: Treatment, sv: Behandling}
            weeks: 2
        provider:
          name:
            en: The Clinic
            sv: Kliniken
          email: pain@example.org
        privacy:
          en: Answers stay in this browser.
          sv: Svaren sparas i webbläsaren.
        """;

    private const string Module = """
        ---
        id: breathing
        title: {en: Breathing, sv: Andning}
        phase: treatment
        week: 1
        ---

        # Breathing

        Your breath is always with you; $(touch pwned) and `rm -rf x` are only words here.

        It helps to sit comfortably.

        :::: exercise {title="Three breaths" minutes=2}
        Close your eyes if you like.

        Breathe in and out slowly, three times.
        ::::
        """;

    private const string ModuleSv = """
        ---
        title: Andning
        ---

        # Andning

        Andningen finns alltid med dig.

        :::: exercise {title="Tre andetag" minutes=2}
        Andas lugnt.
        ::::
        """;

    /// <summary>Writes a tone for what it reads (from --text's file, else its input) and notes locale, rate, scale and words.</summary>
    private const string FakeEngine = """
        #!/usr/bin/env bash
        set -e
        while [ $# -gt 0 ]; do
          case "$1" in
            --out) out="$2"; shift ;;
            --rate) rate="$2"; shift ;;
            --locale) locale="$2"; shift ;;
            --scale) scale="$2"; shift ;;
            --text) text="$2"; shift ;;
          esac
          shift
        done
        if [ -n "$text" ]; then words=$(wc -w < "$text"); else words=$(wc -w); fi
        echo "$locale $rate $scale $words" >> "$(dirname "$0")/calls.log"
        ffmpeg -nostdin -v error -f lavfi -i "sine=frequency=440:duration=1.5" -ar 22050 -ac 1 -y "$out"
        """;

    private readonly TestPaths.TempFolder _source = new();
    private readonly TestPaths.TempFolder _cache = new();
    private readonly TestPaths.TempFolder _out = new();

    public void Dispose()
    {
        _source.Dispose();
        _cache.Dispose();
        _out.Dispose();
    }

    private void Write(string program = Program)
    {
        _source.File("program.yaml", program);
        _source.File("modules/breathing.md", Module);
        _source.File("modules/breathing.sv.md", ModuleSv);
        Script("tools/fake-tts", FakeEngine);
    }

    private string Script(string relative, string text)
    {
        var path = _source.File(relative, text.Replace("\r\n", "\n") + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private string[] Calls() => File.Exists(Path.Combine(_source.Path, "tools", "calls.log"))
        ? File.ReadAllLines(Path.Combine(_source.Path, "tools", "calls.log")) : [];

    /// <summary>program.yaml's command runs only when the build allows it.</summary>
    private static readonly string[] Allowed = ["--allow-speech-command"];

    private async Task<(int Code, string Err)> BuildAsync(params string[] more)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await ContentEngine.Cli.CommandLine.RunAsync(["build", _source.Path, "--audio", "-o", _out.Path, "--cache", _cache.Path, .. (more.Length == 0 ? Allowed : more)], stdout, stderr);
        return (code, stderr.ToString());
    }

    [Fact]
    public async Task TheTrackIsMadeFromTheCommandsSoundWithLoudnessChaptersAndTheCache()
    {
        Write();
        var (code, err) = await BuildAsync();
        Assert.True(code == 0, err);

        // One call per paragraph: the title, two paragraphs, the exercise's cue and its two paragraphs; all English.
        var calls = Calls();
        output.WriteLine(string.Join("\n", calls));
        Assert.Equal(6, calls.Length);
        Assert.All(calls, c => Assert.StartsWith("en ", c));
        // Theme text at the default 150 words a minute, the exercise at 125 ({length_scale}: 150 divided by the rate).
        Assert.Equal(["en 150 1.00 1", "en 150 1.00 16", "en 150 1.00 5", "en 125 1.20 3", "en 125 1.20 6", "en 125 1.20 7"], calls);
        Assert.False(File.Exists(Path.Combine(_source.Path, "pwned")));
        Assert.False(File.Exists(Path.Combine(_source.Path, "tools", "pwned")));

        var track = Path.Combine(_out.Path, "audio", "en", "breathing.mp3");
        Assert.InRange(await AudioProbe.ToneFrequencyAsync(track), 435, 445);
        // Six tones of 1.5 s, paragraph pauses of 1.4 s (two after the title's, two in the exercise) and the gap of 2 s
        // before the exercise's chapter, which starts where they say.
        Assert.InRange(await AudioProbe.DurationAsync(track), 6 * 1.5 + 4 * 1.4 + 2.0 - 0.1, 6 * 1.5 + 4 * 1.4 + 2.0 + 0.2);
        Assert.InRange(await AudioProbe.LoudnessAsync(track), -20, -18);
        using (var chapters = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_out.Path, "audio", "en", "breathing.chapters.json"))))
        {
            var titles = chapters.RootElement.GetProperty("chapters").EnumerateArray().Select(c => c.GetProperty("title").GetString()).ToList();
            Assert.Equal(["Breathing", "Exercise: Three breaths"], titles);
            Assert.Equal(3 * 1.5 + 2 * 1.4 + 2.0, chapters.RootElement.GetProperty("chapters")[1].GetProperty("startTime").GetDouble(), 2);
        }
        // Swedish has no command: espeak-ng speaks it, not the tone.
        Assert.True(await AudioProbe.ToneFrequencyAsync(Path.Combine(_out.Path, "audio", "sv", "breathing.mp3")) is < 400 or > 480);

        var first = File.ReadAllBytes(track);
        (code, err) = await BuildAsync();
        Assert.True(code == 0, err);
        Assert.Equal(6, Calls().Length);
        Assert.Equal(first, File.ReadAllBytes(track));

        // Another command is another voice: the English track is made again, the Swedish one is not.
        (code, err) = await BuildAsync("--speech-command", "./tools/fake-tts --out {output} --locale {locale} --text {text}");
        Assert.True(code == 0, err);
        var again = Calls().Skip(6).ToList();
        Assert.Equal(10, again.Count); // English and Swedish: --speech-command is for every locale
        Assert.Contains("sv   5", again);
    }

    public static TheoryData<string, string, string[]> Failures => new()
    {
        { "missing", "no-such-speech-engine --out {output}", ["'no-such-speech-engine'", "not installed", "--speech-command"] },
        { "failing", "./tools/fail --out {output}", ["'fail'", "exit code 3", "no voice for en"] },
        { "silent", "./tools/silent --out {output}", ["'silent'", "wrote nothing to {output}"] },
        { "garbage", "./tools/garbage --out {output}", ["'garbage'", "no readable WAVE audio"] },
        { "no output", "./tools/silent --out", ["--speech-command has no {output}"] },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task ACommandThatCannotSpeakStopsTheBuildWithOneLine(string kind, string command, string[] says)
    {
        Write();
        Script("tools/fail", "#!/usr/bin/env bash\necho 'starting' >&2\necho 'no voice for en' >&2\nexit 3");
        Script("tools/silent", "#!/usr/bin/env bash\ncat > /dev/null");
        Script("tools/garbage", "#!/usr/bin/env bash\nwhile [ \"$1\" != --out ]; do shift; done\necho 'not a wave file' > \"$2\"");
        var (code, err) = await BuildAsync("--speech-command", command);
        output.WriteLine($"{kind}: {err}");
        Assert.Equal(2, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.StartsWith("contentengine:", StringComparison.Ordinal));
        foreach (var part in says) Assert.Contains(part, line);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(Path.Combine(_out.Path, "audio")));
    }

    [Fact]
    public async Task ProgramYamlsCommandRunsOnlyWhenTheBuildAllowsIt()
    {
        Write();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await ContentEngine.Cli.CommandLine.RunAsync(["build", _source.Path, "--audio", "-o", _out.Path, "--cache", _cache.Path], stdout, stderr);
        var err = stderr.ToString();
        output.WriteLine(err);
        Assert.Equal(2, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.StartsWith("contentengine:", StringComparison.Ordinal));
        Assert.Contains("'./tools/fake-tts'", line);
        Assert.Contains("--allow-speech-command", line);
        Assert.Empty(Calls());
        Assert.False(Directory.Exists(Path.Combine(_out.Path, "audio")));

        // A build without the audio bundle runs no command and needs no consent.
        code = await ContentEngine.Cli.CommandLine.RunAsync(["build", _source.Path, "--graph", "-o", _out.Path], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.Empty(Calls());
    }
}

using ContentEngine.Speech;

namespace ContentEngine.Rendering.Audio;

/// <summary>
/// Speech by a command the program names (program.yaml's <c>speech.engine.command</c>, or the build's
/// <c>--speech-command</c>), such as a neural voice; locales without a command are spoken by <see cref="Fallback"/>
/// (espeak-ng). The command runs without a shell, in <see cref="WorkingFolder"/>, once per paragraph: the words go to its
/// input (or to the file <c>{text}</c> names) as one line, and the paragraphs' WAVE files are joined with the same pause
/// between them as espeak-ng's. A command that is missing, fails, or writes no readable WAVE file stops the build with
/// one line that says which.
/// </summary>
public sealed class CommandSpeechEngine(IReadOnlyDictionary<string, SpeechCommand> commands, string workingFolder, ISpeechEngine fallback, string? searchPath = null) : ISpeechEngine
{
    public ISpeechEngine Fallback { get; } = fallback;

    public string WorkingFolder { get; } = Path.GetFullPath(workingFolder);

    /// <summary>The silence between paragraphs, as espeak-ng's.</summary>
    public int ParagraphPauseMilliseconds { get; init; } = 1400;

    /// <summary>How long one paragraph's synthesis may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Where the command comes from, for messages, such as <c>speech.engine.command in program.yaml</c>.</summary>
    public string Origin { get; init; } = "speech.engine.command in program.yaml";

    public string Name => $"command;pause={ParagraphPauseMilliseconds}ms;otherwise:{Fallback.Name}";

    /// <summary>The command's template for a locale with one (so a changed command makes its tracks again); else the fallback's voice.</summary>
    public string VoiceFor(string locale) => Command(locale) is { } c ? "command:" + c.Template : Fallback.VoiceFor(locale);

    private SpeechCommand? Command(string locale) => commands.TryGetValue(locale, out var c) ? c : null;

    /// <summary>The fallback's programs; a command's program missing is said by <see cref="CheckVoiceAsync"/>, in its own words.</summary>
    public IReadOnlyList<string> MissingTools() => Fallback.MissingTools();

    public Task CheckVoiceAsync(string locale, CancellationToken cancellationToken)
    {
        if (Command(locale) is not { } command) return Fallback.CheckVoiceAsync(locale, cancellationToken);
        Executable(command, locale);
        return Task.CompletedTask;
    }

    private string Executable(SpeechCommand command, string locale)
    {
        var program = command.Program;
        var found = program.Contains('/') || program.Contains(Path.DirectorySeparatorChar)
            ? (Path.Combine(WorkingFolder, program) is var path && File.Exists(path) ? Path.GetFullPath(path) : null)
            : AudioTools.Find(program, searchPath);
        return found ?? throw new AudioException(
            $"the speech command for {locale} ({Origin}) runs '{program}', which is not installed{(program.Contains('/') ? " in the program folder" : " on PATH")}; install it, correct the command, or remove it to speak with espeak-ng");
    }

    public async Task SynthesizeAsync(string text, string locale, int rate, string wavPath, CancellationToken cancellationToken)
    {
        if (Command(locale) is not { } command)
        {
            await Fallback.SynthesizeAsync(text, locale, rate, wavPath, cancellationToken);
            return;
        }
        var executable = Executable(command, locale);
        var folder = Path.GetDirectoryName(Path.GetFullPath(wavPath))!;
        var stem = Path.GetFileNameWithoutExtension(wavPath);
        var paragraphs = text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(SpokenScript.Collapse).Where(p => p.Length > 0).ToList();
        var pieces = new List<string>();
        try
        {
            for (var i = 0; i < paragraphs.Count; i++)
            {
                var piece = Path.Combine(folder, $"{stem}.p{i:000}.wav");
                string? textFile = null;
                if (command.TextAsFile)
                {
                    textFile = Path.Combine(folder, $"{stem}.p{i:000}.txt");
                    await File.WriteAllTextAsync(textFile, paragraphs[i] + "\n", cancellationToken);
                }
                var name = Path.GetFileName(executable);
                var result = await ProcessRunner.RunAsync(executable, command.Fill(piece, textFile, locale, rate),
                    command.TextAsFile ? null : paragraphs[i] + "\n", Timeout, cancellationToken, WorkingFolder);
                if (textFile is not null) File.Delete(textFile);
                if (result.ExitCode != 0)
                    throw new AudioException($"the speech command '{name}' ({Origin}) failed for {locale} text (exit code {result.ExitCode}): {ProcessRunner.LastLine(result.StandardError)}");
                if (!File.Exists(piece) || WavFile.Duration(piece) is not > 0)
                    throw new AudioException($"the speech command '{name}' ({Origin}) wrote {(File.Exists(piece) ? "no readable WAVE audio" : "nothing")} to {{output}} for {locale} text beginning \"{Shorten(paragraphs[i])}\"; it must write a WAVE file where {{output}} says");
                pieces.Add(piece);
            }
            if (pieces.Count == 0) throw new AudioException($"there was no {locale} text to give the speech command.");
            WavFile.Join(pieces, ParagraphPauseMilliseconds / 1000.0, wavPath);
        }
        finally
        {
            foreach (var piece in pieces) File.Delete(piece);
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

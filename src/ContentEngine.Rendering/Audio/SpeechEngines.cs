using ContentEngine.Speech;

namespace ContentEngine.Rendering.Audio;

/// <summary>The speech engine program.yaml's <c>speech</c> (or the build's <c>--speech-command</c>) asks for.</summary>
public static class SpeechEngines
{
    /// <summary>
    /// espeak-ng with the settings' word gap, behind the settings' commands for the locales that have one.
    /// </summary>
    /// <param name="programFolder">where a command runs, so that a path in it (voices/sv.onnx) is the program's.</param>
    /// <param name="origin">where the commands come from, for messages.</param>
    public static ISpeechEngine For(SpeechSettings settings, string programFolder, string origin = "speech.engine.command in program.yaml")
    {
        var espeak = new EspeakSpeechEngine { WordGapMilliseconds = settings.WordGapMilliseconds };
        return settings.Commands.Count == 0 ? espeak : new CommandSpeechEngine(settings.Commands, programFolder, espeak) { Origin = origin };
    }
}

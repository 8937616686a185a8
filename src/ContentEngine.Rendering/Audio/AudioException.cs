namespace ContentEngine.Rendering.Audio;

/// <summary>
/// The audio bundle could not be made: a tool failed, timed out or gave output that could not be read, a
/// locale has no voice, or a track could not be brought to the loudness target. The message is one line for the user.
/// </summary>
public class AudioException : Exception
{
    public AudioException(string message) : base(message) { }

    public AudioException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// A program the audio bundle needs (ffmpeg, ffprobe, espeak-ng) is not installed. The message is one line that names
/// the missing programs and the command that installs them.
/// </summary>
public sealed class AudioToolMissingException : AudioException
{
    public AudioToolMissingException(IReadOnlyList<string> tools) : base(AudioTools.Describe(tools)) => Tools = tools;

    /// <summary>The missing programs, such as <c>ffmpeg</c>.</summary>
    public IReadOnlyList<string> Tools { get; }
}

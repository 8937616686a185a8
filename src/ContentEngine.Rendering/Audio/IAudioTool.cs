namespace ContentEngine.Rendering.Audio;

/// <summary>Integrated loudness (LUFS) and true peak (dBTP) of a file, as measured per EBU R128.</summary>
public sealed record LoudnessMeasurement(double IntegratedLufs, double TruePeakDbtp);

/// <summary>A finished track: its length as probed from the file, and its measured loudness.</summary>
public sealed record MasteredTrack(double DurationSeconds, double IntegratedLufs, double TruePeakDbtp);

/// <summary>
/// Decodes, joins, normalises, encodes and measures audio. <see cref="Settings"/> goes into the audio cache's keys, so it
/// must change whenever the tool would make different audio from the same input, and must not start a process.
/// Intermediate files are WAVE files (any sample format) that <see cref="WavFile.Duration"/> can read.
/// </summary>
public interface IAudioTool
{
    /// <summary>The encoder and loudness settings, such as <c>ffmpeg;mp3;mono;24000Hz;64k;I=-19;TP=-2</c>.</summary>
    string Settings { get; }

    /// <summary>The programs the tool needs that are not installed (see <see cref="AudioTools"/>); empty when it can run.</summary>
    IReadOnlyList<string> MissingTools();

    /// <summary>Decodes any audio file (a recording) to a mono WAVE file at the working sample rate. Returns its duration in seconds.</summary>
    Task<double> DecodeAsync(string input, string wavOutput, CancellationToken cancellationToken);

    /// <summary>
    /// Joins WAVE files (any rate or channels), in order, into one mono WAVE file at the working sample rate, with
    /// <paramref name="gapsAfter"/>[i] seconds of silence after piece i (one per piece; the last is not used). Each piece
    /// is first brought to the same loudness, so that recordings and synthesised speech sound equally loud; a silent piece
    /// stays silent, and lengths do not change.
    /// </summary>
    Task JoinAsync(IReadOnlyList<string> inputs, IReadOnlyList<double> gapsAfter, string wavOutput, CancellationToken cancellationToken);

    /// <summary>
    /// Normalises the loudness of a joined file, encodes it as MP3, and measures the encoded file; corrects and encodes
    /// again until the measurement is within the target, or throws an <see cref="AudioException"/>.
    /// </summary>
    Task<MasteredTrack> MasterAsync(string wavInput, string mp3Output, CancellationToken cancellationToken);

    /// <summary>Measures a file's integrated loudness and true peak.</summary>
    Task<LoudnessMeasurement> MeasureAsync(string file, CancellationToken cancellationToken);

    /// <summary>A file's duration in seconds, as its container reports it.</summary>
    Task<double> DurationAsync(string file, CancellationToken cancellationToken);
}

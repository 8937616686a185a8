using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ContentEngine.Rendering.Audio;

/// <summary>
/// Audio work by ffmpeg and ffprobe, run as processes. Intermediate files are 32-bit float mono WAVE at
/// <see cref="SampleRate"/>, so nothing clips before the last step. Joining measures every piece in one run and brings
/// each to the target loudness in the next. Mastering is loudnorm in two passes: the first measures with the ebur128
/// filter (several times faster than loudnorm's own analysis), the second applies loudnorm with those values, after a
/// peak limiter where the gain needs one, and encodes MP3 at a speech bitrate. The encoded file is then measured
/// (ebur128 with true peak); when it misses the target by more than <see cref="ToleranceLu"/> or peaks above
/// <see cref="MaxTruePeakDbtp"/>, the targets are corrected and it is encoded again. Its length is read with ffprobe.
/// </summary>
public sealed partial class FfmpegAudioTool : IAudioTool
{
    private readonly string? _searchPath;
    private string? _ffmpeg;
    private string? _ffprobe;

    /// <param name="searchPath">folders to look for ffmpeg and ffprobe in, separated as in PATH; null for the PATH of this process.</param>
    public FfmpegAudioTool(string? searchPath = null) => _searchPath = searchPath;

    /// <summary>The integrated loudness every track is brought to: -19 LUFS, the target for mono speech.</summary>
    public double TargetLufs { get; init; } = -19;

    /// <summary>How far the measured loudness of the encoded file may be from <see cref="TargetLufs"/> before it is corrected.</summary>
    public double ToleranceLu { get; init; } = 0.5;

    /// <summary>
    /// The true peak loudnorm (and the limiter before it) aims below: a margin under <see cref="MaxTruePeakDbtp"/> for
    /// what MP3 encoding and a correcting gain add.
    /// </summary>
    public double TargetTruePeakDbtp { get; init; } = -2;

    /// <summary>The highest true peak an encoded track may measure.</summary>
    public double MaxTruePeakDbtp { get; init; } = -1;

    public int SampleRate { get; init; } = 24000;

    public int BitrateKbps { get; init; } = 64;

    /// <summary>How many times a track is encoded at most, the first time included.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>How long one ffmpeg or ffprobe run may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);

    public string Settings => string.Create(CultureInfo.InvariantCulture,
        $"ffmpeg;mp3;libmp3lame;mono;{SampleRate}Hz;{BitrateKbps}k;I={TargetLufs}±{ToleranceLu};TP={TargetTruePeakDbtp}<={MaxTruePeakDbtp};limiter+loudnorm;f32le");

    public IReadOnlyList<string> MissingTools() => AudioTools.Missing([AudioTools.Ffmpeg, AudioTools.Ffprobe], _searchPath);

    public async Task<double> DecodeAsync(string input, string wavOutput, CancellationToken cancellationToken)
    {
        await FfmpegAsync(
            ["-i", Full(input), "-vn", "-sn", "-map", "0:a:0", "-af", F($"aresample={SampleRate}"), .. PcmOutput(wavOutput)],
            $"decoding {Path.GetFileName(input)}", cancellationToken);
        return WavFile.Duration(wavOutput) ?? await DurationAsync(wavOutput, cancellationToken);
    }

    public async Task JoinAsync(IReadOnlyList<string> inputs, IReadOnlyList<double> gapsAfter, string wavOutput, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0) throw new ArgumentException("Nothing to join.", nameof(inputs));
        if (gapsAfter.Count != inputs.Count) throw new ArgumentException("One gap per piece is needed.", nameof(gapsAfter));
        var inputArguments = inputs.SelectMany(input => new[] { "-i", Full(input) }).ToList();

        // One run measures every piece: an ebur128 filter per input, all to a null output.
        var measure = new StringBuilder();
        for (var i = 0; i < inputs.Count; i++) measure.Append(F($"[{i}:a]ebur128=framelog=verbose[m{i}];"));
        var measureArguments = new List<string> { "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info" };
        measureArguments.AddRange(inputArguments);
        measureArguments.AddRange(["-filter_complex", measure.ToString().TrimEnd(';')]);
        for (var i = 0; i < inputs.Count; i++) measureArguments.AddRange(["-map", F($"[m{i}]")]);
        measureArguments.AddRange(["-f", "null", "-"]);
        var log = (await ProcessRunner.RunCheckedAsync(Ffmpeg(), measureArguments, null, Timeout, "measuring the pieces of a track", cancellationToken)).StandardError;
        var loudness = new double?[inputs.Count];
        foreach (Match m in PieceSummaryPattern().Matches(log))
        {
            var index = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            if (index < inputs.Count) loudness[index] = Number(m.Groups["i"].Value);
        }
        if (loudness.Any(l => l is null))
            throw new AudioException($"ffmpeg gave no loudness for every piece of a track: {ProcessRunner.LastLine(log)}");

        // A second run brings each piece to the target (a quiet or very short piece, with no reliable loudness,
        // keeps its level), resamples it, adds the gap after it, and joins them.
        var graph = new StringBuilder();
        for (var i = 0; i < inputs.Count; i++)
        {
            var gain = loudness[i] > -60 ? Math.Clamp(TargetLufs - loudness[i]!.Value, -30, 30) : 0;
            graph.Append(F($"[{i}:a]aresample={SampleRate},aformat=sample_fmts=flt:channel_layouts=mono,volume={gain:0.00}dB"));
            if (i < inputs.Count - 1 && gapsAfter[i] > 0) graph.Append(F($",apad=pad_dur={gapsAfter[i]:0.###}"));
            graph.Append(F($"[a{i}];"));
        }
        for (var i = 0; i < inputs.Count; i++) graph.Append(F($"[a{i}]"));
        graph.Append(F($"concat=n={inputs.Count}:v=0:a=1[out]"));
        await FfmpegAsync([.. inputArguments, "-filter_complex", graph.ToString(), "-map", "[out]", .. PcmOutput(wavOutput)],
            "joining the pieces of a track", cancellationToken);
    }

    public async Task<MasteredTrack> MasterAsync(string wavInput, string mp3Output, CancellationToken cancellationToken)
    {
        // First pass: measure the joined track.
        var input = await AnalyseAsync(wavInput, cancellationToken);
        if (input.IntegratedLufs <= -69) throw new AudioException($"{Path.GetFileName(wavInput)} is silent; there is nothing to normalise.");
        var gain = TargetLufs - input.IntegratedLufs;
        var extra = 0.0;       // dB added after loudnorm: what earlier encodes measured short of the target
        var limitLower = 0.0;  // dB the limiter sits below its first setting, when earlier encodes peaked too high
        LoudnessMeasurement? result = null;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            // Second pass: loudnorm with the measured values. Synthesised speech has peaks some 20 dB above its loudness,
            // so the gain would take them over the true-peak target and loudnorm would leave its linear mode for the
            // dynamic one, which rides the gain. A limiter first takes the peaks down to where the gain leaves them
            // under the target, so loudnorm applies one gain to the whole track. The limiter sits 1 dB lower still: room
            // for peaks between samples, for what MP3 encoding adds, and for the gain a correcting encode adds.
            var filters = new List<string>();
            var measuredPeak = input.TruePeak;
            var limit = TargetTruePeakDbtp - 1 - gain - limitLower;
            if (input.TruePeak > limit + 1)
            {
                limit = Math.Clamp(limit, -24, 0);
                filters.Add(F($"alimiter=limit={Math.Pow(10, limit / 20):0.000000}:level=false:attack=5:release=50"));
                measuredPeak = limit + 1;
            }
            // loudnorm stays linear only when the measured range is within its range target (1 to 50).
            var lra = Math.Clamp(Math.Ceiling(input.Lra + 1), 7, 50);
            filters.Add(F($"loudnorm=I={TargetLufs:0.00}:TP={TargetTruePeakDbtp:0.00}:LRA={lra:0}:measured_I={input.IntegratedLufs:0.00}:measured_TP={measuredPeak:0.00}") +
                F($":measured_LRA={Math.Max(input.Lra, 0.1):0.00}:measured_thresh={input.Threshold:0.00}:linear=true"));
            if (Math.Abs(extra) >= 0.005) filters.Add(F($"volume={extra:0.00}dB"));
            filters.Add(F($"aresample={SampleRate}"));
            await FfmpegAsync(
                ["-i", Full(wavInput), "-af", string.Join(',', filters), "-ac", "1", "-ar", Int(SampleRate),
                 "-c:a", "libmp3lame", "-b:a", F($"{BitrateKbps}k"), "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact", "-f", "mp3", Full(mp3Output)],
                "normalising and encoding a track", cancellationToken);

            // Measure what was encoded. The limiter and MP3 encoding take some loudness away, so the first encode
            // usually lands a few tenths low; the next adds what was missing as plain gain.
            result = await MeasureAsync(mp3Output, cancellationToken);
            var loudnessOff = TargetLufs - result.IntegratedLufs;
            if (Math.Abs(loudnessOff) <= ToleranceLu && result.TruePeakDbtp <= MaxTruePeakDbtp)
                return new MasteredTrack(await DurationAsync(mp3Output, cancellationToken), result.IntegratedLufs, result.TruePeakDbtp);
            extra += loudnessOff;
            // The gain raises the peaks as much; where that would come near the ceiling, the limiter goes lower.
            var expectedPeak = result.TruePeakDbtp + loudnessOff;
            if (expectedPeak > MaxTruePeakDbtp - 0.3) limitLower += expectedPeak - (MaxTruePeakDbtp - 0.5);
        }
        throw new AudioException(F($"could not bring a track to {TargetLufs} LUFS with true peak at most {MaxTruePeakDbtp} dBTP in {MaxAttempts} encodes: last measured {result!.IntegratedLufs} LUFS, {result.TruePeakDbtp} dBTP."));
    }

    public async Task<LoudnessMeasurement> MeasureAsync(string file, CancellationToken cancellationToken)
    {
        var m = await AnalyseAsync(file, cancellationToken);
        return new LoudnessMeasurement(m.IntegratedLufs, m.TruePeak);
    }

    public async Task<double> DurationAsync(string file, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunCheckedAsync(Ffprobe(),
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", Full(file)],
            null, Timeout, $"reading the length of {Path.GetFileName(file)}", cancellationToken);
        var text = result.StandardOutput.Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
            throw new AudioException($"ffprobe gave no length for {Path.GetFileName(file)} (it said \"{ProcessRunner.LastLine(text)}\").");
        return seconds;
    }

    /// <summary>Integrated loudness, its gating threshold, loudness range and true peak, from the ebur128 filter's summary.</summary>
    private sealed record Analysis(double IntegratedLufs, double Threshold, double Lra, double TruePeak);

    private async Task<Analysis> AnalyseAsync(string file, CancellationToken cancellationToken)
    {
        // framelog=verbose keeps the per-frame lines out of the info-level log, leaving the summary.
        var result = await ProcessRunner.RunCheckedAsync(Ffmpeg(),
            ["-nostdin", "-hide_banner", "-nostats", "-loglevel", "info", "-i", Full(file), "-vn", "-sn", "-map", "0:a:0",
             "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
            null, Timeout, $"measuring the loudness of {Path.GetFileName(file)}", cancellationToken);
        var log = result.StandardError;
        var summary = log.LastIndexOf("Summary:", StringComparison.Ordinal);
        var match = summary < 0 ? Match.Empty : SummaryPattern().Match(log, summary);
        if (!match.Success)
            throw new AudioException($"ffmpeg gave no loudness summary for {Path.GetFileName(file)}: {ProcessRunner.LastLine(log)}");
        return new Analysis(Number(match.Groups["i"].Value), Number(match.Groups["thresh"].Value), Number(match.Groups["lra"].Value), Number(match.Groups["tp"].Value));
    }

    [GeneratedRegex(@"Parsed_ebur128_(?<n>[0-9]+) @ [^\]]*\] Summary:\s*Integrated loudness:\s*I:\s*(?<i>-?inf|-?[0-9.]+) LUFS")]
    private static partial Regex PieceSummaryPattern();

    [GeneratedRegex(@"Integrated loudness:\s*I:\s*(?<i>-?inf|-?[0-9.]+) LUFS\s*Threshold:\s*(?<thresh>-?inf|-?[0-9.]+) LUFS\s*Loudness range:\s*LRA:\s*(?<lra>-?inf|-?[0-9.]+) LU[\s\S]*?True peak:\s*Peak:\s*(?<tp>-?inf|-?[0-9.]+) dBFS")]
    private static partial Regex SummaryPattern();

    private static double Number(string text) => text switch
    {
        "-inf" => -99,
        "inf" => 99,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private string[] PcmOutput(string wavOutput) =>
        ["-ac", "1", "-ar", Int(SampleRate), "-c:a", "pcm_f32le", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact", "-f", "wav", Full(wavOutput)];

    private Task<ProcessResult> FfmpegAsync(IEnumerable<string> arguments, string task, CancellationToken cancellationToken) =>
        ProcessRunner.RunCheckedAsync(Ffmpeg(), ["-nostdin", "-hide_banner", "-nostats", "-loglevel", "error", "-y", .. arguments], null, Timeout, task, cancellationToken);

    private string Ffmpeg() => _ffmpeg ??= AudioTools.Find(AudioTools.Ffmpeg, _searchPath) ?? throw new AudioToolMissingException([AudioTools.Ffmpeg]);

    private string Ffprobe() => _ffprobe ??= AudioTools.Find(AudioTools.Ffprobe, _searchPath) ?? throw new AudioToolMissingException([AudioTools.Ffprobe]);

    /// <summary>A full path, so that no file name can be taken for an option.</summary>
    private static string Full(string path) => Path.GetFullPath(path);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}

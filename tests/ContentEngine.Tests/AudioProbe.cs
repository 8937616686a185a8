using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ContentEngine.Tests;

/// <summary>Measures audio files from outside the renderer, with ffmpeg and ffprobe run here.</summary>
internal static partial class AudioProbe
{
    public sealed record Silence(double Start, double End, double Duration);

    public static async Task<(int Code, string Out, string Err)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The silences ffmpeg's silencedetect finds in the decoded file.</summary>
    public static async Task<List<Silence>> SilencesAsync(string file, int noiseDb, double minimumSeconds)
    {
        var run = await RunAsync("ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", file, "-af",
            string.Create(CultureInfo.InvariantCulture, $"silencedetect=n={noiseDb}dB:d={minimumSeconds}"), "-f", "null", "-");
        if (run.Code != 0) throw new InvalidOperationException(run.Err);
        return [.. SilenceEnd().Matches(run.Err).Select(m =>
        {
            var end = double.Parse(m.Groups["end"].Value, CultureInfo.InvariantCulture);
            var duration = double.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
            return new Silence(end - duration, end, duration);
        })];
    }

    /// <summary>The file's duration as ffprobe reads it from the container.</summary>
    public static async Task<double> DurationAsync(string file)
    {
        var run = await RunAsync("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file);
        return double.Parse(run.Out.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Integrated loudness in LUFS, by ffmpeg's ebur128 filter.</summary>
    public static async Task<double> LoudnessAsync(string file)
    {
        var run = await RunAsync("ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", file, "-af", "ebur128", "-f", "null", "-");
        var summary = run.Err[run.Err.LastIndexOf("Summary:", StringComparison.Ordinal)..];
        return double.Parse(Regex.Match(summary, @"I:\s+(-?[0-9.]+) LUFS").Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The frequency of a tone, from the zero crossings of the file's sound (silence left out), in Hz.</summary>
    public static async Task<double> ToneFrequencyAsync(string file)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-i", file, "-ac", "1", "-ar", "48000", "-f", "s16le", "-" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        using var pcm = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(pcm);
        await process.WaitForExitAsync();
        var bytes = pcm.ToArray();
        // In blocks of 10 ms: a block whose peak stands out of the silence is sound, and its zero crossings count.
        const int block = 480;
        var crossings = 0;
        var soundingBlocks = 0;
        for (var first = 0; first + 2 * block <= bytes.Length; first += 2 * block)
        {
            var samples = Enumerable.Range(0, block).Select(i => BitConverter.ToInt16(bytes, first + 2 * i)).ToArray();
            if (samples.Max(x => Math.Abs((int)x)) < 1000) continue;
            soundingBlocks++;
            crossings += samples.Zip(samples.Skip(1)).Count(p => (p.First < 0) != (p.Second < 0));
        }
        return crossings / 2.0 / (soundingBlocks * 0.01);
    }

    [GeneratedRegex(@"silence_end: (?<end>[0-9.]+) \| silence_duration: (?<d>[0-9.]+)")]
    private static partial Regex SilenceEnd();
}

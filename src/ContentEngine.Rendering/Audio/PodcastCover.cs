using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContentEngine.Model;

namespace ContentEngine.Rendering.Audio;

/// <summary>
/// The square picture of the podcast feed (<c>itunes:image</c>) and of every track's tags: a JPEG of
/// <see cref="Size"/> × <see cref="Size"/> pixels (Apple Podcasts asks for 1400 to 3000), drawn by ffmpeg on the
/// program's primary colour. With a <c>cover_image</c> in theme.yaml the picture is the cover, scaled to the width (or
/// height) of the square and placed at its top; the program's title, in the theme's bold typeface in white, fills the
/// band below when the cover leaves one. Without a cover the title stands alone. The same program, locale and ffmpeg
/// give the same bytes, and the picture is cached beside the tracks by a hash of everything that draws it, so a build
/// in which nothing changed starts no process for it.
/// </summary>
public static class PodcastCover
{
    public const int Size = 1400;

    /// <summary>Part of the cache key: raise it when the way the picture is drawn changes.</summary>
    public const string FormatVersion = "contentengine-cover/1";

    /// <summary>The colour under the title when theme.yaml gives none: the built-in theme's primary colour.</summary>
    public const string DefaultColor = "#1d5b79";

    private const int Margin = 120;
    private const string FontResource = "theme/default/assets/fonts/atkinson-hyperlegible-next-latin-700-normal.woff2";

    /// <summary>The picture for <paramref name="locale"/>: from the cache under <paramref name="cacheFolder"/>, else drawn and kept there.</summary>
    /// <exception cref="AudioToolMissingException">the picture must be drawn and ffmpeg is not installed.</exception>
    public static async Task<byte[]> GetAsync(ProgramGraph graph, string locale, string cacheFolder, CancellationToken cancellationToken)
    {
        var title = graph.Title.Get(locale, graph.DefaultLocale);
        var color = graph.Identity?.PrimaryColor ?? DefaultColor;
        var cover = graph.Identity?.CoverImage is { } path ? graph.Assets.FirstOrDefault(a => a.Path == path) : null;
        var key = Key(title, color, cover);
        var cached = Path.Combine(cacheFolder, $"cover-{key}.jpg");
        if (File.Exists(cached) && File.ReadAllBytes(cached) is var bytes && IsJpeg(bytes)) return bytes;

        var ffmpeg = AudioTools.Find(AudioTools.Ffmpeg) ?? throw new AudioToolMissingException([AudioTools.Ffmpeg]);
        var work = Path.Combine(Path.GetTempPath(), "contentengine-cover-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var font = Path.Combine(work, "font.woff2");
            using (var stream = typeof(PodcastCover).Assembly.GetManifestResourceStream(FontResource)!)
            using (var file = File.Create(font))
                stream.CopyTo(file);

            var arguments = new List<string> { "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"color=c={color}:s={Size}x{Size}:d=1" };
            var filter = new StringBuilder();
            var top = 0;
            if (cover is not null)
            {
                // The cover, fitted into the square, first on its own: its size decides where the title goes.
                var source = Path.Combine(work, "cover" + Path.GetExtension(cover.Path).ToLowerInvariant());
                await File.WriteAllBytesAsync(source, graph.Store.Read(cover), cancellationToken);
                var fitted = Path.Combine(work, "fitted.png");
                List<string> decode = Path.GetExtension(source) == ".svg" ? ["-width", Int(Size)] : [];
                await RunAsync(ffmpeg, ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", .. decode, "-i", source, "-frames:v", "1",
                    "-vf", $"scale={Size}:{Size}:force_original_aspect_ratio=decrease:flags=lanczos,format=rgba",
                    "-fflags", "+bitexact", "-flags", "+bitexact", fitted], cancellationToken);
                var (width, height) = PngSize(await File.ReadAllBytesAsync(fitted, cancellationToken));
                arguments.AddRange(["-i", fitted]);
                filter.Append(CultureInfo.InvariantCulture, $"[0:v][1:v]overlay=x={(Size - width) / 2}:y=0:format=auto");
                top = height;
            }
            else
            {
                filter.Append("[0:v]null");
            }

            // The title in the band below the cover (the whole square without one), as large as fits, left-aligned.
            var band = Size - top;
            if (band >= Size / 4 && Fit(title, band) is var (lines, fontSize) && lines.Count > 0)
            {
                var lineHeight = (int)Math.Round(fontSize * 1.2);
                var y = top + (band - lines.Count * lineHeight) / 2;
                for (var i = 0; i < lines.Count; i++)
                {
                    var text = Path.Combine(work, $"line{i}.txt");
                    await File.WriteAllTextAsync(text, lines[i], new UTF8Encoding(false), cancellationToken);
                    filter.Append(CultureInfo.InvariantCulture,
                        $",drawtext=fontfile={FilterPath(font)}:textfile={FilterPath(text)}:fontcolor=white:fontsize={fontSize}:x={Margin}:y={y + i * lineHeight}");
                }
            }
            filter.Append(",format=yuvj420p");
            var output = Path.Combine(work, "cover.jpg");
            arguments.AddRange(["-filter_complex", filter.ToString(), "-frames:v", "1", "-q:v", "2", "-fflags", "+bitexact", "-flags", "+bitexact", output]);
            await RunAsync(ffmpeg, arguments, cancellationToken);
            var made = await File.ReadAllBytesAsync(output, cancellationToken);
            Directory.CreateDirectory(cacheFolder);
            var temp = cached + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllBytesAsync(temp, made, cancellationToken);
            File.Move(temp, cached, overwrite: true);
            return made;
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover temporary folder is harmless.
            }
        }
    }

    /// <summary>The SHA-256 of everything that draws the picture.</summary>
    public static string Key(string title, string color, Asset? cover)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new { format = FormatVersion, size = Size, title, color, cover = cover?.Sha256, coverType = cover is null ? null : Path.GetExtension(cover.Path) });
        return Convert.ToHexStringLower(SHA256.HashData(json));
    }

    /// <summary>
    /// The title broken into lines and the font size that fits them into the band: the largest of a few sizes at which
    /// every line is at most as wide as the square less its margins (a bold letter is taken as 0.6 em wide).
    /// </summary>
    internal static (List<string> Lines, int FontSize) Fit(string title, int band)
    {
        var words = title.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        (List<string>, int) last = ([], 0);
        foreach (var size in new[] { 136, 116, 100, 84, 72, 60 })
        {
            var perLine = Math.Max(1, (int)((Size - 2 * Margin) / (size * 0.6)));
            var lines = new List<string>();
            foreach (var word in words)
            {
                if (lines.Count > 0 && lines[^1].Length + 1 + word.Length <= perLine) lines[^1] += " " + word;
                else lines.Add(word);
            }
            last = (lines, size);
            if (lines.All(l => l.Length <= perLine) && lines.Count * size * 1.2 <= band - 2 * Margin / 2) return last;
        }
        return last;
    }

    private static async Task RunAsync(string ffmpeg, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        await ProcessRunner.RunCheckedAsync(ffmpeg, arguments, null, TimeSpan.FromMinutes(2), "drawing the podcast's picture", cancellationToken);

    private static (int Width, int Height) PngSize(byte[] png) =>
        (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));

    private static bool IsJpeg(byte[] bytes) => bytes.Length > 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[^2] == 0xFF && bytes[^1] == 0xD9;

    /// <summary>A path as a filter option's value: forward slashes, and the colon of a drive letter escaped.</summary>
    private static string FilterPath(string path) => path.Replace('\\', '/').Replace(":", "\\\\:");

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}

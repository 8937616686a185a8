namespace ContentEngine.Compilation;

/// <summary>Reads the playing time of MP3 and WAV files from their headers, without decoding.</summary>
public static class MediaDuration
{
    public static double? Read(byte[] data, string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".mp3" => Mp3(data),
        ".wav" => Wav(data),
        _ => null,
    };

    private static double? Wav(byte[] d)
    {
        if (d.Length < 12 || d[0] != 'R' || d[1] != 'I' || d[2] != 'F' || d[3] != 'F') return null;
        int byteRate = 0;
        var i = 12;
        while (i + 8 <= d.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(d, i, 4);
            var size = BitConverter.ToInt32(d, i + 4);
            if (size < 0) return null;
            if (id == "fmt " && i + 16 <= d.Length) byteRate = BitConverter.ToInt32(d, i + 16);
            if (id == "data") return byteRate > 0 ? (double)Math.Min(size, d.Length - i - 8) / byteRate : null;
            i += 8 + size + (size & 1);
        }
        return null;
    }

    private static readonly int[] Mpeg1Layer3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    private static readonly int[] Mpeg2Layer3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    private static readonly int[] Rates1 = [44100, 48000, 32000];

    /// <summary>Counts MPEG audio layer III frames (skipping an ID3v2 tag); exact for CBR and VBR alike.</summary>
    private static double? Mp3(byte[] d)
    {
        var i = 0;
        if (d.Length > 10 && d[0] == 'I' && d[1] == 'D' && d[2] == '3')
            i = 10 + ((d[6] & 0x7f) << 21 | (d[7] & 0x7f) << 14 | (d[8] & 0x7f) << 7 | (d[9] & 0x7f));
        double seconds = 0;
        var frames = 0;
        while (i + 4 <= d.Length)
        {
            if (d[i] != 0xFF || (d[i + 1] & 0xE0) != 0xE0) { i++; continue; }
            var version = (d[i + 1] >> 3) & 3;      // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
            var layer = (d[i + 1] >> 1) & 3;        // 1 = layer III
            var bitrateIndex = d[i + 2] >> 4;
            var rateIndex = (d[i + 2] >> 2) & 3;
            var padding = (d[i + 2] >> 1) & 1;
            if (version == 1 || layer != 1 || bitrateIndex is 0 or 15 || rateIndex == 3) { i++; continue; }
            var rate = Rates1[rateIndex] / (version == 3 ? 1 : version == 2 ? 2 : 4);
            var bitrate = (version == 3 ? Mpeg1Layer3 : Mpeg2Layer3)[bitrateIndex] * 1000;
            var samples = version == 3 ? 1152 : 576;
            var length = samples / 8 * bitrate / rate + padding;
            if (length < 4) { i++; continue; }
            seconds += (double)samples / rate;
            frames++;
            i += length;
        }
        return frames > 0 ? seconds : null;
    }
}

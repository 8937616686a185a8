using System.Buffers.Binary;

namespace ContentEngine.Rendering.Audio;

/// <summary>Reads the length of a RIFF WAVE file from its header, without decoding it or starting a process; writes silence.</summary>
public static class WavFile
{
    /// <summary>Writes <paramref name="seconds"/> of digital silence as 16-bit mono PCM; returns its exact duration.</summary>
    public static double WriteSilence(string path, double seconds, int sampleRate)
    {
        var samples = (long)Math.Round(seconds * sampleRate);
        var dataBytes = checked((uint)(samples * 2));
        using var stream = File.Create(path);
        Span<byte> header = stackalloc byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], 1); // mono
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)sampleRate * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], dataBytes);
        stream.Write(header);
        var zeros = new byte[64 * 1024];
        for (long left = dataBytes; left > 0; left -= zeros.Length) stream.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
        return (double)samples / sampleRate;
    }

    /// <summary>The duration in seconds of the file's audio, or null when it is not a WAVE file this can read.</summary>
    public static double? Duration(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> header = stackalloc byte[12];
        if (stream.ReadAtLeast(header, 12, throwOnEndOfStream: false) < 12) return null;
        if (!header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8)) return null;
        uint byteRate = 0;
        Span<byte> chunk = stackalloc byte[8];
        Span<byte> format = stackalloc byte[16];
        while (stream.ReadAtLeast(chunk, 8, throwOnEndOfStream: false) == 8)
        {
            var id = chunk[..4];
            long size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || stream.ReadAtLeast(format, 16, throwOnEndOfStream: false) < 16) return null;
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(format[8..12]);
                stream.Seek(size - 16 + (size & 1), SeekOrigin.Current);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (byteRate == 0) return null;
                // A writer that could not seek back leaves the size unset: the data then runs to the end of the file.
                var available = stream.Length - stream.Position;
                if (size == 0 || size == uint.MaxValue || size > available) size = available;
                return (double)size / byteRate;
            }
            else
            {
                stream.Seek(size + (size & 1), SeekOrigin.Current);
            }
        }
        return null;
    }

    /// <summary>
    /// Joins WAVE files of one format into <paramref name="output"/>, with <paramref name="pauseSeconds"/> of silence
    /// between them; throws an <see cref="AudioException"/> when one cannot be read or their formats differ.
    /// </summary>
    public static void Join(IReadOnlyList<string> inputs, double pauseSeconds, string output)
    {
        byte[]? format = null;
        var datas = new List<byte[]>();
        foreach (var input in inputs)
        {
            var (fmt, data) = Read(input) ?? throw new AudioException($"{Path.GetFileName(input)} is not a WAVE file that can be read.");
            if (format is not null && !format.AsSpan().SequenceEqual(fmt))
                throw new AudioException("the speech engine wrote WAVE files of different formats for one text.");
            format = fmt;
            datas.Add(data);
        }
        if (format is null) throw new AudioException("there was no audio to join.");
        var blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(format.AsSpan(12));
        var byteRate = BinaryPrimitives.ReadUInt32LittleEndian(format.AsSpan(8));
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(format.AsSpan(14));
        var align = Math.Max(1, (int)blockAlign);
        var pause = new byte[align * (long)Math.Round(pauseSeconds * byteRate / align)];
        if (bits == 8) Array.Fill(pause, (byte)0x80);
        long dataBytes = datas.Sum(d => (long)d.Length) + pause.LongLength * (datas.Count - 1);
        using var stream = File.Create(output);
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(checked((uint)(4 + 8 + format.Length + 8 + dataBytes)));
        writer.Write("WAVEfmt "u8);
        writer.Write((uint)format.Length);
        writer.Write(format);
        writer.Write("data"u8);
        writer.Write(checked((uint)dataBytes));
        for (var i = 0; i < datas.Count; i++)
        {
            if (i > 0) writer.Write(pause);
            writer.Write(datas[i]);
        }
    }

    /// <summary>A WAVE file's format chunk and audio data, or null when it is not one this can read.</summary>
    private static (byte[] Format, byte[] Data)? Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || !bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8)) return null;
        byte[]? format = null;
        var at = 12;
        while (at + 8 <= bytes.Length)
        {
            var id = bytes.AsSpan(at, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            var body = at + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + size > bytes.Length) return null;
                format = bytes.AsSpan(body, (int)size).ToArray();
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is null) return null;
                // A writer that could not seek back leaves the size unset: the data then runs to the end of the file.
                if (size == 0 || size == uint.MaxValue || body + size > bytes.Length) size = bytes.Length - body;
                return (format, bytes.AsSpan(body, (int)size).ToArray());
            }
            at = (int)Math.Min(int.MaxValue, body + size + (size & 1));
        }
        return null;
    }
}

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
}

using System.Buffers.Binary;

namespace ContentEngine.Rendering.Audio;

/// <summary>Reads the length of a RIFF WAVE file from its header, without decoding it or starting a process.</summary>
public static class WavFile
{
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

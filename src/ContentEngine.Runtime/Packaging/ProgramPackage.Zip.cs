using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace ContentEngine.Runtime.Packaging;

/// <summary>The zip itself: its size, its list of entries and their names, checked before anything is unpacked.</summary>
public sealed partial class ProgramPackage
{
    /// <summary>A stream that cannot seek, copied to memory up to <see cref="MaxUncompressedBytes"/> (a zip is read from its end).</summary>
    private static MemoryStream Buffered(Stream stream)
    {
        var copy = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk)) > 0)
        {
            if (copy.Length + n > MaxUncompressedBytes)
                throw new PackageException(PackageError.TooLarge, $"the package is larger than {MaxUncompressedBytes / Mebi} MiB; it is refused");
            copy.Write(chunk, 0, n);
        }
        copy.Position = 0;
        return copy;
    }

    /// <summary>
    /// Refuses a zip whose end record announces more than <see cref="MaxEntries"/> entries, or a central
    /// directory far larger than its entries need, before the zip library reads the directory into memory.
    /// What is not a zip is left to the zip library to refuse.
    /// </summary>
    private static void CheckEntryCount(Stream stream)
    {
        const int EndRecord = 22;
        var start = stream.Position;
        var tail = (int)Math.Min(stream.Length - start, EndRecord + ushort.MaxValue);
        if (tail < EndRecord) return;
        var buffer = new byte[tail];
        stream.Position = stream.Length - tail;
        stream.ReadExactly(buffer);
        stream.Position = start;
        var at = -1;
        for (var i = tail - EndRecord; i >= 0 && at < 0; i--)
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i)) == 0x06054b50) at = i;
        if (at < 0) return;
        long entries = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(at + 10));
        long directory = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at + 12));
        // Zip64: the counts are in a record the locator before the end record points to.
        if ((entries == ushort.MaxValue || directory == uint.MaxValue) && at >= 20
            && BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at - 20)) == 0x07064b50)
        {
            var record = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(at - 20 + 8));
            if (record < 0 || record > stream.Length - 56) return;
            var zip64 = new byte[56];
            stream.Position = record;
            stream.ReadExactly(zip64);
            stream.Position = start;
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip64) != 0x06064b50) return;
            entries = BinaryPrimitives.ReadInt64LittleEndian(zip64.AsSpan(32));
            directory = BinaryPrimitives.ReadInt64LittleEndian(zip64.AsSpan(40));
        }
        if (entries < 0 || entries > MaxEntries)
            throw new PackageException(PackageError.TooLarge, $"the package holds {(ulong)entries} entries, more than the {MaxEntries} this library opens");
        if (directory > (entries + 1) * MaxDirectoryRecordBytes)
            throw new PackageException(PackageError.NotAPackage, $"the package's list of entries takes {directory} bytes for {entries} entries: it is damaged or crafted");
    }

    /// <summary>The zip's file entries by name, every name checked before anything is unpacked.</summary>
    private static Dictionary<string, ZipArchiveEntry> Entries(ZipArchive zip)
    {
        IReadOnlyCollection<ZipArchiveEntry> all;
        try
        {
            all = zip.Entries;
        }
        catch (InvalidDataException e)
        {
            throw NotReadable(e);
        }
        if (all.Count > MaxEntries)
            throw new PackageException(PackageError.TooLarge, $"the package holds {all.Count} entries, more than the {MaxEntries} this library opens");
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        var folded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in all)
        {
            var name = entry.FullName;
            var isFolder = name.EndsWith('/');
            if (UnsafeName(isFolder ? name[..^1] : name) is { } why)
                throw new PackageException(PackageError.NotAPackage, $"the package holds an entry with an unsafe name '{Printable(name)}': {why}", name);
            // The upper 16 bits are the Unix mode where the zip was made on Unix.
            if (((entry.ExternalAttributes >> 16) & UnixFileTypeMask) == UnixSymlink)
                throw new PackageException(PackageError.NotAPackage, $"the package's entry '{name}' is a symbolic link", name);
            if (isFolder) continue; // some zip tools add folder entries
            if (!entries.TryAdd(name, entry))
                throw new PackageException(PackageError.NotAPackage, $"the package holds '{name}' twice", name);
            if (!folded.TryAdd(name, name))
                throw new PackageException(PackageError.NotAPackage, $"the package holds '{folded[name]}' and '{name}', names that differ only in case", name);
        }
        return entries;
    }

    /// <summary>Why a path inside the package is unsafe to unpack anywhere, or null when it is safe.</summary>
    internal static string? UnsafeName(string name)
    {
        if (name.Length == 0) return "it is empty";
        if (name.StartsWith('/')) return "it is absolute";
        if (name.Contains('\\')) return "it contains a backslash";
        if (name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0])) return "it names a drive";
        if (name.Any(char.IsControl)) return "it contains a control character";
        foreach (var segment in name.Split('/'))
            if (segment is "" or "." or "..") return segment.Length == 0 ? "it has an empty segment" : $"it has a '{segment}' segment";
        return null;
    }

    private static string Printable(string name) => string.Concat(name.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    /// <summary>
    /// Unpacks at most <paramref name="limit"/> bytes of an entry, then tries one byte more, so that a
    /// longer entry is noticed without unpacking it: the count is the bytes read, <paramref name="limit"/> + 1
    /// when there were more. The buffer starts at <paramref name="expected"/> bytes and grows only as bytes arrive;
    /// unless <paramref name="keep"/>, it is one chunk, used again and again, and the bytes are only hashed.
    /// </summary>
    private static (byte[] Bytes, long Read) ReadAtMost(ZipArchiveEntry entry, int expected, int limit, IncrementalHash? hash, bool keep)
    {
        const int Chunk = 1 << 16;
        var buffer = new byte[keep ? Math.Min(expected, limit) : Math.Min(Chunk, limit)];
        var read = 0;
        try
        {
            using var s = entry.Open();
            while (read < limit)
            {
                var at = keep ? read : 0;
                if (keep && read == buffer.Length)
                    Array.Resize(ref buffer, (int)Math.Min(limit, Math.Max(4096L, buffer.Length * 2L)));
                var n = s.Read(buffer, at, Math.Min(Math.Min(buffer.Length - at, limit - read), 1 << 20));
                if (n == 0) break;
                hash?.AppendData(buffer, at, n);
                read += n;
            }
            if (read == limit && s.ReadByte() >= 0) return (buffer, limit + 1L);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException)
        {
            throw NotReadable(e, entry.FullName);
        }
        return (buffer, read);
    }

    /// <summary>
    /// Where a package's bytes are: a file, opened again for each read (and refused if it changed since it was
    /// opened), or a copy in memory of a stream's.
    /// </summary>
    private sealed class PackageSource
    {
        private readonly string? _path;
        private readonly byte[]? _bytes;
        private readonly int _count;
        private readonly DateTime _written;

        private PackageSource(string? path, byte[]? bytes, int count, long length, DateTime written) =>
            (_path, _bytes, _count, Length, _written) = (path, bytes, count, length, written);

        /// <summary>The package's size in bytes, packed.</summary>
        public long Length { get; }

        public static PackageSource FromFile(string path)
        {
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists)
                    throw new PackageException(PackageError.NotFound, $"there is no package file '{path}': give the path of a .cepkg file that exists", path);
                return new PackageSource(info.FullName, null, 0, info.Length, info.LastWriteTimeUtc);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new PackageException(PackageError.NotFound, $"the package file '{path}' cannot be read ({e.Message})", path, e);
            }
        }

        /// <summary>The stream's bytes from its position, copied (at most <see cref="MaxUncompressedBytes"/>).</summary>
        public static PackageSource FromStream(Stream stream)
        {
            var copy = stream.CanSeek && stream.Length - stream.Position <= MaxUncompressedBytes ? Copy(stream) : Buffered(stream);
            return new PackageSource(null, copy.GetBuffer(), (int)copy.Length, copy.Length, default);
        }

        private static MemoryStream Copy(Stream stream)
        {
            var copy = new MemoryStream(checked((int)(stream.Length - stream.Position)));
            stream.CopyTo(copy);
            return copy;
        }

        /// <summary>The package as a zip, its list of entries read; <paramref name="checkEntryCount"/> first checks the zip's end record.</summary>
        public ZipArchive OpenZip(bool checkEntryCount = false)
        {
            Stream stream = _bytes is not null ? new MemoryStream(_bytes, 0, _count, writable: false) : OpenFile();
            try
            {
                if (checkEntryCount) CheckEntryCount(stream);
                return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
            }
            catch (Exception e)
            {
                stream.Dispose();
                if (e is InvalidDataException) throw NotReadable(e);
                throw;
            }
        }

        private FileStream OpenFile()
        {
            try
            {
                var stream = new FileStream(_path!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                var info = new FileInfo(_path!);
                if (stream.Length != Length || info.LastWriteTimeUtc != _written)
                {
                    stream.Dispose();
                    throw new PackageException(PackageError.NotAPackage, $"the package file '{_path}' was changed after it was opened: open it again", _path);
                }
                return stream;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new PackageException(PackageError.NotFound, $"the package file '{_path}' can no longer be read ({e.Message}): open it again", _path, e);
            }
        }
    }
}

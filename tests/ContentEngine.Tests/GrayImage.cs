using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ContentEngine.Tests;

/// <summary>
/// An 8-bit grayscale raster: read from the binary PGM that pdftoppm writes, and read and written as PNG
/// (the format the reference images are kept in, so that a person can look at them).
/// </summary>
public sealed class GrayImage
{
    public GrayImage(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0 || pixels.Length != width * height)
            throw new ArgumentException($"{width}×{height} does not match {pixels.Length} pixels");
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Row by row from the top left; 0 is black, 255 white.</summary>
    public byte[] Pixels { get; }

    public byte this[int x, int y] => Pixels[y * Width + x];

    public GrayImage Clone() => new(Width, Height, (byte[])Pixels.Clone());

    // ---- PGM (P5) ----

    /// <summary>A binary PGM with a maximum value of 255, as <c>pdftoppm -gray</c> writes it.</summary>
    public static GrayImage ReadPgm(byte[] data)
    {
        var pos = 0;
        string Token()
        {
            while (true)
            {
                while (pos < data.Length && char.IsWhiteSpace((char)data[pos])) pos++;
                if (pos < data.Length && data[pos] == '#')
                {
                    while (pos < data.Length && data[pos] != '\n') pos++;
                    continue;
                }
                break;
            }
            var start = pos;
            while (pos < data.Length && !char.IsWhiteSpace((char)data[pos])) pos++;
            return Encoding.ASCII.GetString(data, start, pos - start);
        }
        if (Token() != "P5") throw new InvalidDataException("not a binary PGM (P5)");
        var width = int.Parse(Token(), CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), CultureInfo.InvariantCulture);
        var max = int.Parse(Token(), CultureInfo.InvariantCulture);
        if (max != 255) throw new InvalidDataException($"PGM with maximum {max}; only 255 is read");
        pos++; // the one whitespace character after the maximum
        if (data.Length - pos < width * height) throw new InvalidDataException("PGM shorter than its size says");
        return new GrayImage(width, height, data.AsSpan(pos, width * height).ToArray());
    }

    // ---- PNG ----

    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>
    /// A grayscale 8-bit PNG. Each row takes the filter that makes it smallest, unless
    /// <paramref name="filterForRow"/> picks one (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth).
    /// </summary>
    public byte[] ToPng(Func<int, int>? filterForRow = null)
    {
        var raw = new MemoryStream();
        var previous = new byte[Width];
        var candidate = new byte[Width];
        var best = new byte[Width];
        for (var y = 0; y < Height; y++)
        {
            var row = Pixels.AsSpan(y * Width, Width);
            int chosen;
            if (filterForRow is not null)
            {
                chosen = filterForRow(y);
                Filter(chosen, row, previous, best);
            }
            else
            {
                chosen = 0;
                var bestCost = long.MaxValue;
                for (var f = 0; f <= 4; f++)
                {
                    Filter(f, row, previous, candidate);
                    long cost = 0;
                    foreach (var b in candidate) cost += b < 128 ? b : 256 - b;
                    if (cost < bestCost)
                    {
                        bestCost = cost;
                        chosen = f;
                        candidate.CopyTo(best, 0);
                    }
                }
            }
            raw.WriteByte((byte)chosen);
            raw.Write(best);
            row.CopyTo(previous);
        }

        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            raw.WriteTo(z);

        var png = new MemoryStream();
        png.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8; // bit depth
        header[9] = 0; // grayscale; compression, filter method and interlace stay 0
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Filter(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> up, Span<byte> output)
    {
        for (var x = 0; x < row.Length; x++)
        {
            int a = x > 0 ? row[x - 1] : 0, b = up[x], c = x > 0 ? up[x - 1] : 0;
            output[x] = (byte)(row[x] - filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => Paeth(a, b, c),
                _ => throw new ArgumentOutOfRangeException(nameof(filter)),
            });
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        s.Write(number);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32([.. typeBytes, .. data]));
        s.Write(number);
    }

    /// <summary>
    /// Reads an 8-bit, non-interlaced PNG: grayscale (with or without alpha) or RGB(A), the latter two
    /// turned to gray, so a reference that was saved again by an image editor still reads. All five
    /// row filters are undone.
    /// </summary>
    public static GrayImage ReadPng(byte[] data)
    {
        if (data.Length < 8 || !data.AsSpan(0, 8).SequenceEqual(Signature)) throw new InvalidDataException("not a PNG");
        int width = 0, height = 0, channels = 0;
        var idat = new MemoryStream();
        var pos = 8;
        var ended = false;
        while (!ended)
        {
            if (pos + 12 > data.Length) throw new InvalidDataException("PNG ends inside a chunk");
            var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(pos));
            var type = Encoding.ASCII.GetString(data, pos + 4, 4);
            if (length < 0 || pos + 12 + length > data.Length) throw new InvalidDataException($"PNG chunk {type} is longer than the file");
            var body = data.AsSpan(pos + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos + 8 + length));
            if (crc != Crc32(data.AsSpan(pos + 4, 4 + length))) throw new InvalidDataException($"PNG chunk {type} has a wrong CRC");
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(body);
                    height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                    var (depth, color, interlace) = (body[8], body[9], body[12]);
                    channels = color switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => 0 };
                    if (depth != 8 || channels == 0 || interlace != 0)
                        throw new NotSupportedException($"PNG with bit depth {depth}, color type {color}, interlace {interlace}: only 8-bit non-interlaced gray or RGB(A) is read");
                    break;
                case "IDAT":
                    idat.Write(body);
                    break;
                case "IEND":
                    ended = true;
                    break;
            }
            pos += 12 + length;
        }
        if (channels == 0) throw new InvalidDataException("PNG without IHDR");

        var stride = width * channels;
        var raw = new MemoryStream();
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
            z.CopyTo(raw);
        var bytes = raw.GetBuffer();
        if (raw.Length < (long)(stride + 1) * height) throw new InvalidDataException("PNG image data is shorter than its size says");

        var previous = new byte[stride];
        var current = new byte[stride];
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var offset = y * (stride + 1);
            var filter = bytes[offset];
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? current[x - channels] : 0, b = previous[x], c = x >= channels ? previous[x - channels] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG row {y} has the unknown filter {filter}"),
                };
                current[x] = (byte)(bytes[offset + 1 + x] + predictor);
            }
            for (var x = 0; x < width; x++)
            {
                var p = current.AsSpan(x * channels, channels);
                pixels[y * width + x] = channels switch
                {
                    1 or 2 => p[0],
                    _ => (byte)((p[0] * 299 + p[1] * 587 + p[2] * 114 + 500) / 1000),
                };
            }
            (previous, current) = (current, previous);
        }
        return new GrayImage(width, height, pixels);
    }

    private static readonly uint[] CrcTable = MakeCrcTable();

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}

/// <summary>How far a rendered page is from its reference image, and whether that is within the tolerance.</summary>
public sealed record ImageDifference(double MeanAbsolute, double DifferingFraction, int Differing, int Ink)
{
    /// <summary>
    /// Mean absolute difference of all pixels, of 255: catches a page that changed everywhere a little
    /// (a tint, a different font). Anti-aliasing noise of ±24 levels on every pixel at an edge stays below 1
    /// on a form, and near 2.5 on a page as dense as a diary's grid set at 10.5 pt.
    /// </summary>
    public const double MaxMeanAbsolute = 3.0;

    /// <summary>A pixel "differs" when its gray values are further apart than this.</summary>
    public const int DifferingBy = 64;

    /// <summary>
    /// The share of all pixels that may differ: 0.05 %, about 120 pixels of an A4 page at 50 dpi.
    /// Leaving out one field of a form (a yes/no question, a row of numbers to circle) makes 500 to
    /// 1,000 pixels differ (0.2–0.4 %), and moving it by 1 mm as many; anti-aliasing noise makes none.
    /// </summary>
    public const double MaxDifferingFraction = 0.0005;

    public static ImageDifference Between(GrayImage reference, GrayImage actual)
    {
        if (reference.Width != actual.Width || reference.Height != actual.Height)
            return new ImageDifference(255, 1, reference.Pixels.Length, 0);
        long sum = 0;
        int differing = 0, ink = 0;
        for (var i = 0; i < reference.Pixels.Length; i++)
        {
            var d = Math.Abs(reference.Pixels[i] - actual.Pixels[i]);
            sum += d;
            if (d > DifferingBy) differing++;
            if (reference.Pixels[i] < 128) ink++;
        }
        return new ImageDifference((double)sum / reference.Pixels.Length, (double)differing / reference.Pixels.Length, differing, ink);
    }

    public bool WithinTolerance => MeanAbsolute < MaxMeanAbsolute && DifferingFraction <= MaxDifferingFraction;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"mean absolute difference {MeanAbsolute:0.000} (limit {MaxMeanAbsolute}), {Differing} pixels differ by more than {DifferingBy} ({DifferingFraction:P3}, limit {MaxDifferingFraction:P3}); {Ink} dark pixels in the reference");
}

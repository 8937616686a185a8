using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ContentEngine.Rendering.Audio;

/// <summary>A chapter of a track for its tags: where it starts and ends, in seconds, and its title.</summary>
public sealed record TrackChapter(double Start, double End, string Title);

/// <summary>What a track's ID3 tag says.</summary>
/// <param name="Language">the language of the words, as an ISO 639-2 code such as <c>swe</c>.</param>
public sealed record Id3Fields(
    string Title, string Album, string Artist, int Track, int TrackCount, int Year, string Language, byte[] Cover, IReadOnlyList<TrackChapter> Chapters);

/// <summary>
/// Writes an ID3v2.3 tag (the version podcast apps and players read most widely) in front of an MP3: title (TIT2),
/// album (TALB), artist and album artist (TPE1, TPE2), track number as n/total (TRCK), year (TYER), language (TLAN),
/// the cover as the front-cover picture (APIC, JPEG), and the chapters (a CHAP frame each, with its title, and a CTOC
/// that lists them in order). A tag the encoder wrote is replaced. Written in memory from the cached audio, so the tags
/// change no sound and take no process: the audio cache keeps the untagged track, keyed by its sound only.
/// </summary>
public static class Id3Tag
{
    /// <summary>The MP3 with <paramref name="fields"/> as its only ID3v2 tag.</summary>
    public static byte[] Apply(byte[] mp3, Id3Fields fields)
    {
        var audio = mp3.AsSpan(ExistingTagLength(mp3));
        var frames = new MemoryStream();
        Text(frames, "TIT2", fields.Title);
        Text(frames, "TALB", fields.Album);
        Text(frames, "TPE1", fields.Artist);
        Text(frames, "TPE2", fields.Artist);
        Text(frames, "TRCK", string.Create(CultureInfo.InvariantCulture, $"{fields.Track}/{fields.TrackCount}"));
        Text(frames, "TYER", fields.Year.ToString("0000", CultureInfo.InvariantCulture));
        Text(frames, "TLAN", fields.Language);
        Picture(frames, fields.Cover);
        Chapters(frames, fields.Chapters);

        var body = frames.ToArray();
        var tag = new byte[10 + body.Length + audio.Length];
        "ID3"u8.CopyTo(tag);
        tag[3] = 3; // version 2.3.0
        WriteSyncsafe(tag.AsSpan(6, 4), body.Length);
        body.CopyTo(tag, 10);
        audio.CopyTo(tag.AsSpan(10 + body.Length));
        return tag;
    }

    /// <summary>
    /// The ISO 639-2 code TLAN takes for a locale such as <c>sv</c> or <c>en-GB</c> (the bibliographic code where there
    /// are two); <c>und</c> for a language not in the table. A table, since the tool runs without culture data.
    /// </summary>
    public static string LanguageCode(string locale)
    {
        var language = locale.Split('-', '_')[0].ToLowerInvariant();
        return language.Length == 3 ? language : Iso639.GetValueOrDefault(language, "und");
    }

    private static readonly Dictionary<string, string> Iso639 = new(StringComparer.Ordinal)
    {
        ["sv"] = "swe", ["en"] = "eng", ["da"] = "dan", ["no"] = "nor", ["nb"] = "nob", ["nn"] = "nno", ["fi"] = "fin",
        ["is"] = "ice", ["de"] = "ger", ["nl"] = "dut", ["fr"] = "fre", ["es"] = "spa", ["it"] = "ita", ["pt"] = "por",
        ["pl"] = "pol", ["et"] = "est", ["lv"] = "lav", ["lt"] = "lit", ["ru"] = "rus", ["uk"] = "ukr", ["ar"] = "ara",
        ["fa"] = "per", ["tr"] = "tur", ["so"] = "som", ["ti"] = "tir", ["ku"] = "kur", ["bs"] = "bos", ["hr"] = "hrv",
        ["sr"] = "srp", ["el"] = "gre", ["zh"] = "chi", ["ja"] = "jpn", ["ko"] = "kor", ["hi"] = "hin", ["ur"] = "urd",
    };

    /// <summary>The length of the ID3v2 tag at the start of <paramref name="mp3"/> (header, frames and footer), or 0.</summary>
    internal static int ExistingTagLength(ReadOnlySpan<byte> mp3)
    {
        if (mp3.Length < 10 || !mp3[..3].SequenceEqual("ID3"u8)) return 0;
        var size = (mp3[6] & 0x7f) << 21 | (mp3[7] & 0x7f) << 14 | (mp3[8] & 0x7f) << 7 | (mp3[9] & 0x7f);
        var footer = (mp3[5] & 0x10) != 0 ? 10 : 0;
        return Math.Min(mp3.Length, 10 + size + footer);
    }

    private static void Text(Stream frames, string id, string value)
    {
        var content = new MemoryStream();
        EncodedText(content, value);
        Frame(frames, id, content.ToArray());
    }

    private static void Picture(Stream frames, byte[] jpeg)
    {
        var content = new MemoryStream();
        content.WriteByte(0); // ISO-8859-1 for the description
        content.Write("image/jpeg\0"u8);
        content.WriteByte(3); // front cover
        content.WriteByte(0); // empty description
        content.Write(jpeg);
        Frame(frames, "APIC", content.ToArray());
    }

    private static void Chapters(Stream frames, IReadOnlyList<TrackChapter> chapters)
    {
        if (chapters.Count == 0) return;
        var toc = new MemoryStream();
        toc.Write("toc\0"u8);
        toc.WriteByte(0x03); // top level, ordered
        toc.WriteByte((byte)Math.Min(chapters.Count, 255));
        for (var i = 0; i < Math.Min(chapters.Count, 255); i++) toc.Write(Encoding.ASCII.GetBytes($"ch{i}\0"));
        Frame(frames, "CTOC", toc.ToArray());
        Span<byte> times = stackalloc byte[16];
        for (var i = 0; i < Math.Min(chapters.Count, 255); i++)
        {
            var chapter = new MemoryStream();
            chapter.Write(Encoding.ASCII.GetBytes($"ch{i}\0"));
            BinaryPrimitives.WriteUInt32BigEndian(times, (uint)Math.Round(chapters[i].Start * 1000));
            BinaryPrimitives.WriteUInt32BigEndian(times[4..], (uint)Math.Round(chapters[i].End * 1000));
            BinaryPrimitives.WriteUInt32BigEndian(times[8..], uint.MaxValue); // no byte offsets: players use the times
            BinaryPrimitives.WriteUInt32BigEndian(times[12..], uint.MaxValue);
            chapter.Write(times);
            Text(chapter, "TIT2", chapters[i].Title);
            Frame(frames, "CHAP", chapter.ToArray());
        }
    }

    /// <summary>ISO-8859-1 when the text fits it, else UTF-16 with a byte order mark (the two encodings ID3v2.3 has).</summary>
    private static void EncodedText(Stream content, string value)
    {
        if (value.All(c => c < 0x100))
        {
            content.WriteByte(0);
            content.Write(Encoding.Latin1.GetBytes(value));
        }
        else
        {
            content.WriteByte(1);
            content.Write([0xFF, 0xFE]);
            content.Write(Encoding.Unicode.GetBytes(value));
        }
    }

    private static void Frame(Stream frames, string id, byte[] content)
    {
        Span<byte> header = stackalloc byte[10];
        Encoding.ASCII.GetBytes(id, header);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], content.Length); // ID3v2.3 frame sizes are plain, not syncsafe
        frames.Write(header);
        frames.Write(content);
    }

    private static void WriteSyncsafe(Span<byte> target, int value)
    {
        for (var i = 3; i >= 0; i--)
        {
            target[i] = (byte)(value & 0x7f);
            value >>= 7;
        }
    }
}

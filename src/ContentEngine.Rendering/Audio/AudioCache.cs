using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContentEngine.Rendering.Audio;

/// <summary>What the cache keeps beside a track's MP3: its measurements and where its pieces start.</summary>
public sealed record AudioCacheEntry(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("durationSeconds")] double DurationSeconds,
    [property: JsonPropertyName("integratedLufs")] double IntegratedLufs,
    [property: JsonPropertyName("truePeakDbtp")] double TruePeakDbtp,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("segmentStarts")] double[] SegmentStarts);

/// <summary>A cached track: the MP3's bytes and what was measured.</summary>
public sealed record CachedTrack(byte[] Mp3, AudioCacheEntry Entry);

/// <summary>
/// Finished tracks by key: <c>&lt;key&gt;.mp3</c> and <c>&lt;key&gt;.json</c> in one folder. Files are written under a
/// temporary name and moved into place, the JSON last, so a reader sees a whole entry or none; an entry whose MP3
/// does not match its JSON's size and hash counts as missing. Nothing is ever deleted.
/// </summary>
public sealed class AudioCache(string folder)
{
    public string Folder { get; } = Path.GetFullPath(folder);

    private string Mp3Path(string key) => Path.Combine(Folder, key + ".mp3");

    private string JsonPath(string key) => Path.Combine(Folder, key + ".json");

    /// <summary>The track cached under <paramref name="key"/>, or null when there is none or it is damaged.</summary>
    public CachedTrack? TryGet(string key, string format)
    {
        try
        {
            if (!File.Exists(JsonPath(key)) || !File.Exists(Mp3Path(key))) return null;
            var entry = JsonSerializer.Deserialize<AudioCacheEntry>(File.ReadAllBytes(JsonPath(key)));
            if (entry is null || entry.Format != format || entry.SegmentStarts is null) return null;
            var mp3 = File.ReadAllBytes(Mp3Path(key));
            if (mp3.LongLength != entry.Size || Convert.ToHexStringLower(SHA256.HashData(mp3)) != entry.Sha256) return null;
            return new CachedTrack(mp3, entry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Keeps <paramref name="mp3File"/> under <paramref name="key"/>, with its measurements.</summary>
    public CachedTrack Put(string key, string format, string mp3File, MasteredTrack track, IReadOnlyList<double> segmentStarts)
    {
        Directory.CreateDirectory(Folder);
        var mp3 = File.ReadAllBytes(mp3File);
        var entry = new AudioCacheEntry(format, track.DurationSeconds, track.IntegratedLufs, track.TruePeakDbtp,
            mp3.LongLength, Convert.ToHexStringLower(SHA256.HashData(mp3)), [.. segmentStarts]);
        WriteAtomically(Mp3Path(key), mp3);
        WriteAtomically(JsonPath(key), JsonSerializer.SerializeToUtf8Bytes(entry, new JsonSerializerOptions { WriteIndented = true }));
        return new CachedTrack(mp3, entry);
    }

    private void WriteAtomically(string path, byte[] content)
    {
        var temp = Path.Combine(Folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, content);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}

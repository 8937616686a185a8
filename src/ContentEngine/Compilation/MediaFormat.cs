using System.Text;
using ContentEngine.Model;

namespace ContentEngine.Compilation;

/// <summary>
/// Whether a recording or its words are the kind of file their use needs, read from the file's first bytes, so that a
/// text file named .mp3 or captions that are not WebVTT are reported at the line that uses them, not by a player or
/// a later step of the build.
/// </summary>
public static class MediaFormat
{
    private const string Recording = "export the recording again from the recording or editing program in one of these formats, and give the file the ending of its format";

    /// <summary>The problem with <paramref name="head"/>, the first bytes of the file at <paramref name="programPath"/>, used as <paramref name="kind"/>; null when it fits.</summary>
    public static MediaProblem? Check(ReadOnlySpan<byte> head, string programPath, AssetKind kind)
    {
        var extension = Path.GetExtension(programPath).ToLowerInvariant();
        return kind switch
        {
            AssetKind.Audio or AssetKind.Video => Media(head, extension, kind),
            AssetKind.Captions => Captions(head, extension),
            AssetKind.Transcript => Transcript(head, extension),
            _ => null,
        };
    }

    private static MediaProblem? Media(ReadOnlySpan<byte> d, string extension, AssetKind kind)
    {
        var what = kind == AssetKind.Audio ? "audio" : "video";
        var formats = kind == AssetKind.Audio ? "MP3, M4A, AAC, OGG, Opus, WAV or FLAC" : "MP4, WebM, MOV or M4V";
        bool? fits = (kind, extension) switch
        {
            (AssetKind.Audio, ".mp3") => Starts(d, "ID3") || Frame(d),
            (AssetKind.Audio, ".wav") => Starts(d, "RIFF") && d.Length >= 12 && Encoding.ASCII.GetString(d[8..12]) == "WAVE",
            (AssetKind.Audio, ".ogg" or ".opus") => Starts(d, "OggS"),
            (AssetKind.Audio, ".flac") => Starts(d, "fLaC"),
            (AssetKind.Audio, ".aac") => Starts(d, "ID3") || (d.Length >= 2 && d[0] == 0xFF && (d[1] & 0xF6) == 0xF0),
            (AssetKind.Audio, ".m4a") or (AssetKind.Video, ".mp4" or ".m4v" or ".mov") => IsoMedia(d),
            (AssetKind.Video, ".webm") => d.Length >= 4 && d[0] == 0x1A && d[1] == 0x45 && d[2] == 0xDF && d[3] == 0xA3,
            _ => null,
        };
        if (fits is null)
            return new MediaProblem($"is not {what} ({(extension.Length > 0 ? extension : "no ending")}), but {what} must be {formats}", Recording);
        if (fits == true) return null;
        var name = extension.TrimStart('.').ToUpperInvariant();
        return new MediaProblem(
            IsText(d) ? $"is named {extension} but holds text, not {name} {what} (it begins '{Begins(d)}')" : $"is named {extension} but is not {name} {what}: its first bytes are not those of a {name} file",
            $"{Recording}; {what} must be {formats}");
    }

    private static MediaProblem? Captions(ReadOnlySpan<byte> d, string extension)
    {
        const string Fix = "save the captions as WebVTT (.vtt): a file that begins with the line WEBVTT, then each caption after its times, as in '00:00:01.000 --> 00:00:04.000' (subtitle editors save it; a .srt becomes WebVTT when the first line WEBVTT is added and the commas in its times become points)";
        if (extension == ".srt") return new MediaProblem("is in SubRip (.srt), but captions must be WebVTT, which browsers show", Fix);
        if (extension != ".vtt") return new MediaProblem($"is not WebVTT ({(extension.Length > 0 ? extension : "no ending")}), but captions must be, since browsers show only WebVTT", Fix);
        var text = Starts(d, "\uFEFF") ? d[3..] : d;
        if (Starts(text, "WEBVTT") && (text.Length == 6 || text[6] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return null;
        return new MediaProblem($"does not begin with the line WEBVTT{(IsText(d) ? $" (it begins '{Begins(d)}')" : "")}, so browsers show none of its captions", "add a first line WEBVTT and a blank line after it");
    }

    private static MediaProblem? Transcript(ReadOnlySpan<byte> d, string extension)
    {
        var kind = AssetResolver.KindFromPath("x" + extension);
        if (kind is AssetKind.Audio or AssetKind.Video or AssetKind.Image)
            return new MediaProblem($"is {(kind == AssetKind.Image ? "a picture" : kind == AssetKind.Audio ? "a recording" : "a video")} ({extension}), not a transcript",
                "the transcript is a text file (.txt) with the words spoken in the recording, in media/ beside it");
        if (!IsText(d))
            return new MediaProblem("is not text, so it cannot be a transcript", "save the words spoken in the recording as plain text (UTF-8), in a .txt file");
        return null;
    }

    private static bool Starts(ReadOnlySpan<byte> d, string prefix) =>
        d.StartsWith(Encoding.UTF8.GetBytes(prefix));

    /// <summary>An MPEG audio frame header: eleven set bits.</summary>
    private static bool Frame(ReadOnlySpan<byte> d) => d.Length >= 2 && d[0] == 0xFF && (d[1] & 0xE0) == 0xE0;

    /// <summary>An ISO base media file (MP4, M4A, MOV): a box type at bytes 4 to 8.</summary>
    private static bool IsoMedia(ReadOnlySpan<byte> d) =>
        d.Length >= 8 && Encoding.ASCII.GetString(d[4..8]) is "ftyp" or "moov" or "mdat" or "wide" or "free" or "skip" or "pnot";

    /// <summary>Whether the bytes read as UTF-8 text without NUL or other control characters than line ends and tabs.</summary>
    private static bool IsText(ReadOnlySpan<byte> d)
    {
        if (d.Length == 0) return true;
        foreach (var b in d)
            if (b < 0x20 && b is not (9 or 10 or 13)) return false;
        try
        {
            // The head may end inside a character: without flushing, the decoder keeps it for a next call.
            new UTF8Encoding(false, true).GetDecoder().GetChars(d, new char[d.Length], flush: false);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static string Begins(ReadOnlySpan<byte> d)
    {
        var text = Encoding.UTF8.GetString(d[..Math.Min(d.Length, 60)]).Split('\n')[0].Trim();
        return text.Length > 24 ? text[..24].TrimEnd() + "…" : text;
    }
}

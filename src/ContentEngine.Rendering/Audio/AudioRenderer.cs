using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentEngine.Model;

namespace ContentEngine.Rendering.Audio;

public sealed record AudioOptions
{
    /// <summary>Where finished tracks are kept between builds (in its <c>audio</c> subfolder).</summary>
    public required string CacheFolder { get; init; }

    /// <summary>The address the bundle will be served from; the feed's links are absolute under it. Null: no feed (podcast apps need absolute links).</summary>
    public string? BaseUrl { get; init; }

    /// <summary>How many tracks are made at the same time.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Called after each track is ready, from any thread, one call at a time: (done, total, "locale/module").</summary>
    public Action<int, int, string>? Progress { get; init; }

    /// <summary>The pace per locale for theme text and exercises, and the engine's settings (program.yaml's <c>speech</c>).</summary>
    public ContentEngine.Speech.SpeechSettings Voice { get; init; } = ContentEngine.Speech.SpeechSettings.Default;

    /// <summary>The speech engine; null for the one <see cref="Voice"/> names (<see cref="SpeechEngines.For"/>, run in the current folder).</summary>
    public ISpeechEngine? Speech { get; init; }

    public IAudioTool Tool { get; init; } = new FfmpegAudioTool();

    /// <summary>Seconds since 1970 (SOURCE_DATE_EPOCH): the feed's date when the program has no approval date (<see cref="PodcastFeed.BaseDate"/>).</summary>
    public long? SourceDateEpoch { get; init; }

    /// <summary>The theme's strings, for the spoken cues; null for the built-in theme's.</summary>
    public Web.UiStrings? Strings { get; init; }
}

/// <summary>
/// The audio bundle, per locale: a track for each module (<c>&lt;locale&gt;/&lt;module&gt;.mp3</c>) with its transcript
/// (<c>.txt</c>) and chapters (<c>.chapters.json</c>, Podcasting 2.0), extended M3U playlists for the program, each phase
/// and each week, the podcast's picture (<c>cover.jpg</c>, <see cref="PodcastCover"/>), a podcast feed (<c>feed.xml</c>,
/// <see cref="PodcastFeed"/>; only with <see cref="AudioOptions.BaseUrl"/>) and a manifest. Paths are relative to the
/// bundle's root. Tracks are cached by a hash of everything that makes their sound, and tagged (<see cref="Id3Tag"/>) as
/// they are written, so a build in which nothing changed starts no process.
/// </summary>
public static class AudioRenderer
{
    /// <summary>Part of every cache key: raise it when the way tracks are made changes.</summary>
    public const string FormatVersion = "contentengine-audio/2";

    /// <summary>
    /// The silence between the pieces of a track, in seconds: before each chapter (a heading or an exercise) and around
    /// recordings. Longer than the pause between paragraphs (<see cref="EspeakSpeechEngine.ParagraphPauseMilliseconds"/>),
    /// so a listener hears a new section begin. A <c>::: pause</c> has no gap around it: its silence is exactly its length.
    /// </summary>
    public const double GapSeconds = 2.0;

    /// <summary>Renders the bundle; see <see cref="RenderAsync"/>.</summary>
    public static Bundle Render(ProgramGraph graph, AudioOptions options) => RenderAsync(graph, options).GetAwaiter().GetResult();

    /// <exception cref="AudioToolMissingException">a track must be made and ffmpeg, ffprobe or espeak-ng is not installed.</exception>
    /// <exception cref="AudioException">a tool failed, a locale has no voice, or a track could not be normalised.</exception>
    public static async Task<Bundle> RenderAsync(ProgramGraph graph, AudioOptions options, CancellationToken cancellationToken = default)
    {
        if (options.Speech is null) options = options with { Speech = SpeechEngines.For(options.Voice, Environment.CurrentDirectory) };
        var cache = new AudioCache(Path.Combine(options.CacheFolder, "audio"));
        var tracks = new List<Track>();
        foreach (var locale in graph.Locales)
            foreach (var module in graph.Modules)
            {
                var script = SpokenScript.For(graph, module, locale, options.Strings);
                tracks.Add(new Track(locale, module, script, CacheKey(script, options)));
            }

        var done = 0;
        var progressLock = new object();
        void Report(IEnumerable<Track> ready)
        {
            if (options.Progress is null) return;
            lock (progressLock)
                foreach (var t in ready) options.Progress(++done, tracks.Count, $"{t.Locale}/{t.Module.Id}");
        }

        // The cache first: tracks found there need no tool at all.
        var built = new Dictionary<string, CachedTrack>(StringComparer.Ordinal);
        var toMake = new List<IGrouping<string, Track>>();
        foreach (var group in tracks.GroupBy(t => t.Key, StringComparer.Ordinal))
        {
            if (cache.TryGet(group.Key, FormatVersion) is { } hit && hit.Entry.SegmentStarts.Length == group.First().Script.Segments.Length)
            {
                built[group.Key] = hit;
                Report(group);
            }
            else
            {
                toMake.Add(group);
            }
        }

        if (toMake.Count > 0)
        {
            var missing = options.Speech!.MissingTools().Concat(options.Tool.MissingTools()).Distinct(StringComparer.Ordinal).ToList();
            if (missing.Count > 0) throw new AudioToolMissingException(missing);
            foreach (var language in toMake.Select(g => g.First().Script)
                         .Where(s => s.Segments.OfType<SpeechSegment>().Any()).Select(s => s.Language).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                await options.Speech.CheckVoiceAsync(language, cancellationToken);

            var work = Path.Combine(Path.GetTempPath(), "contentengine-audio-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(work);
            try
            {
                var made = new ConcurrentDictionary<string, CachedTrack>(StringComparer.Ordinal);
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken };
                await Parallel.ForEachAsync(toMake, parallel, async (group, ct) =>
                {
                    var track = group.First();
                    made[group.Key] = await MakeAsync(graph, track, cache, options, Path.Combine(work, group.Key[..16]), ct);
                    Report(group);
                });
                foreach (var (key, value) in made) built[key] = value;
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

        var bundle = new Bundle();
        foreach (var locale in graph.Locales)
        {
            var cover = await PodcastCover.GetAsync(graph, locale, cache.Folder, cancellationToken);
            WriteLocale(bundle, graph, locale, [.. tracks.Where(t => t.Locale == locale).Select(t => (t, built[t.Key]))], cover, options);
        }
        return bundle;
    }

    private sealed record Track(string Locale, Module Module, SpokenScript Script, string Key);

    /// <summary>
    /// The tracks of a rendered audio bundle as the web bundle carries and plays them, read from its manifests and
    /// chapter files: each MP3's bytes (the same bytes, copied into the web bundle) and its chapters.
    /// </summary>
    public static Web.WebAudio Describe(Bundle audio)
    {
        var tracks = new Dictionary<string, Web.WebAudioTrack>(StringComparer.Ordinal);
        foreach (var (path, bytes) in audio.Files.Where(f => f.Key.EndsWith("/manifest.json", StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var locale = path[..path.IndexOf('/')];
            using var manifest = JsonDocument.Parse(bytes);
            foreach (var track in manifest.RootElement.GetProperty("tracks").EnumerateArray())
            {
                var module = track.GetProperty("module").GetString()!;
                if (!audio.Files.TryGetValue($"{locale}/{track.GetProperty("file").GetString()}", out var mp3)) continue;
                var chapters = new List<Web.WebAudioChapter>();
                if (audio.Files.TryGetValue($"{locale}/{track.GetProperty("chapters").GetString()}", out var chapterBytes))
                {
                    using var json = JsonDocument.Parse(chapterBytes);
                    chapters.AddRange(json.RootElement.GetProperty("chapters").EnumerateArray()
                        .Select(c => new Web.WebAudioChapter(c.GetProperty("startTime").GetDouble(), c.GetProperty("title").GetString() ?? string.Empty)));
                }
                tracks[$"{locale}/{module}"] = new Web.WebAudioTrack(mp3, chapters);
            }
        }
        return new Web.WebAudio(tracks);
    }

    /// <summary>
    /// The SHA-256 of everything that decides a track's sound: the format version, the language, the speech engine and
    /// voice, the audio tool's settings, the gap, and each piece in order (the words to speak, the recording's hash, or
    /// the seconds of a pause's silence).
    /// </summary>
    public static string CacheKey(SpokenScript script, AudioOptions options)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("format", FormatVersion);
            json.WriteString("locale", script.Language);
            var engine = options.Speech ?? SpeechEngines.For(options.Voice, Environment.CurrentDirectory);
            json.WriteString("speech", engine.Name);
            json.WriteString("voice", engine.VoiceFor(script.Language));
            json.WriteString("tool", options.Tool.Settings);
            json.WriteNumber("gap", GapSeconds);
            json.WriteStartArray("segments");
            foreach (var segment in script.Segments)
            {
                json.WriteStartObject();
                if (segment is SpeechSegment speech)
                {
                    json.WriteString("language", speech.Language);
                    json.WriteString("say", speech.Text);
                    json.WriteNumber("rate", options.Voice.RateFor(speech.Language, speech.Exercise));
                }
                else if (segment is RecordingSegment recording)
                {
                    json.WriteString("play", recording.Recording.Sha256);
                }
                else if (segment is SilenceSegment silence)
                {
                    json.WriteNumber("silence", silence.Seconds);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(stream.ToArray()));
    }

    private static async Task<CachedTrack> MakeAsync(ProgramGraph graph, Track track, AudioCache cache, AudioOptions options, string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        try
        {
            var pieces = new List<string>();
            var starts = new List<double>();
            var gaps = Gaps(track.Script.Segments);
            var position = 0.0;
            var index = 0;
            foreach (var segment in track.Script.Segments)
            {
                var piece = Path.Combine(folder, $"{index:000}.wav");
                double duration;
                if (segment is SilenceSegment silence)
                {
                    duration = WavFile.WriteSilence(piece, silence.Seconds, SilenceSampleRate);
                }
                else if (segment is SpeechSegment speech)
                {
                    await options.Speech!.SynthesizeAsync(speech.Text, speech.Language, options.Voice.RateFor(speech.Language, speech.Exercise), piece, ct);
                    duration = WavFile.Duration(piece) ?? await options.Tool.DurationAsync(piece, ct);
                }
                else
                {
                    // Read through the store, which refuses a file that changed since it was compiled.
                    var recording = ((RecordingSegment)segment).Recording;
                    var source = Path.Combine(folder, $"{index:000}-recording{Path.GetExtension(recording.Path)}");
                    await File.WriteAllBytesAsync(source, graph.Store.Read(recording), ct);
                    duration = await options.Tool.DecodeAsync(source, piece, ct);
                    File.Delete(source);
                }
                starts.Add(position);
                position += duration + gaps[index];
                pieces.Add(piece);
                index++;
            }
            var joined = Path.Combine(folder, "joined.wav");
            await options.Tool.JoinAsync(pieces, gaps, joined, ct);
            foreach (var piece in pieces) File.Delete(piece);
            var mp3 = Path.Combine(folder, "track.mp3");
            var mastered = await options.Tool.MasterAsync(joined, mp3, ct);
            return cache.Put(track.Key, FormatVersion, mp3, mastered, starts);
        }
        catch (AudioException e) when (!e.Message.StartsWith(track.Locale + "/", StringComparison.Ordinal) && e is not AudioToolMissingException)
        {
            throw new AudioException($"{track.Locale}/{track.Module.Id}: {e.Message}", e);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Removed with the whole work folder.
            }
        }
    }

    /// <summary>The sample rate of a pause's silence; joining brings every piece to the tool's rate.</summary>
    private const int SilenceSampleRate = 24000;

    /// <summary>The silence after each piece: <see cref="GapSeconds"/>, except next to a pause, which is silence enough.</summary>
    internal static double[] Gaps(IReadOnlyList<ScriptSegment> segments) =>
        [.. segments.Select((s, i) => i == segments.Count - 1 || s is SilenceSegment || segments[i + 1] is SilenceSegment ? 0 : GapSeconds)];

    // ---- the files of one locale ----

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void WriteLocale(Bundle bundle, ProgramGraph graph, string locale, List<(Track Track, CachedTrack Audio)> untagged, byte[] cover, AudioOptions options)
    {
        string T(LocalizedText? text) => text?.Get(locale, graph.DefaultLocale) ?? string.Empty;
        var programTitle = T(graph.Title);
        var date = PodcastFeed.BaseDate(graph, options.SourceDateEpoch, DateOnly.FromDateTime(DateTime.UtcNow));

        // The tracks as the bundle holds them: the cached sound with the tags of this program and place.
        var tracks = untagged.Select((t, i) => (t.Track, Audio: Tagged(graph, locale, t.Track, t.Audio, i + 1, untagged.Count, date.Year, cover))).ToList();
        foreach (var (track, audio) in tracks)
        {
            var id = track.Module.Id;
            bundle.Add($"{locale}/{id}.mp3", audio.Mp3);
            bundle.Add($"{locale}/{id}.txt", track.Script.Transcript());
            bundle.Add($"{locale}/{id}.chapters.json", Chapters(track, audio, programTitle));
        }
        bundle.Add($"{locale}/{PodcastFeed.CoverFile}", cover);

        bundle.Add($"{locale}/program.m3u", Playlist(programTitle, tracks));
        foreach (var phase in graph.Phases)
        {
            var inPhase = tracks.Where(t => t.Track.Module.Phase == phase.Id).ToList();
            if (inPhase.Count > 0) bundle.Add($"{locale}/phase-{phase.Id}.m3u", Playlist(T(phase.Title), inPhase));
        }
        foreach (var week in tracks.GroupBy(t => t.Track.Module.ProgramWeek).OrderBy(g => g.Key))
            bundle.Add($"{locale}/week-{week.Key:00}.m3u", Playlist(null, [.. week]));

        // Podcast apps need absolute links: without the address the bundle is served from there is no feed (the build says so).
        if (options.BaseUrl is { } baseUrl)
            bundle.Add($"{locale}/feed.xml", PodcastFeed.Write(graph, locale, baseUrl,
                [.. tracks.Select(t => new FeedEpisode(t.Track.Module, t.Track.Script, t.Audio.Entry.Size, t.Audio.Entry.DurationSeconds))], date));
        bundle.Add($"{locale}/manifest.json", Manifest(graph, locale, tracks));
    }

    /// <summary>
    /// The track with its ID3 tag (<see cref="Id3Tag"/>): its title, the program's title as album, the provider (else the
    /// program) as artist, its place in the schedule, the year of the feed's date, its language, the cover and its chapters.
    /// Its entry's size and hash are the tagged file's.
    /// </summary>
    private static CachedTrack Tagged(ProgramGraph graph, string locale, Track track, CachedTrack audio, int number, int count, int year, byte[] cover)
    {
        var album = graph.Title.Get(locale, graph.DefaultLocale);
        var artist = graph.Provider is { } provider ? provider.Name.Get(locale, graph.DefaultLocale) : album;
        var starts = ChapterStarts(track, audio);
        var chapters = starts.Select((c, i) => new TrackChapter(c.Start, i + 1 < starts.Count ? starts[i + 1].Start : audio.Entry.DurationSeconds, c.Title)).ToList();
        var language = Id3Tag.LanguageCode(track.Script.Language);
        var mp3 = Id3Tag.Apply(audio.Mp3, new Id3Fields(track.Script.Title, album, artist, number, count, year, language, cover, chapters));
        return new CachedTrack(mp3, audio.Entry with { Size = mp3.LongLength, Sha256 = Convert.ToHexStringLower(SHA256.HashData(mp3)) });
    }

    /// <summary>Where the track's chapters start: one at the start of the track and one per heading, in time order.</summary>
    private static List<(double Start, string Title)> ChapterStarts(Track track, CachedTrack audio)
    {
        var chapters = new List<(double, string)>();
        var last = double.NegativeInfinity;
        for (var i = 0; i < track.Script.Segments.Length; i++)
        {
            if (track.Script.Segments[i].Chapter is not { } title) continue;
            var start = Math.Round(audio.Entry.SegmentStarts[i], 3);
            if (start <= last) continue;
            chapters.Add((start, title));
            last = start;
        }
        return chapters;
    }

    /// <summary>Podcasting 2.0 JSON chapters: one at the start of the track and one per heading, in time order.</summary>
    private static string Chapters(Track track, CachedTrack audio, string programTitle)
    {
        var chapters = ChapterStarts(track, audio).Select(c => new { startTime = c.Start, title = c.Title });
        return JsonSerializer.Serialize(new { version = "1.2.0", title = track.Script.Title, podcastName = programTitle, chapters }, Json) + "\n";
    }

    private static string Playlist(string? title, IReadOnlyList<(Track Track, CachedTrack Audio)> tracks)
    {
        var sb = new StringBuilder("#EXTM3U\n");
        if (title is not null) sb.Append("#PLAYLIST:").Append(OneLine(title)).Append('\n');
        foreach (var (track, audio) in tracks)
            sb.Append(CultureInfo.InvariantCulture, $"#EXTINF:{audio.Entry.DurationSeconds:0.000},{OneLine(track.Script.Title)}\n{track.Module.Id}.mp3\n");
        return sb.ToString();
    }

    private static string Manifest(ProgramGraph graph, string locale, List<(Track Track, CachedTrack Audio)> tracks) =>
        JsonSerializer.Serialize(new
        {
            program = graph.Id,
            version = graph.Version,
            locale,
            tracks = tracks.Select(t => new
            {
                module = t.Track.Module.Id,
                file = $"{t.Track.Module.Id}.mp3",
                title = t.Track.Script.Title,
                language = t.Track.Script.Language,
                durationSeconds = Math.Round(t.Audio.Entry.DurationSeconds, 3),
                sizeBytes = t.Audio.Entry.Size,
                sha256 = t.Audio.Entry.Sha256,
                integratedLufs = t.Audio.Entry.IntegratedLufs,
                truePeakDbtp = t.Audio.Entry.TruePeakDbtp,
                transcript = $"{t.Track.Module.Id}.txt",
                chapters = $"{t.Track.Module.Id}.chapters.json",
            }),
        }, Json) + "\n";

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

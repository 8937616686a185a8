using System.Security.Cryptography;
using ContentEngine.Model;
using ContentEngine.Rendering.Audio;
using Scriban.Runtime;

namespace ContentEngine.Rendering.Web;

/// <summary>
/// The modules' tracks in the web bundle: each MP3 under <c>&lt;locale&gt;/audio/</c> (the audio bundle's bytes), and its
/// transcript as a page of the site (<c>&lt;locale&gt;/transcripts/&lt;module&gt;.html</c>), so a bundle hosted on its own
/// plays and shows them, online and offline.
/// </summary>
public static partial class WebRenderer
{
    /// <summary>Where a module's track stands in the web bundle.</summary>
    public static string TrackPath(string locale, string module) => $"{locale}/audio/{module}.mp3";

    /// <summary>Where the page of a module's transcript stands in the web bundle.</summary>
    public static string TranscriptPath(string locale, string module) => $"{locale}/transcripts/{module}.html";

    /// <summary>Whether a file of the bundle is a module's track (<see cref="TrackPath"/>).</summary>
    internal static bool IsTrack(string path)
    {
        var parts = path.Split('/');
        return parts.Length == 3 && parts[1] == "audio" && parts[2].EndsWith(".mp3", StringComparison.Ordinal);
    }

    private static void AddTracks(Bundle bundle, WebAudio? audio)
    {
        if (audio is null) return;
        foreach (var (key, track) in audio.Tracks)
        {
            var slash = key.IndexOf('/');
            bundle.Add(TrackPath(key[..slash], key[(slash + 1)..]), track.Mp3);
        }
    }

    /// <summary>
    /// The tracks the service worker caches when their page is visited or they are played rather than when it is
    /// installed (a whole program's audio is too much to fetch at once on a phone), each with a hash of its bytes:
    /// a track unchanged by a new build is carried over to the new cache instead of being fetched again.
    /// </summary>
    private static Dictionary<string, string> TrackVersions(Bundle bundle, IEnumerable<string> files) =>
        files.Where(IsTrack).ToDictionary(f => f, f => Convert.ToHexStringLower(SHA256.HashData(bundle.Files[f]))[..16], StringComparer.Ordinal);

    /// <summary>The page of a module's transcript: what the track says, a section per chapter, in the site's layout.</summary>
    private static PageJob TranscriptPage(ProgramGraph graph, Theme theme, string locale, Module module)
    {
        var path = TranscriptPath(locale, module.Id);
        return new(path, () => Page(graph, theme, locale, path, "transcript", p => TranscriptModel(p, module),
            p => p.S("transcript-page-title").Replace("{0}", p.T(module.Title), StringComparison.Ordinal)));
    }

    private static ScriptObject TranscriptModel(PageContext p, Module module)
    {
        var script = SpokenScript.For(p.Graph, module, p.Locale, p.Strings);
        var sections = new List<ScriptObject>();
        List<ScriptObject>? paragraphs = null;
        string? heading = null;
        foreach (var segment in script.Segments)
        {
            if (paragraphs is null || segment.Chapter is not null)
            {
                paragraphs = [];
                heading = segment.Chapter;
                // The first chapter is the module's title, the page's heading.
                sections.Add(Obj(("heading", sections.Count == 0 ? null : heading), ("paragraphs", paragraphs)));
            }
            var (text, lang, pause) = segment switch
            {
                SpeechSegment speech => (speech.Text, speech.Language, false),
                RecordingSegment recording => (recording.Transcript, recording.Language ?? p.Graph.DefaultLocale, false),
                SilenceSegment silence => (silence.Transcript, script.Language, true),
                _ => (string.Empty, script.Language, false),
            };
            foreach (var paragraph in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // The track says a chapter's title as it starts it: the page shows it as the heading, once.
                if (paragraphs.Count == 0 && heading is not null && paragraph == SpokenScript.Sentence(heading)) continue;
                paragraphs.Add(Obj(("text", paragraph), ("pause", pause),
                    ("lang", ContentEngine.Directives.MediaLanguage.Same(lang, p.Locale) ? null : lang)));
            }
        }
        var title = p.T(module.Title);
        return Obj(("title", p.S("transcript-page-title").Replace("{0}", title, StringComparison.Ordinal)),
            ("module_title", title), ("module_url", p.ModuleUrl(module.Id)),
            ("back", p.S("transcript-back").Replace("{0}", title, StringComparison.Ordinal)),
            ("sections", sections));
    }
}

using System.Globalization;
using System.Text;
using System.Xml;
using ContentEngine.Model;

namespace ContentEngine.Rendering.Audio;

/// <summary>A track as the feed lists it: its module, script, the file's size in bytes and its length in seconds.</summary>
public sealed record FeedEpisode(Module Module, SpokenScript Script, long Size, double DurationSeconds);

/// <summary>
/// The podcast feed of one locale (<c>&lt;locale&gt;/feed.xml</c>): RSS 2.0 with the iTunes tags Apple Podcasts
/// requires and the Podcasting 2.0 chapters and transcripts. Every link is absolute under the address the bundle is
/// served from (<c>--base-url</c>): podcast apps fetch a feed's files from anywhere, so a feed is written only with it.
/// <list type="bullet">
/// <item>The channel: title, <c>link</c> (the provider's web address, else the feed's folder), description (<c>about</c>,
/// else the program's summary, else its title), language, <c>itunes:image</c> (<c>cover.jpg</c>, see
/// <see cref="PodcastCover"/>), <c>itunes:author</c> and <c>itunes:owner</c> (the provider's name and e-mail
/// address; without a provider, the program's title), category Health &amp; Fitness / Mental Health, not explicit, serial.</item>
/// <item>Each episode, in schedule order: title, description (the module's summary, else the first paragraph its track
/// speaks after the title), a <c>guid</c> that stays the same between builds of one version
/// (<c>program/version/locale/module</c>), <c>pubDate</c>, the MP3 as enclosure with its size, <c>itunes:duration</c>
/// in seconds, <c>itunes:episode</c> (its place in the schedule) and <c>itunes:season</c> (its phase).</item>
/// <item>Dates (RFC 822, UTC) come from the sources, never the clock, when they can (<see cref="BaseDate"/>): the last
/// episode is dated at the base date and each earlier one a minute before the next, so apps that sort by date keep the
/// schedule's order.</item>
/// </list>
/// </summary>
public static class PodcastFeed
{
    private const string ItunesNs = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    private const string PodcastNs = "https://podcastindex.org/namespace/1.0";

    /// <summary>The file name of the feed's picture in each locale's folder.</summary>
    public const string CoverFile = "cover.jpg";

    /// <summary>The one line a build without <c>--base-url</c> prints about the feed it did not write.</summary>
    public const string NoBaseUrlNote =
        "note: the audio bundle has no podcast feed (feed.xml): podcast apps need absolute links, so give --base-url <the address audio/ will be served from> to write one";

    /// <summary>
    /// The date of the feed and of its last episode: noon (UTC) of the program's approval date (<c>approval.on</c>),
    /// else <paramref name="sourceDateEpoch"/> (SOURCE_DATE_EPOCH), else noon (UTC) of <paramref name="today"/>. The
    /// first two make the same sources give the same feed; noon keeps the date the same calendar day around the world.
    /// </summary>
    public static DateTimeOffset BaseDate(ProgramGraph graph, long? sourceDateEpoch, DateOnly today) =>
        graph.Approval?.On is { } on ? Noon(on)
        : sourceDateEpoch is { } epoch ? DateTimeOffset.FromUnixTimeSeconds(epoch)
        : Noon(today);

    /// <summary>Episode <paramref name="index"/> (from 0, in schedule order) of <paramref name="count"/>: a minute apart, the last at <paramref name="baseDate"/>.</summary>
    public static DateTimeOffset EpisodeDate(DateTimeOffset baseDate, int index, int count) => baseDate.AddMinutes(index - (count - 1));

    /// <summary>What an episode is about: the module's summary, else the first paragraph its track speaks after the title.</summary>
    public static string Description(ProgramGraph graph, Module module, SpokenScript script, string locale)
    {
        if (module.Summary is { } summary) return summary.Get(locale, graph.DefaultLocale);
        var first = script.Transcript().Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(p => p != script.Title && !p.StartsWith('['));
        return first ?? script.Title;
    }

    /// <summary>The feed of <paramref name="locale"/>, its links under <paramref name="baseUrl"/> (the bundle's root).</summary>
    public static byte[] Write(ProgramGraph graph, string locale, string baseUrl, IReadOnlyList<FeedEpisode> episodes, DateTimeOffset baseDate)
    {
        string T(LocalizedText? text) => text?.Get(locale, graph.DefaultLocale) ?? string.Empty;
        var root = baseUrl.TrimEnd('/') + "/" + locale + "/";
        string Url(string file) => root + Uri.EscapeDataString(file);
        string Date(DateTimeOffset d) => d.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        var title = T(graph.Title);
        var author = graph.Provider is { } provider ? T(provider.Name) : title;
        var link = graph.Provider?.Url ?? root;

        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  ", NewLineChars = "\n" };
        using (var x = XmlWriter.Create(stream, settings))
        {
            x.WriteStartDocument();
            x.WriteStartElement("rss");
            x.WriteAttributeString("version", "2.0");
            x.WriteAttributeString("xmlns", "itunes", null, ItunesNs);
            x.WriteAttributeString("xmlns", "podcast", null, PodcastNs);
            x.WriteStartElement("channel");
            x.WriteElementString("title", title);
            x.WriteElementString("link", link);
            x.WriteElementString("description", graph.About is not null ? T(graph.About) : graph.Summary is not null ? T(graph.Summary) : title);
            x.WriteElementString("language", locale);
            x.WriteElementString("generator", "ContentEngine");
            x.WriteElementString("pubDate", Date(baseDate));
            x.WriteElementString("lastBuildDate", Date(baseDate));
            x.WriteStartElement("image");
            x.WriteElementString("url", Url(CoverFile));
            x.WriteElementString("title", title);
            x.WriteElementString("link", link);
            x.WriteEndElement();
            x.WriteStartElement("image", ItunesNs);
            x.WriteAttributeString("href", Url(CoverFile));
            x.WriteEndElement();
            x.WriteElementString("author", ItunesNs, author);
            x.WriteStartElement("owner", ItunesNs);
            x.WriteElementString("name", ItunesNs, author);
            if (graph.Provider?.Email is { } email) x.WriteElementString("email", ItunesNs, email);
            x.WriteEndElement();
            x.WriteElementString("type", ItunesNs, "serial");
            x.WriteElementString("explicit", ItunesNs, "false");
            x.WriteStartElement("category", ItunesNs);
            x.WriteAttributeString("text", "Health & Fitness");
            x.WriteStartElement("category", ItunesNs);
            x.WriteAttributeString("text", "Mental Health");
            x.WriteEndElement();
            x.WriteEndElement();

            for (var i = 0; i < episodes.Count; i++)
            {
                var (module, script, size, duration) = episodes[i];
                var season = graph.Phases.Select((p, n) => (p, n)).First(p => p.p.Id == module.Phase).n + 1;
                x.WriteStartElement("item");
                x.WriteElementString("title", script.Title);
                x.WriteElementString("description", Description(graph, module, script, locale));
                x.WriteStartElement("guid");
                x.WriteAttributeString("isPermaLink", "false");
                x.WriteString(Guid(graph, locale, module));
                x.WriteEndElement();
                x.WriteElementString("pubDate", Date(EpisodeDate(baseDate, i, episodes.Count)));
                x.WriteStartElement("enclosure");
                x.WriteAttributeString("url", Url($"{module.Id}.mp3"));
                x.WriteAttributeString("length", size.ToString(CultureInfo.InvariantCulture));
                x.WriteAttributeString("type", "audio/mpeg");
                x.WriteEndElement();
                x.WriteElementString("title", ItunesNs, script.Title);
                x.WriteElementString("episodeType", ItunesNs, "full");
                x.WriteElementString("season", ItunesNs, season.ToString(CultureInfo.InvariantCulture));
                x.WriteElementString("episode", ItunesNs, (i + 1).ToString(CultureInfo.InvariantCulture));
                x.WriteElementString("duration", ItunesNs, ((long)Math.Round(duration)).ToString(CultureInfo.InvariantCulture));
                x.WriteElementString("explicit", ItunesNs, "false");
                x.WriteStartElement("chapters", PodcastNs);
                x.WriteAttributeString("url", Url($"{module.Id}.chapters.json"));
                x.WriteAttributeString("type", "application/json+chapters");
                x.WriteEndElement();
                x.WriteStartElement("transcript", PodcastNs);
                x.WriteAttributeString("url", Url($"{module.Id}.txt"));
                x.WriteAttributeString("type", "text/plain");
                x.WriteAttributeString("language", script.Language);
                x.WriteEndElement();
                x.WriteEndElement();
            }
            x.WriteEndElement();
            x.WriteEndElement();
            x.WriteEndDocument();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>An episode's guid: the same in every build of this version, new with a new version.</summary>
    public static string Guid(ProgramGraph graph, string locale, Module module) => $"{graph.Id}/{graph.Version}/{locale}/{module.Id}";

    private static DateTimeOffset Noon(DateOnly date) => new(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
}

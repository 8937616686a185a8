using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Xml;
using CodeHollow.FeedReader;
using CodeHollow.FeedReader.Feeds;
using CodeHollow.FeedReader.Feeds.Itunes;

namespace ContentEngine.Tests;

/// <summary>
/// A small program in two languages with a provider, an approval date, a primary colour and a landscape cover, built by
/// the command line once with <c>--audio --base-url</c> and once more without the address (from the warm cache), for
/// <see cref="PodcastFeedTests"/>.
/// </summary>
public sealed class PodcastFeedFixture : IDisposable
{
    public const string BaseUrl = "https://example.org/calm/audio";

    public PodcastFeedFixture()
    {
        Source.File("program.yaml", """
            id: calm-feed
            version: 1.2.0
            title: {en: Living calmly with pain, sv: Att leva lugnt med smärta}
            locales: [en, sv]
            guidance: self
            release: weekly
            approval: {by: Clinical lead, on: 2026-10-01}
            provider:
              name: {en: The Pain Clinic, sv: Smärtkliniken}
              url: https://example.org/clinic
              email: clinic@example.org
            about: {en: A short program about living with pain., sv: Ett kort program om att leva med smärta.}
            phases:
              - id: treatment
                title: {en: Treatment, sv: Behandling}
                weeks: 2
            """);
        Source.File("theme.yaml", """
            primary_color: "#1d5b79"
            cover_image: media/cover.svg
            cover_alt: {en: Hills at dawn, sv: Kullar i gryningen}
            """);
        Source.File("media/cover.svg", """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 400" width="800" height="400">
              <rect width="800" height="400" fill="#e8f1f5"/>
              <circle cx="590" cy="150" r="56" fill="#f6c667"/>
              <path d="M0 260 C140 200 260 220 400 250 C540 280 660 230 800 200 L800 400 L0 400 Z" fill="#5f93ab"/>
            </svg>
            """);
        Source.File("modules/welcome.md", """
            ---
            id: welcome
            title: {en: Welcome, sv: Välkommen}
            summary: {en: What the program is and how to use it., sv: Vad programmet är och hur du använder det.}
            phase: treatment
            week: 1
            ---

            # Welcome

            This program is for you.

            ## How it works

            Read a module each week.
            """);
        Source.File("modules/welcome.sv.md", """
            ---
            title: Välkommen
            ---

            # Välkommen

            Det här programmet är för dig.

            ## Så fungerar det

            Läs en modul i veckan.
            """);
        Source.File("modules/breathing.md", """
            ---
            id: breathing
            title: {en: Breathing, sv: Andning}
            phase: treatment
            week: 2
            ---

            # Breathing

            Your breath is always with you, and you can use it to land in the present.

            Sit comfortably.
            """);
        Source.File("modules/breathing.sv.md", """
            ---
            title: Andning
            ---

            # Andning

            Andningen finns alltid med dig, och du kan använda den för att landa i nuet.

            Sitt bekvämt.
            """);
        WithFeed = Build(Path.Combine(Output.Path, "with"), "--base-url", BaseUrl);
        WithoutFeed = Build(Path.Combine(Output.Path, "without"));
    }

    public TestPaths.TempFolder Source { get; } = new();
    public TestPaths.TempFolder Cache { get; } = new();
    public TestPaths.TempFolder Output { get; } = new();
    public (int Code, string Out, string Err) WithFeed { get; }
    public (int Code, string Out, string Err) WithoutFeed { get; }

    /// <summary>The audio bundle of the build with the feed.</summary>
    public string Audio(params string[] path) => Path.Combine([Output.Path, "with", "audio", .. path]);

    private (int, string, string) Build(string output, params string[] extra) =>
        CliProcess.InProcess(["build", Source.Path, "--audio", "--cache", Cache.Path, "-o", output, .. extra]).GetAwaiter().GetResult();

    public void Dispose()
    {
        Source.Dispose();
        Cache.Dispose();
        Output.Dispose();
    }
}

/// <summary>
/// The podcast feed and the tracks' tags, against what Apple Podcasts requires: the feed read by an independent parser
/// (CodeHollow.FeedReader) and as XML, the picture measured with ffprobe, every enclosure found in the bundle with its
/// size, and every MP3's ID3 tags read back with ffprobe. Needs ffmpeg and espeak-ng.
/// </summary>
[Trait("Category", "Audio")]
public sealed class PodcastFeedTests(PodcastFeedFixture fixture) : IClassFixture<PodcastFeedFixture>
{
    private const string Itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";

    public static TheoryData<string> Locales => new() { "en", "sv" };

    private static readonly string[] Modules = ["welcome", "breathing"];

    [Theory]
    [MemberData(nameof(Locales))]
    public void AnIndependentParserReadsAPodcastWithEverythingAppleRequires(string locale)
    {
        Assert.Equal(0, fixture.WithFeed.Code);
        var feed = FeedReader.ReadFromString(File.ReadAllText(fixture.Audio(locale, "feed.xml")));
        Assert.Equal(FeedType.Rss_2_0, feed.Type);
        Assert.Equal(locale == "en" ? "Living calmly with pain" : "Att leva lugnt med smärta", feed.Title);
        Assert.Equal(locale == "en" ? "A short program about living with pain." : "Ett kort program om att leva med smärta.", feed.Description);
        Assert.Equal(locale, feed.Language);
        Assert.Equal("https://example.org/clinic", feed.Link);
        Assert.Equal($"{PodcastFeedFixture.BaseUrl}/{locale}/cover.jpg", feed.ImageUrl);

        var channel = feed.GetItunesChannel();
        var provider = locale == "en" ? "The Pain Clinic" : "Smärtkliniken";
        Assert.Equal($"{PodcastFeedFixture.BaseUrl}/{locale}/cover.jpg", channel.Image.Href);
        Assert.Equal(provider, channel.Author);
        Assert.Equal(provider, channel.Owner.Name);
        Assert.Equal("clinic@example.org", channel.Owner.Email);
        Assert.False(channel.Explicit);
        var category = Assert.Single(channel.Categories);
        Assert.Equal("Health & Fitness", category.Text);
        Assert.Equal("Mental Health", Assert.Single(category.Children).Text);

        Assert.Equal(Modules.Length, feed.Items.Count);
        var dates = new List<DateTime>();
        for (var i = 0; i < Modules.Length; i++)
        {
            var item = feed.Items[i];
            var rss = Assert.IsType<Rss20FeedItem>(item.SpecificItem);
            Assert.Equal($"calm-feed/1.2.0/{locale}/{Modules[i]}", item.Id);
            Assert.False(string.IsNullOrWhiteSpace(item.Description));
            Assert.NotEqual(item.Title, item.Description);
            Assert.NotNull(item.PublishingDate);
            dates.Add(item.PublishingDate!.Value);
            Assert.Equal($"{PodcastFeedFixture.BaseUrl}/{locale}/{Modules[i]}.mp3", rss.Enclosure.Url);
            Assert.Equal("audio/mpeg", rss.Enclosure.MediaType);
            Assert.Equal(new FileInfo(fixture.Audio(locale, Modules[i] + ".mp3")).Length, (long)rss.Enclosure.Length!.Value);
            var itunes = item.GetItunesItem();
            Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), itunes.Episode.ToString());
            Assert.True(itunes.Duration > TimeSpan.Zero);
            Assert.False(itunes.Explicit);
        }
        // Apps that sort by date keep the schedule's order; the dates come from the approval date, not the clock.
        Assert.Equal(dates.Order(), dates);
        Assert.Equal(dates.Count, dates.Distinct().Count());
        Assert.Equal(new DateTime(2026, 10, 1, 12, 0, 0, DateTimeKind.Utc), dates[^1].ToUniversalTime());
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void TheFeedHasEveryRequiredItunesElementAndItsLinksAreAbsoluteAndInTheBundle(string locale)
    {
        var xml = new XmlDocument();
        xml.Load(fixture.Audio(locale, "feed.xml"));
        var ns = new XmlNamespaceManager(xml.NameTable);
        ns.AddNamespace("itunes", Itunes);
        var channel = xml.SelectSingleNode("/rss/channel")!;
        foreach (var required in new[] { "title", "link", "description", "language", "itunes:image", "itunes:author", "itunes:owner/itunes:name",
                     "itunes:owner/itunes:email", "itunes:category", "itunes:explicit" })
            Assert.True(channel.SelectSingleNode(required, ns) is { } node && (node.InnerText.Length > 0 || node.Attributes!.Count > 0), $"channel has no {required}");
        Assert.Equal("false", channel.SelectSingleNode("itunes:explicit", ns)!.InnerText);
        foreach (XmlElement item in channel.SelectNodes("item")!)
        {
            foreach (var required in new[] { "title", "description", "guid", "pubDate", "enclosure", "itunes:duration", "itunes:episode" })
                Assert.NotNull(item.SelectSingleNode(required, ns));
            // RFC 822 with a numeric zone, as RSS 2.0 asks.
            Assert.Matches(@"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$", item.SelectSingleNode("pubDate")!.InnerText);
            Assert.Equal("false", ((XmlElement)item.SelectSingleNode("guid")!).GetAttribute("isPermaLink"));
        }
        // Every link is absolute and names a file of the bundle.
        var links = xml.SelectNodes("//@url | //@href | /rss/channel/image/url")!.Cast<XmlNode>().Select(n => n.Value ?? n.InnerText).ToList();
        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            Assert.StartsWith($"{PodcastFeedFixture.BaseUrl}/", link);
            Assert.True(File.Exists(fixture.Audio(link[(PodcastFeedFixture.BaseUrl.Length + 1)..].Split('/'))), $"{link} is not in the bundle");
        }
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task ThePictureIsASquareJpegOfAtLeast1400PixelsAndTheSameInEveryBuild(string locale)
    {
        var probe = await ProbeAsync(fixture.Audio(locale, "cover.jpg"), "-show_entries", "stream=codec_name,width,height");
        var stream = probe.GetProperty("streams")[0];
        Assert.Equal("mjpeg", stream.GetProperty("codec_name").GetString());
        var (width, height) = (stream.GetProperty("width").GetInt32(), stream.GetProperty("height").GetInt32());
        Assert.Equal(width, height);
        Assert.InRange(width, 1400, 3000);
        // The second build drew nothing: the picture came from the cache, byte for byte.
        Assert.Equal(File.ReadAllBytes(fixture.Audio(locale, "cover.jpg")), File.ReadAllBytes(Path.Combine(fixture.Output.Path, "without", "audio", locale, "cover.jpg")));
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task EveryTrackIsTaggedWithTitleAlbumArtistTrackYearLanguageCoverAndChapters(string locale)
    {
        for (var i = 0; i < Modules.Length; i++)
        {
            var file = fixture.Audio(locale, Modules[i] + ".mp3");
            var probe = await ProbeAsync(file, "-show_entries", "format_tags:stream=codec_name,width,height:stream_disposition=attached_pic", "-show_chapters");
            var tags = probe.GetProperty("format").GetProperty("tags");
            Assert.Equal(locale == "en" ? new[] { "Welcome", "Breathing" }[i] : new[] { "Välkommen", "Andning" }[i], tags.GetProperty("title").GetString());
            Assert.Equal(locale == "en" ? "Living calmly with pain" : "Att leva lugnt med smärta", tags.GetProperty("album").GetString());
            Assert.Equal(locale == "en" ? "The Pain Clinic" : "Smärtkliniken", tags.GetProperty("artist").GetString());
            Assert.Equal($"{i + 1}/{Modules.Length}", tags.GetProperty("track").GetString());
            Assert.Equal("2026", tags.GetProperty("date").GetString());
            Assert.Equal(locale == "en" ? "eng" : "swe", tags.GetProperty("language").GetString());
            var streams = probe.GetProperty("streams").EnumerateArray().ToList();
            Assert.Equal("mp3", streams[0].GetProperty("codec_name").GetString());
            var picture = Assert.Single(streams, s => s.GetProperty("disposition").GetProperty("attached_pic").GetInt32() == 1);
            Assert.Equal(1400, picture.GetProperty("width").GetInt32());

            // The tag's chapters are the JSON chapters, and the last ends with the track.
            using var json = JsonDocument.Parse(File.ReadAllBytes(fixture.Audio(locale, Modules[i] + ".chapters.json")));
            var expected = json.RootElement.GetProperty("chapters").EnumerateArray()
                .Select(c => (c.GetProperty("startTime").GetDouble(), c.GetProperty("title").GetString())).ToList();
            var chapters = probe.GetProperty("chapters").EnumerateArray()
                .Select(c => (double.Parse(c.GetProperty("start_time").GetString()!, CultureInfo.InvariantCulture), c.GetProperty("tags").GetProperty("title").GetString())).ToList();
            Assert.Equal(expected.Count, chapters.Count);
            Assert.True(expected.Count >= (Modules[i] == "welcome" ? 2 : 1), "the welcome module has a heading, so a second chapter");
            foreach (var (e, c) in expected.Zip(chapters))
            {
                Assert.Equal(e.Item2, c.Item2);
                Assert.InRange(c.Item1, e.Item1 - 0.002, e.Item1 + 0.002);
            }
        }
    }

    [Fact]
    public void TheManifestListsTheTaggedFiles()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(fixture.Audio("en", "manifest.json")));
        foreach (var track in manifest.RootElement.GetProperty("tracks").EnumerateArray())
        {
            var bytes = File.ReadAllBytes(fixture.Audio("en", track.GetProperty("file").GetString()!));
            Assert.Equal(bytes.LongLength, track.GetProperty("sizeBytes").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), track.GetProperty("sha256").GetString());
        }
    }

    [Fact]
    public void ABuildWithoutABaseUrlWritesNoFeedAndSaysSoInOneLine()
    {
        Assert.Equal(0, fixture.WithoutFeed.Code);
        var audio = Path.Combine(fixture.Output.Path, "without", "audio");
        Assert.Empty(Directory.EnumerateFiles(audio, "feed.xml", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(audio, "en", "welcome.mp3")));
        var note = Assert.Single(fixture.WithoutFeed.Err.Split('\n'), l => l.Contains("feed", StringComparison.Ordinal));
        Assert.Equal("contentengine: " + ContentEngine.Rendering.Audio.PodcastFeed.NoBaseUrlNote, note.TrimEnd('\r'));
        Assert.Contains("--base-url", note);
        Assert.DoesNotContain("feed", fixture.WithFeed.Err);
        // The tracks are the same with and without the feed.
        Assert.Equal(File.ReadAllBytes(fixture.Audio("sv", "breathing.mp3")), File.ReadAllBytes(Path.Combine(audio, "sv", "breathing.mp3")));
    }

    private static async Task<JsonElement> ProbeAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error" }.Concat(arguments).Concat(["-of", "json", file])) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, process.ExitCode);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }
}

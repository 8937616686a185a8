using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Markdown;
using ContentEngine.Model;
using ContentEngine.Rendering;
using ContentEngine.Rendering.Audio;
using Xunit.Abstractions;

namespace ContentEngine.Tests;

/// <summary>
/// Builds the sample's audio bundle once, from a fresh cache, for all the tests of <see cref="AudioBundleTests"/>; the
/// tracks are also written to a folder so ffmpeg and ffprobe can measure them.
/// </summary>
public sealed class AudioBundleFixture : IDisposable
{
    public AudioBundleFixture()
    {
        var result = ProgramCompiler.Compile(TestPaths.Repo("content", "iact-chronic-pain"));
        Graph = result.Graph ?? throw new InvalidOperationException(DiagnosticFormatter.Plain(result.Diagnostics));
        var progress = new List<(int Done, int Total, string Name)>();
        var clock = Stopwatch.StartNew();
        Bundle = AudioRenderer.Render(Graph, new AudioOptions
        {
            CacheFolder = Cache.Path,
            Progress = (done, total, name) => progress.Add((done, total, name)),
        });
        ColdTime = clock.Elapsed;
        Progress = progress;
        Bundle.WriteTo(Output.Path);
    }

    public ProgramGraph Graph { get; }
    public Bundle Bundle { get; }
    public TestPaths.TempFolder Cache { get; } = new();
    public TestPaths.TempFolder Output { get; } = new();
    public TimeSpan ColdTime { get; }
    public IReadOnlyList<(int Done, int Total, string Name)> Progress { get; }

    public string Text(string path) => System.Text.Encoding.UTF8.GetString(Bundle.Files[path]);

    public void Dispose()
    {
        Cache.Dispose();
        Output.Dispose();
    }
}

/// <summary>
/// The audio bundle of the sample, measured from outside the renderer: ffprobe and ffmpeg run here, not through the
/// renderer's tool. They need ffmpeg, ffprobe and espeak-ng, and the first build of the sample's tracks takes a minute
/// or more: leave them out with <c>--filter Category!=Audio</c>.
/// </summary>
[Trait("Category", "Audio")]
public sealed class AudioBundleTests(AudioBundleFixture fixture, ITestOutputHelper output) : IClassFixture<AudioBundleFixture>
{
    private ProgramGraph Graph => fixture.Graph;

    public static TheoryData<string> Locales => new() { "sv", "en" };

    // ---- the tracks ----

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task EveryTrackDecodesIsAsLongAsListedAndIsNormalised(string locale)
    {
        var playlist = ExtInf(fixture.Text($"{locale}/program.m3u"));
        using var manifest = JsonDocument.Parse(fixture.Bundle.Files[$"{locale}/manifest.json"]);
        var entries = manifest.RootElement.GetProperty("tracks").EnumerateArray().ToDictionary(t => t.GetProperty("module").GetString()!);
        Assert.Equal(Graph.Modules.Select(m => m.Id + ".mp3"), playlist.Select(p => p.File));
        Assert.Equal(Graph.Modules.Select(m => m.Id), entries.Keys);

        var measured = await Task.WhenAll(Graph.Modules.Select(m => MeasureAsync(Path.Combine(fixture.Output.Path, locale, m.Id + ".mp3"))));
        foreach (var (module, m) in Graph.Modules.Zip(measured))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{locale}/{module.Id}: {m.Duration:0.00} s, {m.Lufs:0.0} LUFS, {m.TruePeak:0.0} dBTP"));
            Assert.True(m.Decodes, $"{locale}/{module.Id}.mp3 does not decode cleanly: {m.DecodeErrors}");
            var listed = playlist.Single(p => p.File == module.Id + ".mp3").Seconds;
            Assert.InRange(listed, m.Duration - 0.5, m.Duration + 0.5);
            var entry = entries[module.Id];
            Assert.InRange(entry.GetProperty("durationSeconds").GetDouble(), m.Duration - 0.5, m.Duration + 0.5);
            Assert.Equal(fixture.Bundle.Files[$"{locale}/{module.Id}.mp3"].LongLength, entry.GetProperty("sizeBytes").GetInt64());
            Assert.Equal(Sha256(fixture.Bundle.Files[$"{locale}/{module.Id}.mp3"]), entry.GetProperty("sha256").GetString());
            Assert.InRange(m.Lufs, -20.0, -18.0);
            Assert.True(m.TruePeak <= -1.0, $"{locale}/{module.Id}.mp3 peaks at {m.TruePeak} dBTP");
            Assert.InRange(entry.GetProperty("integratedLufs").GetDouble(), -20.0, -18.0);
            Assert.True(entry.GetProperty("truePeakDbtp").GetDouble() <= -1.0);
            Assert.Equal(1, m.Channels);
        }
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void PhaseAndWeekPlaylistsListTheirModulesInScheduleOrder(string locale)
    {
        foreach (var phase in Graph.Phases)
        {
            var text = fixture.Text($"{locale}/phase-{phase.Id}.m3u");
            Assert.StartsWith("#EXTM3U\n", text);
            Assert.Equal(Graph.Modules.Where(m => m.Phase == phase.Id).Select(m => m.Id + ".mp3"), ExtInf(text).Select(e => e.File));
        }
        foreach (var week in Graph.Modules.GroupBy(m => m.ProgramWeek))
        {
            var text = fixture.Text($"{locale}/week-{week.Key:00}.m3u");
            Assert.Equal(week.Select(m => m.Id + ".mp3"), ExtInf(text).Select(e => e.File));
        }
        var weeks = fixture.Bundle.Files.Keys.Where(k => k.StartsWith($"{locale}/week-", StringComparison.Ordinal)).ToList();
        Assert.Equal(Graph.Modules.Select(m => m.ProgramWeek).Distinct().Count(), weeks.Count);
    }

    [Fact]
    public void TheBundleHasOnlyTheDocumentedFiles()
    {
        var files = fixture.Bundle.Files.Keys.ToHashSet();
        foreach (var locale in Graph.Locales)
        {
            foreach (var m in Graph.Modules)
                foreach (var suffix in new[] { ".mp3", ".txt", ".chapters.json" })
                    Assert.Contains($"{locale}/{m.Id}{suffix}", files);
            Assert.Contains($"{locale}/program.m3u", files);
            Assert.Contains($"{locale}/cover.jpg", files);
            Assert.Contains($"{locale}/manifest.json", files);
            // Without --base-url there is no feed: podcast apps need absolute links.
            Assert.DoesNotContain($"{locale}/feed.xml", files);
        }
        Assert.All(files, f => Assert.Matches(@"^(sv|en)/[a-z0-9-]+(\.mp3|\.txt|\.chapters\.json|\.m3u|\.jpg|\.json)$", f));
        Assert.Equal(Graph.Locales.Length * Graph.Modules.Length, fixture.Progress.Count);
        Assert.Equal(Enumerable.Range(1, fixture.Progress.Count), fixture.Progress.Select(p => p.Done));
    }

    // ---- the feed ----

    [Theory]
    [MemberData(nameof(Locales))]
    public void TheFeedIsAnRssPodcastOfEveryModuleInScheduleOrder(string locale)
    {
        const string itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
        const string podcast = "https://podcastindex.org/namespace/1.0";
        const string root = "https://example.org/pain/audio/";
        var bundle = AudioRenderer.Render(Graph, new AudioOptions
        {
            CacheFolder = fixture.Cache.Path,
            BaseUrl = root,
            Speech = new ThrowingSpeech(new EspeakSpeechEngine()),
            Tool = new ThrowingTool(new FfmpegAudioTool()),
        });
        var xml = new XmlDocument();
        using (var stream = new MemoryStream(bundle.Files[$"{locale}/feed.xml"]))
            xml.Load(stream);
        var ns = new XmlNamespaceManager(xml.NameTable);
        ns.AddNamespace("itunes", itunes);
        ns.AddNamespace("podcast", podcast);
        var rss = xml.DocumentElement!;
        Assert.Equal("rss", rss.Name);
        Assert.Equal("2.0", rss.GetAttribute("version"));
        Assert.Equal(itunes, rss.GetAttribute("xmlns:itunes"));
        Assert.Equal(podcast, rss.GetAttribute("xmlns:podcast"));
        var channel = rss.SelectSingleNode("channel")!;
        Assert.Equal(locale, channel.SelectSingleNode("language")!.InnerText);
        Assert.Equal(Graph.Title.Get(locale, Graph.DefaultLocale), channel.SelectSingleNode("title")!.InnerText);
        Assert.Equal(Graph.About!.Get(locale, Graph.DefaultLocale), channel.SelectSingleNode("description")!.InnerText);
        Assert.Equal(Graph.Provider!.Name.Get(locale, Graph.DefaultLocale), channel.SelectSingleNode("itunes:author", ns)!.InnerText);
        Assert.Equal($"{root}{locale}/cover.jpg", ((XmlElement)channel.SelectSingleNode("itunes:image", ns)!).GetAttribute("href"));
        Assert.Equal("serial", channel.SelectSingleNode("itunes:type", ns)!.InnerText);
        // The sample's approval date, at noon UTC.
        Assert.Equal("Thu, 01 Oct 2026 12:00:00 +0000", channel.SelectSingleNode("pubDate")!.InnerText);

        var items = channel.SelectNodes("item")!.Cast<XmlElement>().ToList();
        Assert.Equal(Graph.Modules.Length, items.Count);
        var guids = items.Select(i => i.SelectSingleNode("guid")!.InnerText).ToList();
        Assert.Equal(Graph.Modules.Select(m => $"{Graph.Id}/{Graph.Version}/{locale}/{m.Id}"), guids);
        Assert.Equal(guids.Count, guids.Distinct().Count());
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var module = Graph.Modules[i];
            Assert.Equal(module.Title.Get(locale, Graph.DefaultLocale), item.SelectSingleNode("title")!.InnerText);
            Assert.NotEqual(item.SelectSingleNode("title")!.InnerText, item.SelectSingleNode("description")!.InnerText);
            Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), item.SelectSingleNode("itunes:episode", ns)!.InnerText);
            Assert.NotNull(item.SelectSingleNode("pubDate"));
            var enclosure = (XmlElement)item.SelectSingleNode("enclosure")!;
            Assert.Equal($"{root}{locale}/{module.Id}.mp3", enclosure.GetAttribute("url"));
            Assert.Equal("audio/mpeg", enclosure.GetAttribute("type"));
            Assert.Equal(fixture.Bundle.Files[$"{locale}/{module.Id}.mp3"].LongLength.ToString(CultureInfo.InvariantCulture), enclosure.GetAttribute("length"));
            Assert.Equal(new FileInfo(Path.Combine(fixture.Output.Path, locale, module.Id + ".mp3")).Length.ToString(CultureInfo.InvariantCulture), enclosure.GetAttribute("length"));
            var duration = int.Parse(item.SelectSingleNode("itunes:duration", ns)!.InnerText, CultureInfo.InvariantCulture);
            Assert.True(duration > 0);
            var chapters = (XmlElement)item.SelectSingleNode("podcast:chapters", ns)!;
            Assert.Equal($"{root}{locale}/{module.Id}.chapters.json", chapters.GetAttribute("url"));
            Assert.Equal("application/json+chapters", chapters.GetAttribute("type"));
            var transcript = (XmlElement)item.SelectSingleNode("podcast:transcript", ns)!;
            Assert.Equal($"{root}{locale}/{module.Id}.txt", transcript.GetAttribute("url"));
            Assert.Equal("text/plain", transcript.GetAttribute("type"));
            Assert.True(fixture.Bundle.Files.ContainsKey($"{locale}/{chapters.GetAttribute("url")[(root.Length + locale.Length + 1)..]}"));
            Assert.True(fixture.Bundle.Files.ContainsKey($"{locale}/{transcript.GetAttribute("url")[(root.Length + locale.Length + 1)..]}"));
        }
    }

    // ---- chapters and transcripts ----

    [Theory]
    [MemberData(nameof(Locales))]
    public void ChaptersAreJsonChaptersWithTitlesInTimeOrder(string locale)
    {
        using var manifest = JsonDocument.Parse(fixture.Bundle.Files[$"{locale}/manifest.json"]);
        var durations = manifest.RootElement.GetProperty("tracks").EnumerateArray()
            .ToDictionary(t => t.GetProperty("module").GetString()!, t => t.GetProperty("durationSeconds").GetDouble());
        var total = 0;
        foreach (var module in Graph.Modules)
        {
            using var json = JsonDocument.Parse(fixture.Bundle.Files[$"{locale}/{module.Id}.chapters.json"]);
            Assert.Equal("1.2.0", json.RootElement.GetProperty("version").GetString());
            var chapters = json.RootElement.GetProperty("chapters").EnumerateArray().ToList();
            Assert.NotEmpty(chapters);
            Assert.Equal(0, chapters[0].GetProperty("startTime").GetDouble());
            Assert.Equal(module.Title.Get(locale, Graph.DefaultLocale), chapters[0].GetProperty("title").GetString());
            var starts = chapters.Select(c => c.GetProperty("startTime").GetDouble()).ToList();
            Assert.Equal(starts.Order(), starts);
            Assert.Equal(starts.Count, starts.Distinct().Count());
            Assert.True(starts[^1] < durations[module.Id], $"{locale}/{module.Id}: a chapter starts after the end");
            Assert.All(chapters, c => Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("title").GetString())));
            total += chapters.Count;
        }
        // The sample's modules have headings below their title.
        Assert.True(total > Graph.Modules.Length);
    }

    [Theory]
    [MemberData(nameof(Locales))]
    public void TranscriptsKeepSafetyAndNarrationAndDropWebAndPrintOnlyText(string locale)
    {
        int safety = 0, narration = 0, excluded = 0, audioOnly = 0, conditional = 0;
        foreach (var module in Graph.Modules)
        {
            var transcript = Collapse(fixture.Text($"{locale}/{module.Id}.txt"));
            foreach (var (directive, text) in Directives(module.Content[locale].Blocks))
            {
                switch (directive.Name)
                {
                    case "safety":
                        Assert.Contains(text, transcript);
                        safety++;
                        break;
                    case "narration":
                        Assert.Contains(text, transcript);
                        narration++;
                        break;
                    case "only" when !Formats(directive).Contains("audio"):
                        Assert.DoesNotContain(text, transcript);
                        excluded++;
                        break;
                    case "only":
                        Assert.Contains(text, transcript);
                        audioOnly++;
                        break;
                    case "if" when !directive.Children.OfType<DirectiveBlock>().Any(d => d.Name == "safety"):
                        Assert.DoesNotContain(text, transcript);
                        conditional++;
                        break;
                }
            }
        }
        output.WriteLine($"{locale}: {safety} safety, {narration} narration, {excluded} web/print-only, {audioOnly} audio-only, {conditional} if blocks checked");
        // The sample has each kind, so none of the checks above is empty.
        Assert.True(safety > 0 && narration > 0 && excluded > 0 && audioOnly > 0 && conditional > 0);
    }

    [Fact]
    public void TheRecordedExerciseIsInItsTrackAndItsTranscriptAndTheEnglishTrackSpeaksItInEnglish()
    {
        var recording = Graph.Assets.Single(a => a.Path == "media/body-scan.mp3");
        foreach (var locale in Graph.Locales)
        {
            // The recording speaks Swedish: the Swedish track plays it; the English one speaks its English transcript.
            var transcript = locale == "sv" ? "body-scan.txt" : "body-scan.en.txt";
            var words = Collapse(File.ReadAllText(TestPaths.Repo("content", "iact-chronic-pain", "media", transcript)));
            Assert.Contains(words, Collapse(fixture.Text($"{locale}/mindfulness.txt")));
            var script = SpokenScript.For(Graph, Graph.FindModule("mindfulness")!, locale);
            if (locale == "sv") Assert.Contains(script.Segments, s => s is RecordingSegment r && r.Recording == recording && r.Language == "sv");
            else Assert.DoesNotContain(script.Segments, s => s is RecordingSegment);
            // The recording is about 82 s; the track holds it, or its words spoken, and the spoken text around it.
            using var manifest = JsonDocument.Parse(fixture.Bundle.Files[$"{locale}/manifest.json"]);
            var track = manifest.RootElement.GetProperty("tracks").EnumerateArray().Single(t => t.GetProperty("module").GetString() == "mindfulness");
            Assert.True(track.GetProperty("durationSeconds").GetDouble() > recording.DurationSeconds!.Value + 30);
        }
    }

    // ---- the cache ----

    [Fact]
    public void ASecondRenderWithTheSameCacheStartsNoProcess()
    {
        var speech = new CountingSpeech(new EspeakSpeechEngine());
        var tool = new CountingTool(new FfmpegAudioTool());
        var clock = Stopwatch.StartNew();
        var again = AudioRenderer.Render(Graph, new AudioOptions { CacheFolder = fixture.Cache.Path, Speech = speech, Tool = tool });
        var warm = clock.Elapsed;
        output.WriteLine($"cold render {fixture.ColdTime.TotalSeconds:0.0} s, warm render {warm.TotalSeconds:0.00} s");
        Assert.Equal(0, speech.Calls);
        Assert.Equal(0, tool.Calls);
        AssertSameFiles(fixture.Bundle, again);
    }

    [Fact]
    public void ASecondRenderWorksWithToolsThatThrowOnAnyCall()
    {
        var again = AudioRenderer.Render(Graph, new AudioOptions
        {
            CacheFolder = fixture.Cache.Path,
            Speech = new ThrowingSpeech(new EspeakSpeechEngine()),
            Tool = new ThrowingTool(new FfmpegAudioTool()),
            Parallelism = 1,
        });
        AssertSameFiles(fixture.Bundle, again);
    }

    [Fact]
    public void ADifferentEncoderSettingMissesTheCache()
    {
        // A tool with other settings must not be served tracks made with these; it throws at the first work it is asked for.
        var other = new ThrowingTool(new FfmpegAudioTool { BitrateKbps = 48 });
        var e = Assert.Throws<InvalidOperationException>(() => AudioRenderer.Render(Graph, new AudioOptions
        {
            CacheFolder = fixture.Cache.Path,
            Speech = new ThrowingSpeech(new EspeakSpeechEngine()),
            Tool = other,
        }));
        Assert.Contains("called", e.Message);
    }

    [Fact]
    public void TheFeedIsDatedByTheApprovalDateBeforeTheSourceDate()
    {
        var again = AudioRenderer.Render(Graph, new AudioOptions
        {
            CacheFolder = fixture.Cache.Path,
            BaseUrl = "https://example.org/pain/audio/",
            SourceDateEpoch = 1767225600,
            Speech = new ThrowingSpeech(new EspeakSpeechEngine()),
            Tool = new ThrowingTool(new FfmpegAudioTool()),
        });
        var feed = System.Text.Encoding.UTF8.GetString(again.Files["en/feed.xml"]);
        Assert.Contains("url=\"https://example.org/pain/audio/en/welcome.mp3\"", feed);
        Assert.Contains("<pubDate>Thu, 01 Oct 2026 12:00:00 +0000</pubDate>", feed);
        Assert.DoesNotContain("2025", feed);
        Assert.Equal(fixture.Bundle.Files["en/welcome.mp3"], again.Files["en/welcome.mp3"]);

        // Without an approval date, SOURCE_DATE_EPOCH dates the feed.
        var unapproved = AudioRenderer.Render(Graph with { Approval = null }, new AudioOptions
        {
            CacheFolder = fixture.Cache.Path,
            BaseUrl = "https://example.org/pain/audio/",
            SourceDateEpoch = 1767225600,
            Speech = new ThrowingSpeech(new EspeakSpeechEngine()),
            Tool = new ThrowingTool(new FfmpegAudioTool()),
        });
        Assert.Contains("<pubDate>Thu, 01 Jan 2026 00:00:00 +0000</pubDate>", System.Text.Encoding.UTF8.GetString(unapproved.Files["en/feed.xml"]));
    }

    // ---- missing tools ----

    [Fact]
    public void MissingToolsAreNamedInOneLineWithTheCommandThatInstallsThem()
    {
        using var empty = new TestPaths.TempFolder();
        var all = AudioTools.Check(empty.Path);
        Assert.NotNull(all);
        Assert.DoesNotContain('\n', all);
        Assert.Contains("ffmpeg", all);
        Assert.Contains("espeak-ng", all);
        Assert.Equal("ffprobe is missing; install it with: sudo apt-get install ffmpeg", AudioTools.Check([AudioTools.Ffprobe], empty.Path));
        Assert.Equal("ffmpeg is missing; install it with: sudo apt-get install ffmpeg", AudioTools.Check([AudioTools.Ffmpeg], empty.Path));
        Assert.Equal("ffmpeg, ffprobe and espeak-ng are missing; install them with: sudo apt-get install ffmpeg espeak-ng", all);
        Assert.Null(AudioTools.Check());
    }

    [Fact]
    public void ARenderThatMustMakeTracksStopsFirstWhenAToolIsMissing()
    {
        // A folder with ffmpeg and ffprobe but no espeak-ng.
        using var tools = new TestPaths.TempFolder();
        foreach (var tool in new[] { AudioTools.Ffmpeg, AudioTools.Ffprobe })
            File.CreateSymbolicLink(Path.Combine(tools.Path, tool), AudioTools.Find(tool)!);
        using var cache = new TestPaths.TempFolder();
        var e = Assert.Throws<AudioToolMissingException>(() => AudioRenderer.Render(Graph, new AudioOptions
        {
            CacheFolder = cache.Path,
            Speech = new EspeakSpeechEngine(tools.Path),
            Tool = new FfmpegAudioTool(tools.Path),
        }));
        Assert.Equal("espeak-ng is missing; install it with: sudo apt-get install espeak-ng", e.Message);
        Assert.Equal([AudioTools.EspeakNg], e.Tools);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(cache.Path, "*", SearchOption.AllDirectories), f => f.EndsWith(".mp3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALocaleWithoutAVoiceIsNamed()
    {
        var e = await Assert.ThrowsAsync<AudioException>(() => new EspeakSpeechEngine().CheckVoiceAsync("xx-YY", CancellationToken.None));
        Assert.Contains("'xx-YY'", e.Message);
        Assert.Contains("espeak-ng --voices=xx", e.Message);
    }

    // ---- the process wrapper ----

    [Fact]
    public async Task AProcessThatRunsTooLongIsStoppedAndNamed()
    {
        var sleep = AudioTools.Find("sleep") ?? throw new InvalidOperationException("sleep not found");
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<AudioException>(() => ProcessRunner.RunAsync(sleep, ["30"], null, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Contains("sleep did not finish", e.Message);
    }

    [Fact]
    public async Task CancellingStopsTheProcess()
    {
        var sleep = AudioTools.Find("sleep") ?? throw new InvalidOperationException("sleep not found");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProcessRunner.RunAsync(sleep, ["30"], null, TimeSpan.FromMinutes(1), cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ArgumentsReachTheProgramAsTheyAreAndFailuresQuoteItsErrorOutput()
    {
        var ffmpeg = AudioTools.Find(AudioTools.Ffmpeg)!;
        // A file name with a space, quotes and a semicolon is one argument, never shell syntax.
        var e = await Assert.ThrowsAsync<AudioException>(() => ProcessRunner.RunCheckedAsync(
            ffmpeg, ["-nostdin", "-v", "error", "-i", "/nonexistent/it's a \"file\"; echo hi.wav", "-f", "null", "-"], null, TimeSpan.FromMinutes(1), "reading a file", CancellationToken.None));
        Assert.StartsWith("ffmpeg failed while reading a file (exit code ", e.Message);
        Assert.Contains("it's a \"file\"; echo hi.wav", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    // ---- helpers ----

    private static void AssertSameFiles(Bundle expected, Bundle actual)
    {
        Assert.Equal(expected.Files.Keys, actual.Files.Keys);
        foreach (var (path, content) in expected.Files)
            Assert.True(content.AsSpan().SequenceEqual(actual.Files[path]), $"{path} differs");
    }

    private static List<(double Seconds, string Title, string File)> ExtInf(string m3u)
    {
        var lines = m3u.Split('\n');
        var list = new List<(double, string, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var match = Regex.Match(lines[i], @"^#EXTINF:([0-9.]+),(.+)$");
            if (match.Success) list.Add((double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value, lines[i + 1]));
        }
        return list;
    }

    /// <summary>Every directive, nested ones too, with the plain text of the Markdown it holds directly.</summary>
    private static IEnumerable<(DirectiveBlock Directive, string Text)> Directives(IEnumerable<ContentBlock> blocks)
    {
        foreach (var d in blocks.OfType<DirectiveBlock>())
        {
            var text = Collapse(string.Join(" ", d.Children.OfType<MarkdownBlock>().Select(md => Markdig.Markdown.ToPlainText(md.Markdown, ContentPipeline.Instance))));
            if (text.Length > 0) yield return (d, text);
            foreach (var nested in Directives(d.Children)) yield return nested;
        }
    }

    private static string[] Formats(DirectiveBlock d) => d.Attributes["formats"].Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Collapse(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    private sealed record Measurement(bool Decodes, string DecodeErrors, double Duration, int Channels, double Lufs, double TruePeak);

    /// <summary>Decodes the file in full, reads its length with ffprobe, and measures it with ffmpeg's ebur128 filter.</summary>
    private static async Task<Measurement> MeasureAsync(string file)
    {
        var decode = await RunAsync("ffmpeg", "-nostdin", "-v", "error", "-i", file, "-f", "null", "-");
        var probe = await RunAsync("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "format=duration:stream=channels", "-of", "json", file);
        using var json = JsonDocument.Parse(probe.Out);
        var duration = double.Parse(json.RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        var channels = json.RootElement.GetProperty("streams")[0].GetProperty("channels").GetInt32();
        var loudness = await RunAsync("ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", file, "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-");
        var summary = loudness.Err[loudness.Err.LastIndexOf("Summary:", StringComparison.Ordinal)..];
        var lufs = double.Parse(Regex.Match(summary, @"I:\s+(-?[0-9.]+) LUFS").Groups[1].Value, CultureInfo.InvariantCulture);
        var peak = double.Parse(Regex.Match(summary, @"True peak:\s+Peak:\s+(-?[0-9.]+) dBFS").Groups[1].Value, CultureInfo.InvariantCulture);
        return new Measurement(decode.Code == 0 && decode.Err.Trim().Length == 0, decode.Err.Trim(), duration, channels, lufs, peak);
    }

    private static Task<(int Code, string Out, string Err)> RunAsync(string program, params string[] arguments) => AudioProbe.RunAsync(program, arguments);

    // ---- engines that count or refuse the work they are asked for ----

    private sealed class CountingSpeech(ISpeechEngine inner) : ISpeechEngine
    {
        private int _calls;
        public int Calls => _calls;
        public string Name => inner.Name;
        public string VoiceFor(string locale) => inner.VoiceFor(locale);
        public IReadOnlyList<string> MissingTools() { Interlocked.Increment(ref _calls); return inner.MissingTools(); }
        public Task CheckVoiceAsync(string locale, CancellationToken ct) { Interlocked.Increment(ref _calls); return inner.CheckVoiceAsync(locale, ct); }
        public Task SynthesizeAsync(string text, string locale, int rate, string wavPath, CancellationToken ct) { Interlocked.Increment(ref _calls); return inner.SynthesizeAsync(text, locale, rate, wavPath, ct); }
    }

    private sealed class CountingTool(IAudioTool inner) : IAudioTool
    {
        private int _calls;
        public int Calls => _calls;
        public string Settings => inner.Settings;
        public IReadOnlyList<string> MissingTools() { Interlocked.Increment(ref _calls); return inner.MissingTools(); }
        public Task<double> DecodeAsync(string input, string wavOutput, CancellationToken ct) { Interlocked.Increment(ref _calls); return inner.DecodeAsync(input, wavOutput, ct); }
        public Task JoinAsync(IReadOnlyList<string> inputs, IReadOnlyList<double> gapsAfter, string wavOutput, CancellationToken ct) { Interlocked.Increment(ref _calls); return inner.JoinAsync(inputs, gapsAfter, wavOutput, ct); }
        public Task<MasteredTrack> MasterAsync(string wavInput, string mp3Output, CancellationToken ct) { Interlocked.Increment(ref _calls); return inner.MasterAsync(wavInput, mp3Output, ct); }
        public Task<LoudnessMeasurement> MeasureAsync(string file, CancellationToken ct) { Interlocked.Increment(ref _calls); return inner.MeasureAsync(file, ct); }
        public Task<double> DurationAsync(string file, CancellationToken ct) { Interlocked.Increment(ref _calls); return inner.DurationAsync(file, ct); }
    }

    /// <summary>Keeps the engine's identity (its name and voices, which make the cache key) and refuses all work.</summary>
    private sealed class ThrowingSpeech(ISpeechEngine inner) : ISpeechEngine
    {
        public string Name => inner.Name;
        public string VoiceFor(string locale) => inner.VoiceFor(locale);
        public IReadOnlyList<string> MissingTools() => throw Refused();
        public Task CheckVoiceAsync(string locale, CancellationToken ct) => throw Refused();
        public Task SynthesizeAsync(string text, string locale, int rate, string wavPath, CancellationToken ct) => throw Refused();
    }

    /// <summary>Keeps the tool's settings (part of the cache key) and refuses all work.</summary>
    private sealed class ThrowingTool(IAudioTool inner) : IAudioTool
    {
        public string Settings => inner.Settings;
        public IReadOnlyList<string> MissingTools() => throw Refused();
        public Task<double> DecodeAsync(string input, string wavOutput, CancellationToken ct) => throw Refused();
        public Task JoinAsync(IReadOnlyList<string> inputs, IReadOnlyList<double> gapsAfter, string wavOutput, CancellationToken ct) => throw Refused();
        public Task<MasteredTrack> MasterAsync(string wavInput, string mp3Output, CancellationToken ct) => throw Refused();
        public Task<LoudnessMeasurement> MeasureAsync(string file, CancellationToken ct) => throw Refused();
        public Task<double> DurationAsync(string file, CancellationToken ct) => throw Refused();
    }

    private static InvalidOperationException Refused([System.Runtime.CompilerServices.CallerMemberName] string member = "") =>
        new($"{member} was called; a render with a warm cache must not ask for audio work.");
}

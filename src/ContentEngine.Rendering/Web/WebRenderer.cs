using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentEngine.Model;
using ContentEngine.Output;
using ContentEngine.Runtime.Programs;
using Scriban;
using Scriban.Runtime;

namespace ContentEngine.Rendering.Web;

public sealed record WebOptions
{
    public required Theme Theme { get; init; }

    /// <summary>The tracks of the audio bundle built with this one, which module pages then play from the web bundle's own copies; null: no player.</summary>
    public WebAudio? Audio { get; init; }
}

/// <summary>
/// The tracks of an audio bundle, as the web bundle carries them: each module page plays its track from
/// <c>&lt;locale&gt;/audio/&lt;module&gt;.mp3</c> inside the web bundle, so the pages play wherever the web bundle alone is hosted.
/// </summary>
/// <param name="Tracks">by <c>locale/module</c>.</param>
public sealed record WebAudio(IReadOnlyDictionary<string, WebAudioTrack> Tracks);

/// <summary>A module's track: the MP3's bytes (the audio bundle's, unchanged), and where its chapters start.</summary>
public sealed record WebAudioTrack(byte[] Mp3, IReadOnlyList<WebAudioChapter> Chapters);

public sealed record WebAudioChapter(double StartSeconds, string Title);

/// <summary>
/// Turns the program graph into the static web bundle: an overview, module, worksheet, aftercare
/// and search pages per locale, the theme's assets and the program's media. Reads only the graph.
/// </summary>
public static partial class WebRenderer
{
    public static Bundle Render(ProgramGraph graph, WebOptions options)
    {
        var bundle = new Bundle();
        var theme = options.Theme;
        foreach (var (path, content) in theme.Assets) bundle.Add("assets/" + path, content);
        foreach (var asset in graph.Assets) bundle.Add(asset.Path, graph.Store.Read(asset));
        bundle.Add("assets/program.css", ProgramStyle(graph.Identity));
        bundle.Add("assets/program.js", ProgramScript(graph));
        bundle.Add("index.html", LanguageChooser(graph, theme));

        // Pages are independent: render them on every core, then add them in a fixed order.
        var pages = Pages(graph, theme, options.Audio).ToList();
        var rendered = pages.AsParallel().AsOrdered().Select(job => (job.Path, Content: job.Render())).ToList();
        foreach (var (path, content) in rendered) bundle.Add(path, content);
        AddTracks(bundle, options.Audio);
        AddOffline(bundle, graph, theme);
        return bundle;
    }

    /// <summary>The service worker's file at the bundle's root; its scope is the whole bundle.</summary>
    public const string WorkerPath = "sw.js";

    /// <summary>
    /// What makes the program installable and available offline when the bundle is served over http(s):
    /// a web app manifest at the root and one per locale (named by the program's title in that locale,
    /// every URL relative to the manifest), and the service worker <see cref="WorkerPath"/>, which caches
    /// every other file of the bundle under a name made from a hash of their content, so a new build
    /// replaces the old cache; the modules' tracks, large, are cached when their page is visited or they
    /// are played (<see cref="TrackVersions"/>). Added last: the worker's list is the bundle itself.
    /// </summary>
    private static void AddOffline(Bundle bundle, ProgramGraph graph, Theme theme)
    {
        bundle.Add("manifest.webmanifest", Manifest(graph, graph.DefaultLocale, string.Empty, "index.html"));
        foreach (var locale in graph.Locales)
            bundle.Add($"{locale}/manifest.webmanifest", Manifest(graph, locale, "../", "index.html"));

        var all = bundle.Files.Keys.Where(k => k != WorkerPath).ToList(); // ordinal order: the bundle is sorted
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var file in all)
        {
            var content = bundle.Files[file];
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n" + content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"));
            hash.AppendData(content);
        }
        var model = new ScriptObject
        {
            ["program_id"] = JsonSerializer.Serialize(graph.Id, JsonOptions),
            ["version"] = JsonSerializer.Serialize(Convert.ToHexStringLower(hash.GetHashAndReset())[..16], JsonOptions),
            ["files"] = JsonSerializer.Serialize(all.Where(f => !IsTrack(f)), JsonOptions),
            ["media"] = JsonSerializer.Serialize(TrackVersions(bundle, all), JsonOptions),
        };
        bundle.Add(WorkerPath, Render(theme.Template(WorkerPath), model));
    }

    /// <summary>A web app manifest; <paramref name="root"/> leads from the manifest's folder to the bundle's root.</summary>
    private static string Manifest(ProgramGraph graph, string locale, string root, string start)
    {
        var title = graph.Title.Get(locale, graph.DefaultLocale);
        var identity = graph.Identity;
        var icons = new List<Dictionary<string, string>>();
        if (identity?.Logo is { } logo)
        {
            var icon = new Dictionary<string, string> { ["src"] = root + logo };
            var extension = Path.GetExtension(logo).ToLowerInvariant();
            if (extension == ".svg") { icon["sizes"] = "any"; icon["type"] = "image/svg+xml"; }
            else if (extension == ".png")
            {
                icon["type"] = "image/png";
                if (graph.Assets.FirstOrDefault(a => a.Path == logo) is { } asset && PngSize(graph.Store.Read(asset)) is { } size)
                    icon["sizes"] = $"{size.Width}x{size.Height}";
            }
            icons.Add(icon);
        }
        var manifest = new Dictionary<string, object>
        {
            ["lang"] = locale,
            ["dir"] = "ltr",
            ["name"] = title,
            ["short_name"] = title,
            ["start_url"] = start,
            ["scope"] = string.IsNullOrEmpty(root) ? "./" : root,
            ["display"] = "standalone",
            ["theme_color"] = identity?.PrimaryColor ?? DefaultPrimary,
            ["background_color"] = ProgramIdentity.LightBackground,
            ["icons"] = icons,
        };
        if (graph.Summary is { } summary) manifest["description"] = summary.Get(locale, graph.DefaultLocale);
        return JsonSerializer.Serialize(manifest, ManifestJson) + "\n";
    }

    // A file of its own, never inside HTML or a script: readable letters rather than escapes.
    private static readonly JsonSerializerOptions ManifestJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    /// <summary>The theme's primary colour when the program has none (site.css's fallback).</summary>
    private const string DefaultPrimary = "#0b5cab";

    private static (int Width, int Height)? PngSize(byte[] png) =>
        png.Length >= 24 && png[12] == 'I' && png[13] == 'H' && png[14] == 'D' && png[15] == 'R'
            ? (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)))
            : null;

    /// <summary>One page or index file of the bundle, rendered on demand.</summary>
    public sealed record PageJob(string Path, Func<string> Render);

    /// <summary>Every page of the bundle, so a preview can render one page alone.</summary>
    /// <param name="audio">the audio bundle built beside this one, for the players on module pages; null: none.</param>
    public static IEnumerable<PageJob> Pages(ProgramGraph graph, Theme theme, WebAudio? audio = null)
    {
        foreach (var locale in graph.Locales)
        {
            yield return new($"{locale}/index.html", () => Page(graph, theme, locale, $"{locale}/index.html", "overview", p => OverviewModel(p), p => p.T(graph.Title)));
            foreach (var module in graph.Modules)
            {
                var path = $"{locale}/modules/{module.Id}.html";
                yield return new(path, () => Page(graph, theme, locale, path, "module", p => ModuleModel(p, module, audio), p => p.T(module.Title)));
                if (audio is not null && audio.Tracks.ContainsKey($"{locale}/{module.Id}")) yield return TranscriptPage(graph, theme, locale, module);
            }
            foreach (var worksheet in graph.Worksheets)
            {
                var path = $"{locale}/worksheets/{worksheet.Id}.html";
                yield return new(path, () => Page(graph, theme, locale, path, "worksheet", p => WorksheetModel(p, worksheet), p => p.T(worksheet.Title)));
            }
            if (graph.Phases.Any(p => p.Choose is not null))
                yield return new($"{locale}/aftercare.html", () => Page(graph, theme, locale, $"{locale}/aftercare.html", "aftercare", p => AftercareModel(p), ChooseTitle));
            yield return new($"{locale}/search.html", () => Page(graph, theme, locale, $"{locale}/search.html", "search", _ => new ScriptObject(), p => p.S("search")));
            yield return new($"{locale}/{WebFooter.AboutPath}", () => Page(graph, theme, locale, $"{locale}/{WebFooter.AboutPath}", "about", WebFooter.AboutModel, p => p.S("about-program")));
            yield return new($"{locale}/{WebFooter.PrivacyPath}", () => Page(graph, theme, locale, $"{locale}/{WebFooter.PrivacyPath}", "privacy", WebFooter.PrivacyModel, p => p.S("privacy-title")));
            yield return new($"{locale}/search-index.js", () => SearchIndex(graph, locale));
        }
    }

    private static string SearchIndex(ProgramGraph graph, string locale)
    {
        var entries = graph.Modules.Select(m => new { u = $"modules/{m.Id}.html", t = Title(m.Title, locale, graph), x = PlainText(m.Content, locale, graph) })
            .Concat(graph.Worksheets.Select(w => new { u = $"worksheets/{w.Id}.html", t = Title(w.Title, locale, graph), x = PlainText(w.Content, locale, graph) }));
        return "window.CE_SEARCH = " + JsonSerializer.Serialize(entries, JsonOptions) + ";\n";
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.Default };

    private static string Title(LocalizedText t, string locale, ProgramGraph g) => t.Get(locale, g.DefaultLocale);

    // Plain text per body: unchanged modules keep their Content objects across preview rebuilds, so this is computed once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Content, string> PlainTexts = new();

    private static string PlainText(IReadOnlyDictionary<string, Content> content, string locale, ProgramGraph graph) =>
        PlainTexts.GetValue(content.TryGetValue(locale, out var x) ? x : content[graph.DefaultLocale], ComputePlainText);

    private static string ComputePlainText(Content c)
    {
        var sb = new StringBuilder();
        foreach (var markdown in Directives.NestedDirectives.WebMarkdown(c.Blocks)) sb.Append(MarkdownHtml.PlainText(markdown)).Append(' ');
        var text = System.Text.RegularExpressions.Regex.Replace(sb.ToString(), @"\s+", " ").Trim();
        return text.Length > 5000 ? text[..5000] : text;
    }

    /// <summary>
    /// The program's colours as the --ce-primary-light and --ce-primary-dark properties site.css reads:
    /// the compiler has checked both against the page's text and background (CE0412).
    /// </summary>
    public static string ProgramStyle(ProgramIdentity? identity)
    {
        var sb = new StringBuilder("/* The program's identity, from its theme.yaml. */\n");
        var light = identity?.PrimaryColor;
        var dark = identity?.PrimaryColorDark;
        if (light is not null || dark is not null)
        {
            sb.Append(":root {");
            if (light is not null) sb.Append(" --ce-primary-light: ").Append(light).Append(';');
            if (dark is not null) sb.Append(" --ce-primary-dark: ").Append(dark).Append(';');
            sb.Append(" }\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// The program's schedule as schedule.js reads it (<c>window.CE_PROGRAM</c>): the release mode,
    /// the phases and the modules in schedule order, with the fields of graph.json the scheduler
    /// uses (conditions as trees) and each module's title per locale and minutes for the pages.
    /// </summary>
    public static string ProgramScript(ProgramGraph graph)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            w.WriteStartObject();
            w.WriteString("id", graph.Id);
            GraphJson.WriteSchedule(w, graph, module: (w, m) =>
            {
                w.WriteStartObject("title");
                foreach (var locale in graph.Locales) w.WriteString(locale, m.Title.Get(locale, graph.DefaultLocale));
                w.WriteEndObject();
                if (m.Minutes is { } minutes) w.WriteNumber("minutes", minutes);
                WriteHomework(w, graph, m);
            });
            w.WriteEndObject();
        }
        return "/* The program's schedule, written from its graph for schedule.js. */\nwindow.CE_PROGRAM = " + Encoding.UTF8.GetString(stream.ToArray()) + ";\n";
    }

    /// <summary>
    /// A module's homework (<see cref="Homework"/>) for nextstep.js: each worksheet with its title per locale and the fields
    /// the done button waits for (<c>required</c>, empty when the module does not wait for it); left out when it has none.
    /// </summary>
    private static void WriteHomework(Utf8JsonWriter w, ProgramGraph graph, Module m)
    {
        var homework = Homework.Of(graph, m);
        if (homework.IsEmpty) return;
        w.WriteStartArray("homework");
        foreach (var h in homework)
        {
            w.WriteStartObject();
            w.WriteString("id", h.Worksheet.Id);
            w.WriteStartObject("title");
            foreach (var locale in graph.Locales) w.WriteString(locale, h.Worksheet.Title.Get(locale, graph.DefaultLocale));
            w.WriteEndObject();
            w.WriteBoolean("diary", h.Worksheet.Kind == WorksheetKind.Diary);
            w.WriteStartArray("required");
            if (h.IsRequired) foreach (var f in h.RequiredFields) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// The bundle's front door: the program's title and logo, and a link per language (each in its own
    /// language). app.js goes straight on to the language chosen before; with one language the page
    /// forwards at once.
    /// </summary>
    private static string LanguageChooser(ProgramGraph graph, Theme theme)
    {
        var page = new PageContext(graph, graph.DefaultLocale, "index.html", theme);
        var model = new ScriptObject();
        Common(model, page);
        model["languages"] = graph.Locales.Select(l => Obj(("code", l), ("name", theme.Strings.Get(l, "language-name")),
            ("title", graph.Title.Get(l, graph.DefaultLocale)), ("url", $"{l}/index.html"))).ToList();
        model["titles"] = graph.Locales.Select(l => graph.Title.Get(l, graph.DefaultLocale)).Distinct().ToList();
        model["single"] = graph.Locales.Length == 1 ? $"{graph.DefaultLocale}/index.html" : null;
        model["logo_alt"] = page.T(graph.Identity?.LogoAlt);
        return Render(theme.Template("root.html"), model);
    }

    // ---- pages ----

    private static string Page(ProgramGraph graph, Theme theme, string locale, string path, string kind, Func<PageContext, ScriptObject> model, Func<PageContext, string> title)
    {
        var page = new PageContext(graph, locale, path, theme);
        var body = model(page);
        Common(body, page);
        var content = Render(theme.Template(kind + ".html"), body);
        var layout = new ScriptObject();
        Common(layout, page);
        layout["page_title"] = title(page);
        layout["page_kind"] = kind;
        layout["content"] = content;
        layout["search_page"] = kind == "search";
        return Render(theme.Template("layout.html"), layout);
    }

    // A template context is costly to create and not thread-safe: one per thread, reused.
    private static readonly ThreadLocal<TemplateContext> Contexts = new(() =>
    {
        var context = new TemplateContext { StrictVariables = false, EnableRelaxedMemberAccess = true, LoopLimit = int.MaxValue };
        var functions = new ScriptObject();
        functions.Import("e", new Func<object?, string>(v => Html.Text(v?.ToString())));
        context.PushGlobal(functions);
        return context;
    });

    internal static string Render(Template template, ScriptObject model)
    {
        var context = Contexts.Value!;
        context.PushGlobal(model);
        try
        {
            return template.Render(context);
        }
        catch (Scriban.Syntax.ScriptRuntimeException e)
        {
            throw new ThemeException($"A template of the theme failed: {e.Message}");
        }
        finally
        {
            context.PopGlobal();
        }
    }

    internal static void Common(ScriptObject o, PageContext p)
    {
        var g = p.Graph;
        o["program_id"] = g.Id;
        o["program_title"] = p.T(g.Title);
        o["program_version"] = g.Version;
        o["locale"] = p.Locale;
        o["root"] = p.Root;
        o["home_url"] = p.LocaleUrl("index.html");
        o["search_url"] = p.LocaleUrl("search.html");
        o["aftercare_url"] = g.Phases.Any(x => x.Choose is not null) ? p.LocaleUrl("aftercare.html") : null;
        o["choose_title"] = ChooseTitle(p);
        o["logo_url"] = g.Identity?.Logo is { } logo ? p.AssetUrl(logo) : null;
        var here = p.Path[(p.Locale.Length + 1)..];
        o["languages"] = g.Locales.Select(l => Obj(("code", l), ("name", p.Strings.Get(l, "language-name")), ("url", p.LocaleUrl(here, l)), ("current", l == p.Locale))).ToList();
        var strings = new ScriptObject();
        foreach (var (k, v) in p.Strings.For(p.Locale)) strings[k.Replace('-', '_')] = v;
        o["s"] = strings;
        WebFooter.Add(o, p);
    }

    internal static ScriptObject Obj(params (string Key, object? Value)[] items)
    {
        var o = new ScriptObject();
        foreach (var (k, v) in items) o[k] = v;
        return o;
    }

    private static ScriptObject ModuleSummary(PageContext p, Module m) => Obj(
        ("id", m.Id), ("title", p.T(m.Title)), ("summary", p.T(m.Summary)), ("url", p.ModuleUrl(m.Id)),
        ("minutes", m.Minutes), ("optional", m.Optional), ("week", m.Week), ("program_week", m.ProgramWeek),
        ("offer_reason", p.T(m.OfferReason)), ("condition", m.OfferWhen is null ? null : TreeJson(m.OfferWhen)));

    private static ScriptObject OverviewModel(PageContext p)
    {
        var g = p.Graph;
        var phases = g.Phases.Select(ph => Obj(
            ("id", ph.Id), ("title", p.T(ph.Title)), ("first_week", ph.FirstWeek), ("last_week", ph.FirstWeek + ph.Weeks - 1),
            ("pause_before", ph.PauseBefore), ("choose", ph.Choose is not null),
            ("weeks", g.Modules.Where(m => m.Phase == ph.Id).GroupBy(m => m.Week).OrderBy(w => w.Key).Select(w => Obj(
                ("week", w.Key), ("program_week", ph.FirstWeek + w.Key - 1),
                ("modules", w.Select(m => ModuleSummary(p, m)).ToList()))).ToList()))).ToList();
        var totalWeeks = g.Phases.Length == 0 ? 0 : g.Phases.Max(ph => ph.FirstWeek + ph.Weeks - 1);
        return Obj(("summary", p.T(g.Summary)), ("phases", phases), ("guided", g.Guidance == Guidance.Guided),
            ("total_weeks", totalWeeks), ("total_weeks_text", p.S("progress-of").Replace("{0}", totalWeeks.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)),
            ("progress_strings", ProgressStrings(p)),
            ("worksheets", g.Worksheets.Select(w => Obj(("title", p.T(w.Title)), ("url", p.WorksheetUrl(w.Id)), ("summary", p.T(w.Summary)))).ToList()));
    }

    private static ScriptObject ModuleModel(PageContext p, Module m, WebAudio? audio)
    {
        var g = p.Graph;
        ScriptObject? player = null;
        if (audio is not null && audio.Tracks.TryGetValue($"{p.Locale}/{m.Id}", out var track))
        {
            player = Obj(("mp3", p.Root + TrackPath(p.Locale, m.Id)), ("transcript", p.Root + TranscriptPath(p.Locale, m.Id)),
                ("chapters", track.Chapters.Select(c => Obj(("start", c.StartSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)),
                    ("time", $"{(int)c.StartSeconds / 60}:{(int)c.StartSeconds % 60:00}"), ("title", c.Title))).ToList()));
        }
        var index = g.ScheduleIndex(m.Id);
        var phase = g.FindPhase(m.Phase)!;
        var content = m.Content.TryGetValue(p.Locale, out var c) ? c : m.Content[g.DefaultLocale];
        p.BlockIds = StableIds.Blocks(m.Id, content.Blocks);
        return Obj(("module", ModuleSummary(p, m)), ("phase_title", p.T(phase.Title)), ("player", player),
            ("body", new ContentHtml(p).RenderBody([.. WithoutRepeatedTitle(content.Blocks, p.T(m.Title))])),
            ("requires", m.Requires.Select(r => g.FindModule(r)).OfType<Module>().Select(r => ModuleSummary(p, r)).ToList()),
            ("previous", index > 0 ? ModuleSummary(p, g.Modules[index - 1]) : null),
            ("next", index + 1 < g.Modules.Length ? ModuleSummary(p, g.Modules[index + 1]) : null),
            ("progress_strings", ProgressStrings(p)));
    }

    /// <summary>
    /// The theme's progress-* strings of the page's locale as JSON, for app.js to say what the
    /// schedule gives the patient (done, next, locked and why, when a module opens) in the page's language.
    /// </summary>
    private static string ProgressStrings(PageContext p)
    {
        var strings = p.Strings.For(p.Locale).Where(kv => kv.Key.StartsWith("progress-", StringComparison.Ordinal))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key["progress-".Length..], kv => kv.Value);
        return JsonSerializer.Serialize(strings, JsonOptions);
    }

    /// <summary>A body that opens with its own title as a heading would say it twice under the page's h1.</summary>
    /// <summary>The body without its first heading when that repeats the title the page shows above it (spoken-only narration before it does not count).</summary>
    internal static IEnumerable<ContentBlock> WithoutRepeatedTitle(IReadOnlyList<ContentBlock> blocks, string title)
    {
        var i = 0;
        while (i < blocks.Count && blocks[i] is DirectiveBlock { Name: "narration" }) i++;
        if (i < blocks.Count && blocks[i] is MarkdownBlock first)
        {
            var lines = first.Markdown.Split('\n');
            if (lines[0].StartsWith('#') && lines[0].TrimStart('#').Trim() == title.Trim())
                return [.. blocks.Take(i), new MarkdownBlock(string.Join('\n', lines.Skip(1)).Trim()), .. blocks.Skip(i + 1)];
        }
        return blocks;
    }

    private static ScriptObject WorksheetModel(PageContext p, Worksheet w)
    {
        var content = w.Content.TryGetValue(p.Locale, out var c) ? c : w.Content[p.Graph.DefaultLocale];
        p.BlockIds = StableIds.Blocks(w.Id, content.Blocks);
        return Obj(("worksheet", Obj(("id", w.Id), ("title", p.T(w.Title)), ("summary", p.T(w.Summary)), ("kind", w.Kind.ToString().ToLowerInvariant()), ("feedback", w.Feedback))),
            ("instructions", new ContentHtml(p).RenderBody([.. WithoutRepeatedTitle(content.Blocks, p.T(w.Title))])),
            ("form", WorksheetForm.Render(w, p)),
            ("used_in", p.Graph.Modules.Where(m => m.Content.Values.Any(x => Places(x.Blocks, w.Id))).Select(m => ModuleSummary(p, m)).ToList()),
            ("progress_strings", ProgressStrings(p)));
    }

    private static bool Places(IEnumerable<ContentBlock> blocks, string worksheet) =>
        blocks.Directives().Any(d => (d.Name == "worksheet" && d.Attributes.GetValueOrDefault("ref") == worksheet) || Places(d.Children, worksheet));

    /// <summary>
    /// The name of the page where patients choose optional modules, from the program's own words: the phase's title
    /// when one phase has a choice ("Aftercare: choose your modules"), the theme's general words when several have.
    /// </summary>
    private static string ChooseTitle(PageContext p) =>
        OnlyChoosingPhase(p.Graph) is { } phase ? p.S("choose-in-phase").Replace("{0}", p.T(phase.Title), StringComparison.Ordinal) : p.S("choose-modules");

    private static Phase? OnlyChoosingPhase(ProgramGraph g) =>
        g.Phases.Count(ph => ph.Choose is not null) == 1 ? g.Phases.First(ph => ph.Choose is not null) : null;

    private static ScriptObject AftercareModel(PageContext p)
    {
        var g = p.Graph;
        var phases = g.Phases.Where(ph => ph.Choose is not null).Select(ph => Obj(
            ("id", ph.Id), ("title", p.T(ph.Title)), ("min", ph.Choose!.Min), ("max", ph.Choose.Max),
            ("max_or_all", Math.Min(ph.Choose.Max ?? int.MaxValue, g.Modules.Count(m => m.Phase == ph.Id && m.Optional))),
            ("mandatory", g.Modules.Where(m => m.Phase == ph.Id && !m.Optional).Select(m => ModuleSummary(p, m)).ToList()),
            ("optional", g.Modules.Where(m => m.Phase == ph.Id && m.Optional).Select(m => ModuleSummary(p, m)).ToList()))).ToList();
        return Obj(("phases", phases), ("progress_strings", ProgressStrings(p)));
    }

    public static string TreeJson(Condition condition)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) Runtime.Conditions.ConditionJson.Write(w, condition.Tree);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

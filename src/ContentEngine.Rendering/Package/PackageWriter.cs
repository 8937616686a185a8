using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContentEngine.Model;
using ContentEngine.Output;
using ContentEngine.Rendering.Web;

namespace ContentEngine.Rendering.Package;

public sealed record PackageOptions
{
    /// <summary>The theme whose UI strings the content fragments use (callout and exercise labels; a placed worksheet is a link to its fragment, and its form is built from worksheets/&lt;id&gt;.json).</summary>
    public required Theme Theme { get; init; }

    /// <summary>Bundles already rendered, by name ("web", "print", "audio"), carried under bundles/&lt;name&gt;/.</summary>
    public IReadOnlyDictionary<string, Bundle> Bundles { get; init; } = new Dictionary<string, Bundle>();

    /// <summary>
    /// Seconds since 1970-01-01 UTC (the SOURCE_DATE_EPOCH convention): the only time the package
    /// holds, as its creation time and as every entry's time. Null: no creation time, and entries
    /// carry the zip format's earliest time, 1980-01-01.
    /// </summary>
    public long? SourceDateEpoch { get; init; }

    /// <summary>
    /// The publisher's key and name: the package then holds signature.json, their signature of manifest.json (and so,
    /// through its hashes, of every file). Null: the package is not signed.
    /// </summary>
    public ContentEngine.Runtime.Packaging.PackageSigner? Signer { get; init; }

    /// <summary>SOURCE_DATE_EPOCH from the environment, or null when unset; a malformed value is an error the caller reports.</summary>
    public static long? SourceDateEpochFromEnvironment() => ParseSourceDateEpoch(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"));

    /// <summary>A SOURCE_DATE_EPOCH value: null when empty; <see cref="ArgumentException"/> when not a whole number of seconds.</summary>
    public static long? ParseSourceDateEpoch(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        if (!long.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
            throw new ArgumentException($"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, not '{raw}'");
        return seconds;
    }
}

/// <summary>
/// Writes the program package (<c>&lt;id&gt;-&lt;version&gt;.cepkg</c>): a zip of manifest.json, graph.json,
/// content fragments and plain text per locale, media, worksheets as JSON, FHIR R4 resources and the
/// bundles that were built. The same graph and options give the same bytes: entries sorted by path,
/// one fixed time, fixed permissions, no file-system metadata. docs/package-format.md describes it.
/// </summary>
public static class PackageWriter
{
    /// <summary>The package format written; ContentEngine.Runtime states the formats it reads.</summary>
    public const int Format = 1;

    public static string FileName(ProgramGraph graph) => $"{graph.Id}-{graph.Version}.cepkg";

    public static string Generator =>
        "ContentEngine " + (typeof(PackageWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    /// <summary>Every file of the package but the manifest, by path.</summary>
    public static SortedDictionary<string, byte[]> Files(ProgramGraph graph, PackageOptions options)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["graph.json"] = Encoding.UTF8.GetBytes(GraphJson.Write(graph)),
        };
        foreach (var locale in graph.Locales)
        {
            foreach (var m in graph.Modules)
                AddContent(files, graph, options.Theme, locale, $"modules/{m.Id}", m.Title, m.Content);
            foreach (var w in graph.Worksheets)
                AddContent(files, graph, options.Theme, locale, $"worksheets/{w.Id}", w.Title, w.Content);
        }
        foreach (var asset in graph.Assets)
            files["content/" + asset.Path] = graph.Store.Read(asset);
        foreach (var w in graph.Worksheets)
            files[$"worksheets/{w.Id}.json"] = Encoding.UTF8.GetBytes(GraphJson.WriteWorksheet(w, graph.DefaultLocale));
        foreach (var (path, content) in Fhir.FhirExport.Export(graph))
            files[path] = content;
        foreach (var (name, bundle) in options.Bundles.OrderBy(b => b.Key, StringComparer.Ordinal))
            foreach (var (path, content) in bundle.Files)
                files[$"bundles/{name}/{path}"] = content;
        return files;
    }

    /// <summary>manifest.json for these files.</summary>
    public static byte[] Manifest(ProgramGraph graph, PackageOptions options, IReadOnlyDictionary<string, byte[]> files)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("packageFormat", Format);
            w.WriteNumber("graphFormat", GraphJson.FormatVersion);
            w.WriteStartObject("program");
            w.WriteString("id", graph.Id);
            w.WriteString("version", graph.Version);
            w.WriteStartObject("title");
            foreach (var (k, v) in graph.Title.Values) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteStartArray("locales");
            foreach (var l in graph.Locales) w.WriteStringValue(l);
            w.WriteEndArray();
            w.WriteString("defaultLocale", graph.DefaultLocale);
            w.WriteEndObject();
            w.WriteStartObject("build");
            w.WriteString("generator", Generator);
            if (options.SourceDateEpoch is { } epoch)
            {
                w.WriteString("created", DateTimeOffset.FromUnixTimeSeconds(epoch).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                w.WriteNumber("sourceDateEpoch", epoch);
            }
            w.WriteEndObject();
            w.WriteStartArray("bundles");
            foreach (var name in options.Bundles.Keys.Order(StringComparer.Ordinal)) w.WriteStringValue(name);
            w.WriteEndArray();
            w.WriteStartArray("files");
            foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("path", path);
                w.WriteNumber("size", content.LongLength);
                w.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>The package's bytes, signed when <see cref="PackageOptions.Signer"/> is given.</summary>
    public static byte[] Write(ProgramGraph graph, PackageOptions options)
    {
        var files = Files(graph, options);
        var manifest = Manifest(graph, options, files);
        files["manifest.json"] = manifest;
        // An ECDSA signature differs at each signing: a signed package is reproducible but for signature.json.
        if (options.Signer is { } signer) files[ContentEngine.Runtime.Packaging.ProgramPackage.SignaturePath] = signer.Sign(manifest);
        return Zip(files, options.SourceDateEpoch);
    }

    /// <summary>A zip of <paramref name="files"/> in path order, every entry with the same time and permissions.</summary>
    public static byte[] Zip(IReadOnlyDictionary<string, byte[]> files, long? sourceDateEpoch)
    {
        // The zip format counts time from 1980 in local, two-second steps: clamp and round down.
        var earliest = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var time = sourceDateEpoch is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : earliest;
        if (time < earliest) time = earliest;
        time = new DateTimeOffset(time.Year, time.Month, time.Day, time.Hour, time.Minute, time.Second / 2 * 2, TimeSpan.Zero);
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
                entry.LastWriteTime = time;
                entry.ExternalAttributes = Convert.ToInt32("100644", 8) << 16; // a regular file, rw-r--r--
                using var data = entry.Open();
                data.Write(content);
            }
        }
        return stream.ToArray();
    }

    private static void AddContent(SortedDictionary<string, byte[]> files, ProgramGraph graph, Theme theme, string locale, string path,
        LocalizedText title, IReadOnlyDictionary<string, Content> content)
    {
        if (!content.TryGetValue(locale, out var c) && !content.TryGetValue(graph.DefaultLocale, out c)) return;
        // Fragments link as if they stood at content/<locale>/<path>.html: to each other and to content/media/.
        var page = new PageContext(graph, locale, $"{locale}/{path}.html", theme) { BlockIds = StableIds.Blocks(path[(path.IndexOf('/') + 1)..], c.Blocks) };
        List<ContentBlock> blocks = [.. WebRenderer.WithoutRepeatedTitle(c.Blocks, page.T(title))];
        var html = new ContentHtml(page).RenderBody(blocks);
        files[$"content/{locale}/{path}.html"] = Encoding.UTF8.GetBytes(html.TrimEnd() + "\n");
        files[$"content/{locale}/{path}.txt"] = Encoding.UTF8.GetBytes(PlainText(page.T(title), blocks));
    }

    /// <summary>The text a patient reads on the web, without markup: headings, paragraphs and list items on lines of their own.</summary>
    private static string PlainText(string title, IEnumerable<ContentBlock> blocks)
    {
        var sb = new StringBuilder(title).Append("\n\n");
        foreach (var markdown in Directives.NestedDirectives.WebMarkdown(blocks))
        {
            var text = Fhir.PlainText.From(markdown);
            if (text.Length > 0) sb.Append(text).Append("\n\n");
        }
        return sb.ToString().TrimEnd() + "\n";
    }
}

using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ContentEngine.Model;

namespace ContentEngine.Cli.Preview;

/// <summary>The snapshot of a new bundle: each file's hash, each page's fingerprint over the files it loads, and the pages as served.</summary>
public sealed partial class PreviewBuilder
{
    [GeneratedRegex("""<(?:script|img|audio|video|source|track|link|iframe|embed|object)\b[^>]*?\s(?:src|href|data)\s*=\s*["']([^"']*)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex Loads();

    private PreviewSnapshot Snapshot(PreviewSnapshot previous, IReadOnlyDictionary<string, byte[]> files, ProgramGraph graph, ImmutableArray<PreviewProblem> errors)
    {
        var hashes = new Dictionary<string, string>(files.Count, StringComparer.Ordinal);
        foreach (var (key, bytes) in files)
        {
            // Unchanged bytes keep their hash: comparing is cheaper than hashing.
            hashes[key] = previous.Files.TryGetValue(key, out var old) && previous.Hashes.TryGetValue(key, out var oldHash)
                && (ReferenceEquals(old, bytes) || old.AsSpan().SequenceEqual(bytes))
                ? oldHash
                : Convert.ToHexStringLower(SHA256.HashData(bytes));
        }

        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        var pages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var dependencies = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, bytes) in files)
        {
            if (!ContentTypes.IsHtml(key)) continue;
            // A page whose bytes are the very same as before loads the same files: reuse what was found then.
            if (previous.Files.TryGetValue(key, out var before) && ReferenceEquals(before, bytes)
                && previous.Dependencies.TryGetValue(key, out var known) && previous.Pages.TryGetValue(key, out var page)
                && known.All(d => hashes.TryGetValue(d, out var h) && previous.Hashes.TryGetValue(d, out var oh) && h == oh))
            {
                dependencies[key] = known;
                fingerprints[key] = previous.FingerprintOf(key)!;
                pages[key] = page;
                continue;
            }
            var html = Encoding.UTF8.GetString(bytes);
            var deps = new SortedSet<string>(StringComparer.Ordinal);
            foreach (Match m in Loads().Matches(html))
                if (Resolve(key, m.Groups[1].Value) is { } dep && hashes.ContainsKey(dep) && dep != key) deps.Add(dep);
            dependencies[key] = [.. deps];
            var sb = new StringBuilder(hashes[key]);
            foreach (var dep in deps) sb.Append('\n').Append(dep).Append(':').Append(hashes[dep]);
            var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..20];
            fingerprints[key] = fingerprint;
            pages[key] = previous.Pages.TryGetValue(key, out var servedBefore) && previous.FingerprintOf(key) == fingerprint
                ? servedBefore
                : Encoding.UTF8.GetBytes(PreviewPages.Inject(html, key, fingerprint));
        }

        return new PreviewSnapshot
        {
            Generation = previous.Generation + 1,
            BundleGeneration = previous.Generation + 1,
            Files = files,
            Pages = pages,
            Hashes = hashes,
            Fingerprints = fingerprints,
            Dependencies = dependencies,
            PageSources = Sources(graph),
            Graph = graph,
            Theme = _renderedTheme ?? _theme,
            Errors = errors,
        }.Explored(this);
    }

    /// <summary>A URL in a page, as a bundle key; null for external, absolute or unresolvable ones.</summary>
    internal static string? Resolve(string page, string url)
    {
        url = System.Net.WebUtility.HtmlDecode(url).Trim();
        var cut = url.IndexOfAny(['?', '#']);
        if (cut >= 0) url = url[..cut];
        if (url.Length == 0 || url.StartsWith("//", StringComparison.Ordinal) || url.Contains(':')) return null;
        var parts = new List<string>();
        if (url.StartsWith('/')) url = url[1..];
        else parts.AddRange(page.Split('/')[..^1]);
        foreach (var segment in Uri.UnescapeDataString(url).Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
            }
            else parts.Add(segment);
        }
        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    private static ImmutableDictionary<string, ImmutableArray<string>> Sources(ProgramGraph g)
    {
        var map = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var locale in g.Locales)
        {
            map[$"{locale}/index.html"] = ["program.yaml"];
            map[$"{locale}/aftercare.html"] = ["program.yaml", .. g.Modules.Where(m => m.Optional).Select(m => m.SourcePath)];
            foreach (var m in g.Modules)
                map[$"{locale}/modules/{m.Id}.html"] = [.. new[] { m.SourcePath }.Concat(m.Content.Values.Select(c => c.SourcePath)).Distinct()];
            foreach (var w in g.Worksheets)
                map[$"{locale}/worksheets/{w.Id}.html"] = [.. new[] { w.SourcePath }.Concat(w.Content.Values.Select(c => c.SourcePath)).Distinct()];
        }
        return map.ToImmutable();
    }
}

using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace ContentEngine.Runtime.Packaging;

/// <summary>manifest.json read, and the files it lists checked against the zip's entries.</summary>
public sealed partial class ProgramPackage
{
    /// <summary>A small file read whole (manifest.json, signature.json), refused when it unpacks to more than <paramref name="max"/> bytes.</summary>
    private static byte[] ReadAtMostOrRefuse(ZipArchiveEntry entry, long max)
    {
        var name = entry.FullName;
        if (entry.Length > max)
            throw new PackageException(PackageError.TooLarge, $"{name} is {Size(entry.Length)}, more than the {Size(max)} this library reads", name);
        var (bytes, read) = ReadAtMost(entry, (int)entry.Length, (int)max, hash: null, keep: true);
        if (read > max)
            throw new PackageException(PackageError.TooLarge, $"{name} unpacks to more than the {Size(max)} this library reads", name);
        return read == bytes.Length ? bytes : bytes[..(int)read];
    }

    private static string Size(long bytes) => bytes >= Mebi ? $"{bytes / Mebi} MiB" : $"{bytes / 1024} KiB";

    /// <summary>
    /// Checks everything about the listed files that needs no unpacking: their names, declared sizes and the
    /// limits, that each is in the package with the size listed, and that the package holds nothing else.
    /// </summary>
    private static Dictionary<string, PackageFile> CheckListedFiles(PackageManifest manifest, Dictionary<string, ZipArchiveEntry> entries, long packageBytes)
    {
        var listed = new Dictionary<string, PackageFile>(StringComparer.Ordinal);
        var folded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        foreach (var f in manifest.Files)
        {
            if (UnsafeName(f.Path) is { } why)
                throw new PackageException(PackageError.InvalidManifest, $"manifest.json lists an unsafe path '{Printable(f.Path)}': {why}", ManifestPath);
            if (!listed.TryAdd(f.Path, f))
                throw new PackageException(PackageError.InvalidManifest, $"manifest.json lists '{f.Path}' twice", ManifestPath);
            if (!folded.TryAdd(f.Path, f.Path))
                throw new PackageException(PackageError.InvalidManifest, $"manifest.json lists '{folded[f.Path]}' and '{f.Path}', paths that differ only in case", ManifestPath);
            if (f.Path == ManifestPath)
                throw new PackageException(PackageError.InvalidManifest, "manifest.json lists itself", ManifestPath);
            if (f.Path == SignaturePath)
                throw new PackageException(PackageError.InvalidManifest, "manifest.json lists signature.json, which signs manifest.json and cannot be listed in it", ManifestPath);
            if (f.Size < 0)
                throw new PackageException(PackageError.InvalidManifest, $"manifest.json gives '{f.Path}' a negative size", ManifestPath);
            if (f.Size > MaxFileBytes)
                throw new PackageException(PackageError.TooLarge,
                    $"manifest.json gives '{f.Path}' {f.Size / Mebi} MiB, more than the {MaxFileBytes / Mebi} MiB this library opens in one file", f.Path);
            total += f.Size;
            if (total > MaxUncompressedBytes)
                throw new PackageException(PackageError.TooLarge,
                    $"manifest.json lists files of more than {MaxUncompressedBytes / Mebi} MiB in all, more than this library opens", ManifestPath);
        }
        var expansionLimit = Math.Max(MinExpansionBytes, packageBytes * MaxExpansion);
        if (total > expansionLimit)
            throw new PackageException(PackageError.TooLarge,
                $"manifest.json lists {total} bytes of files, more than {MaxExpansion} times the package's {packageBytes} bytes: it is refused as a zip bomb", ManifestPath);

        foreach (var f in manifest.Files)
        {
            if (entries.ContainsKey(f.Path)) continue;
            var cased = entries.Keys.FirstOrDefault(k => string.Equals(k, f.Path, StringComparison.OrdinalIgnoreCase));
            throw new PackageException(PackageError.MissingFile, cased is null
                ? $"the file '{f.Path}' listed in manifest.json is missing from the package"
                : $"the file '{f.Path}' listed in manifest.json is in the package as '{cased}': the names differ in case", f.Path);
        }
        foreach (var name in entries.Keys.Order(StringComparer.Ordinal))
        {
            if (name is ManifestPath or SignaturePath || listed.ContainsKey(name)) continue;
            throw folded.TryGetValue(name, out var other)
                ? new PackageException(PackageError.ExtraFile, $"the package holds '{name}', which manifest.json lists as '{other}': the names differ in case", name)
                : new PackageException(PackageError.ExtraFile, $"the package holds '{name}', which manifest.json does not list: it was added after packaging", name);
        }
        foreach (var f in manifest.Files)
            if (entries[f.Path].Length != f.Size)
                throw SizeMismatch(f, entries[f.Path].Length);

        return listed;
    }

    private static string Str(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"a string was expected where the manifest has {e.ValueKind}");

    private static PackageManifest ReadManifest(byte[] bytes)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new PackageException(PackageError.InvalidManifest, $"manifest.json is not valid JSON ({e.Message})", ManifestPath, e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("packageFormat", out var pf) || pf.ValueKind != JsonValueKind.Number || !pf.TryGetInt32(out var format))
                throw new PackageException(PackageError.InvalidManifest, "manifest.json has no packageFormat number", ManifestPath);
            if (format < MinimumFormat || format > CurrentFormat)
                throw new PackageException(PackageError.UnsupportedFormat,
                    $"manifest.json says package format {format}, and this version of ContentEngine.Runtime reads {(MinimumFormat == CurrentFormat ? $"format {CurrentFormat} only" : $"formats {MinimumFormat} to {CurrentFormat}")}" +
                    (format > CurrentFormat ? "; update ContentEngine.Runtime to open it" : string.Empty), ManifestPath);
            try
            {
                var program = root.GetProperty("program");
                var build = root.GetProperty("build");
                return new PackageManifest(
                    format,
                    Str(program.GetProperty("id")),
                    Str(program.GetProperty("version")),
                    [.. program.GetProperty("locales").EnumerateArray().Select(l => Str(l))],
                    root.GetProperty("graphFormat").GetInt32(),
                    Str(build.GetProperty("generator")),
                    build.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null,
                    [.. root.GetProperty("bundles").EnumerateArray().Select(b => Str(b))],
                    [.. root.GetProperty("files").EnumerateArray().Select(f => new PackageFile(
                        Str(f.GetProperty("path")), f.GetProperty("size").GetInt64(), Str(f.GetProperty("sha256"))))]);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new PackageException(PackageError.InvalidManifest, $"manifest.json is incomplete or malformed ({e.Message})", ManifestPath, e);
            }
        }
    }
}

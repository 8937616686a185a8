using System.Text;

namespace ContentEngine.Rendering;

/// <summary>The files of a rendered bundle, by relative path with forward slashes, in memory until written.</summary>
public sealed class Bundle
{
    private readonly SortedDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, byte[]> Files => _files;

    public void Add(string path, byte[] content) => _files[path] = content;

    public void Add(string path, string text) => _files[path] = Encoding.UTF8.GetBytes(text);

    public bool TryGet(string path, out byte[] content) => _files.TryGetValue(path, out content!);

    /// <summary>Writes every file below <paramref name="folder"/>, which must exist.</summary>
    public void WriteTo(string folder)
    {
        // Each folder is made once; the files, independent of each other, are written several at a time.
        foreach (var dir in _files.Keys.Select(p => Path.GetDirectoryName(Path.Combine(folder, p))!).Distinct(StringComparer.Ordinal))
            Directory.CreateDirectory(dir);
        Parallel.ForEach(_files, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, Environment.ProcessorCount * 2) }, file =>
        {
            using var stream = new FileStream(Path.Combine(folder, file.Key), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            stream.Write(file.Value);
        });
    }
}

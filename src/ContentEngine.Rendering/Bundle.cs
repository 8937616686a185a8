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
        foreach (var (path, content) in _files)
        {
            var full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, content);
        }
    }
}

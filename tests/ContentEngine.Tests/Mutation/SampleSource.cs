using System.Text;

namespace ContentEngine.Tests.Mutation;

/// <summary>One text file of the sample, split into lines; edits return the whole new text.</summary>
internal sealed class SourceText
{
    private readonly string _newLine;

    public SourceText(string path, string text)
    {
        Path = path;
        _newLine = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        Lines = text.Split(_newLine);
    }

    /// <summary>The path relative to the program, with '/' (as diagnostics give it).</summary>
    public string Path { get; }

    /// <summary>The lines without their line ends; a text ending in a line end has an empty last element.</summary>
    public IReadOnlyList<string> Lines { get; }

    public bool IsMarkdown => Path.EndsWith(".md", StringComparison.Ordinal);

    /// <summary>A translation: <c>name.xx.md</c> beside <c>name.md</c>.</summary>
    public bool IsTranslation => IsMarkdown && System.IO.Path.GetFileNameWithoutExtension(Path).Contains('.', StringComparison.Ordinal);

    public string Replace(int line, string text) => Edit(l => l[line] = text);

    public string Insert(int line, string text) => Edit(l => l.Insert(line, text));

    public string Delete(int line) => Edit(l => l.RemoveAt(line));

    /// <summary>Inserts <paramref name="before"/> above line <paramref name="first"/> and <paramref name="after"/> below line <paramref name="last"/>.</summary>
    public string Wrap(int first, int last, string before, string after) => Edit(l =>
    {
        l.Insert(last + 1, after);
        l.Insert(first, before);
    });

    private string Edit(Action<List<string>> change)
    {
        var lines = Lines.ToList();
        change(lines);
        return string.Join(_newLine, lines);
    }
}

/// <summary>The sample program, read once into memory; every mutant writes a full copy of it with one file changed.</summary>
internal sealed class SampleSource
{
    public static readonly Lazy<SampleSource> Instance = new(() => new SampleSource(TestPaths.Repo("content", "iact-chronic-pain")));

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly SortedDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SourceText> _texts = new(StringComparer.Ordinal);

    private SampleSource(string root)
    {
        Root = root;
        foreach (var full in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(root, full).Replace('\\', '/');
            var bytes = File.ReadAllBytes(full);
            _files[relative] = bytes;
            if (relative.EndsWith(".md", StringComparison.Ordinal) || relative.EndsWith(".yaml", StringComparison.Ordinal))
                _texts[relative] = new SourceText(relative, Utf8.GetString(bytes));
        }
    }

    public string Root { get; }

    /// <summary>The Markdown and YAML files, in ordinal order of their paths.</summary>
    public IEnumerable<SourceText> Texts => _texts.Values;

    /// <summary>A file's bytes as the sample has them.</summary>
    public byte[] Bytes(string path) => _files[path];

    /// <summary>Writes the whole program, unchanged, into <paramref name="folder"/>.</summary>
    public void WriteTo(string folder)
    {
        foreach (var (relative, bytes) in _files)
        {
            var full = System.IO.Path.Combine(folder, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }
    }

    /// <summary>Writes the whole program into <paramref name="folder"/>, with <paramref name="changedPath"/> replaced by <paramref name="changedText"/>.</summary>
    public void WriteTo(string folder, string changedPath, string changedText)
    {
        if (!_files.ContainsKey(changedPath)) throw new ArgumentException($"'{changedPath}' is not a file of the sample", nameof(changedPath));
        foreach (var (relative, bytes) in _files)
        {
            var full = System.IO.Path.Combine(folder, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            if (relative == changedPath) File.WriteAllText(full, changedText, Utf8);
            else File.WriteAllBytes(full, bytes);
        }
    }
}

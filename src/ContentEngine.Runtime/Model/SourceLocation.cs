namespace ContentEngine.Text;

/// <summary>A span in a file: 0-based line and column, length in characters (0 for a point).</summary>
public readonly record struct SourceLocation(string Path, int Line, int Column, int Length)
{
    public static SourceLocation File(string path) => new(path, -1, -1, 0);
    public bool HasPosition => Line >= 0;
    public override string ToString() => HasPosition ? $"{Path}({Line + 1},{Column + 1})" : Path;
}

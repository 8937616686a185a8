namespace ContentEngine.Text;

/// <summary>A source file's text with a line index; positions are 0-based.</summary>
public sealed class SourceFile
{
    private readonly int[] _lineStarts;

    public SourceFile(string path, string text)
    {
        Path = path;
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        _lineStarts = [.. starts];
    }

    /// <summary>The path relative to the program folder, with forward slashes.</summary>
    public string Path { get; }
    public string Text { get; }
    public int LineCount => _lineStarts.Length;

    public (int Line, int Column) GetLineColumn(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return (line, offset - _lineStarts[line]);
    }

    public int GetOffset(int line, int column)
    {
        if (line < 0) return 0;
        if (line >= _lineStarts.Length) return Text.Length;
        return Math.Min(_lineStarts[line] + column, Text.Length);
    }

    public string GetLine(int line)
    {
        if (line < 0 || line >= _lineStarts.Length) return string.Empty;
        var start = _lineStarts[line];
        var end = line + 1 < _lineStarts.Length ? _lineStarts[line + 1] : Text.Length;
        return Text[start..end].TrimEnd('\n', '\r');
    }

    public SourceLocation Location(int offset, int length = 0)
    {
        var (line, col) = GetLineColumn(offset);
        return new SourceLocation(Path, line, col, Math.Max(0, length));
    }

    public SourceLocation Location(int line, int column, int length) => new(Path, line, column, length);
}

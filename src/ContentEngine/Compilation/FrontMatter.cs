using ContentEngine.Diagnostics;
using ContentEngine.Text;
using ContentEngine.Yaml;

namespace ContentEngine.Compilation;

/// <summary>A Markdown source split into its front matter (as YAML) and its body.</summary>
public sealed record FrontMatterDocument(SourceFile File, YMapping Yaml, int BodyStart);

public static class FrontMatter
{
    /// <summary>Splits and parses; null when the file cannot be used (the reason is reported).</summary>
    public static FrontMatterDocument? Read(SourceFile file, DiagnosticBag diagnostics)
    {
        var text = file.Text;
        if (text.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            diagnostics.Report(DiagnosticDescriptors.EmptyFile, SourceLocation.File(file.Path));
            return null;
        }
        var first = file.GetLine(0).TrimEnd();
        if (first != "---")
        {
            diagnostics.Report(DiagnosticDescriptors.NoFrontMatter, file.Location(0, 0, Math.Max(1, first.Length)));
            return null;
        }
        var close = -1;
        for (var line = 1; line < file.LineCount; line++)
            if (file.GetLine(line).TrimEnd() is "---" or "...")
            {
                close = line;
                break;
            }
        if (close < 0)
        {
            diagnostics.Report(DiagnosticDescriptors.UnclosedFrontMatter, file.Location(0, 0, 3));
            return null;
        }
        var yamlStart = file.GetOffset(1, 0);
        var yamlEnd = file.GetOffset(close, 0);
        var bodyStart = Math.Min(text.Length, file.GetOffset(close + 1, 0));
        var node = YamlLoader.Load(file, text[yamlStart..yamlEnd], 1, diagnostics);
        switch (node)
        {
            case null when diagnostics.HasErrors:
                return null;
            case null:
                return new FrontMatterDocument(file, new YMapping([], file.Location(0, 0, 3)), bodyStart);
            case YMapping map:
                return new FrontMatterDocument(file, map, bodyStart);
            default:
                diagnostics.Report(DiagnosticDescriptors.WrongType, node.Location, "front matter", "a mapping of keys (key: value)", node.Describe());
                return null;
        }
    }

    /// <summary>Reads a whole-file YAML document such as program.yaml.</summary>
    public static YMapping? ReadYamlFile(SourceFile file, DiagnosticBag diagnostics)
    {
        if (string.IsNullOrWhiteSpace(file.Text))
        {
            diagnostics.Report(DiagnosticDescriptors.EmptyFile, SourceLocation.File(file.Path));
            return null;
        }
        var node = YamlLoader.Load(file, file.Text, 0, diagnostics);
        if (node is YMapping map) return map;
        if (node is not null)
            diagnostics.Report(DiagnosticDescriptors.WrongType, node.Location, file.Path, "a mapping of keys (key: value)", node.Describe());
        return null;
    }
}

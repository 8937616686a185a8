using System.Text;
using ContentEngine.Diagnostics;
using ContentEngine.Text;

namespace ContentEngine.Compilation;

/// <summary>Reads a text source, refusing binary and non-UTF-8 files, and links to outside the program, with a diagnostic.</summary>
public static class SourceReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    public const int MaxBytes = 8 * 1024 * 1024;

    /// <param name="programRoot">the program folder; a source that is a link to outside it is refused (CE0405), as media are.</param>
    public static SourceFile? Read(string programRoot, string programPath, DiagnosticBag diagnostics)
    {
        if (AssetResolver.LeavesFolder(programRoot, programPath))
        {
            diagnostics.Report(DiagnosticDescriptors.AssetOutsideProgram, SourceLocation.File(programPath), programPath, AssetResolver.CopyLinkedSource);
            return null;
        }
        var fullPath = Path.Combine(programRoot, programPath);
        byte[] bytes;
        try
        {
            var info = new FileInfo(fullPath);
            if (info.Length > MaxBytes)
            {
                diagnostics.Report(DiagnosticDescriptors.BinaryFile, SourceLocation.File(programPath), $"it is {info.Length / 1024 / 1024} MiB, more than a text source may be");
                return null;
            }
            bytes = File.ReadAllBytes(fullPath);
        }
        catch (IOException e)
        {
            diagnostics.Report(DiagnosticDescriptors.BinaryFile, SourceLocation.File(programPath), $"it cannot be read: {e.Message}");
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            diagnostics.Report(DiagnosticDescriptors.BinaryFile, SourceLocation.File(programPath), "it cannot be read: permission denied");
            return null;
        }
        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            diagnostics.Report(DiagnosticDescriptors.BinaryFile, SourceLocation.File(programPath), "it contains NUL bytes, so it is binary");
            return null;
        }
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            diagnostics.Report(DiagnosticDescriptors.BinaryFile, SourceLocation.File(programPath), "it has bytes that are not valid UTF-8");
            return null;
        }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        if (text.Contains('\r')) text = text.Replace("\r\n", "\n").Replace('\r', '\n');
        var file = new SourceFile(programPath, text);
        ControlCharacters.Check(file, diagnostics);
        return file;
    }
}

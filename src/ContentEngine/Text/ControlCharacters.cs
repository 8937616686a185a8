using System.Globalization;
using ContentEngine.Diagnostics;

namespace ContentEngine.Text;

/// <summary>
/// Finds control characters in a source: C0 controls other than tab and line ends, DEL and C1 controls. None is
/// visible in an editor, none has a meaning in Markdown or YAML, and an XML output (the audio feed) cannot hold them.
/// </summary>
public static class ControlCharacters
{
    /// <summary>At most this many lines of a file are reported; a file full of them is reported as not text before this.</summary>
    private const int MaxReported = 10;

    private static readonly string[] C0Names =
    [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
        "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
    ];

    public static bool IsRefused(char c) => char.IsControl(c) && c is not ('\t' or '\n' or '\r');

    /// <summary>Reports the first refused character of each line that has one; false when there is none.</summary>
    public static bool Check(SourceFile file, DiagnosticBag diagnostics)
    {
        var text = file.Text;
        var reported = 0;
        var lastLine = -1;
        for (var i = 0; i < text.Length && reported < MaxReported; i++)
        {
            if (!IsRefused(text[i])) continue;
            var (line, column) = file.GetLineColumn(i);
            if (line == lastLine) continue;
            lastLine = line;
            reported++;
            diagnostics.Report(DiagnosticDescriptors.ControlCharacter, file.Location(line, column, 1), Name(text[i]), Hint(text[i]));
        }
        return reported > 0;
    }

    /// <summary>The character as U+XXXX with its short name, such as "U+0007 (BEL)".</summary>
    public static string Name(char c)
    {
        var code = "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
        return c < 0x20 ? $"{code} ({C0Names[c]})" : c == '\u007F' ? $"{code} (DEL)" : $"{code} (a C1 control)";
    }

    private static string Hint(char c) => c switch
    {
        '\u000B' or '\u000C' => " (if a line or page break was meant, end the line instead: an empty line starts a new paragraph)",
        '\u001B' => " (it is often left behind by text copied from a terminal)",
        >= '\u0080' => " (text converted from an old Windows encoding carries these where quotes or dashes were meant: retype them)",
        _ => " (most editors do not show it: retype the text around this column, or search for the character by its code)",
    };
}

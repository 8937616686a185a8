using System.Text.RegularExpressions;
using ContentEngine.Text;

namespace ContentEngine.Compilation;

/// <summary>
/// Where bodies place worksheets (<c>::: worksheet {ref=…}</c>, also inside lists and quotations), found
/// before any body is read, so that a condition can be told that the worksheet it reads is never placed.
/// </summary>
internal static partial class Placements
{
    public sealed record Placement(string Worksheet, SourceLocation Location);

    [GeneratedRegex(@"^[ \t>*+\-0-9.)]*:{3,}[ \t]*worksheet\b[^\n{]*\{[^}\n]*?\bref[ \t]*=[ \t]*[""']?(?<id>[A-Za-z0-9_-]+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Directive();

    /// <summary>The placements in a file's body, from <paramref name="bodyStart"/>, with the position of each ref's value.</summary>
    public static IEnumerable<Placement> In(SourceFile file, int bodyStart)
    {
        foreach (Match m in Directive().Matches(file.Text, Math.Min(bodyStart, file.Text.Length)))
        {
            var id = m.Groups["id"];
            yield return new Placement(id.Value, file.Location(id.Index, id.Length));
        }
    }
}

using System.Collections.Immutable;
using ContentEngine.Compilation;
using ContentEngine.Diagnostics;
using ContentEngine.Model;
using ContentEngine.Text;

namespace ContentEngine.Markdown;

/// <summary><c>::: include {ref=…}</c>: a snippet read where the include stands, checked as part of the body.</summary>
public sealed partial class BodyReader
{
    private const string IncludeName = "include";

    /// <summary>
    /// The blocks of the snippet <paramref name="name"/>, read with this body's program and locale; its diagnostics stand
    /// at the snippet's own lines, with the including line <paramref name="at"/> as a related location. Null when it
    /// cannot be included: unknown, inside itself, or too deep (reported at <paramref name="at"/>).
    /// </summary>
    private ImmutableArray<ContentBlock>? Include(string name, SourceLocation at)
    {
        var snippets = _context.Snippets;
        if (!snippets.ByName.TryGetValue(name, out var snippet))
        {
            _diagnostics.Report(DiagnosticDescriptors.UnknownSnippet, at, name,
                snippets.ByName.Count == 0 ? $"; the program has no snippets yet: write its text in {SnippetSet.Folder}/{name}.md"
                : Suggestions.ForReference(name, snippets.ByName.Keys, "snippets"));
            return null;
        }
        var chain = _context.Includes.Select(i => i.Snippet).Append(name).ToList();
        if (_context.Includes.Any(i => i.Snippet == name))
        {
            _diagnostics.Report(DiagnosticDescriptors.SnippetCycle, at, name, string.Join(" includes ", chain.SkipWhile(n => n != name)));
            return null;
        }
        if (_context.Includes.Count >= SnippetSet.MaxDepth)
        {
            _diagnostics.Report(DiagnosticDescriptors.IncludeTooDeep, at, chain.Count, string.Join(" includes ", chain), SnippetSet.MaxDepth);
            return null;
        }
        var text = snippets.For(snippet, _context.Locale);
        var bag = new DiagnosticBag();
        // Read inside the directives around the include: a safety message in a snippet included in an '::: if' is one there.
        var reader = new BodyReader(text.File, text.BodyStart, _context with { Includes = _context.Includes.Add((name, at)) }, bag) { _open = new(_open.Reverse()) };
        var result = Read(reader);
        foreach (var d in bag.Items) _diagnostics.Add(d with { RelatedLocations = [.. d.RelatedLocations, at] });
        _words += result.Words;
        _totals.RecordedSeconds += result.RecordedSeconds;
        _totals.ExerciseMinutes += result.ExerciseMinutes;
        _totals.WorksheetRefs.AddRange(result.WorksheetRefs);
        return result.Blocks;
    }
}

using ContentEngine.Diagnostics;
using ContentEngine.Model;

namespace ContentEngine.Compilation;

public sealed partial class ProgramCompiler
{
    /// <summary>
    /// The worksheets that bodies place, where patients can answer them. A worksheet that places itself
    /// is an error at that line: it is where it already is, and it still needs a module to place it.
    /// </summary>
    /// <returns>null when a body could not be read, so that where worksheets are placed is not known.</returns>
    private HashSet<string>? CheckPlacements(IReadOnlyList<Unit> worksheetUnits, IReadOnlyList<Unit> moduleUnits)
    {
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var unknown = moduleUnits.Any(u => u.Original.Document is null);
        foreach (var unit in moduleUnits)
            if (unit.Original.Document is { } doc)
                placed.UnionWith(Placements.In(doc.File, doc.BodyStart).Select(p => p.Worksheet));
        foreach (var unit in worksheetUnits)
        {
            if (unit.Original.Document is not { } doc) continue;
            var self = DeclaredId(unit);
            foreach (var p in Placements.In(doc.File, doc.BodyStart))
            {
                if (p.Worksheet != self) placed.Add(p.Worksheet);
                else
                    _diagnostics.Report(DiagnosticDescriptors.DirectiveAttribute, p.Location, "worksheet",
                        $"places the worksheet '{self}' inside itself, where it already is; remove this line, and place the worksheet from a module, with '::: worksheet {{ref={self}}}' there");
            }
        }
        // A placement of a worksheet that does not exist (CE0202) may be the one meant for a worksheet that a condition reads.
        unknown |= !placed.IsSubsetOf(worksheetUnits.Select(DeclaredId));
        return unknown ? null : placed;
    }

    /// <summary>
    /// Every condition that reads a worksheet no module places has the same cause: it is said once, at the first
    /// such condition, with the others as related places.
    /// </summary>
    private static IEnumerable<Diagnostic> OncePerUnplacedWorksheet(IEnumerable<Diagnostic> diagnostics)
    {
        var all = diagnostics.ToList();
        var unplaced = all.Where(d => d.Descriptor == DiagnosticDescriptors.UnplacedWorksheet).GroupBy(d => d.Message, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var d in all)
        {
            if (d.Descriptor != DiagnosticDescriptors.UnplacedWorksheet) yield return d;
            else if (unplaced[d.Message] is [var first, ..] same && ReferenceEquals(first, d))
                yield return d with { RelatedLocations = [.. same.Skip(1).Select(x => x.Location)] };
        }
    }

    /// <summary>A daily diary needs its days within the phase, from the week of the module that places it to the phase's end.</summary>
    private void CheckDiaryDays(List<ModuleHeader> modules, Dictionary<string, (WorksheetBinder.Header Header, Unit Unit)> worksheets, ProgramHeader program)
    {
        var shortest = new Dictionary<string, (int Days, ModuleHeader Module, Phase Phase)>(StringComparer.Ordinal);
        foreach (var m in modules)
        {
            if (m.Unit.Original.Document is not { } doc || program.Phases.FirstOrDefault(p => p.Id == m.Phase) is not { } phase || m.Week is not { } week) continue;
            foreach (var p in Placements.In(doc.File, doc.BodyStart))
            {
                if (!worksheets.TryGetValue(p.Worksheet, out var w) || w.Header is not { Repeat: DiaryRepeat.Daily, Days: { } days }) continue;
                var remaining = (phase.Weeks - week + 1) * 7;
                if (days > remaining && (!shortest.TryGetValue(p.Worksheet, out var s) || remaining < s.Days))
                    shortest[p.Worksheet] = (remaining, m, phase);
            }
        }
        foreach (var (id, (remaining, module, phase)) in shortest.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            var (header, unit) = worksheets[id];
            var at = unit.Original.Document!.Yaml["days"]?.Location ?? unit.Original.Document.Yaml.Location;
            var weeks = phase.Weeks - module.Week!.Value + 1;
            _diagnostics.Report(DiagnosticDescriptors.DiaryLongerThanPhase, at, id, header.Days,
                $"the module '{module.Id}' places it in week {module.Week} of the phase '{phase.Id}', which has {phase.Weeks} week{(phase.Weeks == 1 ? "" : "s")}, so only {weeks} week{(weeks == 1 ? "" : "s")} ({remaining} days) of the phase remain for it",
                remaining);
        }
    }
}

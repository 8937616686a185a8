using System.Globalization;
using ContentEngine.Runtime.Migration;
using ContentEngine.Runtime.Packaging;

namespace ContentEngine.Cli;

/// <summary>
/// <c>contentengine diff &lt;old.cepkg&gt; &lt;new.cepkg&gt;</c>: opens two versions of a program's
/// package with the runtime library, which verifies both, and prints what changed and what it
/// means for patients (<see cref="ProgramDiff"/>), as text or, with <c>--format json</c>, as JSON.
/// </summary>
public static class Diff
{
    public static int Run(IReadOnlyList<string> positionals, string format, TextWriter stdout, TextWriter stderr)
    {
        if (positionals.Count != 2)
            return CommandLine.Fail(stderr, "diff takes two packages of one program, the old version first: contentengine diff <old.cepkg> <new.cepkg>");
        if (format is not ("human" or "json"))
            return CommandLine.Fail(stderr, "diff prints --format human or json");
        var packages = new ProgramPackage[2];
        for (var i = 0; i < 2; i++)
            if (Inspect.Open(positionals[i], stderr, out var exit) is { } package) packages[i] = package;
            else return exit;
        ProgramDiff diff;
        try
        {
            diff = ProgramDiff.Compare(packages[0], packages[1]);
        }
        catch (MigrationException e)
        {
            stderr.WriteLine($"contentengine: {e.Message}");
            return CommandLine.UsageError;
        }
        stdout.Write(format == "json" ? diff.ToJson() : Text(diff));
        return CommandLine.Success;
    }

    private static readonly (ItemKind Kind, string Heading)[] Sections =
    [
        (ItemKind.Program, "Program"),
        (ItemKind.Phase, "Phases"),
        (ItemKind.Module, "Modules"),
        (ItemKind.Worksheet, "Worksheets"),
        (ItemKind.Field, "Fields"),
        (ItemKind.Score, "Scores"),
        (ItemKind.Condition, "Conditions"),
    ];

    /// <summary>The diff for a reader: a heading per kind of item, a line per change, and under it what it means for patients.</summary>
    public static string Text(ProgramDiff diff)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        w.WriteLine($"{diff.ProgramId} {diff.FromVersion} -> {diff.ToVersion}: {(diff.IsEmpty ? "no changes" : Plural.Count(diff.Changes.Length, "change", "changes"))}");
        var impacts = diff.Changes.Sum(c => c.Impacts.Length);
        w.WriteLine(impacts == 0
            ? "  nothing that concerns patients already in the program"
            : $"  {Plural.Count(diff.Changes.Count(c => !c.Impacts.IsEmpty), "change concerns", "changes concern")} patients already in the program (lines starting with 'patients:')");
        foreach (var (kind, heading) in Sections)
        {
            var changes = diff.Changes.Where(c => c.Item == kind).ToList();
            if (changes.Count == 0) continue;
            w.WriteLine();
            w.WriteLine($"{heading}:");
            foreach (var c in changes)
            {
                var inline = c.Details.Where(d => !Long(d)).Select(d => Detail(c, d)).ToList();
                w.WriteLine($"  {c.Change.ToString().ToLowerInvariant(),-8} {c.Id}" + (inline.Count == 0 ? string.Empty : ": " + string.Join("; ", inline)));
                foreach (var d in c.Details.Where(Long))
                {
                    var name = Name(d.Aspect);
                    if (d.Before is { } b && d.After is { } a)
                    {
                        w.WriteLine($"           {name} before: {b}");
                        w.WriteLine($"           {name} after:  {a}");
                    }
                    else w.WriteLine($"           {name}: {d.Before ?? d.After}");
                }
                foreach (var i in c.Impacts)
                    w.WriteLine($"           patients: {i.Message}");
            }
        }
        return w.ToString();
    }

    /// <summary>A condition, or any value too long to read inside a line, gets lines of its own.</summary>
    private static bool Long(ChangeDetail d) => d.Aspect == "source" || (d.Before?.Length ?? 0) + (d.After?.Length ?? 0) > 60;

    private static string Name(string aspect) => aspect switch
    {
        "programWeek" => "week",
        "source" => "condition",
        _ => aspect,
    };

    private static string Detail(ProgramChange c, ChangeDetail d)
    {
        if (d.Aspect == "text") return $"text changed ({d.After})";
        if (d.Aspect == "optional" && c.Change != ChangeKind.Changed) return (d.After ?? d.Before) == "true" ? "optional" : "mandatory";
        if (d.Aspect == "phase" && c.Change != ChangeKind.Changed) return $"in {d.After ?? d.Before}";
        var name = Name(d.Aspect);
        static string Q(string? s) => s ?? "(none)";
        return c.Change switch
        {
            ChangeKind.Added => $"{name} {Q(d.After)}",
            ChangeKind.Removed => $"{name} {Q(d.Before)}",
            _ => $"{name} {Q(d.Before)} -> {Q(d.After)}",
        };
    }
}

using System.Globalization;
using ContentEngine.Model;

namespace ContentEngine.Cli;

/// <summary>The review and approval record a package carries, as <c>inspect</c> prints it: the program's <c>approval</c> and each module's <c>review</c>.</summary>
internal static class Approval
{
    public static void Write(TextWriter w, ProgramGraph p)
    {
        w.WriteLine();
        w.WriteLine("Review and approval:");
        w.WriteLine(p.Approval is { } a
            ? $"  program approved{(a.By is null ? string.Empty : " by " + a.By)}{(a.On is { } on ? " on " + Date(on) : string.Empty)}"
            : "  program: no approval recorded (approval: {by: …, on: …} in program.yaml)");
        foreach (var m in p.Modules)
        {
            w.WriteLine(m.Review is { } r
                ? $"  {m.Id}: reviewed{(r.By is null ? string.Empty : " by " + r.By)}{(r.On is { } reviewed ? " on " + Date(reviewed) : string.Empty)}{(r.Next is { } next ? ", next review " + Date(next) : string.Empty)}"
                : $"  {m.Id}: no review recorded");
        }
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

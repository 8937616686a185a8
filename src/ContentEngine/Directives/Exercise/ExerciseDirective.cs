using System.Globalization;

namespace ContentEngine.Directives;

/// <summary><c>::: exercise {title="…" minutes=…}</c>: something to do; its minutes count toward the module's time.</summary>
public sealed class ExerciseDirective() : DirectiveKind("exercise", ["title", "minutes"])
{
    public override bool Bind(DirectiveBinding binding)
    {
        if (!binding.Attributes.TryGetValue("minutes", out var minutes)) return true;
        if (double.TryParse(minutes, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var m) && m is > 0 and <= 600)
            binding.Totals.ExerciseMinutes += m;
        else
            binding.Diagnostics.Report(Diagnostics.DiagnosticDescriptors.DirectiveAttribute, binding.ValueAt("minutes"), Name, $"needs minutes as a number above 0 and at most 600, not '{minutes}'");
        return true;
    }
}

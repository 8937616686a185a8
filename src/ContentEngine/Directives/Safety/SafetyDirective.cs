using ContentEngine.Diagnostics;

namespace ContentEngine.Directives;

/// <summary><c>::: safety</c>: a message every patient must get, so never inside <c>::: if</c> or an <c>::: only</c> that leaves a format out.</summary>
public sealed class SafetyDirective() : DirectiveKind("safety", ["title"])
{
    public override bool Bind(DirectiveBinding binding)
    {
        var outer = binding.Enclosing.FirstOrDefault(o => o.Name == "if"
            || o.Name == "only" && !OnlyDirective.Formats.All(f => o.Attributes.GetValueOrDefault("formats", "").Split(' ').Contains(f)));
        if (outer.Name is null) return true;
        var (inside, effect) = outer.Name == "if"
            ? ($"'::: if' (when=\"{outer.Attributes.GetValueOrDefault("when")}\")", "patients for whom the condition does not hold never see it")
            : ($"'::: only' (formats=\"{outer.Attributes.GetValueOrDefault("formats")}\")", "it is left out of the other outputs");
        binding.Diagnostics.Report(DiagnosticDescriptors.ConditionalSafety, binding.NameLocation, inside, effect, outer.Name);
        binding.Totals.StructureBroken = true; // the structure will change when the message moves: no comparison with the translation
        return false;
    }
}

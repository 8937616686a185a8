namespace ContentEngine.Tests.Mutation;

/// <summary>Mistakes with who offers the program and what happens to answers: program.yaml's provider and privacy.</summary>
internal static partial class Mutations
{
    // ---------------------------------------------------------------------------------------------------------------
    // provider left out: CE0605 at program.yaml's first key. Its url, email and phone left out: CE0605 at provider.
    // privacy left out: CE0606 at program.yaml's first key.

    public static List<Mutant> ProviderAndPrivacyLeftOut()
    {
        var program = Sample.Texts.Single(t => t.Path == "program.yaml");
        var first = program.Lines.ToList().FindIndex(l => l.Length > 0 && !l.StartsWith('#'));
        var result = new List<Mutant>();
        var provider = program.Lines.ToList().FindIndex(l => l.StartsWith("provider:", StringComparison.Ordinal));
        var privacy = program.Lines.ToList().FindIndex(l => l.StartsWith("privacy:", StringComparison.Ordinal));
        result.Add(new Mutant("provider-privacy", "provider-left-out", program.Path, first, "CE0605", "deleted provider with its name and contacts",
            Without(program, provider, KeyEnd(program, provider)), MessageContainsAny: ["does not say who offers the program"]));
        var contacts = Enumerable.Range(provider + 1, KeyEnd(program, provider) - provider)
            .Where(i => program.Lines[i].TrimStart() is var l && (l.StartsWith("url:", StringComparison.Ordinal) || l.StartsWith("email:", StringComparison.Ordinal) || l.StartsWith("phone:", StringComparison.Ordinal))).ToList();
        var lines = program.Lines.Where((_, i) => !contacts.Contains(i)).ToList();
        result.Add(new Mutant("provider-privacy", "no-contact", program.Path, provider, "CE0605", "deleted provider's url, email and phone",
            string.Join("\n", lines), MessageContainsAny: ["no way to reach"]));
        result.Add(new Mutant("provider-privacy", "privacy-left-out", program.Path, first, "CE0606", "deleted privacy",
            Without(program, privacy, KeyEnd(program, privacy)), MessageContainsAny: ["add 'privacy:'"]));
        return result;
    }

    /// <summary>The last line of program.yaml's top-level key at <paramref name="start"/>: the lines indented under it.</summary>
    private static int KeyEnd(SourceText f, int start)
    {
        var last = start;
        for (var j = start + 1; j < f.Lines.Count && f.Lines[j].StartsWith(' '); j++) last = j;
        return last;
    }

    private static string Without(SourceText text, int from, int to)
    {
        var lines = text.Lines.ToList();
        lines.RemoveRange(from, to - from + 1);
        return string.Join("\n", lines);
    }
}

namespace ContentEngine.Tests.Mutation;

/// <summary>Mistakes with the features for authors: reusable parts (snippets).</summary>
internal static partial class Mutations
{
    // ---------------------------------------------------------------------------------------------------------------
    // A safety message, exercise or tip replaced by an include of a snippet that was never written: CE0440 at the include.

    public static List<Mutant> IncludeOfMissingSnippet()
    {
        var sites = new List<Site>();
        foreach (var f in Markdown.Where(f => f.Path.StartsWith("modules/", StringComparison.Ordinal)))
        {
            foreach (var d in (SourceScan.Directives(f) ?? []).Where(d => d.Depth == 0 && !d.HasChildren && d.Name is "safety" or "exercise" or "tip"))
            {
                var include = $"::: include {{ref={d.Name}-text}}";
                var text = f.Replace(d.Open, include);
                var lines = text.Split('\n').ToList();
                lines.RemoveRange(d.Open + 1, d.Close - d.Open);
                sites.Add(new Site(f.Path, $"{d.Open}", new Mutant("include-missing-snippet", d.Name, f.Path, d.Open, "CE0440",
                    $"replaced '::: {d.Name}' of lines {d.Open + 1}-{d.Close + 1} by '{include}', with no snippet written", string.Join('\n', lines),
                    Column: include.IndexOf('=', StringComparison.Ordinal) + 1, MessageContainsAny: [$"snippets/{d.Name}-text.md"])));
            }
        }
        return SitePicker.Pick(sites, 12, "include-missing-snippet");
    }
}

namespace ContentEngine.Tests.Mutation;

/// <summary>Mistakes with recordings: a recording said to speak another language than the text that plays it.</summary>
internal static partial class Mutations
{
    // ---------------------------------------------------------------------------------------------------------------
    // An original's recording given lang="en" (the sample's originals are Swedish, their transcripts too): CE0422 at
    // the lang value.

    public static List<Mutant> RecordingInAnotherLanguage()
    {
        var sites = new List<Site>();
        foreach (var f in Markdown.Where(f => !f.IsTranslation))
        {
            foreach (var d in (SourceScan.Directives(f) ?? []).Where(d => d.Name == "audio"))
            {
                var line = f.Lines[d.Open];
                var brace = line.LastIndexOf('}');
                if (brace < 0 || line.Contains("lang=", StringComparison.Ordinal)) continue;
                var mutated = line[..brace] + " lang=\"en\"" + line[brace..];
                sites.Add(new Site(f.Path, $"{d.Open}", new Mutant("recording-language", "lang-of-another-locale", f.Path, d.Open, "CE0422",
                    "said the original's recording speaks English", f.Replace(d.Open, mutated),
                    Column: mutated.IndexOf("lang=\"en\"", StringComparison.Ordinal) + 6, MessageContainsAny: ["speaks 'en'"])));
            }
        }
        return SitePicker.Pick(sites, 4, "recording-language");
    }
}

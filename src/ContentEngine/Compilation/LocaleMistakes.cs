namespace ContentEngine.Compilation;

/// <summary>Country codes written where a language code belongs (<c>se</c> for Swedish, which is <c>sv</c>).</summary>
internal static class LocaleMistakes
{
    private static readonly Dictionary<string, (string Language, string Country, string Name)> Codes = new(StringComparer.Ordinal)
    {
        ["se"] = ("sv", "Sweden", "Swedish"),
        ["dk"] = ("da", "Denmark", "Danish"),
        ["gr"] = ("el", "Greece", "Greek"),
        ["jp"] = ("ja", "Japan", "Japanese"),
        ["cz"] = ("cs", "Czechia", "Czech"),
        ["ee"] = ("et", "Estonia", "Estonian"),
        ["ua"] = ("uk", "Ukraine", "Ukrainian"),
        ["gb"] = ("en", "the United Kingdom", "English"),
        ["us"] = ("en", "the United States", "English"),
        ["cn"] = ("zh", "China", "Chinese"),
        ["kr"] = ("ko", "Korea", "Korean"),
        ["il"] = ("he", "Israel", "Hebrew"),
        ["vn"] = ("vi", "Vietnam", "Vietnamese"),
        ["br"] = ("pt", "Brazil", "Portuguese"),
        ["at"] = ("de", "Austria", "German"),
    };

    /// <summary>
    /// The locale a translation named with <paramref name="written"/> was probably meant for, and why: the language of
    /// the country it names when the program has it, else the one translated locale the file's original still lacks.
    /// </summary>
    public static (string Locale, string Why)? Meant(string written, IReadOnlyList<string> locales, IReadOnlyCollection<string> missing)
    {
        var translated = locales.Skip(1).ToList();
        if (Codes.TryGetValue(written, out var c) && translated.Contains(c.Language))
            return (c.Language, $"'{written}' is the country code of {c.Country}; the language code of {c.Name} is '{c.Language}'");
        var open = translated.Where(missing.Contains).ToList();
        if (open.Count == 1)
            return (open[0], Codes.TryGetValue(written, out var d)
                ? $"'{written}' is the country code of {d.Country}, and '{open[0]}' is the program's one locale this file still lacks"
                : $"'{open[0]}' is the program's one locale this file still lacks");
        return null;
    }
}

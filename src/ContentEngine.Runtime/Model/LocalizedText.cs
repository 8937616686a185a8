using System.Collections.Immutable;

namespace ContentEngine.Model;

/// <summary>A text in every locale it was written in.</summary>
public sealed class LocalizedText(ImmutableSortedDictionary<string, string> values)
{
    public ImmutableSortedDictionary<string, string> Values { get; } = values;

    /// <summary>
    /// The text in <paramref name="locale"/>, else in <paramref name="defaultLocale"/>, else in the first locale in
    /// alphabetical order that has it. Pass the program's default locale (<see cref="ProgramGraph.DefaultLocale"/>), or
    /// use <see cref="Get(string, IReadOnlyList{string})"/> with the program's locales or <see cref="ProgramGraph.Text"/>.
    /// </summary>
    public string Get(string locale, string? defaultLocale = null) =>
        Values.TryGetValue(locale, out var s) ? s
        : defaultLocale is not null && Values.TryGetValue(defaultLocale, out var d) ? d
        : Values.Values.FirstOrDefault() ?? string.Empty;

    /// <summary>
    /// The text in <paramref name="locale"/>, else in the first of <paramref name="locales"/> that has it (give the
    /// program's <see cref="ProgramGraph.Locales"/>: the first is its default locale), else in any; empty when it has none.
    /// </summary>
    public string Get(string locale, IReadOnlyList<string> locales)
    {
        ArgumentNullException.ThrowIfNull(locales);
        if (Values.TryGetValue(locale, out var s)) return s;
        foreach (var l in locales)
            if (Values.TryGetValue(l, out var t)) return t;
        return Values.Values.FirstOrDefault() ?? string.Empty;
    }

    public override string ToString() => string.Join(" / ", Values.Select(kv => $"{kv.Key}: {kv.Value}"));
}

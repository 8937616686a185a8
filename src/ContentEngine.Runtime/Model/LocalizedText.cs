using System.Collections.Immutable;

namespace ContentEngine.Model;

/// <summary>A text in every locale it was written in.</summary>
public sealed class LocalizedText(ImmutableSortedDictionary<string, string> values)
{
    public ImmutableSortedDictionary<string, string> Values { get; } = values;

    /// <summary>The text in <paramref name="locale"/>, else in <paramref name="defaultLocale"/>, else in any.</summary>
    public string Get(string locale, string? defaultLocale = null) =>
        Values.TryGetValue(locale, out var s) ? s
        : defaultLocale is not null && Values.TryGetValue(defaultLocale, out var d) ? d
        : Values.Values.FirstOrDefault() ?? string.Empty;

    public override string ToString() => string.Join(" / ", Values.Select(kv => $"{kv.Key}: {kv.Value}"));
}

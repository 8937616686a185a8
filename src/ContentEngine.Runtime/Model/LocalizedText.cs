using System.Collections.Immutable;

namespace ContentEngine.Model;

/// <summary>A text in every locale it was written in.</summary>
public sealed class LocalizedText(ImmutableSortedDictionary<string, string> values)
{
    public ImmutableSortedDictionary<string, string> Values { get; } = values;

    public string Get(string locale, string defaultLocale) =>
        Values.TryGetValue(locale, out var s) ? s : Values.TryGetValue(defaultLocale, out var d) ? d : Values.Values.FirstOrDefault() ?? string.Empty;

    public override string ToString() => string.Join(" / ", Values.Select(kv => $"{kv.Key}: {kv.Value}"));
}

using System.Text.Json;

namespace ContentEngine.Rendering.Web;

/// <summary>The words of the interface itself ("Exercise", "Transcript"), per locale, from the theme's strings.json.</summary>
public sealed class UiStrings
{
    private readonly Dictionary<string, Dictionary<string, string>> _byLocale;

    public UiStrings(Dictionary<string, Dictionary<string, string>> byLocale) => _byLocale = byLocale;

    public IReadOnlyDictionary<string, Dictionary<string, string>> Raw => _byLocale;

    public static UiStrings Parse(string json) =>
        new(JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(json) ?? []);

    /// <summary>The string in the locale, else in English, else the key itself.</summary>
    public string Get(string locale, string key) =>
        _byLocale.TryGetValue(locale, out var l) && l.TryGetValue(key, out var s) ? s
        : _byLocale.TryGetValue("en", out var en) && en.TryGetValue(key, out var e) ? e
        : key;

    public IReadOnlyDictionary<string, string> For(string locale)
    {
        var result = new Dictionary<string, string>(_byLocale.GetValueOrDefault("en") ?? [], StringComparer.Ordinal);
        foreach (var (k, v) in _byLocale.GetValueOrDefault(locale) ?? []) result[k] = v;
        return result;
    }
}

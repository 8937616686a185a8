using ContentEngine.Rendering.Web;

namespace ContentEngine.Rendering.Audio;

/// <summary>The built-in theme's strings, for a track made without a theme at hand (the words of its cues).</summary>
public static class AudioStrings
{
    private static readonly Lazy<UiStrings> Strings = new(Load);

    public static UiStrings BuiltIn => Strings.Value;

    private static UiStrings Load()
    {
        var assembly = typeof(AudioStrings).Assembly;
        var merged = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(r => r.StartsWith("theme/default/strings", StringComparison.Ordinal) && r.EndsWith(".json", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            foreach (var (locale, entries) in UiStrings.Parse(reader.ReadToEnd()).Raw)
            {
                if (!merged.TryGetValue(locale, out var target)) merged[locale] = target = new(StringComparer.Ordinal);
                foreach (var (k, v) in entries) target[k] = v;
            }
        }
        return new UiStrings(merged);
    }
}

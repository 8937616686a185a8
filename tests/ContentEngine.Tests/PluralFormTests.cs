using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContentEngine.Tests;

/// <summary>
/// A string with a count has two forms, <c>key.one</c> (for 1) and <c>key.other</c> (for 0, 2, 3, …), in
/// every locale: the theme's strings (templates and scripts pick the form), the preview's among them.
/// </summary>
public sealed partial class PluralFormTests
{
    private static readonly string[] Locales = ["en", "sv"];

    /// <summary>The strings that are said with a count; each must have both forms and never a bare key.</summary>
    private static readonly string[] CountStrings = ["results-count", "weeks-unit", "print-pause", "print-weeks", "print-minutes"];

    public static TheoryData<string> StringFiles() =>
        [.. Directory.GetFiles(TestPaths.Repo("themes", "default"), "strings*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    private static Dictionary<string, Dictionary<string, string>> Read(string file) =>
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(File.ReadAllText(TestPaths.Repo("themes", "default", file)))!;

    private static Dictionary<string, Dictionary<string, string>> AllThemeStrings()
    {
        var merged = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var file in StringFiles())
            foreach (var (locale, entries) in Read(file))
            {
                if (!merged.TryGetValue(locale, out var target)) merged[locale] = target = new(StringComparer.Ordinal);
                foreach (var (k, v) in entries) target[k] = v;
            }
        return merged;
    }

    private static IEnumerable<string> Counted(IEnumerable<string> keys) =>
        keys.Where(k => k.EndsWith(".one", StringComparison.Ordinal) || k.EndsWith(".other", StringComparison.Ordinal))
            .Select(k => k[..k.LastIndexOf('.')]).Distinct().Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(StringFiles))]
    public void EveryCountStringHasBothFormsInBothLocales(string file)
    {
        var strings = Read(file);
        foreach (var locale in Locales) Assert.True(strings.ContainsKey(locale), $"{file} has no '{locale}'");
        var counted = Counted(strings.Values.SelectMany(l => l.Keys)).ToList();
        foreach (var locale in Locales)
            foreach (var key in counted)
            {
                Assert.True(strings[locale].ContainsKey(key + ".one"), $"{file}: '{locale}' lacks '{key}.one'");
                Assert.True(strings[locale].ContainsKey(key + ".other"), $"{file}: '{locale}' lacks '{key}.other'");
                Assert.False(strings[locale].ContainsKey(key), $"{file}: '{locale}' has a bare '{key}' beside its forms");
            }
    }

    [Fact]
    public void TheStringsSaidWithACountHaveTheirForms()
    {
        var strings = AllThemeStrings();
        foreach (var locale in Locales)
            foreach (var key in CountStrings)
            {
                Assert.True(strings[locale].ContainsKey(key + ".one") && strings[locale].ContainsKey(key + ".other"), $"'{locale}' lacks a form of '{key}'");
                Assert.False(strings[locale].ContainsKey(key), $"'{locale}' has '{key}' without forms");
            }
        Assert.Equal("1 träff.", strings["sv"]["results-count.one"].Replace("{0}", "1"));
        Assert.Equal("2 träffar.", strings["sv"]["results-count.other"].Replace("{0}", "2"));
        Assert.Equal("week", strings["en"]["weeks-unit.one"]);
        Assert.Equal("vecka", strings["sv"]["weeks-unit.one"]);
    }

    [GeneratedRegex(@"\bs\[""(?<key>[a-z0-9_.-]+)""\]|\bs\.(?<key>[a-z0-9_]+)")]
    private static partial Regex TemplateString();

    [Fact]
    public void TemplatesAskOnlyForStringsThatExist()
    {
        // Templates see the keys with '-' turned into '_'.
        var known = AllThemeStrings().Values.SelectMany(l => l.Keys).Select(k => k.Replace('-', '_')).ToHashSet(StringComparer.Ordinal);
        foreach (var template in Directory.GetFiles(TestPaths.Repo("themes", "default", "templates"), "*.html"))
            foreach (Match m in TemplateString().Matches(File.ReadAllText(template)))
            {
                var key = m.Groups["key"].Value;
                Assert.True(known.Contains(key), $"{Path.GetFileName(template)} asks for the string '{key}', which the theme does not have");
            }
    }

    /// <summary>A string the preview's script asks for: t('key', …) or tn('key', n, …), the key without its "preview-".</summary>
    [GeneratedRegex(@"\b(?<fn>tn?)\('(?<key>[a-z-]+)'")]
    private static partial Regex PreviewString();

    [Fact]
    public void ThePreviewScriptAsksForStringsThatExistAndCountsWithBothForms()
    {
        var strings = AllThemeStrings();
        var script = File.ReadAllText(TestPaths.Repo("themes", "default", "preview", "preview.js"));
        var asked = PreviewString().Matches(script).Select(m => (Counted: m.Groups["fn"].Value == "tn", Key: "preview-" + m.Groups["key"].Value)).Distinct().ToList();
        Assert.Contains((true, "preview-summary"), asked);
        Assert.Contains((true, "preview-errors"), asked);
        foreach (var locale in Locales)
            foreach (var (counted, key) in asked)
            {
                if (counted)
                    Assert.True(strings[locale].ContainsKey(key + ".one") && strings[locale].ContainsKey(key + ".other"), $"'{locale}' lacks a form of '{key}', which preview.js counts");
                else
                    Assert.True(strings[locale].ContainsKey(key), $"preview.js asks for '{key}', which '{locale}' lacks");
            }
        // No "warning(s)" or "varning(ar)" left.
        foreach (var entries in strings.Values)
            foreach (var (_, value) in entries.Where(e => e.Key.StartsWith("preview-", StringComparison.Ordinal)))
                Assert.DoesNotMatch(@"\w\((s|ar|er)\)", value);
    }

    [Fact]
    public void TheThemeScriptsPickAFormByTheCount()
    {
        var search = File.ReadAllText(TestPaths.Repo("themes", "default", "assets", "search.js"));
        Assert.Contains("data-count-one", search);
        Assert.Contains("data-count-other", search);
        var template = File.ReadAllText(TestPaths.Repo("themes", "default", "templates", "search.html"));
        Assert.Contains("data-count-one=\"{{ s[\"results_count.one\"]", template);
        Assert.Contains("data-count-other=\"{{ s[\"results_count.other\"]", template);
    }
}

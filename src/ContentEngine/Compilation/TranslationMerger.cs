using ContentEngine.Diagnostics;
using ContentEngine.Yaml;

namespace ContentEngine.Compilation;

/// <summary>
/// Lays a translation's front matter over its original's: text keys gain the translation's locale;
/// ids, fields and structure must match the original.
/// </summary>
public static class TranslationMerger
{
    private static readonly HashSet<string> TextKeys = ["title", "summary", "offer_reason", "label", "help", "unit"];
    private static readonly HashSet<string> ListKeys = ["fields", "columns", "options", "areas", "rows", "bands"];

    public static YMapping Merge(YMapping original, YMapping translation, string locale, string defaultLocale, string originalPath, DiagnosticBag diagnostics)
    {
        var entries = original.Entries.ToList();
        foreach (var (key, value) in translation.Entries)
        {
            var index = entries.FindIndex(e => e.Key.Value == key.Value);
            if (key.Value is "id" or "value")
            {
                if (index < 0 || entries[index].Value is not YScalar o || value is not YScalar t || o.Value != t.Value)
                    Differs(diagnostics, value.Location, originalPath, $"'{key.Value}' must be the same as in the original");
                continue;
            }
            if (index < 0)
            {
                // One cause, one error: a key misspelt in the original is reported there; one misspelt here is an unknown key.
                if (Translatable(key.Value) && entries.Any(e => !Translatable(e.Key.Value) && Suggestions.Closest(e.Key.Value, [key.Value]) is not null)) continue;
                if (!Translatable(key.Value) && Suggestions.Closest(key.Value, [.. TextKeys, .. ListKeys, "labels", "scoring"]) is { } meant)
                    diagnostics.Report(DiagnosticDescriptors.UnknownKey, key.Location, key.Value, "the translation", $"; did you mean '{meant}'?");
                else
                    Differs(diagnostics, key.Location, originalPath, $"it has '{key.Value}', which the original does not; translations repeat only text keys that the original has");
                continue;
            }
            if (!TextKeys.Contains(key.Value) && !ListKeys.Contains(key.Value) && key.Value is not ("labels" or "scoring"))
            {
                Differs(diagnostics, key.Location, originalPath, $"'{key.Value}' cannot be translated: ids, fields and structure come from the original; remove it here");
                continue;
            }
            var merged = MergeValue(key.Value, entries[index].Value, value, locale, defaultLocale, originalPath, diagnostics);
            if (merged is not null) entries[index] = new(entries[index].Key, merged);
        }
        return new YMapping(entries, original.Location);
    }

    private static bool Translatable(string key) => TextKeys.Contains(key) || ListKeys.Contains(key) || key is "labels" or "scoring" or "id" or "value";

    private static YNode? MergeValue(string key, YNode original, YNode translated, string locale, string defaultLocale, string originalPath, DiagnosticBag diagnostics)
    {
        if (TextKeys.Contains(key))
            return MergeText(original, translated, locale, defaultLocale, originalPath, diagnostics);
        if (key == "labels" && original is YMapping labels && translated is YMapping tLabels)
        {
            var entries = labels.Entries.ToList();
            foreach (var (k, v) in tLabels.Entries)
            {
                var i = entries.FindIndex(e => e.Key.Value == k.Value);
                if (i < 0) Differs(diagnostics, k.Location, originalPath, $"the label for {k.Value} is not in the original");
                else if (MergeText(entries[i].Value, v, locale, defaultLocale, originalPath, diagnostics) is { } m) entries[i] = new(entries[i].Key, m);
            }
            return new YMapping(entries, labels.Location);
        }
        if (key == "scoring" && original is YMapping && translated is YMapping tScoring)
        {
            // Scoring is structure; only band labels may be translated.
            return Merge((YMapping)original, tScoring, locale, defaultLocale, originalPath, diagnostics);
        }
        if (ListKeys.Contains(key) && original is YSequence seq && translated is YSequence tSeq)
        {
            var items = seq.Items.ToList();
            for (var i = 0; i < tSeq.Items.Count; i++)
            {
                var t = tSeq.Items[i];
                var match = FindMatch(items, t, i);
                if (match < 0)
                {
                    Differs(diagnostics, t.Location, originalPath, $"this entry of '{key}' has no counterpart in the original (match entries by id, or options by value)");
                    continue;
                }
                var merged = items[match] is YMapping om && t is YMapping tm
                    ? Merge(om, tm, locale, defaultLocale, originalPath, diagnostics)
                    : MergeText(items[match], t, locale, defaultLocale, originalPath, diagnostics);
                if (merged is not null) items[match] = merged;
            }
            return new YSequence(items, seq.Location);
        }
        if (key == "bands" && original is YMapping bands && translated is YMapping tBands)
        {
            var entries = bands.Entries.ToList();
            foreach (var (k, v) in tBands.Entries)
            {
                var i = entries.FindIndex(e => e.Key.Value == k.Value);
                if (i < 0) Differs(diagnostics, k.Location, originalPath, $"the bands of '{k.Value}' are not in the original");
                else if (MergeValue("bands", entries[i].Value, v, locale, defaultLocale, originalPath, diagnostics) is { } m) entries[i] = new(entries[i].Key, m);
            }
            return new YMapping(entries, bands.Location);
        }
        Differs(diagnostics, translated.Location, originalPath, $"'{key}' cannot be translated: ids, fields and structure come from the original; remove it here");
        return null;
    }

    private static int FindMatch(List<YNode> items, YNode t, int position)
    {
        if (t is YMapping tm && (tm["id"] ?? tm["value"]) is YScalar id)
            return items.FindIndex(o => o is YMapping om && (om["id"] ?? om["value"]) is YScalar oid && oid.Value == id.Value);
        if (IsUnkeyed(t) && position < items.Count) return position;
        return -1;

        static bool IsUnkeyed(YNode n) => n is YScalar || (n is YMapping m && m["id"] is null && m["value"] is null);
    }

    private static YNode? MergeText(YNode original, YNode translated, string locale, string defaultLocale, string originalPath, DiagnosticBag diagnostics)
    {
        if (translated is not YScalar text)
        {
            Differs(diagnostics, translated.Location, originalPath, "a translated text must be a plain text in the translation's language");
            return null;
        }
        var entries = original switch
        {
            YScalar s => [new(new YScalar(defaultLocale, true, s.Location), s)],
            YMapping m => m.Entries.Where(e => e.Key.Value != locale).ToList(),
            _ => new List<KeyValuePair<YScalar, YNode>>(),
        };
        entries.Add(new(new YScalar(locale, true, text.Location), text));
        return new YMapping(entries, original.Location) { Written = original as YMapping };
    }

    private static void Differs(DiagnosticBag diagnostics, Text.SourceLocation at, string originalPath, string detail) =>
        diagnostics.Report(DiagnosticDescriptors.TranslationStructure, at, originalPath, detail);
}

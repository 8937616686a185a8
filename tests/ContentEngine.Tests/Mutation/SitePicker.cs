using System.Text.RegularExpressions;
using ContentEngine.Diagnostics;

namespace ContentEngine.Tests.Mutation;

/// <summary>A place where a mutation applies: its file, a key that identifies it within the file, and the mutant.</summary>
internal sealed record Site(string File, string Key, Mutant Mutant, bool Priority = false);

/// <summary>Deterministic choices: which sites to try, and how to misspell a name. Nothing here depends on the run.</summary>
internal static partial class SitePicker
{
    /// <summary>FNV-1a over the UTF-16 code units: the same number on every machine and runtime.</summary>
    public static ulong Hash(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in text)
        {
            h ^= ch;
            h *= 1099511628211UL;
        }
        return h;
    }

    /// <summary>
    /// Up to <paramref name="max"/> sites: the priority sites first, in the order given, then the others one group at a
    /// time in turn (groups, by default the files, and sites within a group in a fixed pseudo-random order), so that
    /// the sample spreads over as many files (or groups) as it can.
    /// </summary>
    public static List<Mutant> Pick(IEnumerable<Site> sites, int max, string seed, Func<Site, string>? group = null)
    {
        var all = sites.ToList();
        var picked = all.Where(s => s.Priority).Take(max).ToList();
        var queues = all.Where(s => !s.Priority)
            .GroupBy(group ?? (s => s.File))
            .OrderBy(g => Hash(seed + "|" + g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Queue<Site>(g.OrderBy(s => Hash(seed + "|" + s.File + "|" + s.Key)).ThenBy(s => s.File, StringComparer.Ordinal).ThenBy(s => s.Key, StringComparer.Ordinal)))
            .ToList();
        while (picked.Count < max && queues.Any(q => q.Count > 0))
            foreach (var q in queues)
            {
                if (picked.Count >= max) break;
                if (q.Count > 0) picked.Add(q.Dequeue());
            }
        return picked.Select(s => s.Mutant).ToList();
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")]
    private static partial Regex Identifier();

    /// <summary>The misspellings the brief names, used when they are safe.</summary>
    private static readonly Dictionary<string, string> Preferred = new(StringComparer.Ordinal)
    {
        ["optional"] = "optinal",
        ["phase"] = "phse",
        ["title"] = "titel",
        ["minutes"] = "minuts",
        ["label"] = "lable",
        ["options"] = "optons",
    };

    /// <summary>
    /// <paramref name="word"/> with one letter dropped or two neighbouring letters swapped (never the first letter),
    /// chosen by <paramref name="seed"/> among the misspellings that are still well-formed names, are not names the
    /// program knows, and are at least two edits from every known name but the original, so that the only close
    /// suggestion is the original. Null when there is no such misspelling.
    /// </summary>
    public static string? Misspell(string word, string seed, IReadOnlySet<string> known)
    {
        bool Safe(string v) =>
            v != word && Identifier().IsMatch(v) && !known.Contains(v) &&
            known.All(k => k == word || Suggestions.Distance(v, k) >= 2);
        if (Preferred.TryGetValue(word, out var preferred) && Safe(preferred)) return preferred;
        var variants = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < word.Length; i++)
            if (char.IsAsciiLetterLower(word[i])) variants.Add(word.Remove(i, 1));
        for (var i = 1; i + 1 < word.Length; i++)
            if (char.IsAsciiLetterLower(word[i]) && char.IsAsciiLetterLower(word[i + 1]) && word[i] != word[i + 1])
                variants.Add(string.Concat(word.AsSpan(0, i), word[i + 1].ToString(), word[i].ToString(), word.AsSpan(i + 2)));
        var safe = variants.Where(Safe).ToList();
        return safe.Count == 0 ? null : safe[(int)(Hash(seed + "|" + word) % (ulong)safe.Count)];
    }
}

namespace ContentEngine.Diagnostics;

/// <summary>"Did you mean" from a set of known names: by edit distance, by prefix and by shared words.</summary>
public static class Suggestions
{
    /// <summary>How many known names a message lists when none is close.</summary>
    public const int MaxListed = 10;

    /// <summary>The closest name by edit distance (keys, options, function names), or null when none is close.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        var (best, bestDistance) = Nearest(name, candidates);
        if (best is null) return null;
        var limit = Math.Max(1, Math.Min(3, Math.Max(name.Length, best.Length) / 3));
        return bestDistance <= limit || best.StartsWith(name, StringComparison.Ordinal) && name.Length >= 3 ? best : null;
    }

    /// <summary>
    /// The id a misspelt or misremembered reference most likely means: a close spelling, else an id
    /// that it begins or ends like (<c>sleep-module</c> for <c>sleep</c>), else the id sharing most
    /// of its words (<c>energy-log</c> for <c>energy-diary</c>). Null when none fits.
    /// </summary>
    public static string? ClosestId(string name, IEnumerable<string> candidates)
    {
        var list = candidates.Distinct(StringComparer.Ordinal).ToList();
        if (Closest(name, list) is { } spelt) return spelt;
        var words = Words(name);
        string? best = null;
        var bestScore = 0;
        var bestDistance = int.MaxValue;
        foreach (var c in list)
        {
            var score = 0;
            if (IsWordPrefix(name, c) || IsWordPrefix(c, name)) score = 100;
            else
            {
                var shared = Words(c).Intersect(words, StringComparer.OrdinalIgnoreCase).Where(w => w.Length >= 3).Sum(w => w.Length);
                score = shared;
            }
            if (score == 0) continue;
            var distance = Distance(name, c);
            if (score > bestScore || score == bestScore && (distance < bestDistance || distance == bestDistance && string.CompareOrdinal(c, best) < 0))
            {
                best = c;
                bestScore = score;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>"; did you mean 'x'?" or an empty string.</summary>
    public static string DidYouMean(string name, IEnumerable<string> candidates, string prefix = "")
    {
        var best = Closest(name, candidates);
        return best is null ? string.Empty : $"; did you mean '{prefix}{best}'?";
    }

    /// <summary>
    /// For a reference to something that does not exist: "; did you mean 'x'?" when one is close, else
    /// "; the {kinds} are a, b, c" (up to ten, then how many more), else how to add one.
    /// </summary>
    public static string ForReference(string name, IEnumerable<string> candidates, string kinds, string prefix = "")
    {
        var list = candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (ClosestId(name, list) is { } best) return $"; did you mean '{prefix}{best}'?";
        if (list.Count == 0) return $"; the program has no {kinds} yet";
        var shown = string.Join(", ", list.Take(MaxListed).Select(c => prefix + c));
        var more = list.Count > MaxListed ? $" and {list.Count - MaxListed} more" : string.Empty;
        return list.Count == 1 ? $"; the only one is {shown}" : $"; the {kinds} are {shown}{more}";
    }

    private static string[] Words(string s) => s.Split(['-', '_', '.', ' '], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>True when <paramref name="shorter"/> is the start or the end of <paramref name="longer"/> up to a hyphen.</summary>
    private static bool IsWordPrefix(string shorter, string longer) =>
        shorter.Length >= 3 && longer.Length > shorter.Length
        && (longer.StartsWith(shorter + "-", StringComparison.OrdinalIgnoreCase) || longer.EndsWith("-" + shorter, StringComparison.OrdinalIgnoreCase));

    private static (string? Best, int Distance) Nearest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = Distance(name, c);
            if (d < bestDistance || (d == bestDistance && best is not null && string.CompareOrdinal(c, best) < 0))
            {
                best = c;
                bestDistance = d;
            }
        }
        return (best, bestDistance);
    }

    /// <summary>Optimal string alignment distance (Levenshtein with adjacent transpositions).</summary>
    public static int Distance(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64) return Math.Max(a.Length, b.Length);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}

using System.Globalization;

namespace ContentEngine.Cli;

/// <summary>
/// Counts in messages: each has two forms, one (for exactly 1) and other (for 0, 2, 3, …), which is
/// all English and Swedish need. The theme's strings and the preview's script follow the same rule
/// with keys ending in <c>.one</c> and <c>.other</c>.
/// </summary>
public static class Plural
{
    /// <summary>The form for <paramref name="n"/>: <paramref name="one"/> for 1, <paramref name="other"/> for any other number.</summary>
    public static string Form(long n, string one, string other) => n == 1 ? one : other;

    /// <summary>The number and the word in its form: "1 warning", "0 warnings", "2 warnings".</summary>
    public static string Count(long n, string one, string other) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + Form(n, one, other);
}

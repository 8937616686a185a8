using System.Globalization;
using ContentEngine.Model;

namespace ContentEngine.Runtime.Programs;

/// <summary>
/// The sentences of <see cref="LockReason.Message"/>, in English and Swedish. A locale is used when the program has it
/// and this library speaks it; otherwise the program's default locale when this library speaks that; otherwise English.
/// </summary>
internal sealed class LockMessages
{
    /// <summary>The locales the reasons are written in.</summary>
    public static readonly IReadOnlyList<string> Spoken = ["en", "sv"];

    private readonly bool _sv;

    private LockMessages(string locale)
    {
        Locale = locale;
        _sv = locale == "sv";
    }

    /// <summary>The locale the messages are written in.</summary>
    public string Locale { get; }

    public static LockMessages For(ProgramGraph program, string? locale)
    {
        static string? Language(string? l) => l is null ? null : Spoken.FirstOrDefault(s => l == s || l.StartsWith(s + "-", StringComparison.Ordinal));
        var chosen = locale is not null && program.Locales.Contains(locale) ? Language(locale) : null;
        return new(chosen ?? Language(program.DefaultLocale) ?? "en");
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string NotStarted(DateOnly? start) => start is { } s
        ? _sv ? $"programmet börjar {Day(s)}" : $"the program starts on {Day(s)}"
        : _sv ? "programmet har inte börjat" : "the program has not started";

    public string OpensInWeek(int week, DateOnly? on) =>
        (_sv ? $"öppnas vecka {week}" : $"opens in week {week}") + (on is { } d ? $" ({Day(d)})" : string.Empty);

    public string Requires(IEnumerable<string> modules)
    {
        var list = string.Join(", ", modules.Select(x => $"'{x}'"));
        return _sv ? $"kräver att {list} är klar först" : $"needs {list} completed first";
    }

    public string ChoiceFull(int chosen, int? max, string phase) => _sv
        ? $"{chosen} av högst {max} moduler i {phase} är redan valda"
        : $"{chosen} of at most {max} modules of {phase} are already chosen";
}

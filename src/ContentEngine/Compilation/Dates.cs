using System.Globalization;

namespace ContentEngine.Compilation;

/// <summary>Dates written in the right shape (YYYY-MM-DD) that no calendar has.</summary>
internal static class Dates
{
    /// <summary>Why <paramref name="value"/>, written YYYY-MM-DD, is not a date (such as "February 2026 has 28 days"); null when it is one or is not in that shape.</summary>
    public static string? NoSuchDate(string value)
    {
        if (value.Length != 10 || value[4] != '-' || value[7] != '-') return null;
        if (!int.TryParse(value.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(value.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(value.AsSpan(8, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day)) return null;
        if (year < 1) return "there is no year 0";
        if (month is < 1 or > 12) return $"there is no month {month:00} (months go from 01 to 12)";
        var days = DateTime.DaysInMonth(year, month);
        if (day < 1 || day > days)
            return $"{CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month)} {year} has {days} days";
        return null;
    }
}

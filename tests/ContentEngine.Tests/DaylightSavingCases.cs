namespace ContentEngine.Tests;

/// <summary>Instants just before and after the patient's local midnight around the 2026 daylight-saving changes.</summary>
public static class DaylightSaving
{
    public static TheoryData<string, string, string, string, int> Cases => new()
    {
        // Stockholm springs forward on 2026-03-29 (02:00 CET -> 03:00 CEST): that day begins at 23:00Z, the next at 22:00Z.
        { "Europe/Stockholm", "2026-03-15", "2026-03-28T22:59:59Z", "2026-03-28", 2 },
        { "Europe/Stockholm", "2026-03-15", "2026-03-28T23:00:00Z", "2026-03-29", 3 },
        { "Europe/Stockholm", "2026-03-16", "2026-03-29T21:59:59Z", "2026-03-29", 2 },
        { "Europe/Stockholm", "2026-03-16", "2026-03-29T22:00:00Z", "2026-03-30", 3 },
        // and falls back on 2026-10-25 (03:00 CEST -> 02:00 CET): that day begins at 22:00Z, the next at 23:00Z.
        { "Europe/Stockholm", "2026-10-11", "2026-10-24T21:59:59Z", "2026-10-24", 2 },
        { "Europe/Stockholm", "2026-10-11", "2026-10-24T22:00:00Z", "2026-10-25", 3 },
        { "Europe/Stockholm", "2026-10-12", "2026-10-25T22:59:59Z", "2026-10-25", 2 },
        { "Europe/Stockholm", "2026-10-12", "2026-10-25T23:00:00Z", "2026-10-26", 3 },
        // New York springs forward on 2026-03-08 (02:00 EST -> 03:00 EDT): that day begins at 05:00Z, the next at 04:00Z.
        { "America/New_York", "2026-02-22", "2026-03-08T04:59:59Z", "2026-03-07", 2 },
        { "America/New_York", "2026-02-22", "2026-03-08T05:00:00Z", "2026-03-08", 3 },
        { "America/New_York", "2026-02-23", "2026-03-09T03:59:59Z", "2026-03-08", 2 },
        { "America/New_York", "2026-02-23", "2026-03-09T04:00:00Z", "2026-03-09", 3 },
        // and falls back on 2026-11-01 (02:00 EDT -> 01:00 EST): that day begins at 04:00Z, the next at 05:00Z.
        { "America/New_York", "2026-10-18", "2026-11-01T03:59:59Z", "2026-10-31", 2 },
        { "America/New_York", "2026-10-18", "2026-11-01T04:00:00Z", "2026-11-01", 3 },
        { "America/New_York", "2026-10-19", "2026-11-02T04:59:59Z", "2026-11-01", 2 },
        { "America/New_York", "2026-10-19", "2026-11-02T05:00:00Z", "2026-11-02", 3 },
    };
}

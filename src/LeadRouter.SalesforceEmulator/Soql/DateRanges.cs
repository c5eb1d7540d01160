namespace LeadRouter.SalesforceEmulator.Soql;

/// <summary>
/// SOQL's relative date literals as day ranges [Start, End) in the org's time zone. Weeks start on
/// Sunday (Salesforce's en_US locale). LAST_N_DAYS:n includes today; NEXT_N_DAYS:n starts tomorrow.
/// </summary>
internal static class DateRanges
{
    private static readonly Dictionary<string, bool> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TODAY"] = false, ["YESTERDAY"] = false, ["TOMORROW"] = false,
        ["THIS_WEEK"] = false, ["LAST_WEEK"] = false, ["NEXT_WEEK"] = false,
        ["THIS_MONTH"] = false, ["LAST_MONTH"] = false, ["NEXT_MONTH"] = false,
        ["LAST_90_DAYS"] = false, ["NEXT_90_DAYS"] = false,
        ["LAST_N_DAYS"] = true, ["NEXT_N_DAYS"] = true, ["N_DAYS_AGO"] = true,
        ["LAST_N_WEEKS"] = true, ["NEXT_N_WEEKS"] = true,
    };

    public static bool IsKnown(string name, out bool takesN) => Known.TryGetValue(name, out takesN);

    /// <summary>The days a literal covers, seen from <paramref name="today"/>.</summary>
    public static (DateOnly Start, DateOnly End) Resolve(string name, int n, DateOnly today)
    {
        var week = today.AddDays(-(int)today.DayOfWeek);
        var month = new DateOnly(today.Year, today.Month, 1);
        return name switch
        {
            "TODAY" => (today, today.AddDays(1)),
            "YESTERDAY" => (today.AddDays(-1), today),
            "TOMORROW" => (today.AddDays(1), today.AddDays(2)),
            "THIS_WEEK" => (week, week.AddDays(7)),
            "LAST_WEEK" => (week.AddDays(-7), week),
            "NEXT_WEEK" => (week.AddDays(7), week.AddDays(14)),
            "THIS_MONTH" => (month, month.AddMonths(1)),
            "LAST_MONTH" => (month.AddMonths(-1), month),
            "NEXT_MONTH" => (month.AddMonths(1), month.AddMonths(2)),
            "LAST_90_DAYS" => (today.AddDays(-90), today.AddDays(1)),
            "NEXT_90_DAYS" => (today.AddDays(1), today.AddDays(91)),
            "LAST_N_DAYS" => (today.AddDays(-n), today.AddDays(1)),
            "NEXT_N_DAYS" => (today.AddDays(1), today.AddDays(1 + n)),
            "N_DAYS_AGO" => (today.AddDays(-n), today.AddDays(-n + 1)),
            "LAST_N_WEEKS" => (week.AddDays(-7 * n), week),
            "NEXT_N_WEEKS" => (week.AddDays(7), week.AddDays(7 + 7 * n)),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown date literal."),
        };
    }

    /// <summary>The instant a day starts in <paramref name="zone"/> (the first valid moment when midnight falls in a DST gap).</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(15);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
}

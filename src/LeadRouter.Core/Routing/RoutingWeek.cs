using System.Globalization;

namespace LeadRouter.Routing;

/// <summary>The routing week: an ISO week (Monday 00:00 to Monday 00:00) in the org's time zone, which weekly capacity and the floor count in.</summary>
public static class RoutingWeek
{
    /// <summary>Monday 00:00 of the moment's ISO week in <paramref name="zone"/>, as an offset moment.</summary>
    public static DateTimeOffset StartOf(DateTimeOffset moment, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(moment, zone);
        return LocalMidnight(DateOnly.FromDateTime(local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7))), zone);
    }

    /// <summary>00:00 of a local day in <paramref name="zone"/>, as an offset moment.</summary>
    public static DateTimeOffset LocalMidnight(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    /// <summary>The ISO week label of a day, e.g. "2026-W48" (the form the store keeps weekly scores under).</summary>
    public static string Label(DateOnly day)
    {
        var date = day.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date):D4}-W{ISOWeek.GetWeekOfYear(date):D2}");
    }
}

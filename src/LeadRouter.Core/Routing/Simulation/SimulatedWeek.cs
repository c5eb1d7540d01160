namespace LeadRouter.Routing.Simulation;

/// <summary>
/// One past routing week replayed: its ISO week label, its bounds (Monday 00:00 to the next Monday 00:00
/// in the org's time zone) and each rep's trust as it stood then. The week is routed once, as of its
/// last moment (<see cref="AsOf"/>), over the leads that reached the queues by then.
/// </summary>
/// <param name="TrustKept">How many reps' trust came from the weekly scores the store kept (the rest was recomputed).</param>
public sealed record SimulatedWeek(string Week, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<RepStanding> Reps, int TrustKept = 0)
{
    /// <summary>The last moment of the week: a lead created before <see cref="End"/> is in this week's queues.</summary>
    public DateTimeOffset AsOf => End.AddTicks(-1);
}

/// <summary>The bounds of past routing weeks, in the org's time zone.</summary>
public static class SimulatedWeeks
{
    public const int MaxWeeks = 52;

    /// <summary>The <paramref name="count"/> weeks ending with the last week completed at <paramref name="now"/>, oldest first.</summary>
    public static IReadOnlyList<(string Week, DateTimeOffset Start, DateTimeOffset End)> Ending(DateTimeOffset now, TimeZoneInfo zone, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var thisMonday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(RoutingWeek.StartOf(now, zone), zone).DateTime);
        return Span(thisMonday.AddDays(-7 * count), count, zone);
    }

    /// <summary>The weeks from the one holding <paramref name="from"/> to the one holding <paramref name="to"/>, oldest first.</summary>
    public static IReadOnlyList<(string Week, DateTimeOffset Start, DateTimeOffset End)> Between(DateOnly from, DateOnly to, TimeZoneInfo zone)
    {
        if (from > to)
            throw new ArgumentException($"The first day {from:yyyy-MM-dd} comes after the last {to:yyyy-MM-dd}.");
        var firstMonday = Monday(from);
        return Span(firstMonday, (Monday(to).DayNumber - firstMonday.DayNumber) / 7 + 1, zone);
    }

    private static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static List<(string, DateTimeOffset, DateTimeOffset)> Span(DateOnly firstMonday, int count, TimeZoneInfo zone) =>
        Enumerable.Range(0, count)
            .Select(i => firstMonday.AddDays(7 * i))
            .Select(monday => (RoutingWeek.Label(monday), RoutingWeek.LocalMidnight(monday, zone), RoutingWeek.LocalMidnight(monday.AddDays(7), zone)))
            .ToList();
}

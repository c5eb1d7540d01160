using System.Globalization;

namespace LeadRouter.Trust;

/// <summary>
/// The weeks of one scoring run, in the org time zone: ISO weeks, Monday first. Days are DateOnly day
/// numbers (day 0, 0001-01-01, is a Monday).
/// <para>
/// Every dated record falls in a <em>slot</em>: slot a (0..WindowWeeks) is the week a weeks before the
/// as-of week; <see cref="Late"/> holds the part of week 1 that comes after the previous as-of moment.
/// The current score reads weeks 0..W-1 (week 1 = slot 1 + Late), the previous score (one week
/// earlier) reads slots 1..W, so both come from a single pass over the snapshot.
/// </para>
/// </summary>
internal sealed class TrustCalendar
{
    public const int Current = 0;
    public const int Previous = 1;

    private const int FutureWeeks = 52;

    private readonly TimeZoneInfo zone;
    private readonly int firstTableDay;
    private readonly long[] dayStartUtcTicks;

    public TrustCalendar(TimeZoneInfo zone, DateTimeOffset asOf, int windowWeeks, double halfLifeWeeks)
    {
        this.zone = zone;
        Weeks = windowWeeks;
        var localAsOf = TimeZoneInfo.ConvertTime(asOf, zone).DateTime;
        // The previous moment is the same wall-clock time one week earlier, so it always lies in week 1
        // even across a daylight-saving change.
        var localPrevious = localAsOf.AddDays(-7);
        Moments = [asOf.ToUniversalTime(), new DateTimeOffset(LocalToUtcTicks(localPrevious), TimeSpan.Zero)];
        MomentDays = [DateOnly.FromDateTime(localAsOf).DayNumber, DateOnly.FromDateTime(localPrevious).DayNumber];
        WeekMonday = MomentDays[Current] - MomentDays[Current] % 7;
        WeekLabels = new string[windowWeeks];
        for (var age = 0; age < windowWeeks; age++)
        {
            var day = localAsOf.AddDays(-7 * age);
            WeekLabels[age] = string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(day):D4}-W{ISOWeek.GetWeekOfYear(day):D2}");
        }

        WeekWeights = new double[windowWeeks];
        for (var age = 0; age < windowWeeks; age++)
            WeekWeights[age] = Math.Pow(0.5, age / halfLifeWeeks);

        // UTC start of every local day from the oldest slot to a year after the as-of week (upcoming
        // meetings date next steps): a record's local day is then a table look-up, not a time-zone conversion.
        firstTableDay = WeekMonday - 7 * windowWeeks;
        var days = WeekMonday + 7 * (1 + FutureWeeks) - firstTableDay;
        dayStartUtcTicks = new long[days + 1];
        for (var i = 0; i <= days; i++)
            dayStartUtcTicks[i] = LocalToUtcTicks(DateOnly.FromDayNumber(firstTableDay + i).ToDateTime(TimeOnly.MinValue));
    }

    public int Weeks { get; }

    /// <summary>Slot of the part of week 1 after the previous moment.</summary>
    public int Late => Weeks + 1;

    public int SlotCount => Weeks + 2;

    /// <summary>The as-of moment (<see cref="Current"/>) and the same moment a week earlier (<see cref="Previous"/>).</summary>
    public DateTimeOffset[] Moments { get; }

    /// <summary>Local day of each moment.</summary>
    public int[] MomentDays { get; }

    /// <summary>Day of the Monday that starts the as-of week.</summary>
    public int WeekMonday { get; }

    /// <summary>ISO week of the as-of moment, e.g. "2026-W48".</summary>
    public string WeekLabel => WeekLabels[0];

    /// <summary>ISO week label of each week age in the window.</summary>
    public string[] WeekLabels { get; }

    /// <summary>0.5^(age / half-life) for each week age in the window.</summary>
    public double[] WeekWeights { get; }

    /// <summary>First day of the current window (Monday of week W-1).</summary>
    public int WindowFirstDay => WeekMonday - 7 * (Weeks - 1);

    public int LocalDay(DateTimeOffset moment)
    {
        var ticks = moment.UtcTicks;
        var table = dayStartUtcTicks;
        if (ticks < table[0] || ticks >= table[^1])
            return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(moment, zone).DateTime).DayNumber;
        // Days last 24 hours give or take a daylight-saving hour, so the estimate is at most one day off.
        var i = (int)Math.Min((ticks - table[0]) / TimeSpan.TicksPerDay, table.Length - 2);
        while (ticks < table[i])
            i--;
        while (ticks >= table[i + 1])
            i++;
        return firstTableDay + i;
    }

    /// <summary>Slot of an instant; -1 when after the as-of moment or before the oldest slot.</summary>
    public int SlotOf(DateTimeOffset moment) => moment > Moments[Current] ? -1 : SlotOf(moment, LocalDay(moment));

    /// <summary>Slot of an instant whose local day the caller already knows.</summary>
    public int SlotOf(DateTimeOffset moment, int localDay)
    {
        if (moment > Moments[Current])
            return -1;
        var slot = AgeOfDay(localDay);
        if (slot > Weeks)
            return -1;
        return slot == 1 && moment > Moments[Previous] ? Late : slot;
    }

    /// <summary>Slot of a local day; -1 when after the as-of day or before the oldest slot.</summary>
    public int SlotOfDay(int day)
    {
        if (day > MomentDays[Current])
            return -1;
        var slot = AgeOfDay(day);
        if (slot > Weeks)
            return -1;
        return slot == 1 && day > MomentDays[Previous] ? Late : slot;
    }

    /// <summary>Week age (0 = the view's as-of week) a slot has in a view; -1 when outside the view's window.</summary>
    public int AgeIn(int view, int slot)
    {
        if (view == Current)
        {
            if (slot == Late)
                return Weeks > 1 ? 1 : -1;
            return slot < Weeks ? slot : -1;
        }
        return slot >= 1 && slot <= Weeks ? slot - 1 : -1;
    }

    /// <summary>Sum of a per-slot counter for the week of the given age in a view.</summary>
    public int WeekCount(int[] counts, int baseIndex, int view, int age) =>
        view == Current
            ? counts[baseIndex + age] + (age == 1 ? counts[baseIndex + Late] : 0)
            : counts[baseIndex + age + 1];

    /// <summary>Weekdays (Monday to Friday) after <paramref name="fromDay"/> up to and including <paramref name="toDay"/>.</summary>
    public static int WorkingDaysBetween(int fromDay, int toDay) =>
        toDay <= fromDay ? 0 : WeekdaysThrough(toDay) - WeekdaysThrough(fromDay);

    public static TimeZoneInfo ResolveZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
            throw new ArgumentException("TrustSettings.TimeZone is empty: give an IANA time zone id such as 'Europe/Paris'.", "settings");
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"TrustSettings.TimeZone '{id}' is not a known IANA time zone id (e.g. 'Europe/Paris').", "settings", e);
        }
    }

    // Callers pass days on or before the as-of day, so the dividend is never negative.
    private int AgeOfDay(int day) => (WeekMonday - day + 6) / 7;

    private static int WeekdaysThrough(int day) => (day + 1) / 7 * 5 + Math.Min((day + 1) % 7, 5);

    /// <summary>
    /// UTC ticks of a local wall-clock time: a time skipped by a daylight-saving jump moves to the first
    /// valid minute after it; a repeated time takes its first occurrence.
    /// </summary>
    private long LocalToUtcTicks(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var guard = 0;
        while (zone.IsInvalidTime(local) && guard++ < 48 * 60)
            local = local.AddMinutes(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return local.Ticks - offset.Ticks;
    }
}

namespace LeadRouter.SalesforceEmulator.Generation;

/// <summary>
/// Builds one generated org. All randomness comes from a single <see cref="Random"/> seeded once and
/// drawn in a fixed order (people, pipeline, reviews, activity, leads), so a seed and an as-of moment
/// fix every record. The partial files each build one area of the org.
/// </summary>
internal sealed partial class OrgGeneration
{
    public const int WindowWeeks = 12;

    private readonly OrgSize _sizeName;
    private readonly int _seed;
    private readonly SizeProfile _size;
    private readonly Random _random;
    private readonly DateTimeOffset _asOf;
    private readonly DateOnly _today;

    /// <summary>Monday (UTC) of the oldest of the 12 ISO weeks that end with the as-of week.</summary>
    private readonly DateOnly _windowStart;

    private readonly List<Team> _teams;
    private readonly List<Rep> _reps;

    public OrgGeneration(OrgSize sizeName, int seed, DateTimeOffset asOf)
    {
        var size = SizeProfile.Of(sizeName);
        _sizeName = sizeName;
        _seed = seed;
        _size = size;
        _random = new Random(seed);
        _asOf = asOf.ToUniversalTime();
        _today = DateOnly.FromDateTime(_asOf.UtcDateTime);
        var monday = _today.AddDays(-(((int)_today.DayOfWeek + 6) % 7));
        _windowStart = monday.AddDays(-7 * (WindowWeeks - 1));
        _teams = new List<Team>(size.Managers);
        _reps = new List<Rep>(size.Reps);

        // Capacities from the per-rep volumes in README.md, with head room, so lists never regrow.
        var reps = size.Reps;
        _users = new(reps + size.Managers + size.Vps + 1);
        _groups = new(8);
        _queueSobjects = new(8);
        _accounts = new(reps * 24);
        _contacts = new(reps * 72);
        _opportunities = new(reps * 42);
        _contactRoles = new(reps * 64);
        _opportunityHistory = new(reps * 70);
        _events = new(reps * 72);
        _eventRelations = new(reps * 56);
        _tasks = new(reps * 520);
        _leads = new(reps * size.QueuedLeadsPerRep * 13 / 10);
    }

    public GeneratedOrg Build()
    {
        AddPeople();
        AddQueues();
        foreach (var rep in _reps)
            AddPipeline(rep);
        AddReviews();
        foreach (var rep in _reps)
            AddActivity(rep);
        AddLeads();

        var repPersonas = new Dictionary<string, RepPersona>(_reps.Count, StringComparer.Ordinal);
        foreach (var rep in _reps)
            repPersonas.Add(rep.Id, rep.Persona);
        var managerPersonas = new Dictionary<string, ManagerPersona>(_teams.Count, StringComparer.Ordinal);
        foreach (var team in _teams)
            managerPersonas.Add(team.ManagerId, team.Persona);

        return new GeneratedOrg(_sizeName, _seed, _asOf, RecordsByType(), repPersonas, managerPersonas);
    }

    // ---- randomness and time -------------------------------------------------------------

    private bool Chance(double probability) => _random.NextDouble() < probability;

    /// <summary>A uniform integer in [min, max], both included.</summary>
    private int Between(int min, int max) => _random.Next(min, max + 1);

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    /// <summary>A count with the given mean: the integer part, plus one with the fractional part's probability.</summary>
    private int CountWithMean(double mean)
    {
        var whole = (int)mean;
        return whole + (Chance(mean - whole) ? 1 : 0);
    }

    private static DateTimeOffset At(DateOnly day, int minuteOfDay) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMinutes(minuteOfDay);

    /// <summary>A moment in (UTC) working hours of the day.</summary>
    private DateTimeOffset WorkingMoment(DateOnly day) => At(day, Between(7 * 60, 19 * 60 - 1));

    private static bool IsWorkingDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    /// <summary>Splits <paramref name="total"/> by shares, largest remainders first, giving every non-zero share at least one when there is room.</summary>
    private static int[] Quota(IReadOnlyList<double> shares, int total)
    {
        var counts = new int[shares.Count];
        var assigned = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = (int)(shares[i] * total);
            assigned += counts[i];
        }
        while (assigned < total)
        {
            var best = 0;
            for (var i = 1; i < counts.Length; i++)
            {
                if (shares[i] * total - counts[i] > shares[best] * total - counts[best])
                    best = i;
            }
            counts[best]++;
            assigned++;
        }
        if (total >= counts.Length)
        {
            for (var i = 0; i < counts.Length; i++)
            {
                if (counts[i] > 0 || shares[i] <= 0)
                    continue;
                counts[Array.IndexOf(counts, counts.Max())]--;
                counts[i] = 1;
            }
        }
        return counts;
    }

    /// <summary>The values laid out by quota, in a seeded random order.</summary>
    private T[] Spread<T>(T[] values, int[] counts)
    {
        var dealt = new T[counts.Sum()];
        var next = 0;
        for (var i = 0; i < values.Length; i++)
        {
            for (var n = 0; n < counts[i]; n++)
                dealt[next++] = values[i];
        }
        _random.Shuffle(dealt);
        return dealt;
    }

    // ---- the people the org is about -----------------------------------------------------

    /// <summary>A first-line manager and the reps reporting to them.</summary>
    private sealed class Team(string managerId, string managerFirstName, ManagerPersona persona, int location, int reviewStyle)
    {
        public string ManagerId { get; } = managerId;
        public string ManagerFirstName { get; } = managerFirstName;
        public ManagerPersona Persona { get; } = persona;
        public ManagerProfile Profile { get; } = ManagerProfile.Of(persona);

        /// <summary>Index into <see cref="SampleData.TeamLocations"/>; the team's reps share it.</summary>
        public int Location { get; } = location;

        /// <summary>How this manager names review meetings (see AddReviews).</summary>
        public int ReviewStyle { get; } = reviewStyle;

        /// <summary>What happens to the reviews in each of the 12 weeks (held, booked then deleted, skipped).</summary>
        public ReviewWeek[] ReviewWeeks { get; set; } = [];

        public List<Rep> Reps { get; } = new(10);
    }

    /// <summary>How a rep's weekly one-on-ones are booked.</summary>
    private enum ReviewBooking
    {
        /// <summary>A recurring series the manager set up months ago, the rep invited.</summary>
        ManagerSeries,

        /// <summary>A recurring series the rep set up, the manager invited.</summary>
        RepSeries,

        /// <summary>A new meeting booked each week, a few days ahead.</summary>
        Weekly,
    }

    /// <summary>
    /// A rep: persona, the days they have data for, and the accounts and open deals they work. A rep who
    /// changed manager in the window reported to <see cref="FormerTeam"/>'s manager until <see cref="MovedOn"/>.
    /// </summary>
    private sealed class Rep(
        string id, string firstName, Team team, RepPersona persona, DateOnly hireDay, DateOnly lastDay, ReviewBooking booking,
        Team? formerTeam, DateOnly? movedOn, DateOnly? weekOff)
    {
        public string Id { get; } = id;
        public string FirstName { get; } = firstName;
        public Team Team { get; } = team;
        public RepPersona Persona { get; } = persona;
        public RepProfile Profile { get; } = RepProfile.Of(persona);
        public DateOnly HireDay { get; } = hireDay;

        /// <summary>The as-of day for active reps; the day they left for departed ones.</summary>
        public DateOnly LastDay { get; } = lastDay;

        public bool IsActive => Persona != RepPersona.Departed;
        public ReviewBooking Booking { get; } = booking;
        public Team? FormerTeam { get; } = formerTeam;
        public DateOnly? MovedOn { get; } = movedOn;

        /// <summary>Monday of the week the rep was out of office, if any.</summary>
        public DateOnly? WeekOff { get; } = weekOff;

        public bool IsOff(DateOnly day) => WeekOff is { } monday && day >= monday && day < monday.AddDays(5);

        /// <summary>The team whose manager the rep reported to on a day.</summary>
        public Team TeamOn(DateOnly day) => MovedOn is { } moved && day < moved ? FormerTeam! : Team;
        public List<Client> Accounts { get; } = new(24);
        public List<OpenDeal> Deals { get; } = new(48);
    }

    private sealed record Client(string AccountId, string Name, string[] ContactIds);

    /// <summary>An open opportunity as the activity generator needs it: activity on it may not postdate <see cref="LastActivity"/>.</summary>
    private readonly record struct OpenDeal(string OpportunityId, string AccountId, string ContactId, DateOnly CreatedDay, DateOnly? LastActivity);
}

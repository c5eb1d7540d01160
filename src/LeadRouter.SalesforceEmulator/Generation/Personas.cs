namespace LeadRouter.SalesforceEmulator.Generation;

/// <summary>The kinds of sales rep the generator plays, each a pattern a sales manager would recognise.</summary>
public enum RepPersona
{
    /// <summary>Attends every review, keeps a clean pipeline, delegates admin, sells a lot.</summary>
    Diligent,

    /// <summary>The solid middle of the team: mostly there, mostly clean, some delegation.</summary>
    Steady,

    /// <summary>Declines or ignores most weekly reviews; otherwise average.</summary>
    ReviewSkipper,

    /// <summary>Inflated pipeline: stale deals, no next step, close dates in the past or pushed again and again, no decision maker; sells little.</summary>
    JunkPipeline,

    /// <summary>Never delegates: does all the administrivia alone, at the cost of selling time.</summary>
    SoloAdmin,

    /// <summary>Joined one to two weeks ago: little data, a small young pipeline.</summary>
    NewHire,

    /// <summary>Left the company a month or two ago: inactive user whose history and records remain.</summary>
    Departed,
}

/// <summary>How a manager runs the weekly one-on-ones and the work delegated to them.</summary>
public enum ManagerPersona
{
    /// <summary>Holds the review nearly every week and gets delegated work done within days.</summary>
    Reliable,

    /// <summary>Skips whole review weeks, creates then deletes reviews, and is slow on delegated work.</summary>
    ReviewCanceller,

    /// <summary>Holds no one-on-ones at all: their reps have no review to attend (the manager's miss, not theirs).</summary>
    NeverReviews,
}

/// <summary>
/// The behaviour behind a rep persona, as probabilities and rates. Pipeline checks are per open
/// opportunity; the two push rates split each opportunity into chronic (3-5 pushes), pushed (1-2) or
/// untouched.
/// </summary>
internal sealed record RepProfile(
    double Share,
    double ReviewAccepted,
    double ReviewDeclined,
    int OpenOpportunities,
    int ClosedOpportunities,
    double NextStep,
    double NextStepOnTime,
    double CloseDateAhead,
    double RecentActivity,
    double DecisionMaker,
    double ChronicPushes,
    double SomePushes,
    double SellingPerDay,
    int AdminPerWeek,
    double DelegationRate)
{
    // Shares sum to 1. Selling rates are completed calls, emails and meetings per working day.
    private static readonly RepProfile[] Profiles =
    [
        /* Diligent      */ new(0.20, 0.97, 0.03, 30, 9, 0.97, 0.95, 0.97, 0.95, 0.95, 0.00, 0.20, 8.8, 5, 0.80),
        /* Steady        */ new(0.40, 0.85, 0.10, 30, 8, 0.85, 0.80, 0.88, 0.80, 0.75, 0.04, 0.30, 7.4, 4, 0.45),
        /* ReviewSkipper */ new(0.10, 0.30, 0.60, 28, 7, 0.75, 0.70, 0.80, 0.70, 0.65, 0.08, 0.35, 7.0, 4, 0.30),
        /* JunkPipeline  */ new(0.10, 0.70, 0.25, 46, 4, 0.35, 0.30, 0.45, 0.30, 0.20, 0.55, 0.30, 4.5, 3, 0.25),
        /* SoloAdmin     */ new(0.10, 0.85, 0.10, 26, 7, 0.85, 0.85, 0.88, 0.75, 0.75, 0.04, 0.30, 5.5, 8, 0.00),
        /* NewHire       */ new(0.05, 0.95, 0.05, 4, 0, 0.90, 0.90, 0.95, 0.95, 0.70, 0.00, 0.00, 6.0, 3, 0.35),
        /* Departed      */ new(0.05, 0.70, 0.25, 22, 4, 0.60, 0.20, 0.40, 0.00, 0.60, 0.08, 0.30, 6.7, 4, 0.35),
    ];

    public static RepProfile Of(RepPersona persona) => Profiles[(int)persona];

    public static int PersonaCount => Profiles.Length;
}

/// <summary>
/// The behaviour behind a manager persona. Review weeks are dealt by share over the 12 weeks (a
/// reliable manager misses one, on holiday); delegated tasks not done in time or late stay open.
/// </summary>
internal sealed record ManagerProfile(
    double Share,
    double ReviewWeekHeld,
    double ReviewWeekDeleted,
    double DelegatedDoneInTime,
    double DelegatedDoneLate)
{
    private static readonly ManagerProfile[] Profiles =
    [
        /* Reliable        */ new(0.84, 0.97, 0.00, 0.85, 0.10),
        /* ReviewCanceller */ new(0.12, 0.45, 0.15, 0.45, 0.30),
        /* NeverReviews    */ new(0.04, 0.00, 0.00, 0.75, 0.15),
    ];

    public static ManagerProfile Of(ManagerPersona persona) => Profiles[(int)persona];

    public static int PersonaCount => Profiles.Length;
}

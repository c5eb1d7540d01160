namespace LeadRouter.Trust;

// The trust engine's output: immutable, ordered (reps and managers by id), free of culture and of
// the machine clock, so the same snapshot, settings and moment always give the same report.

/// <summary>Trust of every rep and the mirror of every manager, as of one moment.</summary>
/// <param name="Week">ISO week of <paramref name="AsOf"/> in the org time zone, e.g. "2026-W48".</param>
public sealed record TrustReport(
    DateTimeOffset AsOf,
    string Week,
    string TimeZone,
    IReadOnlyList<RepTrust> Reps,
    IReadOnlyList<ManagerMirror> Managers,
    IReadOnlyList<DataIssue> Issues);

/// <summary>One rep's trust: the score, how sure it is, why, how it moved and how to raise it.</summary>
/// <param name="Trust">0 to 100: the weighted sum of the components × 100.</param>
/// <param name="Confidence">0 to 1: the share of the score that rests on the rep's own evidence rather than the team prior.</param>
/// <param name="WeeksOfData">Weeks of the window since the rep's first recorded activity (0 to WindowWeeks).</param>
/// <param name="PreviousTrust">
/// Last week's trust: the score stored for that week when there is one (<paramref name="PreviousTrustStored"/>),
/// otherwise this snapshot scored as of one week earlier.
/// </param>
/// <param name="Change">Trust minus PreviousTrust.</param>
/// <param name="Trend">The stored weekly scores of the window, oldest first, ending with this week's trust.</param>
public sealed record RepTrust(
    string RepId,
    string Name,
    string ManagerId,
    double Trust,
    double Confidence,
    int WeeksOfData,
    IReadOnlyList<TrustComponent> Components,
    double PreviousTrust,
    double Change,
    bool PreviousTrustStored,
    IReadOnlyList<TrustWeek> Trend,
    IReadOnlyList<TrustImprovement> Improvements,
    IReadOnlyList<OpportunityToRaise> OpportunitiesToRaise);

/// <summary>A rep's trust in one ISO week ("2026-W47").</summary>
public sealed record TrustWeek(string Week, double Trust);

/// <summary>A weekly score kept from an earlier run, as the scorer reads it back (the store's trust_scores).</summary>
public sealed record StoredTrust(string RepId, string Week, double Trust);

public enum TrustComponentKind
{
    ReviewAttendance,
    PipelineHonesty,
    Delegation,
    SellingActivity,
}

/// <summary>One component of a rep's trust.</summary>
/// <param name="Value">0 to 1, after shrinkage toward <paramref name="TeamPrior"/>.</param>
/// <param name="RawRate">Σw·x / Σw·n over the rep's own observations; null when there is none.</param>
/// <param name="TeamPrior">The mean the component is shrunk toward (team, org, or the neutral prior).</param>
/// <param name="EffectiveObservations">Σw·n: decay-weighted observations (see Trust/README.md).</param>
/// <param name="Hits">Evidence numerator, e.g. reviews attended.</param>
/// <param name="OutOf">Evidence denominator, e.g. reviews held.</param>
/// <param name="Evidence">The evidence in a sentence, e.g. "attended 7 of 8 reviews held in the last 12 weeks".</param>
public sealed record TrustComponent(
    TrustComponentKind Kind,
    double Value,
    double? RawRate,
    double TeamPrior,
    double Weight,
    double EffectiveObservations,
    int Hits,
    int OutOf,
    string Evidence);

/// <summary>A fact that would raise the score, with the points it is worth (computed by what-if).</summary>
/// <param name="Text">Action and points, e.g. "write a next step on 3 open opportunities: +4.1".</param>
public sealed record TrustImprovement(TrustComponentKind Component, string Action, double Points, string Text);

/// <summary>What is wrong with an open opportunity, for the manager's next one-on-one.</summary>
[Flags]
public enum OpportunityFlags
{
    None = 0,
    NoNextStep = 1,
    NextStepDateMissing = 2,
    NextStepDatePast = 4,
    CloseDatePast = 8,
    Stale = 16,
    NoDecisionMaker = 32,
    CloseDatePushedTooOften = 64,
}

/// <param name="DaysSinceActivity">Days since the last activity as of the report, null when none is recorded.</param>
/// <param name="CloseDatePushes">Close-date pushes within the window.</param>
/// <param name="Reasons">One sentence per flag, e.g. "close date 2026-10-31 has passed".</param>
public sealed record OpportunityToRaise(
    string OpportunityId,
    string StageName,
    DateOnly? CloseDate,
    decimal? Amount,
    OpportunityFlags Flags,
    int? DaysSinceActivity,
    int CloseDatePushes,
    IReadOnlyList<string> Reasons);

/// <summary>
/// The manager's side of mutual trust: reviews held and delegated work served. Reported only; it is
/// never used to route leads.
/// </summary>
/// <param name="Name">Null when the manager is not among the snapshot's users.</param>
/// <param name="ReviewsHeld">Distinct reviews held with at least one of the manager's reps in the window.</param>
/// <param name="DelegatedTasks">Admin tasks the manager's reps created for the manager in the window.</param>
/// <param name="OpenNotYetDue">Open delegated tasks still within the service days.</param>
/// <param name="ServiceRate">CompletedInTime / (CompletedInTime + CompletedLate + OpenOverdue); null when none is due.</param>
public sealed record ManagerMirror(
    string ManagerId,
    string? Name,
    int Reps,
    int Weeks,
    int ReviewsHeld,
    int WeeksWithReview,
    double ReviewsPerWeek,
    int DelegatedTasks,
    int CompletedInTime,
    int CompletedLate,
    int OpenOverdue,
    int OpenNotYetDue,
    double? ServiceRate,
    string Evidence);

public enum DataIssueKind
{
    /// <summary>Users whose ManagerId chain loops back to them; they are not scored as reps.</summary>
    ManagerLoop,
    /// <summary>Reps whose ManagerId is not among the snapshot's users; they are scored, the manager has no name.</summary>
    UnknownManager,
    /// <summary>Records owned by an id that is neither a user in the snapshot nor a queue; they are ignored.</summary>
    UnknownOwner,
    /// <summary>Users listed more than once; the first row wins.</summary>
    DuplicateUser,
    /// <summary>Users or records without an id; they are ignored.</summary>
    MissingId,
}

/// <summary>Records that make no sense, grouped by kind and object, with a sample of their ids.</summary>
/// <param name="RecordIds">Up to 20 of the ids concerned, in snapshot order.</param>
public sealed record DataIssue(DataIssueKind Kind, string Message, int Count, IReadOnlyList<string> RecordIds);

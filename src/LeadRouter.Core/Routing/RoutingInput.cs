using LeadRouter.Org;
using LeadRouter.Rules;

namespace LeadRouter.Routing;

/// <summary>
/// Everything one routing run reads. Leads are the org's leads (the run picks its pool from them);
/// <see cref="Reps"/> carries each rep's trust as the trust engine scored it;
/// <see cref="AssignedThisWeek"/> counts against weekly capacity and the weekly floor.
/// Leads created after <see cref="AsOf"/> are not yet in the pool, so a past week can be replayed.
/// </summary>
public sealed record RoutingInput(
    IReadOnlyList<Lead> Leads,
    IReadOnlyList<User> Users,
    IReadOnlyList<Queue> Queues,
    IReadOnlyList<RepStanding> Reps,
    IReadOnlyList<PriorAssignment> AssignedThisWeek,
    DateTimeOffset AsOf);

/// <summary>A rep's trust as routing sees it: trust 0-100, confidence 0-1, weeks of data, and their team's mean trust.</summary>
public sealed record RepStanding(string RepId, double Trust, double Confidence, int WeeksOfData, double TeamMeanTrust)
{
    /// <summary>Still building a record (fewer weeks of data than the rules' ramp): scored at the team mean, never below.</summary>
    public bool IsRamping(FairnessSettings fairness) => WeeksOfData < fairness.RampWeeks;
}

/// <summary>A lead already given to a rep this week (by an earlier run or by hand), with its tier name.</summary>
public sealed record PriorAssignment(string LeadId, string RepId, string Tier);

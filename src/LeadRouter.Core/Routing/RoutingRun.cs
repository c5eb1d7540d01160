using System.Globalization;
using LeadRouter.Org;
using LeadRouter.Rules;

namespace LeadRouter.Routing;

/// <summary>The outcome of routing one pool: a decision for every routed lead, and every lead that could not be routed.</summary>
public sealed record RoutingRun(
    DateTimeOffset AsOf,
    RoutingPolicy Policy,
    string RulesVersion,
    string RulesHash,
    int PoolSize,
    IReadOnlyList<RoutingDecision> Decisions,
    IReadOnlyList<UnroutableLead> Unroutable,
    IReadOnlyList<RepTally> LeadsPerRep,
    IReadOnlyList<TierTally> LeadsPerTier,
    double Gini,
    IReadOnlyList<string> Warnings);

/// <summary>Leads one rep got in this run; <see cref="LeadsThisWeek"/> also counts earlier assignments this week.</summary>
public sealed record RepTally(string RepId, string Name, double ScoredTrust, int Leads, int LeadsThisWeek);

public sealed record TierTally(string Tier, RoutingMode Mode, int Routed, int Unroutable);

/// <summary>Why some reps could not take a lead: how many for this reason, and the first few names.</summary>
public sealed record Exclusion(ExclusionReason Reason, int Count, IReadOnlyList<string> FirstNames)
{
    public override string ToString() =>
        $"{Count} {Reason}: {string.Join(", ", FirstNames)}{(Count > FirstNames.Count ? ", ..." : "")}";
}

public enum ExclusionReason
{
    Inactive,
    Unavailable,
    Territory,
    NotScored,
    BelowMinTrust,
    BelowMinConfidence,
    Capacity,
}

/// <summary>A rep who may take a lead, with the trust routing used (<see cref="ScoredTrust"/>: raised to the team mean while ramping).</summary>
public sealed record EligibleRep(string RepId, string Name, double Trust, double ScoredTrust, double Confidence, bool Ramping);

/// <summary>
/// The reps considered for one group of leads (same tier, territory and territory key): who is eligible
/// and why the others are not. Shared by every decision of the group, so a run over 100,000 leads
/// and 2,000 reps holds one list per group, not one per lead.
/// </summary>
public sealed class CandidateReps
{
    internal const int NamesShown = 3;

    internal CandidateReps(string? territory, IReadOnlyList<EligibleRep> eligible, IReadOnlyList<Exclusion> excluded)
    {
        Territory = territory;
        Eligible = eligible;
        Excluded = excluded;
    }

    /// <summary>The territory of the group's leads; null when the rules define no territories.</summary>
    public string? Territory { get; }

    /// <summary>Reps meeting every static condition, highest scored trust first.</summary>
    public IReadOnlyList<EligibleRep> Eligible { get; }

    /// <summary>Reps excluded for a reason that holds all run long (inactive, territory, thresholds...).</summary>
    public IReadOnlyList<Exclusion> Excluded { get; }

    /// <summary>Names of eligible reps in the order they used up their weekly capacity of this tier.</summary>
    internal List<string> FilledUp { get; } = [];

    /// <summary>The exclusions at a moment when the first <paramref name="atCapacity"/> reps of <see cref="FilledUp"/> were full.</summary>
    internal IReadOnlyList<Exclusion> ExcludedWhen(int atCapacity) =>
        atCapacity == 0
            ? Excluded
            : [.. Excluded, new Exclusion(ExclusionReason.Capacity, atCapacity, FilledUp.Take(Math.Min(atCapacity, NamesShown)).ToList())];
}

public enum DecisionBasis
{
    /// <summary>The rep was under the weekly floor; the floor is served before the policy.</summary>
    WeeklyFloor,
    TrustWeighted,
    StrictTrust,
    RoundRobin,
}

/// <summary>One routed lead: the tier rule that matched, the rep chosen and why, and who else was considered.</summary>
public sealed class RoutingDecision
{
    private readonly int _atCapacity;

    internal RoutingDecision(Lead lead, Tier tier, string rule, CandidateReps candidates, EligibleRep rep,
        DecisionBasis basis, double share, int repLeadsBefore, int weeklyFloor, int atCapacity)
    {
        Lead = lead;
        Tier = tier.Name;
        Mode = tier.Mode;
        Rule = rule;
        Candidates = candidates;
        Rep = rep;
        Basis = basis;
        Share = share;
        RepLeadsBefore = repLeadsBefore;
        WeeklyFloor = weeklyFloor;
        _atCapacity = atCapacity;
    }

    public Lead Lead { get; }
    public string LeadId => Lead.Id;
    public string Tier { get; }
    public RoutingMode Mode { get; }

    /// <summary>Name of the tier rule the lead matched first.</summary>
    public string Rule { get; }

    public string? Territory => Candidates.Territory;
    public EligibleRep Rep { get; }
    public string RepId => Rep.RepId;
    public DecisionBasis Basis { get; }

    /// <summary>Under TrustWeighted, the chosen rep's share of the eligible reps' total weight; otherwise 1 / eligible reps.</summary>
    public double Share { get; }

    /// <summary>Leads the rep had this week (this tier for policy turns, all tiers for the floor) before this one.</summary>
    public int RepLeadsBefore { get; }

    public int WeeklyFloor { get; }
    public CandidateReps Candidates { get; }
    public IReadOnlyList<EligibleRep> EligibleReps => Candidates.Eligible;

    /// <summary>Reps who could not take this lead, by reason, including those whose weekly capacity was used up at that moment.</summary>
    public IReadOnlyList<Exclusion> ExcludedReps => Candidates.ExcludedWhen(_atCapacity);

    /// <summary>One sentence on why this rep got this lead.</summary>
    public string Why
    {
        get
        {
            var trust = Rep.ScoredTrust.ToString("0.#", CultureInfo.InvariantCulture);
            var ramp = Rep.Ramping && Rep.ScoredTrust > Rep.Trust
                ? $" (ramping: scored at the team mean instead of {Rep.Trust.ToString("0.#", CultureInfo.InvariantCulture)})"
                : "";
            var reason = Basis switch
            {
                DecisionBasis.WeeklyFloor => $"weekly floor: {Rep.Name} had {RepLeadsBefore} of the {WeeklyFloor} leads every eligible rep gets a week",
                DecisionBasis.TrustWeighted => $"trust-weighted turn: {Rep.Name}, trust {trust}{ramp}, holds {Share.ToString("P0", CultureInfo.InvariantCulture)} of the weight (trust²) of {EligibleReps.Count} eligible reps",
                DecisionBasis.StrictTrust => $"strict trust: {Rep.Name} has the highest trust ({trust}{ramp}) among eligible reps with capacity left",
                _ => $"round robin: {Rep.Name}'s turn, with {RepLeadsBefore} tier {Tier} leads this week",
            };
            return $"Tier {Tier} by rule '{Rule}'{(Territory is null ? "" : $", territory {Territory}")}; {reason}.";
        }
    }
}

public enum UnroutableReason
{
    /// <summary>No tier rule matched the lead (the rules have no catch-all).</summary>
    NoTierRule,

    /// <summary>No territory matched the lead.</summary>
    NoTerritory,

    /// <summary>No rep meets the tier's conditions in the lead's territory.</summary>
    NoEligibleRep,

    /// <summary>Every eligible rep has used up this tier's weekly capacity.</summary>
    AllAtCapacity,
}

/// <summary>A pooled lead no rep can take, with the reason; it stays in its queue.</summary>
public sealed record UnroutableLead(
    Lead Lead,
    string? Tier,
    string? Rule,
    string? Territory,
    UnroutableReason Reason,
    string Message,
    IReadOnlyList<Exclusion> ExcludedReps)
{
    public string LeadId => Lead.Id;
}

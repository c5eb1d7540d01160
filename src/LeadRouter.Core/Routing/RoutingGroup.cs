using LeadRouter.Rules;

namespace LeadRouter.Routing;

/// <summary>
/// Leads that share a tier, a territory and the lead values the territory compares reps with, and so
/// share the same eligible reps. The static eligibility is computed once per group; during allocation
/// only capacity changes, and each group keeps heaps so a pick costs O(log reps), not a scan.
/// </summary>
internal sealed class RoutingGroup
{
    public RoutingGroup(int tierIndex, Tier tier, CandidateReps candidates, int[] eligible, double totalWeight)
    {
        TierIndex = tierIndex;
        Tier = tier;
        Candidates = candidates;
        Eligible = eligible;
        TotalWeight = totalWeight;
    }

    public int TierIndex { get; }
    public Tier Tier { get; }
    public CandidateReps Candidates { get; }

    /// <summary>Roster indexes of the eligible reps.</summary>
    public int[] Eligible { get; }

    public double TotalWeight { get; }

    /// <summary>How many eligible reps have used up this tier's weekly capacity so far.</summary>
    public int AtCapacity { get; set; }

    /// <summary>
    /// Why the group's leads cannot be routed, once that is final: no eligible rep, or every eligible
    /// rep at capacity (capacity is never given back during a run). Shared by those leads.
    /// </summary>
    public (UnroutableReason Reason, string Message, IReadOnlyList<Exclusion> Excluded)? Verdict { get; set; }

    /// <summary>Eligible reps by the policy's order; built on first use.</summary>
    public PriorityQueue<int, Priority>? PolicyQueue { get; set; }

    /// <summary>Eligible reps under the weekly floor, fewest leads first; built on first use.</summary>
    public PriorityQueue<int, Priority>? FloorQueue { get; set; }
}

/// <summary>A heap key: lower first, then lower <see cref="Rep"/> index (rep id order) as the deterministic tie-break.</summary>
internal readonly record struct Priority(double Primary, double Secondary, int Rep) : IComparable<Priority>
{
    public int CompareTo(Priority other)
    {
        var c = Primary.CompareTo(other.Primary);
        if (c != 0)
            return c;
        c = Secondary.CompareTo(other.Secondary);
        return c != 0 ? c : Rep.CompareTo(other.Rep);
    }
}

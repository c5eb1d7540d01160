using LeadRouter.Rules;

namespace LeadRouter.Routing;

/// <summary>What a lead gets in one run: its rep (null when unroutable), tier (null when no rule matched) and mode.</summary>
public sealed record LeadOutcome(string? RepId, string? Tier, RoutingMode? Mode);

/// <summary>A lead whose rep, tier or mode differs between two runs; a lead in only one run has a null outcome in the other.</summary>
public sealed record LeadChange(string LeadId, LeadOutcome? Before, LeadOutcome? After)
{
    public bool RepChanged => Before?.RepId != After?.RepId;
    public bool TierChanged => Before?.Tier != After?.Tier;
    public bool ModeChanged => Before?.Mode != After?.Mode;
}

public sealed record RepDelta(string RepId, string Name, int Before, int After)
{
    public int Delta => After - Before;
}

public sealed record TierDelta(string Tier, int RoutedBefore, int RoutedAfter, int UnroutableBefore, int UnroutableAfter)
{
    public int RoutedDelta => RoutedAfter - RoutedBefore;
}

/// <summary>What changing the rules (or the org) does to routing, before it goes live.</summary>
public sealed record RoutingComparisonResult(
    IReadOnlyList<LeadChange> Changes,
    IReadOnlyList<RepDelta> Reps,
    IReadOnlyList<TierDelta> Tiers,
    double GiniBefore,
    double GiniAfter,
    int UnroutableBefore,
    int UnroutableAfter)
{
    public double GiniChange => GiniAfter - GiniBefore;
}

/// <summary>Compares two routing runs, typically the live rules and a proposed edit replayed on the same input.</summary>
public static class RoutingComparison
{
    public static RoutingComparisonResult Compare(RoutingRun before, RoutingRun after)
    {
        var outcomesBefore = Outcomes(before);
        var outcomesAfter = Outcomes(after);
        var changes = outcomesBefore.Keys.Union(outcomesAfter.Keys)
            .Order(StringComparer.Ordinal)
            .Select(id => new LeadChange(id, outcomesBefore.GetValueOrDefault(id), outcomesAfter.GetValueOrDefault(id)))
            .Where(c => c.Before != c.After)
            .ToList();

        var repsBefore = before.LeadsPerRep.ToDictionary(r => r.RepId, StringComparer.Ordinal);
        var repsAfter = after.LeadsPerRep.ToDictionary(r => r.RepId, StringComparer.Ordinal);
        var reps = repsBefore.Keys.Union(repsAfter.Keys)
            .Select(id => new RepDelta(id,
                (repsAfter.GetValueOrDefault(id) ?? repsBefore[id]).Name,
                repsBefore.GetValueOrDefault(id)?.Leads ?? 0,
                repsAfter.GetValueOrDefault(id)?.Leads ?? 0))
            .OrderByDescending(d => Math.Abs(d.Delta))
            .ThenBy(d => d.RepId, StringComparer.Ordinal)
            .ToList();

        // Tiers in the order of the new rules, then tiers the new rules dropped.
        var tierNames = after.LeadsPerTier.Select(t => t.Tier).Concat(before.LeadsPerTier.Select(t => t.Tier)).Distinct().ToList();
        var tiers = tierNames.Select(name =>
        {
            var b = before.LeadsPerTier.FirstOrDefault(t => t.Tier == name);
            var a = after.LeadsPerTier.FirstOrDefault(t => t.Tier == name);
            return new TierDelta(name, b?.Routed ?? 0, a?.Routed ?? 0, b?.Unroutable ?? 0, a?.Unroutable ?? 0);
        }).ToList();

        return new RoutingComparisonResult(changes, reps, tiers, before.Gini, after.Gini, before.Unroutable.Count, after.Unroutable.Count);
    }

    private static Dictionary<string, LeadOutcome> Outcomes(RoutingRun run)
    {
        var outcomes = new Dictionary<string, LeadOutcome>(run.Decisions.Count + run.Unroutable.Count, StringComparer.Ordinal);
        foreach (var d in run.Decisions)
            outcomes[d.LeadId] = new LeadOutcome(d.RepId, d.Tier, d.Mode);
        foreach (var u in run.Unroutable)
            outcomes[u.LeadId] = new LeadOutcome(null, u.Tier, null);
        return outcomes;
    }
}

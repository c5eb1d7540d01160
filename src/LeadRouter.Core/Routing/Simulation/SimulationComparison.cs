namespace LeadRouter.Routing.Simulation;

/// <summary>A figure under the baseline rules (Before) and the rules tried (After).</summary>
public sealed record FigurePair(double Before, double After)
{
    public double Difference => After - Before;
}

/// <summary>
/// Two rule files replayed over the same weeks, side by side: each headline figure for both and the
/// difference, per tier and per rep, and how many leads the two send to different reps
/// (<see cref="LeadsToAnotherRep"/>: a lead one routes and the other leaves unroutable counts too).
/// </summary>
public sealed record SimulationComparison(
    SimulationReport Baseline,
    SimulationReport Rules,
    FigurePair Routed,
    FigurePair Unroutable,
    FigurePair Gini,
    FigurePair RepWeeksUnderFloor,
    FigurePair DifferentFromActual,
    IReadOnlyList<TierDelta> Tiers,
    IReadOnlyList<RepDelta> Reps,
    int LeadsToAnotherRep)
{
    public static SimulationComparison Of(SimulationReport baseline, SimulationReport rules)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(rules);
        var tierNames = rules.Tiers.Select(t => t.Tier).Concat(baseline.Tiers.Select(t => t.Tier)).Distinct(StringComparer.Ordinal);
        var tiers = tierNames.Select(name =>
        {
            var b = baseline.Tiers.FirstOrDefault(t => t.Tier == name);
            var a = rules.Tiers.FirstOrDefault(t => t.Tier == name);
            return new TierDelta(name, b?.Routed ?? 0, a?.Routed ?? 0, b?.Unroutable ?? 0, a?.Unroutable ?? 0);
        }).ToList();
        var before = baseline.Reps.ToDictionary(r => r.RepId, StringComparer.Ordinal);
        var after = rules.Reps.ToDictionary(r => r.RepId, StringComparer.Ordinal);
        var reps = before.Keys.Union(after.Keys, StringComparer.Ordinal)
            .Select(id => new RepDelta(id, (after.GetValueOrDefault(id) ?? before[id]).Name,
                before.GetValueOrDefault(id)?.Received ?? 0, after.GetValueOrDefault(id)?.Received ?? 0))
            .OrderByDescending(d => Math.Abs(d.Delta))
            .ThenBy(d => d.RepId, StringComparer.Ordinal)
            .ToList();
        return new SimulationComparison(baseline, rules,
            new(baseline.Routed, rules.Routed),
            new(baseline.Unroutable, rules.Unroutable),
            new(baseline.Fairness.Gini, rules.Fairness.Gini),
            new(baseline.Fairness.RepWeeksUnderFloor, rules.Fairness.RepWeeksUnderFloor),
            new(baseline.AgainstActual.DifferentRep, rules.AgainstActual.DifferentRep),
            tiers, reps,
            baseline.RepOfLead.Keys.Union(rules.RepOfLead.Keys, StringComparer.Ordinal)
                .Count(id => baseline.RepOfLead.GetValueOrDefault(id) != rules.RepOfLead.GetValueOrDefault(id)));
    }
}

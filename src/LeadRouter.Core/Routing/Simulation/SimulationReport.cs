using LeadRouter.Org;
using LeadRouter.Rules;

namespace LeadRouter.Routing.Simulation;

/// <summary>One replayed week: its pool, what was routed, its fairness, and each tier's share of the routed leads.</summary>
/// <param name="EligibleReps">Reps eligible for at least one pooled lead (those the Gini is over).</param>
/// <param name="UnderFloor">Eligible reps who ended the week under the weekly floor.</param>
/// <param name="TrustKept">Reps whose trust came from the week's stored score rather than a recomputation.</param>
public sealed record WeekFigures(
    string Week, DateTimeOffset Start, DateTimeOffset End, int Pooled, int Routed, int Unroutable, double Gini,
    int EligibleReps, int UnderFloor, int Ramping, int TrustKept, IReadOnlyList<TierShare> Tiers);

public sealed record TierShare(string Tier, int Routed, double Share);

/// <summary>A tier over the replayed weeks.</summary>
/// <param name="MeanTrust">Mean scored trust of the reps who got the tier's leads, per lead; null when none was routed.</param>
/// <param name="CapacityUsed">Leads routed ÷ (weekly capacity × reps eligible for the tier, summed over the weeks); null when unlimited.</param>
/// <param name="Unroutable">The tier's leads still unroutable after the last week.</param>
public sealed record TierFigures(
    string Tier, RoutingMode Mode, int? WeeklyCapacity, int Routed, double Share, double? MeanTrust, double? CapacityUsed, int Unroutable);

/// <summary>A rep over the replayed weeks (reps eligible for at least one lead in at least one week).</summary>
/// <param name="Trust">Mean of the rep's own trust over the weeks they were eligible.</param>
/// <param name="CapacityUsed">
/// Leads of capacity-limited tiers ÷ the capacity of those tiers in the weeks the rep was eligible for them; null when none applies.
/// </param>
public sealed record RepFigures(
    string RepId, string Name, int Received, double Share, double Trust, int WeeksEligible, int WeeksRamping,
    IReadOnlyDictionary<string, int> ReceivedByTier, double? CapacityUsed);

/// <summary>Fairness over the replayed weeks: Gini of leads received per rep, floor and ramp.</summary>
public sealed record FairnessFigures(double Gini, int WeeklyFloor, int RepWeeksUnderFloor, int RampingReps);

public sealed record ReasonCount(UnroutableReason Reason, int Leads);

/// <summary>A lead the replay gave to another rep than the one who owns it now.</summary>
public sealed record OwnerDifference(
    string LeadId, string? Company, string Week, string SimulatedRepId, string SimulatedRep, double SimulatedTrust,
    string ActualOwnerId, string ActualOwner, double? ActualTrust);

/// <summary>
/// The replay against what really happened: the owner each lead has now (as synced from Salesforce).
/// Trust is each rep's trust in the week of the replayed decision.
/// </summary>
/// <param name="StillQueued">Leads the replay routed that are still in a queue today.</param>
/// <param name="UnroutedButOwned">Leads the replay left unroutable that a user owns today.</param>
/// <param name="MeanActualTrust">Over the different owners who had a trust standing that week (<paramref name="ActualNotScored"/> had none).</param>
public sealed record ActualComparison(
    int Routed, int SameRep, int DifferentRep, int StillQueued, int UnroutedButOwned,
    double? MeanSimulatedTrust, double? MeanActualTrust, int ActualNotScored, IReadOnlyList<OwnerDifference> Examples);

/// <summary>The replay of a set of rules over past weeks: per week, tier and rep, fairness, unroutable leads and the comparison with today's owners.</summary>
public sealed record SimulationReport(
    string RulesVersion,
    string RulesHash,
    RoutingPolicy Policy,
    int Routed,
    int Unroutable,
    IReadOnlyList<WeekFigures> Weeks,
    IReadOnlyList<TierFigures> Tiers,
    IReadOnlyList<RepFigures> Reps,
    FairnessFigures Fairness,
    IReadOnlyList<ReasonCount> UnroutableByReason,
    ActualComparison AgainstActual,
    IReadOnlyList<string> Warnings)
{
    public const int ExamplesShown = 10;

    /// <summary>The rep the replay gave each routed lead, by lead id (for comparing two rule files; not part of the printed report).</summary>
    internal IReadOnlyDictionary<string, string> RepOfLead { get; init; } = new Dictionary<string, string>();

    internal static SimulationReport Summarise(RoutingRules rules, SimulationInput input, IReadOnlyList<RoutingRun> runs)
    {
        var weeks = input.Weeks;
        var standings = weeks.Select(w => w.Reps.ToDictionary(s => Ids.Key(s.RepId), StringComparer.Ordinal)).ToList();
        var routed = runs.Sum(r => r.Decisions.Count);

        // Reps eligible for each tier each week: those on the eligible list of one of the tier's decisions.
        // Decisions of one group share their candidates, so each list is read once, not once per lead.
        var eligibleInTier = runs.Select(run => rules.Tiers.Select(t => run.Decisions.Where(d => d.Tier == t.Name)
            .Select(d => d.Candidates).Distinct().SelectMany(c => c.Eligible).Select(r => r.RepId)
            .ToHashSet(StringComparer.Ordinal)).ToList()).ToList();

        var weekFigures = runs.Select((run, w) => new WeekFigures(
            weeks[w].Week, weeks[w].Start, weeks[w].End, run.PoolSize, run.Decisions.Count, run.Unroutable.Count, run.Gini,
            run.LeadsPerRep.Count,
            rules.Fairness.WeeklyFloor > 0 ? run.LeadsPerRep.Count(r => r.LeadsThisWeek < rules.Fairness.WeeklyFloor) : 0,
            run.LeadsPerRep.Count(r => standings[w][Ids.Key(r.RepId)].IsRamping(rules.Fairness)),
            weeks[w].TrustKept,
            run.LeadsPerTier.Select(t => new TierShare(t.Tier, t.Routed, Ratio(t.Routed, run.Decisions.Count))).ToList())).ToList();

        // The leads never routed, with the reason of the last week they waited.
        var lastUnroutable = new Dictionary<string, UnroutableLead>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            foreach (var u in run.Unroutable)
                lastUnroutable[u.LeadId] = u;
        }
        var decided = runs.SelectMany(r => r.Decisions).Select(d => d.LeadId).ToHashSet(StringComparer.Ordinal);
        var unroutable = lastUnroutable.Values.Where(u => !decided.Contains(u.LeadId)).ToList();

        var tiers = rules.Tiers.Select((tier, t) =>
        {
            var decisions = runs.SelectMany(r => r.Decisions).Where(d => d.Tier == tier.Name).ToList();
            var capacity = tier.WeeklyCapacity is { } c ? (double)c * eligibleInTier.Sum(w => w[t].Count) : (double?)null;
            return new TierFigures(tier.Name, tier.Mode, tier.WeeklyCapacity, decisions.Count, Ratio(decisions.Count, routed),
                decisions.Count == 0 ? null : decisions.Average(d => d.Rep.ScoredTrust),
                capacity is { } cap && cap > 0 ? decisions.Count / cap : null,
                unroutable.Count(u => u.Tier == tier.Name));
        }).ToList();

        var reps = RepFiguresOf(rules, runs, standings, eligibleInTier, routed);
        var fairness = new FairnessFigures(
            GiniCoefficient.Of(reps.Select(r => r.Received).ToList()),
            rules.Fairness.WeeklyFloor,
            weekFigures.Sum(w => w.UnderFloor),
            reps.Count(r => r.WeeksRamping > 0));
        var byReason = unroutable.GroupBy(u => u.Reason).OrderBy(g => g.Key).Select(g => new ReasonCount(g.Key, g.Count())).ToList();

        return new SimulationReport(rules.Version, rules.Hash, rules.Policy, routed, unroutable.Count, weekFigures, tiers, reps, fairness,
            byReason, CompareWithActual(input, runs, standings, unroutable), runs.SelectMany(r => r.Warnings).Distinct().ToList())
        {
            RepOfLead = runs.SelectMany(r => r.Decisions).ToDictionary(d => d.LeadId, d => d.RepId, StringComparer.Ordinal),
        };
    }

    private static List<RepFigures> RepFiguresOf(
        RoutingRules rules, IReadOnlyList<RoutingRun> runs, List<Dictionary<string, RepStanding>> standings,
        List<List<HashSet<string>>> eligibleInTier, int routed)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var received = new Dictionary<(string Rep, int Tier), int>();
        var weeksEligible = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var tierIndex = rules.Tiers.Select((t, i) => (t.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        for (var w = 0; w < runs.Count; w++)
        {
            foreach (var tally in runs[w].LeadsPerRep)
            {
                names[tally.RepId] = tally.Name;
                (weeksEligible.TryGetValue(tally.RepId, out var list) ? list : weeksEligible[tally.RepId] = []).Add(w);
            }
            foreach (var d in runs[w].Decisions)
                received[(d.RepId, tierIndex[d.Tier])] = received.GetValueOrDefault((d.RepId, tierIndex[d.Tier])) + 1;
        }

        return weeksEligible.Select(e =>
        {
            var (repId, weeks) = (e.Key, e.Value);
            var byTier = rules.Tiers.Select((t, i) => (t.Name, Count: received.GetValueOrDefault((repId, i))))
                .ToDictionary(x => x.Name, x => x.Count, StringComparer.Ordinal);
            var total = byTier.Values.Sum();
            var limited = rules.Tiers.Select((t, i) => (Tier: t, Index: i)).Where(x => x.Tier.WeeklyCapacity is not null).ToList();
            var capacity = limited.Sum(x => x.Tier.WeeklyCapacity!.Value * eligibleInTier.Count(week => week[x.Index].Contains(repId)));
            var used = limited.Sum(x => received.GetValueOrDefault((repId, x.Index)));
            var own = weeks.Select(w => standings[w][Ids.Key(repId)]).ToList();
            return new RepFigures(repId, names[repId], total, Ratio(total, routed), own.Average(s => s.Trust), weeks.Count,
                own.Count(s => s.IsRamping(rules.Fairness)), byTier, capacity > 0 ? used / (double)capacity : null);
        })
        .OrderByDescending(r => r.Received)
        .ThenByDescending(r => r.Trust)
        .ThenBy(r => r.RepId, StringComparer.Ordinal)
        .ToList();
    }

    private static ActualComparison CompareWithActual(
        SimulationInput input, IReadOnlyList<RoutingRun> runs, List<Dictionary<string, RepStanding>> standings, List<UnroutableLead> unroutable)
    {
        var owners = input.Leads.ToDictionary(l => l.Id, l => l.OwnerId, StringComparer.Ordinal);
        var names = input.Users.ToDictionary(u => Ids.Key(u.Id), u => u.Name, StringComparer.Ordinal);
        var (same, stillQueued) = (0, 0);
        var different = new List<OwnerDifference>();
        for (var w = 0; w < runs.Count; w++)
        {
            foreach (var d in runs[w].Decisions)
            {
                var owner = owners[d.LeadId];
                if (!IdPrefix.IsUser(owner))
                    stillQueued++;
                else if (Ids.Key(owner) == Ids.Key(d.RepId))
                    same++;
                else
                {
                    different.Add(new OwnerDifference(d.LeadId, d.Lead.Company, input.Weeks[w].Week, d.RepId, d.Rep.Name, d.Rep.Trust,
                        owner, names.GetValueOrDefault(Ids.Key(owner)) ?? owner, standings[w].GetValueOrDefault(Ids.Key(owner))?.Trust));
                }
            }
        }
        var scored = different.Where(d => d.ActualTrust is not null).ToList();
        return new ActualComparison(
            runs.Sum(r => r.Decisions.Count), same, different.Count, stillQueued,
            unroutable.Count(u => IdPrefix.IsUser(owners[u.LeadId])),
            different.Count == 0 ? null : different.Average(d => d.SimulatedTrust),
            scored.Count == 0 ? null : scored.Average(d => d.ActualTrust!.Value),
            different.Count - scored.Count,
            different.Take(ExamplesShown).ToList());
    }

    private static double Ratio(int part, int whole) => whole == 0 ? 0 : part / (double)whole;
}

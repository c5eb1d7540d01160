using LeadRouter.Org;
using LeadRouter.Rules;

namespace LeadRouter.Routing;

/// <summary>
/// Routes a lead pool to reps: pure and deterministic (no clock, culture or I/O; ties go to the lower
/// rep id). Steps: pool, tier, eligible reps per group of alike leads, then allocation in two passes:
/// first the weekly floor is served from the lowest-priority leads (so the floor never costs the best
/// reps their best leads), then every other lead, in priority order, goes by the policy.
/// </summary>
public sealed class RoutingEngine
{
    private readonly RoutingRules _rules;
    private readonly RoutingInput _input;
    private readonly List<string> _warnings = [];
    private readonly LeadClassifier _classifier;
    private readonly LeadTakers _takers;
    private readonly Dictionary<(int Tier, int Territory, string Key), RoutingGroup> _groups = new(GroupKeyComparer.Instance);

    // Allocation state: leads per (tier, rep) this week, per rep this week and in this run.
    private readonly int[] _usedInTier;
    private readonly int[] _weekTotal;
    private readonly int[] _runTotal;
    private readonly int[] _capacity;
    private readonly List<RoutingGroup>?[] _groupsOfRepInTier;
    private readonly bool[] _eligibleSomewhere;
    private int _underFloor;

    private RoutingEngine(RoutingRules rules, RoutingInput input)
    {
        _rules = rules;
        _input = input;
        _classifier = new LeadClassifier(rules, input.Queues, _warnings);
        _takers = new LeadTakers(rules, input, _warnings);
        var cells = rules.Tiers.Count * _takers.Count;
        _usedInTier = new int[cells];
        _groupsOfRepInTier = new List<RoutingGroup>?[cells];
        _weekTotal = new int[_takers.Count];
        _runTotal = new int[_takers.Count];
        _eligibleSomewhere = new bool[_takers.Count];
        _capacity = rules.Tiers.Select(t => t.WeeklyCapacity ?? int.MaxValue).ToArray();
        CountPriorAssignments();
    }

    public static RoutingRun Route(RoutingRules rules, RoutingInput input)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(input);
        return new RoutingEngine(rules, input).Run();
    }

    private int Floor => _rules.Fairness.WeeklyFloor;

    private RoutingRun Run()
    {
        var pool = Classify();
        var decisions = new RoutingDecision?[pool.Count];
        var unroutable = new List<UnroutableLead>();

        if (Floor > 0)
        {
            for (var i = pool.Count - 1; i >= 0 && _underFloor > 0; i--)
            {
                if (pool[i].Group is { } group && PickUnderFloor(group) is { } rep)
                    decisions[i] = Assign(pool[i], group, rep, DecisionBasis.WeeklyFloor);
            }
        }

        var basis = _rules.Policy switch
        {
            RoutingPolicy.StrictTrust => DecisionBasis.StrictTrust,
            RoutingPolicy.RoundRobin => DecisionBasis.RoundRobin,
            _ => DecisionBasis.TrustWeighted,
        };
        for (var i = 0; i < pool.Count; i++)
        {
            if (decisions[i] is not null)
                continue;
            if (pool[i].Group is { Eligible.Length: > 0 } group && PickByPolicy(group) is { } rep)
                decisions[i] = Assign(pool[i], group, rep, basis);
            else
                unroutable.Add(Unroutable(pool[i]));
        }

        return Summarise(pool.Count, decisions.OfType<RoutingDecision>().ToList(), unroutable);
    }

    // ---- pool, tiers and groups ----

    private List<PooledLead> Classify()
    {
        var pool = new List<PooledLead>(_input.Leads.Count);
        var ids = new HashSet<string>(_input.Leads.Count, StringComparer.Ordinal);
        foreach (var lead in _input.Leads)
        {
            if (!_classifier.InPool(lead, _input.AsOf))
                continue;
            if (!ids.Add(lead.Id))
                throw new ArgumentException($"Lead {lead.Id} appears more than once in the routing input.");
            if (_classifier.TierOf(lead) is not var (tier, rule))
            {
                pool.Add(new PooledLead(lead, int.MaxValue, null, -1, null));
                continue;
            }
            var territory = _classifier.HasTerritories ? _classifier.TerritoryOf(lead) : -1;
            var group = _classifier.HasTerritories && territory < 0 ? null : GroupFor(tier, territory, lead);
            pool.Add(new PooledLead(lead, tier, rule, territory, group));
        }
        // Priority: tier order, then newest first, then id, so equal inputs give equal runs.
        pool.Sort(static (a, b) =>
        {
            var c = a.Tier.CompareTo(b.Tier);
            if (c == 0)
                c = b.CreatedTicks.CompareTo(a.CreatedTicks);
            return c != 0 ? c : string.CompareOrdinal(a.Lead.Id, b.Lead.Id);
        });
        return pool;
    }

    private RoutingGroup GroupFor(int tierIndex, int territory, Lead lead)
    {
        var key = (tierIndex, territory, territory < 0 ? "" : _classifier.TerritoryKey(territory, lead));
        if (!_groups.TryGetValue(key, out var group))
        {
            group = BuildGroup(tierIndex, territory, lead);
            _groups.Add(key, group);
        }
        return group;
    }

    private RoutingGroup BuildGroup(int tierIndex, int territory, Lead lead)
    {
        var tier = _rules.Tiers[tierIndex];
        var covers = territory < 0 ? (_ => true) : _classifier.Covers(territory, lead);
        var eligible = new List<int>();
        var excluded = new Dictionary<ExclusionReason, (int Count, List<string> Names)>();
        for (var r = 0; r < _takers.Count; r++)
        {
            var view = _takers.Views[r];
            var reason = _takers.PersonalExclusion[r]
                ?? (!covers(_takers.Users[r]) ? ExclusionReason.Territory
                : view is null ? ExclusionReason.NotScored
                : view.ScoredTrust < tier.MinTrust ? ExclusionReason.BelowMinTrust
                : view.Confidence < tier.MinConfidence ? ExclusionReason.BelowMinConfidence
                : null);
            if (reason is not { } why)
            {
                eligible.Add(r);
                continue;
            }
            var (count, names) = excluded.GetValueOrDefault(why, (0, []));
            if (names.Count < CandidateReps.NamesShown)
                names.Add(_takers.Users[r].Name);
            excluded[why] = (count + 1, names);
        }

        var ordered = eligible.OrderByDescending(r => _takers.Views[r]!.ScoredTrust).ThenBy(r => r).ToArray();
        var candidates = new CandidateReps(
            territory < 0 ? null : _classifier.TerritoryName(territory),
            ordered.Select(r => _takers.Views[r]!).ToList(),
            excluded.OrderBy(e => e.Key).Select(e => new Exclusion(e.Key, e.Value.Count, e.Value.Names)).ToList());
        var group = new RoutingGroup(tierIndex, tier, candidates, ordered, ordered.Sum(r => _takers.Weights[r]));

        foreach (var r in ordered)
        {
            (_groupsOfRepInTier[Cell(tierIndex, r)] ??= []).Add(group);
            if (!_eligibleSomewhere[r])
            {
                _eligibleSomewhere[r] = true;
                if (_weekTotal[r] < Floor)
                    _underFloor++;
            }
        }
        foreach (var r in ordered.Where(r => _usedInTier[Cell(tierIndex, r)] >= _capacity[tierIndex]).OrderBy(r => r))
        {
            group.AtCapacity++;
            group.Candidates.FilledUp.Add(_takers.Users[r].Name);
        }
        return group;
    }

    private void CountPriorAssignments()
    {
        var tierIndex = _rules.Tiers.Select((t, i) => (t.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.OrdinalIgnoreCase);
        foreach (var prior in _input.AssignedThisWeek)
        {
            if (_takers.IndexOf(prior.RepId) is not { } rep)
                continue;
            _weekTotal[rep]++;
            if (tierIndex.TryGetValue(prior.Tier, out var t))
                _usedInTier[Cell(t, rep)]++;
        }
    }

    // ---- allocation ----

    private int Cell(int tier, int rep) => (tier * _takers.Count) + rep;

    private bool HasCapacity(RoutingGroup group, int rep) =>
        _usedInTier[Cell(group.TierIndex, rep)] < _capacity[group.TierIndex];

    /// <summary>
    /// The rep whose turn it is under the policy. TrustWeighted is smooth weighted round robin in heap
    /// form: a rep's next lead falls due at (leads this week in the tier + ½) / weight and the earliest
    /// due goes first, the same interleaving as nginx's smooth WRR (A A B A A for weights 4:1) in
    /// O(log n). RoundRobin is the same with equal weights; StrictTrust orders by trust alone.
    /// Keys only grow, so a stale key is refreshed when it reaches the top (lazy update).
    /// </summary>
    private int? PickByPolicy(RoutingGroup group)
    {
        var queue = group.PolicyQueue ??= new PriorityQueue<int, Priority>(group.Eligible.Select(r => (r, PolicyKey(group, r))));
        while (queue.TryPeek(out var rep, out var key))
        {
            if (!HasCapacity(group, rep))
            {
                queue.Dequeue();
                continue;
            }
            var current = PolicyKey(group, rep);
            if (current.CompareTo(key) == 0)
                return rep;
            queue.DequeueEnqueue(rep, current);
        }
        return null;
    }

    private Priority PolicyKey(RoutingGroup group, int rep) => _rules.Policy == RoutingPolicy.StrictTrust
        ? new Priority(-_takers.Views[rep]!.ScoredTrust, 0, rep)
        : new Priority((_usedInTier[Cell(group.TierIndex, rep)] + 0.5) / _takers.Weights[rep], 0, rep);

    /// <summary>The eligible rep furthest below the weekly floor (fewest leads this week, then highest trust), if any.</summary>
    private int? PickUnderFloor(RoutingGroup group)
    {
        var queue = group.FloorQueue ??= new PriorityQueue<int, Priority>(group.Eligible
            .Where(r => _weekTotal[r] < Floor)
            .Select(r => (r, FloorKey(r))));
        while (queue.TryPeek(out var rep, out var key))
        {
            if (_weekTotal[rep] >= Floor || !HasCapacity(group, rep))
            {
                queue.Dequeue();
                continue;
            }
            var current = FloorKey(rep);
            if (current.CompareTo(key) == 0)
                return rep;
            queue.DequeueEnqueue(rep, current);
        }
        return null;
    }

    private Priority FloorKey(int rep) => new(_weekTotal[rep], -_takers.Views[rep]!.ScoredTrust, rep);

    private RoutingDecision Assign(PooledLead lead, RoutingGroup group, int rep, DecisionBasis basis)
    {
        var cell = Cell(group.TierIndex, rep);
        var share = basis == DecisionBasis.TrustWeighted
            ? _takers.Weights[rep] / group.TotalWeight
            : 1.0 / group.Eligible.Length;
        var decision = new RoutingDecision(lead.Lead, group.Tier, lead.Rule!, group.Candidates, _takers.Views[rep]!, basis, share,
            basis == DecisionBasis.WeeklyFloor ? _weekTotal[rep] : _usedInTier[cell], Floor, group.AtCapacity);

        _usedInTier[cell]++;
        _runTotal[rep]++;
        if (++_weekTotal[rep] == Floor)
            _underFloor--;
        if (_usedInTier[cell] == _capacity[group.TierIndex])
        {
            foreach (var g in _groupsOfRepInTier[cell]!)
            {
                g.AtCapacity++;
                g.Candidates.FilledUp.Add(_takers.Users[rep].Name);
            }
        }
        return decision;
    }

    // ---- results ----

    private UnroutableLead Unroutable(PooledLead lead)
    {
        if (lead.Rule is null)
        {
            return new UnroutableLead(lead.Lead, null, null, null, UnroutableReason.NoTierRule,
                "no tier rule matches this lead; a rule without conditions at the end of the last tier catches every lead", []);
        }
        var tier = _rules.Tiers[lead.Tier];
        if (_classifier.HasTerritories && lead.Territory < 0)
        {
            return new UnroutableLead(lead.Lead, tier.Name, lead.Rule, null, UnroutableReason.NoTerritory,
                "no territory matches this lead; a territory without 'when' conditions at the end catches every lead", []);
        }
        var group = lead.Group!;
        var (reason, message, excluded) = group.Verdict ??= Verdict(group);
        return new UnroutableLead(lead.Lead, tier.Name, lead.Rule, group.Candidates.Territory, reason, message, excluded);
    }

    private static (UnroutableReason, string, IReadOnlyList<Exclusion>) Verdict(RoutingGroup group)
    {
        var where = group.Candidates.Territory is { } t ? $" in territory {t}" : "";
        var tier = group.Tier;
        if (group.Eligible.Length == 0)
        {
            var excluded = group.Candidates.Excluded;
            return (UnroutableReason.NoEligibleRep, $"no rep can take tier {tier.Name} leads{where}: {string.Join("; ", excluded)}", excluded);
        }
        return (UnroutableReason.AllAtCapacity,
            $"all {group.Eligible.Length} eligible reps{where} have used this week's tier {tier.Name} capacity of {tier.WeeklyCapacity}",
            group.Candidates.ExcludedWhen(group.AtCapacity));
    }

    private RoutingRun Summarise(int poolSize, List<RoutingDecision> decisions, List<UnroutableLead> unroutable)
    {
        var reps = Enumerable.Range(0, _takers.Count)
            .Where(r => _eligibleSomewhere[r])
            .Select(r => new RepTally(_takers.Users[r].Id, _takers.Users[r].Name, _takers.Views[r]!.ScoredTrust, _runTotal[r], _weekTotal[r]))
            .ToList();
        var tiers = _rules.Tiers
            .Select(t => new TierTally(t.Name, t.Mode,
                decisions.Count(d => d.Tier == t.Name),
                unroutable.Count(u => u.Tier == t.Name)))
            .ToList();
        return new RoutingRun(_input.AsOf, _rules.Policy, _rules.Version, _rules.Hash, poolSize, decisions, unroutable,
            reps, tiers, GiniCoefficient.Of(reps.Select(r => r.Leads).ToList()), _warnings);
    }

    /// <summary>A lead of the pool with its tier (int.MaxValue when no rule matched), territory (-1: none) and group.</summary>
    private readonly record struct PooledLead(Lead Lead, int Tier, string? Rule, int Territory, RoutingGroup? Group)
    {
        public long CreatedTicks { get; } = Lead.CreatedDate.UtcTicks;
    }
}

/// <summary>Inequality of leads per rep: 0 when every rep has the same number, towards 1 when one rep has them all.</summary>
public static class GiniCoefficient
{
    public static double Of(IReadOnlyCollection<int> counts)
    {
        long total = counts.Sum(c => (long)c);
        if (counts.Count == 0 || total == 0)
            return 0;
        // With counts sorted ascending x1..xn: G = 2·Σ i·xi / (n·Σ xi) − (n + 1) / n.
        double weighted = 0;
        var i = 0;
        foreach (var c in counts.Order())
            weighted += ++i * (double)c;
        var n = counts.Count;
        return (2 * weighted / (n * (double)total)) - ((n + 1) / (double)n);
    }
}

using LeadRouter.Org;
using LeadRouter.Rules;

namespace LeadRouter.Routing.Simulation;

/// <summary>
/// What a replay reads: the weeks (with each rep's trust as it stood then) and the org as the store
/// holds it now: its users, queues and leads, whose OwnerId is the owner Salesforce holds today.
/// </summary>
public sealed record SimulationInput(IReadOnlyList<SimulatedWeek> Weeks, IReadOnlyList<Lead> Leads, IReadOnlyList<User> Users, IReadOnlyList<Queue> Queues);

/// <summary>
/// Replays routing over past weeks with a set of rules: pure and deterministic (the routing engine does
/// the routing; this decides which leads were queued when, and sums up). Each week is one run as of its
/// last moment, with no earlier assignments that week (capacity and the floor start afresh), over:
/// <list type="bullet">
/// <item>leads created that week, now in a routing queue or owned by a user. The store keeps no owner
/// history, so a lead a user owns now is taken to have come through a queue (replayed in the first of the
/// rules' queues) and to have been open then; its other fields are as synced now. A lead another queue
/// owns never reached routing and is left out;</item>
/// <item>leads created before the first week and still open in a routing queue (the backlog);</item>
/// <item>leads an earlier replayed week could not route: they wait in the queue, as they would have.</item>
/// </list>
/// </summary>
public static class RoutingSimulation
{
    public static SimulationReport Run(RoutingRules rules, SimulationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Weeks.Count == 0)
            throw new ArgumentException("A simulation replays at least one week.", nameof(input));
        var replay = new RoutingReplay(rules, input.Leads, input.Users, input.Queues, input.Weeks[0].Start, input.Weeks[^1].End);
        foreach (var week in input.Weeks)
            replay.Route(week);
        return replay.Finish();
    }
}

/// <summary>
/// A replay (see <see cref="RoutingSimulation"/>) fed one week at a time, oldest first, so that a caller can
/// still be scoring the later weeks' trust while the earlier weeks are routed. Each week's leftovers wait
/// for the next, so the weeks are routed in order.
/// </summary>
public sealed class RoutingReplay
{
    private readonly RoutingRules rules;
    private readonly IReadOnlyList<Lead> leads;
    private readonly IReadOnlyList<User> users;
    private readonly IReadOnlyList<Queue> queues;
    private readonly DateTimeOffset end;
    private readonly List<SimulatedWeek> weeks = [];
    private readonly List<RoutingRun> runs = [];
    private List<Lead> waiting;

    /// <param name="start">The start of the first week to replay.</param>
    /// <param name="end">The end of the last week to replay.</param>
    public RoutingReplay(
        RoutingRules rules, IReadOnlyList<Lead> leads, IReadOnlyList<User> users, IReadOnlyList<Queue> queues, DateTimeOffset start, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(leads);
        if (start >= end)
            throw new ArgumentException($"A replay ends after it starts, not at {end:O} for a start at {start:O}.", nameof(end));
        (this.rules, this.leads, this.users, this.queues, this.end) = (rules, leads, users, queues, end);
        waiting = Queued(rules, leads, queues, start, end);
    }

    /// <summary>Routes the next week, as of its last moment, over the leads waiting then.</summary>
    public void Route(SimulatedWeek week)
    {
        ArgumentNullException.ThrowIfNull(week);
        if (weeks.Count > 0 && week.Start < weeks[^1].End || week.End > end)
            throw new ArgumentException($"Week {week.Week} is not the next week of the replay.", nameof(week));
        var run = RoutingEngine.Route(rules, new RoutingInput(waiting, users, queues, week.Reps, [], week.AsOf));
        weeks.Add(week);
        runs.Add(run);
        var routed = run.Decisions.Select(d => d.LeadId).ToHashSet(StringComparer.Ordinal);
        waiting = waiting.Where(l => !routed.Contains(l.Id)).ToList();
    }

    /// <summary>The report over the weeks routed.</summary>
    public SimulationReport Finish()
    {
        if (weeks.Count == 0)
            throw new InvalidOperationException("A simulation replays at least one week.");
        return SimulationReport.Summarise(rules, new SimulationInput(weeks, leads, users, queues), runs);
    }

    /// <summary>The leads as they stood in the queues during the replayed weeks (see <see cref="RoutingSimulation"/>).</summary>
    private static List<Lead> Queued(RoutingRules rules, IReadOnlyList<Lead> leads, IReadOnlyList<Queue> queues, DateTimeOffset first, DateTimeOffset end)
    {
        var routingQueues = RoutingQueues.Resolve(rules, queues);
        var replayQueue = routingQueues.Order(StringComparer.Ordinal).FirstOrDefault();
        var closed = rules.ClosedStatuses.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var queued = new List<Lead>(leads.Count);
        foreach (var lead in leads)
        {
            if (lead.CreatedDate >= end)
                continue;
            if (lead.CreatedDate < first)
            {
                queued.Add(lead);
                continue;
            }
            var owner = routingQueues.Contains(Ids.Key(lead.OwnerId)) ? lead.OwnerId
                : IdPrefix.IsUser(lead.OwnerId) ? replayQueue
                : null;
            if (owner is null)
                continue;
            queued.Add(lead with
            {
                OwnerId = owner,
                IsConverted = false,
                Status = lead.Status is not null && closed.Contains(lead.Status) ? null : lead.Status,
            });
        }
        return queued;
    }
}

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
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Weeks.Count == 0)
            throw new ArgumentException("A simulation replays at least one week.", nameof(input));

        var waiting = Queued(rules, input);
        var runs = new List<RoutingRun>(input.Weeks.Count);
        foreach (var week in input.Weeks)
        {
            var run = RoutingEngine.Route(rules, new RoutingInput(waiting, input.Users, input.Queues, week.Reps, [], week.AsOf));
            runs.Add(run);
            var routed = run.Decisions.Select(d => d.LeadId).ToHashSet(StringComparer.Ordinal);
            waiting = waiting.Where(l => !routed.Contains(l.Id)).ToList();
        }
        return SimulationReport.Summarise(rules, input, runs);
    }

    /// <summary>The leads as they stood in the queues during the replayed weeks (see the class summary).</summary>
    private static List<Lead> Queued(RoutingRules rules, SimulationInput input)
    {
        var routingQueues = RoutingQueues.Resolve(rules, input.Queues);
        var replayQueue = routingQueues.Order(StringComparer.Ordinal).FirstOrDefault();
        var closed = rules.ClosedStatuses.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var (first, end) = (input.Weeks[0].Start, input.Weeks[^1].End);
        var queued = new List<Lead>(input.Leads.Count);
        foreach (var lead in input.Leads)
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

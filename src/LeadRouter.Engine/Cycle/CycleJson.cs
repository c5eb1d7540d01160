using LeadRouter.Routing;
using LeadRouter.Trust;

namespace LeadRouter.Cycle;

/// <summary>The JSON documents the store keeps beside scores and recommendations (their "why").</summary>
internal static class CycleJson
{
    public static object Evidence(RepTrust rep) => new
    {
        rep.WeeksOfData,
        rep.Change,
        Components = rep.Components.Select(c => new { Kind = c.Kind.ToString(), c.Value, c.Weight, c.Hits, c.OutOf, c.Evidence }),
        Improvements = rep.Improvements.Select(i => i.Text),
    };

    public static object Reasons(RoutingDecision decision) => new
    {
        // The queue the lead was routed from, kept for the LeadAssigned event of a retry that finds the owner
        // already written: by then a sync may have replaced the queue in the store's copy of the lead.
        Queue = decision.Lead.OwnerId,
        decision.Rule,
        decision.Territory,
        decision.Why,
        Basis = decision.Basis.ToString(),
        Eligible = decision.EligibleReps.Count,
        Excluded = decision.ExcludedReps.Select(e => e.ToString()),
    };

    public static object Reasons(UnroutableLead lead) => new
    {
        lead.Rule,
        lead.Territory,
        Reason = lead.Reason.ToString(),
        lead.Message,
        Excluded = lead.ExcludedReps.Select(e => e.ToString()),
    };

    public static object RunSummary(RoutingRun run) => new
    {
        run.RulesVersion,
        run.PoolSize,
        Routed = run.Decisions.Count,
        Unroutable = run.Unroutable.Count,
        Tiers = run.LeadsPerTier.Select(t => new { t.Tier, Mode = t.Mode.ToString(), t.Routed, t.Unroutable }),
        run.Warnings,
    };
}

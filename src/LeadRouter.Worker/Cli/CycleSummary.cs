using System.Globalization;
using System.Text;
using LeadRouter.Assignment;
using LeadRouter.Cycle;
using LeadRouter.Digest;
using LeadRouter.Storage;

namespace LeadRouter.Worker.Cli;

/// <summary>A cycle's outcome for people (a short summary) and for machines (one JSON document).</summary>
internal static class CycleSummary
{
    public static string Text(CycleResult result, IReadOnlyList<Recommendation> recommendations)
    {
        var text = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        if (result.Sync is { } sync)
            text.AppendLine(ci, $"Synced: {sync.Summary()}");
        var reps = result.Trust.Reps;
        text.AppendLine(ci, $"Reps scored: {reps.Count} (week {result.Trust.Week}), managers: {result.Trust.Managers.Count}");
        foreach (var issue in result.Trust.Issues)
            text.AppendLine(ci, $"  data issue: {issue.Message}");
        var ranked = reps.OrderByDescending(r => r.Trust).ThenBy(r => r.RepId, StringComparer.Ordinal).ToList();
        text.AppendLine("Top reps:");
        foreach (var rep in ranked.Take(3))
            text.AppendLine(ci, $"  {rep.Name,-28} trust {rep.Trust,5:0.0}  {Reasons(rep)}");
        text.AppendLine("Bottom reps:");
        foreach (var rep in ranked.TakeLast(3).Reverse())
            text.AppendLine(ci, $"  {rep.Name,-28} trust {rep.Trust,5:0.0}  {Reasons(rep)}; to raise it: {string.Join("; ", rep.Improvements.Select(i => i.Text))}");

        var routing = result.Routing;
        text.AppendLine(ci, $"Leads in the pool: {routing.PoolSize}; routed {routing.Decisions.Count} ({routing.Policy}), Gini {routing.Gini:0.00}");
        foreach (var tier in routing.LeadsPerTier)
            text.AppendLine(ci, $"  tier {tier.Tier} ({tier.Mode}): {tier.Routed} routed, {tier.Unroutable} unroutable");
        text.AppendLine(ci, $"Unroutable leads: {routing.Unroutable.Count}");
        foreach (var reason in routing.Unroutable.GroupBy(u => u.Reason).OrderByDescending(g => g.Count()))
            text.AppendLine(ci, $"  {reason.Count()} {reason.Key}, e.g. {reason.First().LeadId}: {reason.First().Message}");
        foreach (var warning in routing.Warnings)
            text.AppendLine(ci, $"  warning: {warning}");

        var withRep = recommendations.Where(r => r.RepId is not null).ToList();
        var pending = withRep.Where(r => r.Status == RecommendationStatus.Pending).ToList();
        text.AppendLine(ci,
            $"Assignments written to Salesforce: {withRep.Count(r => r.Status == RecommendationStatus.Assigned)}; " +
            $"skipped: {withRep.Count(r => r.Status == RecommendationStatus.Skipped)}; " +
            $"awaiting a manager's approval: {pending.Count(r => !StalledAssignments.IsAutoAssign(r))}");
        if (pending.Count(StalledAssignments.IsAutoAssign) is > 0 and var notYet)
            text.AppendLine(ci, $"AutoAssign leads not yet assigned: {notYet} (the next run tries them again)");
        foreach (var skipped in recommendations.Where(r => r.RepId is not null && r.Status == RecommendationStatus.Skipped).Take(5))
            text.AppendLine(ci, $"  skipped {skipped.LeadId}: {skipped.StatusReason}");
        if (result.Digests.Count > 0)
            text.AppendLine(ci, $"Digests: {result.Digests.Count} in {Path.GetDirectoryName(result.Digests[0].Path)}");
        return text.ToString();
    }

    private static string Reasons(Trust.RepTrust rep) =>
        string.Join("; ", rep.Components.Select(c => $"{DigestHtml.Label(c.Kind)}: {c.Evidence}"));

    /// <summary>The whole result: each rep's trust, confidence and components; each lead's decision and reasons; the assignments written.</summary>
    public static object Document(CycleResult result, IReadOnlyList<Recommendation> recommendations) => new
    {
        result.RunId,
        result.Trust.AsOf,
        result.Trust.Week,
        Sync = result.Sync,
        Reps = result.Trust.Reps.Select(r => new
        {
            r.RepId, r.Name, r.ManagerId, r.Trust, r.Confidence, r.WeeksOfData, r.PreviousTrust, r.Change,
            Components = r.Components.Select(c => new { Component = c.Kind.ToString(), c.Value, c.Weight, c.RawRate, c.TeamPrior, c.Hits, c.OutOf, c.Evidence }),
            Improvements = r.Improvements.Select(i => i.Text),
        }),
        Managers = result.Trust.Managers,
        DataIssues = result.Trust.Issues,
        Routing = new
        {
            Policy = result.Routing.Policy.ToString(),
            result.Routing.RulesHash,
            result.Routing.PoolSize,
            result.Routing.Gini,
            Tiers = result.Routing.LeadsPerTier,
            result.Routing.Warnings,
            Decisions = result.Routing.Decisions.Select(d => new
            {
                d.LeadId, d.Tier, Mode = d.Mode.ToString(), d.RepId, RepName = d.Rep.Name, d.Rule, d.Territory, d.Why,
                Excluded = d.ExcludedReps.Select(e => e.ToString()),
            }),
            Unroutable = result.Routing.Unroutable.Select(u => new
            {
                u.LeadId, u.Tier, u.Territory, Reason = u.Reason.ToString(), u.Message,
            }),
        },
        Assignments = recommendations.Where(r => r.RepId is not null).Select(r => new
        {
            r.LeadId, r.RepId, r.Tier, r.Mode, Status = r.Status.ToString(), r.StatusReason,
        }),
        Digests = result.Digests.Select(d => new { d.ManagerId, d.ManagerName, d.Path }),
    };
}

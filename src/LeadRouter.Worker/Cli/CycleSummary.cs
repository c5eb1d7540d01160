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
    /// <summary>
    /// One screen: what was synced, the top and bottom reps in a line each, leads routed per tier, assignments
    /// written, where the digests are and how to open one. <paramref name="verbose"/> adds the reasons, every
    /// unroutable reason with an example, warnings, data issues and skipped assignments.
    /// </summary>
    public static string Text(CycleResult result, IReadOnlyList<RecommendationOutcome> recommendations, bool verbose = false)
    {
        var text = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        if (result.Sync is { } sync)
            text.AppendLine(ci, $"Synced: {sync.Summary()}");
        var reps = result.Trust.Reps;
        var issues = result.Trust.Issues.Sum(i => i.Count);
        text.AppendLine(ci, $"Reps scored: {reps.Count} (week {result.Trust.Week}), managers: {result.Trust.Managers.Count}{(issues > 0 ? $", data issues: {issues}" : "")}");
        var ranked = reps.OrderByDescending(r => r.Trust).ThenBy(r => r.RepId, StringComparer.Ordinal).ToList();
        if (ranked.Count > 0)
        {
            text.AppendLine(ci, $"Top rep:    {ranked[0].Name}, trust {ranked[0].Trust:0.0}, {DigestFormat.Confidence(ranked[0])}");
            var bottom = ranked[^1];
            var raise = bottom.Improvements.Count > 0 ? bottom.Improvements[0].Text : "nothing left to raise";
            text.AppendLine(ci, $"Bottom rep: {bottom.Name}, trust {bottom.Trust:0.0}; to raise it: {raise}");
        }

        var routing = result.Routing;
        var unroutable = string.Join(", ", routing.Unroutable.GroupBy(u => u.Reason).OrderByDescending(g => g.Count()).Select(g => string.Create(ci, $"{g.Count()} {g.Key}")));
        text.AppendLine(ci, $"Leads routed: {routing.Decisions.Count} of {routing.PoolSize} in the pool ({routing.Policy}, Gini {routing.Gini:0.00}); " +
            $"unroutable: {routing.Unroutable.Count}{(unroutable.Length > 0 ? $" ({unroutable})" : "")}");
        text.AppendLine("  " + string.Join("; ", routing.LeadsPerTier.Select(t => string.Create(ci, $"tier {t.Tier} ({t.Mode}): {t.Routed}"))));

        var withRep = recommendations.Where(r => r.RepId is not null).ToList();
        var pending = withRep.Where(r => r.Status == RecommendationStatus.Pending).ToList();
        text.AppendLine(ci,
            $"Assignments written to Salesforce: {withRep.Count(r => r.Status == RecommendationStatus.Assigned)}; " +
            $"skipped: {withRep.Count(r => r.Status == RecommendationStatus.Skipped)}; " +
            $"awaiting a manager's approval: {pending.Count(r => !r.IsAutoAssign)}");
        if (pending.Count(r => r.IsAutoAssign) is > 0 and var notYet)
            text.AppendLine(ci, $"AutoAssign leads not yet assigned: {notYet} (the next run tries them again)");
        if (result.Digests.Count > 0)
        {
            text.AppendLine(ci, $"Digests: {result.Digests.Count} in {Path.GetDirectoryName(result.Digests[0].Path)}{Mailed(result)}");
            text.AppendLine(ci, $"Open one: {OpenCommand()} {result.Digests[0].Path}");
        }
        if (!verbose)
        {
            text.AppendLine("More: --verbose for reasons, unroutable examples and warnings; --json for everything.");
            return text.ToString();
        }

        text.AppendLine();
        foreach (var issue in result.Trust.Issues)
            text.AppendLine(ci, $"Data issue: {issue.Message}");
        text.AppendLine("Top reps:");
        foreach (var rep in ranked.Take(3))
            text.AppendLine(ci, $"  {rep.Name,-28} trust {rep.Trust,5:0.0}  {Reasons(rep)}");
        text.AppendLine("Bottom reps:");
        foreach (var rep in ranked.TakeLast(3).Reverse())
            text.AppendLine(ci, $"  {rep.Name,-28} trust {rep.Trust,5:0.0}  {Reasons(rep)}; to raise it: {DigestFormat.Improvements(rep)}");
        foreach (var tier in routing.LeadsPerTier)
            text.AppendLine(ci, $"Tier {tier.Tier} ({tier.Mode}): {tier.Routed} routed, {tier.Unroutable} unroutable");
        foreach (var reason in routing.Unroutable.GroupBy(u => u.Reason).OrderByDescending(g => g.Count()))
            text.AppendLine(ci, $"Unroutable: {reason.Count()} {reason.Key}, e.g. {reason.First().LeadId}: {reason.First().Message}");
        foreach (var warning in routing.Warnings)
            text.AppendLine(ci, $"Warning: {warning}");
        foreach (var skipped in recommendations.Where(r => r.RepId is not null && r.Status == RecommendationStatus.Skipped).Take(5))
            text.AppendLine(ci, $"Skipped {skipped.LeadId}: {skipped.StatusReason}");
        foreach (var failed in result.Mailed?.Where(m => !m.Sent) ?? [])
            text.AppendLine(ci, $"Not e-mailed: manager {failed.ManagerId} ({failed.Address ?? "no address"}): {failed.Error}");
        return text.ToString();
    }

    private static string Mailed(CycleResult result) => result.Mailed is not { } mailed
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $"; e-mailed {mailed.Count(m => m.Sent)} of {mailed.Count}") +
          (mailed.Any(m => !m.Sent) ? " (--verbose says why)" : "");

    /// <summary>How to open a file from this machine's shell.</summary>
    private static string OpenCommand() =>
        OperatingSystem.IsWindows() ? "start" : OperatingSystem.IsMacOS() ? "open" : "xdg-open";

    private static string Reasons(Trust.RepTrust rep) =>
        string.Join("; ", rep.Components.Select(c => $"{DigestHtml.Label(c.Kind)}: {c.Evidence}"));

    /// <summary>The whole result: each rep's trust, confidence and components; each lead's decision and reasons; the assignments written.</summary>
    public static object Document(CycleResult result, IReadOnlyList<RecommendationOutcome> recommendations) => new
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
        Digests = result.Digests.Select(d => new { d.ManagerId, d.ManagerName, d.Path, d.TextPath, d.Uri }),
        Mailed = result.Mailed,
    };
}

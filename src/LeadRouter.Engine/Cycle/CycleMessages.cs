using LeadRouter.Contracts.V1;
using LeadRouter.Digest;
using LeadRouter.Routing;
using LeadRouter.Rules;
using LeadRouter.Trust;

namespace LeadRouter.Cycle;

/// <summary>The messages a cycle publishes (see src/LeadRouter.Contracts/README.md), built from its results.</summary>
internal static class CycleMessages
{
    public static RepTrustScored TrustScored(Guid runId, TrustReport report, RepTrust rep) => new(
        runId, rep.RepId, rep.Name, rep.ManagerId, report.Week, report.AsOf, rep.Trust, rep.Confidence, rep.Change,
        rep.Components.Select(c => new TrustComponentScore(c.Kind.ToString(), c.Value, c.Weight, c.OutOf, c.Evidence)).ToList(),
        rep.Improvements.Select(i => i.Text).ToList());

    public static LeadAssignmentRecommended Recommended(Guid runId, RoutingRun run, RoutingDecision decision) => new(
        runId, decision.LeadId, decision.RepId, decision.Tier,
        decision.Mode == RoutingMode.AutoAssign ? AssignmentMode.AutoAssign : AssignmentMode.Recommend,
        [decision.Why, .. decision.ExcludedReps.Select(e => "Not eligible: " + e)],
        run.RulesHash, run.AsOf);

    public static WeeklyDigestReady DigestReady(Guid runId, WrittenDigest digest) => new(
        runId, digest.ManagerId, digest.Digest.Week, digest.Uri,
        new DigestCounts(digest.Digest.Reps.Count, digest.Digest.LeadsRecommended, digest.Digest.LeadsAutoAssigned,
            digest.Digest.OpportunitiesToRaise),
        digest.TextUri);
}

using LeadRouter.Contracts.V1;

namespace LeadRouter.IntegrationTests.Messaging;

/// <summary>One realistic message of each contract.</summary>
internal static class SampleMessages
{
    public static readonly Guid RunId = Guid.Parse("0b8f3e2c-5d1a-4c9e-8f27-3a6b1d9e4c70");
    private static readonly DateTimeOffset AsOf = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    public static RepTrustScored RepTrustScored { get; } = new(
        RunId, "0055g00000AbCdEAAV", "Priya Natarajan", "0055g00000MgRxYAAV", "2026-W48", AsOf,
        Trust: 78.4, Confidence: 0.82, ChangeSinceLastWeek: 3.1,
        Components:
        [
            new("ReviewAttendance", 0.875, 0.35, 8, "attended 7 of 8 reviews held"),
            new("PipelineHonesty", 0.71, 0.30, 12, "34 of 48 checks passed; 3 stale opportunities"),
            new("Delegation", 0.8, 0.20, 10, "delegated 12 of 25 admin tasks"),
            new("SellingActivity", 0.9, 0.15, 12, "41 calls, emails and meetings; team median 45"),
        ],
        TopImprovements: ["close 3 stale opportunities or give them a next step"]);

    public static LeadAssignmentRecommended LeadAssignmentRecommended { get; } = new(
        RunId, "00Q5g00000LdAaaEAF", "0055g00000AbCdEAAV", "A", AssignmentMode.AutoAssign,
        ["tier A: rule 1 (Rating = Hot)", "trust 78.4, confidence 0.82", "policy TrustWeighted"],
        "9f2c4e1b7a3d5f60e8c1b2a4d6f8e0c3a5b7d9f1e3c5a7b9d1f3e5c7a9b1d3f5", AsOf);

    public static LeadAssigned LeadAssigned { get; } = new(
        RunId, "00Q5g00000LdAaaEAF", "0055g00000AbCdEAAV", "00G5g00000QuEuEEAV", AsOf.AddMinutes(2));

    public static LeadAssignmentSkipped LeadAssignmentSkipped { get; } = new(
        RunId, "00Q5g00000LdBbbEAF", "0055g00000AbCdEAAV", SkipReason.OwnerChanged,
        "owned by user 0055g00000XyZaBAAV since the run", "0055g00000XyZaBAAV", AsOf.AddMinutes(2));

    public static WeeklyDigestReady WeeklyDigestReady { get; } = new(
        RunId, "0055g00000MgRxYAAV", "2026-W48", new Uri("file:///var/lib/leadrouter/digests/2026-W48/0055g00000MgRxYAAV.html"),
        new DigestCounts(Reps: 6, LeadsRecommended: 14, LeadsAutoAssigned: 9, OpportunitiesToReview: 11));

    public static IReadOnlyList<ILeadRouterMessage> All { get; } =
        [RepTrustScored, LeadAssignmentRecommended, LeadAssigned, LeadAssignmentSkipped, WeeklyDigestReady];
}

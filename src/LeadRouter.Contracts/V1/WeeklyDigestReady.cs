namespace LeadRouter.Contracts.V1;

/// <summary>A manager's weekly digest was written and can be delivered.</summary>
/// <param name="RunId">The run that wrote it.</param>
/// <param name="ManagerId">The manager's Salesforce User id.</param>
/// <param name="IsoWeek">The week it covers ("2026-W48").</param>
/// <param name="DigestUri">Where the HTML digest is: under the configured base URL (https), or a file URI when none is configured; it holds no secret.</param>
/// <param name="Counts">What it contains.</param>
/// <param name="TextUri">Where its plain-text version is, beside it; null from publishers before it was added.</param>
public sealed record WeeklyDigestReady(
    Guid RunId,
    string ManagerId,
    string IsoWeek,
    Uri DigestUri,
    DigestCounts Counts,
    Uri? TextUri = null) : ILeadRouterMessage
{
    public const string Kind = "weekly-digest-ready";

    /// <summary>Natural key: run and manager.</summary>
    public Guid MessageId => StableId.For(Kind, StableId.Key(RunId), ManagerId);
}

/// <summary>What a weekly digest contains.</summary>
/// <param name="Reps">Reps scored in it.</param>
/// <param name="LeadsRecommended">Leads waiting for the manager's approval.</param>
/// <param name="LeadsAutoAssigned">Leads assigned automatically this week.</param>
/// <param name="OpportunitiesToReview">Opportunities flagged for the next one-on-one.</param>
public sealed record DigestCounts(
    int Reps,
    int LeadsRecommended,
    int LeadsAutoAssigned,
    int OpportunitiesToReview);

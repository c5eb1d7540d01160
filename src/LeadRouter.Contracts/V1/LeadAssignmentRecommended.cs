using System.Text.Json.Serialization;

namespace LeadRouter.Contracts.V1;

/// <summary>How a tier's leads reach their reps.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AssignmentMode>))]
public enum AssignmentMode
{
    /// <summary>The manager approves in the weekly digest; nothing changes in Salesforce before that.</summary>
    Recommend,

    /// <summary>The routing consumer sets Lead.OwnerId right away.</summary>
    AutoAssign,
}

/// <summary>A routing run decided which rep should get a queued lead.</summary>
/// <param name="RunId">The routing run that decided.</param>
/// <param name="LeadId">The Salesforce Lead id (18 characters).</param>
/// <param name="RepId">The chosen rep's User id.</param>
/// <param name="Tier">The tier the lead's rules gave it ("A", "B", "C", ...).</param>
/// <param name="Mode">Recommend (waits for the manager) or AutoAssign (the routing consumer writes the owner).</param>
/// <param name="Reasons">Why: the tier rule that matched, the rep's trust, the policy, who was excluded and why.</param>
/// <param name="RulesHash">SHA-256 (hex) of the routing-rules file the run used, to tie the decision to its rules.</param>
/// <param name="AsOf">The moment the run routed as of (UTC).</param>
public sealed record LeadAssignmentRecommended(
    Guid RunId,
    string LeadId,
    string RepId,
    string Tier,
    AssignmentMode Mode,
    IReadOnlyList<string> Reasons,
    string RulesHash,
    DateTimeOffset AsOf) : ILeadRouterMessage
{
    public const string Kind = "lead-assignment-recommended";

    /// <summary>Natural key: run and lead (a run recommends each lead once).</summary>
    public Guid MessageId => IdFor(RunId, LeadId);

    /// <summary>The id of the recommendation message for this run and lead, to publish it again unchanged.</summary>
    public static Guid IdFor(Guid runId, string leadId) => StableId.For(Kind, StableId.Key(runId), leadId);
}

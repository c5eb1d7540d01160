namespace LeadRouter.Contracts.V1;

/// <summary>The routing consumer wrote a lead's new owner to Salesforce.</summary>
/// <param name="RunId">The routing run whose recommendation was applied.</param>
/// <param name="LeadId">The Salesforce Lead id.</param>
/// <param name="RepId">The new owner's User id.</param>
/// <param name="PreviousOwnerQueueId">The routing queue (Group id, "00G...") that owned the lead before.</param>
/// <param name="AssignedAt">When Salesforce accepted the write (UTC).</param>
public sealed record LeadAssigned(
    Guid RunId,
    string LeadId,
    string RepId,
    string PreviousOwnerQueueId,
    DateTimeOffset AssignedAt) : ILeadRouterMessage
{
    public const string Kind = "lead-assigned";

    /// <summary>Natural key: run and lead.</summary>
    public Guid MessageId => StableId.For(Kind, StableId.Key(RunId), LeadId);
}

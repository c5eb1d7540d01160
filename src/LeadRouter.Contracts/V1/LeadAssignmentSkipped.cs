using System.Text.Json.Serialization;

namespace LeadRouter.Contracts.V1;

/// <summary>Why the routing consumer did not write a recommended owner.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SkipReason>))]
public enum SkipReason
{
    /// <summary>The lead is no longer owned by a routing queue: a person took it meanwhile.</summary>
    OwnerChanged,

    /// <summary>The lead was converted since the run.</summary>
    LeadConverted,

    /// <summary>The lead no longer exists (deleted or merged).</summary>
    LeadNotFound,

    /// <summary>Salesforce refused the write (validation rule, permission, lock); the text says which.</summary>
    WriteFailed,
}

/// <summary>The routing consumer left a lead alone instead of assigning it; nothing changed in Salesforce.</summary>
/// <param name="RunId">The routing run whose recommendation was skipped.</param>
/// <param name="LeadId">The Salesforce Lead id.</param>
/// <param name="IntendedRepId">The rep the run had chosen.</param>
/// <param name="ReasonCode">The machine-readable reason.</param>
/// <param name="Reason">The reason for people, with the facts ("owned by Dana Reyes since 10:42").</param>
/// <param name="CurrentOwnerId">The lead's owner when it was checked; null when unknown (LeadNotFound).</param>
/// <param name="SkippedAt">When the consumer decided (UTC).</param>
public sealed record LeadAssignmentSkipped(
    Guid RunId,
    string LeadId,
    string IntendedRepId,
    SkipReason ReasonCode,
    string Reason,
    string? CurrentOwnerId,
    DateTimeOffset SkippedAt) : ILeadRouterMessage
{
    public const string Kind = "lead-assignment-skipped";

    /// <summary>Natural key: run and lead.</summary>
    public Guid MessageId => StableId.For(Kind, StableId.Key(RunId), LeadId);
}

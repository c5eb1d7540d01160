namespace LeadRouter.Contracts.V1;

/// <summary>A rep's trust score for an ISO week, computed by a scoring run.</summary>
/// <param name="RunId">The scoring run that computed it.</param>
/// <param name="RepId">The rep's Salesforce User id (18 characters).</param>
/// <param name="RepName">The rep's display name.</param>
/// <param name="ManagerId">The rep's manager's User id.</param>
/// <param name="IsoWeek">The scored week, ISO 8601 week date ("2026-W48").</param>
/// <param name="AsOf">The moment the score was computed as of (UTC).</param>
/// <param name="Trust">0 to 100: the weighted sum of the components × 100.</param>
/// <param name="Confidence">0 to 1: grows with the number of observations.</param>
/// <param name="ChangeSinceLastWeek">Trust points gained (positive) or lost since the previous week; null for a rep's first scored week.</param>
/// <param name="Components">Each component's value, weight and evidence.</param>
/// <param name="TopImprovements">The two or three facts that would raise the score most.</param>
public sealed record RepTrustScored(
    Guid RunId,
    string RepId,
    string RepName,
    string ManagerId,
    string IsoWeek,
    DateTimeOffset AsOf,
    double Trust,
    double Confidence,
    double? ChangeSinceLastWeek,
    IReadOnlyList<TrustComponentScore> Components,
    IReadOnlyList<string> TopImprovements) : ILeadRouterMessage
{
    public const string Kind = "rep-trust-scored";

    /// <summary>Natural key: run and rep.</summary>
    public Guid MessageId => StableId.For(Kind, StableId.Key(RunId), RepId);
}

/// <summary>One component of a trust score.</summary>
/// <param name="Component">ReviewAttendance, PipelineHonesty, Delegation or SellingActivity.</param>
/// <param name="Value">0 to 1 after shrinking toward the team.</param>
/// <param name="Weight">The component's weight in the trust score (the weights sum to 1).</param>
/// <param name="Observations">How many weekly observations fed it (0: it took the team mean).</param>
/// <param name="Evidence">The counts behind it, for people ("attended 7 of 8 reviews held").</param>
public sealed record TrustComponentScore(
    string Component,
    double Value,
    double Weight,
    int Observations,
    string Evidence);

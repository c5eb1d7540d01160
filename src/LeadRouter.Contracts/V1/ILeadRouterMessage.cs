namespace LeadRouter.Contracts.V1;

/// <summary>
/// Every LeadRouter message: <see cref="MessageId"/> is computed from the message's natural key
/// (see <see cref="StableId"/>), so a republished fact carries the same id and consumers de-duplicate on it.
/// </summary>
public interface ILeadRouterMessage
{
    Guid MessageId { get; }
}

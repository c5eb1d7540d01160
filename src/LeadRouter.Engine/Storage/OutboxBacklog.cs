using Dapper;

namespace LeadRouter.Storage;

/// <summary>What the outbox still holds unsent: the messages a one-off command must see published before it exits.</summary>
public static class OutboxBacklog
{
    /// <summary>Unsent messages, including those another process claimed and has not marked sent (it may have died).</summary>
    public static async Task<int> CountUnsentAsync(LeadRouterDatabase database, CancellationToken cancellationToken = default)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await transaction.Connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL", transaction: transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}

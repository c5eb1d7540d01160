using Dapper;

namespace LeadRouter.Storage;

/// <summary>
/// The messages each consumer has handled. A consumer marks a message in the same transaction as the
/// effects of handling it, so a redelivered message is recognised and its effects are not repeated.
/// </summary>
public sealed class ProcessedMessages(LeadRouterDatabase database)
{
    private static readonly TableShape Table = new(
        "processed_messages", ["consumer", "message_id", "processed_at"], ["consumer", "message_id"]);

    // The dialect writes the list condition (AnyOf), hence not a complete statement.
    private const string ProcessedOf = "SELECT message_id FROM processed_messages WHERE consumer = @Consumer AND ";

    private const string PurgeSql = "DELETE FROM processed_messages WHERE processed_at < @Before";

    /// <summary>
    /// Records that <paramref name="consumer"/> handled <paramref name="messageId"/>, in the caller's
    /// transaction. Returns false when it had already been recorded: the caller then skips the message.
    /// </summary>
    public async Task<bool> TryMarkProcessedAsync(
        string consumer,
        Guid messageId,
        DateTimeOffset processedAt,
        StoreTransaction transaction,
        CancellationToken cancellationToken = default) =>
        (await TryMarkProcessedAsync(consumer, [messageId], processedAt, transaction, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Records many messages at once, as one by one in this order: for each, whether it was recorded now (false:
    /// it had been already, or it came earlier in the list).
    /// </summary>
    public async Task<bool[]> TryMarkProcessedAsync(
        string consumer,
        IReadOnlyList<Guid> messageIds,
        DateTimeOffset processedAt,
        StoreTransaction transaction,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(consumer) || consumer.Length > 255)
            throw new ArgumentException("The consumer name must be 1 to 255 characters.", nameof(consumer));
        if (messageIds.Contains(Guid.Empty))
            throw new ArgumentException($"Consumer '{consumer}': the message id is empty.", nameof(messageIds));
        var inserted = await transaction.Dialect.ExecuteEachAsync(
            transaction,
            transaction.Dialect.InsertIfAbsent(Table),
            messageIds.Select(id => new Dictionary<string, object?> { ["Consumer"] = consumer, ["MessageId"] = id, ["ProcessedAt"] = processedAt }).ToList(),
            cancellationToken).ConfigureAwait(false);
        return [.. inserted.Select(rows => rows == 1)];
    }

    /// <summary>Which of these messages <paramref name="consumer"/> has already handled.</summary>
    public async Task<IReadOnlySet<Guid>> WhichProcessedAsync(
        string consumer, IReadOnlyCollection<Guid> messageIds, CancellationToken cancellationToken = default)
    {
        var processed = new HashSet<Guid>();
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in messageIds.Distinct().Chunk(StoreTransaction.MaxListLength))
        {
            processed.UnionWith(await transaction.Connection.QueryAsync<Guid>(new CommandDefinition(
                WhichProcessedStatement(transaction.Dialect), new { Consumer = consumer, MessageIds = transaction.Dialect.IdList(chunk) },
                transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false));
        }
        return processed;
    }

    /// <summary>
    /// Forgets records older than <paramref name="before"/>; keep them longer than the broker can
    /// redeliver a message. Returns how many were removed.
    /// </summary>
    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(transaction => transaction.Connection.ExecuteAsync(new CommandDefinition(
            PurgeSql, new { Before = before }, transaction.Transaction, cancellationToken: cancellationToken)), cancellationToken);

    internal static TableShape Shape => Table;

    /// <summary>The look-up of many messages as <paramref name="dialect"/> writes it, for the SQL Server syntax check.</summary>
    internal static string WhichProcessedStatement(SqlDialect dialect) => ProcessedOf + dialect.AnyOf("message_id", "@MessageIds");
}

using Dapper;

namespace LeadRouter.Storage;

/// <summary>
/// A message to publish, written in the same transaction as the change it announces. <see cref="Id"/> is
/// the message's stable id (consumers de-duplicate on it); <see cref="Payload"/> is its JSON body.
/// </summary>
public sealed record OutboxMessage(Guid Id, string MessageType, string Payload, DateTimeOffset CreatedAt);

/// <summary>A message a publisher has claimed: publish it, then mark it sent or record the failure.</summary>
public sealed record ClaimedMessage(
    long Position, Guid Id, string MessageType, string Payload, DateTimeOffset CreatedAt, int Attempts, string? LastError);

/// <summary>
/// The transactional outbox. Publishers claim batches under a lease, so several publishers (or a
/// restarted one) never publish the same row at once; a crashed publisher's lease simply expires.
/// Delivery is at least once: consumers de-duplicate with <see cref="ProcessedMessages"/>.
/// </summary>
public sealed class Outbox(LeadRouterDatabase database)
{
    /// <summary>Longest error text kept per message.</summary>
    internal const int MaxErrorLength = 2000;

    private const string EnqueueSql =
        "INSERT INTO outbox (id, message_type, payload, created_at, attempts) VALUES (@Id, @MessageType, @Payload, @CreatedAt, 0)";

    private const string MarkSentSql =
        "UPDATE outbox SET sent_at = @SentAt, locked_until = NULL WHERE id = @Id AND sent_at IS NULL";

    private const string RecordFailureSql =
        "UPDATE outbox SET attempts = attempts + 1, last_error = @Error, locked_until = @RetryAt WHERE id = @Id AND sent_at IS NULL";

    private const string ReleaseSql = "UPDATE outbox SET locked_until = NULL WHERE id = @Id AND sent_at IS NULL";

    private const string RepublishSql =
        "UPDATE outbox SET sent_at = NULL, locked_until = NULL, attempts = 0, last_error = NULL WHERE id = @Id AND sent_at IS NOT NULL";

    private const string PurgeSentSql = "DELETE FROM outbox WHERE sent_at < @Before";

    public Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(transaction => EnqueueAsync(messages, transaction, cancellationToken), cancellationToken);

    /// <summary>Adds messages in the caller's transaction: they become visible to publishers only if it commits.</summary>
    public async Task EnqueueAsync(
        IReadOnlyList<OutboxMessage> messages, StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message);
            if (message.Id == Guid.Empty)
                throw new ArgumentException($"Outbox message of type '{message.MessageType}': the id is empty.", nameof(messages));
            if (string.IsNullOrWhiteSpace(message.MessageType) || message.MessageType.Length > 255)
                throw new ArgumentException($"Outbox message {message.Id}: the message type must be 1 to 255 characters.", nameof(messages));
            StoreJson.Validate(message.Payload, $"Outbox message {message.Id} ({message.MessageType}): payload");
        }
        if (messages.Count == 0)
            return;
        await transaction.Connection.ExecuteAsync(new CommandDefinition(
            EnqueueSql, messages, transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> unsent messages, oldest first, leased for
    /// <paramref name="lease"/> from <paramref name="now"/>: no other claim returns them until the lease
    /// ends, they are marked sent, or a failure sets when to retry.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(
        int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        return await database.InTransactionAsync(async transaction =>
        {
            var rows = await transaction.Connection.QueryAsync<ClaimedRow>(new CommandDefinition(
                transaction.Dialect.ClaimOutbox,
                new { Limit = limit, Now = now, LockedUntil = now + lease },
                transaction.Transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return (IReadOnlyList<ClaimedMessage>)rows.Select(r => r.ToMessage()).OrderBy(m => m.Position).ToList();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks published messages sent; they are never claimed again.</summary>
    public Task MarkSentAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset sentAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return database.InTransactionAsync(transaction => transaction.Connection.ExecuteAsync(new CommandDefinition(
            MarkSentSql, ids.Select(id => new { Id = id, SentAt = sentAt }), transaction.Transaction,
            cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>Counts a failed attempt, keeps the error (shortened) and leaves the message unclaimable until <paramref name="retryAt"/>.</summary>
    public Task RecordFailureAsync(Guid id, string error, DateTimeOffset retryAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var kept = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        return database.InTransactionAsync(transaction => transaction.Connection.ExecuteAsync(new CommandDefinition(
            RecordFailureSql, new { Id = id, Error = kept, RetryAt = retryAt }, transaction.Transaction,
            cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>Ends the lease on claimed messages this publisher will not publish (it is stopping), so another can at once.</summary>
    public Task ReleaseAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return database.InTransactionAsync(transaction => transaction.Connection.ExecuteAsync(new CommandDefinition(
            ReleaseSql, ids.Select(id => new { Id = id }), transaction.Transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>
    /// Makes sent messages unsent again, so they are published once more under the same ids (their first
    /// delivery was lost or faulted; consumers de-duplicate). Returns how many were sent and are now queued again.
    /// </summary>
    public Task<int> RepublishAsync(IReadOnlyCollection<Guid> ids, StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return transaction.Connection.ExecuteAsync(new CommandDefinition(
            RepublishSql, ids.Select(id => new { Id = id }), transaction.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes messages sent before <paramref name="before"/>. Returns how many were removed.</summary>
    public Task<int> PurgeSentAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(transaction => transaction.Connection.ExecuteAsync(new CommandDefinition(
            PurgeSentSql, new { Before = before }, transaction.Transaction, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Dapper's row (SQLite reports integers as Int64, so a settable class rather than the record's constructor).</summary>
    private sealed class ClaimedRow
    {
        public long Position { get; set; }

        public Guid Id { get; set; }

        public string MessageType { get; set; } = "";

        public string Payload { get; set; } = "";

        public DateTimeOffset CreatedAt { get; set; }

        public int Attempts { get; set; }

        public string? LastError { get; set; }

        public ClaimedMessage ToMessage() => new(Position, Id, MessageType, Payload, CreatedAt, Attempts, LastError);
    }
}

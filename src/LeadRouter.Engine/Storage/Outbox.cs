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

/// <summary>Outbox rows one process holds under an unexpired lease: how many, and until when.</summary>
public sealed record OutboxLeaseHolder(string Owner, int Rows, DateTimeOffset Until);

/// <summary>
/// The transactional outbox. Publishers claim batches under a lease recorded with their owner id
/// (<paramref name="owner"/>, one made for this instance when none is given), so several publishers
/// (or a restarted one) never publish the same row at once, each releases only its own leases, and a
/// crashed publisher's lease expires, or is released by a later process that sees its holder is gone.
/// Delivery is at least once: consumers de-duplicate with <see cref="ProcessedMessages"/>.
/// </summary>
public sealed class Outbox(LeadRouterDatabase database, LeaseOwner? owner = null)
{
    private readonly LeaseOwner _owner = owner ?? LeaseOwner.ForThisProcess();

    /// <summary>Longest error text kept per message.</summary>
    internal const int MaxErrorLength = 2000;

    /// <summary>What a new message fills in; attempts start at 0 and the position is the table's next.</summary>
    private static readonly Column<OutboxMessage>[] EnqueueColumns =
    [
        new("id", ColumnType.Guid, m => m.Id),
        new("message_type", ColumnType.Text, m => m.MessageType),
        new("payload", ColumnType.Text, m => m.Payload),
        new("created_at", ColumnType.Moment, m => m.CreatedAt),
    ];

    private const string RecordFailureSql =
        "UPDATE outbox SET attempts = attempts + 1, last_error = @Error, locked_until = @RetryAt, locked_by = NULL WHERE id = @Id AND sent_at IS NULL";

    private const string ReleaseSql =
        "UPDATE outbox SET locked_until = NULL, locked_by = NULL WHERE id = @Id AND sent_at IS NULL AND locked_by = @Owner";

    private const string ReleaseAllOfSql =
        "UPDATE outbox SET locked_until = NULL, locked_by = NULL WHERE locked_by = @Owner AND sent_at IS NULL";

    private const string LeaseHoldersSql =
        "SELECT locked_by AS HolderId, COUNT(*) AS HeldRows, MAX(locked_until) AS HeldUntil FROM outbox " +
        "WHERE sent_at IS NULL AND locked_by IS NOT NULL AND locked_until > @Now GROUP BY locked_by ORDER BY locked_by";

    // Updates of a list of ids; the dialect writes the list condition (AnyOf), hence not complete statements.
    private const string MarkSentOf = "UPDATE outbox SET sent_at = @SentAt, locked_until = NULL, locked_by = NULL WHERE sent_at IS NULL AND ";

    private const string RepublishOf =
        "UPDATE outbox SET sent_at = NULL, locked_until = NULL, locked_by = NULL, attempts = 0, last_error = NULL WHERE sent_at IS NOT NULL AND ";

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
            if (StoreJson.Problem(message.Payload) is { } problem)
                throw new ArgumentException($"Outbox message {message.Id} ({message.MessageType}): payload: {problem}.", nameof(messages));
        }
        if (messages.Count == 0)
            return;
        await transaction.Dialect.BulkInsertAsync(transaction, "outbox", EnqueueColumns, messages, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> unsent messages, oldest first, leased to this outbox's owner
    /// for <paramref name="lease"/> from <paramref name="now"/>: no other claim returns them until the
    /// lease ends, they are marked sent, or a failure sets when to retry.
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
                new { Limit = limit, Now = now, LockedUntil = now + lease, Owner = _owner.Id },
                transaction.Transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return (IReadOnlyList<ClaimedMessage>)rows.Select(r => r.ToMessage()).OrderBy(m => m.Position).ToList();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks published messages sent; they are never claimed again.</summary>
    public Task MarkSentAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset sentAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return database.InTransactionAsync(
            transaction => UpdateEachListAsync(MarkSentStatement(transaction.Dialect), ids, new { SentAt = sentAt }, transaction, cancellationToken),
            cancellationToken);
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

    /// <summary>
    /// Ends this owner's lease on claimed messages it will not publish (it is stopping), so another can at
    /// once; a row whose lease ran out and was claimed by another publisher is left to that one.
    /// </summary>
    public Task ReleaseAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return database.InTransactionAsync(transaction => transaction.Connection.ExecuteAsync(new CommandDefinition(
            ReleaseSql, ids.Select(id => new { Id = id, Owner = _owner.Id }), transaction.Transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>Who holds unexpired leases on unsent messages at <paramref name="now"/>, how many and until when.</summary>
    public async Task<IReadOnlyList<OutboxLeaseHolder>> LeaseHoldersAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = await transaction.Connection.QueryAsync<HolderRow>(new CommandDefinition(
            LeaseHoldersSql, new { Now = now }, transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new OutboxLeaseHolder(r.HolderId, (int)r.HeldRows, r.HeldUntil)).ToList();
    }

    /// <summary>
    /// Releases the leases of holders that are gone (<see cref="LeaseOwner.IsGone"/>: processes of this
    /// machine that no longer run), so their rows are published now rather than when the lease runs out.
    /// Returns the holders released, with how many rows each held.
    /// </summary>
    public async Task<IReadOnlyList<OutboxLeaseHolder>> ReleaseGoneHoldersAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var gone = (await LeaseHoldersAsync(now, cancellationToken).ConfigureAwait(false)).Where(h => LeaseOwner.IsGone(h.Owner)).ToList();
        foreach (var holder in gone)
        {
            await database.InTransactionAsync(transaction => transaction.Connection.ExecuteAsync(new CommandDefinition(
                ReleaseAllOfSql, new { holder.Owner }, transaction.Transaction, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        }
        return gone;
    }

    /// <summary>
    /// Makes sent messages unsent again, so they are published once more under the same ids (their first
    /// delivery was lost or faulted; consumers de-duplicate). Returns how many were sent and are now queued again.
    /// </summary>
    public Task<int> RepublishAsync(IReadOnlyCollection<Guid> ids, StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return UpdateEachListAsync(RepublishStatement(transaction.Dialect), ids, new { }, transaction, cancellationToken);
    }

    internal static string MarkSentStatement(SqlDialect dialect) => MarkSentOf + dialect.AnyOf("id", "@Ids");

    internal static string RepublishStatement(SqlDialect dialect) => RepublishOf + dialect.AnyOf("id", "@Ids");

    /// <summary>Runs an update over <paramref name="ids"/>, a list of them per statement (a cycle republishes thousands). Returns the rows changed.</summary>
    private static async Task<int> UpdateEachListAsync(
        string statement, IReadOnlyCollection<Guid> ids, object values, StoreTransaction transaction, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var chunk in ids.Chunk(StoreTransaction.MaxListLength))
        {
            var parameters = new DynamicParameters(values);
            parameters.Add("Ids", transaction.Dialect.IdList(chunk));
            changed += await transaction.Connection.ExecuteAsync(new CommandDefinition(
                statement, parameters, transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        return changed;
    }

    /// <summary>Deletes messages sent before <paramref name="before"/>. Returns how many were removed.</summary>
    public Task<int> PurgeSentAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(transaction => transaction.Connection.ExecuteAsync(new CommandDefinition(
            PurgeSentSql, new { Before = before }, transaction.Transaction, cancellationToken: cancellationToken)), cancellationToken);

    private sealed class HolderRow
    {
        public string HolderId { get; set; } = "";

        public long HeldRows { get; set; }

        public DateTimeOffset HeldUntil { get; set; }
    }

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

using Dapper;

namespace LeadRouter.Storage;

/// <summary>
/// A named lease held in the store (table store_leases, one row per name), so work that must run once
/// at a time runs once across every process sharing the store: a `run` on two nodes, or a `run` and a
/// manual `sync`. Taking it is one conditional UPDATE, atomic on every engine; the holder renews it
/// while it works and releases it when done; a holder that dies stops renewing and its lease runs out
/// (at once, when it was a process of this machine that no longer runs). Moments are the holders'
/// clocks, so the lease outlasts any sensible clock difference between nodes.
/// </summary>
public sealed class StoreLease(LeadRouterDatabase database, string name)
{
    private const string TakeSql =
        "UPDATE store_leases SET owner = @Owner, expires_at = @Until " +
        "WHERE name = @Name AND (owner IS NULL OR owner = @Owner OR expires_at <= @Now)";

    private const string TakeOverSql =
        "UPDATE store_leases SET owner = @Owner, expires_at = @Until WHERE name = @Name AND owner = @Gone";

    private const string RenewSql = "UPDATE store_leases SET expires_at = @Until WHERE name = @Name AND owner = @Owner";

    private const string ReleaseSql = "UPDATE store_leases SET owner = NULL, expires_at = NULL WHERE name = @Name AND owner = @Owner";

    private const string HolderSql = "SELECT owner AS Owner, expires_at AS ExpiresAt FROM store_leases WHERE name = @Name";

    /// <summary>The lease that keeps the Salesforce sync to one process at a time.</summary>
    public const string Sync = "sync";

    public string Name => name;

    /// <summary>
    /// Takes the lease until <paramref name="now"/> + <paramref name="duration"/> when it is free, ran out,
    /// is already <paramref name="owner"/>'s, or its holder was a process of this machine that is gone.
    /// </summary>
    public async Task<bool> TryTakeAsync(LeaseOwner owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var until = now + duration;
        if (await ExecuteAsync(TakeSql, new { Name = name, Owner = owner.Id, Now = now, Until = until }, cancellationToken).ConfigureAwait(false) == 1)
            return true;
        return (await HolderAsync(cancellationToken).ConfigureAwait(false)).Owner is { } holder && LeaseOwner.IsGone(holder)
            && await ExecuteAsync(TakeOverSql, new { Name = name, Owner = owner.Id, Gone = holder, Until = until }, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Extends <paramref name="owner"/>'s lease; false when it no longer holds it (it ran out and another took it).</summary>
    public async Task<bool> RenewAsync(LeaseOwner owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(RenewSql, new { Name = name, Owner = owner.Id, Until = now + duration }, cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Gives the lease up, if <paramref name="owner"/> still holds it.</summary>
    public Task ReleaseAsync(LeaseOwner owner, CancellationToken cancellationToken = default) =>
        ExecuteAsync(ReleaseSql, new { Name = name, Owner = owner.Id }, cancellationToken);

    /// <summary>Who holds the lease and until when (nulls when nobody does).</summary>
    public async Task<(string? Owner, DateTimeOffset? ExpiresAt)> HolderAsync(CancellationToken cancellationToken = default)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var row = await transaction.Connection.QuerySingleOrDefaultAsync<HolderRow>(new CommandDefinition(
            HolderSql, new { Name = name }, transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return (row?.Owner, row?.ExpiresAt);
    }

    private Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        database.InTransactionAsync(transaction => transaction.Connection.ExecuteAsync(new CommandDefinition(
            sql, parameters, transaction.Transaction, cancellationToken: cancellationToken)), cancellationToken);

    private sealed class HolderRow
    {
        public string? Owner { get; set; }

        public DateTimeOffset? ExpiresAt { get; set; }
    }
}

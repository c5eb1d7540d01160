using Dapper;

namespace LeadRouter.Storage;

/// <summary>
/// How far the sync has read one Salesforce object: rows are read in (SystemModstamp, Id) order, so the
/// next read resumes after this pair.
/// </summary>
public sealed record Watermark(string ObjectName, DateTimeOffset LastSystemModstamp, string? LastId, DateTimeOffset UpdatedAt);

/// <summary>The sync's progress per object. Save a page's watermark in the page's transaction.</summary>
public sealed class WatermarkStore(LeadRouterDatabase database)
{
    private static readonly TableShape Table = new(
        "sync_watermarks", ["object_name", "last_system_modstamp", "last_id", "updated_at"], ["object_name"]);

    private const string SelectSql =
        "SELECT object_name AS ObjectName, last_system_modstamp AS LastSystemModstamp, last_id AS LastId, updated_at AS UpdatedAt FROM sync_watermarks";

    private const string GetSql = SelectSql + " WHERE object_name = @ObjectName";

    private const string ListSql = SelectSql + " ORDER BY object_name";

    private const string ResetSql = "DELETE FROM sync_watermarks WHERE object_name = @ObjectName";

    /// <summary>The object's watermark, or null when it has never been synced (a full read is due).</summary>
    public async Task<Watermark?> GetAsync(string objectName, CancellationToken cancellationToken = default)
    {
        ValidateObjectName(objectName);
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await transaction.Connection.QuerySingleOrDefaultAsync<Watermark>(new CommandDefinition(
            GetSql, new { ObjectName = objectName }, transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Watermark>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = await transaction.Connection.QueryAsync<Watermark>(new CommandDefinition(
            ListSql, transaction: transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    public Task SaveAsync(Watermark watermark, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(transaction => SaveAsync(watermark, transaction, cancellationToken), cancellationToken);

    /// <summary>Saves the watermark in the caller's transaction: commit it with the page it follows.</summary>
    public Task SaveAsync(Watermark watermark, StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(watermark);
        ValidateObjectName(watermark.ObjectName);
        return transaction.Connection.ExecuteAsync(new CommandDefinition(
            transaction.Dialect.Upsert(Table), watermark, transaction.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Forgets the object's watermark so the next sync reads it in full.</summary>
    public Task ResetAsync(string objectName, CancellationToken cancellationToken = default)
    {
        ValidateObjectName(objectName);
        return database.InTransactionAsync(transaction => transaction.Connection.ExecuteAsync(new CommandDefinition(
            ResetSql, new { ObjectName = objectName }, transaction.Transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    internal static TableShape Shape => Table;

    private static void ValidateObjectName(string objectName)
    {
        if (string.IsNullOrEmpty(objectName) || objectName.Length > 80 || !char.IsAsciiLetter(objectName[0]) ||
            !objectName.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{objectName}' is not a Salesforce object API name.", nameof(objectName));
        }
    }
}

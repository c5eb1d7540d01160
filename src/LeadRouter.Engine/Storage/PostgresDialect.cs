using System.Data;
using System.Data.Common;
using DbUp;
using DbUp.Builder;
using Npgsql;
using NpgsqlTypes;

namespace LeadRouter.Storage;

/// <summary>
/// PostgreSQL: bulk inserts are binary COPY; bulk upserts COPY into a temporary table, then one INSERT … ON
/// CONFLICT DO UPDATE.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override UpgradeEngineBuilder Migrations(string connectionString) =>
        DeployChanges.To.PostgresqlDatabase(connectionString);

    /// <summary>Any constant identifies LeadRouter's migration lock among the database's advisory locks.</summary>
    private const long MigrationLockKey = 0x4C52_4D49_4752; // "LRMIGR"

    private const string LockMigrationsSql = "SELECT pg_advisory_lock(@Key)";

    /// <summary>A session-level advisory lock on an unpooled connection: closing it ends the session and the lock.</summary>
    public override IDisposable LockMigrations(string connectionString, TimeSpan timeout)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        var connection = new NpgsqlConnection(unpooled);
        try
        {
            connection.Open();
            using var command = new NpgsqlCommand(LockMigrationsSql, connection) { CommandTimeout = (int)timeout.TotalSeconds };
            command.Parameters.AddWithValue("Key", MigrationLockKey);
            command.ExecuteNonQuery();
            return connection;
        }
        catch (NpgsqlException e) when (e.InnerException is TimeoutException)
        {
            connection.Dispose();
            throw new StoreSchemaException(
                $"Another LeadRouter has been migrating the PostgreSQL database for {timeout.TotalSeconds:F0} s.", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // MVCC: a repeatable-read snapshot costs readers and writers nothing.
    public override async Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

    public override string ClaimOutbox =>
        """
        UPDATE outbox SET locked_until = @LockedUntil, locked_by = @Owner
        WHERE position IN (
            SELECT position FROM outbox
            WHERE sent_at IS NULL AND (locked_until IS NULL OR locked_until <= @Now)
            ORDER BY position
            LIMIT @Limit
            FOR UPDATE SKIP LOCKED)
        RETURNING position AS Position, id AS Id, message_type AS MessageType, payload AS Payload,
            created_at AS CreatedAt, attempts AS Attempts, last_error AS LastError
        """;

    public override async Task BulkUpsertAsync<TRow>(
        StoreTransaction transaction,
        TableShape table,
        IReadOnlyList<Column<TRow>> columns,
        IReadOnlyList<TRow> rows,
        CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)transaction.Connection;
        var stage = "stage_" + table.Name;
        await ExecuteAsync(connection, $"CREATE TEMPORARY TABLE {stage} (LIKE {table.Name})", cancellationToken)
            .ConfigureAwait(false);
        await CopyAsync(connection, stage, columns, rows, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection,
            $"INSERT INTO {table.Name} ({ColumnList(table)}) SELECT {ColumnList(table)} FROM {stage} {OnConflict(table)}; DROP TABLE {stage}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Straight into the table: the COPY fails, and with it the caller's transaction, on a key that exists.</summary>
    public override Task BulkInsertAsync<TRow>(
        StoreTransaction transaction,
        string table,
        IReadOnlyList<Column<TRow>> columns,
        IReadOnlyList<TRow> rows,
        CancellationToken cancellationToken) =>
        CopyAsync((NpgsqlConnection)transaction.Connection, table, columns, rows, cancellationToken);

    public override string AnyOf(string column, string listParameter) => $"{column} = ANY({listParameter})";

    /// <summary>Statements per batch: a consumer batch is 200 rows; a bound keeps a larger caller's messages moderate.</summary>
    private const int StatementsPerBatch = 1000;

    /// <summary>One round trip for the lot (an NpgsqlBatch) rather than one per row; each statement's row count is its own.</summary>
    public override async Task<int[]> ExecuteEachAsync(
        StoreTransaction transaction, string sql, IReadOnlyList<Dictionary<string, object?>> parameterSets, CancellationToken cancellationToken)
    {
        var affected = new int[parameterSets.Count];
        for (var start = 0; start < parameterSets.Count; start += StatementsPerBatch)
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)transaction.Connection, (NpgsqlTransaction)transaction.Transaction);
            foreach (var parameters in parameterSets.Skip(start).Take(StatementsPerBatch))
            {
                var command = new NpgsqlBatchCommand(sql);
                foreach (var (name, value) in parameters)
                    command.Parameters.Add(new NpgsqlParameter(name, ToPostgres(value)));
                batch.BatchCommands.Add(command);
            }
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < batch.BatchCommands.Count; i++)
                affected[start + i] = batch.BatchCommands[i].RecordsAffected;
        }
        return affected;
    }

    /// <summary>A value as the Dapper handlers bind it for PostgreSQL (<see cref="StoreValues"/>).</summary>
    private static object ToPostgres(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset moment => StoreValues.Normalize(moment),
        _ => value,
    };

    /// <summary>Binary COPY of the rows into <paramref name="table"/>, in the connection's transaction.</summary>
    private static async Task CopyAsync<TRow>(
        NpgsqlConnection connection, string table, IReadOnlyList<Column<TRow>> columns, IReadOnlyList<TRow> rows, CancellationToken cancellationToken)
    {
        var importer = await connection
            .BeginBinaryImportAsync($"COPY {table} ({ColumnList(columns)}) FROM STDIN (FORMAT BINARY)", cancellationToken)
            .ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            // A large load takes as long as it takes; the caller's token still stops it. Zero means no limit.
            importer.Timeout = TimeSpan.Zero;
            // Synchronous writes: an awaited write per value cost more than the rest of the row, and a write
            // blocks only when the 8 KiB buffer goes out to the socket. Disposed without CompleteAsync (cancelled,
            // or a value refused), the importer cancels the COPY.
            for (var r = 0; r < rows.Count; r++)
            {
                if ((r & 0x3FF) == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                var row = rows[r];
                importer.StartRow();
                foreach (var column in columns)
                    Write(importer, column.Type, column.Value(row));
            }
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Write(NpgsqlBinaryImporter importer, ColumnType type, object? value)
    {
        if (value is null)
        {
            importer.WriteNull();
            return;
        }
        switch (type)
        {
            case ColumnType.Text: importer.Write((string)value, NpgsqlDbType.Text); break;
            case ColumnType.Bool: importer.Write((bool)value, NpgsqlDbType.Boolean); break;
            case ColumnType.Int: importer.Write((int)value, NpgsqlDbType.Integer); break;
            case ColumnType.Decimal: importer.Write((decimal)value, NpgsqlDbType.Numeric); break;
            case ColumnType.Date: importer.Write((DateOnly)value, NpgsqlDbType.Date); break;
            case ColumnType.Moment: importer.Write(StoreValues.Normalize((DateTimeOffset)value), NpgsqlDbType.TimestampTz); break;
            case ColumnType.Guid: importer.Write((Guid)value, NpgsqlDbType.Uuid); break;
            case ColumnType.Double: importer.Write((double)value, NpgsqlDbType.Double); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

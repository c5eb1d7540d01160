using System.Data;
using System.Data.Common;
using DbUp;
using DbUp.Builder;
using Microsoft.Data.SqlClient;

namespace LeadRouter.Storage;

/// <summary>
/// SQL Server. Upserts are UPDATE then INSERT … WHERE NOT EXISTS under UPDLOCK + SERIALIZABLE (key-range
/// locks), which is race-safe where a bare MERGE is not. Bulk loads go through SqlBulkCopy into a
/// #staging table and one set-based upsert; bulk inserts straight into the table.
/// </summary>
internal sealed class SqlServerDialect : SqlDialect
{
    public static readonly SqlServerDialect Instance = new();

    /// <summary>Rows buffered per SqlBulkCopy call, bounding memory on a large initial load.</summary>
    private const int BulkChunk = 50_000;

    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;

    public override DbConnection CreateConnection(string connectionString) => new SqlConnection(connectionString);

    public override UpgradeEngineBuilder Migrations(string connectionString) =>
        DeployChanges.To.SqlDatabase(connectionString);

    private const string LockMigrationsSql =
        """
        DECLARE @Result int;
        EXEC @Result = sp_getapplock @Resource = N'LeadRouter schema migration', @LockMode = N'Exclusive',
            @LockOwner = N'Session', @LockTimeout = @TimeoutMs;
        SELECT @Result;
        """;

    /// <summary>A session-owned application lock on an unpooled connection: closing it ends the session and the lock.</summary>
    public override IDisposable LockMigrations(string connectionString, TimeSpan timeout)
    {
        var unpooled = new SqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        var connection = new SqlConnection(unpooled);
        try
        {
            connection.Open();
            using var command = new SqlCommand(LockMigrationsSql, connection) { CommandTimeout = (int)timeout.TotalSeconds + 30 };
            command.Parameters.Add(new SqlParameter("@TimeoutMs", SqlDbType.Int) { Value = (int)timeout.TotalMilliseconds });
            // sp_getapplock returns 0 or 1 when granted, a negative code on time-out or error.
            if ((int)command.ExecuteScalar()! < 0)
            {
                throw new StoreSchemaException(
                    $"Another LeadRouter has been migrating the SQL Server database for {timeout.TotalSeconds:F0} s.");
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public override string Upsert(TableShape table)
    {
        var set = string.Join(", ", table.NonKeyColumns.Select(c => $"{c} = {Parameter(c)}"));
        var match = string.Join(" AND ", table.Key.Select(c => $"{c} = {Parameter(c)}"));
        var newer = table.NewerWinsColumn;
        var insert = $"INSERT INTO {table.Name} ({ColumnList(table)}) VALUES ({ParameterList(table)});";
        if (newer is null)
        {
            return $"""
                UPDATE {table.Name} WITH (UPDLOCK, SERIALIZABLE) SET {set} WHERE {match};
                IF @@ROWCOUNT = 0
                    {insert}
                """;
        }
        // Take the key-range lock first, then update only when the incoming row is not older.
        return $"""
            IF EXISTS (SELECT 1 FROM {table.Name} WITH (UPDLOCK, SERIALIZABLE) WHERE {match})
                UPDATE {table.Name} SET {set} WHERE {match} AND {newer} <= {Parameter(newer)};
            ELSE
                {insert}
            """;
    }

    public override string InsertIfAbsent(TableShape table)
    {
        var match = string.Join(" AND ", table.Key.Select(c => $"{c} = {Parameter(c)}"));
        return $"""
            INSERT INTO {table.Name} ({ColumnList(table)})
            SELECT {ParameterList(table)}
            WHERE NOT EXISTS (SELECT 1 FROM {table.Name} WITH (UPDLOCK, SERIALIZABLE) WHERE {match});
            """;
    }

    public override string ClaimOutbox =>
        """
        WITH batch AS (
            SELECT TOP (@Limit) position, id, message_type, payload, created_at, attempts, last_error, locked_until, locked_by
            FROM outbox WITH (ROWLOCK, UPDLOCK, READPAST)
            WHERE sent_at IS NULL AND (locked_until IS NULL OR locked_until <= @Now)
            ORDER BY position)
        UPDATE batch SET locked_until = @LockedUntil, locked_by = @Owner
        OUTPUT inserted.position AS Position, inserted.id AS Id, inserted.message_type AS MessageType,
            inserted.payload AS Payload, inserted.created_at AS CreatedAt, inserted.attempts AS Attempts,
            inserted.last_error AS LastError;
        """;

    public static string StagingTable(TableShape table) => "#stage_" + table.Name;

    /// <summary>An empty #staging table with the target's column types.</summary>
    public static string CreateStaging(TableShape table) =>
        $"""
        DROP TABLE IF EXISTS {StagingTable(table)};
        SELECT TOP (0) {ColumnList(table)} INTO {StagingTable(table)} FROM {table.Name};
        """;

    /// <summary>The set-based upsert from #staging, then the staging table is dropped.</summary>
    public static string MergeStaging(TableShape table)
    {
        var stage = StagingTable(table);
        var set = string.Join(", ", table.NonKeyColumns.Select(c => $"{c} = s.{c}"));
        var join = string.Join(" AND ", table.Key.Select(c => $"t.{c} = s.{c}"));
        var newer = table.NewerWinsColumn is { } column ? $" WHERE s.{column} >= t.{column}" : "";
        return $"""
            UPDATE t SET {set}
            FROM {table.Name} AS t WITH (UPDLOCK, SERIALIZABLE)
            INNER JOIN {stage} AS s ON {join}{newer};
            INSERT INTO {table.Name} ({ColumnList(table)})
            SELECT {string.Join(", ", table.Columns.Select(c => "s." + c))}
            FROM {stage} AS s
            WHERE NOT EXISTS (SELECT 1 FROM {table.Name} AS t WITH (UPDLOCK, SERIALIZABLE) WHERE {join});
            DROP TABLE {stage};
            """;
    }

    public override async Task BulkUpsertAsync<TRow>(
        StoreTransaction transaction,
        TableShape table,
        IReadOnlyList<Column<TRow>> columns,
        IReadOnlyList<TRow> rows,
        CancellationToken cancellationToken)
    {
        var connection = (SqlConnection)transaction.Connection;
        var sqlTransaction = (SqlTransaction)transaction.Transaction;
        await ExecuteAsync(connection, sqlTransaction, CreateStaging(table), cancellationToken).ConfigureAwait(false);
        await BulkCopyAsync(transaction, StagingTable(table), SqlBulkCopyOptions.TableLock, columns, rows, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, sqlTransaction, MergeStaging(table), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SqlBulkCopy skips CHECK and foreign-key constraints unless told to check them.</summary>
    public override Task BulkInsertAsync<TRow>(
        StoreTransaction transaction,
        string table,
        IReadOnlyList<Column<TRow>> columns,
        IReadOnlyList<TRow> rows,
        CancellationToken cancellationToken) =>
        BulkCopyAsync(transaction, table, SqlBulkCopyOptions.CheckConstraints, columns, rows, cancellationToken);

    private static async Task BulkCopyAsync<TRow>(
        StoreTransaction transaction,
        string destination,
        SqlBulkCopyOptions options,
        IReadOnlyList<Column<TRow>> columns,
        IReadOnlyList<TRow> rows,
        CancellationToken cancellationToken)
    {
        using var bulk = new SqlBulkCopy((SqlConnection)transaction.Connection, options, (SqlTransaction)transaction.Transaction);
        bulk.DestinationTableName = destination;
        bulk.BulkCopyTimeout = 0;
        using var buffer = new DataTable();
        foreach (var column in columns)
        {
            buffer.Columns.Add(column.Name, ClrType(column.Type));
            bulk.ColumnMappings.Add(column.Name, column.Name);
        }
        for (var start = 0; start < rows.Count; start += BulkChunk)
        {
            buffer.Clear();
            var end = Math.Min(rows.Count, start + BulkChunk);
            for (var r = start; r < end; r++)
            {
                var values = new object[columns.Count];
                for (var i = 0; i < columns.Count; i++)
                    values[i] = ToSqlServer(columns[i].Value(rows[r]));
                buffer.Rows.Add(values);
            }
            await bulk.WriteToServerAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Type ClrType(ColumnType type) => type switch
    {
        ColumnType.Text => typeof(string),
        ColumnType.Bool => typeof(bool),
        ColumnType.Int => typeof(int),
        ColumnType.Decimal => typeof(decimal),
        ColumnType.Date => typeof(DateTime),
        ColumnType.Moment => typeof(DateTimeOffset),
        ColumnType.Guid => typeof(Guid),
        ColumnType.Double => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static object ToSqlServer(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset moment => StoreValues.Normalize(moment),
        DateOnly date => date.ToDateTime(TimeOnly.MinValue),
        _ => value,
    };

    private static async Task ExecuteAsync(
        SqlConnection connection, SqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new SqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

using System.Data.Common;
using System.Diagnostics;
using DbUp;
using DbUp.Builder;
using Microsoft.Data.Sqlite;

namespace LeadRouter.Storage;

internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    public override async Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        // WAL (set by the migration, it persists in the file) makes NORMAL durable enough and far faster.
        // A 64 MiB page cache (allocated only as used) holds a sync batch's dirty index pages, so each is
        // written once per commit instead of spilling to the log mid-transaction.
        command.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override UpgradeEngineBuilder Migrations(string connectionString) =>
        DeployChanges.To.SqliteDatabase(connectionString);

    /// <summary>
    /// An OS lock on "&lt;database file&gt;.migrating" beside the database (left in place: deleting it could
    /// let two processes each lock a different file). SQLite's own locks are on other files.
    /// </summary>
    public override IDisposable LockMigrations(string connectionString, TimeSpan timeout)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:")
            return NoLock.Instance;
        var path = Path.GetFullPath(file) + ".migrating";
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < timeout)
            {
                Thread.Sleep(50);
            }
            catch (IOException e)
            {
                throw new StoreSchemaException(
                    $"Another LeadRouter has been migrating the SQLite database for {timeout.TotalSeconds:F0} s (lock file {path}).", e);
            }
        }
    }

    // A deferred BEGIN takes no write lock: in WAL mode readers and the writer do not block each other.
    public override Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override string ClaimOutbox =>
        """
        UPDATE outbox SET locked_until = @LockedUntil, locked_by = @Owner
        WHERE position IN (
            SELECT position FROM outbox
            WHERE sent_at IS NULL AND (locked_until IS NULL OR locked_until <= @Now)
            ORDER BY position
            LIMIT @Limit)
        RETURNING position AS Position, id AS Id, message_type AS MessageType, payload AS Payload,
            created_at AS CreatedAt, attempts AS Attempts, last_error AS LastError
        """;

    /// <summary>One prepared statement, re-bound and re-run per row inside the caller's transaction.</summary>
    public override Task BulkUpsertAsync<TRow>(
        StoreTransaction transaction,
        TableShape table,
        IReadOnlyList<Column<TRow>> columns,
        IReadOnlyList<TRow> rows,
        CancellationToken cancellationToken)
    {
        using var command = (SqliteCommand)transaction.Connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction.Transaction;
        var names = columns.Select((_, i) => "$p" + i).ToArray();
        command.CommandText =
            $"INSERT INTO {table.Name} ({ColumnList(table)}) VALUES ({string.Join(", ", names)}) " +
            OnConflict(table);
        var parameters = names.Select(n => command.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        command.Prepare();
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < columns.Count; i++)
                parameters[i].Value = StoreValues.ToSqlite(columns[i].Value(row));
            // SQLite runs in-process: the synchronous call avoids a Task per row.
            command.ExecuteNonQuery();
        }
        return Task.CompletedTask;
    }

    private sealed class NoLock : IDisposable
    {
        public static readonly NoLock Instance = new();

        public void Dispose()
        {
        }
    }
}

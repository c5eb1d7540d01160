using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DbUp;
using DbUp.Builder;
using Microsoft.Data.Sqlite;
using SQLitePCL;

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
        // Every page reaches the file twice, once in the log and once when the log is checkpointed into the
        // database. Checkpointing at 256 MiB of log rather than SQLite's 4 MiB lets a page that several of a
        // sync's commits change (a primary-key index page, mostly) be copied once: a first sync of the large
        // org writes 2.1 times its database instead of 2.7. journal_size_limit then truncates the log back
        // to 64 MiB once a checkpoint has emptied it.
        command.CommandText =
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; " +
            "PRAGMA wal_autocheckpoint = 65536; PRAGMA journal_size_limit = 67108864;";
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

    // One JSON text parameter rather than Dapper's parameter per value: SQLite finds each parameter by name in a linear
    // list, so binding n values took n² name comparisons (a twentieth of the outbox relay's CPU at 200 ids a statement).
    public override string AnyOf(string column, string listParameter) => $"{column} IN (SELECT value FROM json_each({listParameter}))";

    public override object IdList(IEnumerable<Guid> ids) => TextList(ids.Select(StoreValues.ToSqliteText));

    public override object TextList(IEnumerable<string> values) => JsonSerializer.Serialize(values);

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

    public override Task BulkUpsertAsync<TRow>(
        StoreTransaction transaction,
        TableShape table,
        IReadOnlyList<Column<TRow>> columns,
        IReadOnlyList<TRow> rows,
        CancellationToken cancellationToken)
    {
        StepEachRow(transaction, $"{InsertStatement(table.Name, columns)} {OnConflict(table)}", columns, rows, cancellationToken);
        return Task.CompletedTask;
    }

    public override Task BulkInsertAsync<TRow>(
        StoreTransaction transaction,
        string table,
        IReadOnlyList<Column<TRow>> columns,
        IReadOnlyList<TRow> rows,
        CancellationToken cancellationToken)
    {
        StepEachRow(transaction, InsertStatement(table, columns), columns, rows, cancellationToken);
        return Task.CompletedTask;
    }

    private static string InsertStatement<TRow>(string table, IReadOnlyList<Column<TRow>> columns) =>
        $"INSERT INTO {table} ({ColumnList(columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "?" + (i + 1)))})";

    /// <summary>
    /// One statement, prepared once per batch and re-bound per row straight through SQLite's C API: values are
    /// bound by position as UTF-8 (moments and dates formatted in a scratch buffer), with no parameter objects
    /// and no string per value. Runs in the caller's transaction, which already holds the write lock.
    /// </summary>
    private static void StepEachRow<TRow>(
        StoreTransaction transaction, string sql, IReadOnlyList<Column<TRow>> columns, IReadOnlyList<TRow> rows, CancellationToken cancellationToken)
    {
        var handle = ((SqliteConnection)transaction.Connection).Handle!;
        Check(raw.sqlite3_prepare_v2(handle, sql, out var statement), handle);
        using (statement)
        {
            var scratch = new byte[256];
            for (var r = 0; r < rows.Count; r++)
            {
                if ((r & 0x3FF) == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                for (var i = 0; i < columns.Count; i++)
                    Check(Bind(statement, i + 1, columns[i].Value(rows[r]), ref scratch), handle);
                var stepped = raw.sqlite3_step(statement);
                if (stepped != raw.SQLITE_DONE)
                    Check(stepped, handle);
                Check(raw.sqlite3_reset(statement), handle);
            }
        }
    }

    /// <summary>Binds a value as the store keeps it (see <see cref="StoreValues"/>); SQLite copies what it is given.</summary>
    private static int Bind(sqlite3_stmt statement, int index, object? value, ref byte[] scratch)
    {
        switch (value)
        {
            case null:
                return raw.sqlite3_bind_null(statement, index);
            case string text:
                var length = Encoding.UTF8.GetMaxByteCount(text.Length);
                if (length > scratch.Length)
                    scratch = new byte[Math.Max(length, scratch.Length * 2)];
                return raw.sqlite3_bind_text(statement, index, scratch.AsSpan(0, Encoding.UTF8.GetBytes(text, scratch)));
            case bool flag:
                return raw.sqlite3_bind_int(statement, index, flag ? 1 : 0);
            case int number:
                return raw.sqlite3_bind_int(statement, index, number);
            case double real:
                return raw.sqlite3_bind_double(statement, index, real);
            case DateTimeOffset moment:
                return raw.sqlite3_bind_text(statement, index, scratch.AsSpan(0, StoreValues.WriteSqliteText(moment, scratch)));
            case DateOnly date:
                return raw.sqlite3_bind_text(statement, index, scratch.AsSpan(0, StoreValues.WriteSqliteText(date, scratch)));
            case Guid id:
                // Lower-case "D" text, as StoreValues.ToSqliteText writes it.
                id.TryFormat(scratch, out var guidLength, "D");
                return raw.sqlite3_bind_text(statement, index, scratch.AsSpan(0, guidLength));
            case decimal amount:
                amount.TryFormat(scratch, out var written, default, CultureInfo.InvariantCulture);
                return raw.sqlite3_bind_text(statement, index, scratch.AsSpan(0, written));
            default:
                throw new NotSupportedException($"The SQLite store cannot bind a {value.GetType().Name}.");
        }
    }

    /// <summary>Throws SQLite's error as Microsoft.Data.Sqlite does, so callers see one exception type (busy, constraint, …).</summary>
    private static void Check(int result, sqlite3 handle)
    {
        if (result != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(result, handle);
    }

    private sealed class NoLock : IDisposable
    {
        public static readonly NoLock Instance = new();

        public void Dispose()
        {
        }
    }
}

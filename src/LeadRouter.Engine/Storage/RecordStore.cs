using System.Globalization;
using System.Runtime.InteropServices;
using Dapper;
using LeadRouter.Org;
using Microsoft.Data.Sqlite;

namespace LeadRouter.Storage;

/// <summary>
/// The local copy of the Salesforce records LeadRouter scores and routes. The sync writes pages of
/// rows (each keeps its newest version by SystemModstamp) and deletes; the engines load a snapshot of
/// the live rows.
/// </summary>
public sealed class RecordStore(LeadRouterDatabase database)
{
    /// <summary>Salesforce currency fields hold at most 18 digits, 2 after the point.</summary>
    private const decimal MaxCurrency = 9_999_999_999_999_999.99m;

    /// <summary>Upserts a batch of rows in its own transaction.</summary>
    public Task UpsertAsync<T>(IReadOnlyList<SyncedRow<T>> rows, CancellationToken cancellationToken = default)
        where T : class =>
        database.InTransactionAsync(transaction => UpsertAsync(rows, transaction, cancellationToken), cancellationToken);

    /// <summary>
    /// Upserts a batch of rows in the caller's transaction (with the sync's watermark, for instance).
    /// A row already stored with a newer SystemModstamp is kept; within the batch the newest version of
    /// an Id wins. Every row is validated first: a bad one fails the batch and writes nothing.
    /// </summary>
    public async Task UpsertAsync<T>(
        IReadOnlyList<SyncedRow<T>> rows, StoreTransaction transaction, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = SyncedTables.For<T>();
        if (rows.Count == 0)
            return;
        Validate(table, rows);
        await transaction.Dialect
            .BulkUpsertAsync(transaction, table.Shape, table.Columns, NewestPerId(rows), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Marks rows deleted in their own transaction; see the transaction-scoped overload.</summary>
    public Task<int> MarkDeletedAsync<T>(
        IReadOnlyCollection<string> ids, DateTimeOffset deletedAt, CancellationToken cancellationToken = default)
        where T : class =>
        database.InTransactionAsync(transaction => MarkDeletedAsync<T>(ids, deletedAt, transaction, cancellationToken), cancellationToken);

    /// <summary>
    /// Marks the rows with these Ids deleted as of <paramref name="deletedAt"/> (Salesforce's deletedDate),
    /// unless a row was modified after it. Unknown Ids are ignored. Returns how many rows were marked.
    /// </summary>
    public async Task<int> MarkDeletedAsync<T>(
        IReadOnlyCollection<string> ids,
        DateTimeOffset deletedAt,
        StoreTransaction transaction,
        CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(ids);
        var table = SyncedTables.For<T>();
        foreach (var id in ids)
        {
            if (!IsSalesforceId(id))
                throw new ArgumentException($"{table.ObjectName} delete: '{id}' is not an 18-character Salesforce id.", nameof(ids));
        }
        var sql = MarkDeletedSql(table.Name);
        var marked = 0;
        foreach (var id in ids)
        {
            marked += await transaction.Connection.ExecuteAsync(new CommandDefinition(
                sql,
                new { Id = id, DeletedAt = deletedAt, Deleted = true },
                transaction.Transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        return marked;
    }

    /// <summary>
    /// Loads the live (not deleted) rows as a snapshot. With <paramref name="activitySince"/>,
    /// only recent activity is loaded: Events starting from then on, Tasks created from then on or
    /// still open, and OpportunityHistory from then on; other objects are loaded whole.
    /// </summary>
    public async Task<OrgSnapshot> LoadSnapshotAsync(
        DateTimeOffset? activitySince = null, CancellationToken cancellationToken = default)
    {
        // Tasks, half of a large snapshot, load on a second connection meanwhile, so a second core halves the
        // wait. Two reads see the store at two moments, as one read sees a pull in progress: what a sync
        // commits is whole pages with their watermark, so either way each table holds a consistent prefix of its pull.
        var tasks = Task.Run(async () =>
        {
            await using var tasksTransaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
            return await new SnapshotLoad(tasksTransaction, activitySince, cancellationToken)
                .TableAsync(SyncedTables.Tasks, "(created_date >= @Since OR is_closed = @Open)").ConfigureAwait(false);
        }, cancellationToken);
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var load = new SnapshotLoad(transaction, activitySince, cancellationToken);
        var users = await load.TableAsync(SyncedTables.Users, null).ConfigureAwait(false);
        var queues = await load.TableAsync(SyncedTables.Queues, null).ConfigureAwait(false);
        var events = await load.TableAsync(SyncedTables.Events, "start_date_time >= @Since").ConfigureAwait(false);
        var eventRelations = await load.TableAsync(SyncedTables.EventRelations, null).ConfigureAwait(false);
        var opportunities = await load.TableAsync(SyncedTables.Opportunities, null).ConfigureAwait(false);
        var contactRoles = await load.TableAsync(SyncedTables.ContactRoles, null).ConfigureAwait(false);
        var history = await load.TableAsync(SyncedTables.History, "created_date >= @Since").ConfigureAwait(false);
        // Leads before waiting for the tasks: read after them, they kept one core idle for a seventh of the load.
        var leads = await load.TableAsync(SyncedTables.Leads, null).ConfigureAwait(false);
        var snapshot = new OrgSnapshot(
            users, queues, events, eventRelations, opportunities, contactRoles, history, await tasks.ConfigureAwait(false), leads);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return snapshot;
    }

    /// <summary>The live users, queues and leads, read together: what re-checking an approval needs, without the activity.</summary>
    public async Task<(IReadOnlyList<User> Users, IReadOnlyList<Queue> Queues, IReadOnlyList<Lead> Leads)> LoadPeopleAndLeadsAsync(
        CancellationToken cancellationToken = default)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var load = new SnapshotLoad(transaction, null, cancellationToken);
        return (await load.TableAsync(SyncedTables.Users, null).ConfigureAwait(false),
            await load.TableAsync(SyncedTables.Queues, null).ConfigureAwait(false),
            await load.TableAsync(SyncedTables.Leads, null).ConfigureAwait(false));
    }

    /// <summary>The live queues (for resolving the routing rules' queue names without loading a snapshot).</summary>
    public async Task<IReadOnlyList<Queue>> LoadQueuesAsync(CancellationToken cancellationToken = default)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await new SnapshotLoad(transaction, null, cancellationToken).TableAsync(SyncedTables.Queues, null).ConfigureAwait(false);
    }

    /// <summary>
    /// The SELECT of one table's live rows (id first), optionally narrowed to recent activity. No ORDER BY:
    /// the engine would walk the primary key and fetch each row from the table at random (SQLite), or sort
    /// by its collation (PostgreSQL); the loader sorts by ordinal id instead, the same order on every engine.
    /// </summary>
    internal static string SelectLiveSql<T>(SyncedTable<T> table, string? recentFilter)
        where T : class =>
        $"SELECT id, {string.Join(", ", table.ReadColumns)} FROM {table.Name} WHERE is_deleted = @Deleted" +
        (recentFilter is null ? "" : " AND " + recentFilter);

    internal static string MarkDeletedSql(string tableName) =>
        $"UPDATE {tableName} SET is_deleted = @Deleted, system_modstamp = @DeletedAt WHERE id = @Id AND system_modstamp <= @DeletedAt";

    /// <summary>Every statement this class sends, for the SQL Server syntax check.</summary>
    internal static IEnumerable<string> Statements() =>
    [
        SelectLiveSql(SyncedTables.Users, null),
        SelectLiveSql(SyncedTables.Queues, null),
        SelectLiveSql(SyncedTables.Events, "start_date_time >= @Since"),
        SelectLiveSql(SyncedTables.EventRelations, null),
        SelectLiveSql(SyncedTables.Opportunities, null),
        SelectLiveSql(SyncedTables.ContactRoles, null),
        SelectLiveSql(SyncedTables.History, "created_date >= @Since"),
        SelectLiveSql(SyncedTables.Tasks, "(created_date >= @Since OR is_closed = @Open)"),
        SelectLiveSql(SyncedTables.Leads, null),
        .. SyncedTables.Shapes.Select(shape => MarkDeletedSql(shape.Name)),
    ];

    /// <summary>One snapshot's reads, in one transaction.</summary>
    private sealed class SnapshotLoad(StoreTransaction transaction, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        public async Task<IReadOnlyList<T>> TableAsync<T>(SyncedTable<T> table, string? recentFilter)
            where T : class
        {
            var filter = since is null ? null : recentFilter;
            var sql = SelectLiveSql(table, filter);
            var (ids, rows) = transaction.Connection is SqliteConnection sqlite
                ? ReadSqlite(sqlite, sql, table)
                : await ReadAsync(sql, table).ConfigureAwait(false);
            SortById(ids, rows);
            return rows;
        }

        /// <summary>Sorts the rows by id in ordinal order, by packed keys when every id packs (see <see cref="PackedId"/>).</summary>
        private static void SortById<T>(List<string> ids, List<T> rows)
        {
            var keys = new UInt128[ids.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                if (!PackedId.TryPack(ids[i].AsSpan(), out keys[i]))
                {
                    CollectionsMarshal.AsSpan(ids).Sort(CollectionsMarshal.AsSpan(rows), StringComparer.Ordinal);
                    return;
                }
            }
            keys.AsSpan().Sort(CollectionsMarshal.AsSpan(rows));
        }

        private async Task<(List<string> Ids, List<T> Rows)> ReadAsync<T>(string sql, SyncedTable<T> table)
            where T : class
        {
            var reader = await transaction.Connection.ExecuteReaderAsync(new CommandDefinition(
                sql,
                new { Deleted = false, Open = false, Since = since ?? DateTimeOffset.MinValue },
                transaction.Transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var ids = new List<string>();
                var rows = new List<T>();
                var cursor = new DataReaderRowCursor(reader);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    cursor.Next();
                    ids.Add(cursor.RowId);
                    rows.Add(table.Read(cursor));
                }
                return (ids, rows);
            }
        }

        /// <summary>The same read as <see cref="ReadAsync"/>, on the transaction's own SQLite connection, straight over the statement.</summary>
        private (List<string> Ids, List<T> Rows) ReadSqlite<T>(SqliteConnection connection, string sql, SyncedTable<T> table)
            where T : class
        {
            var handle = connection.Handle!;
            Check(SQLitePCL.raw.sqlite3_prepare_v2(handle, sql, out var statement), handle);
            using (statement)
            {
                Bind(statement, "@Deleted", 0);
                Bind(statement, "@Open", 0);
                var sinceIndex = SQLitePCL.raw.sqlite3_bind_parameter_index(statement, "@Since");
                if (sinceIndex > 0)
                    Check(SQLitePCL.raw.sqlite3_bind_text(statement, sinceIndex, StoreValues.ToSqliteText(since ?? DateTimeOffset.MinValue)), handle);
                var ids = new List<string>();
                var rows = new List<T>();
                var cursor = new SqliteRowCursor(statement);
                while (cursor.Next())
                {
                    if ((rows.Count & 0xFFFF) == 0)
                        cancellationToken.ThrowIfCancellationRequested();
                    ids.Add(cursor.RowId);
                    rows.Add(table.Read(cursor));
                }
                return (ids, rows);
            }

            void Bind(SQLitePCL.sqlite3_stmt statement, string name, int value)
            {
                var index = SQLitePCL.raw.sqlite3_bind_parameter_index(statement, name);
                if (index > 0)
                    Check(SQLitePCL.raw.sqlite3_bind_int(statement, index, value), handle);
            }
        }

        private static void Check(int result, SQLitePCL.sqlite3 handle)
        {
            if (result != SQLitePCL.raw.SQLITE_OK)
                throw new InvalidOperationException($"SQLite failed reading the store: {SQLitePCL.raw.sqlite3_errmsg(handle).utf8_to_string()}");
        }
    }

    private static void Validate<T>(SyncedTable<T> table, IReadOnlyList<SyncedRow<T>> rows)
        where T : class
    {
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"{table.ObjectName} row {i}: the row is null.", nameof(rows));
            if (row.Record is null)
                throw new ArgumentException($"{table.ObjectName} row {i} ('{row.Id}'): the record is null.", nameof(rows));
            if (!IsSalesforceId(row.Id))
                throw new ArgumentException($"{table.ObjectName} row {i}: '{row.Id}' is not an 18-character Salesforce id.", nameof(rows));
            if (table.RecordId?.Invoke(row.Record) is { } recordId && !string.Equals(recordId, row.Id, StringComparison.Ordinal))
                throw new ArgumentException($"{table.ObjectName} row {i}: the row's Id '{row.Id}' differs from its record's Id '{recordId}'.", nameof(rows));
            foreach (var column in table.Columns)
            {
                if (column.Type == ColumnType.Decimal && column.Value(row) is decimal amount &&
                    (Math.Abs(amount) > MaxCurrency || decimal.Round(amount, 2) != amount))
                {
                    throw new ArgumentException(
                        $"{table.ObjectName} row {i} ('{row.Id}'): {column.Name} {amount.ToString(CultureInfo.InvariantCulture)} " +
                        "does not fit a currency field (18 digits, at most 2 decimals).", nameof(rows));
                }
            }
        }
    }

    /// <summary>The rows with distinct Ids, keeping per Id the newest SystemModstamp (the later row on a tie).</summary>
    private static IReadOnlyList<SyncedRow<T>> NewestPerId<T>(IReadOnlyList<SyncedRow<T>> rows)
        where T : class
    {
        var newest = new Dictionary<string, int>(rows.Count, StringComparer.Ordinal);
        var duplicates = false;
        for (var i = 0; i < rows.Count; i++)
        {
            if (newest.TryGetValue(rows[i].Id, out var kept))
            {
                duplicates = true;
                if (rows[i].SystemModstamp >= rows[kept].SystemModstamp)
                    newest[rows[i].Id] = i;
            }
            else
            {
                newest.Add(rows[i].Id, i);
            }
        }
        return duplicates ? newest.Values.Order().Select(i => rows[i]).ToList() : rows;
    }

    private static bool IsSalesforceId(string? id) =>
        id is { Length: 18 } && id.All(char.IsAsciiLetterOrDigit);
}

using System.Data;
using System.Data.Common;
using Dapper;
using DbUp.Builder;

namespace LeadRouter.Storage;

/// <summary>
/// The little that differs between engines: connecting, the migration runner, upsert and bulk-load
/// statements, and the outbox claim (row locking and LIMIT/TOP). Every other statement is shared.
/// Statements use @Name parameters, which all three ADO.NET providers accept.
/// </summary>
internal abstract class SqlDialect
{
    public abstract DatabaseProvider Provider { get; }

    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>Per-connection settings, run once after each open.</summary>
    public virtual Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>The DbUp engine builder for this engine (scripts and options are added by the caller).</summary>
    public abstract UpgradeEngineBuilder Migrations(string connectionString);

    /// <summary>
    /// Takes an exclusive lock that keeps two LeadRouters (a worker starting, the CLI's migrate verb) from
    /// migrating the same database at once; disposing releases it. Waits up to <paramref name="timeout"/>.
    /// </summary>
    public abstract IDisposable LockMigrations(string connectionString, TimeSpan timeout);

    /// <summary>A transaction for reading a consistent snapshot without blocking the sync's writers.</summary>
    public virtual async Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Insert the row, or update its non-key columns when its key exists (and, for a newer-wins table,
    /// the incoming row is not older). Parameters are @PascalCase column names.
    /// </summary>
    // SQLite and PostgreSQL share INSERT ... ON CONFLICT; SQL Server has its own.
    public virtual string Upsert(TableShape table) =>
        $"INSERT INTO {table.Name} ({ColumnList(table)}) VALUES ({ParameterList(table)}) {OnConflict(table)}";

    /// <summary>Insert the row unless its key exists; affects 0 rows on a duplicate.</summary>
    public virtual string InsertIfAbsent(TableShape table) =>
        $"INSERT INTO {table.Name} ({ColumnList(table)}) VALUES ({ParameterList(table)}) ON CONFLICT ({string.Join(", ", table.Key)}) DO NOTHING";

    /// <summary>
    /// Leases up to @Limit unsent, unleased outbox rows (oldest first) to @Owner until @LockedUntil, skipping rows
    /// another publisher is claiming, and returns them (in no particular order).
    /// </summary>
    public abstract string ClaimOutbox { get; }

    /// <summary>
    /// Upserts many rows in the caller's transaction, as <see cref="Upsert"/> does for one. The rows must
    /// have distinct keys.
    /// </summary>
    public abstract Task BulkUpsertAsync<TRow>(
        StoreTransaction transaction,
        TableShape table,
        IReadOnlyList<Column<TRow>> columns,
        IReadOnlyList<TRow> rows,
        CancellationToken cancellationToken);

    /// <summary>
    /// Inserts many rows (the columns given; the others take their defaults) in the caller's transaction,
    /// the fastest way the engine has. A row whose key exists fails the insert.
    /// </summary>
    public abstract Task BulkInsertAsync<TRow>(
        StoreTransaction transaction,
        string table,
        IReadOnlyList<Column<TRow>> columns,
        IReadOnlyList<TRow> rows,
        CancellationToken cancellationToken);

    /// <summary>
    /// "<paramref name="column"/> is one of the list bound to <paramref name="listParameter"/>" (bind <see cref="IdList"/> or
    /// <see cref="TextList"/>): Dapper expands a list into one parameter per value, except on PostgreSQL, where it binds
    /// one array, and on SQLite, where the list is one JSON array.
    /// </summary>
    public virtual string AnyOf(string column, string listParameter) => $"{column} IN {listParameter}";

    /// <summary>Ids to bind as a list for <see cref="AnyOf"/>: Dapper leaves its Guid handler out of a list's values.</summary>
    public virtual object IdList(IEnumerable<Guid> ids) => ids.ToArray();

    /// <summary>Text values to bind as a list for <see cref="AnyOf"/>.</summary>
    public virtual object TextList(IEnumerable<string> values) => values.ToArray();

    /// <summary>
    /// Runs <paramref name="sql"/> once per parameter set (@Name → value) in the caller's transaction and returns
    /// the rows each run affected, in order: per-row semantics for a consumer batch's writes.
    /// </summary>
    public virtual async Task<int[]> ExecuteEachAsync(
        StoreTransaction transaction, string sql, IReadOnlyList<Dictionary<string, object?>> parameterSets, CancellationToken cancellationToken)
    {
        var affected = new int[parameterSets.Count];
        for (var i = 0; i < parameterSets.Count; i++)
        {
            affected[i] = await transaction.Connection.ExecuteAsync(new CommandDefinition(
                sql, parameterSets[i], transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        return affected;
    }

    public static SqlDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => SqliteDialect.Instance,
        DatabaseProvider.SqlServer => SqlServerDialect.Instance,
        DatabaseProvider.Postgres => PostgresDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
    };

    /// <summary>"rep_id" → "@RepId": Dapper binds the property of the same name.</summary>
    public static string Parameter(string column) =>
        "@" + string.Concat(column.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>The INSERT … ON CONFLICT tail shared by SQLite and PostgreSQL.</summary>
    protected static string OnConflict(TableShape table)
    {
        var newer = table.NewerWinsColumn;
        var key = string.Join(", ", table.Key);
        var updates = table.NonKeyColumns.Select(c => $"{c} = excluded.{c}").ToArray();
        if (updates.Length == 0)
            return $"ON CONFLICT ({key}) DO NOTHING";
        var guard = newer is null ? "" : $" WHERE excluded.{newer} >= {table.Name}.{newer}";
        return $"ON CONFLICT ({key}) DO UPDATE SET {string.Join(", ", updates)}{guard}";
    }

    protected static string ColumnList(TableShape table) => string.Join(", ", table.Columns);

    protected static string ColumnList<TRow>(IReadOnlyList<Column<TRow>> columns) => string.Join(", ", columns.Select(c => c.Name));

    protected static string ParameterList(TableShape table) => string.Join(", ", table.Columns.Select(Parameter));
}

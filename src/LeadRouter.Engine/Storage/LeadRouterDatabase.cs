using System.Data.Common;
using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.Data.Sqlite;

namespace LeadRouter.Storage;

/// <summary>
/// The store's database: which engine, how to reach it, and its schema. The store classes
/// (<see cref="RecordStore"/>, <see cref="WatermarkStore"/>, <see cref="TrustScoreStore"/>,
/// <see cref="RoutingStore"/>, <see cref="Outbox"/>, <see cref="ProcessedMessages"/>) all work through one.
/// </summary>
public sealed class LeadRouterDatabase
{
    /// <summary>How long a migration waits for another LeadRouter's migration of the same database.</summary>
    private static readonly TimeSpan MigrationLockTimeout = TimeSpan.FromMinutes(2);

    private readonly string _connectionString;

    /// <summary>
    /// SQLite takes one writer at a time. Within this process, write transactions take turns here rather than
    /// through Microsoft.Data.Sqlite's busy handling, which retries a refused BEGIN only after a sleep: the relay
    /// marking batches sent beside the routing consumer recording outcomes spent most of a large run asleep that way.
    /// Other processes on the same file still meet SQLite's own locking. Null on the server databases.
    /// </summary>
    private readonly SemaphoreSlim? _sqliteWriter;

    /// <summary>How long a write transaction waits for its turn: the connection's default command timeout, as SQLite's busy handling would.</summary>
    private readonly TimeSpan _sqliteWriterWait;

    public LeadRouterDatabase(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new ArgumentException($"Storage: a connection string is required for provider {options.Provider}.", nameof(options));
        Provider = options.Provider;
        Dialect = SqlDialect.For(options.Provider);
        _connectionString = options.ConnectionString;
        if (Provider == DatabaseProvider.Sqlite)
        {
            _sqliteWriter = new SemaphoreSlim(1, 1);
            _sqliteWriterWait = TimeSpan.FromSeconds(new SqliteConnectionStringBuilder(_connectionString).DefaultTimeout);
        }
        StoreValues.RegisterDapperHandlers();
    }

    public DatabaseProvider Provider { get; }

    internal SqlDialect Dialect { get; }

    /// <summary>Opens a connection and begins a read-write transaction on it.</summary>
    public async Task<StoreTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default)
    {
        if (_sqliteWriter is not null && !await _sqliteWriter.WaitAsync(_sqliteWriterWait, cancellationToken).ConfigureAwait(false))
            throw new SqliteException($"The SQLite store stayed busy with another write of this process for {_sqliteWriterWait.TotalSeconds:0} s.", TransientStoreErrors.SqliteBusy);
        DbConnection? connection = null;
        try
        {
            connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new StoreTransaction(connection, transaction, Dialect, _sqliteWriter);
        }
        catch
        {
            if (connection is not null)
                await connection.DisposeAsync().ConfigureAwait(false);
            _sqliteWriter?.Release();
            throw;
        }
    }

    /// <summary>A transaction that reads one consistent snapshot without holding writers back.</summary>
    internal async Task<StoreTransaction> BeginReadAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await Dialect.BeginReadAsync(connection, cancellationToken).ConfigureAwait(false);
            return new StoreTransaction(connection, transaction, Dialect);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in a new transaction and commits it.</summary>
    internal async Task<T> InTransactionAsync<T>(Func<StoreTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var transaction = await BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    internal Task InTransactionAsync(Func<StoreTransaction, Task> work, CancellationToken cancellationToken) =>
        InTransactionAsync(async transaction =>
        {
            await work(transaction).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Brings the schema up to date with the scripts embedded for this engine and returns the names of
    /// the scripts it applied (none when already current). A database that has applied a script this
    /// version does not know was migrated by a newer LeadRouter: it is refused and left untouched.
    /// </summary>
    public Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default) =>
        // DbUp is synchronous.
        Task.Run(() => Migrate(cancellationToken), cancellationToken);

    /// <summary>The resource-name prefix of this engine's migration scripts.</summary>
    internal static string MigrationPrefix(DatabaseProvider provider) => $"LeadRouter.Storage.Migrations.{provider}.";

    private IReadOnlyList<string> Migrate(CancellationToken cancellationToken)
    {
        if (Provider == DatabaseProvider.Sqlite)
            CreateSqliteFolder();
        using var migrationLock = Dialect.LockMigrations(_connectionString, MigrationLockTimeout);

        var engine = MigrationEngine();

        var known = engine.GetDiscoveredScripts().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = engine.GetExecutedScripts().Where(name => !known.Contains(name)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new StoreSchemaException(
                $"The {Provider} database was migrated by a newer LeadRouter: it has applied migration script " +
                $"'{unknown[^1]}'{(unknown.Count > 1 ? $" (and {unknown.Count - 1} more)" : "")} that this version does not know. " +
                "Upgrade LeadRouter, or point it at another database.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var result = engine.PerformUpgrade();
        if (!result.Successful)
        {
            throw new StoreSchemaException(
                $"Migration script '{result.ErrorScript?.Name}' failed on {Provider}: {result.Error.Message}", result.Error);
        }

        if (Provider == DatabaseProvider.Sqlite)
            UseWriteAheadLog();
        return result.Scripts.Select(s => s.Name).ToList();
    }

    /// <summary>
    /// The migration scripts this version has that the database has not applied (none when it is
    /// current). It reads the database's journal, so it also fails when the store cannot be reached.
    /// </summary>
    public Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken = default) =>
        Task.Run(() => (IReadOnlyList<string>)MigrationEngine().GetScriptsToExecute().Select(s => s.Name).ToList(), cancellationToken);

    private UpgradeEngine MigrationEngine()
    {
        var prefix = MigrationPrefix(Provider);
        return Dialect.Migrations(_connectionString)
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.StartsWith(prefix, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build();
    }

    private void CreateSqliteFolder()
    {
        var file = new SqliteConnectionStringBuilder(_connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(file) && file != ":memory:" && folder is not null)
            Directory.CreateDirectory(folder);
    }

    private void UseWriteAheadLog()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        command.ExecuteNonQuery();
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = Dialect.CreateConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await Dialect.PrepareConnectionAsync(connection, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}

/// <summary>The database's schema does not fit this version of LeadRouter.</summary>
public sealed class StoreSchemaException : Exception
{
    public StoreSchemaException(string message)
        : base(message)
    {
    }

    public StoreSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

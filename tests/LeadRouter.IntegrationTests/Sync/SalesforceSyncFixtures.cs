using Dapper;
using LeadRouter.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LeadRouter.IntegrationTests.Sync;

/// <summary>The sync on the embedded default: one SQLite file per store, in a folder removed afterwards.</summary>
[TestFixture]
public sealed class SqliteSalesforceSyncTests : SalesforceSyncTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "leadrouter-sync-" + Guid.NewGuid().ToString("N"));

    protected override async Task<LeadRouterDatabase> CreateDatabaseAsync()
    {
        var database = new LeadRouterDatabase(StorageOptions.SqliteFile(Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db")));
        await database.MigrateAsync();
        return database;
    }

    protected override Task DropDatabasesAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The sync on PostgreSQL (scripts/services/postgres.sh starts a private server and sets
/// LEADROUTER_TEST_POSTGRES). Each store is its own database, dropped afterwards.
/// </summary>
[TestFixture]
public sealed class PostgresSalesforceSyncTests : SalesforceSyncTests
{
    private readonly List<string> _databases = [];

    private static string? Server => Environment.GetEnvironmentVariable("LEADROUTER_TEST_POSTGRES");

    protected override async Task<LeadRouterDatabase> CreateDatabaseAsync()
    {
        if (string.IsNullOrWhiteSpace(Server))
            Assert.Ignore("LEADROUTER_TEST_POSTGRES is not set: no PostgreSQL server to test against (scripts/test.sh starts one).");
        var name = "leadrouter_sync_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(Server))
            await connection.ExecuteAsync($"CREATE DATABASE {name}");
        _databases.Add(name);
        var database = new LeadRouterDatabase(new StorageOptions
        {
            Provider = DatabaseProvider.Postgres,
            ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString,
        });
        await database.MigrateAsync();
        return database;
    }

    protected override async Task DropDatabasesAsync()
    {
        if (_databases.Count == 0)
            return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Server);
        foreach (var name in _databases)
            await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        _databases.Clear();
    }
}

using Dapper;
using LeadRouter.Storage;
using LeadRouter.Tests.Storage;
using Npgsql;

namespace LeadRouter.IntegrationTests.Storage;

/// <summary>
/// The store contract on a real PostgreSQL server (scripts/services/postgres.sh starts a private one and
/// sets LEADROUTER_TEST_POSTGRES). Each test gets its own database, dropped afterwards.
/// </summary>
[TestFixture]
public sealed class PostgresStoreTests : StoreContractTests
{
    private readonly List<string> _databases = [];

    private static string? Server => Environment.GetEnvironmentVariable("LEADROUTER_TEST_POSTGRES");

    protected override async Task<LeadRouterDatabase> CreateEmptyDatabaseAsync()
    {
        if (string.IsNullOrWhiteSpace(Server))
            Assert.Ignore("LEADROUTER_TEST_POSTGRES is not set: no PostgreSQL server to test against (scripts/test.sh starts one).");
        var name = "leadrouter_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(Server))
            await connection.ExecuteAsync($"CREATE DATABASE {name}");
        _databases.Add(name);
        var connectionString = new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;
        return new LeadRouterDatabase(new StorageOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString });
    }

    protected override async Task DropDatabasesAsync()
    {
        if (_databases.Count == 0)
            return;
        await using var connection = new NpgsqlConnection(Server);
        foreach (var name in _databases)
            await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        _databases.Clear();
    }
}

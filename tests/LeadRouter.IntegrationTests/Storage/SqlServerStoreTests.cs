using Dapper;
using LeadRouter.Storage;
using LeadRouter.Tests.Storage;
using Microsoft.Data.SqlClient;

namespace LeadRouter.IntegrationTests.Storage;

/// <summary>
/// The store contract on SQL Server, the production target. No server runs here: the tests run when
/// LEADROUTER_TEST_SQLSERVER holds a connection string (a login allowed to create databases) and are
/// reported as skipped otherwise. Each test gets its own database, dropped afterwards.
/// </summary>
[TestFixture]
public sealed class SqlServerStoreTests : StoreContractTests
{
    private readonly List<string> _databases = [];

    private static string? Server => Environment.GetEnvironmentVariable("LEADROUTER_TEST_SQLSERVER");

    protected override async Task<LeadRouterDatabase> CreateEmptyDatabaseAsync()
    {
        if (string.IsNullOrWhiteSpace(Server))
            Assert.Ignore("LEADROUTER_TEST_SQLSERVER is not set: no SQL Server to test against.");
        var name = "leadrouter_" + Guid.NewGuid().ToString("N");
        await using (var connection = new SqlConnection(Server))
            await connection.ExecuteAsync($"CREATE DATABASE [{name}]");
        _databases.Add(name);
        var connectionString = new SqlConnectionStringBuilder(Server) { InitialCatalog = name }.ConnectionString;
        return new LeadRouterDatabase(new StorageOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = connectionString });
    }

    protected override async Task DropDatabasesAsync()
    {
        if (_databases.Count == 0)
            return;
        SqlConnection.ClearAllPools();
        await using var connection = new SqlConnection(Server);
        foreach (var name in _databases)
            await connection.ExecuteAsync($"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]");
        _databases.Clear();
    }
}

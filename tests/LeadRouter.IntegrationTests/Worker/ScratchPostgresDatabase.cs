using Dapper;
using Npgsql;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>A fresh database on the test PostgreSQL server (LEADROUTER_TEST_POSTGRES), dropped when disposed.</summary>
internal sealed class ScratchPostgresDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _name;

    private ScratchPostgresDatabase(string server, string name)
    {
        _server = server;
        _name = name;
    }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ConnectionString;

    /// <summary>Creates one, or marks the test ignored when no server is configured.</summary>
    public static async Task<ScratchPostgresDatabase> CreateOrIgnoreAsync()
    {
        var server = Environment.GetEnvironmentVariable("LEADROUTER_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
            Assert.Ignore("LEADROUTER_TEST_POSTGRES is not set: no PostgreSQL server to test against (scripts/test.sh starts one).");
        var name = "leadrouter_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(server);
        await connection.ExecuteAsync($"CREATE DATABASE {name}");
        return new ScratchPostgresDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }
}

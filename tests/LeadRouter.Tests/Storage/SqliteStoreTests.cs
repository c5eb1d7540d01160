using LeadRouter.Storage;
using Microsoft.Data.Sqlite;

namespace LeadRouter.Tests.Storage;

/// <summary>The store contract on SQLite, the embedded default: a new file per database.</summary>
[TestFixture]
public sealed class SqliteStoreTests : StoreContractTests
{
    private string _folder = "";

    protected override Task<LeadRouterDatabase> CreateEmptyDatabaseAsync()
    {
        if (_folder.Length == 0)
            _folder = Path.Combine(Path.GetTempPath(), "leadrouter-store-" + Guid.NewGuid().ToString("N"));
        // A folder that does not exist yet: migration creates it.
        var file = Path.Combine(_folder, Guid.NewGuid().ToString("N"), "leadrouter.db");
        return Task.FromResult(new LeadRouterDatabase(StorageOptions.SqliteFile(file)));
    }

    protected override Task DropDatabasesAsync()
    {
        SqliteConnection.ClearAllPools();
        if (_folder.Length > 0 && Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
        _folder = "";
        return Task.CompletedTask;
    }

    [Test]
    public async Task TheFileIsInWriteAheadLogMode()
    {
        await using var transaction = await Database.BeginTransactionAsync();
        await using var command = transaction.Connection.CreateCommand();
        command.Transaction = transaction.Transaction;
        command.CommandText = "PRAGMA journal_mode";

        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("wal"));
    }

    [Test]
    public async Task MomentsAreStoredAsSortableUtcText()
    {
        var local = new DateTimeOffset(2026, 3, 1, 0, 30, 0, 5, TimeSpan.FromHours(2));
        await new WatermarkStore(Database).SaveAsync(new Watermark("Task", local, null, local));

        await using var transaction = await Database.BeginTransactionAsync();
        await using var command = transaction.Connection.CreateCommand();
        command.Transaction = transaction.Transaction;
        command.CommandText = "SELECT last_system_modstamp FROM sync_watermarks";

        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("2026-02-28T22:30:00.005Z"));
    }
}

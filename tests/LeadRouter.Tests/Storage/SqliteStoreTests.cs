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

    [Test]
    public async Task TheBulkUpsertStoresEachValueAsTheStoresText()
    {
        var store = new RecordStore(Database);
        await store.UpsertAsync([SyncedRow.Of(StoreSamples.Task(1, StoreSamples.Monday.AddTicks(12_345)), StoreSamples.Monday)]);
        await store.UpsertAsync([SyncedRow.Of(StoreSamples.Opportunity(1, 125_000.5m), StoreSamples.Monday)]);

        await using var transaction = await Database.BeginTransactionAsync();
        await using var command = transaction.Connection.CreateCommand();
        command.Transaction = transaction.Transaction;
        command.CommandText =
            "SELECT t.created_date, t.activity_date, t.is_closed, t.completed_date_time, t.who_id, o.amount, o.next_step " +
            "FROM tasks t, opportunities o";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync());
        Assert.That(Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue), Is.EqualTo(new object[]
        {
            "2026-03-02T09:00:00.001Z", "2026-03-02", 1L, "2026-03-02T10:00:00.001Z", StoreSamples.ContactId(1), "125000.5", "Send proposal",
        }));
    }

    [Test]
    public async Task ARowTheEngineRefusesFailsItsBatchWithSqlitesErrorAndWritesNothing()
    {
        var store = new RecordStore(Database);
        var noOwner = StoreSamples.Task(2, StoreSamples.Monday) with { OwnerId = null! };

        var refused = Assert.ThrowsAsync<SqliteException>(() => store.UpsertAsync([SyncedRow.Of(StoreSamples.Task(1, StoreSamples.Monday), StoreSamples.Monday), SyncedRow.Of(noOwner, StoreSamples.Monday)]));

        Assert.That(refused!.Message, Does.Contain("NOT NULL").And.Contain("tasks.owner_id"));
        Assert.That((await store.LoadSnapshotAsync()).Tasks, Is.Empty);
    }
    [Test]
    public async Task AWriteTransactionWaitsItsTurnBehindAnotherOfThisProcessWithoutHoldingItsThread()
    {
        await using var first = await Database.BeginTransactionAsync();
        await new WatermarkStore(Database).SaveAsync(new Watermark("Lead", StoreSamples.Monday, null, StoreSamples.Monday), first);

        // SQLite's own busy handling would block this call on its thread until the first ends or the wait runs out.
        var second = Database.BeginTransactionAsync();
        Assert.That(second.IsCompleted, Is.False);

        await first.CommitAsync();
        await first.DisposeAsync();
        await using var turn = await second;
        Assert.That((await new WatermarkStore(Database).GetAsync("Lead"))?.LastSystemModstamp, Is.EqualTo(StoreSamples.Monday));
    }

    [Test]
    public async Task AWriteThatNeverGetsItsTurnFailsAsABusyStoreAfterTheConnectionsTimeout()
    {
        var file = Path.Combine(Path.GetTempPath(), "leadrouter-turn-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            var database = new LeadRouterDatabase(new StorageOptions { ConnectionString = $"Data Source={file};Default Timeout=1" });
            await database.MigrateAsync();
            await using var holder = await database.BeginTransactionAsync();

            var busy = Assert.ThrowsAsync<SqliteException>(() => database.BeginTransactionAsync());

            Assert.That(TransientStoreErrors.IsTransient(busy!), Is.True, busy!.Message);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var leftover in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*"))
                File.Delete(leftover);
        }
    }
}

using LeadRouter.Salesforce;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Faults;
using LeadRouter.Storage;
using LeadRouter.Sync;
using Microsoft.Data.Sqlite;

namespace LeadRouter.IntegrationTests.Sync;

/// <summary>
/// The sync through Bulk API 2.0 query jobs (SQLite store, small org): the same rows as REST, the watermark only
/// at the end of a job, the switch-over from REST on large deltas, and a failed job.
/// </summary>
[TestFixture]
public sealed class BulkSyncTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "leadrouter-bulk-sync-" + Guid.NewGuid().ToString("N"));
    private EmulatorHost _emulator = null!;
    private SyncReport _restReport = null!;
    private SortedDictionary<string, IReadOnlyList<string>> _restDump = null!;

    [OneTimeSetUp]
    public async Task PullTheSmallOrgThroughRest()
    {
        _emulator = await SyncTestOrg.StartEmulatorAsync(SyncTestOrg.Small);
        var database = await CreateDatabaseAsync();
        _restReport = await SyncTestOrg.Sync(SyncTestOrg.Client(_emulator), database).RunAsync(SyncTestOrg.AsOf);
        _restDump = await StoreDump.ReadAsync(database);
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        if (_emulator is not null)
            await _emulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Every read through a Bulk job, however small (the small org's objects are all below the default threshold).</summary>
    private static SyncOptions AllInBulk => new() { BulkThreshold = 0 };

    [TearDown]
    public void NoFaultsLeftOn() => _emulator.Faults.Settings = FaultSettings.None;

    [Test]
    public async Task A_bulk_first_pull_stores_exactly_the_rows_a_rest_first_pull_stores()
    {
        var database = await CreateDatabaseAsync();

        var report = await SyncTestOrg.Sync(SyncTestOrg.Client(_emulator), database, AllInBulk).RunAsync(SyncTestOrg.AsOf);

        Assert.Multiple(() =>
        {
            foreach (var pulled in report.Objects)
            {
                Assert.That(pulled.ReadInBulk && pulled.FirstPull, Is.True, pulled.ObjectName);
                Assert.That(pulled.RowsRejected, Is.Zero, $"{pulled.ObjectName}: {string.Join("; ", pulled.Issues)}");
                // The first REST page (its totalSize decides), then create the job, look twice (InProgress, JobComplete),
                // read one result set of up to 50,000 rows, delete the job.
                Assert.That(pulled.Calls, Is.EqualTo(6), pulled.ObjectName);
            }
            Assert.That(report.Objects.Select(o => o.RowsRead), Is.EqualTo(_restReport.Objects.Select(o => o.RowsRead)));
            Assert.That(report.Objects.Single(o => o.ObjectName == "Task").RowsRead, Is.GreaterThan(2_000), "REST needs several pages for the tasks");
        });
        Assert.That(await StoreDump.ReadAsync(database), Is.EqualTo(_restDump));
    }

    [Test]
    public async Task A_bulk_pull_stopped_part_way_keeps_the_old_watermark_and_the_next_run_repeats_that_object()
    {
        var database = await CreateDatabaseAsync();
        using var stop = new CancellationTokenSource();
        var progress = new SalesforceSyncTests.Callback<SyncProgress>(page =>
        {
            if (page.ObjectName == "Task")
                stop.Cancel(); // after the first batch of tasks is committed
        });
        var options = AllInBulk with { RowsPerCommit = 1_000 };

        var interrupted = SyncTestOrg.Sync(SyncTestOrg.Client(_emulator), database, options).RunAsync(SyncTestOrg.AsOf, progress, stop.Token);

        Assert.That(async () => await interrupted, Throws.InstanceOf<OperationCanceledException>());
        var partial = await StoreDump.ReadAsync(database);
        var watermarks = new WatermarkStore(database);
        Assert.Multiple(async () =>
        {
            Assert.That(partial["tasks"], Has.Count.GreaterThan(0).And.Count.LessThan(_restDump["tasks"].Count), "stopped in the middle of the tasks");
            Assert.That(await watermarks.GetAsync("Task"), Is.Null, "a Bulk read's rows come in no order: no watermark before the last");
            Assert.That(await watermarks.GetAsync("Event"), Is.Not.Null);
        });

        var resumed = await SyncTestOrg.Sync(SyncTestOrg.Client(_emulator), database, options).RunAsync(SyncTestOrg.AsOf);

        Assert.That(resumed.Objects.Where(o => o.FirstPull).Select(o => o.ObjectName),
            Is.EqualTo(new[] { "Task", "Opportunity", "OpportunityContactRole", "OpportunityHistory", "Lead" }));
        Assert.That(resumed.Objects.Single(o => o.ObjectName == "Task").ReadInBulk, Is.True);
        Assert.That(await StoreDump.ReadAsync(database), Is.EqualTo(_restDump));
    }

    [Test]
    public async Task A_delta_above_the_threshold_switches_from_rest_to_bulk_and_a_small_one_stays_on_rest()
    {
        await using var emulator = await SyncTestOrg.StartEmulatorAsync(SyncTestOrg.Small);
        var database = await CreateDatabaseAsync();
        await SyncTestOrg.Sync(SyncTestOrg.Client(emulator), database).RunAsync(SyncTestOrg.AsOf);
        var tasks = SalesforceSyncTests.Ids(emulator, "SELECT Id FROM Task ORDER BY Id", 2_100);
        var opportunities = SalesforceSyncTests.Ids(emulator, "SELECT Id FROM Opportunity WHERE IsClosed = false ORDER BY Id", 5);
        foreach (var id in tasks)
            emulator.Store.Update("Task", id, new Dictionary<string, object?> { ["Subject"] = "Quarterly check-in " + id });
        foreach (var id in opportunities)
            emulator.Store.Update("Opportunity", id, new Dictionary<string, object?> { ["NextStep"] = "Book the demo" });

        var second = await SyncTestOrg.Sync(SyncTestOrg.Client(emulator), database, new SyncOptions { BulkThreshold = 2_000 }).RunAsync(SyncTestOrg.AsOf);

        var task = second.Objects.Single(o => o.ObjectName == "Task");
        var opportunity = second.Objects.Single(o => o.ObjectName == "Opportunity");
        Assert.Multiple(() =>
        {
            Assert.That((task.ReadInBulk, task.RowsRead), Is.EqualTo((true, 2_100L)));
            Assert.That(task.Calls, Is.EqualTo(1 + 5), "the first REST page (its totalSize decides), then the Bulk job");
            Assert.That((opportunity.ReadInBulk, opportunity.RowsRead, opportunity.Calls), Is.EqualTo((false, 5L, 1L)));
        });
        var fresh = await CreateDatabaseAsync();
        await SyncTestOrg.Sync(SyncTestOrg.Client(emulator), fresh).RunAsync(SyncTestOrg.AsOf);
        Assert.That(await StoreDump.ReadAsync(database), Is.EqualTo(await StoreDump.ReadAsync(fresh)), "the store is what a full pull holds now");
    }

    [Test]
    public async Task A_failed_bulk_job_stops_the_pull_naming_the_job_and_is_deleted()
    {
        var database = await CreateDatabaseAsync();
        _emulator.Faults.Settings = new FaultSettings { BulkJobFailureRate = 1 };
        var client = SyncTestOrg.Client(_emulator);

        var pull = SyncTestOrg.Sync(client, database, AllInBulk).RunAsync(SyncTestOrg.AsOf);

        Assert.That(async () => await pull, Throws.InstanceOf<SalesforceBulkJobException>()
            .With.Message.Match("^Salesforce's Bulk query job 750[0-9A-Za-z]{15} on User ended Failed: .+"));
        Assert.That(client.CallsMade, Is.EqualTo(6), "/limits, the first REST page, create, two looks, and the delete of the failed job");
        Assert.That(await new WatermarkStore(database).GetAsync("User"), Is.Null);
    }

    private async Task<LeadRouterDatabase> CreateDatabaseAsync()
    {
        var database = new LeadRouterDatabase(StorageOptions.SqliteFile(Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db")));
        await database.MigrateAsync();
        return database;
    }
}

using System.Diagnostics;
using Dapper;
using LeadRouter.Cycle;
using LeadRouter.IntegrationTests.Messaging;
using LeadRouter.Rules;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Cli;
using LeadRouter.Worker.Hosting;
using LeadRouter.Worker.Outbox;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// The database goes away during a weekly cycle, twice: while the sync pulls, and once the run is saved
/// while its messages are published and its leads assigned. The cycle and its settlement wait it out and
/// finish: every AutoAssign lead assigned, its owner written once; and a reader watching the store
/// throughout never sees the run without all its recommendations and their messages.
/// </summary>
[NonParallelizable]
public class DatabaseDrillTests
{
    /// <summary>SQLite's message for a busy store, in whatever LeadRouter logs on meeting one.</summary>
    private const string SqliteBusy = "database is locked";

    [Test]
    public async Task SqliteBusyDuringTheCycleIsWaitedOutAndNoHalfWrittenRunIsEverSeen()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        // SQLite waits this long (s) for another connection's lock before it answers BUSY: a lock held longer reaches LeadRouter.
        rig.Settings["LeadRouter:Database:ConnectionString"] += ";Default Timeout=1";
        var file = new SqliteConnectionStringBuilder(rig.Settings["LeadRouter:Database:ConnectionString"]).DataSource;

        // Another program takes the write lock and keeps it until LeadRouter has run into it and said so. Which part
        // meets it first is a race (the sync or the save, the relay, the routing consumer): each says so in its own
        // words, with SQLite's message for a busy store.
        await DrillAsync(rig, "SQLite busy (write lock held by another connection)", async logs =>
        {
            var noticed = logs.CountContaining(SqliteBusy);
            await using var other = new SqliteConnection($"Data Source={file}");
            await other.OpenAsync();
            using var hold = other.BeginTransaction(deferred: false);
            await Until(() => Task.FromResult(logs.CountContaining(SqliteBusy) > noticed), "LeadRouter to meet the lock", null);
        });
    }

    [Test]
    public async Task PostgresRestartedDuringTheCycleIsWaitedOutAndNoHalfWrittenRunIsEverSeen()
    {
        await using var database = await ScratchPostgresDatabase.CreateOrIgnoreAsync();
        var dataDirectory = await PrivateDataDirectoryOrIgnoreAsync(database.ConnectionString);
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, new Dictionary<string, string?>
        {
            ["LeadRouter:Database:Provider"] = "Postgres",
            ["LeadRouter:Database:ConnectionString"] = database.ConnectionString,
        });

        await DrillAsync(rig, "PostgreSQL restarted (pg_ctl restart -m fast)", _ => RestartPostgresAsync(dataDirectory));
    }

    /// <summary>
    /// Runs a cycle and its settlement in a host while a reader watches the store; brings about the fault
    /// once the sync has committed its first rows and again once the run is saved; then checks the outcome.
    /// </summary>
    private static async Task DrillAsync(WorkerRig rig, string drill, Func<CapturedLogs, Task> fault)
    {
        var logs = new CapturedLogs();
        using var host = await rig.HostAsync(HostRole.Messaging, extra: services => services.AddSingleton<ILoggerProvider>(logs));
        var database = host.Services.GetRequiredService<LeadRouterDatabase>();
        using var stopWatching = new CancellationTokenSource();
        var watching = Task.Run(() => WatchAsync(database, stopWatching.Token));
        var cycle = Task.Run(async () =>
        {
            var result = await host.Services.GetRequiredService<WeeklyCycle>().RunAsync(WorkerRig.AsOf, new CycleRun());
            return await CycleSettlement.SettleRunAsync(host.Services, result.RunId, CancellationToken.None);
        });

        await Until(async () => await CountAsync(database, "sync_watermarks") > 0, "the sync's first commit", cycle);
        await fault(logs);
        await Until(async () => await CountAsync(database, "routing_runs") > 0, "the run to be saved", cycle);
        await fault(logs);
        var settlement = await cycle;
        // Connections pooled in this process before a restart are gone; the test's own are dropped too.
        NpgsqlConnection.ClearAllPools();
        await stopWatching.CancelAsync();
        var seen = await watching;
        await host.StopAsync();

        Assert.That(settlement.ExitCode, Is.EqualTo(ExitCodes.Ok), settlement.Explain());
        var runId = WeeklyCycle.RunIdFor(WorkerRig.AsOf, host.Services.GetRequiredService<RoutingRules>().Hash);
        var recommendations = settlement.Recommendations;
        var routed = recommendations.Count(r => r.RepId is not null);
        var halfWritten = seen.Count(s => s.Runs == 0 ? s.Recommendations + s.Announced > 0 : s.Recommendations != recommendations.Count || s.Announced != routed);
        var autoAssign = recommendations.Where(r => r.Mode == nameof(RoutingMode.AutoAssign)).ToList();
        var (lost, duplicated, overwritten) = rig.Tally(autoAssign);
        var waitedOut = logs.CountContaining(TransientStoreErrors.Unavailable);
        TestContext.Out.WriteLine(
            $"DRILL {drill}: trials=2, leads checked={autoAssign.Count}, lost={lost}, duplicated={duplicated}, overwritten={overwritten}" +
            $" (store waited out {waitedOut} times; {seen.Count} reads of run {runId}, half-written {halfWritten})");
        Assert.Multiple(() =>
        {
            Assert.That(autoAssign, Is.Not.Empty);
            Assert.That(lost, Is.Zero, "lost");
            Assert.That(duplicated, Is.Zero, "duplicated");
            Assert.That(overwritten, Is.Zero, "overwritten");
            Assert.That(seen.Count(s => s.Runs == 1), Is.GreaterThan(0), "the reader saw the run");
            Assert.That(halfWritten, Is.Zero, "a reader saw the run without all its recommendations and messages");
        });
    }

    /// <summary>Reads, one snapshot at a time until stopped, the runs, recommendations and recommendation messages the store holds.</summary>
    private static async Task<List<(long Runs, long Recommendations, long Announced)>> WatchAsync(LeadRouterDatabase database, CancellationToken stop)
    {
        var seen = new List<(long, long, long)>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var read = await database.BeginReadAsync(stop);
                seen.Add(await read.Connection.QuerySingleAsync<(long, long, long)>(
                    "SELECT (SELECT COUNT(*) FROM routing_runs), (SELECT COUNT(*) FROM recommendations), " +
                    "(SELECT COUNT(*) FROM outbox WHERE message_type = 'lead-assignment-recommended')", transaction: read.Transaction));
            }
            catch (Exception e) when (TransientStoreErrors.IsTransient(e) || e is OperationCanceledException)
            {
                // The store is away for the moment (or the watch is over): read again.
            }
            await Task.Delay(10, CancellationToken.None); // A reader's pace, leaving the cores to the cycle.
        }
        return seen;
    }

    private static async Task<long> CountAsync(LeadRouterDatabase database, string table)
    {
        try
        {
            await using var read = await database.BeginReadAsync(CancellationToken.None);
            return await read.Connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}", transaction: read.Transaction);
        }
        catch (Exception e) when (TransientStoreErrors.IsTransient(e))
        {
            return 0;
        }
    }

    private static async Task Until(Func<Task<bool>> condition, string what, Task? cycle)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (!await condition())
        {
            if (cycle is { IsCompleted: true })
                Assert.Fail($"The cycle ended before {what}: {cycle.Exception?.GetBaseException().Message ?? "no error"}");
            if (DateTimeOffset.UtcNow > deadline)
                Assert.Fail($"Timed out waiting for {what}.");
            await Task.Delay(20);
        }
    }

    /// <summary>The data folder of the PostgreSQL serving the tests, when it is the private one scripts/test.sh started (never a system cluster).</summary>
    private static async Task<string> PrivateDataDirectoryOrIgnoreAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var dataDirectory = await connection.ExecuteScalarAsync<string>("SHOW data_directory");
        var work = Environment.GetEnvironmentVariable("LEADROUTER_TEST_WORK");
        if (string.IsNullOrEmpty(work) || dataDirectory is null || !Path.GetFullPath(dataDirectory).StartsWith(Path.GetFullPath(work), StringComparison.Ordinal))
            Assert.Ignore("The PostgreSQL server is not the private one scripts/test.sh starts under LEADROUTER_TEST_WORK: not restarting it.");
        return dataDirectory;
    }

    /// <summary>Restarts the private cluster as scripts/services/postgres.sh runs it (as the postgres user when root), waiting until it is up.</summary>
    private static async Task RestartPostgresAsync(string dataDirectory)
    {
        var pgCtl = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_ctl")).Where(File.Exists).Order().Last();
        string[] restart = [pgCtl, "-D", dataDirectory, "-l", Path.Combine(Path.GetDirectoryName(dataDirectory)!, "server.log"), "-m", "fast", "-w", "restart"];
        var start = Environment.UserName == "root" ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", .. restart]) : new ProcessStartInfo(pgCtl, restart[1..]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var ctl = Process.Start(start)!;
        var errors = ctl.StandardError.ReadToEndAsync();
        await ctl.StandardOutput.ReadToEndAsync();
        await ctl.WaitForExitAsync();
        Assert.That(ctl.ExitCode, Is.Zero, $"pg_ctl restart: {await errors}");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using LeadRouter.Salesforce;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Sync;
using Npgsql;

namespace LeadRouter.Benchmarks;

/// <summary>
/// Measures one full pull of a generated org from the in-process emulator into a fresh store: wall
/// time per phase and per object, rows, API calls, peak memory. A pull of the large org runs about a
/// minute, too long for BenchmarkDotNet's repeated runs, so this is a single measured run.
/// <code>
/// dotnet run -c Release --project tests/LeadRouter.Benchmarks -- measure-sync [--size large] [--store sqlite|postgres]
///     [--postgres "Host=...;Username=..."] [--read-only]
/// </code>
/// PostgreSQL: a database is created on the server (default: $LEADROUTER_TEST_POSTGRES) and dropped afterwards.
/// --read-only streams the sync's queries without storing anything: the Salesforce side of the cost alone.
/// </summary>
internal static class SyncMeasurement
{
    private static readonly DateTimeOffset AsOf = new(2026, 10, 5, 6, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        var size = OrgSizes.Parse(Option(args, "--size") ?? "large");
        var engine = Option(args, "--store") ?? "sqlite";
        var readOnly = args.Contains("--read-only");
        var clock = Stopwatch.StartNew();
        void Phase(string what) =>
            Console.WriteLine(FormattableString.Invariant(
                $"{clock.Elapsed.TotalSeconds,7:F1}s wall {Cpu().TotalSeconds,6:F1}s cpu  {what} (working set {Environment.WorkingSet / 1e6:F0} MB, managed heap {GC.GetTotalMemory(false) / 1e6:F0} MB)"));

        var org = OrgGenerator.Generate(size, seed: 42, AsOf);
        Phase($"generated the {size} org: {org.Summary.TasksAndEvents:N0} tasks and events");
        var store = OrgStore.Create(org.Records);
        org = null;
        Phase("loaded it into the emulator's store");
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions(), store);
        var client = new SalesforceClient(new HttpClient(), new SalesforceOptions
        {
            LoginUrl = emulator.BaseAddress,
            AuthFlow = SalesforceAuthFlow.UsernamePassword,
            ClientId = EmulatorOptions.DefaultClientId,
            ClientSecret = EmulatorOptions.DefaultClientSecret,
            Username = EmulatorOptions.DefaultUsername,
            Password = EmulatorOptions.DefaultPassword,
        });
        await client.SignInAsync();
        Phase($"emulator listening on {emulator.BaseAddress}, signed in");

        if (readOnly)
        {
            await ReadOnlyAsync(client, Phase);
            return 0;
        }

        var (database, drop) = await CreateStoreAsync(engine, args);
        try
        {
            await database.MigrateAsync();
            Phase($"{engine} store migrated");
            var sync = new SalesforceSync(client, database, new SalesforceOptions(), new SyncOptions());
            var started = clock.Elapsed;
            var startedCpu = Cpu();
            var lastPage = new Dictionary<string, (TimeSpan Wall, TimeSpan Cpu)>();
            var report = await sync.RunAsync(AsOf, new PageTimes(lastPage, clock));
            var pullTime = clock.Elapsed - started;
            var pullCpu = Cpu() - startedCpu;
            Phase("full pull done");

            var previous = (Wall: started, Cpu: startedCpu);
            foreach (var o in report.Objects)
            {
                var end = lastPage.GetValueOrDefault(o.ObjectName, previous);
                Console.WriteLine(FormattableString.Invariant(
                    $"  {o.ObjectName,-24} {o.RowsRead,9:N0} rows {o.Calls,4} calls {(end.Wall - previous.Wall).TotalSeconds,6:F1}s wall {(end.Cpu - previous.Cpu).TotalSeconds,6:F1}s cpu  {Rate(o.RowsRead, end.Wall - previous.Wall)}"));
                previous = end;
            }
            Console.WriteLine(FormattableString.Invariant(
                $"Full pull into {engine}: {report.RowsRead:N0} rows, {report.RowsRejected} rejected, {report.Calls} API calls (emulator counted {emulator.ApiUsage.Used}), {pullTime.TotalSeconds:F1}s wall, {pullCpu.TotalSeconds:F1}s cpu (emulator's share included), {Rate(report.RowsRead, pullTime)}"));

            started = clock.Elapsed;
            var again = await sync.RunAsync(AsOf);
            Console.WriteLine(FormattableString.Invariant(
                $"Incremental pull with nothing changed: {again.RowsRead:N0} rows re-read (the overlap), {again.Calls} calls, {(clock.Elapsed - started).TotalSeconds:F1}s"));
        }
        finally
        {
            await drop();
        }

        using var self = Process.GetCurrentProcess();
        Console.WriteLine(FormattableString.Invariant(
            $"Peak working set {self.PeakWorkingSet64 / 1e6:F0} MB (emulator and its org included); allocated {GC.GetTotalAllocatedBytes() / 1e9:F1} GB in total; GCs gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}"));
        return 0;
    }

    /// <summary>Streams every query the sync sends, storing nothing: what the Salesforce side (HTTP, JSON, emulator) costs.</summary>
    private static async Task ReadOnlyAsync(SalesforceClient client, Action<string> phase)
    {
        foreach (var query in FirstPullQueries(AsOf))
        {
            long rows = 0;
            await foreach (var _ in client.QueryAllAsync<JsonElement>(query))
                rows++;
            phase($"read {rows:N0} {query.ObjectName} rows, stored nothing");
        }
    }

    /// <summary>The queries a first sync as of <paramref name="asOf"/> sends, on default settings.</summary>
    public static IReadOnlyList<SoqlQuery> FirstPullQueries(DateTimeOffset asOf)
    {
        var historyStart = asOf.ToUniversalTime().AddDays(-7 * new SyncOptions().HistoryWeeks);
        return
        [
            SyncedObjects.Users.Query(null, historyStart), SyncedObjects.Queues.Query(null, historyStart),
            SyncedObjects.Events.Query(null, historyStart), SyncedObjects.EventRelations.Query(null, historyStart),
            SyncedObjects.Tasks.Query(null, historyStart), SyncedObjects.Opportunities(null).Query(null, historyStart),
            SyncedObjects.ContactRoles.Query(null, historyStart), SyncedObjects.History.Query(null, historyStart),
            SyncedObjects.Leads([]).Query(null, historyStart),
        ];
    }

    private static async Task<(LeadRouterDatabase Database, Func<Task> Drop)> CreateStoreAsync(string engine, string[] args)
    {
        if (engine == "sqlite")
        {
            var folder = Directory.CreateTempSubdirectory("leadrouter-measure-");
            var database = new LeadRouterDatabase(StorageOptions.SqliteFile(Path.Combine(folder.FullName, "leadrouter.db")));
            return (database, () =>
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                folder.Delete(recursive: true);
                return Task.CompletedTask;
            });
        }
        if (engine != "postgres")
            throw new ArgumentException($"--store must be sqlite or postgres, not '{engine}'.");
        var server = Option(args, "--postgres") ?? Environment.GetEnvironmentVariable("LEADROUTER_TEST_POSTGRES")
            ?? throw new ArgumentException("--store postgres needs --postgres <connection string> or LEADROUTER_TEST_POSTGRES.");
        var name = "leadrouter_measure_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
            await connection.ExecuteAsync($"CREATE DATABASE {name}");
        var options = new StorageOptions
        {
            Provider = DatabaseProvider.Postgres,
            ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString,
        };
        return (new LeadRouterDatabase(options), async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(server);
            await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static string Rate(long rows, TimeSpan time) =>
        time > TimeSpan.Zero ? (rows / time.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture) + " rows/s" : "";

    /// <summary>Notes when each object's last page was committed (synchronously, on the sync's thread).</summary>
    private sealed class PageTimes(Dictionary<string, (TimeSpan Wall, TimeSpan Cpu)> lastPage, Stopwatch clock) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => lastPage[value.ObjectName] = (clock.Elapsed, Cpu());
    }

    /// <summary>CPU time of this process (emulator included): unlike wall time, it does not grow when the machine is busy.</summary>
    private static TimeSpan Cpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}

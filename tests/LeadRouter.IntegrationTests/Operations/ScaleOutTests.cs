using System.Diagnostics;
using System.Globalization;
using System.Net;
using Dapper;
using LeadRouter.IntegrationTests.Messaging;
using LeadRouter.IntegrationTests.Worker;
using LeadRouter.Rules;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using Npgsql;

namespace LeadRouter.IntegrationTests.Operations;

/// <summary>
/// Two `leadrouter run` processes on one PostgreSQL database and one RabbitMQ node, against the
/// emulator: the weekly cycle fires once between them, both consume the assignment queue, every
/// AutoAssign lead is written once, and each worker's readiness follows the broker going away and
/// coming back. Needs the private PostgreSQL and RabbitMQ that scripts/test.sh starts.
/// </summary>
[NonParallelizable]
public class ScaleOutTests
{
    private const string AssignmentQueue = "leadrouter-lead-assignment";
    private ScratchPostgresDatabase? _database;
    private RabbitMqBroker _broker = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        _broker = RabbitMqBroker.RequireOrIgnore();
        RabbitMqNode.IgnoreUnlessOurs();
        await _broker.DeleteQueuesAsync(AssignmentQueue, AssignmentQueue + "_error");
        _database = await ScratchPostgresDatabase.CreateOrIgnoreAsync();
    }

    [TearDown]
    public async Task DropDatabase()
    {
        if (_database is not null)
            await _database.DisposeAsync();
    }

    [Test]
    public async Task TwoWorkersRunTheCycleOnceConsumeTogetherAndFollowTheBrokerInReadiness()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, Settings(out var connectionString, out var fireAt));
        var database = Database(connectionString);
        await using var first = RunProcess.Start(rig, HealthEndpointTests.FreePort());
        await using var second = RunProcess.Start(rig, HealthEndpointTests.FreePort());
        await Until(async () => await first.ReadyAsync() == HttpStatusCode.OK && await second.ReadyAsync() == HttpStatusCode.OK,
            TimeSpan.FromMinutes(3), "both workers to be ready", first, second);

        // The cycle runs once and the routing consumers carry out its AutoAssign recommendations.
        await Until(async () => await SettledRunAsync(database) is not null, TimeSpan.FromMinutes(4), "the cycle to be run and settled", first, second);
        await AssertOneRunEachLeadWrittenOnceAsync(rig, database, connectionString);
        Assert.That((await new RoutingStore(database).LatestRunAsync())!.AsOf, Is.EqualTo(fireAt));
        Assert.That(await ConsumersAsync(), Is.EqualTo(2), "both workers consume the assignment queue");

        // The broker goes away: both say so; it comes back: both are ready again.
        await RabbitMqNode.StopAppAsync();
        try
        {
            await Until(async () => await first.ReadyAsync() == HttpStatusCode.ServiceUnavailable && await second.ReadyAsync() == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromMinutes(2), "both workers to report the broker down", first, second);
            Assert.That(await first.DownAsync(), Has.Some.Contains("masstransit"), "the bus is named as what is down");
        }
        finally
        {
            await RabbitMqNode.StartAppAsync();
        }
        await Until(async () => await first.ReadyAsync() == HttpStatusCode.OK && await second.ReadyAsync() == HttpStatusCode.OK,
            TimeSpan.FromMinutes(3), "both workers to be ready again", first, second);
        Assert.That(await first.DownAsync(), Is.Empty);
    }

    [Test]
    public async Task KillingTheWorkerRunningTheCycleLeavesTheOtherToFinishIt()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, Settings(out var connectionString, out var fireAt));
        // Slow Salesforce down so the cycle is surely in flight when its worker is killed.
        rig.Emulator.Faults.Settings = new SalesforceEmulator.Faults.FaultSettings { LatencyMs = 1500 };
        var database = Database(connectionString);
        await using var first = RunProcess.Start(rig, HealthEndpointTests.FreePort());
        await using var second = RunProcess.Start(rig, HealthEndpointTests.FreePort());

        // The job's lines carry its scope: the worker printing one is the one running the cycle.
        RunProcess? running = null;
        await Until(() => Task.FromResult((running = new[] { first, second }.FirstOrDefault(w => w.Printed("\"Job\":\"weekly-cycle\""))) is not null),
            TimeSpan.FromMinutes(3), "a worker to start the weekly cycle", first, second);
        Assert.That(await SettledRunAsync(database), Is.Null, "the cycle is still in flight");
        await running!.DisposeAsync();
        var survivor = running == first ? second : first;

        await Until(async () => await SettledRunAsync(database) is not null, TimeSpan.FromMinutes(5), "the other worker to recover and finish the cycle", survivor);
        Assert.That(survivor.Printed("\"Job\":\"weekly-cycle\""), Is.True, "the survivor ran the recovered job");
        Assert.That((await new RoutingStore(database).LatestRunAsync())!.AsOf, Is.EqualTo(fireAt), "the recovered run scores the week of the original firing");
        await AssertOneRunEachLeadWrittenOnceAsync(rig, database, connectionString);
    }

    /// <summary>The workers' settings; the weekly cycle fires once, at <paramref name="fireAt"/> (whole seconds).</summary>
    private Dictionary<string, string?> Settings(out string connectionString, out DateTimeOffset fireAt)
    {
        connectionString = _database!.ConnectionString;
        // Whichever worker is up when this passes fires it; one that starts later sees it already fired.
        var now = DateTimeOffset.UtcNow.AddSeconds(30);
        fireAt = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero);
        return new Dictionary<string, string?>(_broker.Settings())
        {
            ["LeadRouter:Database:Provider"] = "Postgres",
            ["LeadRouter:Database:ConnectionString"] = connectionString,
            ["LeadRouter:Schedule:SyncCron"] = "0 0 0 1 1 ? 2099",
            ["LeadRouter:Schedule:WeeklyCycleCron"] = string.Create(CultureInfo.InvariantCulture,
                $"{now.Second} {now.Minute} {now.Hour} {now.Day} {now.Month} ? {now.Year}"),
        };
    }

    private static LeadRouterDatabase Database(string connectionString) =>
        new(new StorageOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString });

    /// <summary>One saved run, every AutoAssign recommendation of it carried out, each such lead's owner written once and no other.</summary>
    private static async Task AssertOneRunEachLeadWrittenOnceAsync(WorkerRig rig, LeadRouterDatabase database, string connectionString)
    {
        var runId = (await SettledRunAsync(database))!.Value;
        var recommendations = await new RoutingStore(database).ListRecommendationsAsync(runId);
        var autoAssign = recommendations.Where(r => r.Mode == nameof(RoutingMode.AutoAssign)).ToList();
        await using (var connection = new NpgsqlConnection(connectionString))
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM routing_runs"), Is.EqualTo(1), "the weekly cycle ran once across the two workers");
        Assert.That(autoAssign, Is.Not.Empty);
        Assert.That(autoAssign.Select(r => r.Status), Has.All.EqualTo(RecommendationStatus.Assigned));
        var writes = rig.OwnerWrites();
        Assert.That(writes.Select(w => w.Key), Is.EquivalentTo(autoAssign.Select(r => r.LeadId)), "owners written for the AutoAssign leads only");
        Assert.That(writes.Select(w => w.Count()), Has.All.EqualTo(1), "each exactly once");
    }

    /// <summary>The run's id once its AutoAssign recommendations are all carried out; null before.</summary>
    private static async Task<Guid?> SettledRunAsync(LeadRouterDatabase database)
    {
        var store = new RoutingStore(database);
        if (await store.LatestRunAsync() is not { } run)
            return null;
        var recommendations = await store.ListRecommendationsAsync(run.Id);
        return recommendations.Any(r => r.Mode == nameof(RoutingMode.AutoAssign) && r.Status == RecommendationStatus.Pending) ? null : run.Id;
    }

    private async Task<uint> ConsumersAsync()
    {
        await using var connection = await _broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(AssignmentQueue)).ConsumerCount;
    }

    private static async Task Until(Func<Task<bool>> condition, TimeSpan patience, string what, params RunProcess[] workers)
    {
        var deadline = DateTimeOffset.UtcNow + patience;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
                Assert.Fail($"Timed out waiting for {what}.\n" + string.Join("\n", workers.Select(w => w.Tail())));
            await Task.Delay(250);
        }
    }

    /// <summary>One `leadrouter run` process on the rig's settings, its health listener on a port of its own.</summary>
    private sealed class RunProcess : IAsyncDisposable
    {
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
        private readonly Process _process;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
        private readonly string _health;
        private bool _disposed;

        private RunProcess(Process process, string health)
        {
            _process = process;
            _health = health;
        }

        public static RunProcess Start(WorkerRig rig, int healthPort)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { WorkerProcess.Assembly(), "run" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = rig.Folder,
            };
            var settings = new Dictionary<string, string?>(rig.Settings) { ["LeadRouter:Health:Urls"] = $"http://127.0.0.1:{healthPort}/" };
            foreach (var (key, value) in settings)
            {
                start.ArgumentList.Add("--set");
                start.ArgumentList.Add($"{key}={value}");
            }
            var process = Process.Start(start)!;
            var run = new RunProcess(process, $"http://127.0.0.1:{healthPort}/");
            process.OutputDataReceived += (_, e) => run.Keep(e.Data);
            process.ErrorDataReceived += (_, e) => run.Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return run;
        }

        public async Task<HttpStatusCode?> ReadyAsync()
        {
            try
            {
                using var response = await Http.GetAsync(_health + "health/ready");
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                return null; // not listening yet
            }
        }

        public async Task<string[]> DownAsync()
        {
            using var response = await Http.GetAsync(_health + "health/ready");
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("down").EnumerateArray().Select(d => d.GetString()!).ToArray();
        }

        public bool Printed(string text) => _output.Any(line => line.Contains(text, StringComparison.Ordinal));

        public string Tail() => $"worker {_process.Id} (exited: {_process.HasExited}):\n  " + string.Join("\n  ", _output.TakeLast(15));

        /// <summary>Kills the worker at once (no graceful stop), as a crashed node would go.</summary>
        public async ValueTask DisposeAsync()
        {
            if (_disposed) return;
            _disposed = true;
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        private void Keep(string? line)
        {
            if (line is null) return;
            _output.Enqueue(line);
            while (_output.Count > 200 && _output.TryDequeue(out _)) { }
        }
    }
}

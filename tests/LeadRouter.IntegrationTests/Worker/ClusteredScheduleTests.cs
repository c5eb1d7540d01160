using System.Globalization;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Worker.Hosting;
using LeadRouter.Worker.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using Quartz.Extensibility;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// Two workers share one PostgreSQL-backed, clustered Quartz store (Quartz provisions its tables):
/// the weekly job fires once between them, not once per worker.
/// </summary>
[NonParallelizable]
public class ClusteredScheduleTests
{
    private ScratchPostgresDatabase? _database;

    [SetUp]
    public async Task CreateDatabase() => _database = await ScratchPostgresDatabase.CreateOrIgnoreAsync();

    [TearDown]
    public async Task DropDatabase()
    {
        if (_database is not null)
            await _database.DisposeAsync();
    }

    [Test]
    public async Task TwoWorkersFireTheWeeklyJobOnce()
    {
        var fireAt = DateTimeOffset.UtcNow.AddSeconds(20);
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, new Dictionary<string, string?>
        {
            ["LeadRouter:Database:Provider"] = "Postgres",
            ["LeadRouter:Database:ConnectionString"] = _database!.ConnectionString,
            ["LeadRouter:Schedule:TimeZone"] = "UTC",
            ["LeadRouter:Schedule:SyncCron"] = "0 0 0 1 1 ? 2099",
            ["LeadRouter:Schedule:WeeklyCycleCron"] = string.Create(CultureInfo.InvariantCulture,
                $"{fireAt.Second} {fireAt.Minute} {fireAt.Hour} {fireAt.Day} {fireAt.Month} ? {fireAt.Year}"),
        });
        var executions = new ExecutionCounter();

        // The first worker provisions Quartz's schema; the second joins the cluster.
        using var first = await rig.HostAsync(HostRole.Service);
        await executions.ListenToAsync(first);
        using var second = await rig.HostAsync(HostRole.Service);
        await executions.ListenToAsync(second);

        var deadline = fireAt.AddSeconds(90);
        while (executions.Completed == 0 && DateTimeOffset.UtcNow < deadline)
            await Task.Delay(500);
        // Give a second firing every chance to happen before counting.
        await Task.Delay(TimeSpan.FromSeconds(10));

        Assert.That(executions.Completed, Is.EqualTo(1), "the weekly job ran on one worker only");
        Assert.That(executions.Nodes, Has.Count.EqualTo(1));
        Assert.That(executions.Failures, Is.Empty);
        await Task.WhenAll(first.StopAsync(), second.StopAsync());
    }

    private sealed class ExecutionCounter : IJobListener
    {
        private int _completed;

        public int Completed => Volatile.Read(ref _completed);
        public HashSet<string> Nodes { get; } = [];
        public List<string> Failures { get; } = [];
        public string Name => "execution-counter";

        public async Task ListenToAsync(IHost host)
        {
            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            scheduler.ListenerManager.AddJobListener(this, [Matchers.Key(WeeklyCycleJob.Key)]);
        }

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => default;

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => default;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            lock (Nodes)
            {
                Nodes.Add(context.Scheduler.SchedulerInstanceId);
                if (jobException is not null)
                    Failures.Add(jobException.ToString());
            }
            Interlocked.Increment(ref _completed);
            return default;
        }

        public ValueTask JobProgressChanged(IJobExecutionContext context, FireInstanceProgress progress, CancellationToken cancellationToken = default) => default;
    }
}

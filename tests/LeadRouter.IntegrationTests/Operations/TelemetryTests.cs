using System.Collections.Concurrent;
using LeadRouter.Demo;
using LeadRouter.IntegrationTests.Worker;
using LeadRouter.Rules;
using LeadRouter.Storage;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Faults;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Worker.Hosting;
using LeadRouter.Worker.Outbox;
using LeadRouter.Worker.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using RestClient = LeadRouter.Salesforce.SalesforceClient;

namespace LeadRouter.IntegrationTests.Operations;

/// <summary>
/// LeadRouter's meter during real cycles against the emulator: each instrument is compared with what
/// the cycle itself reports. The meter is process-wide, so these tests run alone.
/// </summary>
[NonParallelizable]
public class TelemetryTests
{
    [Test]
    public async Task ACycleMeasuresRowsApiCallsRepsLeadsAndRecommendationsAsItReportsThem()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        using var host = await rig.HostAsync(HostRole.Messaging);
        using var measured = new Measurements();

        var result = await WorkerRig.CycleAsync(host);
        var recommendations = await CycleSettlement.SettleAsync(host.Services, result.RunId, CancellationToken.None);
        measured.Observe();

        var sync = result.Sync!;
        var autoAssign = result.Routing.Decisions.Count(d => d.Mode == RoutingMode.AutoAssign);
        Assert.That(autoAssign, Is.GreaterThan(0), "the org routes some leads automatically");
        Assert.Multiple(() =>
        {
            Assert.That(measured.SumBy("leadrouter.sync.rows", "object"),
                Is.EquivalentTo(sync.Objects.ToDictionary(o => o.ObjectName, o => (double)o.RowsRead)));
            Assert.That(measured.Sum("leadrouter.sync.rows"), Is.GreaterThan(0));
            Assert.That(measured.Sum("leadrouter.salesforce.api.calls"), Is.GreaterThan(sync.Calls), "the sync's calls, then the assignments'");
            Assert.That(measured.Sum("leadrouter.reps.scored"), Is.EqualTo(result.Trust.Reps.Count).And.GreaterThan(0));
            Assert.That(measured.Of("leadrouter.leads.routed").Where(t => t.Tags["outcome"] == "routed")
                    .GroupBy(t => t.Tags["tier"]).ToDictionary(g => g.Key, g => g.Sum(t => t.Value)),
                Is.EquivalentTo(result.Routing.Decisions.GroupBy(d => d.Tier).ToDictionary(g => g.Key, g => (double)g.Count())));
            Assert.That(measured.Of("leadrouter.leads.routed").Where(t => t.Tags["outcome"] == "unroutable").Sum(t => t.Value),
                Is.EqualTo(result.Routing.Unroutable.Count));
            Assert.That(measured.SumBy("leadrouter.recommendations.published", "mode"),
                Is.EquivalentTo(result.Routing.Decisions.GroupBy(d => d.Mode.ToString()).ToDictionary(g => g.Key, g => (double)g.Count())));
            Assert.That(measured.SumBy("leadrouter.recommendations.assigned", "outcome"),
                Is.EquivalentTo(new Dictionary<string, double> { ["assigned"] = autoAssign }));
            Assert.That(recommendations.Count(r => r.Status == RecommendationStatus.Assigned), Is.EqualTo(autoAssign));

            var usage = host.Services.GetRequiredService<RestClient>().LatestApiUsage!;
            Assert.That(measured.Of("leadrouter.salesforce.api.used").Select(t => t.Value), Is.EqualTo(new[] { (double)usage.Used }));
            Assert.That(measured.Of("leadrouter.salesforce.api.remaining").Select(t => t.Value), Is.EqualTo(new[] { (double)(usage.Max - usage.Used) }));
            Assert.That(usage.Used, Is.GreaterThan(0));
        });
        await host.StopAsync();
    }

    [Test]
    public async Task AnOutageDuringWriteBackIsCountedAsDeferredNotAsAConsumerFailure()
    {
        var settings = new Dictionary<string, string?> { ["LeadRouter:Salesforce:MaxRetries"] = "0" };
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, settings);
        using (var engine = await rig.HostAsync(HostRole.Engine, start: false))
            await WorkerRig.CycleAsync(engine);
        rig.Emulator.Faults.Settings = new FaultSettings { UnavailableRate = 1.0 };
        using var measured = new Measurements();

        using var host = await rig.HostAsync(HostRole.Messaging);
        // Salesforce's outage leaves each lead pending for a later run: an outcome, not a faulted message.
        double Deferred() => measured.SumBy("leadrouter.recommendations.assigned", "outcome").GetValueOrDefault("deferred");
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (Deferred() == 0 && DateTimeOffset.UtcNow < deadline)
            await Task.Delay(100);

        Assert.That(Deferred(), Is.GreaterThan(0), "the write-back met the outage");
        Assert.That(measured.SumBy("leadrouter.recommendations.assigned", "outcome").Keys, Is.EquivalentTo(new[] { "deferred" }));
        Assert.That(measured.Sum("leadrouter.consumer.failures"), Is.Zero);
        await host.StopAsync();
    }

    [Test]
    public async Task TheWeeklyJobIsTimedAndLogsWithJobAndRunScopesAndNoSecret()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, HealthEndpointTests.Quiet);
        rig.Settings["LeadRouter:Health:Urls"] = "";
        rig.Settings["Logging:LogLevel:Default"] = "Debug";
        var logs = new ScopedLogs();
        using var host = LeadRouterServices.Build(HostRole.Service, rig.Settings, services => services.AddSingleton<ILoggerProvider>(logs));
        await host.Services.GetRequiredService<LeadRouterDatabase>().MigrateAsync();
        await host.StartAsync();
        using var measured = new Measurements();

        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(WeeklyCycleJob.Key, new JobDataMap { [WeeklyCycleJob.AsOfKey] = WorkerRig.AsOf.ToString("O") });
        var deadline = DateTimeOffset.UtcNow.AddSeconds(120);
        while (measured.Of("leadrouter.job.duration").Count == 0 && DateTimeOffset.UtcNow < deadline)
            await Task.Delay(100);
        var runId = Cycle.WeeklyCycle.RunIdFor(WorkerRig.AsOf, host.Services.GetRequiredService<RoutingRules>().Hash);
        await CycleSettlement.SettleAsync(host.Services, runId, CancellationToken.None);
        await host.StopAsync();

        var job = measured.Of("leadrouter.job.duration").Single();
        Assert.That(job.Tags["job"], Is.EqualTo("weekly-cycle"));
        Assert.That(job.Tags["outcome"], Is.EqualTo("ok"));
        Assert.That(job.Value, Is.GreaterThan(0));
        Assert.That(logs.Lines.Where(l => l.Scopes.Contains($"Job={WeeklyCycleJob.Key.Name}") && l.Scopes.Contains($"RunId={runId}")),
            Is.Not.Empty, "the cycle's lines name the job and the run");
        Assert.That(logs.Lines, Has.Count.GreaterThan(10));
        var secrets = new[] { EmulatorOptions.DefaultPassword, EmulatorOptions.DefaultClientSecret, "Bearer ", "access_token" };
        Assert.That(logs.Lines.Where(l => secrets.Any(s => l.Text.Contains(s, StringComparison.Ordinal))).Select(l => l.Text), Is.Empty);
    }

    [Test]
    public void OpenTelemetryExportsOnlyWhenAnOtlpEndpointIsSet()
    {
        var folder = Directory.CreateTempSubdirectory("leadrouter-otlp-").FullName;
        try
        {
            var settings = EmbeddedSettings.For(new Uri("http://127.0.0.1:9/"), folder);
            using (var off = LeadRouterServices.Build(HostRole.Engine, settings))
            {
                Assert.That(off.Services.GetService<OpenTelemetry.Metrics.MeterProvider>(), Is.Null);
                Assert.That(off.Services.GetService<OpenTelemetry.Trace.TracerProvider>(), Is.Null);
            }

            settings["LeadRouter:Telemetry:OtlpEndpoint"] = "http://127.0.0.1:4317";
            using var on = LeadRouterServices.Build(HostRole.Engine, settings);
            Assert.That(on.Services.GetService<OpenTelemetry.Metrics.MeterProvider>(), Is.Not.Null);
            Assert.That(on.Services.GetService<OpenTelemetry.Trace.TracerProvider>(), Is.Not.Null);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every log line with its scopes flattened to "Key=Value" strings.</summary>
    private sealed class ScopedLogs : ILoggerProvider, ISupportExternalScope
    {
        public sealed record Line(string Text, IReadOnlyList<string> Scopes);

        private readonly ConcurrentQueue<Line> _lines = new();
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public IReadOnlyList<Line> Lines => _lines.ToList();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ScopedLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopes = new List<string>();
                owner._scopes.ForEachScope((scope, list) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object>> pairs)
                        list.AddRange(pairs.Select(p => $"{p.Key}={p.Value}"));
                    list.Add(scope?.ToString() ?? "");
                }, scopes);
                owner._lines.Enqueue(new Line($"{logLevel} {category}: {formatter(state, exception)} {exception} {string.Join(" ", scopes)}", scopes));
            }
        }
    }
}

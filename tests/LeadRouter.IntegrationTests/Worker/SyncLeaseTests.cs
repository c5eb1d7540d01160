using System.Collections.Concurrent;
using LeadRouter.Cycle;
using LeadRouter.IntegrationTests.Messaging;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Sync;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// Two LeadRouter hosts sharing one store (as `run` on two nodes, or `run` and a manual `sync`) never
/// pull from Salesforce at once: the second waits on the store's sync lease, then pulls only what
/// changed meanwhile. Each host has its own in-process turn, so only the store lease keeps them apart.
/// </summary>
[NonParallelizable]
public class SyncLeaseTests
{
    [TestCase("Sqlite")]
    [TestCase("Postgres")]
    public async Task TwoHostsSharingAStoreTakeTurnsToPull(string provider)
    {
        await using var postgres = provider == "Postgres" ? await ScratchPostgresDatabase.CreateOrIgnoreAsync() : null;
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, postgres is null ? null : new Dictionary<string, string?>
        {
            ["LeadRouter:Database:Provider"] = "Postgres",
            ["LeadRouter:Database:ConnectionString"] = postgres.ConnectionString,
        });
        var requests = new ConcurrentQueue<(string Host, string Path)>();
        var secondLogs = new CapturedLogs();
        IHost? second = null;
        Task<SyncReport>? secondSync = null;
        using var first = await rig.HostAsync(HostRole.Engine, start: false, extra: services => services
            .AddHttpClient(nameof(LeadRouter.Salesforce.SalesforceClient))
            .AddHttpMessageHandler(() => new RecordingHandler("first", requests, async () =>
            {
                // Mid-pull, the other host starts its sync: it must wait for this one.
                secondSync = second!.Services.GetRequiredService<SyncTurn>().RunAsync(WorkerRig.AsOf, null, CancellationToken.None);
                var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
                while (!secondLogs.Text.Contains("is syncing", StringComparison.Ordinal) && !secondSync.IsCompleted && DateTimeOffset.UtcNow < deadline)
                    await Task.Delay(20);
            })));
        second = await rig.HostAsync(HostRole.Engine, start: false, extra: services =>
        {
            services.AddSingleton<ILoggerProvider>(secondLogs);
            services.AddHttpClient(nameof(LeadRouter.Salesforce.SalesforceClient))
                .AddHttpMessageHandler(() => new RecordingHandler("second", requests, () => Task.CompletedTask));
        });

        var firstReport = await first.Services.GetRequiredService<SyncTurn>().RunAsync(WorkerRig.AsOf, null, CancellationToken.None);
        var secondReport = await secondSync!;
        second.Dispose();

        var order = requests.Select(r => r.Host).ToList();
        Assert.That(secondLogs.Text, Does.Contain("is syncing"), "the second host waited for the first");
        Assert.That(order.SkipWhile(h => h == "first").Distinct(), Is.EqualTo(new[] { "second" }),
            "every request of the second sync comes after the first sync's last");
        Assert.That(firstReport.RowsRead, Is.GreaterThan(1000));
        Assert.That(secondReport.RowsRead, Is.LessThan(firstReport.RowsRead / 10),
            "the second pulls only what changed meanwhile (nothing, but the watermarks' overlap and the small objects read whole)");
    }

    /// <summary>Logs each Salesforce request under its host's name; runs <paramref name="onFirstQuery"/> before the first query goes out.</summary>
    private sealed class RecordingHandler(string host, ConcurrentQueue<(string, string)> log, Func<Task> onFirstQuery) : DelegatingHandler
    {
        private int _queried;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (path.Contains("/query", StringComparison.Ordinal) && Interlocked.Exchange(ref _queried, 1) == 0)
                await onFirstQuery();
            log.Enqueue((host, path));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}

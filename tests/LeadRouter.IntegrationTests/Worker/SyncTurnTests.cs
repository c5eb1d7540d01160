using LeadRouter.Cycle;
using LeadRouter.SalesforceEmulator.Faults;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>The hourly sync and the weekly cycle's sync fire together on Mondays at 07:00: they take turns.</summary>
[NonParallelizable]
public class SyncTurnTests
{
    [Test]
    public async Task TheHourlySyncAndTheWeeklyCyclesSyncTakeTurns()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        // Slow answers keep the first pull going while the second asks for its turn.
        rig.Emulator.Faults.Settings = new FaultSettings { LatencyMs = 20 };
        using var host = await rig.HostAsync(HostRole.Engine, start: false);

        var cycle = host.Services.GetRequiredService<WeeklyCycle>().RunAsync(WorkerRig.AsOf, new CycleRun());
        var hourly = host.Services.GetRequiredService<SyncTurn>().RunAsync(WorkerRig.AsOf, null, CancellationToken.None);
        var reports = new[] { (await cycle).Sync!, await hourly };

        Assert.That(reports.Count(r => r.Objects.Any(o => o.FirstPull)), Is.EqualTo(1),
            "one full pull; the other, after it, pulled only what changed since");
        Assert.That(reports.Min(r => r.Objects.Sum(o => o.RowsRead)), Is.LessThan(reports.Max(r => r.Objects.Sum(o => o.RowsRead)) / 2));
    }
}

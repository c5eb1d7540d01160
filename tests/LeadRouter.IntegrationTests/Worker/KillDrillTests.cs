using LeadRouter.Cycle;
using LeadRouter.Rules;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// kill -9 drills: `leadrouter cycle` runs as a process and kills itself at a named point
/// (LEADROUTER_CRASH_AT); the next `cycle` finishes the work. Every AutoAssign lead ends assigned,
/// its owner written exactly once, and the store agrees with Salesforce.
/// </summary>
[NonParallelizable]
public class KillDrillTests
{
    private const string AsOf = "2026-11-23T07:00:00Z";

    [TestCase(CrashDrill.CycleSaved)]
    [TestCase(CrashDrill.OutboxSent)]
    [TestCase(CrashDrill.OwnerWritten)]
    public async Task KilledMidCycleThenRunAgainFinishesWithNothingLostOrDoubled(string point)
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);

        var killed = await RunCycleAsync(rig, point);
        Assert.That(killed.Exit, Is.Not.EqualTo(0), "the process was killed at " + point);
        Assert.That(killed.Errors, Does.Not.Contain("leadrouter:"), "killed, not failed");

        var rerun = await RunCycleAsync(rig, crashAt: null);
        Assert.That(rerun.Exit, Is.EqualTo(0), rerun.Errors);

        using var engine = await rig.HostAsync(HostRole.Engine, start: false);
        var runId = WeeklyCycle.RunIdFor(WorkerRig.AsOf, engine.Services.GetRequiredService<RoutingRules>().Hash);
        var autoAssign = (await new RoutingStore(engine.Services.GetRequiredService<LeadRouterDatabase>()).ListRecommendationsAsync(runId))
            .Where(r => r.Mode == nameof(RoutingMode.AutoAssign)).ToList();
        var writes = rig.OwnerWrites();
        var lost = autoAssign.Count(r => r.Status != RecommendationStatus.Assigned || !Equals(rig.Emulator.Store.Get("Lead", r.LeadId)?["OwnerId"], r.RepId));
        var duplicated = writes.Count(w => w.Count() > 1);
        var overwritten = writes.Count(w => !autoAssign.Any(r => r.LeadId == w.Key));
        TestContext.Out.WriteLine(
            $"DRILL kill -9 at {point}: trials=1, leads checked={autoAssign.Count}, lost={lost}, duplicated={duplicated}, overwritten={overwritten}");
        Assert.Multiple(() =>
        {
            Assert.That(autoAssign, Is.Not.Empty);
            Assert.That(lost, Is.Zero, "lost");
            Assert.That(duplicated, Is.Zero, "duplicated");
            Assert.That(overwritten, Is.Zero, "overwritten");
        });
    }

    private static Task<(int Exit, string Output, string Errors)> RunCycleAsync(WorkerRig rig, string? crashAt) =>
        WorkerProcess.RunAsync(rig.Folder, rig.SetOptions().Concat(["cycle", "--as-of", AsOf]),
            crashAt is null ? null : new Dictionary<string, string> { [CrashDrill.Variable] = crashAt });
}

using LeadRouter.Rules;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Cli;
using LeadRouter.Worker.Hosting;
using LeadRouter.Worker.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>The `approve` verb: a manager's approval assigns a Recommend-mode lead exactly as AutoAssign does.</summary>
[NonParallelizable]
public class ApproveTests
{
    [Test]
    public async Task ApprovingARecommendationWritesItsOwnerAndLeavesTheOthersPending()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        Guid runId;
        string leadId, repId;
        using (var host = await rig.HostAsync(HostRole.Messaging))
        {
            var result = await WorkerRig.CycleAsync(host);
            await CycleSettlement.SettleAsync(host.Services, result.RunId, CancellationToken.None);
            var recommended = result.Routing.Decisions.First(d => d.Mode == RoutingMode.Recommend);
            (runId, leadId, repId) = (result.RunId, recommended.LeadId, recommended.RepId);
            await host.StopAsync();
        }
        rig.Emulator.ClearWrites();

        var exit = await LeadRouterCli.Create().Parse(["approve", "--lead", leadId, .. Overrides(rig)]).InvokeAsync();

        Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
        Assert.That(rig.Emulator.Store.Get("Lead", leadId)!["OwnerId"], Is.EqualTo(repId));
        Assert.That(rig.OwnerWrites()[leadId].Select(w => w.AutoAssign), Is.EqualTo(new[] { "FALSE" }));
        Assert.That(rig.OwnerWrites().Select(w => w.Key), Is.EqualTo(new[] { leadId }), "only the approved lead is written");
        using var store = LeadRouterServices.Build(HostRole.Engine, rig.Settings);
        var recommendations = await new RoutingStore(store.Services.GetRequiredService<LeadRouterDatabase>()).ListRecommendationsAsync(runId);
        Assert.That(recommendations.Single(r => r.LeadId == leadId).Status, Is.EqualTo(RecommendationStatus.Assigned));
        Assert.That(recommendations.Where(r => r.Mode == "Recommend" && r.LeadId != leadId).Select(r => r.Status),
            Has.All.EqualTo(RecommendationStatus.Pending));
    }

    [Test]
    public async Task ApproveWithoutSayingWhichIsRefusedAndChangesNothing()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        var exit = await LeadRouterCli.Create().Parse(["approve", .. Overrides(rig)]).InvokeAsync();
        Assert.That(exit, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(rig.OwnerWrites(), Is.Empty);
    }

    private static IEnumerable<string> Overrides(WorkerRig rig) =>
        rig.Settings.SelectMany(s => new[] { "--set", $"{s.Key}={s.Value}" });
}

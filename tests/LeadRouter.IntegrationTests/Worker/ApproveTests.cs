using LeadRouter.Cycle;
using LeadRouter.Routing;
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
    public async Task AnApprovalWhoseRepOrLeadChangedIsRefusedWithItsReasonWhileTheOthersAreCarriedOut()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        CycleResult result;
        using (var host = await rig.HostAsync(HostRole.Messaging))
        {
            result = await WorkerRig.CycleAsync(host);
            await CycleSettlement.SettleAsync(host.Services, result.RunId, CancellationToken.None);
            await host.StopAsync();
        }
        var recommended = result.Routing.Decisions.Where(d => d.Mode == RoutingMode.Recommend).ToList();
        var repLeft = recommended[0];
        var deleted = recommended.First(d => d.RepId != repLeft.RepId);
        var approved = recommended.First(d => d.RepId != repLeft.RepId && d.RepId != deleted.RepId);
        // Meanwhile in Salesforce the rep leaves and another lead is deleted; the hourly sync brings both in.
        rig.Emulator.Store.Update("User", repLeft.RepId, new Dictionary<string, object?> { ["IsActive"] = false });
        rig.Emulator.Store.Delete("Lead", deleted.LeadId);
        Assert.That((await CliConsole.RunAsync(["sync", .. rig.SetOptions()])).Exit, Is.EqualTo(ExitCodes.Ok));
        rig.Emulator.ClearWrites();

        var run = await CliConsole.RunAsync(["approve", "--lead", repLeft.LeadId, "--lead", deleted.LeadId, "--lead", approved.LeadId, .. rig.SetOptions()]);

        Assert.That(run.Exit, Is.EqualTo(ExitCodes.Failed), "some approvals were refused (README: approve)");
        Assert.That(run.Output, Does.Contain($"{repLeft.LeadId} → {repLeft.RepId}: refused, still pending: the rep {repLeft.Rep.Name} is no longer active"));
        Assert.That(run.Output, Does.Contain($"{deleted.LeadId} → {deleted.RepId}: refused, still pending: the lead is no longer in the org (deleted)"));
        Assert.That(run.Output, Does.Contain("1 assigned, 0 skipped, 0 not yet assigned, 2 refused of 3 approved."));
        Assert.That(rig.OwnerWrites().Select(w => w.Key), Is.EqualTo(new[] { approved.LeadId }), "only the approval that passed is written");
        using var store = LeadRouterServices.Build(HostRole.Engine, rig.Settings);
        var statuses = (await new RoutingStore(store.Services.GetRequiredService<LeadRouterDatabase>()).ListRecommendationsAsync(result.RunId))
            .ToDictionary(r => r.LeadId, r => (r.Status, r.StatusReason));
        Assert.That(statuses[repLeft.LeadId], Is.EqualTo((RecommendationStatus.Pending, (string?)null)), "a refusal changes nothing");
        Assert.That(statuses[deleted.LeadId], Is.EqualTo((RecommendationStatus.Pending, (string?)null)));
        Assert.That(statuses[approved.LeadId].Status, Is.EqualTo(RecommendationStatus.Assigned));
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

using LeadRouter.Contracts.V1;
using LeadRouter.Routing;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Hosting;
using LeadRouter.Worker.Messaging;
using LeadRouter.Worker.Outbox;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// The weekly cycle end to end: scored, routed, recommendations published through the outbox, and the
/// routing consumer writing owners into the emulator. Run on the in-memory bus and on a real RabbitMQ node.
/// </summary>
[TestFixture(MessagingTransport.InMemory)]
[TestFixture(MessagingTransport.RabbitMq)]
[NonParallelizable]
public class CycleTests(MessagingTransport transport) : TransportFixture(transport)
{
    [Test]
    public async Task MediumOrgCycleAssignsEveryAutoAssignLeadExactlyOnce()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Medium, TransportSettings);
        using var host = await rig.HostAsync(HostRole.Messaging);

        var result = await WorkerRig.CycleAsync(host);
        var recommendations = await Settle(host, result.RunId);

        var autoAssign = result.Routing.Decisions.Where(d => d.Mode == Rules.RoutingMode.AutoAssign).Select(d => d.LeadId).ToList();
        Assert.That(autoAssign, Is.Not.Empty);
        var writes = rig.OwnerWrites();
        Assert.That(writes.Select(w => w.Key), Is.EquivalentTo(autoAssign), "owners written for the AutoAssign leads only");
        Assert.That(writes.Select(w => w.Count()), Has.All.EqualTo(1), "each exactly once");
        Assert.That(writes.SelectMany(w => w).Select(w => w.AutoAssign), Has.All.EqualTo("FALSE"));
        foreach (var decision in result.Routing.Decisions.Where(d => d.Mode == Rules.RoutingMode.AutoAssign))
            Assert.That(rig.Emulator.Store.Get("Lead", decision.LeadId)!["OwnerId"], Is.EqualTo(decision.RepId));

        Assert.That(recommendations.Where(r => r.Mode == "AutoAssign").Select(r => r.Status), Has.All.EqualTo(RecommendationStatus.Assigned));
        Assert.That(recommendations.Where(r => r.Mode == "Recommend").Select(r => r.Status), Has.All.EqualTo(RecommendationStatus.Pending));
        var unsent = await new LeadRouter.Storage.Outbox(host.Services.GetRequiredService<LeadRouterDatabase>())
            .ClaimAsync(1000, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        Assert.That(unsent, Is.Empty, "every recommendation, score, digest and outcome message was published");
        await host.StopAsync();
    }

    [Test]
    public async Task LeadTakenByAPersonBetweenRoutingAndAssignmentIsSkippedAndReported()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, TransportSettings);
        // Route without a bus: the recommendations wait in the outbox.
        Routing.RoutingDecision taken;
        string person;
        using (var engine = await rig.HostAsync(HostRole.Engine, start: false))
        {
            var result = await WorkerRig.CycleAsync(engine);
            taken = result.Routing.Decisions.First(d => d.Mode == Rules.RoutingMode.AutoAssign);
            person = result.Trust.Reps.First(r => r.RepId != taken.RepId).RepId;
        }
        rig.Emulator.Store.Update("Lead", taken.LeadId, new Dictionary<string, object?> { ["OwnerId"] = person });
        rig.Emulator.ClearWrites();

        using var host = await rig.HostAsync(HostRole.Messaging);
        var runId = (await new RoutingStore(host.Services.GetRequiredService<LeadRouterDatabase>()).LatestRunAsync())!.Id;
        var recommendations = await Settle(host, runId);

        var skipped = recommendations.Single(r => r.LeadId == taken.LeadId);
        Assert.That(skipped.Status, Is.EqualTo(RecommendationStatus.Skipped));
        Assert.That(skipped.StatusReason, Does.Contain("someone took the lead").And.Contain(person));
        Assert.That(rig.OwnerWrites().Contains(taken.LeadId), Is.False, "the person's choice is not clobbered");
        Assert.That(rig.Emulator.Store.Get("Lead", taken.LeadId)!["OwnerId"], Is.EqualTo(person));
        Assert.That(recommendations.Where(r => r.Mode == "AutoAssign" && r.LeadId != taken.LeadId).Select(r => r.Status),
            Has.All.EqualTo(RecommendationStatus.Assigned));
        await host.StopAsync();
    }

    [Test]
    public async Task DuplicateMessageChangesNothing()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, TransportSettings);
        using var host = await rig.HostAsync(HostRole.Messaging);
        var result = await WorkerRig.CycleAsync(host);
        var before = await Settle(host, result.RunId);
        var writesBefore = rig.Emulator.Writes.Count;

        // Someone then takes the lead: a redelivered copy of its message must not even look at it again.
        var decision = result.Routing.Decisions.First(d => d.Mode == Rules.RoutingMode.AutoAssign);
        await host.Services.GetRequiredService<IPublishEndpoint>().Publish(new LeadAssignmentRecommended(
            result.RunId, decision.LeadId, decision.RepId, decision.Tier, AssignmentMode.AutoAssign, ["again"], result.Routing.RulesHash, WorkerRig.AsOf));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = await new RoutingStore(host.Services.GetRequiredService<LeadRouterDatabase>()).ListRecommendationsAsync(result.RunId);

        Assert.That(rig.Emulator.Writes, Has.Count.EqualTo(writesBefore));
        Assert.That(after.Select(r => (r.LeadId, r.Status, r.StatusReason)), Is.EqualTo(before.Select(r => (r.LeadId, r.Status, r.StatusReason))));
        await host.StopAsync();
    }

    private static Task<IReadOnlyList<RecommendationOutcome>> Settle(IHost host, Guid runId) =>
        CycleSettlement.SettleAsync(host.Services, runId, CancellationToken.None);
}

using Dapper;
using LeadRouter.Contracts.V1;
using LeadRouter.Cycle;
using LeadRouter.IntegrationTests.Messaging;
using LeadRouter.Rules;
using LeadRouter.SalesforceEmulator.Faults;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Cli;
using LeadRouter.Worker.Hosting;
using LeadRouter.Worker.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// The RabbitMQ node stops and starts again three times in one cycle: while the relay publishes the
/// run's messages, and twice while the routing consumer assigns. Every message is delivered, every
/// AutoAssign lead is assigned, its owner written exactly once, and nothing else is written.
/// </summary>
[NonParallelizable]
public class BrokerDrillTests
{
    private const string AssignmentQueue = "leadrouter-lead-assignment";
    private const string VirtualHost = "leadrouter-broker-drill";

    [Test]
    public async Task BrokerRestartedThreeTimesInOneCycleLosesAndDoublesNothing()
    {
        var broker = RabbitMqBroker.RequireOrIgnore();
        RabbitMqNode.IgnoreUnlessOurs();
        // Its own virtual host: a consumer MassTransit is still reconnecting after the last restart cannot
        // take the next test's messages, and deleting the host at the end closes it.
        await RabbitMqNode.AddVirtualHostAsync(VirtualHost);
        try
        {
            await DrillAsync(broker.InVirtualHost(VirtualHost));
        }
        finally
        {
            await RabbitMqNode.DeleteVirtualHostAsync(VirtualHost);
        }
    }

    private static async Task DrillAsync(RabbitMqBroker broker)
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, broker.Settings());
        Guid runId;
        using (var engine = await rig.HostAsync(HostRole.Engine, start: false))
            runId = (await WorkerRig.CycleAsync(engine)).RunId;

        // A slow Salesforce keeps the consumer at work (reading its leads, writing their owners) while the node goes away.
        rig.Emulator.Faults.Settings = new FaultSettings { LatencyMs = 1000 };
        using var host = await rig.HostAsync(HostRole.Messaging);
        var database = host.Services.GetRequiredService<LeadRouterDatabase>();
        var settling = Task.Run(() => CycleSettlement.SettleRunAsync(host.Services, runId, CancellationToken.None));
        var autoAssign = (await new RoutingStore(database).ListRecommendationsAsync(runId)).Count(r => r.Mode == nameof(RoutingMode.AutoAssign));
        var moments = new List<string>();

        async Task RestartWhenAsync(Func<Task<bool>> signal, string what)
        {
            var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
            while (!await signal())
            {
                if (settling.IsCompleted || DateTimeOffset.UtcNow > deadline)
                    Assert.Fail($"The run settled (or time ran out) before {what}.");
                await Task.Delay(20);
            }
            moments.Add($"{what}: {await CountAsync(database, "sent_at IS NOT NULL")} messages sent, {rig.OwnerWrites().Count} owners written");
            await RabbitMqNode.StopAppAsync();
            await RabbitMqNode.StartAppAsync();
        }

        await RestartWhenAsync(async () => await CountAsync(database, "sent_at IS NOT NULL") > 0, "the relay publishing the run");
        await RestartWhenAsync(() => Task.FromResult(rig.OwnerWrites().Count > 0), "the consumer assigning");
        await RestartWhenAsync(async () => await CountAsync(database, $"message_type = '{LeadAssigned.Kind}'") > 0, "the outcomes waiting to be published");
        var settlement = await settling;
        // The run settles once its AutoAssign leads are carried out; the consumer may still be taking the
        // Recommend-mode messages (no work) and the copies a restart redelivered off the queue. Give it a minute.
        var drainDeadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while (await broker.MessageCountAsync(AssignmentQueue) > 0 && DateTimeOffset.UtcNow < drainDeadline)
            await Task.Delay(100);
        await host.StopAsync();

        var (lost, duplicated, overwritten) = rig.Tally(settlement.Recommendations.Where(r => r.Mode == nameof(RoutingMode.AutoAssign)).ToList());
        var undelivered = await broker.MessageCountAsync(AssignmentQueue);
        TestContext.Out.WriteLine(
            $"DRILL RabbitMQ node restarted 3 times: trials=3, leads checked={autoAssign}, lost={lost}, duplicated={duplicated}, overwritten={overwritten}" +
            $" (restarted at {string.Join("; ", moments)}; unpublished {settlement.Unpublished}, left on the queue {undelivered})");
        Assert.Multiple(() =>
        {
            Assert.That(settlement.ExitCode, Is.EqualTo(ExitCodes.Ok), settlement.Explain());
            Assert.That(autoAssign, Is.Positive);
            Assert.That(lost, Is.Zero, "lost");
            Assert.That(duplicated, Is.Zero, "duplicated");
            Assert.That(overwritten, Is.Zero, "overwritten");
            Assert.That(settlement.Unpublished, Is.Zero, "every message published");
            Assert.That(undelivered, Is.Zero, "every message delivered");
        });
    }

    private static async Task<long> CountAsync(LeadRouterDatabase database, string outboxCondition)
    {
        await using var read = await database.BeginReadAsync(CancellationToken.None);
        return await read.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE " + outboxCondition, transaction: read.Transaction);
    }
}

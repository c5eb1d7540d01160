using LeadRouter.Contracts.V1;
using LeadRouter.Rules;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace LeadRouter.IntegrationTests.Worker
{
    /// <summary>
    /// Bad messages on the routing consumer's queue: a type it does not know, the next schema version of
    /// its own, a recommendation forged for another rep, and one whose ids are not Salesforce ids (a
    /// quote that would break a SOQL literal). None changes the store or writes to Salesforce, and the
    /// forged one's id (the genuine message's) is not marked handled, so the genuine one still gets through.
    /// </summary>
    [NonParallelizable]
    public class BadMessageTests
    {
        [Test]
        public async Task UnknownForgedOrMalformedMessagesChangeNothing()
        {
            await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
            Guid runId;
            using (var engine = await rig.HostAsync(HostRole.Engine, start: false))
                runId = (await WorkerRig.CycleAsync(engine)).RunId;
            // The relay stays silent: only the messages this test sends reach the consumer.
            using var host = await rig.HostAsync(HostRole.Messaging, extra: services =>
                services.AddSingleton<IPublishEndpoint>(ReliabilityDrillTests.StalledPublisher.Create()));
            var database = host.Services.GetRequiredService<LeadRouterDatabase>();
            var store = new RoutingStore(database);
            var before = await store.ListRecommendationsAsync(runId);
            var target = before.First(r => r.Mode == nameof(RoutingMode.AutoAssign));
            var otherRep = before.First(r => r.RepId is not null && r.RepId != target.RepId).RepId!;
            var forged = new LeadAssignmentRecommended(runId, target.LeadId, otherRep, target.Tier, AssignmentMode.AutoAssign, ["forged"], "x", WorkerRig.AsOf);
            var malformed = new LeadAssignmentRecommended(runId, "00Q' OR Name != '", "not-a-user", "A", AssignmentMode.AutoAssign, [], "x", WorkerRig.AsOf);
            var bus = host.Services.GetRequiredService<IBus>();
            var received = new ReceivedCounter();
            using var observing = bus.ConnectReceiveObserver(received);
            rig.Emulator.ClearWrites();

            var queue = await bus.GetSendEndpoint(new Uri("queue:leadrouter-lead-assignment"));
            await queue.Send(new CoffeeOrdered("large"));
            await queue.Send(new Contracts.V2.LeadAssignmentRecommended(runId, target.LeadId, otherRep, "v2"));
            await queue.Send(forged);
            await queue.Send(malformed);
            var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
            while (received.Count < 4 && DateTimeOffset.UtcNow < deadline)
                await Task.Delay(20);

            Assert.That(received.Count, Is.EqualTo(4), "the consumer's endpoint took all four");
            Assert.That(rig.Emulator.Writes, Is.Empty, "nothing written to Salesforce");
            Assert.That(await store.ListRecommendationsAsync(runId), Is.EqualTo(before), "no recommendation changed");
            var handled = await new ProcessedMessages(database).WhichProcessedAsync("lead-assignment", [forged.MessageId, malformed.MessageId]);
            Assert.That(handled, Is.EquivalentTo(new[] { malformed.MessageId }), "the forged message's id stays free for the genuine one");
            await host.StopAsync();
        }

        private sealed record CoffeeOrdered(string Size);

        /// <summary>Counts messages the bus's endpoints finished receiving, consumed or not.</summary>
        private sealed class ReceivedCounter : IReceiveObserver
        {
            private int _count;

            public int Count => Volatile.Read(ref _count);

            public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

            public Task PostReceive(ReceiveContext context)
            {
                if (context.InputAddress.AbsolutePath.EndsWith("leadrouter-lead-assignment", StringComparison.Ordinal))
                    Interlocked.Increment(ref _count);
                return Task.CompletedTask;
            }

            public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

            public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
                Task.CompletedTask;

            public Task ReceiveFault(ReceiveContext context, Exception exception)
            {
                Interlocked.Increment(ref _count);
                return Task.CompletedTask;
            }
        }
    }
}

namespace LeadRouter.IntegrationTests.Worker.Contracts.V2
{
    /// <summary>A later schema of the recommendation (another message type to the bus), which this version does not consume.</summary>
    public sealed record LeadAssignmentRecommended(Guid RunId, string LeadId, string RepId, string Explanation);
}

using LeadRouter.Contracts.V1;
using LeadRouter.Cycle;
using LeadRouter.Rules;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace LeadRouter.IntegrationTests.Worker
{
    /// <summary>
    /// What comes from outside, on one routed org. An org file whose text holds emoji, right-to-left
    /// script, quotes and backslashes (what would break a SOQL string literal built by hand) is read,
    /// synced, stored and routed with every character intact. Bad messages on the routing consumer's
    /// queue (a type it does not know, the next schema version of its own, a recommendation forged for
    /// another rep, one whose ids are not Salesforce ids) change neither the store nor Salesforce, and the
    /// forged one's id (the genuine message's) is not marked handled, so the genuine one still gets through.
    /// </summary>
    [NonParallelizable]
    public class OutsideInputTests
    {
        private const string RepName = "سارة الحربي 😀 O'Neil";
        private const string Company = "O'Brien \\ \"Söhne\" ' OR Name != '' 🚀 شركة";

        private WorkerRig _rig = null!;
        private CycleResult _run = null!;
        private string _repId = "";
        private string _leadId = "";

        [OneTimeSetUp]
        public async Task RouteAnOrgFileWithOddText()
        {
            var records = OrgGenerator.Generate(OrgSize.Small, seed: 11, WorkerRig.AsOf).Records
                .ToDictionary(r => r.Key, r => r.Value.ToList());
            // A seller (the owner of an opportunity) and a queued lead.
            var rep = records["User"].First(u => Equals(u["Id"], records["Opportunity"][0]["OwnerId"]));
            var lead = records["Lead"].First(l => ((string)l["OwnerId"]!).StartsWith("00G", StringComparison.Ordinal) && l["IsConverted"] is false);
            (_repId, _leadId) = ((string)rep["Id"]!, (string)lead["Id"]!);
            Replace(records["User"], rep, "Name", RepName);
            Replace(records["Lead"], lead, "Company", Company);
            // Through the org file, as `demo --org` and the emulator's --org read it.
            using var file = new MemoryStream();
            OrgStore.Create(records.ToDictionary(r => r.Key, r => (IReadOnlyList<IReadOnlyDictionary<string, object?>>)r.Value)).Save(file);
            file.Position = 0;
            _rig = await WorkerRig.StartAsync(OrgStore.Load(file));
            using var engine = await _rig.HostAsync(HostRole.Engine, start: false);
            _run = await WorkerRig.CycleAsync(engine);
        }

        [OneTimeTearDown]
        public async Task Dispose() => await _rig.DisposeAsync();

        [Test]
        public async Task EmojiRightToLeftTextQuotesAndBackslashesSurviveTheOrgFileTheSyncAndRouting()
        {
            using var engine = await _rig.HostAsync(HostRole.Engine, start: false);
            var (users, _, leads) = await new RecordStore(engine.Services.GetRequiredService<LeadRouterDatabase>()).LoadPeopleAndLeadsAsync();

            Assert.That(users.Single(u => u.Id == _repId).Name, Is.EqualTo(RepName));
            Assert.That(leads.Single(l => l.Id == _leadId).Company, Is.EqualTo(Company));
            Assert.That(_run.Routing.Decisions.Select(d => d.LeadId).Concat(_run.Routing.Unroutable.Select(u => u.LeadId)),
                Does.Contain(_leadId), "the lead was routed like any other");
            Assert.That(_run.Trust.Reps.Single(r => r.RepId == _repId).Name, Is.EqualTo(RepName));
        }

        [Test]
        public async Task UnknownForgedOrMalformedMessagesChangeNothing()
        {
            var (rig, runId) = (_rig, _run.RunId);
            // The relay stays silent: only the messages this test sends reach the consumer.
            using var host = await rig.HostAsync(HostRole.Messaging, extra: services =>
                services.AddSingleton(ReliabilityDrillTests.StalledPublisher.Create()));
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

        private static void Replace(List<IReadOnlyDictionary<string, object?>> list, IReadOnlyDictionary<string, object?> record, string field, string value) =>
            list[list.IndexOf(record)] = new Dictionary<string, object?>(record) { [field] = value };

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

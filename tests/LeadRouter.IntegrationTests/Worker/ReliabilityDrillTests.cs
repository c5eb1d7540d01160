using System.Reflection;
using LeadRouter.Assignment;
using LeadRouter.Contracts.V1;
using LeadRouter.Cycle;
using LeadRouter.Rules;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Faults;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Cli;
using LeadRouter.Worker.Hosting;
using LeadRouter.Worker.Messaging;
using LeadRouter.Worker.Outbox;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// Reliability drills: whatever fails around a cycle (Salesforce faults, lost or faulted messages, a
/// crash between the owner write and its record, a person taking a lead), every AutoAssign lead ends
/// assigned exactly once or skipped with a reason, by the run itself or the next one, and no lead a
/// person owns is touched. Each drill writes its tally (leads checked, lost, duplicated, overwritten)
/// to the test output.
/// </summary>
[TestFixture(MessagingTransport.InMemory)]
[TestFixture(MessagingTransport.RabbitMq)]
[NonParallelizable]
public class ReliabilityDrillTests(MessagingTransport transport) : TransportFixture(transport)
{
    private Dictionary<string, string?> _settings = [];

    [OneTimeSetUp]
    public void QuickSalesforceRetries()
    {
        _settings = new Dictionary<string, string?>(TransportSettings)
        {
            ["LeadRouter:Salesforce:RetryBaseDelay"] = "00:00:00.010",
            ["LeadRouter:Salesforce:RetryMaxDelay"] = "00:00:00.050",
            ["LeadRouter:SettleTimeout"] = "00:00:45",
        };
    }

    [Test]
    public async Task SalesforceOutageDuringWriteBackIsReportedAndTheNextRunAssignsEveryLead()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, With(("LeadRouter:Salesforce:MaxRetries", "1")));
        var autoAssign = await RouteWithoutBusAsync(rig);
        rig.Emulator.Faults.Settings = new FaultSettings { UnavailableRate = 1.0 };

        var first = await SettleAsync(rig);

        Assert.That(first.ExitCode, Is.EqualTo(ExitCodes.Salesforce));
        Assert.That(first.NotYetAssigned.Select(r => r.LeadId), Is.EquivalentTo(autoAssign.Keys));
        Assert.That(first.NotYetAssigned.Select(r => r.StatusReason), Has.All.StartWith("not yet assigned: Salesforce"));
        Assert.That(first.Explain(), Does.StartWith($"{autoAssign.Count} AutoAssign leads are not yet assigned"));
        Assert.That(rig.OwnerWrites(), Is.Empty);

        rig.Emulator.Faults.Settings = FaultSettings.None;
        var next = await RerunAsync(rig);
        Tally("Salesforce outage during write-back", rig, autoAssign, next);
    }

    [Test]
    public async Task DailyLimitRunningOutDuringWriteBackIsReportedAndTheNextRunAssignsEveryLead()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        var autoAssign = await RouteWithoutBusAsync(rig);
        rig.Emulator.ApiUsage.SetUsed(rig.Emulator.ApiUsage.DailyLimit);

        var first = await SettleAsync(rig);

        Assert.That(first.ExitCode, Is.EqualTo(ExitCodes.Salesforce));
        Assert.That(first.NotYetAssigned, Has.Count.EqualTo(autoAssign.Count));
        Assert.That(first.NotYetAssigned.Select(r => r.StatusReason), Has.All.Contain("REQUEST_LIMIT_EXCEEDED"));

        rig.Emulator.ApiUsage.SetUsed(0);
        var next = await RerunAsync(rig);
        Tally("Daily API limit runs out during write-back", rig, autoAssign, next);
    }

    [Test]
    public async Task MessagesMarkedSentButNeverConsumedArePublishedAgainByTheRerun()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        var autoAssign = await RouteWithoutBusAsync(rig);
        // What a process killed mid-publish on the in-memory bus leaves: rows marked sent, messages gone.
        using (var engine = await rig.HostAsync(HostRole.Engine, start: false))
        {
            var outbox = new LeadRouter.Storage.Outbox(engine.Services.GetRequiredService<LeadRouterDatabase>());
            var claimed = await outbox.ClaimAsync(10_000, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
            await outbox.MarkSentAsync(claimed.Select(c => c.Id).ToList(), DateTimeOffset.UtcNow);
        }

        var next = await RerunAsync(rig);
        Tally("Messages marked sent, never consumed", rig, autoAssign, next);
    }

    [Test]
    public async Task RetryAfterACrashBetweenTheOwnerWriteAndItsRecordRecognisesItsOwnWrite()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        var autoAssign = await RouteWithoutBusAsync(rig);
        // The consumer wrote these owners, then died before recording them.
        var written = autoAssign.Take(autoAssign.Count / 2).ToList();
        foreach (var (leadId, repId) in written)
            rig.Emulator.Store.Update("Lead", leadId, new Dictionary<string, object?> { ["OwnerId"] = repId });

        var settlement = await SettleAsync(rig);

        Assert.That(settlement.ExitCode, Is.EqualTo(ExitCodes.Ok));
        var byLead = settlement.Recommendations.ToDictionary(r => r.LeadId);
        foreach (var (leadId, _) in written)
        {
            Assert.That(byLead[leadId].Status, Is.EqualTo(RecommendationStatus.Assigned), leadId);
            Assert.That(byLead[leadId].StatusReason, Does.Contain("earlier attempt"));
        }
        Assert.That(written.Where(w => rig.OwnerWrites().Contains(w.Key)), Is.Empty, "nothing is written twice");
        var events = await OutboxKindsAsync(rig);
        Assert.That(events.GetValueOrDefault(LeadAssigned.Kind), Is.EqualTo(autoAssign.Count), "LeadAssigned for every lead");
        Assert.That(events.GetValueOrDefault(LeadAssignmentSkipped.Kind), Is.Zero, "never 'someone took the lead'");
        Tally("Crash between owner write and its record", rig, autoAssign, settlement, preWritten: written.Count);
    }

    [Test]
    public async Task LockedRowsAreRetriedUntilAssignedNeverSkipped()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, With(("LeadRouter:Salesforce:MaxRetries", "0")));
        var autoAssign = await RouteWithoutBusAsync(rig);
        rig.Emulator.Faults.Settings = new FaultSettings { LockRowRate = 0.5, Seed = 7 };

        var first = await SettleAsync(rig);

        Assert.That(first.Recommendations.Where(r => r.Status == RecommendationStatus.Skipped && r.RepId is not null), Is.Empty,
            "a locked row is not a reason to give a lead up");
        Assert.That(first.NotYetAssigned.Select(r => r.StatusReason), Has.All.Contain("UNABLE_TO_LOCK_ROW"));
        Assert.That(first.ExitCode, Is.EqualTo(first.NotYetAssigned.Count == 0 ? ExitCodes.Ok : ExitCodes.Salesforce));

        var next = first;
        for (var run = 0; run < 6 && next.NotYetAssigned.Count > 0; run++)
            next = await RerunAsync(rig, expectDone: false);
        rig.Emulator.Faults.Settings = FaultSettings.None;
        next = await RerunAsync(rig);
        Tally("UNABLE_TO_LOCK_ROW at 50 %", rig, autoAssign, next);
    }

    [Test]
    public async Task PartialCollectionFailuresAreSkippedWithSalesforcesReasonAndTheRestAssigned()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        var autoAssign = await RouteWithoutBusAsync(rig);
        rig.Emulator.Faults.Settings = new FaultSettings { CollectionFailureRate = 0.2, Seed = 3 };

        var settlement = await SettleAsync(rig);

        Assert.That(settlement.ExitCode, Is.EqualTo(ExitCodes.Ok), "a refused record is a final skip, not a stuck lead");
        var skipped = settlement.Recommendations.Where(r => r.Status == RecommendationStatus.Skipped && r.RepId is not null).ToList();
        Assert.That(skipped, Is.Not.Empty);
        Assert.That(skipped.Select(r => r.StatusReason), Has.All.Contain("FIELD_CUSTOM_VALIDATION_EXCEPTION"));
        Assert.That(skipped.Where(r => rig.OwnerWrites().Contains(r.LeadId)), Is.Empty);
        Tally("Partial collection failures (20 %)", rig, autoAssign, settlement);
    }

    [Test]
    public async Task ExpiringSessionsAndServiceUnavailableBurstsAreSurvived()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        var autoAssign = await RouteWithoutBusAsync(rig);
        rig.Emulator.Faults.Settings = new FaultSettings { SessionExpiresAfterCalls = 3, UnavailableRate = 0.3, Seed = 5 };

        var settlement = await SettleAsync(rig);
        if (settlement.NotYetAssigned.Count > 0)
        {
            Assert.That(settlement.ExitCode, Is.EqualTo(ExitCodes.Salesforce));
            rig.Emulator.Faults.Settings = FaultSettings.None;
            settlement = await RerunAsync(rig);
        }
        Tally("Expiring sessions and 503 bursts (30 %)", rig, autoAssign, settlement);
    }

    [Test]
    public async Task LeadsPeopleTookOrDeletedAreSkippedAndReportedNeverTouched()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        var autoAssign = await RouteWithoutBusAsync(rig);
        var leads = autoAssign.Keys.ToList();
        var person = autoAssign.Values.Distinct().First();
        var taken = leads.Where(l => autoAssign[l] != person).Take(3).ToList();
        foreach (var leadId in taken)
            rig.Emulator.Store.Update("Lead", leadId, new Dictionary<string, object?> { ["OwnerId"] = person });
        var deleted = leads.Except(taken).First();
        rig.Emulator.Store.Delete("Lead", deleted);

        var settlement = await SettleAsync(rig);

        var byLead = settlement.Recommendations.ToDictionary(r => r.LeadId);
        Assert.That(taken.Select(l => byLead[l].StatusReason), Has.All.Contain("someone took the lead").And.All.Contain(person));
        Assert.That(byLead[deleted].StatusReason, Does.Contain("no longer exists"));
        Assert.That(taken.Select(l => rig.Emulator.Store.Get("Lead", l)!["OwnerId"]), Has.All.EqualTo(person), "a person's choice stands");
        Assert.That(taken.Append(deleted).Where(l => rig.OwnerWrites().Contains(l)), Is.Empty);
        Tally("People act meanwhile", rig, autoAssign, settlement, untouched: taken.Count + 1);
    }

    [Test]
    public async Task ALeadAPersonTakesInTheLastMomentBeforeTheWriteIsLeftToThemAndReported()
    {
        // Salesforce's clock, ten minutes back while the person first changes the lead.
        var salesforceClock = new ShiftedClock(TimeSpan.FromMinutes(-10));
        await using var rig = await WorkerRig.StartAsync(OrgStore.Create(OrgGenerator.Generate(OrgSize.Small, seed: 11, WorkerRig.AsOf).Records, salesforceClock));
        var autoAssign = await RouteWithoutBusAsync(rig);
        var (leadId, repId) = autoAssign.First();
        var person = autoAssign.Values.First(r => r != repId);
        // A person at work on the lead changed it ten minutes ago (within the hour: its owner is written on
        // condition); the consumer has read the lead (still in its queue); the person's taking it lands just before the write.
        rig.Emulator.Store.Update("Lead", leadId, new Dictionary<string, object?> { ["Company"] = "Renamed by a person" });
        salesforceClock.Shift = TimeSpan.Zero;
        using var host = await rig.HostAsync(HostRole.Messaging, extra: services => services
            .AddHttpClient(nameof(LeadRouter.Salesforce.SalesforceClient))
            .AddHttpMessageHandler(() => new BeforeTheWrite(() =>
                rig.Emulator.Store.Update("Lead", leadId, new Dictionary<string, object?> { ["OwnerId"] = person }))));
        var runId = WeeklyCycle.RunIdFor(WorkerRig.AsOf, host.Services.GetRequiredService<RoutingRules>().Hash);

        var settlement = await CycleSettlement.SettleRunAsync(host.Services, runId, CancellationToken.None);
        await host.StopAsync();

        var skipped = settlement.Recommendations.Single(r => r.LeadId == leadId);
        Assert.That(skipped.Status, Is.EqualTo(RecommendationStatus.Skipped));
        Assert.That(skipped.StatusReason, Does.Contain("moments before the write"));
        Assert.That(rig.Emulator.Store.Get("Lead", leadId)!["OwnerId"], Is.EqualTo(person), "the person's choice stands");
        Assert.That(rig.OwnerWrites().Contains(leadId), Is.False);
        Tally("Person takes a lead in the last moment", rig, autoAssign, settlement, untouched: 1);
    }

    [Test]
    public async Task ANewerRunSupersedesOlderPendingRecommendationsAndTheirLateMessagesChangeNothing()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        Guid olderRun;
        using (var engine = await rig.HostAsync(HostRole.Engine, start: false))
            olderRun = (await WorkerRig.CycleAsync(engine)).RunId;
        CycleResult newer;
        using (var engine = await rig.HostAsync(HostRole.Engine, start: false))
            newer = await engine.Services.GetRequiredService<WeeklyCycle>().RunAsync(WorkerRig.AsOf.AddDays(7), new CycleRun(Sync: false));

        using var host = await rig.HostAsync(HostRole.Messaging);
        var store = new RoutingStore(host.Services.GetRequiredService<LeadRouterDatabase>());
        var older = await store.ListRecommendationsAsync(olderRun);
        var superseded = older.Where(r => r.RepId is not null).ToList();
        Assert.That(superseded, Is.Not.Empty);
        Assert.That(superseded.Select(r => r.Status), Has.All.EqualTo(RecommendationStatus.Skipped));
        Assert.That(superseded.Select(r => r.StatusReason), Has.All.StartWith($"superseded by routing run {newer.RunId}"));

        // A message of the older run replayed a week later, and one for a recommendation that never existed.
        var late = superseded.First(r => r.Mode == nameof(RoutingMode.AutoAssign));
        var bus = host.Services.GetRequiredService<IPublishEndpoint>();
        await bus.Publish(new LeadAssignmentRecommended(olderRun, late.LeadId, late.RepId!, late.Tier, AssignmentMode.AutoAssign, ["replayed"], "x", WorkerRig.AsOf));
        await bus.Publish(new LeadAssignmentRecommended(Guid.NewGuid(), late.LeadId, late.RepId!, late.Tier, AssignmentMode.AutoAssign, ["forged"], "x", WorkerRig.AsOf));
        var settlement = await CycleSettlement.SettleRunAsync(host.Services, newer.RunId, CancellationToken.None);

        Assert.That(settlement.ExitCode, Is.EqualTo(ExitCodes.Ok));
        var newerAutoAssign = newer.Routing.Decisions.Where(d => d.Mode == RoutingMode.AutoAssign).ToDictionary(d => d.LeadId, d => d.RepId);
        Assert.That(rig.OwnerWrites().Select(w => w.Key), Is.SubsetOf(newerAutoAssign.Keys), "only the newer run's decisions are carried out");
        Assert.That((await store.ListRecommendationsAsync(olderRun)).Select(r => (r.LeadId, r.Status)),
            Is.EqualTo(older.Select(r => (r.LeadId, r.Status))), "the late messages changed nothing");
        Tally("Newer run supersedes, late replay", rig, newerAutoAssign, settlement);
        await host.StopAsync();
    }

    [Test]
    public async Task AStoppingRelayReleasesItsLeaseSoTheNextProcessPublishesAtOnce()
    {
        if (Transport != MessagingTransport.InMemory)
            Assert.Ignore("The lease is the store's; one transport covers it.");
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        await RouteWithoutBusAsync(rig);
        using var host = await rig.HostAsync(HostRole.Engine, start: false);
        var database = host.Services.GetRequiredService<LeadRouterDatabase>();
        var relay = new OutboxRelay(database, StalledPublisher.Create(), TimeProvider.System, NullLogger<OutboxRelay>.Instance, LeaseOwner.ForThisProcess());
        var unsent = await CountUnsentAsync(rig, leasedOnly: false);

        using (var stopping = new CancellationTokenSource())
        {
            var drain = relay.DrainAsync(stopping.Token);
            while (await CountUnsentAsync(rig, leasedOnly: true) == 0)
                await Task.Delay(20);
            await stopping.CancelAsync();
            Assert.CatchAsync<OperationCanceledException>(() => drain);
        }
        Assert.That(await CountUnsentAsync(rig, leasedOnly: true), Is.GreaterThan(0), "the stopped publish left its batch leased");
        await relay.StopAsync(CancellationToken.None);

        Assert.That(await CountUnsentAsync(rig, leasedOnly: true), Is.Zero, "no unsent row is left behind a lease");
        var claimable = await new LeadRouter.Storage.Outbox(database).ClaimAsync(10_000, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1));
        Assert.That(claimable, Has.Count.EqualTo(unsent));
    }

    private Dictionary<string, string?> With(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(_settings);
        foreach (var (key, value) in extra)
            settings[key] = value;
        return settings;
    }

    /// <summary>Syncs, scores and routes without a bus: the recommendations wait in the outbox. Returns the AutoAssign lead → rep.</summary>
    private static async Task<Dictionary<string, string>> RouteWithoutBusAsync(WorkerRig rig)
    {
        using var engine = await rig.HostAsync(HostRole.Engine, start: false);
        var result = await WorkerRig.CycleAsync(engine);
        var autoAssign = result.Routing.Decisions.Where(d => d.Mode == RoutingMode.AutoAssign).ToDictionary(d => d.LeadId, d => d.RepId);
        Assert.That(autoAssign, Is.Not.Empty);
        return autoAssign;
    }

    private static async Task<Settlement> SettleAsync(WorkerRig rig)
    {
        using var host = await rig.HostAsync(HostRole.Messaging);
        var runId = WeeklyCycle.RunIdFor(WorkerRig.AsOf, host.Services.GetRequiredService<RoutingRules>().Hash);
        var settlement = await CycleSettlement.SettleRunAsync(host.Services, runId, CancellationToken.None);
        await host.StopAsync();
        return settlement;
    }

    /// <summary>The next run: the same cycle again (already saved), which publishes what is stalled, then settles.</summary>
    private static async Task<Settlement> RerunAsync(WorkerRig rig, bool expectDone = true)
    {
        using var host = await rig.HostAsync(HostRole.Messaging);
        var result = await host.Services.GetRequiredService<WeeklyCycle>().RunAsync(WorkerRig.AsOf, new CycleRun(Sync: false));
        Assert.That(result.Saved, Is.False, "the rerun finds its run saved");
        var settlement = await CycleSettlement.SettleRunAsync(host.Services, result.RunId, CancellationToken.None);
        await host.StopAsync();
        if (expectDone)
            Assert.That(settlement.NotYetAssigned, Is.Empty, settlement.Explain());
        return settlement;
    }

    private static async Task<Dictionary<string, int>> OutboxKindsAsync(WorkerRig rig)
    {
        using var engine = await rig.HostAsync(HostRole.Engine, start: false);
        var database = engine.Services.GetRequiredService<LeadRouterDatabase>();
        await using var transaction = await database.BeginTransactionAsync();
        var kinds = await Dapper.SqlMapper.QueryAsync<(string Kind, long Count)>(transaction.Connection,
            "SELECT message_type, COUNT(*) FROM outbox GROUP BY message_type", transaction: transaction.Transaction);
        return kinds.ToDictionary(k => k.Kind, k => (int)k.Count);
    }

    private static async Task<int> CountUnsentAsync(WorkerRig rig, bool leasedOnly)
    {
        using var engine = await rig.HostAsync(HostRole.Engine, start: false);
        await using var transaction = await engine.Services.GetRequiredService<LeadRouterDatabase>().BeginTransactionAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<int>(transaction.Connection,
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL" + (leasedOnly ? " AND locked_until IS NOT NULL" : ""),
            transaction: transaction.Transaction);
    }

    /// <summary>Runs an action once, just before the first conditional owner write (a POST to /composite) leaves.</summary>
    private sealed class BeforeTheWrite(Action action) : DelegatingHandler
    {
        private int _done;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/composite", StringComparison.Ordinal)
                && Interlocked.Exchange(ref _done, 1) == 0)
            {
                action();
            }
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>The system clock moved by <see cref="Shift"/>.</summary>
    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public TimeSpan Shift { get; set; } = shift;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
    }

    /// <summary>Publish endpoints whose sends never complete until cancelled, like a broker that stopped answering.</summary>
    public class StalledPublisher : DispatchProxy
    {
        public static IPublishEndpointProvider Create() => Create<IPublishEndpointProvider, StalledPublisher>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.ReturnType == typeof(Task<ISendEndpoint>) ? Task.FromResult(Create<ISendEndpoint, StalledPublisher>())
            : targetMethod?.ReturnType == typeof(Task) ? Task.Delay(Timeout.Infinite, args?.OfType<CancellationToken>().FirstOrDefault() ?? CancellationToken.None)
            : null;
    }

    /// <summary>
    /// Checks and reports the drill: every AutoAssign lead is final; an assigned one is owned by its rep
    /// and was written at most once (none when an earlier attempt had written it); nothing else written.
    /// </summary>
    private void Tally(string drill, WorkerRig rig, IReadOnlyDictionary<string, string> autoAssign, Settlement settlement,
        int preWritten = 0, int untouched = 0)
    {
        var byLead = settlement.Recommendations.ToDictionary(r => r.LeadId);
        var writes = rig.OwnerWrites();
        var lost = autoAssign.Keys.Count(l => byLead[l].Status == RecommendationStatus.Pending
            || (byLead[l].Status == RecommendationStatus.Assigned && !Equals(rig.Emulator.Store.Get("Lead", l)?["OwnerId"], autoAssign[l])));
        var duplicated = writes.Count(w => w.Count() > 1);
        var overwritten = writes.Count(w => !autoAssign.ContainsKey(w.Key) || byLead[w.Key].Status != RecommendationStatus.Assigned);
        TestContext.Out.WriteLine(
            $"DRILL {drill} [{Transport}]: trials=1, leads checked={autoAssign.Count}, lost={lost}, duplicated={duplicated}, overwritten={overwritten}" +
            $" (pre-written {preWritten}, left to people {untouched})");
        Assert.Multiple(() =>
        {
            Assert.That(lost, Is.Zero, "lost");
            Assert.That(duplicated, Is.Zero, "duplicated");
            Assert.That(overwritten, Is.Zero, "overwritten");
        });
    }
}

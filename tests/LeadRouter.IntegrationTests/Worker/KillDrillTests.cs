using System.Text.Json.Nodes;
using LeadRouter.Cycle;
using LeadRouter.Rules;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// kill -9 drills: `leadrouter cycle` runs as a process and kills itself at a named point of the weekly
/// cycle (LEADROUTER_CRASH_AT, optionally the Nth time it passes it); the next `cycle` finishes the work.
/// Each drill kills a chain of runs, each at a later point than the last (so a run recovering from one
/// kill is killed in turn), then lets one run finish. The final state must equal that of an
/// uninterrupted run on an identical org: every lead's owner in Salesforce, every recommendation's
/// status in the store, the events published (a repeat carries the same id; none may be missing,
/// unsent or contradict the reference) and the managers' digest files.
/// </summary>
[NonParallelizable]
public class KillDrillTests
{
    private const string AsOf = "2026-11-23T07:00:00Z";

    /// <summary>Commits of 1,000 rows or more, so a pull of the org's tasks spans several commits to die between.</summary>
    private static readonly Dictionary<string, string?> Settings = new() { ["LeadRouter:Sync:RowsPerCommit"] = "1000" };

    private GeneratedOrg _org = null!;
    private string _syncedStore = null!;
    private FinalState _reference = null!;

    /// <summary>
    /// Syncs the org once into a store kept aside (the weekly cycle usually finds the store synced by the
    /// hourly pull), then runs the cycle on it uninterrupted: the reference every drill is compared to.
    /// </summary>
    [OneTimeSetUp]
    public async Task RunTheReferenceCycle()
    {
        _org = OrgGenerator.Generate(OrgSize.Small, seed: 11, WorkerRig.AsOf);
        _syncedStore = Directory.CreateTempSubdirectory("leadrouter-synced-").FullName;
        await using var rig = await StartRigAsync(synced: false);
        var sync = await WorkerProcess.RunAsync(rig.Folder, rig.SetOptions().Concat(["sync", "--as-of", AsOf]));
        Assert.That(sync.Exit, Is.Zero, sync.Errors);
        foreach (var file in StoreFiles(rig.Folder))
            File.Copy(file, Path.Combine(_syncedStore, Path.GetFileName(file)));

        var cycle = await RunCycleAsync(rig, crashAt: null);
        Assert.That(cycle.Exit, Is.Zero, cycle.Errors);
        _reference = await FinalState.ReadAsync(rig, _org);
        Assert.That(_reference.Owners.Values.Count(o => o.Written > 0), Is.GreaterThan(0), "the reference assigns leads");
    }

    [OneTimeTearDown]
    public void RemoveSyncedStore() => Directory.Delete(_syncedStore, recursive: true);

    // The sync drill starts from an empty store: the first kill comes after 4,000 of the org's tasks are committed
    // (the sixth commit), the next after the sixth object's pull (Opportunity). The others start from the synced store.
    [TestCase(false, CrashDrill.SyncPageStored + ":6", CrashDrill.SyncObjectDone + ":6", CrashDrill.Scored)]
    // The second manager's HTML digest is written, not its text.
    [TestCase(true, CrashDrill.DigestWritten + ":2", CrashDrill.CycleSaved, CrashDrill.OwnerWriting, CrashDrill.OwnerWritten)]
    // Killed mid-publish, then between marking a batch sent and its consumption, then after recording outcomes.
    [TestCase(true, CrashDrill.OutboxPublished + ":2", CrashDrill.OutboxSent + ":2", CrashDrill.AssignmentRecorded)]
    public async Task KilledMidCycleThenRunAgainEndsAsAnUninterruptedRun(bool fromSyncedStore, params string[] points)
    {
        await using var rig = await StartRigAsync(fromSyncedStore);

        foreach (var point in points)
        {
            var killed = await RunCycleAsync(rig, point);
            Assert.That(killed.Errors, Does.Contain($"crash drill: killed at {(point.Contains(':') ? point : point + ":1")}"),
                $"the process reached {point} (exit {killed.Exit}): {killed.Errors}");
            Assert.That(killed.Exit, Is.Not.Zero);
        }

        var rerun = await RunCycleAsync(rig, crashAt: null);
        Assert.That(rerun.Exit, Is.EqualTo(0), rerun.Errors);

        var final = await FinalState.ReadAsync(rig, _org);
        var assigned = _reference.Owners.Where(o => o.Value.Written > 0).ToDictionary(o => o.Key, o => o.Value.OwnerId);
        var lost = assigned.Count(a => final.Owners[a.Key].OwnerId != a.Value || final.Statuses[a.Key] != RecommendationStatus.Assigned);
        var duplicated = final.Owners.Count(o => o.Value.Written > 1);
        var overwritten = final.Owners.Count(o => o.Value.Written > 0 && !assigned.ContainsKey(o.Key));
        var missingEvents = _reference.Events.Keys.Count(id => !final.Events.ContainsKey(id) || final.Events[id].Sent is false);
        var contradicting = final.Events.Count(e => !_reference.Events.TryGetValue(e.Key, out var expected) || expected.Payload != e.Value.Payload);
        TestContext.Out.WriteLine(
            $"DRILL kill -9 at {string.Join(" then ", points)}: trials={points.Length}, leads checked={final.Owners.Count}, lost={lost}, duplicated={duplicated}, overwritten={overwritten}" +
            $" (events checked {_reference.Events.Count}: missing {missingEvents}, contradicting {contradicting})");
        Assert.Multiple(() =>
        {
            Assert.That(lost, Is.Zero, "lost");
            Assert.That(duplicated, Is.Zero, "duplicated");
            Assert.That(overwritten, Is.Zero, "overwritten");
            Assert.That(final.Owners.Select(o => (o.Key, o.Value.OwnerId)), Is.EquivalentTo(_reference.Owners.Select(o => (o.Key, o.Value.OwnerId))),
                "every lead's owner in Salesforce");
            Assert.That(final.Statuses, Is.EquivalentTo(_reference.Statuses), "every recommendation's status in the store");
            Assert.That(missingEvents, Is.Zero, "events missing or never published");
            Assert.That(contradicting, Is.Zero, "events the reference run did not publish, or published with other facts");
            Assert.That(final.Digests, Is.EquivalentTo(_reference.Digests), "the managers' digest files");
        });
    }

    /// <summary>A rig on a fresh copy of the org, its store empty or a copy of the synced one.</summary>
    private async Task<WorkerRig> StartRigAsync(bool synced)
    {
        var rig = await WorkerRig.StartAsync(OrgStore.Create(_org.Records), Settings);
        if (synced)
        {
            foreach (var file in StoreFiles(_syncedStore))
                File.Copy(file, Path.Combine(rig.Folder, Path.GetFileName(file)));
        }
        return rig;
    }

    /// <summary>The SQLite store's files (the database and any write-ahead log) in a folder.</summary>
    private static IEnumerable<string> StoreFiles(string folder) =>
        Directory.EnumerateFiles(folder, "leadrouter.db*").Where(f => !f.EndsWith(".migrating", StringComparison.Ordinal));

    private static Task<(int Exit, string Output, string Errors)> RunCycleAsync(WorkerRig rig, string? crashAt) =>
        WorkerProcess.RunAsync(rig.Folder, rig.SetOptions().Concat(["cycle", "--as-of", AsOf]),
            crashAt is null ? null : new Dictionary<string, string> { [CrashDrill.Variable] = crashAt });

    /// <summary>
    /// What a cycle leaves: each lead's owner in Salesforce and how many times LeadRouter wrote it, each
    /// recommendation's status, each outbox event (its payload without the moments it was carried out
    /// at and with the rig's folder named alike) and whether it was sent, and the digest files.
    /// </summary>
    private sealed record FinalState(
        Dictionary<string, (string OwnerId, int Written)> Owners,
        Dictionary<string, RecommendationStatus> Statuses,
        Dictionary<Guid, (string Payload, bool Sent)> Events,
        List<string> Digests)
    {
        public static async Task<FinalState> ReadAsync(WorkerRig rig, GeneratedOrg org)
        {
            var writes = rig.OwnerWrites();
            var owners = org.Records["Lead"].Select(l => (string)l["Id"]!).ToDictionary(
                id => id, id => ((string)rig.Emulator.Store.GetIncludingDeleted("Lead", id)!["OwnerId"]!, writes[id].Count()));

            using var engine = await rig.HostAsync(HostRole.Engine, start: false);
            var database = engine.Services.GetRequiredService<LeadRouterDatabase>();
            var runId = WeeklyCycle.RunIdFor(WorkerRig.AsOf, engine.Services.GetRequiredService<RoutingRules>().Hash);
            var statuses = (await new RoutingStore(database).ListRecommendationsAsync(runId)).ToDictionary(r => r.LeadId, r => r.Status);
            await using var transaction = await database.BeginTransactionAsync();
            var rows = await Dapper.SqlMapper.QueryAsync<(string Id, string Payload, long Sent)>(transaction.Connection,
                "SELECT id, payload, sent_at IS NOT NULL FROM outbox", transaction: transaction.Transaction);
            var events = rows.ToDictionary(r => Guid.Parse(r.Id), r => (Comparable(r.Payload, rig.Folder), r.Sent == 1));
            var digests = Directory.EnumerateFiles(Path.Combine(rig.Folder, "digests"), "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(rig.Folder, f)).ToList();
            return new FinalState(owners, statuses, events, digests);
        }

        private static string Comparable(string payload, string folder)
        {
            var message = JsonNode.Parse(payload.Replace(folder, "{rig}", StringComparison.Ordinal))!.AsObject();
            message.Remove("assignedAt");
            message.Remove("skippedAt");
            return message.ToJsonString();
        }
    }
}

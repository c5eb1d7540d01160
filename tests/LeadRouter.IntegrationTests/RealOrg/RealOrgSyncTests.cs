using System.Globalization;
using System.Text;
using LeadRouter.IntegrationTests.Sync;
using LeadRouter.IntegrationTests.Worker;
using LeadRouter.Org;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Soql;
using LeadRouter.Storage;
using LeadRouter.Sync;
using LeadRouter.Trust;
using LeadRouter.Worker.Hosting;
using Microsoft.Data.Sqlite;

namespace LeadRouter.IntegrationTests.RealOrg;

/// <summary>
/// Org data shaped as real orgs hold it (<see cref="RealOrgFile"/>), from the org file through the emulator,
/// the sync and a SQLite store to the trust score.
/// </summary>
public sealed class RealOrgSyncTests
{
    private static readonly DateTimeOffset AsOf = SyncTestOrg.AsOf;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "leadrouter-realorg-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void RemoveStores()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Reviews_of_a_recurring_series_set_up_long_before_the_window_are_counted()
    {
        var org = new RealOrgFile(AsOf);
        var store = Load(org);
        // The shape: no invitation was created or changed within the window (what the sync used to filter on).
        Assert.That(Count(store, $"SELECT COUNT() FROM EventRelation WHERE SystemModstamp >= {Soql(SyncTestOrg.HistoryStart)}"), Is.Zero);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions(), store);
        var database = await CreateDatabaseAsync();

        var report = await SyncTestOrg.Sync(SyncTestOrg.Client(emulator), database).RunAsync(AsOf);
        var trust = await ScoreAsync(database);

        Assert.That(report.RowsRejected, Is.Zero, string.Join("; ", report.Objects.SelectMany(o => o.Issues)));
        foreach (var (repId, occurrences) in org.Occurrences)
        {
            var held = occurrences.Where(o => o.Start >= WindowStart() && o.Start < AsOf).ToList();
            var review = trust.Reps.Single(r => r.RepId == repId).Components.Single(c => c.Kind == TrustComponentKind.ReviewAttendance);
            Assert.That(held, Has.Count.GreaterThanOrEqualTo(11), "the window holds about twelve weekly occurrences");
            Assert.That((review.Hits, review.OutOf), Is.EqualTo((held.Count(o => !o.Declined), held.Count)), review.Evidence);
            TestContext.Out.WriteLine($"{repId}: {review.Evidence}; review attendance {review.Value:0.000}, trust {trust.Reps.Single(r => r.RepId == repId).Trust:0.0}");
        }
        var snapshot = await new RecordStore(database).LoadSnapshotAsync();
        Assert.That(snapshot.Events.Select(e => e.Id), Has.None.AnyOf(org.NotMeetings), "series masters and invitees' copies are not meetings");
    }

    [Test]
    public async Task A_later_pull_brings_the_invitations_of_an_event_moved_into_the_window_and_new_invitations()
    {
        var org = new RealOrgFile(AsOf);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions(), Load(org));
        var database = await CreateDatabaseAsync();
        var sync = SyncTestOrg.Sync(SyncTestOrg.Client(emulator), database);
        await sync.RunAsync(AsOf);

        var annSeries = org.Occurrences[RealOrgFile.AnnId];
        var moved = annSeries.First(o => o.Start < SyncTestOrg.HistoryStart).EventId;
        var invitedTo = annSeries.Last(o => o.Start < AsOf).EventId;
        Assert.That(await RelationsOfAsync(database, moved), Is.Empty, "an event before the window brings no invitation");
        // The manager moves an old occurrence to last Friday; Ben is invited to Ann's latest review.
        var friday = AsOf.AddDays(-3).Date.AddHours(15);
        emulator.Store.Update("Event", moved, new Dictionary<string, object?>
        {
            ["StartDateTime"] = new DateTimeOffset(friday, TimeSpan.Zero), ["EndDateTime"] = new DateTimeOffset(friday.AddMinutes(30), TimeSpan.Zero),
        });
        emulator.Store.Insert("EventRelation", new Dictionary<string, object?>
        {
            ["EventId"] = invitedTo, ["RelationId"] = RealOrgFile.BenId, ["Status"] = "New", ["IsInvitee"] = true,
        });

        var second = await sync.RunAsync(AsOf);

        var relations = second.Objects.Single(o => o.ObjectName == "EventRelation");
        Assert.Multiple(async () =>
        {
            Assert.That(relations.FirstPull, Is.False);
            Assert.That(relations.Calls, Is.EqualTo(2), "changed invitations, then the invitations of changed events");
            Assert.That(await RelationsOfAsync(database, moved), Is.EqualTo(new[] { RealOrgFile.AnnId }));
            Assert.That(await RelationsOfAsync(database, invitedTo), Is.EquivalentTo(new[] { RealOrgFile.AnnId, RealOrgFile.BenId }));
        });

        // A third pull with nothing changed reads the moved event's invitation again at most (the overlap), nothing else.
        var third = await sync.RunAsync(AsOf);
        Assert.That(third.Objects.Single(o => o.ObjectName == "EventRelation").RowsRead, Is.LessThanOrEqualTo(2));
    }

    [Test]
    public async Task An_org_file_with_the_standard_fields_of_every_object_loads_and_syncs()
    {
        var org = new RealOrgFile(AsOf);
        var store = Load(org);

        var lead = store.Get("Lead", RealOrgFile.LeadId)!;
        var opportunity = store.Get("Opportunity", RealOrgFile.OpportunityId)!;
        var user = store.Get("User", RealOrgFile.AnnId)!;
        Assert.Multiple(() =>
        {
            Assert.That(lead["Title"], Is.EqualTo("Head of Operations"));
            Assert.That(lead["Website"], Is.EqualTo("https://initech.example"));
            Assert.That(lead["IsUnreadByOwner"], Is.EqualTo(true));
            Assert.That(lead["Address"], Is.EquivalentTo(new Dictionary<string, object?>
            {
                ["city"] = "Austin", ["country"] = "USA", ["countryCode"] = null, ["geocodeAccuracy"] = "Address", ["latitude"] = 30.2m,
                ["longitude"] = -97.7m, ["postalCode"] = "78744", ["state"] = "TX", ["stateCode"] = null, ["street"] = "4120 Freidrich Lane",
            }), "the compound address is built from its components");
            Assert.That(opportunity["Probability"], Is.EqualTo(80m));
            Assert.That(opportunity["FiscalYear"], Is.EqualTo(DateOnly.FromDateTime(AsOf.UtcDateTime).AddDays(45).Year));
            Assert.That(opportunity["IsWon"], Is.EqualTo(false));
            Assert.That(user["Alias"], Is.EqualTo("ann"));
            Assert.That(user["LastLoginDate"], Is.EqualTo(AsOf.AddDays(-1)));
            Assert.That(user["UserPreferencesLightningExperiencePreferred"], Is.EqualTo(true));
        });

        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions(), store);
        var report = await SyncTestOrg.Sync(SyncTestOrg.Client(emulator), await CreateDatabaseAsync()).RunAsync(AsOf);

        Assert.That(report.RowsRejected, Is.Zero, string.Join("; ", report.Objects.SelectMany(o => o.Issues)));
        Assert.That(report.Objects.Where(o => o.RowsRead == 0).Select(o => o.ObjectName), Is.Empty,
            "rows made long ago still matter: open task and opportunity, its contact role, events in the window");
        Assert.That(report.Objects.Single(o => o.ObjectName == "OpportunityHistory").RowsRead, Is.EqualTo(1),
            "only the close-date push within the window matters to the pipeline audit");
    }

    [Test]
    public async Task A_whole_weekly_cycle_runs_on_an_org_exported_from_a_real_org()
    {
        var org = new RealOrgFile(WorkerRig.AsOf);
        await using var rig = await WorkerRig.StartAsync(Load(org));
        using var host = await rig.HostAsync(HostRole.Messaging);

        var result = await WorkerRig.CycleAsync(host);
        await host.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.Sync!.RowsRejected, Is.Zero);
            Assert.That(result.Trust.Reps.Select(r => r.RepId), Is.EquivalentTo(new[] { RealOrgFile.AnnId, RealOrgFile.BenId }));
            Assert.That(result.Trust.Reps.Select(r => r.Components.Single(c => c.Kind == TrustComponentKind.ReviewAttendance).OutOf),
                Has.All.GreaterThanOrEqualTo(11), "the series' reviews are counted");
            Assert.That(result.Routing.PoolSize, Is.EqualTo(1), "the queued lead");
            Assert.That(result.Routing.Decisions.Count + result.Routing.Unroutable.Count, Is.EqualTo(1), "routed or said why not");
            Assert.That(result.Digests.Select(d => d.ManagerId), Is.EqualTo(new[] { RealOrgFile.ManagerId }));
        });
    }

    [Test]
    public async Task A_week_off_and_a_customer_meeting_known_only_by_its_WhoId_change_the_score_through_the_store()
    {
        var plain = new RealOrgFile(AsOf);
        var shaped = new RealOrgFile(AsOf);
        var held = shaped.Occurrences[RealOrgFile.BenId].Where(o => o.Start >= WindowStart() && o.Start < AsOf).ToList();
        // Ben is away the week of a review he declined (occurrences are Tuesdays), and meets the contact in another week.
        var declined = held.First(o => o.Declined);
        shaped.AddWeekOff(RealOrgFile.BenId, new DateTimeOffset(declined.Start.UtcDateTime.Date.AddDays(-1), TimeSpan.Zero));
        var meetingStart = held.First(o => !o.Declined).Start.AddHours(4);
        shaped.AddCustomerMeeting(RealOrgFile.BenId, meetingStart);

        var (before, _) = await SyncAndScoreAsync(plain);
        var (after, snapshot) = await SyncAndScoreAsync(shaped);

        // What the sync stored and the snapshot gave the scorer.
        Assert.That(snapshot.Events.Where(e => e.OwnerId == RealOrgFile.BenId).Select(e => (e.ShowAs, e.WhoId, e.IsAllDayEvent)),
            Is.EquivalentTo(new[] { ("OutOfOffice", (string?)null, true), ("Busy", RealOrgFile.ContactId, false) }));
        Assert.That(snapshot.EventRelations.Where(r => r.RelationId == RealOrgFile.ContactId).Select(r => (r.IsParent, r.IsWhat, r.IsInvitee)),
            Is.EqualTo(new[] { (true, false, false) }));

        var ben = (Before: Rep(before, RealOrgFile.BenId), After: Rep(after, RealOrgFile.BenId));
        var reviews = (Before: Component(ben.Before, TrustComponentKind.ReviewAttendance), After: Component(ben.After, TrustComponentKind.ReviewAttendance));
        var selling = (Before: Component(ben.Before, TrustComponentKind.SellingActivity), After: Component(ben.After, TrustComponentKind.SellingActivity));
        Assert.Multiple(() =>
        {
            Assert.That((reviews.After.Hits, reviews.After.OutOf), Is.EqualTo((reviews.Before.Hits, reviews.Before.OutOf - 1)),
                "the review declined during the week off is no review missed");
            // The org holds no other selling activity: the meeting is the only one, known as a customer's by its WhoId.
            Assert.That(selling.Before.OutOf, Is.Zero, selling.Before.Evidence);
            Assert.That(selling.After.Evidence, Does.StartWith("logged 1 selling activities"));
        });
        TestContext.Out.WriteLine($"Ben: trust {ben.Before.Trust:0.0} -> {ben.After.Trust:0.0}; {reviews.Before.Evidence} -> {reviews.After.Evidence}; {selling.After.Evidence}");
    }

    private async Task<(TrustReport Report, OrgSnapshot Snapshot)> SyncAndScoreAsync(RealOrgFile org)
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions(), Load(org));
        var database = await CreateDatabaseAsync();
        var report = await SyncTestOrg.Sync(SyncTestOrg.Client(emulator), database).RunAsync(AsOf);
        Assert.That(report.RowsRejected, Is.Zero, string.Join("; ", report.Objects.SelectMany(o => o.Issues)));
        return (await ScoreAsync(database), await new RecordStore(database).LoadSnapshotAsync());
    }

    private static RepTrust Rep(TrustReport report, string repId) => report.Reps.Single(r => r.RepId == repId);

    private static TrustComponent Component(RepTrust rep, TrustComponentKind kind) => rep.Components.Single(c => c.Kind == kind);

    /// <summary>Monday 00:00 UTC of the first of the scored weeks (the as-of week and the eleven before).</summary>
    private static DateTimeOffset WindowStart()
    {
        var day = AsOf.UtcDateTime.Date;
        var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        return new DateTimeOffset(monday.AddDays(-7 * (new TrustSettings().WindowWeeks - 1)), TimeSpan.Zero);
    }

    private async Task<TrustReport> ScoreAsync(LeadRouterDatabase database)
    {
        var settings = new TrustSettings();
        var snapshot = await new RecordStore(database).LoadSnapshotAsync(AsOf.AddDays(-7 * (settings.WindowWeeks + 1)));
        return new TrustScorer(settings).Score(snapshot, AsOf);
    }

    private static async Task<List<string>> RelationsOfAsync(LeadRouterDatabase database, string eventId) =>
        (await new RecordStore(database).LoadSnapshotAsync()).EventRelations.Where(r => r.EventId == eventId).Select(r => r.RelationId).ToList();

    private async Task<LeadRouterDatabase> CreateDatabaseAsync()
    {
        var database = new LeadRouterDatabase(StorageOptions.SqliteFile(Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db")));
        await database.MigrateAsync();
        return database;
    }

    private static OrgStore Load(RealOrgFile org) => OrgStore.Load(new MemoryStream(Encoding.UTF8.GetBytes(org.Json)));

    private static int Count(OrgStore store, string soql) =>
        SoqlEngine.Execute(store, soql, includeDeleted: true, AsOf, TimeZoneInfo.Utc).TotalSize;

    private static string Soql(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

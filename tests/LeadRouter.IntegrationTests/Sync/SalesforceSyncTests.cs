using LeadRouter.Org;
using LeadRouter.Salesforce;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Faults;
using LeadRouter.SalesforceEmulator.Soql;
using LeadRouter.Storage;
using LeadRouter.Sync;

namespace LeadRouter.IntegrationTests.Sync;

/// <summary>
/// The incremental Salesforce pull end to end: the emulator in-process over real HTTP, a real store.
/// Run on SQLite and on PostgreSQL by the fixtures below. The medium org is pulled once per fixture
/// into a reference store; tests that change the emulator's data use their own small org.
/// </summary>
public abstract class SalesforceSyncTests
{
    private EmulatorHost _emulator = null!;
    private IReadOnlyList<string> _oldIds = null!;
    private LeadRouterDatabase _reference = null!;
    private SyncReport _referenceReport = null!;
    private SortedDictionary<string, IReadOnlyList<string>> _referenceDump = null!;

    /// <summary>A new, migrated, empty store of this fixture's engine (ignores the test when the engine is not available).</summary>
    protected abstract Task<LeadRouterDatabase> CreateDatabaseAsync();

    protected abstract Task DropDatabasesAsync();

    [OneTimeSetUp]
    public async Task PullTheMediumOrgOnce()
    {
        _reference = await CreateDatabaseAsync();
        (var records, _oldIds) = SyncTestOrg.WithOldHistory(SyncTestOrg.Medium);
        _emulator = await SyncTestOrg.StartEmulatorAsync(records);
        _referenceReport = await SyncTestOrg.Sync(SyncTestOrg.Client(_emulator), _reference).RunAsync(SyncTestOrg.AsOf);
        _referenceDump = await StoreDump.ReadAsync(_reference);
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        if (_emulator is not null)
            await _emulator.DisposeAsync();
        await DropDatabasesAsync();
    }

    [TearDown]
    public void NoFaultsLeftOn()
    {
        if (_emulator is not null)
            _emulator.Faults.Settings = FaultSettings.None;
    }

    [Test]
    public async Task A_full_pull_holds_exactly_the_rows_the_history_window_selects()
    {
        var expected = ExpectedOrg.From(_emulator.Store, SyncTestOrg.HistoryStart);

        // The window matters: records older than the window are left behind, and the pull spans many pages.
        Assert.That(expected.Objects.SelectMany(o => o.Rows).Select(r => r.Id), Has.None.AnyOf(_oldIds));
        Assert.That(expected["Task"].Rows, Has.Count.GreaterThan(2 * 2000));
        Assert.That(expected["Task"].Rows.Count(r => r.IsDeleted), Is.GreaterThan(0), "the org has deleted tasks for queryAll to bring");
        foreach (var report in _referenceReport.Objects)
        {
            Assert.That(report.FirstPull, Is.True, report.ObjectName);
            Assert.That(report.RowsRejected, Is.Zero, $"{report.ObjectName}: {string.Join("; ", report.Issues)}");
            Assert.That(report.RowsRead, Is.EqualTo(expected[report.ObjectName].Rows.Count), report.ObjectName);
        }
        Assert.That(_referenceReport.Calls, Is.EqualTo(1 + expected.Objects.Sum(o => Math.Max(1, (o.Rows.Count + 1999) / 2000))),
            "one /limits call, then one call per page of 2,000 rows per object");

        await AssertStoreHoldsAsync(_reference, expected);
    }

    [TestCase(1_500)]
    [TestCase(7_000)]
    public async Task Rows_are_committed_a_batch_at_a_time_and_end_as_one_big_pull(int rowsPerCommit)
    {
        var database = await CreateDatabaseAsync();
        var taskCommits = new List<long>();
        var progress = new Callback<SyncProgress>(p =>
        {
            if (p.ObjectName == "Task")
                taskCommits.Add(p.RowsRead);
        });

        var report = await SyncTestOrg.Sync(SyncTestOrg.Client(_emulator), database, SyncTestOrg.Rest with { RowsPerCommit = rowsPerCommit })
            .RunAsync(SyncTestOrg.AsOf, progress);

        // Pages of 2,000 rows gather until a batch reaches rowsPerCommit; the last batch takes what is left.
        var pagesPerCommit = (rowsPerCommit + 1999) / 2000;
        var tasks = report.Objects.Single(o => o.ObjectName == "Task").RowsRead;
        Assert.That(taskCommits, Has.Count.EqualTo((tasks + pagesPerCommit * 2000 - 1) / (pagesPerCommit * 2000)));
        Assert.That(taskCommits[^1], Is.EqualTo(tasks));
        Assert.That(report.Calls, Is.EqualTo(_referenceReport.Calls));
        Assert.That(await StoreDump.ReadAsync(database), Is.EqualTo(_referenceDump));
    }

    [Test]
    public async Task A_second_pull_moves_only_the_changed_rows_with_one_call_per_object()
    {
        await using var emulator = await SyncTestOrg.StartEmulatorAsync(SyncTestOrg.Small);
        var database = await CreateDatabaseAsync();
        var client = SyncTestOrg.Client(emulator);
        // No overlap: the second pull resumes strictly after the last row the first one committed, so it
        // reads the changed rows and nothing else (the generated org's stamps all precede the changes).
        var sync = SyncTestOrg.Sync(client, database, SyncTestOrg.Rest with { Overlap = TimeSpan.Zero });
        await sync.RunAsync(SyncTestOrg.AsOf);

        var store = emulator.Store;
        var openTasks = Ids(emulator, "SELECT Id FROM Task WHERE IsClosed = false ORDER BY Id", 16);
        var openOpportunities = Ids(emulator, "SELECT Id, OwnerId FROM Opportunity WHERE IsClosed = false ORDER BY Id", 8);
        var queuedLeads = Ids(emulator, "SELECT Id FROM Lead WHERE IsConverted = false ORDER BY Id", 11);
        var rep = store.Get("Opportunity", openOpportunities[0])!["OwnerId"];
        var queue = store.Get("Lead", queuedLeads[0])!["OwnerId"];

        foreach (var id in openTasks[..12])
            store.Update("Task", id, new Dictionary<string, object?> { ["Subject"] = "Call back about renewal " + id });
        foreach (var id in openTasks[12..])
            store.Delete("Task", id);
        foreach (var id in openOpportunities[..6])
            store.Update("Opportunity", id, new Dictionary<string, object?> { ["NextStep"] = "Send the proposal" });
        foreach (var id in openOpportunities[6..])
            store.Delete("Opportunity", id);
        var newOpportunities = Enumerable.Range(1, 3).Select(n => store.Insert("Opportunity", new Dictionary<string, object?>
        {
            ["Name"] = $"Expansion {n}", ["StageName"] = "Prospecting", ["CloseDate"] = new DateOnly(2026, 12, 18),
            ["OwnerId"] = rep, ["Amount"] = 25_000m * n,
        })).ToList();
        foreach (var id in queuedLeads[..8])
            store.Update("Lead", id, new Dictionary<string, object?> { ["Company"] = "Renamed Inc. " + id });
        foreach (var id in queuedLeads[8..])
            store.Delete("Lead", id);
        var newLeads = Enumerable.Range(1, 5).Select(n => store.Insert("Lead", new Dictionary<string, object?>
        {
            ["LastName"] = $"Newcomer {n}", ["Company"] = $"Fresh Co {n}", ["Status"] = "Open - Not Contacted", ["OwnerId"] = queue,
        })).ToList();

        var eventWatermark = (await new WatermarkStore(database).GetAsync("Event"))!.LastSystemModstamp;
        var second = await sync.RunAsync(SyncTestOrg.AsOf);

        var changed = new Dictionary<string, long>
        {
            // No event changed: the read of the invitations of changed events only meets those of the events stamped
            // in the second of the last event read (SOQL datetimes carry whole seconds).
            ["EventRelation"] = InvitationsOfEventsStampedFrom(emulator, eventWatermark),
            ["Task"] = openTasks.Length,
            ["Opportunity"] = openOpportunities.Length + newOpportunities.Count,
            ["Lead"] = queuedLeads.Length + newLeads.Count,
        };
        Assert.Multiple(() =>
        {
            foreach (var report in second.Objects)
            {
                Assert.That(report.FirstPull, Is.False, report.ObjectName);
                Assert.That(report.RowsRead, Is.EqualTo(changed.GetValueOrDefault(report.ObjectName)), report.ObjectName);
                Assert.That(report.Calls, Is.EqualTo(report.ObjectName == "EventRelation" ? 2 : 1),
                    $"{report.ObjectName}: one query call (and one for the invitations of changed events)");
            }
            Assert.That(second.Objects.Single(o => o.ObjectName == "Task").RowsDeleted, Is.EqualTo(openTasks[12..].Length));
            Assert.That(second.Calls, Is.EqualTo(1 + 9 + 1), "the /limits call and one query per object, two for EventRelation; signing in is not an API call");
        });

        var snapshot = await new RecordStore(database).LoadSnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Tasks.Select(t => t.Id), Is.SupersetOf(openTasks[..12]).And.No.AnyOf(openTasks[12..]));
            Assert.That(snapshot.Tasks.Where(t => openTasks[..12].Contains(t.Id)).Select(t => t.Subject),
                Is.All.StartsWith("Call back about renewal "));
            Assert.That(snapshot.Opportunities.Select(o => o.Id), Is.SupersetOf(newOpportunities).And.No.AnyOf(openOpportunities[6..]));
            Assert.That(snapshot.Leads.Select(l => l.Id), Is.SupersetOf(newLeads).And.No.AnyOf(queuedLeads[8..]));
        });
        // And the store as a whole is what a full pull would hold now.
        await AssertStoreHoldsAsync(database, ExpectedOrg.From(store, SyncTestOrg.HistoryStart));
    }

    public enum Interruption
    {
        /// <summary>The process is stopped: the pull's cancellation token fires.</summary>
        Cancelled,

        /// <summary>Salesforce answers 503 to every call, beyond the client's retries.</summary>
        SalesforceDown,
    }

    [TestCase(Interruption.Cancelled)]
    [TestCase(Interruption.SalesforceDown)]
    public async Task A_pull_stopped_part_way_and_run_again_ends_as_an_uninterrupted_pull(Interruption interruption)
    {
        var database = await CreateDatabaseAsync();
        using var stop = new CancellationTokenSource();
        var stopped = false;
        var progress = new Callback<SyncProgress>(page =>
        {
            // In the middle of the tasks (the 10th of their ~44 pages), users to event relations committed.
            if (stopped || page.ObjectName != "Task" || page.RowsRead < 10 * 2000)
                return;
            stopped = true;
            if (interruption == Interruption.Cancelled)
                stop.Cancel();
            else
                _emulator.Faults.Settings = new FaultSettings { UnavailableRate = 1 };
        });

        // Commits of 20,000 rows, so the tasks (~79,000) take several and the stop comes between two of them.
        var options = SyncTestOrg.Rest with { RowsPerCommit = 20_000 };
        var interrupted = SyncTestOrg.Sync(SyncTestOrg.Client(_emulator, maxRetries: 2), database, options)
            .RunAsync(SyncTestOrg.AsOf, progress, stop.Token);
        if (interruption == Interruption.Cancelled)
            Assert.That(async () => await interrupted, Throws.InstanceOf<OperationCanceledException>());
        else
            Assert.That(async () => await interrupted, Throws.InstanceOf<SalesforceApiException>());
        _emulator.Faults.Settings = FaultSettings.None;

        var partial = await StoreDump.ReadAsync(database);
        Assert.That(partial["tasks"], Has.Count.GreaterThan(0).And.Count.LessThan(_referenceDump["tasks"].Count), "stopped in the middle of the tasks");
        Assert.That(partial["events"], Is.EqualTo(_referenceDump["events"]));
        Assert.That(partial["opportunities"], Is.Empty);

        var resumed = await SyncTestOrg.Sync(SyncTestOrg.Client(_emulator), database).RunAsync(SyncTestOrg.AsOf);

        Assert.That(resumed.Objects.Where(o => !o.FirstPull).Select(o => o.ObjectName), Is.EquivalentTo(new[] { "User", "Group", "Event", "EventRelation", "Task" }));
        Assert.That(resumed.RowsRead, Is.LessThan(_referenceReport.RowsRead), "what was committed before the stop is not read again (beyond the overlap)");
        Assert.That(await StoreDump.ReadAsync(database), Is.EqualTo(_referenceDump));
    }

    [Test]
    public async Task Expiring_sessions_and_intermittent_503s_do_not_change_the_result()
    {
        var database = await CreateDatabaseAsync();
        _emulator.Faults.Settings = new FaultSettings { SessionExpiresAfterCalls = 7, UnavailableRate = 0.2, Seed = 11 };
        using var traffic = new SyncTraffic();

        var report = await SyncTestOrg.Sync(SyncTestOrg.Client(_emulator, traffic, maxRetries: 8), database).RunAsync(SyncTestOrg.AsOf);

        Assert.Multiple(() =>
        {
            Assert.That(traffic.SignIns, Is.GreaterThan(2), "sessions expired and the client signed in again");
            Assert.That(traffic.Unavailable, Is.GreaterThan(2), "503s were met and retried");
            Assert.That(report.Calls, Is.GreaterThan(_referenceReport.Calls), "retried calls count as calls");
            Assert.That(report.Objects.Select(o => o.RowsRead), Is.EqualTo(_referenceReport.Objects.Select(o => o.RowsRead)));
        });
        Assert.That(await StoreDump.ReadAsync(database), Is.EqualTo(_referenceDump));
    }

    [Test]
    public async Task Records_that_make_no_sense_are_set_aside_and_reported_without_stopping_the_pull()
    {
        await using var emulator = await SyncTestOrg.StartEmulatorAsync(SyncTestOrg.Small);
        // A task with no owner: Salesforce never returns one, but the emulator's store accepts it, which is
        // the kind of row the sync must survive.
        var orphanTask = emulator.Store.Insert("Task", new Dictionary<string, object?> { ["Subject"] = "Orphan task", ["Status"] = "Not Started" });
        Assert.That(emulator.Store.Get("Task", orphanTask)!["OwnerId"], Is.Null);
        // An opportunity whose close date arrives in a form that is not a Salesforce date.
        var badOpportunity = Ids(emulator, "SELECT Id FROM Opportunity WHERE IsClosed = false ORDER BY Id", 1)[0];
        using var traffic = new SyncTraffic(body => SyncTraffic.CorruptDate(body, badOpportunity, "CloseDate", "31/12/2026"));
        var database = await CreateDatabaseAsync();

        var report = await SyncTestOrg.Sync(SyncTestOrg.Client(emulator, traffic), database).RunAsync(SyncTestOrg.AsOf);

        Assert.That(traffic.Rewritten, Is.EqualTo(1));
        var tasks = report.Objects.Single(o => o.ObjectName == "Task");
        var opportunities = report.Objects.Single(o => o.ObjectName == "Opportunity");
        Assert.Multiple(() =>
        {
            Assert.That(tasks.RowsRejected, Is.EqualTo(1));
            Assert.That(tasks.Issues, Is.EqualTo(new[] { $"Task {orphanTask}: OwnerId is missing." }));
            Assert.That(opportunities.RowsRejected, Is.EqualTo(1));
            Assert.That(opportunities.Issues, Is.EqualTo(new[] { $"Opportunity {badOpportunity}: CloseDate '31/12/2026' is not a date (yyyy-MM-dd)." }));
            Assert.That(report.RowsRejected, Is.EqualTo(2));
            Assert.That(tasks.RowsStored + tasks.RowsDeleted, Is.EqualTo(tasks.RowsRead - 1));
        });

        // Everything else arrived: the store holds what the window selects, less the two rows set aside.
        var expected = ExpectedOrg.From(emulator.Store, SyncTestOrg.HistoryStart);
        var snapshot = await new RecordStore(database).LoadSnapshotAsync();
        Assert.That(Ordered(snapshot.Tasks.Select(t => t.Id)), Is.EqualTo(Ordered(LiveIds(expected["Task"]).Where(id => id != orphanTask))));
        Assert.That(Ordered(snapshot.Opportunities.Select(o => o.Id)), Is.EqualTo(Ordered(LiveIds(expected["Opportunity"]).Where(id => id != badOpportunity))));
        Assert.That(snapshot.Leads, Has.Count.EqualTo(expected["Lead"].LiveRecords.Count()));
    }

    /// <summary>The store holds the expected ids (live and deleted) and, for the live rows, the expected field values.</summary>
    private static async Task AssertStoreHoldsAsync(LeadRouterDatabase database, ExpectedOrg expected)
    {
        var snapshot = await new RecordStore(database).LoadSnapshotAsync();
        var held = new Dictionary<string, IEnumerable<object>>
        {
            ["User"] = snapshot.Users,
            ["Group"] = snapshot.Queues,
            ["Event"] = snapshot.Events,
            ["EventRelation"] = snapshot.EventRelations,
            ["Task"] = snapshot.Tasks,
            ["Opportunity"] = snapshot.Opportunities,
            ["OpportunityContactRole"] = snapshot.ContactRoles,
            ["OpportunityHistory"] = snapshot.OpportunityHistory,
            ["Lead"] = snapshot.Leads.Select(ExpectedOrg.WithoutCustomFields),
        };
        foreach (var expectedObject in expected.Objects)
        {
            var ids = await StoreDump.IdsAsync(database, expectedObject.Table);
            Assert.That(IdLines(ids), Is.EqualTo(IdLines(expectedObject.Ids)), $"{expectedObject.ObjectName}: ids and deletions");
            Assert.That(Sorted(held[expectedObject.ObjectName]), Is.EqualTo(Sorted(expectedObject.LiveRecords)),
                $"{expectedObject.ObjectName}: field values");
        }
    }

    // Sorted lists, not Is.EquivalentTo: NUnit's equivalence tally is quadratic, far too slow for 100,000 rows.
    private static List<string> Ordered(IEnumerable<string> ids) => ids.Order(StringComparer.Ordinal).ToList();

    private static List<string> IdLines(IReadOnlyDictionary<string, bool> ids) =>
        Ordered(ids.Select(id => id.Value ? id.Key + " deleted" : id.Key));

    private static List<object> Sorted(IEnumerable<object> records) => records.OrderBy(SortKey, StringComparer.Ordinal).ToList();

    private static string SortKey(object record) => record switch
    {
        User r => r.Id,
        Queue r => r.Id,
        CalendarEvent r => r.Id,
        ActivityTask r => r.Id,
        Opportunity r => r.Id,
        Lead r => r.Id,
        EventRelation r => $"{r.EventId}/{r.RelationId}/{r.Status}/{r.IsInvitee}",
        OpportunityContactRole r => $"{r.OpportunityId}/{r.ContactId}/{r.Role}",
        OpportunityHistory r => $"{r.OpportunityId}/{r.CreatedDate.UtcTicks}/{r.CloseDate:O}/{r.PrevCloseDate:O}",
        _ => throw new ArgumentException($"No sort key for {record.GetType().Name}."),
    };

    private static IEnumerable<string> LiveIds(ExpectedObject expected) => expected.Rows.Where(r => !r.IsDeleted).Select(r => r.Id);

    private static int InvitationsOfEventsStampedFrom(EmulatorHost emulator, DateTimeOffset stamp)
    {
        var second = stamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var since = SyncTestOrg.HistoryStart.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return SoqlEngine.Execute(emulator.Store,
            $"SELECT COUNT() FROM EventRelation WHERE Event.SystemModstamp >= {second} AND (SystemModstamp >= {since} OR Event.StartDateTime >= {since})",
            includeDeleted: true, SyncTestOrg.AsOf, TimeZoneInfo.Utc).TotalSize;
    }

    /// <summary>The first <paramref name="count"/> ids a SOQL query returns from the emulator (failing when there are fewer).</summary>
    internal static string[] Ids(EmulatorHost emulator, string soql, int count)
    {
        var rows = SoqlEngine.Execute(emulator.Store, soql, includeDeleted: false, SyncTestOrg.AsOf, TimeZoneInfo.Utc).Rows;
        Assert.That(rows, Has.Count.AtLeast(count), soql);
        return rows.Take(count).Select(r => (string)r["Id"]!).ToArray();
    }

    /// <summary>An <see cref="IProgress{T}"/> that runs at once on the reporting thread (Progress&lt;T&gt; posts).</summary>
    internal sealed class Callback<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

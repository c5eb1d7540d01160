using System.Text.Json;
using LeadRouter.IntegrationTests.Emulator;
using LeadRouter.Salesforce;
using LeadRouter.SalesforceEmulator.Faults;

namespace LeadRouter.IntegrationTests.SalesforceClient;

/// <summary>QueryAsync and QueryAllAsync against the emulator: paging, sessions dying mid-pull, deleted rows, typed mapping.</summary>
public sealed class QueryTests
{
    private static readonly SoqlQuery AllLeads = Soql.Select("Id", "Company", "Status", "IsDeleted", "Owner.Name", "SystemModstamp").From("Lead").Build();

    [TestCase(200, 26)]
    [TestCase(2000, 3)]
    public async Task Paging_over_5100_records_streams_every_record_once(int batchSize, int pages)
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(5_100), configure: o => o with { QueryBatchSize = batchSize });

        var ids = new List<string>();
        await foreach (var lead in harness.Client.QueryAsync<LeadRow>(AllLeads))
            ids.Add(lead.Id);

        var queryCalls = harness.Exchanges.Where(e => e.Path.Contains("/query", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ids, Has.Count.EqualTo(5_100));
            Assert.That(ids, Is.Unique);
            Assert.That(ids, Is.EquivalentTo(Enumerable.Range(1, 5_100).Select(TestOrg.LeadId)));
            Assert.That(queryCalls, Has.Count.EqualTo(pages), "one call a page, nextRecordsUrl followed");
            Assert.That(queryCalls.Skip(1).Select(e => e.Path), Is.All.Match(@"/query/01g\w+-\d+$"));
            Assert.That(harness.Client.CallsMade, Is.EqualTo(pages));
            Assert.That(harness.Client.LatestApiUsage, Is.EqualTo(new ApiUsage(pages, 15_000)));
        });
    }

    [Test]
    public async Task A_session_expiring_every_7_calls_mid_pull_is_renewed_once_per_expiry_and_no_record_is_lost()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(5_000), configure: o => o with { QueryBatchSize = 200 });
        harness.Host.Faults.Settings = new FaultSettings { SessionExpiresAfterCalls = 7 };

        var ids = new List<string>();
        await foreach (var lead in harness.Client.QueryAsync<LeadRow>(AllLeads))
            ids.Add(lead.Id);

        // 25 pages, 7 a session: sessions 1-3 serve 7 pages each, the 4th the last 4; each expiry costs one 401.
        Assert.Multiple(() =>
        {
            Assert.That(ids, Has.Count.EqualTo(5_000));
            Assert.That(ids, Is.Unique);
            Assert.That(harness.SignIns, Is.EqualTo(4));
            Assert.That(harness.Exchanges.Count(e => e.Status == System.Net.HttpStatusCode.Unauthorized), Is.EqualTo(3));
            Assert.That(harness.Log.Lines.Count(l => l.Contains("session expired", StringComparison.Ordinal)), Is.EqualTo(3));
            Assert.That(harness.Log.Lines.Count(l => l.Contains("Signed in to Salesforce", StringComparison.Ordinal)), Is.EqualTo(4));
            Assert.That(harness.Host.ApiUsage.Used, Is.EqualTo(25), "one counted call a page; the refused calls are not counted");
        });
    }

    [Test]
    public async Task Sessions_ended_between_pages_are_renewed_and_the_pull_finishes()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(5_000), configure: o => o with { QueryBatchSize = 2000 });

        var ids = new List<string>();
        await foreach (var lead in harness.Client.QueryAsync<LeadRow>(AllLeads))
        {
            ids.Add(lead.Id);
            if (ids.Count % 2000 == 0)
                harness.Host.ExpireSessions(); // an administrator ends all sessions while page 2 (then 3) is still to come
        }

        Assert.Multiple(() =>
        {
            Assert.That(ids, Has.Count.EqualTo(5_000));
            Assert.That(ids, Is.Unique);
            Assert.That(harness.SignIns, Is.EqualTo(3), "the first sign-in and one per expiry");
        });
    }

    [Test]
    public async Task Two_pulls_meeting_the_same_expired_session_sign_in_again_only_once()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(1_000), configure: o => o with { QueryBatchSize = 200 });
        await using var first = harness.Client.QueryAsync<LeadRow>(AllLeads).GetAsyncEnumerator();
        await using var second = harness.Client.QueryAsync<LeadRow>(AllLeads).GetAsyncEnumerator();
        var ids = new List<string>();
        foreach (var pull in new[] { first, second })
        {
            for (var i = 0; i < 200 && await pull.MoveNextAsync(); i++)
                ids.Add(pull.Current.Id);
        }

        harness.Host.ExpireSessions();
        // Both pulls now ask for page 2 at once with the dead token.
        await Task.WhenAll(DrainAsync(first, ids), DrainAsync(second, ids));

        Assert.Multiple(() =>
        {
            Assert.That(ids, Has.Count.EqualTo(2_000));
            Assert.That(ids.Distinct().Count(), Is.EqualTo(1_000));
            Assert.That(harness.SignIns, Is.EqualTo(2), "the second pull used the session the first one renewed");
        });

        static async Task DrainAsync(IAsyncEnumerator<LeadRow> pull, List<string> into)
        {
            while (await pull.MoveNextAsync())
            {
                lock (into)
                    into.Add(pull.Current.Id);
            }
        }
    }

    [Test]
    public async Task QueryAll_keeps_the_deleted_rows_on_every_page()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(2_500, deleted: 2_300), configure: o => o with { QueryBatchSize = 200 });

        var all = await ToListAsync(harness.Client.QueryAllAsync<LeadRow>(AllLeads));
        var live = await ToListAsync(harness.Client.QueryAsync<LeadRow>(AllLeads));

        Assert.Multiple(() =>
        {
            Assert.That(all, Has.Count.EqualTo(2_500));
            Assert.That(all.Select(l => l.Id), Is.Unique);
            Assert.That(all.Count(l => l.IsDeleted), Is.EqualTo(2_300));
            Assert.That(live.Select(l => l.Id), Is.EquivalentTo(Enumerable.Range(2_301, 200).Select(TestOrg.LeadId)));
        });
    }

    [Test]
    public async Task QueryAll_returns_deleted_rows_with_IsDeleted_true_and_query_does_not()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(300, deleted: 20));

        var live = await ToListAsync(harness.Client.QueryAsync<LeadRow>(AllLeads));
        var all = await ToListAsync(harness.Client.QueryAllAsync<LeadRow>(AllLeads));
        var deletedOnly = await ToListAsync(harness.Client.QueryAllAsync<LeadRow>(
            Soql.Select("Id", "IsDeleted").From("Lead").Where(Soql.Field("IsDeleted").EqualTo(true)).Build()));
        var deletedIds = Enumerable.Range(1, 20).Select(TestOrg.LeadId).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(live, Has.Count.EqualTo(280));
            Assert.That(live.Select(l => l.IsDeleted), Is.All.False);
            Assert.That(live.Select(l => l.Id), Has.None.AnyOf(deletedIds.ToArray<object>()));
            Assert.That(all, Has.Count.EqualTo(300));
            Assert.That(all.Where(l => l.IsDeleted).Select(l => l.Id), Is.EquivalentTo(deletedIds));
            Assert.That(deletedOnly.Select(l => l.Id), Is.EquivalentTo(deletedIds));
            Assert.That(deletedOnly.Select(l => l.IsDeleted), Is.All.True);
        });
    }

    [Test]
    public async Task Owner_Name_maps_into_the_typed_record_and_datetimes_read_from_the_plus_0000_form()
    {
        var store = TestOrg.WithLeads(3);
        var queue = store.Insert("Group", new Dictionary<string, object?> { ["Name"] = "Inbound EMEA", ["Type"] = "Queue" });
        var queued = store.Insert("Lead", new Dictionary<string, object?> { ["LastName"] = "Queued", ["Company"] = "Waiting Ltd", ["OwnerId"] = queue });
        await using var harness = await ClientHarness.StartAsync(store);
        var query = Soql.Select("Id", "Company", "Status", "IsDeleted", "Owner.Name", "SystemModstamp").From("Lead")
            .Where(Soql.Field("Id").EqualTo(TestOrg.LeadId(2))).Build();

        var lead = (await ToListAsync(harness.Client.QueryAsync<LeadRow>(query))).Single();
        var raw = (await ToListAsync(harness.Client.QueryAsync<JsonElement>(query))).Single();
        var queuedLead = await harness.Client.GetRecordAsync<LeadRow>("Lead", queued);
        var queuedByQuery = (await ToListAsync(harness.Client.QueryAsync<LeadRow>(
            Soql.Select("Id", "Company", "Status", "IsDeleted", "Owner.Name").From("Lead").Where(Soql.Field("OwnerId").EqualTo(queue)).Build()))).Single();

        Assert.Multiple(() =>
        {
            Assert.That(lead.Owner, Is.EqualTo(new NamedRecord("Integration User")));
            Assert.That(queuedByQuery.Owner, Is.EqualTo(new NamedRecord("Inbound EMEA")), "a queue owner through the polymorphic Owner");
            Assert.That(queuedByQuery.Id, Is.EqualTo(queued));
            Assert.That(queuedLead.Owner, Is.Null, "a record read by id carries no relationships");
            Assert.That(queuedLead.Company, Is.EqualTo("Waiting Ltd"));
            Assert.That(lead.Company, Is.EqualTo("Company 2"));
            Assert.That(raw.GetProperty("SystemModstamp").GetString(), Is.EqualTo("2026-11-02T09:00:00.000+0000"), "the wire form");
            Assert.That(lead.SystemModstamp, Is.EqualTo(TestOrg.Created));
            Assert.That(lead.SystemModstamp!.Value.Offset, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [Test]
    public async Task A_datetime_written_by_the_client_round_trips_to_the_same_instant()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(1));
        // Given in +01:00 with milliseconds: Salesforce keeps the instant, in UTC.
        var start = new DateTimeOffset(2026, 11, 27, 10, 15, 30, 250, TimeSpan.FromHours(1));

        var id = await harness.Client.CreateRecordAsync("Event", new Dictionary<string, object?> { ["Subject"] = "1:1 review", ["StartDateTime"] = start });
        var stored = harness.Host.Store.Get("Event", id)!["StartDateTime"];
        var read = await harness.Client.GetRecordAsync<EventRow>("Event", id, ["Id", "Subject", "StartDateTime"]);
        var raw = (await ToListAsync(harness.Client.QueryAsync<JsonElement>(
            Soql.Select("Id", "StartDateTime").From("Event").Where(Soql.Field("StartDateTime").AtLeast(start)).Build()))).Single();

        Assert.Multiple(() =>
        {
            Assert.That(stored, Is.EqualTo(start));
            Assert.That(read.StartDateTime, Is.EqualTo(start));
            Assert.That(read.StartDateTime!.Value.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(raw.GetProperty("StartDateTime").GetString(), Is.EqualTo("2026-11-27T09:15:30.250+0000"));
            Assert.That(raw.GetProperty("Id").GetString(), Is.EqualTo(id));
        });
    }

    [Test]
    public async Task Fifteen_character_ids_are_accepted_for_reads_and_writes()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(5));
        var id18 = TestOrg.LeadId(4);
        var id15 = id18[..15];

        var read = await harness.Client.GetRecordAsync<LeadRow>("Lead", id15, ["Id", "Company", "Status", "IsDeleted", "SystemModstamp"]);
        await harness.Client.UpdateRecordAsync("Lead", id15, new Dictionary<string, object?> { ["Status"] = "Working - Contacted" });
        var results = await harness.Client.UpdateRecordsAsync("Lead", [new SObjectUpdate(TestOrg.LeadId(5)[..15], new Dictionary<string, object?> { ["Rating"] = "Hot" })]);
        var byLiteral = await ToListAsync(harness.Client.QueryAsync<LeadRow>(
            Soql.Select("Id", "Company", "Status", "IsDeleted").From("Lead").Where(Soql.Field("Id").EqualTo(id15)).Build()));

        Assert.Multiple(() =>
        {
            Assert.That(read.Id, Is.EqualTo(id18), "Salesforce answers with the 18-character id");
            Assert.That(read.Company, Is.EqualTo("Company 4"));
            Assert.That(harness.Host.Store.Get("Lead", id18)!["Status"], Is.EqualTo("Working - Contacted"));
            Assert.That(results.Keys, Is.EqualTo(new[] { TestOrg.LeadId(5) }), "results keyed by the 18-character id");
            Assert.That(results[TestOrg.LeadId(5)].Success, Is.True);
            Assert.That(harness.Host.Store.Get("Lead", TestOrg.LeadId(5))!["Rating"], Is.EqualTo("Hot"));
            Assert.That(byLiteral.Select(l => l.Id), Is.EqualTo(new[] { id18 }));
            Assert.That(harness.Host.Writes.Select(w => w.Id), Is.EqualTo(new[] { id18, TestOrg.LeadId(5) }));
        });
    }

    internal static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
            list.Add(item);
        return list;
    }
}

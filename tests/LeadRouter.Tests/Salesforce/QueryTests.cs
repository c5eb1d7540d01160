using System.Net;
using System.Text.Json;
using LeadRouter.Salesforce;

namespace LeadRouter.Tests.Salesforce;

public class QueryTests
{
    private sealed record OwnerRef(string Name);

    private sealed record LeadRow(string Id, string OwnerId, OwnerRef? Owner, DateTimeOffset SystemModstamp, DateOnly? ConvertedDate);

    private static string Page(int from, int count, string? next)
    {
        var records = Enumerable.Range(from, count).Select(i => new Dictionary<string, object?>
        {
            ["attributes"] = new { type = "Lead", url = $"/services/data/v62.0/sobjects/Lead/{Id(i)}" },
            ["Id"] = Id(i),
            ["OwnerId"] = "00G5e000000001AEAQ",
            ["Owner"] = new Dictionary<string, object?> { ["attributes"] = new { type = "Name" }, ["Name"] = "Inbound queue" },
            ["SystemModstamp"] = "2026-11-20T08:15:00.000+0000",
            ["ConvertedDate"] = null,
        });
        var page = new Dictionary<string, object?> { ["totalSize"] = 5, ["done"] = next is null, ["records"] = records };
        if (next is not null)
            page["nextRecordsUrl"] = next;
        return JsonSerializer.Serialize(page);
    }

    private static string Id(int i) => LeadRouter.Org.SalesforceId.Create("00Q", i);

    private static SoqlQuery LeadQuery => Soql.Select("Id", "OwnerId", "Owner.Name", "SystemModstamp", "ConvertedDate").From("Lead").Build();

    [Test]
    public async Task Pages_are_followed_through_nextRecordsUrl_with_the_batch_size_header()
    {
        var handler = new ScriptedHandler().Token()
            .Reply(HttpStatusCode.OK, Page(1, 2, "/services/data/v62.0/query/01gD0000002HU6KIAW-2"))
            .Reply(HttpStatusCode.OK, Page(3, 2, "/services/data/v62.0/query/01gD0000002HU6KIAW-4"))
            .Reply(HttpStatusCode.OK, Page(5, 1, null));
        var client = Fakes.Client(handler);

        var leads = await client.QueryAsync<LeadRow>(LeadQuery).ToListAsync();

        var api = handler.ApiRequests.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(leads.Select(l => l.Id), Is.EqualTo(Enumerable.Range(1, 5).Select(Id)));
            Assert.That(api[0].PathAndQuery, Is.EqualTo("/services/data/v62.0/query?q=" + Uri.EscapeDataString(LeadQuery.Text)));
            Assert.That(api[1].PathAndQuery, Is.EqualTo("/services/data/v62.0/query/01gD0000002HU6KIAW-2"));
            Assert.That(api[2].PathAndQuery, Is.EqualTo("/services/data/v62.0/query/01gD0000002HU6KIAW-4"));
            Assert.That(api.Select(r => r.Header("Sforce-Query-Options")), Is.All.EqualTo("batchSize=500"));
        });
    }

    [Test]
    public async Task Records_stream_before_the_next_page_is_asked_for()
    {
        var handler = new ScriptedHandler().Token()
            .Reply(HttpStatusCode.OK, Page(1, 2, "/services/data/v62.0/query/01gD0000002HU6KIAW-2"))
            .Reply(HttpStatusCode.OK, Page(3, 2, null));
        var client = Fakes.Client(handler);

        await using var records = client.QueryAsync<LeadRow>(LeadQuery).GetAsyncEnumerator();
        await records.MoveNextAsync();

        Assert.That(handler.ApiRequests.Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Relationship_fields_map_to_nested_objects_and_attributes_are_ignored()
    {
        var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, Page(1, 1, null));
        var client = Fakes.Client(handler);

        var lead = (await client.QueryAsync<LeadRow>(LeadQuery).ToListAsync()).Single();

        Assert.Multiple(() =>
        {
            Assert.That(lead.Owner, Is.EqualTo(new OwnerRef("Inbound queue")));
            Assert.That(lead.SystemModstamp, Is.EqualTo(new DateTimeOffset(2026, 11, 20, 8, 15, 0, TimeSpan.Zero)));
            Assert.That(lead.ConvertedDate, Is.Null);
        });
    }

    [Test]
    public async Task QueryAll_uses_the_queryAll_resource()
    {
        var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, Page(1, 1, null));
        var client = Fakes.Client(handler);

        await client.QueryAllAsync<LeadRow>(LeadQuery).ToListAsync();

        Assert.That(handler.ApiRequests.Single().Uri.AbsolutePath, Is.EqualTo("/services/data/v62.0/queryAll"));
    }

    [Test]
    public async Task Count_queries_return_the_total_size()
    {
        var handler = new ScriptedHandler().Token()
            .Reply(HttpStatusCode.OK, """{"totalSize":1234,"done":true,"records":[]}""")
            .Reply(HttpStatusCode.OK, """{"totalSize":1300,"done":true,"records":[]}""");
        var client = Fakes.Client(handler);
        var query = Soql.SelectCount().From("Lead").Where(Soql.Field("IsConverted").EqualTo(false)).Build();

        var count = await client.CountAsync(query);
        var withDeleted = await client.CountAsync(query, includeDeleted: true);

        var api = handler.ApiRequests.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(1234));
            Assert.That(withDeleted, Is.EqualTo(1300));
            Assert.That(Uri.UnescapeDataString(api[0].Uri.Query), Is.EqualTo("?q=SELECT COUNT() FROM Lead WHERE IsConverted = false"));
            Assert.That(api[1].Uri.AbsolutePath, Does.EndWith("/queryAll"));
        });
    }

    [Test]
    public void Count_and_record_queries_are_not_mixed_up()
    {
        var client = Fakes.Client(new ScriptedHandler());

        Assert.Multiple(() =>
        {
            Assert.ThrowsAsync<ArgumentException>(() => client.CountAsync(LeadQuery));
            Assert.ThrowsAsync<ArgumentException>(() => client.QueryAsync<LeadRow>(Soql.SelectCount().From("Lead").Build()).ToListAsync());
        });
    }

    [TestCase("https://evil.example.test/services/data/v62.0/query/01g-2")]
    [TestCase("//evil.example.test/services/data/v62.0/query/01g-2")]
    [TestCase("/services/oauth2/token")]
    [TestCase(null)]
    public void A_next_page_outside_the_data_api_is_not_followed(string? next)
    {
        var page = next is null
            ? """{"totalSize":4,"done":false,"records":[]}"""
            : JsonSerializer.Serialize(new { totalSize = 4, done = false, nextRecordsUrl = next, records = Array.Empty<object>() });
        var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, page);
        var client = Fakes.Client(handler);

        Assert.ThrowsAsync<InvalidOperationException>(() => client.QueryAsync<LeadRow>(LeadQuery).ToListAsync());
        Assert.That(handler.ApiRequests.Count(), Is.EqualTo(1));
    }

    [Test]
    public void A_query_too_long_for_a_url_is_refused_with_advice()
    {
        var ids = Enumerable.Range(1, 1200).Select(Id);
        var query = Soql.Select("Id").From("Lead").Where(Soql.Field("Id").In(ids)).Build();
        var handler = new ScriptedHandler();
        var client = Fakes.Client(handler);

        var error = Assert.ThrowsAsync<ArgumentException>(() => client.QueryAsync<LeadRow>(query).ToListAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("split its IN lists"));
            Assert.That(handler.Requests, Is.Empty);
        });
    }

    [Test]
    public void A_query_error_keeps_the_code_and_the_message()
    {
        var handler = new ScriptedHandler().Token()
            .Reply(HttpStatusCode.BadRequest, Fakes.Errors("INVALID_FIELD", "No such column 'Segment__c' on entity 'Lead'"));
        var client = Fakes.Client(handler);

        var error = Assert.ThrowsAsync<SalesforceApiException>(() => client.QueryAsync<LeadRow>(LeadQuery).ToListAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Errors.Single().ErrorCode, Is.EqualTo("INVALID_FIELD"));
            Assert.That(error.Path, Is.EqualTo("/services/data/v62.0/query"));
            Assert.That(error.Message, Does.Contain("Segment__c").And.Not.Contain("q="));
        });
    }
}

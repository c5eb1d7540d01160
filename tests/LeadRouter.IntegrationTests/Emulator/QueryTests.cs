using System.Text.Json;

namespace LeadRouter.IntegrationTests.Emulator;

public sealed class QueryTests
{
    [Test]
    public async Task Paging_5000_records_honours_batch_size_and_returns_every_row_once()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(5_100));

        var pages = await FetchAllAsync(emulator, "SELECT Id, Company FROM Lead", batchSize: 500);

        var ids = pages.SelectMany(p => p.GetProperty("records").EnumerateArray()).Select(r => r.GetProperty("Id").GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(pages, Has.Count.EqualTo(11));
            Assert.That(pages.Select(p => p.GetProperty("records").GetArrayLength()), Is.EqualTo(Enumerable.Repeat(500, 10).Append(100)));
            Assert.That(pages.Select(p => p.GetProperty("totalSize").GetInt32()), Is.All.EqualTo(5_100));
            Assert.That(pages.Select(p => p.GetProperty("done").GetBoolean()), Is.EqualTo(Enumerable.Repeat(false, 10).Append(true)));
            Assert.That(pages[^1].TryGetProperty("nextRecordsUrl", out _), Is.False, "the last page has no nextRecordsUrl key");
            Assert.That(pages[0].GetProperty("nextRecordsUrl").GetString(),
                Does.Match($@"^/services/data/{EmulatorClient.Version.Replace(".", @"\.")}/query/01g\w{{15}}-500$"));
            Assert.That(pages[1].GetProperty("records")[0].GetProperty("attributes").GetProperty("url").GetString(),
                Does.StartWith($"/services/data/{EmulatorClient.Version}/sobjects/Lead/00Q"));
            Assert.That(ids, Is.Unique);
            Assert.That(ids, Is.EquivalentTo(Enumerable.Range(1, 5_100).Select(TestOrg.LeadId)));
        });
    }

    [Test]
    public async Task Default_batch_is_2000_and_batch_sizes_are_held_to_200_through_2000()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(4_500));

        var byDefault = await FetchAllAsync(emulator, "SELECT Id FROM Lead", batchSize: null);
        var tooSmall = await emulator.QueryAsync("SELECT Id FROM Lead", batchSize: 50);
        var tooLarge = await emulator.QueryAsync("SELECT Id FROM Lead", batchSize: 5_000);
        var notANumber = await emulator.GetAsync("query?q=SELECT+Id+FROM+Lead", r => r.Headers.Add("Sforce-Query-Options", "batchSize=lots"));

        Assert.Multiple(() =>
        {
            Assert.That(byDefault.Select(p => p.GetProperty("records").GetArrayLength()), Is.EqualTo(new[] { 2000, 2000, 500 }));
            Assert.That(tooSmall.Body.GetProperty("records").GetArrayLength(), Is.EqualTo(200));
            Assert.That(tooLarge.Body.GetProperty("records").GetArrayLength(), Is.EqualTo(2000));
            Assert.That(notANumber.StatusCode, Is.EqualTo(400));
            Assert.That(notANumber.Body[0].GetProperty("message").GetString(), Does.Contain("batchSize"));
        });
    }

    [Test]
    public async Task An_unknown_or_out_of_range_locator_is_invalid_query_locator()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(450));
        var first = await emulator.QueryAsync("SELECT Id FROM Lead", batchSize: 200);
        var next = first.Body.GetProperty("nextRecordsUrl").GetString()!;

        var second = await emulator.GetAsync(next);
        var unknown = await emulator.GetAsync("query/01g5e0000000zzzAAA-200");
        var beyond = await emulator.GetAsync(next[..next.LastIndexOf('-')] + "-450");

        Assert.Multiple(() =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(200));
            Assert.That(second.Body.GetProperty("records")[0].GetProperty("Id").GetString(),
                Is.Not.EqualTo(first.Body.GetProperty("records")[0].GetProperty("Id").GetString()));
            Assert.That(unknown.StatusCode, Is.EqualTo(400));
            Assert.That(unknown.ErrorCode, Is.EqualTo("INVALID_QUERY_LOCATOR"));
            Assert.That(beyond.ErrorCode, Is.EqualTo("INVALID_QUERY_LOCATOR"));
        });
    }

    [Test]
    public async Task QueryAll_sees_deleted_rows_that_query_hides()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(10, deleted: 3));

        var live = await emulator.QueryAsync("SELECT Id FROM Lead");
        var all = await emulator.QueryAsync("SELECT Id, IsDeleted FROM Lead", all: true);
        var deletedOnly = await emulator.QueryAsync("SELECT Id FROM Lead WHERE IsDeleted = true", all: true);

        Assert.Multiple(() =>
        {
            Assert.That(live.Body.GetProperty("totalSize").GetInt32(), Is.EqualTo(7));
            Assert.That(all.Body.GetProperty("totalSize").GetInt32(), Is.EqualTo(10));
            Assert.That(all.Body.GetProperty("records").EnumerateArray().Count(r => r.GetProperty("IsDeleted").GetBoolean()), Is.EqualTo(3));
            Assert.That(deletedOnly.Body.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Id").GetString()),
                Is.EquivalentTo(Enumerable.Range(1, 3).Select(TestOrg.LeadId)));
        });
    }

    [Test]
    public async Task Malformed_soql_is_a_400_with_malformed_query()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1));

        var malformed = await emulator.QueryAsync("SELEC Id FROM Lead");
        var missing = await emulator.GetAsync("query");

        Assert.Multiple(() =>
        {
            Assert.That(malformed.StatusCode, Is.EqualTo(400));
            Assert.That(malformed.ErrorCode, Is.EqualTo("MALFORMED_QUERY"));
            Assert.That(malformed.Body[0].GetProperty("message").GetString(), Is.Not.Empty);
            Assert.That(missing.StatusCode, Is.EqualTo(400));
            Assert.That(missing.ErrorCode, Is.EqualTo("MALFORMED_QUERY"));
        });
    }

    [Test]
    public async Task Empty_result_has_the_recorded_shape_and_versions_are_listed()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(2));

        var empty = await emulator.QueryAsync("SELECT Id FROM Lead WHERE Company = 'Nobody'");
        var versions = await emulator.GetAsync("/services/data");
        var unsupported = await emulator.GetAsync("/services/data/v7.0/limits");

        Assert.Multiple(() =>
        {
            Assert.That(versions.StatusCode, Is.EqualTo(200));
            Assert.That(versions.Body.EnumerateArray().Select(v => v.GetProperty("url").GetString()), Does.Contain("/services/data/v62.0"));
            Assert.That(versions.Body.EnumerateArray().Single(v => v.GetProperty("version").GetString() == "59.0").GetProperty("label").GetString(),
                Is.EqualTo("Winter '24"));
            Assert.That(unsupported.StatusCode, Is.EqualTo(404));
        });
        Samples.AssertSameBody(empty.Body, "query_empty_result.json");
    }

    /// <summary>Follows nextRecordsUrl until done, as a client's autoFetch does.</summary>
    private static async Task<List<JsonElement>> FetchAllAsync(EmulatorClient emulator, string soql, int? batchSize)
    {
        var pages = new List<JsonElement>();
        var page = await emulator.QueryAsync(soql, batchSize: batchSize);
        while (true)
        {
            Assert.That(page.StatusCode, Is.EqualTo(200), page.Body.ToString());
            pages.Add(page.Body);
            if (page.Body.GetProperty("done").GetBoolean())
                return pages;
            page = await emulator.GetAsync(page.Body.GetProperty("nextRecordsUrl").GetString()!);
        }
    }
}

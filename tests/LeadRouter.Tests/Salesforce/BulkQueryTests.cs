using System.Net;
using System.Text.Json;
using LeadRouter.Org;
using LeadRouter.Salesforce;
using LeadRouter.Sync;

namespace LeadRouter.Tests.Salesforce;

/// <summary>The client's Bulk API 2.0 query jobs against scripted answers, and the rows they give the sync.</summary>
public class BulkQueryTests
{
    private const string JobId = "7505e00000AbCdEAAR";
    private const string JobPath = "/services/data/v62.0/jobs/query/" + JobId;

    private static SoqlQuery TaskQuery => Soql.Select("Id", "Subject").From("Task").Build();

    private static string Job(string state, string? error = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["id"] = JobId, ["state"] = state, ["errorMessage"] = error });

    [Test]
    public async Task A_job_is_looked_at_with_growing_waits_then_its_result_sets_are_read_by_locator_and_it_is_deleted()
    {
        var handler = new ScriptedHandler().Token()
            .Reply(HttpStatusCode.OK, Job("UploadComplete"))
            .Reply(HttpStatusCode.OK, Job("UploadComplete"))
            .Reply(HttpStatusCode.OK, Job("InProgress"))
            .Reply(HttpStatusCode.OK, Job("JobComplete"))
            .Reply(HttpStatusCode.OK, "\"Id\",\"Subject\"\n\"00T000000000001AAA\",\"Call, then \"\"demo\"\"\nnext week\"\n", ("Sforce-Locator", "MQ"))
            .Reply(HttpStatusCode.OK, "\"Id\",\"Subject\"\n\"00T000000000002AAA\",\n\"00T000000000003AAA\",\"Zoë 東京\"\n", ("Sforce-Locator", "null"))
            .NoContent();
        var delays = new List<TimeSpan>();
        var client = Fakes.Client(handler, Fakes.PasswordOptions(), delays);

        var rows = await client.BulkQueryAsync(TaskQuery, includeDeleted: true, maxRecords: 2).ToListAsync();

        var api = handler.ApiRequests.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => (r["Id"], r["subject"])), Is.EqualTo(new[]
            {
                ("00T000000000001AAA", "Call, then \"demo\"\nnext week"),
                ("00T000000000002AAA", null),
                ("00T000000000003AAA", "Zoë 東京"),
            }));
            Assert.That(api[0].Method, Is.EqualTo(HttpMethod.Post));
            Assert.That(JsonDocument.Parse(api[0].Body!).RootElement.GetProperty("operation").GetString(), Is.EqualTo("queryAll"));
            Assert.That(JsonDocument.Parse(api[0].Body!).RootElement.GetProperty("query").GetString(), Is.EqualTo(TaskQuery.Text));
            Assert.That(api.Skip(1).Take(3).Select(r => r.PathAndQuery), Is.All.EqualTo(JobPath));
            Assert.That(api[4].PathAndQuery, Is.EqualTo(JobPath + "/results?maxRecords=2"));
            Assert.That(api[5].PathAndQuery, Is.EqualTo(JobPath + "/results?maxRecords=2&locator=MQ"));
            Assert.That(api[4].Header("Accept"), Is.EqualTo("text/csv"));
            Assert.That((api[6].Method, api[6].PathAndQuery), Is.EqualTo((HttpMethod.Delete, JobPath)));
            // Two waits between the three looks, the second drawn from a range twice as high.
            Assert.That(delays, Has.Count.EqualTo(2));
            Assert.That(delays[0], Is.InRange(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)));
            Assert.That(delays[1], Is.InRange(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)));
            Assert.That(handler.Unused, Is.Zero);
        });
    }

    [Test]
    public void A_failed_job_throws_naming_the_job_and_its_reason_and_is_deleted()
    {
        var handler = new ScriptedHandler().Token()
            .Reply(HttpStatusCode.OK, Job("UploadComplete"))
            .Reply(HttpStatusCode.OK, Job("Failed", "Query timed out"))
            .NoContent();
        var client = Fakes.Client(handler);

        Assert.That(async () => await client.BulkQueryAsync(TaskQuery, includeDeleted: false).ToListAsync(),
            Throws.InstanceOf<SalesforceBulkJobException>().With.Message.EqualTo($"Salesforce's Bulk query job {JobId} on Task ended Failed: Query timed out."));
        Assert.That(handler.ApiRequests.Last().Method, Is.EqualTo(HttpMethod.Delete));
        Assert.That(handler.Unused, Is.Zero);
    }

    [Test]
    public void A_job_still_running_after_the_timeout_is_aborted_and_deleted()
    {
        var handler = new ScriptedHandler().Token()
            .Reply(HttpStatusCode.OK, Job("UploadComplete"))
            .Reply(HttpStatusCode.OK, Job("InProgress"))
            .Reply(HttpStatusCode.OK, Job("InProgress"))
            .Reply(HttpStatusCode.OK, Job("Aborted"))
            .NoContent();
        // The first wait (50-100 ms) fits in 120 ms; the second (100-200 ms) would not.
        var client = Fakes.Client(handler, Fakes.PasswordOptions() with { BulkJobTimeout = TimeSpan.FromMilliseconds(120) }, []);

        Assert.That(async () => await client.BulkQueryAsync(TaskQuery, includeDeleted: false).ToListAsync(),
            Throws.InstanceOf<SalesforceBulkJobException>().With.Message.Contains("ended InProgress: still not complete"));
        var api = handler.ApiRequests.ToList();
        Assert.That(api[^2].Method, Is.EqualTo(HttpMethod.Patch));
        Assert.That(JsonDocument.Parse(api[^2].Body!).RootElement.GetProperty("state").GetString(), Is.EqualTo("Aborted"));
        Assert.That(api[^1].Method, Is.EqualTo(HttpMethod.Delete));
    }

    [Test]
    public void A_bulk_csv_row_and_a_rest_json_record_give_the_sync_the_same_values()
    {
        var id = SalesforceId.Create("006", 7);
        var owner = SalesforceId.Create("005", 3);
        var json = $$"""
            {"attributes":{"type":"Opportunity"},"Id":"{{id}}","OwnerId":"{{owner}}","StageName":"Negotiation",
             "IsClosed":false,"CloseDate":"2026-12-18","NextStep":"Send the proposal, then \"call\"","LastActivityDate":null,
             "Amount":125000.50,"Next_Step_Date__c":"2026-12-01","SystemModstamp":"2026-11-30T10:00:00.000+0000","IsDeleted":false}
            """;
        var columns = BulkColumns.From(["Id", "OwnerId", "StageName", "IsClosed", "CloseDate", "NextStep", "LastActivityDate", "Amount",
            "Next_Step_Date__c", "SystemModstamp", "IsDeleted"]);
        var csv = new BulkRow(columns, [id, owner, "Negotiation", "false", "2026-12-18",
            "Send the proposal, then \"call\"", null, "125000.50", "2026-12-01", "2026-11-30T10:00:00.000Z", "false"]);
        var opportunities = SyncedObjects.Opportunities("Next_Step_Date__c");

        var fromJson = new SalesforceRow("Opportunity", JsonDocument.Parse(json).RootElement);
        var fromCsv = new SalesforceRow("Opportunity", csv);

        Assert.That(opportunities.Map(fromCsv), Is.EqualTo(opportunities.Map(fromJson)));
        Assert.That(fromCsv.RequiredDateTime("SystemModstamp"), Is.EqualTo(fromJson.RequiredDateTime("SystemModstamp")));
        Assert.That(() => new SalesforceRow("Opportunity", new BulkRow(columns, [id, null, null, "maybe", null, null, null, null, null, null, null]))
            .Bool("IsClosed"), Throws.InstanceOf<SalesforceRowException>().With.Message.EqualTo($"Opportunity {id}: IsClosed is not true or false."));
    }
}

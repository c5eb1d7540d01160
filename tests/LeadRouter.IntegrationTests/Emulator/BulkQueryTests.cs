using System.Net.Http.Headers;
using System.Text.Json;
using LeadRouter.SalesforceEmulator.Faults;

namespace LeadRouter.IntegrationTests.Emulator;

/// <summary>The emulator's Bulk API 2.0 query jobs: states, CSV result sets by locator, refusals.</summary>
public sealed class BulkQueryTests
{
    [Test]
    public async Task A_job_goes_UploadComplete_InProgress_JobComplete_and_its_CSV_is_paged_by_locator()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1_050, deleted: 50));
        var usedBefore = emulator.Host.ApiUsage.Used;

        var created = await CreateAsync(emulator, "SELECT Id, Company FROM Lead", operation: "queryAll");
        var id = created.Body.GetProperty("id").GetString()!;
        var early = await ResultsAsync(emulator, id, "");
        var firstLook = await emulator.GetAsync($"jobs/query/{id}");
        var secondLook = await emulator.GetAsync($"jobs/query/{id}");
        var sets = new List<CsvReply>();
        string? locator = null;
        do
        {
            sets.Add(await ResultsAsync(emulator, id, "?maxRecords=400" + (locator is null ? "" : "&locator=" + locator)));
            locator = sets[^1].Locator == "null" ? null : sets[^1].Locator;
        }
        while (locator is not null && sets.Count < 10);
        var deleted = await emulator.SendJsonAsync(HttpMethod.Delete, $"jobs/query/{id}", "");
        var gone = await emulator.GetAsync($"jobs/query/{id}");

        var ids = sets.SelectMany(s => s.Lines.Skip(1)).Select(line => line.Split(',')[0].Trim('"')).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(200));
            Assert.That(id, Does.Match("^750[0-9A-Za-z]{15}$"));
            Assert.That(created.Body.GetProperty("state").GetString(), Is.EqualTo("UploadComplete"));
            Assert.That(created.Body.GetProperty("object").GetString(), Is.EqualTo("Lead"));
            Assert.That(created.Body.GetProperty("operation").GetString(), Is.EqualTo("queryAll"));
            Assert.That(created.Body.GetProperty("apiVersion").GetDouble(), Is.EqualTo(62.0));
            Assert.That(early.StatusCode, Is.EqualTo(400), "no results before JobComplete");
            Assert.That(firstLook.Body.GetProperty("state").GetString(), Is.EqualTo("InProgress"));
            Assert.That(secondLook.Body.GetProperty("state").GetString(), Is.EqualTo("JobComplete"));
            Assert.That(secondLook.Body.GetProperty("jobType").GetString(), Is.EqualTo("V2Query"));
            Assert.That(secondLook.Body.GetProperty("numberRecordsProcessed").GetInt32(), Is.EqualTo(1_050));
            Assert.That(sets.Select(s => s.NumberOfRecords), Is.EqualTo(new[] { 400, 400, 250 }));
            Assert.That(sets.Select(s => s.Lines.Count - 1), Is.EqualTo(new[] { 400, 400, 250 }));
            Assert.That(sets.Select(s => s.Lines[0]), Is.All.EqualTo("\"Id\",\"Company\""));
            Assert.That(sets.Select(s => s.ContentType), Is.All.EqualTo("text/csv"));
            Assert.That(sets[^1].Locator, Is.EqualTo("null"));
            Assert.That(ids, Is.Unique.And.EquivalentTo(Enumerable.Range(1, 1_050).Select(TestOrg.LeadId)), "queryAll brings the deleted leads too");
            Assert.That(deleted.StatusCode, Is.EqualTo(204));
            Assert.That(gone.StatusCode, Is.EqualTo(404));
            Assert.That(gone.ErrorCode, Is.EqualTo("NOT_FOUND"));
            // create, early results, two looks, three result sets, delete, the look after: each an API request.
            Assert.That(emulator.Host.ApiUsage.Used - usedBefore, Is.EqualTo(9));
        });
    }

    [Test]
    public async Task The_csv_quotes_every_value_doubles_quotes_keeps_newlines_and_unicode_and_leaves_nulls_empty()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1));
        var leadId = emulator.Host.Store.Insert("Lead", new Dictionary<string, object?>
        {
            ["LastName"] = "Zoë \"the closer\" Ångström",
            ["Company"] = "Müller, Söhne & Co\nBerlin 東京",
            ["OwnerId"] = TestOrg.UserId,
            ["Status"] = "Open - Not Contacted",
            ["NumberOfEmployees"] = 120,
            ["AnnualRevenue"] = 1_250_000.5m,
        });
        var stamp = (DateTimeOffset)emulator.Host.Store.Get("Lead", leadId)!["CreatedDate"]!;

        var csv = await RunAsync(emulator, $"SELECT Id, LastName, Company, Rating, IsConverted, NumberOfEmployees, AnnualRevenue, CreatedDate, Owner.Name FROM Lead WHERE Id = '{leadId}'");

        Assert.That(csv.Text, Is.EqualTo(
            "\"Id\",\"LastName\",\"Company\",\"Rating\",\"IsConverted\",\"NumberOfEmployees\",\"AnnualRevenue\",\"CreatedDate\",\"Owner.Name\"\n" +
            $"\"{leadId}\",\"Zoë \"\"the closer\"\" Ångström\",\"Müller, Söhne & Co\nBerlin 東京\",,\"false\",\"120\",\"1250000.5\"," +
            $"\"{stamp.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\",\"Integration User\"\n"));
    }

    [Test]
    public async Task Bad_soql_and_what_bulk_cannot_run_are_refused_and_jobs_abort_delete_and_fail_as_salesforce_says()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(10));

        var unknownField = await CreateAsync(emulator, "SELECT Id, Shoe_Size__c FROM Lead");
        var count = await CreateAsync(emulator, "SELECT COUNT() FROM Lead");
        var offset = await CreateAsync(emulator, "SELECT Id FROM Lead OFFSET 5");
        var upsert = await CreateAsync(emulator, "SELECT Id FROM Lead", operation: "upsert");
        var unknownJob = await emulator.GetAsync("jobs/query/750000000000001AAA");

        var running = (await CreateAsync(emulator, "SELECT Id FROM Lead")).Body.GetProperty("id").GetString()!;
        var deleteRunning = await emulator.SendJsonAsync(HttpMethod.Delete, $"jobs/query/{running}", "");
        var aborted = await emulator.SendJsonAsync(HttpMethod.Patch, $"jobs/query/{running}", new { state = "Aborted" });
        var abortedLook = await emulator.GetAsync($"jobs/query/{running}");
        var abortedResults = await ResultsAsync(emulator, running, "");
        var abortAgain = await emulator.SendJsonAsync(HttpMethod.Patch, $"jobs/query/{running}", new { state = "Aborted" });

        emulator.Host.Faults.Settings = new FaultSettings { BulkJobFailureRate = 1 };
        var failing = (await CreateAsync(emulator, "SELECT Id FROM Lead")).Body.GetProperty("id").GetString()!;
        await emulator.GetAsync($"jobs/query/{failing}");
        var failed = await emulator.GetAsync($"jobs/query/{failing}");
        var list = await emulator.GetAsync("jobs/query");

        Assert.Multiple(() =>
        {
            Assert.That((unknownField.StatusCode, unknownField.ErrorCode), Is.EqualTo((400, "INVALID_FIELD")));
            Assert.That((count.StatusCode, count.ErrorCode), Is.EqualTo((400, "API_ERROR")));
            Assert.That(count.Body[0].GetProperty("message").GetString(), Does.Contain("COUNT()"));
            Assert.That((offset.StatusCode, offset.ErrorCode), Is.EqualTo((400, "API_ERROR")));
            Assert.That((upsert.StatusCode, upsert.ErrorCode), Is.EqualTo((400, "API_ERROR")));
            Assert.That((unknownJob.StatusCode, unknownJob.ErrorCode), Is.EqualTo((404, "NOT_FOUND")));
            Assert.That(deleteRunning.StatusCode, Is.EqualTo(400), "a job is deleted only once it has ended");
            Assert.That(aborted.Body.GetProperty("state").GetString(), Is.EqualTo("Aborted"));
            Assert.That(abortedLook.Body.GetProperty("state").GetString(), Is.EqualTo("Aborted"));
            Assert.That(abortedResults.StatusCode, Is.EqualTo(400));
            Assert.That(abortAgain.StatusCode, Is.EqualTo(400));
            Assert.That(failed.Body.GetProperty("state").GetString(), Is.EqualTo("Failed"));
            Assert.That(failed.Body.GetProperty("errorMessage").GetString(), Is.Not.Empty);
            Assert.That(list.Body.GetProperty("records").EnumerateArray().Select(j => j.GetProperty("id").GetString()),
                Is.EquivalentTo(new[] { running, failing }));
        });
    }

    private static Task<Reply> CreateAsync(EmulatorClient emulator, string soql, string operation = "query") =>
        emulator.SendJsonAsync(HttpMethod.Post, "jobs/query", new { operation, query = soql, contentType = "CSV", columnDelimiter = "COMMA", lineEnding = "LF" });

    /// <summary>Creates a job, looks at it until it is JobComplete, and reads its one result set.</summary>
    private static async Task<CsvReply> RunAsync(EmulatorClient emulator, string soql)
    {
        var created = await CreateAsync(emulator, soql);
        Assert.That(created.StatusCode, Is.EqualTo(200), created.Body.ToString());
        var id = created.Body.GetProperty("id").GetString()!;
        string? state = null;
        for (var look = 0; look < 5 && state != "JobComplete"; look++)
            state = (await emulator.GetAsync($"jobs/query/{id}")).Body.GetProperty("state").GetString();
        Assert.That(state, Is.EqualTo("JobComplete"));
        return await ResultsAsync(emulator, id, "");
    }

    private static async Task<CsvReply> ResultsAsync(EmulatorClient emulator, string id, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/services/data/{EmulatorClient.Version}/jobs/query/{id}/results{query}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await emulator.Http.SendAsync(request);
        return new CsvReply((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType,
            Header(response, "Sforce-Locator"), int.TryParse(Header(response, "Sforce-NumberOfRecords"), out var n) ? n : -1);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    private sealed record CsvReply(int StatusCode, string Text, string? ContentType, string? Locator, int NumberOfRecords)
    {
        /// <summary>The lines of a result whose values hold no line breaks.</summary>
        public IReadOnlyList<string> Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}

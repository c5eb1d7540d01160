using System.Net;
using System.Text.Json;
using LeadRouter.Org;
using LeadRouter.Salesforce;

namespace LeadRouter.Tests.Salesforce;

public class CollectionsTests
{
    private const string Queue = "00G5e000000001AEAQ";

    private static string LeadId(int i) => SalesforceId.Create("00Q", i);

    private static SObjectUpdate OwnerChange(int i) =>
        new(LeadId(i), new Dictionary<string, object?> { ["OwnerId"] = SalesforceId.Create("005", i % 7) });

    /// <summary>Answers a collection call: every record succeeds except those the predicate fails, which get the status code.</summary>
    private static Func<RecordedRequest, HttpResponseMessage> Results(Func<string, string?> failure) => request =>
    {
        using var body = JsonDocument.Parse(request.Body!);
        var results = body.RootElement.GetProperty("records").EnumerateArray().Select(r =>
        {
            var id = r.GetProperty("id").GetString()!;
            var code = failure(id);
            return code is null
                ? (object)new { id, success = true, errors = Array.Empty<object>() }
                : new { success = false, errors = new[] { new { statusCode = code, message = "failed: " + code, fields = Array.Empty<string>() } } };
        });
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(results)) };
    };

    [Test]
    public async Task Batches_are_split_at_200_and_mixed_results_come_back_per_id()
    {
        var updates = Enumerable.Range(1, 450).Select(OwnerChange).ToList();
        var failing = new HashSet<string> { LeadId(7), LeadId(399) };
        var handler = new ScriptedHandler().Token();
        for (var i = 0; i < 3; i++)
            handler.Respond(Results(id => failing.Contains(id) ? "INVALID_CROSS_REFERENCE_KEY" : null));
        var client = Fakes.Client(handler);

        var results = await client.UpdateRecordsAsync("Lead", updates);

        var api = handler.ApiRequests.ToList();
        var sizes = api.Select(r => JsonDocument.Parse(r.Body!).RootElement.GetProperty("records").GetArrayLength());
        Assert.Multiple(() =>
        {
            Assert.That(sizes, Is.EqualTo(new[] { 200, 200, 50 }));
            Assert.That(api.Select(r => r.Method), Is.All.EqualTo(HttpMethod.Patch));
            Assert.That(api.Select(r => r.PathAndQuery), Is.All.EqualTo("/services/data/v62.0/composite/sobjects"));
            Assert.That(api.Select(r => r.Header("Sforce-Auto-Assign")), Is.All.EqualTo("FALSE"));
            Assert.That(results, Has.Count.EqualTo(450));
            Assert.That(results.Values.Where(r => !r.Success).Select(r => r.Id), Is.EquivalentTo(failing));
            Assert.That(results[LeadId(7)].Errors.Single().StatusCode, Is.EqualTo("INVALID_CROSS_REFERENCE_KEY"));
            Assert.That(results[LeadId(8)].Success, Is.True);
        });
    }

    [Test]
    public async Task The_request_body_is_a_partial_success_collection_with_types_and_ids()
    {
        var handler = new ScriptedHandler().Token().Respond(Results(_ => null));
        var client = Fakes.Client(handler);

        await client.UpdateRecordsAsync("Lead", [new SObjectUpdate(LeadId(1)[..15], new Dictionary<string, object?> { ["OwnerId"] = Queue, ["Status"] = "Working" })]);

        Assert.That(handler.ApiRequests.Single().Body, Is.EqualTo(
            $$"""{"allOrNone":false,"records":[{"attributes":{"type":"Lead"},"id":"{{LeadId(1)}}","OwnerId":"{{Queue}}","Status":"Working"}]}"""));
    }

    [Test]
    public async Task Records_locked_by_another_transaction_are_sent_again_alone()
    {
        var updates = Enumerable.Range(1, 5).Select(OwnerChange).ToList();
        var handler = new ScriptedHandler().Token()
            .Respond(Results(id => id == LeadId(2) || id == LeadId(4) ? "UNABLE_TO_LOCK_ROW" : null))
            .Respond(Results(id => id == LeadId(4) ? "UNABLE_TO_LOCK_ROW" : null))
            .Respond(Results(_ => null));
        var delays = new List<TimeSpan>();
        var client = Fakes.Client(handler, Fakes.PasswordOptions(), delays);

        var results = await client.UpdateRecordsAsync("Lead", updates);

        var sent = handler.ApiRequests.Select(r => JsonDocument.Parse(r.Body!).RootElement.GetProperty("records")
            .EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sent[1], Is.EqualTo(new[] { LeadId(2), LeadId(4) }));
            Assert.That(sent[2], Is.EqualTo(new[] { LeadId(4) }));
            Assert.That(results.Values, Has.All.Property(nameof(RecordSaveResult.Success)).True);
            Assert.That(delays, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task A_record_still_locked_after_the_retries_is_reported_not_thrown()
    {
        var handler = new ScriptedHandler().Token();
        for (var i = 0; i < 3; i++)
            handler.Respond(Results(id => id == LeadId(1) ? "UNABLE_TO_LOCK_ROW" : null));
        var client = Fakes.Client(handler, Fakes.PasswordOptions(maxRetries: 2), []);

        var results = await client.UpdateRecordsAsync("Lead", [OwnerChange(1), OwnerChange(2)]);

        Assert.Multiple(() =>
        {
            Assert.That(results[LeadId(1)].Success, Is.False);
            Assert.That(results[LeadId(1)].Errors.Single().StatusCode, Is.EqualTo("UNABLE_TO_LOCK_ROW"));
            Assert.That(results[LeadId(2)].Success, Is.True);
            Assert.That(handler.ApiRequests.Count(), Is.EqualTo(3));
        });
    }

    [Test]
    public void The_same_record_twice_in_one_update_is_refused()
    {
        var handler = new ScriptedHandler();
        var client = Fakes.Client(handler);

        var error = Assert.ThrowsAsync<ArgumentException>(() => client.UpdateRecordsAsync("Lead", [OwnerChange(1), new SObjectUpdate(LeadId(1)[..15], new Dictionary<string, object?> { ["Status"] = "x" })]))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain(LeadId(1)));
            Assert.That(handler.Requests, Is.Empty);
        });
    }

    [Test]
    public void A_result_count_that_does_not_match_is_an_error()
    {
        var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, """[{"id":"x","success":true,"errors":[]}]""");
        var client = Fakes.Client(handler);

        Assert.ThrowsAsync<InvalidOperationException>(() => client.UpdateRecordsAsync("Lead", [OwnerChange(1), OwnerChange(2)]));
    }
}

using System.Net;
using System.Net.Sockets;
using LeadRouter.Salesforce;

namespace LeadRouter.Tests.Salesforce;

public class SalesforceClientTests
{
    private const string LeadPath = "/services/data/v62.0/sobjects/Lead/00Q5e000000001AEAQ";
    private const string LeadJson = """{"attributes":{"type":"Lead"},"Id":"00Q5e000000001AEAQ","Status":"Open"}""";

    private sealed record LeadRow(string Id, string Status);

    private static SoqlQuery LeadQuery => Soql.Select("Id", "Status").From("Lead").Build();

    [Test]
    public async Task Signs_in_once_and_sends_the_bearer_token_to_the_instance()
    {
        var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, LeadJson).Reply(HttpStatusCode.OK, LeadJson);
        var client = Fakes.Client(handler);

        await client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ");
        await client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ");

        var api = handler.ApiRequests.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(handler.TokenRequests.Count(), Is.EqualTo(1));
            Assert.That(api.Select(r => r.Uri.ToString()), Is.All.EqualTo(Fakes.InstanceUrl + LeadPath));
            Assert.That(api.Select(r => r.Header("Authorization")), Is.All.EqualTo("Bearer " + Fakes.AccessToken));
        });
    }

    [Test]
    public async Task A_configured_instance_url_replaces_the_one_in_the_token()
    {
        var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, LeadJson);
        var client = Fakes.Client(handler, Fakes.PasswordOptions() with { InstanceUrl = new Uri("http://127.0.0.1:5080") });

        await client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ");

        Assert.That(handler.ApiRequests.Single().Uri.ToString(), Is.EqualTo("http://127.0.0.1:5080" + LeadPath));
    }

    [Test]
    public async Task An_expired_session_signs_in_again_and_replays_the_request_once()
    {
        var handler = new ScriptedHandler()
            .Token("old-token")
            .Reply(HttpStatusCode.Unauthorized, Fakes.Errors("INVALID_SESSION_ID", "Session expired or invalid"))
            .Token("new-token")
            .Reply(HttpStatusCode.OK, LeadJson);
        var client = Fakes.Client(handler);

        var lead = await client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ");

        var api = handler.ApiRequests.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(lead.Status, Is.EqualTo("Open"));
            Assert.That(handler.TokenRequests.Count(), Is.EqualTo(2));
            Assert.That(api.Select(r => r.Header("Authorization")), Is.EqualTo(new[] { "Bearer old-token", "Bearer new-token" }));
            Assert.That(api[1].PathAndQuery, Is.EqualTo(api[0].PathAndQuery));
        });
    }

    [Test]
    public void A_session_refused_again_after_signing_in_fails_without_looping()
    {
        var handler = new ScriptedHandler()
            .Token("old-token")
            .Reply(HttpStatusCode.Unauthorized, Fakes.Errors("INVALID_SESSION_ID"))
            .Token("new-token")
            .Reply(HttpStatusCode.Unauthorized, Fakes.Errors("INVALID_SESSION_ID"))
            .Token("never-used")
            .Reply(HttpStatusCode.OK, LeadJson);
        var client = Fakes.Client(handler);

        var error = Assert.ThrowsAsync<SalesforceApiException>(() => client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ"))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(error.HasErrorCode("INVALID_SESSION_ID"), Is.True);
            Assert.That(handler.TokenRequests.Count(), Is.EqualTo(2));
            Assert.That(handler.ApiRequests.Count(), Is.EqualTo(2));
            Assert.That(handler.Unused, Is.EqualTo(2));
        });
    }

    [Test]
    public void A_401_with_another_error_code_does_not_sign_in_again()
    {
        var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.Unauthorized, Fakes.Errors("INVALID_AUTH_HEADER"));
        var client = Fakes.Client(handler);

        var error = Assert.ThrowsAsync<SalesforceApiException>(() => client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ"))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Errors.Single().ErrorCode, Is.EqualTo("INVALID_AUTH_HEADER"));
            Assert.That(handler.TokenRequests.Count(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_503_is_retried_with_growing_jittered_delays()
    {
        var handler = new ScriptedHandler().Token()
            .Reply(HttpStatusCode.ServiceUnavailable, "")
            .Reply(HttpStatusCode.ServiceUnavailable, "")
            .Reply(HttpStatusCode.ServiceUnavailable, "")
            .Reply(HttpStatusCode.OK, LeadJson);
        var delays = new List<TimeSpan>();
        var client = Fakes.Client(handler, Fakes.PasswordOptions(maxRetries: 3), delays);

        var lead = await client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ");

        // Base 100 ms, doubling: retry n waits between half and all of 100·2^(n-1) ms.
        Assert.Multiple(() =>
        {
            Assert.That(lead.Id, Is.EqualTo("00Q5e000000001AEAQ"));
            Assert.That(delays, Has.Count.EqualTo(3));
            Assert.That(delays[0].TotalMilliseconds, Is.InRange(50, 100));
            Assert.That(delays[1].TotalMilliseconds, Is.InRange(100, 200));
            Assert.That(delays[2].TotalMilliseconds, Is.InRange(200, 400));
        });
    }

    [Test]
    public void Retries_stop_after_the_configured_count()
    {
        var handler = new ScriptedHandler().Token();
        for (var i = 0; i < 4; i++)
            handler.Reply(HttpStatusCode.ServiceUnavailable, "<html>down</html>");
        var delays = new List<TimeSpan>();
        var client = Fakes.Client(handler, Fakes.PasswordOptions(maxRetries: 3), delays);

        var error = Assert.ThrowsAsync<SalesforceApiException>(() => client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ"))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(error.Message, Does.Contain("GET " + LeadPath));
            Assert.That(handler.ApiRequests.Count(), Is.EqualTo(4));
            Assert.That(delays, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public void Delays_never_exceed_the_maximum()
    {
        var handler = new ScriptedHandler().Token();
        for (var i = 0; i < 11; i++)
            handler.Reply(HttpStatusCode.ServiceUnavailable, "");
        var delays = new List<TimeSpan>();
        var client = Fakes.Client(handler, Fakes.PasswordOptions(maxRetries: 10), delays);

        Assert.ThrowsAsync<SalesforceApiException>(() => client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ"));

        Assert.That(delays, Has.All.LessThanOrEqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task Retry_after_from_the_server_is_honoured_up_to_the_maximum()
    {
        var handler = new ScriptedHandler().Token()
            .Reply(HttpStatusCode.ServiceUnavailable, "", ("Retry-After", "1"))
            .Reply(HttpStatusCode.ServiceUnavailable, "", ("Retry-After", "3600"))
            .Reply(HttpStatusCode.OK, LeadJson);
        var delays = new List<TimeSpan>();
        var client = Fakes.Client(handler, Fakes.PasswordOptions(), delays);

        await client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ");

        Assert.That(delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) }));
    }

    [Test]
    public async Task Unable_to_lock_row_is_retried()
    {
        var handler = new ScriptedHandler().Token()
            .Reply(HttpStatusCode.BadRequest, Fakes.Errors("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record"))
            .NoContent();
        var delays = new List<TimeSpan>();
        var client = Fakes.Client(handler, Fakes.PasswordOptions(), delays);

        await client.UpdateRecordAsync("Lead", "00Q5e000000001AEAQ", new Dictionary<string, object?> { ["Status"] = "Working" });

        Assert.Multiple(() =>
        {
            Assert.That(handler.ApiRequests.Count(), Is.EqualTo(2));
            Assert.That(delays, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task A_connection_reset_and_a_timeout_are_retried_for_a_read()
    {
        var handler = new ScriptedHandler().Token()
            .Throw(new HttpRequestException(HttpRequestError.ConnectionError, "reset", new SocketException((int)SocketError.ConnectionReset)))
            .Throw(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout", new TimeoutException()))
            .Throw(new HttpRequestException("response ended", new IOException("The response ended prematurely.")))
            .Reply(HttpStatusCode.OK, LeadJson);
        var delays = new List<TimeSpan>();
        var client = Fakes.Client(handler, Fakes.PasswordOptions(), delays);

        var lead = await client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ");

        Assert.Multiple(() =>
        {
            Assert.That(lead.Status, Is.EqualTo("Open"));
            Assert.That(delays, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public void A_create_is_not_repeated_after_a_lost_connection()
    {
        var handler = new ScriptedHandler().Token()
            .Throw(new HttpRequestException(HttpRequestError.ConnectionError, "reset", new SocketException((int)SocketError.ConnectionReset)))
            .Reply(HttpStatusCode.Created, """{"id":"00T5e000000001AEAQ","success":true,"errors":[]}""");
        var client = Fakes.Client(handler);

        Assert.ThrowsAsync<HttpRequestException>(() => client.CreateRecordAsync("Task", new Dictionary<string, object?> { ["Subject"] = "Call" }));

        Assert.That(handler.ApiRequests.Count(), Is.EqualTo(1));
    }

    [Test]
    public void The_callers_cancellation_is_not_retried()
    {
        using var cancellation = new CancellationTokenSource();
        var handler = new ScriptedHandler().Token()
            .Respond(_ =>
            {
                cancellation.Cancel();
                throw new TaskCanceledException("cancelled by the caller");
            })
            .Reply(HttpStatusCode.OK, LeadJson);
        var client = Fakes.Client(handler);

        Assert.That(async () => await client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ", cancellationToken: cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(handler.ApiRequests.Count(), Is.EqualTo(1));
    }

    [Test]
    public void Request_limit_exceeded_stops_at_once()
    {
        var handler = new ScriptedHandler().Token()
            .Reply(HttpStatusCode.Forbidden, Fakes.Errors("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))
            .Reply(HttpStatusCode.OK, LeadJson);
        var delays = new List<TimeSpan>();
        var client = Fakes.Client(handler, Fakes.PasswordOptions(), delays);

        var error = Assert.ThrowsAsync<SalesforceRequestLimitExceededException>(() => client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ"))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(error.Message, Does.Contain("REQUEST_LIMIT_EXCEEDED").And.Contain("not retried"));
            Assert.That(handler.ApiRequests.Count(), Is.EqualTo(1));
            Assert.That(delays, Is.Empty);
        });
    }

    [Test]
    public void Every_error_of_the_array_is_kept_and_decisions_use_the_code()
    {
        // The message of a lock error varies; the code decides. Here the first entry is not a lock error.
        const string body = """
            [{"message":"unable to obtain exclusive access","errorCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","fields":["Status"]},
             {"message":"Rating: bad value","errorCode":"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST","fields":["Rating","Status"]}]
            """;
        var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.BadRequest, body);
        var delays = new List<TimeSpan>();
        var client = Fakes.Client(handler, Fakes.PasswordOptions(), delays);

        var error = Assert.ThrowsAsync<SalesforceApiException>(() =>
            client.UpdateRecordAsync("Lead", "00Q5e000000001AEAQ", new Dictionary<string, object?> { ["Rating"] = "Nope" }))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Errors.Select(e => e.ErrorCode), Is.EqualTo(new[] { "FIELD_CUSTOM_VALIDATION_EXCEPTION", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST" }));
            Assert.That(error.Errors[1].Fields, Is.EqualTo(new[] { "Rating", "Status" }));
            Assert.That(error.Message, Does.Contain("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST on Rating, Status"));
            Assert.That(delays, Is.Empty);
        });
    }

    [Test]
    public async Task Logs_tell_of_retries_and_sign_ins_without_any_secret()
    {
        var handler = new ScriptedHandler().Token()
            .Reply(HttpStatusCode.ServiceUnavailable, "")
            .Reply(HttpStatusCode.Unauthorized, Fakes.Errors("INVALID_SESSION_ID"))
            .Token("00Dtest!second-access-token")
            .Reply(HttpStatusCode.OK, LeadJson);
        var logger = new CapturingLogger();
        var client = Fakes.Client(handler, Fakes.PasswordOptions(), [], logger);

        await client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ");

        var log = string.Join("\n", logger.Lines);
        Assert.Multiple(() =>
        {
            Assert.That(log, Does.Contain("503").And.Contain("signing in again").And.Contain("GET " + LeadPath));
            foreach (var secret in new[] { Fakes.Password, Fakes.SecurityToken, Fakes.ClientSecret, Fakes.AccessToken, "second-access-token" })
                Assert.That(log, Does.Not.Contain(secret));
        });
    }

    [Test]
    public async Task Api_usage_is_read_from_every_response()
    {
        var handler = new ScriptedHandler().Token()
            .Reply(HttpStatusCode.OK, LeadJson, ("Sforce-Limit-Info", "api-usage=18/15000"))
            .Reply(HttpStatusCode.OK, LeadJson, ("Sforce-Limit-Info", "api-usage=19/15000, per-app-api-usage=3/250(appName=LeadRouter)"));
        var client = Fakes.Client(handler);

        Assert.That(client.LatestApiUsage, Is.Null);
        await client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ");
        var first = client.LatestApiUsage;
        await client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001AEAQ");

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new ApiUsage(18, 15000)));
            Assert.That(client.LatestApiUsage, Is.EqualTo(new ApiUsage(19, 15000)));
        });
    }

    [Test]
    public async Task Ids_of_15_characters_are_sent_as_18()
    {
        var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, LeadJson).NoContent();
        var client = Fakes.Client(handler);

        await client.GetRecordAsync<LeadRow>("Lead", "00Q5e000000001A", ["Id", "Status"]);
        await client.UpdateRecordAsync("Lead", "00Q5e000000001A", new Dictionary<string, object?> { ["Status"] = "Working" });

        var api = handler.ApiRequests.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(api[0].PathAndQuery, Is.EqualTo(LeadPath + "?fields=Id%2CStatus"));
            Assert.That(api[1].PathAndQuery, Is.EqualTo(LeadPath));
        });
    }

    [TestCase("00Q5e000000001")]
    [TestCase("00Q5e000000001AXXX")]
    [TestCase("00Q5e000000001A/../../x")]
    public void A_malformed_id_is_refused_before_any_call(string id)
    {
        var handler = new ScriptedHandler();
        var client = Fakes.Client(handler);

        Assert.ThrowsAsync<FormatException>(() => client.GetRecordAsync<LeadRow>("Lead", id));
        Assert.That(handler.Requests, Is.Empty);
    }

    [Test]
    public async Task Single_record_writes_send_json_and_suppress_assignment_rules()
    {
        var handler = new ScriptedHandler().Token()
            .NoContent()
            .Reply(HttpStatusCode.Created, """{"id":"00T5e000000001AEAQ","success":true,"errors":[]}""");
        var client = Fakes.Client(handler);

        await client.UpdateRecordAsync("Lead", "00Q5e000000001AEAQ", new Dictionary<string, object?>
        {
            ["OwnerId"] = "0055e000000001AAAQ",
            ["Rating"] = null,
            ["Follow_Up__c"] = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(1)),
        });
        var id = await client.CreateRecordAsync("Task", new Dictionary<string, object?> { ["Subject"] = "Call", ["ActivityDate"] = new DateOnly(2026, 11, 30) });

        var api = handler.ApiRequests.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(api[0].Method, Is.EqualTo(HttpMethod.Patch));
            Assert.That(api[0].Body, Is.EqualTo("""{"OwnerId":"0055e000000001AAAQ","Rating":null,"Follow_Up__c":"2026-11-23T09:00:00.000+0000"}"""));
            Assert.That(api[0].Header("Sforce-Auto-Assign"), Is.EqualTo("FALSE"));
            Assert.That(api[1].Method, Is.EqualTo(HttpMethod.Post));
            Assert.That(api[1].PathAndQuery, Is.EqualTo("/services/data/v62.0/sobjects/Task"));
            Assert.That(api[1].Body, Is.EqualTo("""{"Subject":"Call","ActivityDate":"2026-11-30"}"""));
            Assert.That(id, Is.EqualTo("00T5e000000001AEAQ"));
        });
    }

    [TestCase("Id")]
    [TestCase("attributes")]
    [TestCase("Owner.Name")]
    [TestCase("Status'; DROP")]
    public void A_field_that_cannot_be_written_is_refused_before_any_call(string field)
    {
        var handler = new ScriptedHandler();
        var client = Fakes.Client(handler);

        Assert.ThrowsAsync<ArgumentException>(() =>
            client.UpdateRecordAsync("Lead", "00Q5e000000001AEAQ", new Dictionary<string, object?> { [field] = "x" }));
        Assert.That(handler.Requests, Is.Empty);
    }

    [Test]
    public void An_object_name_is_validated_before_it_reaches_the_url()
    {
        var handler = new ScriptedHandler();
        var client = Fakes.Client(handler);

        Assert.ThrowsAsync<ArgumentException>(() => client.DescribeAsync("Lead/../../limits"));
        Assert.That(handler.Requests, Is.Empty);
    }
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadRouter.Salesforce;
using LeadRouter.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadRouter.Tests.Salesforce;

/// <summary>
/// Every recorded Salesforce response in ../shared/salesforce-samples (see SOURCES.md there) goes
/// through the client's own reading: success bodies into typed results, error bodies into the
/// exception they stand for. The files are read in place, never copied.
/// </summary>
public class RecordedSampleTests
{
    private sealed record NamedRef(string Name);

    private sealed record CaseRow(string Id, string CaseNumber, DateTimeOffset SystemModstamp, NamedRef? Account, NamedRef? Contact);

    private sealed record CreatorRef(string Name, CreatorRef? CreatedBy);

    private sealed record AccountRef(string Name, CreatorRef? CreatedBy);

    private sealed record ContactRow(string Id, string Name, AccountRef? Account);

    private sealed record ContactRoleRow(string Id, string ContactId, string? Role);

    private sealed record OpportunityRow(string Id, string Name, decimal? Amount, string StageName, ChildRecords<ContactRoleRow>? OpportunityContactRoles);

    private sealed record TaskGroupRow(string? WhatId, DateOnly? ActivityDate, string Status, int MyCount);

    private sealed record IdRow(string Id);

    private sealed record UserDetail(string Id, string Username, bool IsActive, DateTimeOffset? LastPasswordChangeDate, DateTimeOffset CreatedDate, DateTimeOffset? LastLoginDate);

    private static readonly IReadOnlyDictionary<string, Func<string, Task>> Checks = new Dictionary<string, Func<string, Task>>
    {
        ["oauth_token_response_password.json"] = async body =>
        {
            var token = await SignIn(body, Fakes.PasswordOptions());
            Assert.That(token.AccessToken, Does.StartWith("00Dx0000000BV7z!AR8AQAxo9UfVkh8AlV0Gomt9Czx9"));
            Assert.That(token.InstanceUrl, Is.EqualTo(new Uri("https://na1.salesforce.com")));
            Assert.That(token.IssuedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1278448832702)));
            Assert.That(token.IdentityUrl, Is.EqualTo("https://login.salesforce.com/id/00Dx0000000BV7z/005x00000012Q9P"));
            Assert.That(token.RefreshToken, Is.Null);
        },
        ["oauth_token_response_jwt_bearer.json"] = async body =>
        {
            var token = await SignIn(body, Fakes.PasswordOptions() with { AuthFlow = SalesforceAuthFlow.ClientCredentials });
            Assert.That(token.AccessToken, Is.EqualTo("12345"));
            Assert.That(token.TokenType, Is.EqualTo("Bearer"));
            Assert.That(token.Scope, Is.EqualTo("web api"));
            Assert.That(token.IssuedAt, Is.Null);
            Assert.That(token.InstanceUrl, Is.EqualTo(new Uri("https://na15.salesforce.com")));
        },
        ["oauth_token_refresh_response.json"] = async body =>
        {
            var token = await SignIn(body, Fakes.PasswordOptions() with { AuthFlow = SalesforceAuthFlow.RefreshToken, RefreshToken = Fakes.RefreshToken });
            Assert.That(token.AccessToken, Is.EqualTo("refreshed_access_token"));
            Assert.That(token.IssuedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1309974610026)));
            Assert.That(token.RefreshToken, Is.Null);
        },
        ["oauth_error_invalid_grant.json"] = body => SignInFails(body, "invalid_grant", "authentication failure - Invalid Password"),
        ["oauth_error_invalid_client_id.json"] = body => SignInFails(body, "invalid_client_id", "client identifier invalid"),

        ["query_page_first_with_next.json"] = async body =>
        {
            var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, body).Reply(HttpStatusCode.OK, Sample("query_page_last.json"));
            var rows = await Fakes.Client(handler).QueryAsync<IdRow>(Soql.Select("Id").From("Contact").Build()).ToListAsync();
            Assert.That(rows, Has.Count.EqualTo(400));
            Assert.That(rows, Has.All.Property(nameof(IdRow.Id)).EqualTo("003XXXXXXXXXXXXXXX"));
            Assert.That(handler.ApiRequests.Last().PathAndQuery, Is.EqualTo("/services/data/v57.0/query/01gC000006QJJ7fIAH-200"));
        },
        ["query_page_last.json"] = async body =>
        {
            var rows = await Query<IdRow>(body, "Contact", "Id");
            Assert.That(rows, Has.Count.EqualTo(200));
        },
        ["query_nested_relationship.json"] = async body =>
        {
            var row = (await Query<CaseRow>(body, "Case", "Id", "CaseNumber", "SystemModstamp", "Account.Name", "Contact.Name")).Single();
            Assert.That(row, Is.EqualTo(new CaseRow("500i000000171NZAAY", "00001000", new DateTimeOffset(2013, 4, 4, 20, 52, 22, TimeSpan.Zero),
                new NamedRef("Edge Communications"), new NamedRef("Rose Gonzalez"))));
        },
        ["query_nested_relationship_multilevel.json"] = async body =>
        {
            var rows = await Query<ContactRow>(body, "Contact", "Id", "Name", "Account.Name", "Account.CreatedBy.Name", "Account.CreatedBy.CreatedBy.Name");
            Assert.That(rows.Select(r => r.Name), Is.EqualTo(new[] { "Rose Gonzalez", "Sean Forbes" }));
            Assert.That(rows[0].Account?.CreatedBy?.CreatedBy?.Name, Is.EqualTo("Jamie Smith"));
        },
        ["query_child_subquery.json"] = async body =>
        {
            var row = (await Query<OpportunityRow>(body, "Opportunity", "Id", "Name", "Amount", "StageName")).Single();
            Assert.That(row.Amount, Is.EqualTo(50000.00m));
            Assert.That(row.OpportunityContactRoles!.TotalSize, Is.EqualTo(2));
            Assert.That(row.OpportunityContactRoles.Records.Select(r => r.Role), Is.EqualTo(new[] { "Decision Maker", "Influencer" }));
        },
        ["query_empty_result.json"] = async body =>
        {
            Assert.That(await Query<IdRow>(body, "Lead", "Id"), Is.Empty);
        },
        ["query_aggregate_tasks_grouped.json"] = async body =>
        {
            var rows = await Query<TaskGroupRow>(body, "Task", "WhatId", "ActivityDate", "Status");
            Assert.That(rows, Has.Count.EqualTo(7));
            Assert.That(rows.Sum(r => r.MyCount), Is.EqualTo(18));
            Assert.That(rows.Count(r => r.ActivityDate == new DateOnly(2017, 10, 15)), Is.EqualTo(3));
            Assert.That(rows[6], Is.EqualTo(new TaskGroupRow("500i0000001ruqeAAA", new DateOnly(2017, 10, 3), "Not Started", 1)));
        },

        ["error_invalid_session_id.json"] = async body =>
        {
            // Refused again after signing in once more: the error surfaces, with no third sign-in.
            var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.Unauthorized, body).Token().Reply(HttpStatusCode.Unauthorized, body);
            var error = await Fails<SalesforceApiException>(handler, HttpStatusCode.Unauthorized);
            Assert.That(error.Errors.Single(), Is.EqualTo(new SalesforceError("INVALID_SESSION_ID", "Session expired or invalid", [])).Using<SalesforceError>(SameError));
            Assert.That(handler.TokenRequests.Count(), Is.EqualTo(2));
        },
        ["error_malformed_query.json"] = body => FailsWith(body, HttpStatusCode.BadRequest, "MALFORMED_QUERY", "unexpected token: 'invalid'"),
        ["error_invalid_field.json"] = body => FailsWith(body, HttpStatusCode.BadRequest, "INVALID_FIELD", "No such column 'AccountNumber' on sobject of type Account"),
        ["error_invalid_type_with_position.json"] = async body =>
        {
            var error = await FailsWith(body, HttpStatusCode.BadRequest, "INVALID_TYPE", null);
            Assert.That(error.Errors.Single().Message, Does.Contain("ERROR at Row:1:Column:43").And.Contain("sObject type 'Accout' is not supported"));
        },
        ["error_entity_is_deleted.json"] = body => FailsWith(body, HttpStatusCode.NotFound, "ENTITY_IS_DELETED", "entity is deleted"),
        ["error_field_validation_with_fields.json"] = async body =>
        {
            var error = await FailsWith(body, HttpStatusCode.BadRequest, "INVALID_EMAIL_ADDRESS", "Email: invalid email address: not an email");
            Assert.That(error.Errors.Single().Fields, Is.EqualTo(new[] { "Email" }));
            Assert.That(error.Message, Does.Contain("INVALID_EMAIL_ADDRESS on Email"));
        },
        ["error_request_limit_exceeded.json"] = async body =>
        {
            var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.Forbidden, body);
            var error = await Fails<SalesforceRequestLimitExceededException>(handler, HttpStatusCode.Forbidden);
            Assert.That(error.Errors.Single().Message, Is.EqualTo("TotalRequests Limit exceeded."));
            Assert.That(handler.ApiRequests.Count(), Is.EqualTo(1));
        },
        ["error_unable_to_lock_row.json"] = async body =>
        {
            var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.BadRequest, body).Reply(HttpStatusCode.BadRequest, body).Reply(HttpStatusCode.BadRequest, body);
            var error = await Fails<SalesforceApiException>(handler, HttpStatusCode.BadRequest, maxRetries: 2);
            Assert.That(error.HasErrorCode("UNABLE_TO_LOCK_ROW"), Is.True);
            Assert.That(handler.ApiRequests.Count(), Is.EqualTo(3), "the first try and two retries");
        },

        ["composite_sobjects_update_request.json"] = async body =>
        {
            // The client writes the same records the same way; it always asks for partial success.
            var sample = JsonNode.Parse(body)!.AsObject();
            var updates = sample["records"]!.AsArray().Select(r => new SObjectUpdate(
                r!["id"]!.GetValue<string>(),
                new Dictionary<string, object?> { ["FirstName"] = r["FirstName"]!.GetValue<string>(), ["LastName"] = r["LastName"]!.GetValue<string>() })).ToList();
            var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, Sample("composite_sobjects_update_response_mixed.json"));
            await Fakes.Client(handler).UpdateRecordsAsync("Contact", updates);
            var sent = JsonNode.Parse(handler.ApiRequests.Single().Body!)!.AsObject();
            Assert.That(sent["allOrNone"]!.GetValue<bool>(), Is.False);
            Assert.That(JsonNode.DeepEquals(sent["records"], sample["records"]), Is.True, sent.ToJsonString());
        },
        ["composite_sobjects_update_response_mixed.json"] = async body =>
        {
            var results = await UpdateTwoContacts(body);
            Assert.That(results["003ak00000jvIfpAAE"], Is.EqualTo(new RecordSaveResult("003ak00000jvIfpAAE", true, [])).Using<RecordSaveResult>(SameSaveResult));
            Assert.That(results["003ak00000jvIfqAAE"].Success, Is.False);
            Assert.That(results["003ak00000jvIfqAAE"].Errors.Single(), Is.EqualTo(new RecordError("MISSING_ARGUMENT", "Id not specified in an update call", [])).Using<RecordError>(SameRecordError));
        },
        ["composite_sobjects_update_response_allornone_rollback.json"] = async body =>
        {
            var results = await UpdateTwoContacts(body);
            Assert.That(results["003ak00000jvIfpAAE"].Errors.Single().StatusCode, Is.EqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK"));
            Assert.That(results["003ak00000jvIfqAAE"].Errors.Single().StatusCode, Is.EqualTo("INVALID_FIELD"));
            Assert.That(results.Values, Has.None.Property(nameof(RecordSaveResult.Success)).True);
        },

        ["limits.json"] = async body =>
        {
            var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, body);
            var limits = await Fakes.Client(handler).GetLimitsAsync();
            Assert.That(limits.DailyApiRequests, Is.EqualTo(new OrgLimit("DailyApiRequests", 15000, 14953)));
            Assert.That(limits.DailyApiRequests.Used, Is.EqualTo(47));
            Assert.That(limits.ByName, Has.Count.GreaterThan(20));
        },
        ["sobject_describe_account.json"] = async body =>
        {
            var describe = await Describe(body, "Account");
            Assert.That((describe.Name, describe.KeyPrefix, describe.Fields.Count), Is.EqualTo(("Account", "001", 71)));
            Assert.That(describe.FindField("Id")!.Type, Is.EqualTo("id"));
            Assert.That(describe.FindField("OwnerId")!.ReferenceTo, Is.EqualTo(new[] { "User" }));
        },
        ["sobject_describe_user.json"] = async body =>
        {
            var describe = await Describe(body, "User");
            Assert.That((describe.Name, describe.KeyPrefix, describe.Fields.Count), Is.EqualTo(("User", "005", 103)));
            Assert.That(describe.FindField("ManagerId")!.Type, Is.EqualTo("reference"));
            Assert.That(describe.FindField("ManagerId")!.RelationshipName, Is.EqualTo("Manager"));
            Assert.That(describe.FindField("IsActive")!.Type, Is.EqualTo("boolean"));
        },
        ["sobject_get_user.json"] = async body =>
        {
            var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, body).Reply(HttpStatusCode.OK, body);
            var client = Fakes.Client(handler);
            // Straight into the engine's own snapshot record, and into a detail view with datetimes.
            var user = await client.GetRecordAsync<LeadRouter.Org.User>("User", "005i0000008yJDWAA2");
            var detail = await client.GetRecordAsync<UserDetail>("User", "005i0000008yJDW");
            Assert.That(user, Is.EqualTo(new LeadRouter.Org.User("005i0000008yJDWAA2", "John Doe", "johndoetest999@example.com", "johndoe@example.com",
                true, null, null, "US", "America/Panama")));
            Assert.That(detail.CreatedDate, Is.EqualTo(new DateTimeOffset(2017, 4, 25, 15, 20, 59, TimeSpan.Zero)));
            Assert.That(detail.LastLoginDate, Is.Null);
        },
    };

    private static IEnumerable<TestCaseData> SampleFiles() =>
        Checks.Keys.Order(StringComparer.Ordinal).Select(name => new TestCaseData(name).SetName($"Sample {name}"));

    [TestCaseSource(nameof(SampleFiles))]
    public async Task Each_recorded_sample_is_read_by_the_client(string file)
    {
        await Checks[file](Sample(file));
    }

    [Test]
    public void Every_sample_file_has_a_case()
    {
        var present = Directory.EnumerateFiles(SamplesFolder(), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.That(present.Except(Checks.Keys), Is.Empty, "sample files with no test case");
        Assert.That(Checks.Keys.Except(present), Is.Empty, "test cases whose sample file is gone");
    }

    private static string SamplesFolder()
    {
        var folder = RepoPaths.SalesforceSamples;
        if (!Directory.Exists(folder))
            Assert.Ignore($"The recorded Salesforce samples are not at {folder}.");
        return folder;
    }

    private static string Sample(string file) => File.ReadAllText(Path.Combine(SamplesFolder(), file));

    private static async Task<SalesforceToken> SignIn(string body, SalesforceOptions options)
    {
        var handler = new ScriptedHandler().Reply(HttpStatusCode.OK, body);
        return await new SalesforceAuthenticator(new HttpClient(handler), options, new FixedTimeProvider(Fakes.Now), NullLogger.Instance).AuthenticateAsync();
    }

    private static Task SignInFails(string body, string error, string description)
    {
        var handler = new ScriptedHandler().Reply(HttpStatusCode.BadRequest, body);
        var authenticator = new SalesforceAuthenticator(new HttpClient(handler), Fakes.PasswordOptions(), new FixedTimeProvider(Fakes.Now), NullLogger.Instance);
        var failure = Assert.ThrowsAsync<SalesforceAuthException>(() => authenticator.AuthenticateAsync())!;
        Assert.That((failure.Status, failure.Error, failure.Description), Is.EqualTo(((HttpStatusCode?)HttpStatusCode.BadRequest, error, description)));
        Assert.That(failure.Message, Does.Not.Contain(Fakes.Password));
        return Task.CompletedTask;
    }

    private static async Task<List<T>> Query<T>(string body, string objectName, params string[] fields)
    {
        var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, body);
        return await Fakes.Client(handler).QueryAsync<T>(Soql.Select(fields).From(objectName).Build()).ToListAsync();
    }

    private static async Task<SObjectDescribe> Describe(string body, string objectName)
    {
        var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, body);
        return await Fakes.Client(handler).DescribeAsync(objectName);
    }

    private static Task<IReadOnlyDictionary<string, RecordSaveResult>> UpdateTwoContacts(string body)
    {
        var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, body);
        return Fakes.Client(handler).UpdateRecordsAsync("Contact",
        [
            new SObjectUpdate("003ak00000jvIfpAAE", new Dictionary<string, object?> { ["LastName"] = "Dyer" }),
            new SObjectUpdate("003ak00000jvIfqAAE", new Dictionary<string, object?> { ["LastName"] = "Blevins" }),
        ]);
    }

    /// <summary>Runs a query against a scripted error and returns the exception it raised.</summary>
    private static async Task<TException> Fails<TException>(ScriptedHandler handler, HttpStatusCode status, int maxRetries = 3)
        where TException : SalesforceApiException
    {
        var client = Fakes.Client(handler, Fakes.PasswordOptions(maxRetries), []);
        var query = Soql.Select("Id").From("Account").Build();
        TException? caught = null;
        try
        {
            await client.QueryAsync<IdRow>(query).ToListAsync();
        }
        catch (TException e)
        {
            caught = e;
        }
        Assert.That(caught, Is.Not.Null, $"expected {typeof(TException).Name}");
        Assert.That(caught!.GetType(), Is.EqualTo(typeof(TException)));
        Assert.That(caught.Status, Is.EqualTo(status));
        return caught;
    }

    private static async Task<SalesforceApiException> FailsWith(string body, HttpStatusCode status, string errorCode, string? message)
    {
        var handler = new ScriptedHandler().Token().Reply(status, body);
        var error = await Fails<SalesforceApiException>(handler, status);
        Assert.That(error.Errors.Select(e => e.ErrorCode), Is.EqualTo(new[] { errorCode }));
        if (message is not null)
            Assert.That(error.Errors.Single().Message, Is.EqualTo(message));
        Assert.That(handler.ApiRequests.Count(), Is.EqualTo(1), "not a transient error: no retry");
        return error;
    }

    // Records holding lists compare lists by reference; these compare them by content.
    private static bool SameError(SalesforceError a, SalesforceError b) =>
        a.ErrorCode == b.ErrorCode && a.Message == b.Message && a.Fields.SequenceEqual(b.Fields);

    private static bool SameRecordError(RecordError a, RecordError b) =>
        a.StatusCode == b.StatusCode && a.Message == b.Message && a.Fields.SequenceEqual(b.Fields);

    private static bool SameSaveResult(RecordSaveResult a, RecordSaveResult b) =>
        a.Id == b.Id && a.Success == b.Success && a.Errors.SequenceEqual(b.Errors);
}

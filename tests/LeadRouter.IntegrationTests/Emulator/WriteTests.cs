using System.Text.Json;

namespace LeadRouter.IntegrationTests.Emulator;

public sealed class WriteTests
{
    private static readonly string NewOwner = TestOrg.UserId;

    [Test]
    public async Task Patch_updates_a_record_and_records_the_auto_assign_header()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(3));
        var id = TestOrg.LeadId(2);

        var patch = await emulator.SendJsonAsync(HttpMethod.Patch, $"sobjects/Lead/{id}", new { Status = "Working - Contacted" }, autoAssign: "FALSE");
        var read = await emulator.GetAsync($"sobjects/Lead/{id}");
        var someFields = await emulator.GetAsync($"sobjects/Lead/{id}?fields=Status,Company");

        Assert.Multiple(() =>
        {
            Assert.That(patch.StatusCode, Is.EqualTo(204));
            Assert.That(read.StatusCode, Is.EqualTo(200));
            Assert.That(read.Body.GetProperty("Status").GetString(), Is.EqualTo("Working - Contacted"));
            Assert.That(read.Body.GetProperty("attributes").GetProperty("type").GetString(), Is.EqualTo("Lead"));
            Assert.That(read.Body.GetProperty("attributes").GetProperty("url").GetString(),
                Is.EqualTo($"/services/data/{EmulatorClient.Version}/sobjects/Lead/{id}"));
            Assert.That(someFields.Body.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "attributes", "Status", "Company" }));
            var write = emulator.Host.Writes.Single();
            Assert.That((write.Operation, write.ObjectName, write.Id, write.AutoAssign), Is.EqualTo(("update", "Lead", id, "FALSE")));
            Assert.That(write.Fields["Status"], Is.EqualTo("Working - Contacted"));
        });
    }

    [Test]
    public async Task Bad_writes_name_the_field_and_change_nothing()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1));
        var id = TestOrg.LeadId(1);

        var unknownField = await emulator.SendJsonAsync(HttpMethod.Patch, $"sobjects/Lead/{id}", new { Status = "Working", Colour = "red" });
        var readOnly = await emulator.SendJsonAsync(HttpMethod.Patch, $"sobjects/Lead/{id}", new { IsDeleted = true });
        var wrongType = await emulator.SendJsonAsync(HttpMethod.Patch, $"sobjects/Lead/{id}", new { NumberOfEmployees = "lots" });
        var badId = await emulator.SendJsonAsync(HttpMethod.Patch, "sobjects/Lead/001000000000001", new { Status = "Working" });
        var badJson = await emulator.SendJsonAsync(HttpMethod.Patch, $"sobjects/Lead/{id}", "{ not json");
        var unknownType = await emulator.GetAsync($"sobjects/Nope__c/{id}");
        var read = await emulator.GetAsync($"sobjects/Lead/{id}");

        Assert.Multiple(() =>
        {
            Assert.That(unknownField.StatusCode, Is.EqualTo(400));
            Assert.That(unknownField.ErrorCode, Is.EqualTo("INVALID_FIELD"));
            Assert.That(unknownField.Body[0].GetProperty("message").GetString(), Is.EqualTo("No such column 'Colour' on sobject of type Lead"));
            Assert.That(readOnly.ErrorCode, Is.EqualTo("INVALID_FIELD_FOR_INSERT_UPDATE"));
            Assert.That(readOnly.Body[0].GetProperty("fields")[0].GetString(), Is.EqualTo("IsDeleted"));
            Assert.That(wrongType.ErrorCode, Is.EqualTo("INVALID_TYPE_ON_FIELD_IN_RECORD"));
            Assert.That(wrongType.Body[0].GetProperty("fields")[0].GetString(), Is.EqualTo("NumberOfEmployees"));
            Assert.That(badId.ErrorCode, Is.EqualTo("MALFORMED_ID"));
            Assert.That(badJson.ErrorCode, Is.EqualTo("JSON_PARSER_ERROR"));
            Assert.That(unknownType.StatusCode, Is.EqualTo(404));
            Assert.That(read.Body.GetProperty("Status").GetString(), Is.EqualTo("Open - Not Contacted"));
            Assert.That(emulator.Host.Writes, Is.Empty);
        });
    }

    [Test]
    public async Task A_created_record_is_owned_and_created_by_the_session_user_as_in_Salesforce()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1));

        var created = await emulator.SendJsonAsync(HttpMethod.Post, "sobjects/Task",
            new { Subject = "Call back", Status = "Not Started" });
        var id = created.Body.GetProperty("id").GetString()!;
        var task = emulator.Host.Store.Get("Task", id)!;

        Assert.That(created.StatusCode, Is.EqualTo(201));
        Assert.That(task["OwnerId"], Is.EqualTo(TestOrg.UserId));
        Assert.That(task["CreatedById"], Is.EqualTo(TestOrg.UserId));
    }

    [Test]
    public async Task Create_then_delete_leaves_a_row_only_queryAll_sees()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1));

        var created = await emulator.SendJsonAsync(HttpMethod.Post, "sobjects/Lead",
            new { LastName = "Okafor", Company = "Acme", Status = "Open - Not Contacted", OwnerId = NewOwner }, autoAssign: "TRUE");
        var id = created.Body.GetProperty("id").GetString()!;
        var deleted = await emulator.SendJsonAsync(HttpMethod.Delete, $"sobjects/Lead/{id}", new { });
        var read = await emulator.GetAsync($"sobjects/Lead/{id}");
        var all = await emulator.QueryAsync($"SELECT Id, IsDeleted FROM Lead WHERE Id = '{id}'", all: true);

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(201));
            Assert.That(created.Body.GetProperty("success").GetBoolean(), Is.True);
            Assert.That(created.Body.GetProperty("errors").GetArrayLength(), Is.Zero);
            Assert.That(id, Does.StartWith("00Q").And.Length.EqualTo(18));
            Assert.That(deleted.StatusCode, Is.EqualTo(204));
            Assert.That(read.StatusCode, Is.EqualTo(404));
            Assert.That(read.ErrorCode, Is.EqualTo("NOT_FOUND"));
            Assert.That(all.Body.GetProperty("records")[0].GetProperty("IsDeleted").GetBoolean(), Is.True);
            Assert.That(emulator.Host.Writes.Select(w => (w.Operation, w.AutoAssign)), Is.EqualTo(new[] { ("insert", "TRUE"), ("delete", (string?)null) }));
        });
    }

    [Test]
    public async Task Collection_update_without_all_or_none_reports_each_record()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(5, deleted: 1));

        var reply = await emulator.SendJsonAsync(HttpMethod.Patch, "composite/sobjects", new
        {
            allOrNone = false,
            records = new object[]
            {
                new Dictionary<string, object> { ["attributes"] = new { type = "Lead" }, ["id"] = TestOrg.LeadId(2), ["Status"] = "Working" },
                new Dictionary<string, object> { ["attributes"] = new { type = "Lead" }, ["Status"] = "Working" },
                new Dictionary<string, object> { ["attributes"] = new { type = "Lead" }, ["id"] = TestOrg.LeadId(3), ["Colour"] = "red" },
                new Dictionary<string, object> { ["attributes"] = new { type = "Lead" }, ["id"] = TestOrg.LeadId(4), ["Status"] = "Working" },
            },
        }, autoAssign: "FALSE");

        Assert.That(reply.StatusCode, Is.EqualTo(200));
        var results = reply.Body.EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.GetProperty("success").GetBoolean()), Is.EqualTo(new[] { true, false, false, true }));
            Assert.That(results[0].GetProperty("id").GetString(), Is.EqualTo(TestOrg.LeadId(2)));
            Assert.That(results[1].GetProperty("errors")[0].GetProperty("statusCode").GetString(), Is.EqualTo("MISSING_ARGUMENT"));
            Assert.That(results[2].GetProperty("errors")[0].GetProperty("statusCode").GetString(), Is.EqualTo("INVALID_FIELD"));
            Assert.That(emulator.Host.Writes.Select(w => w.Id), Is.EqualTo(new[] { TestOrg.LeadId(2), TestOrg.LeadId(4) }));
            Assert.That(emulator.Host.Writes.Select(w => w.AutoAssign), Is.All.EqualTo("FALSE"));
        });
        // The recorded mixed response: a saved record, then one without an id.
        var recorded = Samples.Read("composite_sobjects_update_response_mixed.json");
        Assert.That(JsonElement.DeepEquals(results[1], recorded[1]), Is.True, $"{results[1]} vs recorded {recorded[1]}");
        Assert.That(results[0].EnumerateObject().Select(p => p.Name), Is.EqualTo(recorded[0].EnumerateObject().Select(p => p.Name)));
    }

    [Test]
    public async Task Collection_update_with_all_or_none_rolls_every_record_back_when_one_fails()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(3, deleted: 1));

        var badField = await emulator.SendJsonAsync(HttpMethod.Patch, "composite/sobjects", new
        {
            allOrNone = true,
            records = new object[]
            {
                new Dictionary<string, object> { ["attributes"] = new { type = "Lead" }, ["id"] = TestOrg.LeadId(2), ["Status"] = "Working" },
                new Dictionary<string, object> { ["attributes"] = new { type = "Lead" }, ["id"] = TestOrg.LeadId(3), ["unknownField_LastName"] = "x" },
            },
        });
        var deletedRecord = await emulator.SendJsonAsync(HttpMethod.Patch, "composite/sobjects", new
        {
            allOrNone = true,
            records = new object[]
            {
                new Dictionary<string, object> { ["attributes"] = new { type = "Lead" }, ["id"] = TestOrg.LeadId(2), ["Status"] = "Working" },
                new Dictionary<string, object> { ["attributes"] = new { type = "Lead" }, ["id"] = TestOrg.LeadId(1), ["Status"] = "Working" },
            },
        });
        var lead2 = await emulator.GetAsync($"sobjects/Lead/{TestOrg.LeadId(2)}");

        Assert.Multiple(() =>
        {
            var codes = badField.Body.EnumerateArray().Select(r => r.GetProperty("errors")[0].GetProperty("statusCode").GetString());
            Assert.That(codes, Is.EqualTo(new[] { "ALL_OR_NONE_OPERATION_ROLLED_BACK", "INVALID_FIELD" }));
            Assert.That(deletedRecord.Body[0].GetProperty("errors")[0].GetProperty("statusCode").GetString(), Is.EqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK"));
            Assert.That(deletedRecord.Body[1].GetProperty("success").GetBoolean(), Is.False);
            Assert.That(lead2.Body.GetProperty("Status").GetString(), Is.EqualTo("Open - Not Contacted"), "nothing was saved");
            Assert.That(emulator.Host.Writes, Is.Empty);
        });
        var recorded = Samples.Read("composite_sobjects_update_response_allornone_rollback.json");
        Assert.That(badField.Body[0].GetProperty("errors")[0].GetProperty("message").GetString(),
            Is.EqualTo(recorded[0].GetProperty("errors")[0].GetProperty("message").GetString()));
    }

    [Test]
    public async Task Collection_of_more_than_200_records_is_refused()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1));
        var records = Enumerable.Range(1, 201)
            .Select(n => new Dictionary<string, object> { ["attributes"] = new { type = "Lead" }, ["id"] = TestOrg.LeadId(n), ["Status"] = "Working" })
            .ToArray();

        var reply = await emulator.SendJsonAsync(HttpMethod.Patch, "composite/sobjects", new { records });

        Assert.That(reply.StatusCode, Is.EqualTo(400));
        Assert.That(reply.ErrorCode, Is.EqualTo("EXCEEDED_ID_LIMIT"));
    }
}

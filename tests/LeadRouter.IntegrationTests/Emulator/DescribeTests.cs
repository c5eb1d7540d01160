namespace LeadRouter.IntegrationTests.Emulator;

public sealed class DescribeTests
{
    [Test]
    public async Task Describe_lists_fields_with_types_and_lookups_in_salesforce_keys()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1));

        var lead = await emulator.GetAsync("sobjects/Lead/describe");
        var lowerCase = await emulator.GetAsync("sobjects/lead/describe");
        var unknown = await emulator.GetAsync("sobjects/Nope__c/describe");
        var global = await emulator.GetAsync("sobjects");
        var basicInfo = await emulator.GetAsync("sobjects/Lead");

        Assert.That(lead.StatusCode, Is.EqualTo(200));
        var fields = lead.Body.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(lead.Body.GetProperty("name").GetString(), Is.EqualTo("Lead"));
            Assert.That(lead.Body.GetProperty("keyPrefix").GetString(), Is.EqualTo("00Q"));
            Assert.That(lead.Body.GetProperty("urls").GetProperty("describe").GetString(),
                Is.EqualTo($"/services/data/{EmulatorClient.Version}/sobjects/Lead/describe"));
            Assert.That(fields["Id"].GetProperty("type").GetString(), Is.EqualTo("id"));
            Assert.That(fields["OwnerId"].GetProperty("type").GetString(), Is.EqualTo("reference"));
            Assert.That(fields["OwnerId"].GetProperty("referenceTo").EnumerateArray().Select(t => t.GetString()), Does.Contain("User"));
            Assert.That(fields["IsDeleted"].GetProperty("updateable").GetBoolean(), Is.False);
            Assert.That(fields["Status"].GetProperty("updateable").GetBoolean(), Is.True);
            Assert.That(lowerCase.Body.GetProperty("name").GetString(), Is.EqualTo("Lead"), "type names match case-insensitively");
            Assert.That(unknown.StatusCode, Is.EqualTo(404));
            Assert.That(unknown.ErrorCode, Is.EqualTo("NOT_FOUND"));
            Assert.That(basicInfo.Body.GetProperty("objectDescribe").GetProperty("keyPrefix").GetString(), Is.EqualTo("00Q"));
            Assert.That(global.Body.GetProperty("sobjects").EnumerateArray().Select(o => o.GetProperty("name").GetString()),
                Is.SupersetOf(new[] { "Lead", "User" }));
        });
        // Every field key the emulator writes is one real Salesforce describe results carry.
        var recordedField = Samples.Read("sobject_describe_account.json").GetProperty("fields")[0];
        var recordedKeys = recordedField.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.That(fields["Id"].EnumerateObject().Select(p => p.Name), Is.SubsetOf(recordedKeys));
    }
}

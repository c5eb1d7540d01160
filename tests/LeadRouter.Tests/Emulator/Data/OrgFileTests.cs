using System.Text;
using System.Text.Json;
using LeadRouter.Org;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.Tests.Emulator.Data;

public class OrgFileTests
{
    private static readonly string Rep = SalesforceId.Create("005", 1);
    private static readonly string Queue = SalesforceId.Create("00G", 1);
    private static readonly string Lead = SalesforceId.Create("00Q", 1);
    private static readonly string Opportunity = SalesforceId.Create("006", 1);

    private static readonly string ValidFile = $$"""
        {
          "User": [
            {"attributes": {"type": "User", "url": "/services/data/v62.0/sobjects/User/{{Rep}}"},
             "Id": "{{Rep}}", "Name": "Ann Rep", "LastName": "Rep", "Username": "ann@example.com", "IsActive": true,
             "TimeZoneSidKey": "America/Los_Angeles", "CreatedDate": "2025-01-06T09:00:00.000+0000",
             "SystemModstamp": "2026-02-01T10:15:30.123+0000"}
          ],
          "Group": [ {"Id": "{{Queue[..15]}}", "Name": "Inbound", "DeveloperName": "Inbound", "Type": "Queue"} ],
          "Lead": [
            {"Id": "{{Lead}}", "OwnerId": "{{Queue}}", "Company": "Acme", "LastName": "Ng", "AnnualRevenue": 1250000.50,
             "NumberOfEmployees": 40, "IsConverted": false, "CreatedDate": "2026-02-02T08:00:00+01:00",
             "Segment__c": "Enterprise", "Priority__c": 3, "Strategic__c": true, "Renewal__c": "2026-06-30"}
          ],
          "Opportunity": [
            {"Id": "{{Opportunity}}", "OwnerId": "{{Rep}}", "Name": "Acme deal", "StageName": "Negotiation",
             "CloseDate": "2026-03-31", "NextStepDate__c": null, "Amount": 50000.00, "IsDeleted": true}
          ]
        }
        """;

    [Test]
    public void LoadReadsRestShapedRecordsWithSalesforceFormats()
    {
        var store = Load(ValidFile);

        var user = store.Get("User", Rep)!;
        var lead = store.Get("Lead", Lead)!;
        Assert.Multiple(() =>
        {
            Assert.That(user["Name"], Is.EqualTo("Ann Rep"));
            Assert.That(user["SystemModstamp"], Is.EqualTo(new DateTimeOffset(2026, 2, 1, 10, 15, 30, 123, TimeSpan.Zero)));
            Assert.That(store.Get("Group", Queue)!["Id"], Is.EqualTo(Queue), "15-character ids are stored in 18");
            Assert.That(lead["CreatedDate"], Is.EqualTo(new DateTimeOffset(2026, 2, 2, 7, 0, 0, TimeSpan.Zero)));
            Assert.That(lead["AnnualRevenue"], Is.EqualTo(1250000.50m));
            Assert.That(lead["NumberOfEmployees"], Is.EqualTo(40));
            Assert.That(lead["Segment__c"], Is.EqualTo("Enterprise"));
            Assert.That(lead["Priority__c"], Is.EqualTo(3m));
            Assert.That(lead["Strategic__c"], Is.EqualTo(true));
            Assert.That(lead["Renewal__c"], Is.EqualTo(new DateOnly(2026, 6, 30)));
            Assert.That(store.Get("Opportunity", Opportunity), Is.Null, "deleted in the file");
            Assert.That(store.GetIncludingDeleted("Opportunity", Opportunity)!["CloseDate"], Is.EqualTo(new DateOnly(2026, 3, 31)));
        });
        var custom = store.Describe("Lead")!.Fields.Where(f => f.Name.EndsWith("__c", StringComparison.Ordinal)).ToDictionary(f => f.Name, f => f.Type);
        Assert.That(custom, Is.EqualTo(new Dictionary<string, string>
        {
            // Segment__c is one of the emulated org's own custom fields; the others are inferred from their values.
            ["Segment__c"] = "picklist", ["Priority__c"] = "double", ["Strategic__c"] = "boolean", ["Renewal__c"] = "date",
        }));
    }

    [Test]
    public void SaveThenLoadGivesTheSameOrg()
    {
        var store = Load(ValidFile);
        store.Update("Lead", Lead, new Dictionary<string, object?> { ["Rating"] = "Hot" });

        var saved = Save(store);
        var reloaded = Load(saved);

        foreach (var (type, id) in new[] { ("User", Rep), ("Group", Queue), ("Lead", Lead), ("Opportunity", Opportunity) })
            Assert.That(reloaded.GetIncludingDeleted(type, id), Is.EqualTo(store.GetIncludingDeleted(type, id)), type);
        Assert.That(Save(reloaded), Is.EqualTo(saved), "saving is deterministic");
        Assert.That(saved, Does.Contain("\"SystemModstamp\":\"2026-02-01T10:15:30.123+0000\""));
        Assert.That(saved, Does.Contain("\"CloseDate\":\"2026-03-31\""));
    }

    [Test]
    public void AnEmptyOrgRoundTrips()
    {
        var reloaded = Load(Save(new OrgStore()));

        Assert.That(reloaded.ObjectNames, Is.EquivalentTo(new OrgStore().ObjectNames));
    }

    [Test]
    public void LargeFilesStreamAcrossBufferBoundaries()
    {
        var records = Enumerable.Range(1, 5_000).Select(i => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["Id"] = SalesforceId.Create("00T", i),
            ["Subject"] = $"Call {i} \u00e9\u00e8 \"quoted\"",
            ["OwnerId"] = Rep,
            ["ActivityDate"] = new DateOnly(2026, 1, 1).AddDays(i % 60),
            ["SystemModstamp"] = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i),
        }).ToList();
        var store = OrgStore.Create(new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>> { ["Task"] = records });

        var reloaded = Load(Save(store));

        var last = reloaded.Get("Task", SalesforceId.Create("00T", 5_000))!;
        Assert.That(last["Subject"], Is.EqualTo("Call 5000 \u00e9\u00e8 \"quoted\""));
        Assert.That(last["SystemModstamp"], Is.EqualTo(new DateTimeOffset(2026, 1, 1, 1, 23, 20, TimeSpan.Zero)));
    }

    [TestCase("Lead", 1, "AnnualRevenue", "\"lots\"", "value not of required type: lots")]
    [TestCase("Lead", 1, "CreatedDate", "\"yesterday\"", "datetime")]
    [TestCase("Lead", 1, "IsConverted", "\"maybe\"", "boolean")]
    [TestCase("Lead", 1, "Colour", "\"red\"", "no such field on Lead")]
    [TestCase("Lead", 1, "OwnerId", "\"001000000000001\"", "is not a User or Group id")]
    [TestCase("Lead", 1, "Id", "\"003000000000001\"", "key prefix 00Q")]
    [TestCase("Lead", 1, "Owner", "{\"Name\": \"x\"}", "nested values are not supported")]
    [TestCase("Lead", 1, "ConvertedDate", "\"31/12/2026\"", "Cannot deserialize instance of date")]
    [TestCase("Lead", 1, "NumberOfEmployees", "12.5", "value not of required type: 12.5")]
    [TestCase("Lead", 1, "ConvertedAccountId", "\"not-an-id\"", "id value of incorrect type")]
    [TestCase("Lead", 1, "AnnualRevenue", "1e400", "value not of required type")]
    public void ABadRecordIsReportedByObjectIndexAndField(string type, int index, string field, string json, string problem)
    {
        var file = $$"""
            {"Lead": [
              {"Id": "{{Lead}}", "Company": "Fine"},
              {"Id": "{{SalesforceId.Create("00Q", 2)}}", "Company": "Broken", "{{field}}": {{json}}}
            ]}
            """;

        var error = Assert.Throws<OrgDataException>(() => Load(file))!;

        Assert.That((error.ObjectName, error.RecordIndex, error.Field), Is.EqualTo((type, index, field)));
        Assert.That(error.Message, Does.StartWith($"{type}[{index}].{field}: "));
        Assert.That(error.Message, Does.Contain(problem));
        Assert.That(error.Message, Does.Not.Contain('\n'), "one line");
    }

    [Test]
    public void ACustomFieldWhoseValuesDisagreeIsReportedAtTheFirstDisagreement()
    {
        var file = $$"""
            {"Lead": [
              {"Id": "{{Lead}}", "Score__c": 10},
              {"Id": "{{SalesforceId.Create("00Q", 2)}}", "Score__c": 12},
              {"Id": "{{SalesforceId.Create("00Q", 3)}}", "Score__c": "high"}
            ]}
            """;

        var error = Assert.Throws<OrgDataException>(() => Load(file))!;

        Assert.That((error.RecordIndex, error.Field), Is.EqualTo((2, "Score__c")));
    }

    [TestCase("{\"Invoice\": []}", "Unknown sObject type 'Invoice'")]
    [TestCase("[]", "must be one JSON object")]
    [TestCase("{\"Lead\": {}}", "must map to an array")]
    [TestCase("{\"Lead\": [{\"Company\": \"x\"}]}", "Lead[0].Id")]
    [TestCase("{\"Lead\": [", "not valid JSON at line 1: Expected depth to be zero")]
    [TestCase("", "does not contain any JSON tokens")]
    [TestCase("{\"Lead\": [}", "not valid JSON at line 1")]
    [TestCase("{\"Lead\": []}\n{}", "not valid JSON at line 2")]
    [TestCase("{\"Lead\": [42]}", "Lead[0] must be a JSON object")]
    [TestCase("{\"Lead\": [{\"Id\": null}]}", "Lead[0].Id: every record needs its 18-character Id")]
    public void AMalformedFileSaysWhatIsWrong(string file, string message)
    {
        Assert.That(() => Load(file), Throws.TypeOf<OrgDataException>().With.Message.Contains(message).And.Message.Not.Contains("\n"));
    }

    [Test]
    public void ASyntaxErrorDeepInALargeFileNamesItsLine()
    {
        // Records one a line, across many read buffers; line 2,501 lacks its closing brace.
        var lines = new List<string> { "{\"Lead\": [" };
        for (var i = 1; i <= 3_000; i++)
        {
            var record = $$"""  {"Id": "{{SalesforceId.Create("00Q", i)}}", "Company": "{{new string('x', 40)}} {{i}}", "LastName": "Ng"}""";
            lines.Add(i == 2_500 ? record[..^1] + "," : record + (i < 3_000 ? "," : ""));
        }
        lines.Add("]}");

        var error = Assert.Throws<OrgDataException>(() => Load(string.Join("\n", lines)))!;

        Assert.That(error.Message, Does.StartWith("The org file is not valid JSON at line 2502:"));
    }

    [Test]
    public void DuplicateIdsAreRefused()
    {
        var file = $$"""{"Lead": [{"Id": "{{Lead}}"}, {"Id": "{{Lead[..15]}}"}]}""";

        var error = Assert.Throws<OrgDataException>(() => Load(file))!;

        Assert.That((error.RecordIndex, error.Field), Is.EqualTo((1, "Id")));
        Assert.That(error.Message, Does.Contain("duplicate"));
    }

    [Test]
    public void UpdatesAfterLoadStampAfterTheNewestLoadedRecord()
    {
        var store = OrgStore.Load(new MemoryStream(Encoding.UTF8.GetBytes(ValidFile)), new ManualClock(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        store.Update("Lead", Lead, new Dictionary<string, object?> { ["Rating"] = "Hot" });

        Assert.That(store.Get("Lead", Lead)!["SystemModstamp"], Is.EqualTo(new DateTimeOffset(2026, 2, 1, 10, 15, 30, 124, TimeSpan.Zero)),
            "a sync reading SystemModstamp > the newest stamp it saw must see this change");
    }

    [Test]
    public void SavedFileIsValidJsonWithOneArrayPerObject()
    {
        using var json = JsonDocument.Parse(Save(Load(ValidFile)));

        Assert.That(json.RootElement.GetProperty("Lead").GetArrayLength(), Is.EqualTo(1));
        Assert.That(json.RootElement.GetProperty("Task").GetArrayLength(), Is.Zero);
        Assert.That(json.RootElement.GetProperty("Lead")[0].GetProperty("Id").GetString(), Is.EqualTo(Lead));
    }

    private static OrgStore Load(string json) => OrgStore.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    private static string Save(OrgStore store)
    {
        using var stream = new MemoryStream();
        store.Save(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

using LeadRouter.Org;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.Tests.Emulator.Data;

public class OrgStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private ManualClock _clock = null!;
    private OrgStore _store = null!;
    private string _queueId = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new ManualClock(Start);
        _store = new OrgStore(_clock);
        _queueId = _store.Insert("Group", Fields(("Name", "Inbound"), ("DeveloperName", "Inbound"), ("Type", "Queue")));
    }

    [Test]
    public void InsertMintsAnIdWithTheKeyPrefixAndFillsSystemFieldsAndDefaults()
    {
        var id = _store.Insert("Lead", Fields(("LastName", "Ng"), ("FirstName", "Ada"), ("Company", "Acme"), ("OwnerId", _queueId)));

        Assert.That(id, Has.Length.EqualTo(18).And.StartsWith("00Q"));
        var lead = _store.Get("Lead", id)!;
        Assert.Multiple(() =>
        {
            Assert.That(lead["Id"], Is.EqualTo(id));
            Assert.That(lead["Name"], Is.EqualTo("Ada Ng"), "Name is derived from first and last name");
            Assert.That(lead["Status"], Is.EqualTo("Open - Not Contacted"), "picklist default");
            Assert.That(lead["IsConverted"], Is.EqualTo(false));
            Assert.That(lead["IsDeleted"], Is.EqualTo(false));
            // The queue took Start itself: stamps never repeat, so the lead gets the next millisecond.
            Assert.That(lead["CreatedDate"], Is.EqualTo(Start.AddMilliseconds(1)));
            Assert.That(lead["SystemModstamp"], Is.EqualTo(Start.AddMilliseconds(1)));
            Assert.That(lead.Keys.First(), Is.EqualTo("Id"));
        });
    }

    [Test]
    public void TheActingUserOwnsAndCreatesWhatTheyInsertUnlessAnOwnerIsGiven()
    {
        var rep = InsertUser("rep@example.com");

        var task = _store.Insert("Task", Fields(("Subject", "Send contract")), actingUserId: rep[..15]);
        var lead = _store.Insert("Lead", Fields(("LastName", "Ng"), ("Company", "Acme"), ("OwnerId", _queueId)), actingUserId: rep);

        Assert.That(_store.Get("Task", task)!["OwnerId"], Is.EqualTo(rep));
        Assert.That(_store.Get("Task", task)!["CreatedById"], Is.EqualTo(rep));
        Assert.That(_store.Get("Lead", lead)!["OwnerId"], Is.EqualTo(_queueId));
    }

    [Test]
    public void GetAcceptsFifteenCharacterIdsAndIgnoresFieldNameCase()
    {
        var id = _store.Insert("Account", Fields(("name", "Acme")));

        var account = _store.Get("account", id[..15]);

        Assert.That(account, Is.Not.Null);
        Assert.That(account!["Name"], Is.EqualTo("Acme"));
    }

    [Test]
    public void UpdateChangesFieldsAndBumpsTheStampsStrictlyEvenWhenTheClockStandsStill()
    {
        var id = _store.Insert("Lead", Fields(("LastName", "Ng"), ("Company", "Acme"), ("OwnerId", _queueId)));

        _store.Update("Lead", id, Fields(("Rating", "Hot"), ("AnnualRevenue", 1500000.5), ("NumberOfEmployees", 40L)));
        var first = (DateTimeOffset)_store.Get("Lead", id)!["SystemModstamp"]!;
        _store.Update("Lead", id, Fields(("Rating", "Warm")));
        var lead = _store.Get("Lead", id)!;

        Assert.Multiple(() =>
        {
            Assert.That(lead["Rating"], Is.EqualTo("Warm"));
            Assert.That(lead["AnnualRevenue"], Is.EqualTo(1500000.5m));
            Assert.That(lead["NumberOfEmployees"], Is.EqualTo(40));
            Assert.That(first, Is.EqualTo(Start.AddMilliseconds(2)));
            Assert.That(lead["SystemModstamp"], Is.EqualTo(Start.AddMilliseconds(3)));
            Assert.That(lead["LastModifiedDate"], Is.EqualTo(lead["SystemModstamp"]));
            Assert.That(lead["CreatedDate"], Is.EqualTo(Start.AddMilliseconds(1)));
        });
    }

    [Test]
    public void UpdateTakesTheClockWhenItHasMoved()
    {
        var id = _store.Insert("Account", Fields(("Name", "Acme")));
        _clock.Advance(TimeSpan.FromMinutes(5));

        _store.Update("Account", id, Fields(("Name", "Acme Corp")));

        Assert.That(_store.Get("Account", id)!["SystemModstamp"], Is.EqualTo(Start.AddMinutes(5)));
    }

    [Test]
    public void WireFormatStringsAreParsedForDatesAndDatetimes()
    {
        var ownerId = InsertUser("rep@example.com");
        var id = _store.Insert("Event", Fields(("Subject", "1:1"), ("OwnerId", ownerId),
            ("StartDateTime", "2026-03-02T10:00:00.000+0100"), ("DurationInMinutes", 30)));
        var task = _store.Insert("Task", Fields(("OwnerId", ownerId), ("ActivityDate", "2026-03-05"), ("Status", "Completed")));

        Assert.Multiple(() =>
        {
            Assert.That(_store.Get("Event", id)!["StartDateTime"], Is.EqualTo(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));
            Assert.That(_store.Get("Task", task)!["ActivityDate"], Is.EqualTo(new DateOnly(2026, 3, 5)));
            Assert.That(_store.Get("Task", task)!["IsClosed"], Is.EqualTo(true), "IsClosed follows Status");
        });
    }

    [Test]
    public void UnknownFieldIsInvalidField()
    {
        var fault = Assert.Throws<SalesforceFault>(() => _store.Insert("Account", Fields(("Name", "Acme"), ("Colour", "red"))))!;

        Assert.That(fault.HttpStatus, Is.EqualTo(400));
        Assert.That(fault.ErrorCode, Is.EqualTo("INVALID_FIELD"));
        Assert.That(fault.Message, Is.EqualTo("No such column 'Colour' on sobject of type Account"));
    }

    [Test]
    public void UnknownFieldMessageMatchesSalesforceWordForWord()
    {
        var path = Path.Combine(Testing.RepoPaths.SalesforceSamples, "error_invalid_field.json");
        if (!File.Exists(path))
            Assert.Ignore($"Salesforce samples not found at {path}");
        using var sample = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var expected = sample.RootElement[0];
        // The recorded org had no AccountNumber (a standard field the emulator serves): the same words, another field.
        var message = expected.GetProperty("message").GetString()!;
        var recordedField = System.Text.RegularExpressions.Regex.Match(message, "'([^']+)'").Groups[1].Value;
        Assert.That(recordedField, Is.Not.Empty, message);

        var fault = Assert.Throws<SalesforceFault>(() => _store.Insert("Account", Fields(("Name", "Acme"), ("Colour", "red"))))!;

        Assert.That(fault.ErrorCode, Is.EqualTo(expected.GetProperty("errorCode").GetString()));
        Assert.That(fault.Message, Is.EqualTo(message.Replace($"'{recordedField}'", "'Colour'", StringComparison.Ordinal)));
    }

    [TestCase("IsActive", "perhaps", "JSON_PARSER_ERROR")]
    [TestCase("ManagerId", "not-an-id", "MALFORMED_ID")]
    public void WrongTypeOnUserIsReportedAsSalesforceDoes(string field, object value, string errorCode)
    {
        var id = InsertUser("a@example.com");

        var fault = Assert.Throws<SalesforceFault>(() => _store.Update("User", id, Fields((field, value))))!;

        Assert.That(fault.ErrorCode, Is.EqualTo(errorCode));
        Assert.That(fault.Fields, Is.EqualTo(new[] { field }));
    }

    [Test]
    public void NonNumberInANumberFieldIsInvalidTypeOnField()
    {
        var fault = Assert.Throws<SalesforceFault>(() => _store.Insert("Lead",
            Fields(("LastName", "Ng"), ("Company", "Acme"), ("OwnerId", _queueId), ("NumberOfEmployees", "lots"))))!;

        Assert.That(fault.ErrorCode, Is.EqualTo("INVALID_TYPE_ON_FIELD_IN_RECORD"));
        Assert.That(fault.Message, Is.EqualTo("NumberOfEmployees: value not of required type: lots"));
    }

    [Test]
    public void ReadOnlyFieldsAreRefusedAndNothingChanges()
    {
        var id = _store.Insert("Lead", Fields(("LastName", "Ng"), ("Company", "Acme"), ("OwnerId", _queueId)));
        var before = _store.Get("Lead", id)!;

        var fault = Assert.Throws<SalesforceFault>(() => _store.Update("Lead", id,
            Fields(("Rating", "Hot"), ("IsConverted", true), ("CreatedDate", "2020-01-01T00:00:00Z"))))!;

        Assert.That(fault.ErrorCode, Is.EqualTo("INVALID_FIELD_FOR_INSERT_UPDATE"));
        Assert.That(fault.Fields, Is.EqualTo(new[] { "IsConverted", "CreatedDate" }));
        Assert.That(_store.Get("Lead", id), Is.EqualTo(before));
    }

    [Test]
    public void MissingRequiredFieldsAreNamed()
    {
        var fault = Assert.Throws<SalesforceFault>(() => _store.Insert("Lead", Fields(("FirstName", "Ada"), ("OwnerId", _queueId))))!;

        Assert.That(fault.ErrorCode, Is.EqualTo("REQUIRED_FIELD_MISSING"));
        Assert.That(fault.Fields, Is.EqualTo(new[] { "Company", "LastName" }));
    }

    [Test]
    public void OwnerMustBeAnExistingUserOrQueue()
    {
        var account = _store.Insert("Account", Fields(("Name", "Acme")));
        var missingUser = SalesforceId.Create("005", 999);

        var wrongType = Assert.Throws<SalesforceFault>(() => _store.Insert("Lead",
            Fields(("LastName", "Ng"), ("Company", "Acme"), ("OwnerId", account))))!;
        var missing = Assert.Throws<SalesforceFault>(() => _store.Insert("Lead",
            Fields(("LastName", "Ng"), ("Company", "Acme"), ("OwnerId", missingUser))))!;

        Assert.That(wrongType.ErrorCode, Is.EqualTo("FIELD_INTEGRITY_EXCEPTION"));
        Assert.That(missing.ErrorCode, Is.EqualTo("INVALID_CROSS_REFERENCE_KEY"));
    }

    [Test]
    public void MissingRecordIsNotFound()
    {
        var fault = Assert.Throws<SalesforceFault>(() => _store.Update("Account", SalesforceId.Create("001", 42), Fields(("Name", "x"))))!;

        Assert.That((fault.HttpStatus, fault.ErrorCode), Is.EqualTo((404, "NOT_FOUND")));
    }

    [Test]
    public void UnknownObjectIsNotFound()
    {
        var fault = Assert.Throws<SalesforceFault>(() => _store.Insert("Invoice", Fields(("Name", "x"))))!;

        Assert.That((fault.HttpStatus, fault.ErrorCode), Is.EqualTo((404, "NOT_FOUND")));
        Assert.That(_store.Describe("Invoice"), Is.Null);
    }

    [Test]
    public void DeleteIsSoftAndDeletedRecordsCannotBeChanged()
    {
        var id = _store.Insert("Account", Fields(("Name", "Acme")));

        _store.Delete("Account", id);

        Assert.Multiple(() =>
        {
            Assert.That(_store.Get("Account", id), Is.Null);
            Assert.That(_store.GetIncludingDeleted("Account", id)!["IsDeleted"], Is.EqualTo(true));
            Assert.That((DateTimeOffset)_store.GetIncludingDeleted("Account", id)!["SystemModstamp"]!, Is.GreaterThan(Start));
            var update = Assert.Throws<SalesforceFault>(() => _store.Update("Account", id, Fields(("Name", "x"))))!;
            Assert.That((update.HttpStatus, update.ErrorCode, update.Message), Is.EqualTo((404, "ENTITY_IS_DELETED", "entity is deleted")));
            Assert.That(() => _store.Delete("Account", id), Throws.TypeOf<SalesforceFault>().With.Property("ErrorCode").EqualTo("ENTITY_IS_DELETED"));
        });
    }

    [Test]
    public void DescribeReportsFieldsWithTypesAndRelationships()
    {
        var schema = _store.Describe("Lead")!;
        var owner = schema.Fields.Single(f => f.Name == "OwnerId");

        Assert.Multiple(() =>
        {
            Assert.That(schema.KeyPrefix, Is.EqualTo("00Q"));
            Assert.That(schema.Fields.Select(f => f.Name), Is.SupersetOf(new[] { "Id", "IsDeleted", "SystemModstamp", "CreatedDate", "Company" }));
            Assert.That(owner.Type, Is.EqualTo("reference"));
            Assert.That(owner.ReferenceTo, Is.EqualTo(new[] { "User", "Group" }));
            Assert.That(owner.RelationshipName, Is.EqualTo("Owner"));
            Assert.That(schema.Fields.Single(f => f.Name == "Id").Updateable, Is.False);
            Assert.That(_store.ObjectNames, Is.SupersetOf(new[] { "User", "Group", "QueueSobject", "Event", "EventRelation", "Task",
                "Opportunity", "OpportunityContactRole", "OpportunityHistory", "Lead", "Account", "Contact" }));
        });
    }

    [Test]
    public void KeyPrefixesMatchSalesforce()
    {
        var expected = new Dictionary<string, string>
        {
            ["User"] = "005", ["Group"] = "00G", ["Event"] = "00U", ["Task"] = "00T", ["Opportunity"] = "006", ["Lead"] = "00Q",
            ["Account"] = "001", ["Contact"] = "003", ["OpportunityContactRole"] = "00K", ["OpportunityHistory"] = "008",
            ["EventRelation"] = "0RE", ["QueueSobject"] = "03g",
        };

        Assert.That(expected.ToDictionary(e => e.Key, e => _store.Describe(e.Key)!.KeyPrefix), Is.EqualTo(expected));
    }

    [Test]
    public void CreateTakesGeneratorRecordsAsGivenAndInfersCustomFields()
    {
        var userId = SalesforceId.Create("005", 1);
        var leadId = SalesforceId.Create("00Q", 1);
        var store = OrgStore.Create(new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>>
        {
            ["User"] = [Fields(("Id", userId), ("Name", "Rep One"), ("LastName", "One"), ("IsActive", true),
                ("SystemModstamp", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)))],
            ["Lead"] = [Fields(("Id", leadId), ("OwnerId", userId), ("Segment__c", "Enterprise"), ("Score__c", 12.5m))],
        });

        var lead = store.Get("Lead", leadId)!;
        Assert.Multiple(() =>
        {
            Assert.That(store.Get("User", userId)!["Name"], Is.EqualTo("Rep One"));
            Assert.That(lead["Segment__c"], Is.EqualTo("Enterprise"));
            Assert.That(lead["Score__c"], Is.EqualTo(12.5m));
            Assert.That(lead["IsConverted"], Is.EqualTo(false), "missing booleans are false");
            Assert.That(lead["Company"], Is.Null, "missing fields are null");
            Assert.That(store.Describe("Lead")!.Fields.Single(f => f.Name == "Score__c").Type, Is.EqualTo("double"));
        });
    }

    [Test]
    public void ConcurrentReadersAndWritersKeepEveryInsert()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 400, i =>
        {
            if (i % 2 == 0)
                ids.Add(_store.Insert("Account", Fields(("Name", $"A{i}"))));
            else
                _ = _store.Describe("Account");
        });

        Assert.That(ids.Distinct().Count(), Is.EqualTo(200));
        Assert.That(ids.All(id => _store.Get("Account", id) is not null), Is.True);
    }

    private string InsertUser(string username) =>
        _store.Insert("User", Fields(("LastName", "Rep"), ("Username", username), ("Email", username)));

    internal static IReadOnlyDictionary<string, object?> Fields(params (string Name, object? Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value);
}

using SalesforceId = LeadRouter.Org.SalesforceId;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Soql;
using static LeadRouter.Tests.Emulator.Soql.SoqlFixture;

namespace LeadRouter.Tests.Emulator.Soql;

public class SoqlEngineTests
{
    private OrgStore _store = null!;

    [SetUp]
    public void SetUp() => _store = Create();

    private List<object?> Companies(string where) =>
        Column(Run(_store, $"SELECT Company FROM Lead WHERE {where} ORDER BY Company"), "Company");

    [Test]
    public void RowsAreRestShapedWithAttributesFirstAndFieldsInSelectOrderAndSchemaCasing()
    {
        var result = SoqlEngine.Execute(_store, $"select company, ID, annualrevenue from LEAD where id = '{Acme[..15]}'", false, Now, Zone, "v58.0");

        Assert.That(result.ObjectName, Is.EqualTo("Lead"));
        Assert.That(result.TotalSize, Is.EqualTo(1));
        var row = result.Rows[0];
        Assert.That(row.Keys, Is.EqualTo(new[] { "attributes", "Company", "Id", "AnnualRevenue" }));
        var attributes = (IReadOnlyDictionary<string, object?>)row["attributes"]!;
        Assert.That(attributes["type"], Is.EqualTo("Lead"));
        Assert.That(attributes["url"], Is.EqualTo($"/services/data/v58.0/sobjects/Lead/{Acme}"));
        Assert.That(row["Id"], Is.EqualTo(Acme));
        Assert.That(row["AnnualRevenue"], Is.EqualTo(1_000_000m));
    }

    [TestCase("AnnualRevenue = 1000000", new[] { "Acme" })]
    [TestCase("AnnualRevenue != 1000000", new[] { "100% Foods", "Beta_Corp", "Gamma" })]
    [TestCase("AnnualRevenue <> 1000000", new[] { "100% Foods", "Beta_Corp", "Gamma" })]
    [TestCase("AnnualRevenue < 250000", new[] { "Gamma" })]
    [TestCase("AnnualRevenue <= 250000", new[] { "100% Foods", "Gamma" })]
    [TestCase("AnnualRevenue > 90000.5", new[] { "100% Foods", "Acme" })]
    [TestCase("AnnualRevenue >= 90000.5", new[] { "100% Foods", "Acme", "Gamma" })]
    [TestCase("NumberOfEmployees > 12", new[] { "Acme", "Gamma" })]
    [TestCase("Country = 'US'", new[] { "100% Foods", "Acme", "Gamma" })]
    [TestCase("Company < 'B'", new[] { "100% Foods", "Acme" })]
    [TestCase("IsConverted = true", new[] { "100% Foods" })]
    [TestCase("IsConverted = FALSE", new[] { "Acme", "Beta_Corp", "Gamma" })]
    [TestCase("Segment__c = 'enterprise'", new[] { "Acme" })]
    public void ComparisonOperators(string where, string[] expected)
    {
        Assert.That(Companies(where), Is.EqualTo(expected));
    }

    [TestCase("Rating = null", new[] { "100% Foods" })]
    [TestCase("Rating != null", new[] { "Acme", "Beta_Corp", "Gamma" })]
    [TestCase("Rating != 'Hot'", new[] { "100% Foods", "Beta_Corp", "Gamma" })]
    [TestCase("Rating < 'Z'", new[] { "Acme", "Beta_Corp", "Gamma" })]
    public void NullFieldsMatchOnlyNullAndNotEquals(string where, string[] expected)
    {
        Assert.That(Companies(where), Is.EqualTo(expected));
    }

    [TestCase("Company LIKE 'a%'", new[] { "Acme" })]
    [TestCase("Company LIKE '%a%'", new[] { "Acme", "Beta_Corp", "Gamma" })]
    [TestCase("Company LIKE 'G_mma'", new[] { "Gamma" })]
    [TestCase("Company LIKE '100\\% %'", new[] { "100% Foods" })]
    [TestCase("Company LIKE 'Beta\\_%'", new[] { "Beta_Corp" })]
    [TestCase("Company LIKE '10_\\%%'", new[] { "100% Foods" })]
    [TestCase("Company LIKE 'Gam'", new string[0])]
    public void LikeMatchesWildcardsCaseInsensitivelyAndHonoursEscapes(string where, string[] expected)
    {
        Assert.That(Companies(where), Is.EqualTo(expected));
    }

    [TestCase("Rating IN ('Hot', 'warm')", new[] { "Acme", "Beta_Corp" })]
    [TestCase("Rating NOT IN ('Hot', 'Warm')", new[] { "100% Foods", "Gamma" })]
    [TestCase("Rating IN ('Cold', null)", new[] { "100% Foods", "Gamma" })]
    [TestCase("Rating NOT IN ('Cold', null)", new[] { "Acme", "Beta_Corp" })]
    [TestCase("NumberOfEmployees IN (12, 400)", new[] { "Beta_Corp", "Gamma" })]
    public void InAndNotIn(string where, string[] expected)
    {
        Assert.That(Companies(where), Is.EqualTo(expected));
    }

    [Test]
    public void InMatchesIdsGivenIn15Or18Characters()
    {
        Assert.That(Companies($"OwnerId IN ('{Ann[..15]}', '{Bob}')"), Is.EqualTo(new[] { "Beta_Corp", "Gamma" }));
    }

    [TestCase("Country = 'US' AND Rating = 'Hot'", new[] { "Acme" })]
    [TestCase("Country = 'DE' OR Rating = 'Cold' OR Rating = null", new[] { "100% Foods", "Beta_Corp", "Gamma" })]
    [TestCase("Country = 'US' AND (Rating = 'Hot' OR Rating = 'Cold')", new[] { "Acme", "Gamma" })]
    [TestCase("(Country = 'US' AND Rating = 'Hot') OR Rating = 'Warm'", new[] { "Acme", "Beta_Corp" })]
    [TestCase("NOT Country = 'US'", new[] { "Beta_Corp" })]
    [TestCase("NOT (Country = 'US' OR Rating = 'Warm')", new string[0])]
    [TestCase("NOT Country = 'US' OR Rating = 'Hot'", new[] { "Acme", "Beta_Corp" })]
    [TestCase("Rating != null AND (NOT Country = 'US')", new[] { "Beta_Corp" })]
    [TestCase("((Country = 'DE'))", new[] { "Beta_Corp" })]
    public void LogicalOperatorsAndParentheses(string where, string[] expected)
    {
        Assert.That(Companies(where), Is.EqualTo(expected));
    }

    [Test]
    public void MixingAndWithOrWithoutParenthesesIsMalformedAtTheSecondOperator()
    {
        const string soql = "SELECT Id FROM Lead WHERE Country = 'US' AND Rating = 'Hot' OR Rating = 'Warm'";

        var fault = Assert.Throws<SalesforceFault>(() => Run(_store, soql))!;

        Assert.That(fault.ErrorCode, Is.EqualTo("MALFORMED_QUERY"));
        Assert.That(fault.Message, Does.Contain($"ERROR at Row:1:Column:{soql.IndexOf(" OR ", StringComparison.Ordinal) + 2}\nunexpected token: 'OR'"));
    }

    [Test]
    public void NotAfterAndIsMalformedAsInSalesforce()
    {
        var fault = Assert.Throws<SalesforceFault>(() => Run(_store, "SELECT Id FROM Lead WHERE Rating != null AND NOT Country = 'US'"))!;

        Assert.That(fault.ErrorCode, Is.EqualTo("MALFORMED_QUERY"));
        Assert.That(fault.Message, Does.EndWith("unexpected token: 'NOT'"));
    }

    [Test]
    public void StringLiteralsResolveEscapes()
    {
        _store.Update("Lead", Gamma, new Dictionary<string, object?> { ["Company"] = "O'Neil \"Gamma\"\\Ltd" });

        Assert.That(Companies("Company = 'O\\'Neil \\\"Gamma\\\"\\\\Ltd'"), Is.EqualTo(new[] { "O'Neil \"Gamma\"\\Ltd" }));
    }

    [TestCase("CreatedDate = TODAY", new[] { 3 })]
    [TestCase("CreatedDate = YESTERDAY", new int[0])]
    [TestCase("CreatedDate = TOMORROW", new[] { 4 })]
    [TestCase("CreatedDate > TODAY", new[] { 4 })]
    [TestCase("CreatedDate < TODAY", new[] { 1, 2, 5, 6 })]
    [TestCase("CreatedDate = THIS_WEEK", new[] { 2, 3, 4 })]
    [TestCase("CreatedDate < THIS_WEEK", new[] { 1, 5, 6 })]
    [TestCase("CreatedDate = LAST_WEEK", new[] { 1, 5, 6 })]
    [TestCase("CreatedDate = NEXT_WEEK", new int[0])]
    [TestCase("CreatedDate = LAST_N_DAYS:7", new[] { 1, 2, 3, 5 })]
    [TestCase("CreatedDate >= LAST_N_DAYS:7", new[] { 1, 2, 3, 4, 5 })]
    [TestCase("CreatedDate = LAST_N_DAYS:0", new[] { 3 })]
    [TestCase("ActivityDate = NEXT_N_DAYS:2", new[] { 3, 4 })]
    [TestCase("ActivityDate = TODAY", new[] { 2 })]
    [TestCase("ActivityDate = LAST_WEEK", new[] { 1 })]
    [TestCase("ActivityDate != THIS_WEEK", new[] { 1, 6 })]
    [TestCase("ActivityDate > 2026-03-04", new[] { 4, 5 })]
    [TestCase("CreatedDate >= 2026-03-01T09:00:00+01:00", new[] { 2, 3, 4 })]
    [TestCase("CreatedDate >= 2026-03-01T08:00:00.000+0000", new[] { 2, 3, 4 })]
    [TestCase("SystemModstamp > 2026-03-01T07:59:59Z", new[] { 2, 3, 4 })]
    public void DateLiteralsUseNowInTheOrgTimeZone(string where, int[] expectedTasks)
    {
        var result = Run(_store, $"SELECT Id FROM Task WHERE {where} ORDER BY Id");

        var expected = expectedTasks.Select(n => LeadRouter.Org.SalesforceId.Create("00T", n));
        Assert.That(Column(result, "Id"), Is.EqualTo(expected));
    }

    [Test]
    public void PlainDateAgainstADatetimeFieldIsRefusedAsInSalesforce()
    {
        var fault = Assert.Throws<SalesforceFault>(() => Run(_store, "SELECT Id FROM Task WHERE CreatedDate > 2026-03-01"))!;

        Assert.That(fault.ErrorCode, Is.EqualTo("INVALID_QUERY_FILTER_OPERATOR"));
        Assert.That(fault.Message, Does.EndWith("value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes"));
    }

    [TestCase("SELECT Id FROM Lead WHERE AnnualRevenue = '5'", "must be of type double")]
    [TestCase("SELECT Id FROM Lead WHERE Company = 5", "must be of type string and should be enclosed in quotes")]
    [TestCase("SELECT Id FROM Lead WHERE OwnerId = 'nobody'", "invalid ID field: nobody")]
    [TestCase("SELECT Id FROM Lead WHERE IsConverted > false", "invalid operator on boolean field")]
    public void FiltersOfTheWrongTypeAreRefused(string soql, string message)
    {
        var fault = Assert.Throws<SalesforceFault>(() => Run(_store, soql))!;

        Assert.That(fault.ErrorCode, Is.EqualTo("INVALID_QUERY_FILTER_OPERATOR"));
        Assert.That(fault.Message, Does.Contain(message));
    }

    [TestCase("ORDER BY Rating", new[] { "100% Foods", "Gamma", "Acme", "Beta_Corp" })]
    [TestCase("ORDER BY Rating ASC NULLS LAST", new[] { "Gamma", "Acme", "Beta_Corp", "100% Foods" })]
    [TestCase("ORDER BY Rating DESC", new[] { "Beta_Corp", "Acme", "Gamma", "100% Foods" })]
    [TestCase("ORDER BY Rating DESC NULLS FIRST", new[] { "100% Foods", "Beta_Corp", "Acme", "Gamma" })]
    [TestCase("ORDER BY AnnualRevenue DESC", new[] { "Acme", "100% Foods", "Gamma", "Beta_Corp" })]
    [TestCase("ORDER BY NumberOfEmployees NULLS LAST", new[] { "Beta_Corp", "Acme", "Gamma", "100% Foods" })]
    [TestCase("ORDER BY Country DESC, Company ASC", new[] { "100% Foods", "Acme", "Gamma", "Beta_Corp" })]
    [TestCase("ORDER BY Owner.Name, Company DESC", new[] { "Beta_Corp", "Gamma", "Acme", "100% Foods" })]
    public void OrderByWithSalesforceNullDefaults(string orderBy, string[] expected)
    {
        Assert.That(Column(Run(_store, $"SELECT Company FROM Lead {orderBy}"), "Company"), Is.EqualTo(expected));
    }

    [Test]
    public void LimitAndOffsetPageTheSortedRows()
    {
        var result = Run(_store, "SELECT Company FROM Lead ORDER BY Company LIMIT 2 OFFSET 1");

        Assert.That(result.TotalSize, Is.EqualTo(2));
        Assert.That(Column(result, "Company"), Is.EqualTo(new[] { "Acme", "Beta_Corp" }));
        Assert.That(Run(_store, "SELECT Company FROM Lead LIMIT 0").Rows, Is.Empty);
        Assert.That(Run(_store, "SELECT Company FROM Lead ORDER BY Company OFFSET 10").TotalSize, Is.Zero);
    }

    [Test]
    public void OffsetAboveTwoThousandIsRefused()
    {
        var fault = Assert.Throws<SalesforceFault>(() => Run(_store, "SELECT Id FROM Lead OFFSET 2001"))!;

        Assert.That(fault.ErrorCode, Is.EqualTo("NUMBER_OUTSIDE_VALID_RANGE"));
    }

    [Test]
    public void CountReturnsTheTotalAndNoRows()
    {
        var result = Run(_store, "SELECT COUNT() FROM Lead WHERE Country = 'US'");

        Assert.That(result.TotalSize, Is.EqualTo(3));
        Assert.That(result.Rows, Is.Empty);
        Assert.That(Run(_store, "select count() from Lead", includeDeleted: true).TotalSize, Is.EqualTo(5));
    }

    [Test]
    public void QueryHidesDeletedRowsAndQueryAllReturnsThem()
    {
        const string soql = "SELECT Company, IsDeleted FROM Lead WHERE Rating = 'Hot' ORDER BY Company";

        var query = Run(_store, soql);
        var queryAll = Run(_store, soql, includeDeleted: true);

        Assert.That(Column(query, "Company"), Is.EqualTo(new[] { "Acme" }));
        Assert.That(Column(queryAll, "Company"), Is.EqualTo(new[] { "Acme", "Deleted Co" }));
        Assert.That(Column(queryAll, "IsDeleted"), Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public void SoftDeletedRecordLeavesQueryButStaysInQueryAll()
    {
        _store.Delete("Lead", Gamma);

        Assert.That(Companies("Country = 'us'"), Is.EqualTo(new[] { "100% Foods", "Acme" }));
        Assert.That(Run(_store, "SELECT Id FROM Lead WHERE IsDeleted = true", includeDeleted: true).TotalSize, Is.EqualTo(2));
    }

    [Test]
    public void ParentRelationshipsAreNestedMapsWithTheirOwnAttributes()
    {
        var result = Run(_store, "SELECT Name, Manager.Name, Manager.Manager.Name, Manager.Id FROM User ORDER BY Name");
        var ann = result.Rows.Single(r => (string?)r["Name"] == "Ann Rep");
        var boss = result.Rows.Single(r => (string?)r["Name"] == "Bea Boss");

        Assert.That(ann.Keys, Is.EqualTo(new[] { "attributes", "Name", "Manager" }));
        var manager = (IReadOnlyDictionary<string, object?>)ann["Manager"]!;
        Assert.That(manager.Keys, Is.EqualTo(new[] { "attributes", "Name", "Manager", "Id" }));
        Assert.That(manager["Name"], Is.EqualTo("Maya Manager"));
        Assert.That(manager["Id"], Is.EqualTo(Manager));
        Assert.That(((IReadOnlyDictionary<string, object?>)manager["attributes"]!)["type"], Is.EqualTo("User"));
        Assert.That(((IReadOnlyDictionary<string, object?>)manager["Manager"]!)["Name"], Is.EqualTo("Bea Boss"));
        Assert.That(boss["Manager"], Is.Null, "an empty lookup is null");
    }

    [Test]
    public void PolymorphicOwnerResolvesToUserOrQueue()
    {
        var result = Run(_store, "SELECT Company, Owner.Name FROM Lead WHERE Owner.Name LIKE '%Queue' ORDER BY Company");
        var beta = Run(_store, $"SELECT Owner.Name FROM Lead WHERE Id = '{Beta}'").Rows[0];

        Assert.That(Column(result, "Company"), Is.EqualTo(new[] { "100% Foods", "Acme" }));
        var queueOwner = (IReadOnlyDictionary<string, object?>)result.Rows[0]["Owner"]!;
        var queueAttributes = (IReadOnlyDictionary<string, object?>)queueOwner["attributes"]!;
        Assert.That(queueOwner["Name"], Is.EqualTo("Inbound Queue"));
        Assert.That(queueAttributes["type"], Is.EqualTo("Name"));
        Assert.That(queueAttributes["url"], Is.EqualTo($"/services/data/{SoqlEngine.DefaultApiVersion}/sobjects/Group/{Queue}"));
        var userAttributes = (IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)beta["Owner"]!)["attributes"]!;
        Assert.That(userAttributes["url"], Does.Contain("/sobjects/User/" + Ann));
    }

    [TestCase("SELECT Id, Colour FROM Lead", 12, "No such column 'Colour' on entity 'Lead'.")]
    [TestCase("SELECT Id FROM Lead WHERE Owner.Colour = 'x'", 33, "No such column 'Colour' on entity 'Name'.")]
    [TestCase("SELECT Owner.Manager.Name FROM Lead", 14, "Didn't understand relationship 'Manager' in field path.")]
    [TestCase("SELECT Boss.Name FROM User", 8, "Didn't understand relationship 'Boss' in field path.")]
    [TestCase("SELECT Id FROM User ORDER BY Salary", 30, "No such column 'Salary' on entity 'User'.")]
    public void UnknownFieldsAndRelationshipsAreInvalidField(string soql, int column, string message)
    {
        var fault = Assert.Throws<SalesforceFault>(() => Run(_store, soql))!;

        Assert.That(fault.ErrorCode, Is.EqualTo("INVALID_FIELD"));
        Assert.That(fault.Message, Does.Contain($"ERROR at Row:1:Column:{column}\n{message}"));
    }

    [Test]
    public void ASemiJoinOnEventsIsRefusedAsInSalesforceAtTheInnerObject()
    {
        var fault = Assert.Throws<SalesforceFault>(() => Run(_store,
            "SELECT Id FROM EventRelation WHERE EventId IN (SELECT Id FROM Event WHERE StartDateTime >= 2026-01-01T00:00:00Z)"))!;

        Assert.That(fault.ErrorCode, Is.EqualTo("MALFORMED_QUERY"));
        Assert.That(fault.Message, Does.Contain("ERROR at Row:1:Column:63\nEntity 'Event' is not supported for semi join inner selects"));
    }

    [Test]
    public void ARelationshipFilterSelectsChildrenByTheirParentsFields()
    {
        var store = OrgStore.Create(new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>>
        {
            ["Event"] =
            [
                new Dictionary<string, object?> { ["Id"] = SalesforceId.Create("00U", 1), ["StartDateTime"] = "2026-03-02T10:00:00Z" },
                new Dictionary<string, object?> { ["Id"] = SalesforceId.Create("00U", 2), ["StartDateTime"] = "2025-09-02T10:00:00Z" },
            ],
            ["EventRelation"] =
            [
                new Dictionary<string, object?> { ["Id"] = SalesforceId.Create("0RE", 1), ["EventId"] = SalesforceId.Create("00U", 1), ["RelationId"] = Ann },
                new Dictionary<string, object?> { ["Id"] = SalesforceId.Create("0RE", 2), ["EventId"] = SalesforceId.Create("00U", 2), ["RelationId"] = Ann },
            ],
        });

        var result = Run(store, "SELECT Id FROM EventRelation WHERE Event.StartDateTime >= 2026-01-01T00:00:00Z");

        Assert.That(Column(result, "Id"), Is.EqualTo(new[] { SalesforceId.Create("0RE", 1) }));
    }

    [TestCase("SELECT Id FROM Lead WHERE Address != null", 27, "filtered")]
    [TestCase("SELECT Id FROM Lead ORDER BY Address", 30, "sorted")]
    public void ACompoundAddressCanBeSelectedButNotFilteredOrSorted(string soql, int column, string use)
    {
        var fault = Assert.Throws<SalesforceFault>(() => Run(_store, soql))!;

        Assert.That(fault.ErrorCode, Is.EqualTo("INVALID_FIELD"));
        Assert.That(fault.Message, Does.Contain($"ERROR at Row:1:Column:{column}\nfield 'Address' can not be {use} in a query call"));
        Assert.That(Run(_store, $"SELECT Address FROM Lead WHERE Id = '{Acme}'").Rows[0]["Address"],
            Is.EqualTo(new Dictionary<string, object?>
            {
                ["city"] = null, ["country"] = "US", ["countryCode"] = null, ["geocodeAccuracy"] = null, ["latitude"] = null,
                ["longitude"] = null, ["postalCode"] = null, ["state"] = null, ["stateCode"] = null, ["street"] = null,
            }));
    }

    [Test]
    public void UnknownObjectIsInvalidTypeWordForWordAsSalesforce()
    {
        var sample = Sample("error_invalid_type_with_position.json");

        var fault = Assert.Throws<SalesforceFault>(() => Run(_store, "SELECT Id,Name,BillingCity,IsDeleted FROM Accout"))!;

        Assert.That(fault.ErrorCode, Is.EqualTo(sample.ErrorCode));
        Assert.That(fault.Message, Is.EqualTo(sample.Message));
    }

    [Test]
    public void MalformedQueryNamesTheUnexpectedTokenLikeSalesforce()
    {
        var sample = Sample("error_malformed_query.json");

        var fault = Assert.Throws<SalesforceFault>(() => Run(_store, "SELECT Id FROM Lead invalid"))!;

        Assert.That(fault.ErrorCode, Is.EqualTo(sample.ErrorCode));
        Assert.That(fault.Message, Does.EndWith("\n" + sample.Message));
        Assert.That(fault.Message, Is.EqualTo("\nSELECT Id FROM Lead invalid\n                    ^\nERROR at Row:1:Column:21\nunexpected token: 'invalid'"));
    }

    [TestCase("SELECT Id\nFROM Lead\nWHERE Company 'x'", 3, 15, "unexpected token: ''x''")]
    [TestCase("SELECT Id FROM Lead WHERE", 1, 26, "unexpected token: <EOF>")]
    [TestCase("SELECT Id, FROM Lead", 1, 17, "unexpected token: 'Lead'")]
    [TestCase("SELECT Id FROM Lead WHERE Company = 'open", 1, 37, "not closed")]
    [TestCase("SELECT Id FROM Lead WHERE Company = 'a\\qb'", 1, 39, "Illegal character sequence '\\q' in string literal.")]
    [TestCase("SELECT Id FROM Lead WHERE CreatedDate > 2026-13-01", 1, 41, "invalid date")]
    [TestCase("SELECT Id FROM Lead LIMIT -1", 1, 27, "unexpected token: '-1'")]
    [TestCase("SELECT Id FROM Lead ORDER BY Company NULLS SOMETIMES", 1, 44, "unexpected token: 'SOMETIMES'")]
    [TestCase("SELECT Id, Id FROM Lead", 1, 12, "duplicate field selected: Id")]
    public void MalformedQueriesReportRowAndColumn(string soql, int row, int column, string reason)
    {
        var fault = Assert.Throws<SalesforceFault>(() => Run(_store, soql))!;

        Assert.That(fault.HttpStatus, Is.EqualTo(400));
        Assert.That(fault.ErrorCode, Is.EqualTo("MALFORMED_QUERY"));
        Assert.That(fault.Message, Does.Contain($"ERROR at Row:{row}:Column:{column}\n"));
        Assert.That(fault.Message, Does.Contain(reason));
    }

    [Test]
    public void ResultRowsAreASnapshotOfTheMatchingRecords()
    {
        var result = Run(_store, "SELECT Company FROM Lead WHERE Rating = 'Hot'");

        _store.Update("Lead", Acme, new Dictionary<string, object?> { ["Company"] = "Acme Renamed" });

        Assert.That(Column(result, "Company"), Is.EqualTo(new[] { "Acme" }));
        Assert.That(Column(Run(_store, "SELECT Company FROM Lead WHERE Rating = 'Hot'"), "Company"), Is.EqualTo(new[] { "Acme Renamed" }));
    }

    [Test]
    public void QueriesRunWhileRecordsChange()
    {
        var counts = new System.Collections.Concurrent.ConcurrentBag<int>();

        Parallel.For(0, 200, i =>
        {
            if (i % 2 == 0)
            {
                _store.Update("Lead", Beta, new Dictionary<string, object?> { ["NumberOfEmployees"] = i });
            }
            else
            {
                var result = Run(_store, "SELECT Company, Owner.Name FROM Lead WHERE NumberOfEmployees >= 0 ORDER BY Company");
                counts.Add(result.Rows.Count(r => r["Owner"] is not null));
            }
        });

        Assert.That(counts, Has.Count.EqualTo(100).And.All.EqualTo(3));
    }

    private static (string ErrorCode, string Message) Sample(string file)
    {
        var path = Path.Combine(Testing.RepoPaths.SalesforceSamples, file);
        if (!File.Exists(path))
            Assert.Ignore($"Salesforce samples not found at {path}");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var error = json.RootElement[0];
        return (error.GetProperty("errorCode").GetString()!, error.GetProperty("message").GetString()!);
    }
}

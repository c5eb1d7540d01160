using LeadRouter.Org;
using LeadRouter.Rules;

namespace LeadRouter.Tests.Rules;

public class ConditionTests
{
    private static readonly Lead Sample = new("00Q5e000000001AAAA", "00G5e000000001AAAA", "Open", false, "Hot", "Web", null,
        25_000_000m, 120, "Germany", null, "Acme GmbH", new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero))
    {
        CustomFields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["Segment__c"] = "Enterprise", ["Score__c"] = "42" },
    };

    [TestCase("Rating", "equals", new[] { "HOT" }, true)]
    [TestCase("Rating", "equals", new[] { "Warm" }, false)]
    [TestCase("Industry", "equals", new[] { "Tech" }, false)]
    [TestCase("Industry", "notEquals", new[] { "Tech" }, true)]
    [TestCase("Rating", "notEquals", new[] { "hot" }, false)]
    [TestCase("Country", "in", new[] { "France", "GERMANY" }, true)]
    [TestCase("Country", "notIn", new[] { "France", "Germany" }, false)]
    [TestCase("Industry", "notIn", new[] { "Tech" }, true)]
    [TestCase("AnnualRevenue", "greaterThan", new[] { "10000000" }, true)]
    [TestCase("AnnualRevenue", "lessThan", new[] { "1e7" }, false)]
    [TestCase("AnnualRevenue", "equals", new[] { "25000000.00" }, true)]
    [TestCase("NumberOfEmployees", "in", new[] { "100", "120" }, true)]
    [TestCase("Company", "contains", new[] { "gmbh" }, true)]
    [TestCase("Company", "startsWith", new[] { "ACME" }, true)]
    [TestCase("Company", "startsWith", new[] { "GmbH" }, false)]
    [TestCase("State", "isBlank", new string[0], true)]
    [TestCase("Company", "isNotBlank", new string[0], true)]
    [TestCase("Company", "matches", new[] { @"\bgmbh$" }, true)]
    [TestCase("Industry", "matches", new[] { ".*" }, false)]
    [TestCase("Segment__c", "equals", new[] { "enterprise" }, true)]
    [TestCase("Score__c", "greaterThan", new[] { "40" }, true)]
    [TestCase("Segment__c", "greaterThan", new[] { "40" }, false)]
    [TestCase("IsConverted", "equals", new[] { "false" }, true)]
    [TestCase("CreatedDate", "greaterThan", new[] { "2026-11-01" }, true)]
    [TestCase("CreatedDate", "lessThan", new[] { "2026-11-20T08:00:00Z" }, false)]
    public void ConditionOnALead(string field, string op, string[] values, bool expected)
    {
        var accessor = LeadFields.Find(field, ["Segment__c", "Score__c"])!;
        var @operator = Conditions.OperatorsByName[op];
        Assert.That(Conditions.OperatorProblem(accessor.Kind, @operator, field), Is.Null);
        Assert.That(Conditions.OperandProblem(accessor.Kind, @operator, values), Is.Null);

        Assert.That(Conditions.Compile(accessor, @operator, values)(Sample), Is.EqualTo(expected));
    }

    [TestCase("Segment__c", true)]
    [TestCase("Next_Step_Date__c", true)]
    [TestCase("A__c", true)]
    [TestCase("Segment", false)]
    [TestCase("_Segment__c", false)]
    [TestCase("Seg-ment__c", false)]
    [TestCase("Sales__Region__c", false)]
    [TestCase("Region___c", false)]
    [TestCase("__c", false)]
    [TestCase("Abcdefghij_abcdefghij_abcdefghij_abcdefgh__c", false)]
    [TestCase("Abcdefghij_abcdefghij_abcdefghij_abcdefg__c", true)]
    public void CustomFieldApiNames(string name, bool valid) =>
        Assert.That(ApiName.CustomFieldProblem(name) is null, Is.EqualTo(valid));
}

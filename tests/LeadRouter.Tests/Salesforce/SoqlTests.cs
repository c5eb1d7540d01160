using LeadRouter.Salesforce;

namespace LeadRouter.Tests.Salesforce;

public class SoqlTests
{
    [Test]
    public void Builds_a_select_with_conditions_order_and_limit()
    {
        var query = Soql.Select("Id", "OwnerId", "Owner.Name", "Segment__c", "Region__r.Manager__c")
            .From("Lead")
            .Where(Soql.Field("IsConverted").EqualTo(false))
            .Where(Soql.Field("OwnerId").In(["00G5e000000001AEAQ", "00G5e000000002AEAQ"]))
            .Where(Soql.Or(Soql.Field("AnnualRevenue").AtLeast(1_000_000m), Soql.Field("NumberOfEmployees").GreaterThan(500)))
            .OrderBy("CreatedDate", descending: true, nullsLast: true)
            .Limit(200)
            .Build();

        Assert.That(query.Text, Is.EqualTo(
            "SELECT Id, OwnerId, Owner.Name, Segment__c, Region__r.Manager__c FROM Lead " +
            "WHERE IsConverted = false AND OwnerId IN ('00G5e000000001AEAQ', '00G5e000000002AEAQ') " +
            "AND (AnnualRevenue >= 1000000 OR NumberOfEmployees > 500) ORDER BY CreatedDate DESC NULLS LAST LIMIT 200"));
    }

    [Test]
    public void A_field_selected_twice_is_kept_once()
    {
        var query = Soql.Select("Id", "Status", "id").From("Lead").Build();

        Assert.That(query.Text, Is.EqualTo("SELECT Id, Status FROM Lead"));
    }

    [Test]
    public void Count_query()
    {
        var query = Soql.SelectCount().From("Task").Where(Soql.Field("IsClosed").EqualTo(true)).Build();

        Assert.Multiple(() =>
        {
            Assert.That(query.Text, Is.EqualTo("SELECT COUNT() FROM Task WHERE IsClosed = true"));
            Assert.That(query.IsCount, Is.True);
            Assert.That(query.ObjectName, Is.EqualTo("Task"));
        });
    }

    [TestCase("O'Brien", @"'O\'Brien'")]
    [TestCase(@"back\slash", @"'back\\slash'")]
    [TestCase("say \"hi\"", "'say \\\"hi\\\"'")]
    [TestCase("line1\nline2\r\ttab", @"'line1\nline2\r\ttab'")]
    [TestCase("bell\b feed\f", @"'bell\b feed\f'")]
    [TestCase("nul\u0000 esc\u001b", @"'nul\u0000 esc\u001b'")]
    [TestCase("50% of_it", "'50% of_it'")]
    [TestCase("Zürich 東京", "'Zürich 東京'")]
    public void String_literals_are_escaped(string value, string literal)
    {
        Assert.That(Soql.Field("Company").EqualTo(value).ToString(), Is.EqualTo("Company = " + literal));
    }

    [Test]
    public void Like_helpers_escape_wildcards_in_data_but_not_in_a_written_pattern()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Soql.Field("Subject").StartsWith("50%_off").ToString(), Is.EqualTo(@"Subject LIKE '50\%\_off%'"));
            Assert.That(Soql.Field("Subject").Contains("1:1").ToString(), Is.EqualTo("Subject LIKE '%1:1%'"));
            Assert.That(Soql.Field("Subject").Like("%review%").ToString(), Is.EqualTo("Subject LIKE '%review%'"));
        });
    }

    [Test]
    public void Injection_through_a_value_stays_inside_the_literal()
    {
        const string attack = "x' OR Name != 'x";

        var query = Soql.Select("Id").From("Lead").Where(Soql.Field("Company").EqualTo(attack)).Build();

        Assert.That(query.Text, Is.EqualTo(@"SELECT Id FROM Lead WHERE Company = 'x\' OR Name != \'x'"));
    }

    [Test]
    public void A_trailing_backslash_cannot_escape_the_closing_quote()
    {
        Assert.That(Soql.Field("Company").EqualTo(@"abc\").ToString(), Is.EqualTo(@"Company = 'abc\\'"));
    }

    [TestCase("Name FROM User WHERE Id != null --")]
    [TestCase("Id, (SELECT Id FROM Contacts)")]
    [TestCase("Owner.Name)")]
    [TestCase("Segment__c'")]
    [TestCase("Segment__c OR Id")]
    [TestCase("COUNT(Id)")]
    [TestCase("Region__r")]
    [TestCase("_Private")]
    [TestCase("Bad__Name__")]
    [TestCase("Trailing_")]
    [TestCase("Double__Under__Score__c__x")]
    [TestCase("Owner..Name")]
    [TestCase("")]
    [TestCase("A.B.C.D.E.F.G")]
    public void A_field_name_that_is_not_an_api_name_is_rejected(string field)
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => Soql.Select(field));
            Assert.Throws<ArgumentException>(() => Soql.Field(field));
            Assert.Throws<ArgumentException>(() => Soql.Select("Id").From("Lead").OrderBy(field));
        });
    }

    [TestCase("Lead WHERE Id != null")]
    [TestCase("Lead;")]
    [TestCase("Owner.Name")]
    [TestCase("Territory__r")]
    [TestCase("Lead/../limits")]
    public void An_object_name_that_is_not_an_api_name_is_rejected(string objectName)
    {
        var error = Assert.Throws<ArgumentException>(() => Soql.Select("Id").From(objectName))!;

        Assert.That(error.Message, Does.Contain(objectName));
    }

    [TestCase("Id")]
    [TestCase("Owner.Name")]
    [TestCase("Segment__c")]
    [TestCase("acme__Segment__c")]
    [TestCase("Region__r.Manager__r.Name")]
    [TestCase("What.Owner.Manager.Manager.Name")]
    [TestCase("Account2")]
    [TestCase("First_Touch_Date__c")]
    public void Api_names_and_relationship_paths_pass(string field)
    {
        Assert.That(ApiNames.FieldPath(field), Is.EqualTo(field));
    }

    [Test]
    public void Datetime_literals_are_utc_whole_seconds_without_quotes()
    {
        var since = new DateTimeOffset(2026, 11, 23, 10, 30, 15, 789, TimeSpan.FromHours(2));

        Assert.That(Soql.Field("SystemModstamp").AtLeast(since).ToString(), Is.EqualTo("SystemModstamp >= 2026-11-23T08:30:15Z"));
    }

    [Test]
    public void Dates_numbers_and_null_render_as_soql_literals()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Soql.Field("CloseDate").LessThan(new DateOnly(2026, 1, 5)).ToString(), Is.EqualTo("CloseDate < 2026-01-05"));
            Assert.That(Soql.Field("Amount").AtMost(1234.5).ToString(), Is.EqualTo("Amount <= 1234.5"));
            Assert.That(Soql.Field("NumberOfEmployees").NotEqualTo(-3).ToString(), Is.EqualTo("NumberOfEmployees != -3"));
            Assert.That(Soql.Field("ManagerId").IsNull().ToString(), Is.EqualTo("ManagerId = null"));
            Assert.That(Soql.Field("ManagerId").IsNotNull().ToString(), Is.EqualTo("ManagerId != null"));
            Assert.That(Soql.Not(Soql.Field("Status").NotIn("Closed", "Dead")).ToString(), Is.EqualTo("(NOT Status NOT IN ('Closed', 'Dead'))"));
        });
    }

    [Test]
    public void Nonsense_inputs_are_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => Soql.Field("OwnerId").In(Array.Empty<string>()));
            Assert.Throws<ArgumentException>(() => Soql.Or());
            Assert.Throws<ArgumentOutOfRangeException>(() => Soql.Field("Amount").EqualTo(double.NaN));
            Assert.Throws<ArgumentOutOfRangeException>(() => Soql.Select("Id").From("Lead").Limit(0));
            Assert.Throws<InvalidOperationException>(() => Soql.Select("Id").Build());
            Assert.Throws<ArgumentException>(() => Soql.Select());
        });
    }
}

using System.Text.Json;
using LeadRouter.Salesforce;

namespace LeadRouter.Tests.Salesforce;

public class SalesforceJsonTests
{
    private sealed record Stamped(DateTimeOffset SystemModstamp, DateTimeOffset? CompletedDateTime, DateOnly? ActivityDate);

    [Test]
    public void Salesforce_datetimes_round_trip_in_their_own_form()
    {
        const string json = """{"SystemModstamp":"2013-04-04T20:52:22.000+0000","CompletedDateTime":null,"ActivityDate":"2017-10-15"}""";

        var read = JsonSerializer.Deserialize<Stamped>(json, SalesforceJson.Options)!;
        var written = JsonSerializer.Serialize(read, SalesforceJson.Options);

        Assert.Multiple(() =>
        {
            Assert.That(read.SystemModstamp, Is.EqualTo(new DateTimeOffset(2013, 4, 4, 20, 52, 22, TimeSpan.Zero)));
            Assert.That(read.CompletedDateTime, Is.Null);
            Assert.That(read.ActivityDate, Is.EqualTo(new DateOnly(2017, 10, 15)));
            Assert.That(written, Is.EqualTo(json));
        });
    }

    [TestCase("2013-04-04T22:52:22.000+0200")]
    [TestCase("2013-04-04T15:52:22.000-0500")]
    [TestCase("2013-04-04T20:52:22Z")]
    [TestCase("2013-04-04T20:52:22.000Z")]
    [TestCase("2013-04-04T20:52:22+00:00")]
    public void Other_offsets_and_forms_read_to_the_same_instant(string text)
    {
        var read = JsonSerializer.Deserialize<Stamped>($$"""{"SystemModstamp":"{{text}}","CompletedDateTime":"{{text}}"}""", SalesforceJson.Options)!;

        var expected = new DateTimeOffset(2013, 4, 4, 20, 52, 22, TimeSpan.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(read.SystemModstamp, Is.EqualTo(expected));
            Assert.That(read.CompletedDateTime, Is.EqualTo(expected));
        });
    }

    [Test]
    public void Writing_converts_to_utc_with_milliseconds()
    {
        var value = new DateTimeOffset(2026, 11, 23, 10, 0, 0, 250, TimeSpan.FromHours(1));

        Assert.That(JsonSerializer.Serialize<DateTimeOffset?>(value, SalesforceJson.Options), Is.EqualTo("\"2026-11-23T09:00:00.250+0000\""));
    }

    [TestCase("\"2013-04-04\"")]
    [TestCase("\"04/04/2013 20:52\"")]
    [TestCase("\"2013-04-04T20:52:22.000+00\"")]
    [TestCase("1365108742000")]
    public void A_value_that_is_not_a_salesforce_datetime_is_an_error_naming_it(string value)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DateTimeOffset>(value, SalesforceJson.Options))!;

        Assert.That(error.Message, Does.Contain("Salesforce datetime"));
    }
}

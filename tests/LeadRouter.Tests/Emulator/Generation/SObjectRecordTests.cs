using LeadRouter.SalesforceEmulator.Generation;

namespace LeadRouter.Tests.Emulator.Generation;

public class SObjectRecordTests
{
    private static readonly RecordShape Shape = new("Lead", "00Q", ["OwnerId", "Status"]);
    private static readonly DateTimeOffset Created = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Modified = Created.AddHours(3);

    private static SObjectRecord Lead() => SObjectRecord.Create(Shape, "00Q5e0000000001AAA", false, Created, Modified, ["00G5e0000000001AAA", null]);

    [Test]
    public void FieldsReadByApiNameInAnyCase()
    {
        var lead = Lead();
        Assert.That(lead["ownerid"], Is.EqualTo("00G5e0000000001AAA"));
        Assert.That(lead["Status"], Is.Null);
        Assert.That(lead["LastModifiedDate"], Is.EqualTo(Modified), "the modstamp is also the last modified date");
        Assert.That(lead.TryGetValue("CreatedDate", out var created), Is.True);
        Assert.That(created, Is.EqualTo(Created));
        Assert.That(lead.ContainsKey("Company"), Is.False);
        Assert.That(lead.TryGetValue("Company", out _), Is.False);
        Assert.That(() => lead["Company"], Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("Lead has no field 'Company'"));
    }

    [Test]
    public void EnumeratesEveryFieldOfTheShapeInOrder()
    {
        var lead = Lead();
        Assert.That(lead.Keys, Is.EqualTo(new[] { "Id", "IsDeleted", "CreatedDate", "LastModifiedDate", "SystemModstamp", "OwnerId", "Status" }));
        Assert.That(lead, Has.Count.EqualTo(7));
        Assert.That(lead.Select(f => f.Value), Is.EqualTo(lead.Values));
        Assert.That(lead.Values, Is.EqualTo(new object?[] { "00Q5e0000000001AAA", false, Created, Modified, Modified, "00G5e0000000001AAA", null }));
    }

    [Test]
    public void ValuesMustMatchTheShape() =>
        Assert.That(() => SObjectRecord.Create(Shape, "00Q5e0000000001AAA", false, Created, Created, ["only one"]),
            Throws.ArgumentException.With.Message.Contains("Lead record has 1 values for its 2 fields"));
}

using LeadRouter.Org;

namespace LeadRouter.Tests.Org;

public class SalesforceIdTests
{
    // Pairs from Salesforce's documentation of the case-safe suffix.
    [TestCase("001A0000006Vm9r", "001A0000006Vm9rIAC")]
    [TestCase("003A0000005QB3A", "003A0000005QB3AIAW")]
    public void FifteenCharacterIdsGainTheirChecksumSuffix(string id15, string id18)
    {
        Assert.That(SalesforceId.Normalize(id15), Is.EqualTo(id18));
        Assert.That(SalesforceId.Normalize(id18), Is.EqualTo(id18));
        Assert.That(SalesforceId.Normalize(id18[..15] + id18[15..].ToLowerInvariant()), Is.EqualTo(id18), "suffix case is ignored");
    }

    [TestCase("")]
    [TestCase("001A0000006Vm9")]
    [TestCase("001A0000006Vm9rIAD")]
    [TestCase("001A0000006Vm9r-AC")]
    public void MalformedIdsAreRejectedWithTheValue(string id)
    {
        Assert.That(SalesforceId.TryNormalize(id, out _), Is.False);
        Assert.That(() => SalesforceId.Normalize(id), Throws.TypeOf<FormatException>().With.Message.Contains($"'{id}'"));
    }

    [Test]
    public void CreatedIdsAreValidAndDistinct()
    {
        var a = SalesforceId.Create("005", 1);
        var b = SalesforceId.Create("005", 62);
        Assert.That(a, Has.Length.EqualTo(18));
        Assert.That(a, Does.StartWith("0055e0"));
        Assert.That(SalesforceId.Normalize(a[..15]), Is.EqualTo(a));
        Assert.That(b, Is.Not.EqualTo(a));
    }
}

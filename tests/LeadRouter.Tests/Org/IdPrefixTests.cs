using LeadRouter.Org;

namespace LeadRouter.Tests.Org;

public class IdPrefixTests
{
    [TestCase("00G5e000000AbCdEAF", true, false)]
    [TestCase("0055e000000AbCdEAF", false, true)]
    [TestCase(null, false, false)]
    public void OwnerKindFollowsTheKeyPrefix(string? id, bool queue, bool user)
    {
        Assert.That(IdPrefix.IsQueue(id), Is.EqualTo(queue));
        Assert.That(IdPrefix.IsUser(id), Is.EqualTo(user));
    }
}

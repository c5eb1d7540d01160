using LeadRouter.Org;
using LeadRouter.Routing;

namespace LeadRouter.Tests.Routing;

/// <summary>An approval is re-checked against the org as it stands when the manager approves.</summary>
public class ApprovalCheckTests
{
    [Test]
    public void EachApprovalIsRefusedForWhatChangedSinceRoutingAndTheRestPass()
    {
        var org = new TestOrg();
        var ava = org.Rep("Ava", trust: 80);
        var ben = org.Rep("Ben", trust: 70, active: false);
        var cy = org.Rep("Cy", trust: 60);
        var queued = org.Lead();
        var converted = org.Lead(converted: true);
        var taken = org.Lead(ownerId: ava.Id);
        var closed = org.Lead(status: "Closed - Not Converted");
        var deleted = SalesforceId.Create("00Q", 999);
        var rules = TestOrg.Rules() with { UnavailableReps = ["CY@example.com"] };

        var refusals = ApprovalCheck.Refusals(rules, org.Input(),
        [
            new Approval(queued.Id, ava.Id, "C"),
            new Approval(converted.Id, ava.Id, "C"),
            new Approval(taken.Id, ava.Id, "C"),
            new Approval(closed.Id, ava.Id, "C"),
            new Approval(deleted, ava.Id, "C"),
        ]);
        var repRefusals = ApprovalCheck.Refusals(rules, org.Input(),
            [new Approval(queued.Id, ben.Id, "C"), new Approval(org.Lead().Id, cy.Id, "C"), new Approval(org.Lead().Id, "005000000000999AAA", "C")]);

        Assert.That(refusals.Keys, Is.EquivalentTo(new[] { converted.Id, taken.Id, closed.Id, deleted }), "the queued lead passes");
        Assert.That(refusals[converted.Id], Is.EqualTo("the lead was converted"));
        Assert.That(refusals[taken.Id], Is.EqualTo($"the lead is no longer in a routing queue: it is owned by {ava.Id}"));
        Assert.That(refusals[closed.Id], Is.EqualTo("the lead's status is now Closed - Not Converted"));
        Assert.That(refusals[deleted], Is.EqualTo("the lead is no longer in the org (deleted)"));
        Assert.That(repRefusals.Values, Is.EqualTo(new[]
        {
            "the rep Ben is no longer active",
            "the rep Cy is marked unavailable in the routing rules",
            "the rep 005000000000999AAA is no longer a user of the org",
        }));
    }

    [Test]
    public void CapacityCountsTheLeadsGivenThisWeekAndTheApprovalsBeforeInTheBatch()
    {
        var org = new TestOrg();
        var ava = org.Rep("Ava", trust: 80);
        var leads = Enumerable.Range(0, 4).Select(_ => org.Lead()).ToList();
        org.Prior.Add(new PriorAssignment(SalesforceId.Create("00Q", 900), ava.Id, "c"));
        org.Prior.Add(new PriorAssignment(SalesforceId.Create("00Q", 901), ava.Id, "A"));
        var rules = TestOrg.Rules(capacity: 3);

        var refusals = ApprovalCheck.Refusals(rules, org.Input(), leads.Select(l => new Approval(l.Id, ava.Id, "C")).ToList());

        Assert.That(refusals.Keys, Is.EqualTo(new[] { leads[2].Id, leads[3].Id }), "one given this week in tier C, two approved here: full");
        Assert.That(refusals[leads[2].Id], Is.EqualTo("the rep has already been given 3 tier C leads this week, the tier's weekly capacity of 3"));
    }
}

using LeadRouter.Routing;
using LeadRouter.Rules;

namespace LeadRouter.Tests.Routing;

public class PolicyTests
{
    [Test]
    public void TrustWeightedSharesLeadsByTrustSquaredNotWinnerTakesAll()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 80);   // weight 6400
        org.Rep("Ben", trust: 40);   // weight 1600: 4 to 1
        org.AddLeads(100);

        var run = RoutingEngine.Route(TestOrg.Rules(RoutingPolicy.TrustWeighted), org.Input());

        var counts = TestOrg.LeadsByRepName(run);
        Assert.That(counts["Ava"], Is.EqualTo(80));
        Assert.That(counts["Ben"], Is.EqualTo(20));
        Assert.That(run.Decisions.All(d => d.Basis == DecisionBasis.TrustWeighted), Is.True);
    }

    [Test]
    public void TrustWeightedInterleavesLikeSmoothWeightedRoundRobin()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 80);
        org.Rep("Ben", trust: 40);
        org.AddLeads(10);

        var run = RoutingEngine.Route(TestOrg.Rules(RoutingPolicy.TrustWeighted), org.Input());

        // nginx's smooth WRR gives A A B A A for weights 4:1: the light rep is not left to the end.
        Assert.That(run.Decisions.Select(d => d.Rep.Name[0]), Is.EqualTo("AABAAAABAA".ToCharArray()));
        Assert.That(run.Decisions[2].Share, Is.EqualTo(0.2).Within(1e-9));
    }

    [Test]
    public void TrustWeightedCountsLeadsAlreadyAssignedThisWeek()
    {
        var org = new TestOrg();
        var ava = org.Rep("Ava", trust: 50);
        org.Rep("Ben", trust: 50);
        for (var i = 0; i < 4; i++)
            org.Prior.Add(new PriorAssignment($"00Q-prior-{i}", ava.Id, "C"));
        org.AddLeads(6);

        var run = RoutingEngine.Route(TestOrg.Rules(RoutingPolicy.TrustWeighted), org.Input());

        // Equal trust: Ben catches up the four Ava already had, then they alternate.
        Assert.That(TestOrg.LeadsByRepName(run), Is.EqualTo(new Dictionary<string, int> { ["Ava"] = 1, ["Ben"] = 5 }));
    }

    [Test]
    public void StrictTrustFillsTheMostTrustedRepFirst()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 60);
        org.Rep("Ben", trust: 90);
        org.Rep("Cal", trust: 75);
        org.AddLeads(7);

        var run = RoutingEngine.Route(TestOrg.Rules(RoutingPolicy.StrictTrust, capacity: 3), org.Input());

        Assert.That(run.Decisions.Select(d => d.Rep.Name), Is.EqualTo(new[] { "Ben", "Ben", "Ben", "Cal", "Cal", "Cal", "Ava" }));
        Assert.That(run.Decisions[0].Why, Does.Contain("highest trust"));
    }

    [Test]
    public void StrictTrustWithoutCapacityGivesEverythingToTheTopRep()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 60);
        org.Rep("Ben", trust: 90);
        org.AddLeads(5);

        var run = RoutingEngine.Route(TestOrg.Rules(RoutingPolicy.StrictTrust), org.Input());

        Assert.That(TestOrg.LeadsByRepName(run), Is.EqualTo(new Dictionary<string, int> { ["Ben"] = 5 }));
    }

    [Test]
    public void RoundRobinGivesEqualSharesWhateverTheTrust()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 95);
        org.Rep("Ben", trust: 10);
        org.Rep("Cal", trust: 50);
        org.AddLeads(30);

        var run = RoutingEngine.Route(TestOrg.Rules(RoutingPolicy.RoundRobin), org.Input());

        Assert.That(TestOrg.LeadsByRepName(run).Values, Is.All.EqualTo(10));
        Assert.That(run.Decisions.Take(3).Select(d => d.Rep.Name), Is.EqualTo(new[] { "Ava", "Ben", "Cal" }), "turns in rep id order");
        Assert.That(run.Gini, Is.EqualTo(0));
    }

    [Test]
    public void ZeroTrustStillGetsATurnUnderTrustWeighted()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 0);
        org.Rep("Ben", trust: 0);
        org.AddLeads(4);

        var run = RoutingEngine.Route(TestOrg.Rules(RoutingPolicy.TrustWeighted), org.Input());

        Assert.That(TestOrg.LeadsByRepName(run), Is.EqualTo(new Dictionary<string, int> { ["Ava"] = 2, ["Ben"] = 2 }));
    }
}

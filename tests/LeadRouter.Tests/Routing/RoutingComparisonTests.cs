using LeadRouter.Routing;
using LeadRouter.Rules;

namespace LeadRouter.Tests.Routing;

public class RoutingComparisonTests
{
    [Test]
    public void ComparisonShowsWhichLeadsMoveAndHowRepsTiersAndFairnessChange()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 90);
        org.Rep("Ben", trust: 45);
        var hot = org.Lead(rating: "Hot");
        org.AddLeads(4, rating: "Cold");
        var tierA = new Tier("A", [new TierRule("Hot", [TestOrg.Is("Rating", "Hot")])], MinTrust: 50, Mode: RoutingMode.AutoAssign);
        var live = TestOrg.Rules(RoutingPolicy.RoundRobin) with { Tiers = [tierA, new Tier("C", [TestOrg.CatchAll])] };
        var proposed = live with { Policy = RoutingPolicy.StrictTrust, Tiers = [tierA with { Mode = RoutingMode.Recommend }, live.Tiers[1]] };

        var before = RoutingEngine.Route(live, org.Input());
        var after = RoutingEngine.Route(proposed, org.Input());
        var diff = RoutingComparison.Compare(before, after);

        // Round robin split the cold leads 2:2; strict trust gives all to Ava. The hot lead keeps its rep but changes mode.
        var hotChange = diff.Changes.Single(c => c.LeadId == hot.Id);
        Assert.That((hotChange.RepChanged, hotChange.TierChanged, hotChange.ModeChanged), Is.EqualTo((false, false, true)));
        Assert.That(diff.Changes.Count(c => c.RepChanged), Is.EqualTo(2));
        Assert.That(diff.Reps.Select(r => (r.Name, r.Before, r.After)), Is.EquivalentTo(new[] { ("Ava", 3, 5), ("Ben", 2, 0) }));
        Assert.That(diff.Reps.Sum(r => r.Delta), Is.Zero);
        Assert.That(diff.Tiers.Select(t => (t.Tier, t.RoutedDelta)), Is.EqualTo(new[] { ("A", 0), ("C", 0) }));
        Assert.That(diff.GiniBefore, Is.EqualTo(0.1).Within(1e-9));
        Assert.That(diff.GiniAfter, Is.EqualTo(0.5).Within(1e-9));
        Assert.That(diff.GiniChange, Is.EqualTo(0.4).Within(1e-9));
    }

    [Test]
    public void ComparingARunWithItselfShowsNoChange()
    {
        var (rules, input) = RandomOrg.Create(seed: 3);
        var run = RoutingEngine.Route(rules, input);

        var diff = RoutingComparison.Compare(run, run);

        Assert.That(diff.Changes, Is.Empty);
        Assert.That(diff.Reps.Select(r => r.Delta), Is.All.Zero);
        Assert.That(diff.GiniChange, Is.Zero);
    }
}

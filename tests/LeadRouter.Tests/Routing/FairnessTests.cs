using LeadRouter.Routing;
using LeadRouter.Rules;

namespace LeadRouter.Tests.Routing;

public class FairnessTests
{
    [Test]
    public void RampingRepIsScoredAtTheTeamMeanNeverBelow()
    {
        var org = new TestOrg();
        org.Rep("Newbie", trust: 20, weeks: 1, teamMean: 60);
        org.Rep("Veteran", trust: 20, weeks: 10, teamMean: 60);
        org.AddLeads(3);

        var run = RoutingEngine.Route(TestOrg.Rules(minTrust: 50, rampWeeks: 4), org.Input());

        Assert.That(run.Decisions, Has.Count.EqualTo(3));
        Assert.That(run.Decisions.Select(d => d.Rep.Name), Is.All.EqualTo("Newbie"));
        var rep = run.Decisions[0].Rep;
        Assert.That((rep.Ramping, rep.Trust, rep.ScoredTrust), Is.EqualTo((true, 20.0, 60.0)));
        Assert.That(run.Decisions[0].Why, Does.Contain("ramping"));
        var belowMinTrust = run.Decisions[0].ExcludedReps.Single();
        Assert.That((belowMinTrust.Reason, belowMinTrust.Count, belowMinTrust.FirstNames[0]),
            Is.EqualTo((ExclusionReason.BelowMinTrust, 1, "Veteran")));
    }

    [Test]
    public void RampingRepAboveTheTeamMeanKeepsTheirOwnTrust()
    {
        var org = new TestOrg();
        org.Rep("Star", trust: 85, weeks: 2, teamMean: 60);
        org.AddLeads(1);

        var run = RoutingEngine.Route(TestOrg.Rules(rampWeeks: 4), org.Input());

        Assert.That(run.Decisions[0].Rep.ScoredTrust, Is.EqualTo(85));
    }

    [Test]
    public void WeeklyFloorServesEveryEligibleRepFromTheLowestPriorityLeads()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 95);
        org.Rep("Ben", trust: 90);
        org.Rep("Low", trust: 10);
        org.AddLeads(20);

        var run = RoutingEngine.Route(TestOrg.Rules(RoutingPolicy.StrictTrust, floor: 2), org.Input());

        var counts = TestOrg.LeadsByRepName(run);
        Assert.That(counts["Low"], Is.EqualTo(2));
        Assert.That(counts["Ben"], Is.EqualTo(2), "strict trust gives Ben nothing beyond his floor");
        Assert.That(counts["Ava"], Is.EqualTo(16));
        var floorDecisions = run.Decisions.Where(d => d.Basis == DecisionBasis.WeeklyFloor).ToList();
        Assert.That(floorDecisions, Has.Count.EqualTo(6));
        // The floor takes the oldest leads (the end of the priority order); the newest go by policy.
        Assert.That(run.Decisions.Take(14).Select(d => d.Basis), Is.All.EqualTo(DecisionBasis.StrictTrust));
        Assert.That(floorDecisions.First(d => d.Rep.Name == "Low").Why, Does.Contain("weekly floor"));
    }

    [Test]
    public void WeeklyFloorCountsLeadsAlreadyAssignedThisWeek()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 95);
        var low = org.Rep("Low", trust: 10);
        org.Prior.Add(new PriorAssignment("00Q-earlier", low.Id, "C"));
        org.AddLeads(10);

        var run = RoutingEngine.Route(TestOrg.Rules(RoutingPolicy.StrictTrust, floor: 1), org.Input());

        Assert.That(TestOrg.LeadsByRepName(run), Is.EqualTo(new Dictionary<string, int> { ["Ava"] = 10 }));
        Assert.That(run.LeadsPerRep.Single(r => r.Name == "Low").LeadsThisWeek, Is.EqualTo(1));
    }

    [Test]
    public void WeeklyFloorWithTooFewLeadsServesTheRepsFurthestBehind()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 95);
        org.Rep("Ben", trust: 60);
        org.Rep("Cal", trust: 30);
        org.AddLeads(2);

        var run = RoutingEngine.Route(TestOrg.Rules(RoutingPolicy.StrictTrust, floor: 1), org.Input());

        // Two leads, three reps under the floor: the most trusted two get one each, nobody gets two.
        Assert.That(run.Decisions.Select(d => d.Rep.Name).Order(), Is.EqualTo(new[] { "Ava", "Ben" }));
        Assert.That(run.Decisions.Select(d => d.Basis), Is.All.EqualTo(DecisionBasis.WeeklyFloor));
    }

    [TestCase(new[] { 5, 5, 5, 5 }, 0.0)]
    [TestCase(new[] { 0, 0, 0, 4 }, 0.75)]
    [TestCase(new[] { 1, 2, 3, 4 }, 0.25)]
    [TestCase(new int[0], 0.0)]
    [TestCase(new[] { 0, 0 }, 0.0)]
    public void GiniCoefficientOfLeadsPerRep(int[] counts, double expected) =>
        Assert.That(GiniCoefficient.Of(counts), Is.EqualTo(expected).Within(1e-12));

    [Test]
    public void RunReportsGiniOverEveryEligibleRepIncludingThoseWithNoLeads()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 90);
        org.Rep("Ben", trust: 80);
        org.Rep("Cal", trust: 70);
        org.Rep("Dan", trust: 60);
        org.AddLeads(4);

        var run = RoutingEngine.Route(TestOrg.Rules(RoutingPolicy.StrictTrust), org.Input());

        Assert.That(run.LeadsPerRep.Select(r => r.Leads).Order(), Is.EqualTo(new[] { 0, 0, 0, 4 }));
        Assert.That(run.Gini, Is.EqualTo(0.75).Within(1e-12));
    }
}

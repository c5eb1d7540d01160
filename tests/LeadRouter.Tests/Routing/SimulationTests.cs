using LeadRouter.Org;
using LeadRouter.Routing;
using LeadRouter.Routing.Simulation;
using LeadRouter.Rules;
using LeadRouter.Trust;

namespace LeadRouter.Tests.Routing;

/// <summary>The replay of past weeks on hand-built orgs whose figures can be worked out by hand.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class SimulationTests
{
    private static readonly DateTimeOffset FirstMonday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly Queue Inbound = TestOrg.Inbound;
    private static readonly Queue Nurture = new(SalesforceId.Create(IdPrefix.Queue, 2), "Nurture", "Nurture");
    private static readonly User Manager = new(SalesforceId.Create(IdPrefix.User, 1), "Manager", "manager@example.com", null, true, null, null, "US", "UTC");

    private readonly List<User> _users = [Manager];
    private readonly List<Lead> _leads = [];
    private long _nextLead = 1;

    [Test]
    public void GiniOfLeadsPerRepIsThePopulationGini()
    {
        Assert.That(GiniCoefficient.Of([0, 0, 0, 4]), Is.EqualTo(0.75).Within(1e-12));
        Assert.That(GiniCoefficient.Of([2, 2, 2, 2]), Is.EqualTo(0).Within(1e-12));
    }

    [Test]
    public void StrictTrustGivesEveryLeadToTheMostTrustedRep()
    {
        var reps = new[] { Rep("Ada"), Rep("Ben"), Rep("Cy"), Rep("Dee") };
        for (var i = 0; i < 4; i++)
            Lead(Inbound.Id, week: 0);

        var report = RoutingSimulation.Run(Rules(RoutingPolicy.StrictTrust),
            Input(Week(0, Standing(reps[0], 40), Standing(reps[1], 90), Standing(reps[2], 60), Standing(reps[3], 70))));

        Assert.That(report.Reps.Select(r => (r.Name, r.Received, r.Share)),
            Is.EqualTo(new[] { ("Ben", 4, 1.0), ("Dee", 0, 0.0), ("Cy", 0, 0.0), ("Ada", 0, 0.0) }));
        Assert.That(report.Fairness.Gini, Is.EqualTo(0.75).Within(1e-12), "leads per rep [0, 0, 0, 4]");
        Assert.That(report.Weeks.Single().Gini, Is.EqualTo(0.75).Within(1e-12));
        Assert.That(report.Tiers.Single().MeanTrust, Is.EqualTo(90));
    }

    [Test]
    public void CapacityLeavesLeadsWaitingAndTheNextWeekRoutesThem()
    {
        var (ada, ben) = (Rep("Ada"), Rep("Ben"));
        for (var i = 0; i < 5; i++)
            Lead(Inbound.Id, week: 0);
        Lead(Inbound.Id, week: 1);

        var report = RoutingSimulation.Run(Rules(RoutingPolicy.RoundRobin, capacity: 2),
            Input(Week(0, Standing(ada, 70), Standing(ben, 60)), Week(1, Standing(ada, 70), Standing(ben, 60))));

        // Week 1: 5 leads, 2 reps × capacity 2 → 4 routed, 1 waits; week 2: that one and the new one, capacity afresh.
        Assert.That(report.Weeks.Select(w => (w.Pooled, w.Routed, w.Unroutable)), Is.EqualTo(new[] { (5, 4, 1), (2, 2, 0) }));
        Assert.That((report.Routed, report.Unroutable), Is.EqualTo((6, 0)));
        Assert.That(report.Reps.Select(r => (r.Name, r.Received, r.Share)), Is.EqualTo(new[] { ("Ada", 3, 0.5), ("Ben", 3, 0.5) }));
        // Each rep: 3 leads of a capacity of 2 a week over 2 weeks.
        Assert.That(report.Reps.Select(r => r.CapacityUsed), Is.All.EqualTo(0.75));
        Assert.That(report.Tiers.Single().CapacityUsed, Is.EqualTo(6 / 8.0));
        Assert.That(report.Reps.Select(r => r.ReceivedByTier["C"]), Is.EqualTo(new[] { 3, 3 }));
        Assert.That(report.UnroutableByReason, Is.Empty, "the lead that waited was routed the next week");
    }

    [Test]
    public void AReplayRoutesItsWeeksInOrderAndReportsOnlyOnceOneIsRouted()
    {
        var ada = Rep("Ada");
        Lead(Inbound.Id, week: 0);
        var replay = new RoutingReplay(Rules(RoutingPolicy.RoundRobin), _leads, _users, [Inbound, Nurture], FirstMonday, FirstMonday.AddDays(14));
        Assert.That(replay.Finish, Throws.InvalidOperationException);

        replay.Route(Week(1, Standing(ada, 70)));

        Assert.That(() => replay.Route(Week(0, Standing(ada, 70))), Throws.ArgumentException.With.Message.Contains("2026-W45"),
            "the week before one already routed would see leads routed after it");
        Assert.That(() => replay.Route(Week(2, Standing(ada, 70))), Throws.ArgumentException.With.Message.Contains("2026-W47"),
            "a week after the replay's end");
        Assert.That(replay.Finish().Weeks.Select(w => w.Week), Is.EqualTo(new[] { "2026-W46" }));
    }

    [Test]
    public void UnroutableLeadsAreCountedOnceByTheirLastReason()
    {
        var ada = Rep("Ada");
        Lead(Inbound.Id, week: 0);
        Lead(Inbound.Id, week: 0);
        Lead(Inbound.Id, week: 1);

        var report = RoutingSimulation.Run(Rules(RoutingPolicy.RoundRobin, capacity: 1),
            Input(Week(0, Standing(ada, 70)), Week(1, Standing(ada, 70))));

        Assert.That(report.Weeks.Select(w => (w.Pooled, w.Routed, w.Unroutable)), Is.EqualTo(new[] { (2, 1, 1), (2, 1, 1) }));
        Assert.That(report.UnroutableByReason, Is.EqualTo(new[] { new ReasonCount(UnroutableReason.AllAtCapacity, 1) }));
        Assert.That(report.Tiers.Single().Unroutable, Is.EqualTo(1));

        var closed = RoutingSimulation.Run(Rules(RoutingPolicy.RoundRobin, minTrust: 80), Input(Week(0, Standing(ada, 70)), Week(1, Standing(ada, 70))));
        Assert.That(closed.UnroutableByReason, Is.EqualTo(new[] { new ReasonCount(UnroutableReason.NoEligibleRep, 3) }));
    }

    [Test]
    public void ComparesWithTodaysOwnersAndTheirTrustThatWeek()
    {
        var (ada, ben) = (Rep("Ada"), Rep("Ben"));
        var sameAsToday = Lead(ada.Id, week: 0, status: "Closed - Converted", converted: true);
        var toAnother = Lead(ben.Id, week: 0);
        Lead(Inbound.Id, week: 0);
        Lead(Nurture.Id, week: 0);
        Lead(ben.Id, week: -1);

        var report = RoutingSimulation.Run(Rules(RoutingPolicy.StrictTrust), Input(Week(0, Standing(ada, 80), Standing(ben, 50))));

        // A lead a user owns now came through the queue (and was open then); the nurture queue's lead and
        // the lead owned since before the first week were never in this replay's pool.
        Assert.That(report.Weeks.Single().Pooled, Is.EqualTo(3));
        var actual = report.AgainstActual;
        Assert.That((actual.Routed, actual.SameRep, actual.DifferentRep, actual.StillQueued, actual.UnroutedButOwned), Is.EqualTo((3, 1, 1, 1, 0)));
        Assert.That((actual.MeanSimulatedTrust, actual.MeanActualTrust, actual.ActualNotScored), Is.EqualTo((80.0, 50.0, 0)));
        var difference = actual.Examples.Single();
        Assert.That((difference.LeadId, difference.SimulatedRep, difference.ActualOwner, difference.ActualTrust), Is.EqualTo((toAnother.Id, "Ada", "Ben", 50.0)));
        Assert.That(report.Reps.Single(r => r.Name == "Ada").Received, Is.EqualTo(3), $"{sameAsToday.Id} was replayed as an open lead");
    }

    [Test]
    public void BaselineShowsBothFiguresAndTheirDifference()
    {
        var (ada, ben) = (Rep("Ada"), Rep("Ben"));
        for (var i = 0; i < 4; i++)
            Lead(Inbound.Id, week: 0);
        var input = Input(Week(0, Standing(ada, 90), Standing(ben, 60)));

        var strict = RoutingSimulation.Run(Rules(RoutingPolicy.StrictTrust), input);
        var roundRobin = RoutingSimulation.Run(Rules(RoutingPolicy.RoundRobin), input);
        var comparison = SimulationComparison.Of(strict, roundRobin);

        Assert.That((comparison.Routed.Before, comparison.Routed.After, comparison.Routed.Difference), Is.EqualTo((4.0, 4.0, 0.0)));
        Assert.That((comparison.Gini.Before, comparison.Gini.After), Is.EqualTo((0.5, 0.0)), "[0, 4] against [2, 2]");
        Assert.That(comparison.Gini.Difference, Is.EqualTo(-0.5));
        Assert.That(comparison.Reps.Select(r => (r.Name, r.Before, r.After, r.Delta)), Is.EqualTo(new[] { ("Ada", 4, 2, -2), ("Ben", 0, 2, 2) }));
        Assert.That(comparison.LeadsToAnotherRep, Is.EqualTo(2));
        Assert.That(comparison.Tiers.Single(), Is.EqualTo(new TierDelta("C", 4, 4, 0, 0)));
    }

    [Test]
    public void RampingRepsAndRepsUnderTheFloorAreCountedPerWeek()
    {
        var (ada, newbie) = (Rep("Ada"), Rep("Newbie"));
        Lead(Inbound.Id, week: 0);
        var rules = Rules(RoutingPolicy.StrictTrust) with { Fairness = new FairnessSettings { WeeklyFloor = 2, RampWeeks = 4 } };

        var report = RoutingSimulation.Run(rules, Input(Week(0, Standing(ada, 90), Standing(newbie, 30, weeks: 1, teamMean: 60)),
            Week(1, Standing(ada, 90), Standing(newbie, 30, weeks: 2, teamMean: 60))));

        // One lead in week 1 goes to the rep furthest under the floor of 2 (both at 0: the higher trust, Ada); Newbie stays under.
        Assert.That(report.Weeks.Select(w => (w.UnderFloor, w.Ramping)), Is.EqualTo(new[] { (2, 1), (0, 0) }));
        Assert.That((report.Fairness.RepWeeksUnderFloor, report.Fairness.RampingReps), Is.EqualTo((2, 1)));
        Assert.That(report.Reps.Single(r => r.Name == "Newbie").WeeksRamping, Is.EqualTo(1));
    }

    [Test]
    public void KeptWeeklyScoresReplaceTheRecomputedTrustAndTheTeamMeanFollows()
    {
        var report = new TrustReport(FirstMonday, "2026-W45", "UTC",
            [RepTrust("005A", 40, 0.5, 3), RepTrust("005B", 60, 0.7, 10)], [], []);

        var standings = RepStandings.From(report, new Dictionary<string, KeptTrust> { ["005A"] = new(80, 0.9) });

        Assert.That(standings, Is.EqualTo(new[]
        {
            new RepStanding("005A", 80, 0.9, 3, 70),
            new RepStanding("005B", 60, 0.7, 10, 70),
        }));
    }

    [Test]
    public void WeeksEndWithTheLastCompletedOneInTheOrgsTimeZone()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        // Wednesday of 2026-W48: the last completed week is W47.
        var weeks = SimulatedWeeks.Ending(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), paris, 4);

        Assert.That(weeks.Select(w => w.Week), Is.EqualTo(new[] { "2026-W44", "2026-W45", "2026-W46", "2026-W47" }));
        Assert.That(weeks[0].Start, Is.EqualTo(new DateTimeOffset(2026, 10, 26, 0, 0, 0, TimeSpan.FromHours(1))));
        Assert.That(weeks[^1].End, Is.EqualTo(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(1))));

        var between = SimulatedWeeks.Between(new DateOnly(2026, 11, 4), new DateOnly(2026, 11, 16), paris);
        Assert.That(between.Select(w => w.Week), Is.EqualTo(new[] { "2026-W45", "2026-W46", "2026-W47" }));
        Assert.That(() => SimulatedWeeks.Between(new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 4), paris), Throws.ArgumentException);
    }

    private static RepTrust RepTrust(string id, double trust, double confidence, int weeks) =>
        new(id, id, "005M", trust, confidence, weeks, [], trust, 0, false, [], [], []);

    private User Rep(string name)
    {
        var user = new User(SalesforceId.Create(IdPrefix.User, 100 + _users.Count), name, $"{name.ToLowerInvariant()}@example.com",
            null, true, Manager.Id, null, "US", "UTC");
        _users.Add(user);
        return user;
    }

    /// <summary>A lead created on the Tuesday of week <paramref name="week"/> (0 = the first replayed week), owned now by <paramref name="ownerId"/>.</summary>
    private Lead Lead(string ownerId, int week, string? status = "Open - Not Contacted", bool converted = false)
    {
        var lead = new Lead(SalesforceId.Create("00Q", _nextLead), ownerId, status, converted, "Hot", "Web", null, null, null, "US", null,
            $"Company {_nextLead}", FirstMonday.AddDays(7 * week + 1).AddMinutes(_nextLead));
        _nextLead++;
        _leads.Add(lead);
        return lead;
    }

    private static RepStanding Standing(User rep, double trust, int weeks = 12, double teamMean = 50) => new(rep.Id, trust, 0.9, weeks, teamMean);

    private static SimulatedWeek Week(int index, params RepStanding[] reps)
    {
        var start = FirstMonday.AddDays(7 * index);
        return new SimulatedWeek($"2026-W{45 + index}", start, start.AddDays(7), reps);
    }

    private SimulationInput Input(params SimulatedWeek[] weeks) => new(weeks, _leads, _users, [Inbound, Nurture]);

    private static RoutingRules Rules(RoutingPolicy policy, int? capacity = null, double minTrust = 0) =>
        TestOrg.Rules(policy, capacity, minTrust);
}

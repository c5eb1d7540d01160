using LeadRouter.Org;
using LeadRouter.Routing;
using LeadRouter.Rules;

namespace LeadRouter.Tests.Routing;

public class RoutingEngineTests
{
    private static readonly Tier TierA = new("A", [new TierRule("Hot", [TestOrg.Is("Rating", "hot")])], MinTrust: 70, Mode: RoutingMode.AutoAssign);
    private static readonly Tier TierC = new("C", [TestOrg.CatchAll]);

    private static RoutingRules TwoTiers(int floor = 0) =>
        TestOrg.Rules(floor: floor) with { Tiers = [TierA, TierC] };

    [Test]
    public void PoolHoldsOpenUnconvertedLeadsOfTheRoutingQueuesOnly()
    {
        var org = new TestOrg();
        var rep = org.Rep("Ava", trust: 80);
        var open = org.Lead();
        org.Lead(status: "Closed - Not Converted");
        org.Lead(converted: true);
        org.Lead(ownerId: rep.Id);
        org.Lead(ownerId: SalesforceId.Create(IdPrefix.Queue, 99));
        org.Leads.Add(open with { Id = SalesforceId.Create("00Q", 500), CreatedDate = TestOrg.AsOf.AddHours(1) });

        var run = RoutingEngine.Route(TestOrg.Rules(), org.Input());

        Assert.That(run.PoolSize, Is.EqualTo(1));
        Assert.That(run.Decisions.Select(d => d.LeadId), Is.EqualTo(new[] { open.Id }));
    }

    [Test]
    public void QueuesAreFoundByDeveloperNameOrFifteenCharacterIdAndUnknownOnesAreReported()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 80);
        org.AddLeads(2);
        var rules = TestOrg.Rules() with { Queues = [TestOrg.Inbound.Id[..15], "No_Such_Queue"] };

        var run = RoutingEngine.Route(rules, org.Input());

        Assert.That(run.Decisions, Has.Count.EqualTo(2));
        Assert.That(run.Warnings, Is.EqualTo(new[] { "queue 'No_Such_Queue' is not a queue of the org; it contributes no leads" }));
    }

    [Test]
    public void LeadsAreTieredByTheFirstMatchingRuleAndRoutedInPriorityOrder()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 80);
        var coldNew = org.Lead(rating: "Cold", ageMinutes: 0);
        var hotOld = org.Lead(rating: "Hot", ageMinutes: 100);
        var hotNew = org.Lead(rating: "HOT", ageMinutes: 10);

        var run = RoutingEngine.Route(TwoTiers(), org.Input());

        Assert.That(run.Decisions.Select(d => d.LeadId), Is.EqualTo(new[] { hotNew.Id, hotOld.Id, coldNew.Id }));
        Assert.That(run.Decisions.Select(d => (d.Tier, d.Rule, d.Mode)), Is.EqualTo(new[]
        {
            ("A", "Hot", RoutingMode.AutoAssign), ("A", "Hot", RoutingMode.AutoAssign), ("C", "Everything else", RoutingMode.Recommend),
        }));
        Assert.That(run.LeadsPerTier.Select(t => (t.Tier, t.Routed)), Is.EqualTo(new[] { ("A", 2), ("C", 1) }));
    }

    [Test]
    public void EveryDecisionExplainsTheRuleTheRepAndTheExcludedRepsByReason()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 90);
        org.Rep("Ben", trust: 40);
        org.Rep("Cat", trust: 80, confidence: 0.1);
        org.Rep("Dee", trust: 99, active: false);
        org.Rep("Eve", trust: 99);
        org.Rep("Fay", trust: 99, scored: false);
        org.Lead(rating: "Hot");
        var rules = TwoTiers() with
        {
            Tiers = [TierA with { MinConfidence = 0.5 }, TierC],
            UnavailableReps = ["EVE@example.com"],
        };

        var decision = RoutingEngine.Route(rules, org.Input()).Decisions.Single();

        Assert.That(decision.Rep.Name, Is.EqualTo("Ava"));
        Assert.That(decision.EligibleReps.Select(r => (r.Name, r.ScoredTrust)), Is.EqualTo(new[] { ("Ava", 90.0) }));
        Assert.That(decision.ExcludedReps.Select(e => (e.Reason, e.Count, e.FirstNames.Single())), Is.EqualTo(new[]
        {
            (ExclusionReason.Inactive, 1, "Dee"),
            (ExclusionReason.Unavailable, 1, "Eve"),
            (ExclusionReason.NotScored, 1, "Fay"),
            (ExclusionReason.BelowMinTrust, 1, "Ben"),
            (ExclusionReason.BelowMinConfidence, 1, "Cat"),
        }));
        Assert.That(decision.Why, Does.StartWith("Tier A by rule 'Hot'; trust-weighted turn: Ava, trust 90"));
    }

    [Test]
    public void ExclusionsStayCompactWithManyReps()
    {
        var org = new TestOrg();
        for (var i = 0; i < 500; i++)
            org.Rep($"Far{i:D3}", trust: 80, country: "FR");
        org.Rep("Local1", trust: 80);
        org.Rep("Local2", trust: 70);
        org.AddLeads(5);
        var byCountry = new Territory("Home country", [], [], [new UserCondition("Country", ConditionOperator.EqualTo, [], "Country")]);

        var run = RoutingEngine.Route(TestOrg.Rules(capacity: 2, territories: byCountry), org.Input());

        var territory = run.Decisions[0].ExcludedReps.Single();
        Assert.That((territory.Reason, territory.Count), Is.EqualTo((ExclusionReason.Territory, 500)));
        Assert.That(territory.FirstNames, Is.EqualTo(new[] { "Far000", "Far001", "Far002" }));
        Assert.That(run.Decisions.Select(d => d.Candidates).Distinct().Count(), Is.EqualTo(1), "one shared candidate list per group");
        // After both local reps used their capacity of 2, the fifth lead is unroutable and says why.
        var capacity = run.Decisions[^1].ExcludedReps.Single(e => e.Reason == ExclusionReason.Capacity);
        Assert.That(capacity.Count, Is.EqualTo(1));
        var unroutable = run.Unroutable.Single();
        Assert.That(unroutable.Reason, Is.EqualTo(UnroutableReason.AllAtCapacity));
        Assert.That(unroutable.ExcludedReps.Single(e => e.Reason == ExclusionReason.Capacity).FirstNames, Has.Count.EqualTo(2));
    }

    [Test]
    public void UnroutableLeadsAreReportedWithTheirReasonNeverDropped()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 50, country: "US");
        var noRule = org.Lead(rating: "Cold");
        var noTerritory = org.Lead(rating: "Hot", country: null);
        var noEligible = org.Lead(rating: "Hot", country: "US");
        var rules = TestOrg.Rules() with
        {
            Tiers = [TierA],
            Territories = [new Territory("Americas", [TestOrg.Is("Country", "US")], ["ava@example.com"], [])],
        };

        var run = RoutingEngine.Route(rules, org.Input());

        Assert.That(run.Decisions, Is.Empty);
        var reasons = run.Unroutable.ToDictionary(u => u.LeadId, u => u.Reason);
        Assert.That(reasons, Is.EqualTo(new Dictionary<string, UnroutableReason>
        {
            [noRule.Id] = UnroutableReason.NoTierRule,
            [noTerritory.Id] = UnroutableReason.NoTerritory,
            [noEligible.Id] = UnroutableReason.NoEligibleRep,
        }));
        var none = run.Unroutable.Single(u => u.Reason == UnroutableReason.NoEligibleRep);
        Assert.That(none.Message, Is.EqualTo("no rep can take tier A leads in territory Americas: 1 BelowMinTrust: Ava"));
        Assert.That(run.LeadsPerTier.Single().Unroutable, Is.EqualTo(2));
    }

    [Test]
    public void TerritoryRepsComeFromUsernamesAndUserConditions()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 80, country: "DE");
        org.Rep("Ben", trust: 80, country: "AT");
        org.Rep("Cal", trust: 80, country: "US");
        org.Rep("Dee", trust: 80, country: "US");
        org.AddLeads(12, country: "Germany");
        var dach = new Territory("DACH", [new Condition("Country", ConditionOperator.In, ["Germany", "DE"])], ["cal@example.com"],
            [new UserCondition("Country", ConditionOperator.In, ["DE", "AT", "CH"])]);

        var run = RoutingEngine.Route(TestOrg.Rules(territories: dach), org.Input());

        Assert.That(TestOrg.LeadsByRepName(run).Keys.Order(), Is.EqualTo(new[] { "Ava", "Ben", "Cal" }));
        Assert.That(run.Decisions.Select(d => d.Territory), Is.All.EqualTo("DACH"));
    }

    [Test]
    public void SameInputRoutesIdenticallyTwice()
    {
        var (rules, input) = RandomOrg.Create(seed: 7);

        var first = RoutingEngine.Route(rules, input);
        var second = RoutingEngine.Route(rules, input with { Leads = input.Leads.Reverse().ToList(), Users = input.Users.Reverse().ToList() });

        Assert.That(first.Decisions, Is.Not.Empty);
        Assert.That(second.Decisions.Select(d => (d.LeadId, d.RepId, d.Tier, d.Basis, d.Why)),
            Is.EqualTo(first.Decisions.Select(d => (d.LeadId, d.RepId, d.Tier, d.Basis, d.Why))));
        Assert.That(second.Unroutable.Select(u => (u.LeadId, u.Reason, u.Message)),
            Is.EqualTo(first.Unroutable.Select(u => (u.LeadId, u.Reason, u.Message))));
        Assert.That(second.Gini, Is.EqualTo(first.Gini));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public void CapacityTerritoryAndThresholdsAreNeverBroken(int seed)
    {
        var (rules, input) = RandomOrg.Create(seed);

        var run = RoutingEngine.Route(rules, input);

        var users = input.Users.ToDictionary(u => u.Id);
        var standings = input.Reps.ToDictionary(s => s.RepId);
        var unavailable = rules.UnavailableReps.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var perRepTier = input.AssignedThisWeek.GroupBy(p => (p.RepId, p.Tier)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var d in run.Decisions)
        {
            var user = users[d.RepId];
            var standing = standings[d.RepId];
            var tier = rules.Tiers.Single(t => t.Name == d.Tier);
            var scored = standing.WeeksOfData < rules.Fairness.RampWeeks ? Math.Max(standing.Trust, standing.TeamMeanTrust) : standing.Trust;
            Assert.That(user.IsActive, Is.True, d.Why);
            Assert.That(unavailable, Does.Not.Contain(user.Username), d.Why);
            Assert.That(RandomOrg.InTerritory(user, d.Lead), Is.True, $"{d.Why} ({user.Country} vs {d.Lead.Country})");
            Assert.That(scored, Is.GreaterThanOrEqualTo(tier.MinTrust), d.Why);
            Assert.That(standing.Confidence, Is.GreaterThanOrEqualTo(tier.MinConfidence), d.Why);
            Assert.That(tier.Rules.First(r => r.Name == d.Rule), Is.Not.Null);
            Assert.That(d.EligibleReps.Select(r => r.RepId), Does.Contain(d.RepId));
            var key = (d.RepId, d.Tier);
            perRepTier[key] = perRepTier.GetValueOrDefault(key) + 1;
            Assert.That(perRepTier[key], Is.LessThanOrEqualTo(tier.WeeklyCapacity ?? int.MaxValue), d.Why);
        }
        var routed = run.Decisions.Select(d => d.LeadId).Concat(run.Unroutable.Select(u => u.LeadId)).ToList();
        Assert.That(routed, Is.Unique);
        Assert.That(routed, Has.Count.EqualTo(run.PoolSize));
        Assert.That(run.PoolSize, Is.GreaterThan(100));
        Assert.That(run.Unroutable.Where(u => u.Reason == UnroutableReason.AllAtCapacity), Is.Not.Empty, "the seeded org runs out of capacity");
    }

    [Test]
    public void BadInputIsRejectedWithTheOffendingRecord()
    {
        var org = new TestOrg();
        var ava = org.Rep("Ava", trust: 80);
        var lead = org.Lead();
        org.Leads.Add(lead);

        var duplicateLead = Assert.Throws<ArgumentException>(() => RoutingEngine.Route(TestOrg.Rules(), org.Input()))!;
        Assert.That(duplicateLead.Message, Does.Contain(lead.Id));

        org.Leads.RemoveAt(1);
        org.Standings[0] = org.Standings[0] with { Trust = 140 };
        var badTrust = Assert.Throws<ArgumentException>(() => RoutingEngine.Route(TestOrg.Rules(), org.Input()))!;
        Assert.That(badTrust.Message, Does.Contain(ava.Id).And.Contain("140"));
    }

    [Test]
    public void NamesMissingFromTheOrgAreReportedAsWarnings()
    {
        var org = new TestOrg();
        org.Rep("Ava", trust: 80);
        org.AddLeads(1);
        var rules = TestOrg.Rules(territories: new Territory("All", [], ["ava@example.com", "gone@example.com"], [])) with
        {
            UnavailableReps = ["left@example.com"],
        };

        var run = RoutingEngine.Route(rules, org.Input());

        Assert.That(run.Decisions, Has.Count.EqualTo(1));
        Assert.That(run.Warnings, Is.EqualTo(new[]
        {
            "unavailable rep 'left@example.com' is not a user of the org",
            "territory All names 'gone@example.com', who is not a user of the org",
        }));
    }
}

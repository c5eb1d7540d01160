using LeadRouter.Org;
using LeadRouter.Routing;
using LeadRouter.Rules;

namespace LeadRouter.Tests.Routing;

/// <summary>A seeded random org with three tiers, territories by country, and every kind of rep (inactive, unavailable, unscored, ramping).</summary>
internal static class RandomOrg
{
    private static readonly string[] Countries = ["US", "DE", "AT", "FR"];
    private static readonly string[] Dach = ["DE", "AT"];
    private static readonly string[] InsideSales = ["rep000@example.com", "rep001@example.com"];

    public static (RoutingRules Rules, RoutingInput Input) Create(int seed)
    {
        var random = new Random(seed);
        var queue = new Queue(SalesforceId.Create(IdPrefix.Queue, 1), "Inbound_Leads", "Inbound");
        var manager = new User(SalesforceId.Create(IdPrefix.User, 1), "Manager", "manager@example.com", null, true, null, null, "US", "UTC");
        var users = new List<User> { manager };
        var standings = new List<RepStanding>();
        for (var i = 0; i < 60; i++)
        {
            var user = new User(SalesforceId.Create(IdPrefix.User, 100 + i), $"Rep{i:D3}", $"rep{i:D3}@example.com", null,
                IsActive: random.NextDouble() > 0.1, manager.Id, null, Countries[random.Next(Countries.Length)], "UTC");
            users.Add(user);
            if (random.NextDouble() > 0.05)
            {
                standings.Add(new RepStanding(user.Id, Math.Round(random.NextDouble() * 100, 1), random.NextDouble(),
                    random.Next(0, 13), 40 + (random.NextDouble() * 30)));
            }
        }

        var asOf = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        string?[] ratings = ["Hot", "Warm", "Cold", null];
        string[] statuses = ["Open - Not Contacted", "Working - Contacted", "Closed - Not Converted"];
        var leads = new List<Lead>();
        for (var i = 0; i < 500; i++)
        {
            var owner = random.NextDouble() < 0.9 ? queue.Id : users[1 + random.Next(60)].Id;
            leads.Add(new Lead(SalesforceId.Create("00Q", i + 1), owner, statuses[random.Next(statuses.Length)], random.NextDouble() < 0.05,
                ratings[random.Next(ratings.Length)], "Web", null, random.Next(0, 30) * 1_000_000m, random.Next(1, 5000),
                random.NextDouble() < 0.1 ? null : Countries[random.Next(Countries.Length)], null, $"Company {i}",
                asOf.AddMinutes(-random.Next(0, 10_000))));
        }

        var prior = Enumerable.Range(0, 40)
            .Select(i => new PriorAssignment($"00Q-prior-{i}", users[1 + random.Next(60)].Id, random.Next(2) == 0 ? "A" : "C"))
            .ToList();

        var rules = new RoutingRules
        {
            Queues = ["Inbound_Leads"],
            Tiers =
            [
                new Tier("A", [
                    new TierRule("Hot", [new Condition("Rating", ConditionOperator.EqualTo, ["Hot"])]),
                    new TierRule("Large", [new Condition("AnnualRevenue", ConditionOperator.GreaterThan, ["10000000"])]),
                ], MinTrust: 60, MinConfidence: 0.4, WeeklyCapacity: 3, Mode: RoutingMode.AutoAssign),
                new Tier("B", [new TierRule("Warm", [new Condition("Rating", ConditionOperator.EqualTo, ["Warm"])])], MinTrust: 40, MinConfidence: 0.2, WeeklyCapacity: 4),
                new Tier("C", [new TierRule("Everything else", [])], WeeklyCapacity: 2),
            ],
            Territories =
            [
                new Territory("DACH", [new Condition("Country", ConditionOperator.In, Dach)], [], [new UserCondition("Country", ConditionOperator.In, Dach)]),
                new Territory("Home country", [new Condition("Country", ConditionOperator.IsNotBlank, [])], [],
                    [new UserCondition("Country", ConditionOperator.EqualTo, [], LeadField: "Country")]),
                new Territory("Inside sales", [], InsideSales, []),
            ],
            UnavailableReps = ["rep003@example.com", "rep010@example.com"],
            Fairness = new FairnessSettings { RampWeeks = 4, WeeklyFloor = 1 },
        };
        return (rules, new RoutingInput(leads, users, [queue], standings, prior, asOf));
    }

    /// <summary>The territory rule of <see cref="Create"/>, written independently of the engine.</summary>
    public static bool InTerritory(User user, Lead lead) =>
        lead.Country is null ? InsideSales.Contains(user.Username)
        : Dach.Contains(lead.Country) ? Dach.Contains(user.Country)
        : user.Country == lead.Country;
}

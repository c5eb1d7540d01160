using BenchmarkDotNet.Attributes;
using LeadRouter.Org;
using LeadRouter.Routing;
using LeadRouter.Rules;

namespace LeadRouter.Benchmarks;

/// <summary>
/// Routes 100,000 queued leads to 2,000 reps with the example rules file (tiers A/B/C, territories by
/// country, weekly capacity and floor), once per policy. The org is synthetic and seeded, so every
/// run routes the same input.
/// </summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private const int RepCount = 2_000;
    private const int LeadCount = 100_000;

    private static readonly string[] Countries =
        ["US", "CA", "MX", "BR", "GB", "IE", "FR", "ES", "IT", "NL", "BE", "SE", "NO", "DK", "PL", "DE", "AT", "CH", "JP", "AU"];

    private RoutingRules _rules = null!;
    private RoutingInput _input = null!;

    [Params(RoutingPolicy.TrustWeighted, RoutingPolicy.StrictTrust, RoutingPolicy.RoundRobin)]
    public RoutingPolicy Policy { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var example = Path.Combine(AppContext.BaseDirectory, "Rules", "routing-rules.example.jsonc");
        _rules = RulesFile.Load(example).RulesOrThrow() with { Policy = Policy };

        var random = new Random(20261127);
        var queue = new Queue(SalesforceId.Create(IdPrefix.Queue, 1), "Inbound_Leads", "Inbound Leads");
        var manager = new User(SalesforceId.Create(IdPrefix.User, 1), "Manager", "manager@example.com", null, true, null, null, "US", "UTC");
        var users = new List<User> { manager };
        var standings = new List<RepStanding>();
        for (var i = 0; i < RepCount; i++)
        {
            var username = i == 0 ? "inside.sales@example.com" : $"rep{i}@example.com";
            var rep = new User(SalesforceId.Create(IdPrefix.User, 100 + i), $"Rep {i}", username, null,
                random.NextDouble() > 0.03, manager.Id, null, Countries[random.Next(Countries.Length)], "UTC");
            users.Add(rep);
            standings.Add(new RepStanding(rep.Id, random.NextDouble() * 100, random.NextDouble(), random.Next(0, 13), 55));
        }

        var asOf = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        string?[] ratings = ["Hot", "Warm", "Cold", null];
        var leads = new List<Lead>(LeadCount);
        for (var i = 0; i < LeadCount; i++)
        {
            leads.Add(new Lead(SalesforceId.Create("00Q", i + 1), queue.Id, "Open - Not Contacted", false,
                ratings[random.Next(ratings.Length)], "Web", null, random.Next(0, 40) * 500_000m, random.Next(1, 2_000),
                random.NextDouble() < 0.05 ? null : Countries[random.Next(Countries.Length)], null, $"Company {i}",
                asOf.AddSeconds(-random.Next(0, 604_800))));
        }
        var prior = Enumerable.Range(0, 5_000)
            .Select(i => new PriorAssignment($"prior-{i}", users[1 + random.Next(RepCount)].Id, "C"))
            .ToList();
        _input = new RoutingInput(leads, users, [queue], standings, prior, asOf);
    }

    [Benchmark]
    public RoutingRun Route() => RoutingEngine.Route(_rules, _input);
}

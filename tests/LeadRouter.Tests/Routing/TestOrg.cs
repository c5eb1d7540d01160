using LeadRouter.Org;
using LeadRouter.Routing;
using LeadRouter.Rules;

namespace LeadRouter.Tests.Routing;

/// <summary>Builds small routing inputs: one inbound queue, a manager, reps with trust, and queued leads.</summary>
internal sealed class TestOrg
{
    public static readonly DateTimeOffset AsOf = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    public static readonly Queue Inbound = new(SalesforceId.Create(IdPrefix.Queue, 1), "Inbound_Leads", "Inbound Leads");

    private readonly User _manager = new(SalesforceId.Create(IdPrefix.User, 1), "Manager", "manager@example.com", null, true, null, null, "US", "UTC");
    private long _nextUser = 100;
    private long _nextLead = 1;

    public List<User> Users { get; } = [];
    public List<RepStanding> Standings { get; } = [];
    public List<Lead> Leads { get; } = [];
    public List<PriorAssignment> Prior { get; } = [];

    public TestOrg() => Users.Add(_manager);

    public User Rep(string name, double trust, double confidence = 0.9, int weeks = 12, double teamMean = 50,
        string country = "US", bool active = true, bool scored = true)
    {
        var user = new User(SalesforceId.Create(IdPrefix.User, _nextUser++), name, $"{name.ToLowerInvariant()}@example.com",
            null, active, _manager.Id, null, country, "UTC");
        Users.Add(user);
        if (scored)
            Standings.Add(new RepStanding(user.Id, trust, confidence, weeks, teamMean));
        return user;
    }

    public Lead Lead(string? rating = null, decimal? revenue = null, string? country = "US", int ageMinutes = 0,
        string? status = "Open - Not Contacted", string? ownerId = null, bool converted = false)
    {
        var lead = new Lead(SalesforceId.Create("00Q", _nextLead++), ownerId ?? Inbound.Id, status, converted, rating, "Web", null,
            revenue, null, country, null, "Acme", AsOf.AddMinutes(-ageMinutes - (int)_nextLead));
        Leads.Add(lead);
        return lead;
    }

    public void AddLeads(int count, string? rating = null, string? country = "US")
    {
        for (var i = 0; i < count; i++)
            Lead(rating, country: country);
    }

    public RoutingInput Input() => new(Leads, Users, [Inbound], Standings, Prior, AsOf);

    public static Condition Is(string field, string value) => new(field, ConditionOperator.EqualTo, [value]);

    public static TierRule CatchAll { get; } = new("Everything else", []);

    /// <summary>Rules with one catch-all tier and no fairness guardrails, so a test sees the policy alone.</summary>
    public static RoutingRules Rules(RoutingPolicy policy = RoutingPolicy.TrustWeighted, int? capacity = null, double minTrust = 0,
        int floor = 0, int rampWeeks = 0, params Territory[] territories) => new()
        {
            Queues = [Inbound.DeveloperName],
            Tiers = [new Tier("C", [CatchAll], minTrust, 0, capacity)],
            Territories = territories,
            Policy = policy,
            Fairness = new FairnessSettings { WeeklyFloor = floor, RampWeeks = rampWeeks },
        };

    public static Dictionary<string, int> LeadsByRepName(RoutingRun run) =>
        run.Decisions.GroupBy(d => d.Rep.Name).ToDictionary(g => g.Key, g => g.Count());
}

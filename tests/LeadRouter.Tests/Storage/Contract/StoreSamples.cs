using LeadRouter.Org;
using LeadRouter.Storage;

namespace LeadRouter.Tests.Storage;

/// <summary>Small, valid Salesforce rows for the store tests.</summary>
internal static class StoreSamples
{
    public static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static string UserId(int n) => SalesforceId.Create(IdPrefix.User, n);

    public static string QueueId(int n) => SalesforceId.Create(IdPrefix.Queue, n);

    public static string EventId(int n) => SalesforceId.Create("00U", n);

    public static string RelationId(int n) => SalesforceId.Create("0RE", n);

    public static string TaskId(int n) => SalesforceId.Create("00T", n);

    public static string OpportunityId(int n) => SalesforceId.Create("006", n);

    public static string ContactRoleId(int n) => SalesforceId.Create("00K", n);

    public static string HistoryId(int n) => SalesforceId.Create("008", n);

    public static string LeadId(int n) => SalesforceId.Create("00Q", n);

    public static string ContactId(int n) => SalesforceId.Create("003", n);

    public static User Rep(int n, int manager = 1) =>
        new(UserId(n), $"Rep {n}", $"rep{n}@example.com", $"rep{n}@example.com", true, UserId(manager), null, "DE", "Europe/Berlin");

    public static ActivityTask Task(int n, DateTimeOffset created, bool closed = true, string subject = "Call") =>
        new(TaskId(n), subject, "Call", "Task", closed ? "Completed" : "Open", closed, UserId(2), UserId(2),
            OpportunityId(1), ContactId(1), DateOnly.FromDateTime(created.UtcDateTime), closed ? created.AddHours(1) : null, created);

    public static Opportunity Opportunity(int n, decimal? amount = 125_000.50m) =>
        new(OpportunityId(n), UserId(2), "Negotiation", false, new DateOnly(2026, 4, 30), "Send proposal",
            new DateOnly(2026, 2, 27), amount, new DateOnly(2026, 3, 9));

    public static Lead Lead(int n, DateTimeOffset created) =>
        new(LeadId(n), QueueId(1), "Open - Not Contacted", false, "Hot", "Web", "Software", 4_500_000m, 120, "DE",
            "BE", $"Company {n}", created)
        {
            CustomFields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                ["Segment__c"] = "Enterprise",
                ["Partner__c"] = null,
            },
        };

    public static SyncedRow<T> Row<T>(string id, T record, DateTimeOffset modstamp, bool deleted = false)
        where T : class => new(id, record, modstamp, deleted);

    public static TrustScore Score(int rep, string week, double trust = 72.5) =>
        new(UserId(rep), week, Monday, trust, 0.8, 0.875, 0.6, 0.5, 1, """{"reviews":{"held":8,"attended":7}}""");

    public static RoutingRunRecord Run(DateTimeOffset asOf) =>
        new(Guid.NewGuid(), asOf, "sha256:4f2a", "TrustWeighted", 0.21, """{"leads":2,"assigned":1}""");

    public static Recommendation Recommendation(Guid runId, int lead, int? rep, RecommendationStatus status = RecommendationStatus.Pending) =>
        new(runId, LeadId(lead), rep is null ? null : UserId(rep.Value), "A", "Recommend",
            """{"rule":"Enterprise DE","eligible":2}""", status, null, Monday);

    public static OutboxMessage Message(string type, DateTimeOffset createdAt) =>
        new(Guid.NewGuid(), type, $$"""{"type":"{{type}}"}""", createdAt);
}

using LeadRouter.Org;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Soql;

namespace LeadRouter.Tests.Emulator.Soql;

/// <summary>
/// A small org for SOQL tests. "Now" is Wednesday 2026-03-04 06:30 UTC, which is Tuesday 2026-03-03
/// 22:30 in the org's zone (America/Los_Angeles, UTC-8), so UTC and local days differ.
/// </summary>
internal static class SoqlFixture
{
    public static readonly DateTimeOffset Now = new(2026, 3, 4, 6, 30, 0, TimeSpan.Zero);
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");

    public static readonly string Boss = SalesforceId.Create("005", 1);
    public static readonly string Manager = SalesforceId.Create("005", 2);
    public static readonly string Ann = SalesforceId.Create("005", 3);
    public static readonly string Bob = SalesforceId.Create("005", 4);
    public static readonly string Queue = SalesforceId.Create("00G", 1);
    public static readonly string Acme = SalesforceId.Create("00Q", 1);
    public static readonly string Beta = SalesforceId.Create("00Q", 2);
    public static readonly string Foods = SalesforceId.Create("00Q", 3);
    public static readonly string Gamma = SalesforceId.Create("00Q", 4);
    public static readonly string Delta = SalesforceId.Create("00Q", 5);

    public static OrgStore Create() => OrgStore.Create(new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>>
    {
        ["User"] =
        [
            Record(("Id", Boss), ("Name", "Bea Boss"), ("LastName", "Boss"), ("IsActive", true)),
            Record(("Id", Manager), ("Name", "Maya Manager"), ("LastName", "Manager"), ("IsActive", true), ("ManagerId", Boss)),
            Record(("Id", Ann), ("Name", "Ann Rep"), ("LastName", "Rep"), ("IsActive", true), ("ManagerId", Manager)),
            Record(("Id", Bob), ("Name", "Bob Rep"), ("LastName", "Rep"), ("IsActive", false), ("ManagerId", Manager)),
        ],
        ["Group"] = [Record(("Id", Queue), ("Name", "Inbound Queue"), ("DeveloperName", "Inbound"), ("Type", "Queue"))],
        ["Lead"] =
        [
            Record(("Id", Acme), ("Company", "Acme"), ("OwnerId", Queue), ("Rating", "Hot"), ("AnnualRevenue", 1_000_000m),
                ("NumberOfEmployees", 50), ("Country", "US"), ("Segment__c", "Enterprise")),
            Record(("Id", Beta), ("Company", "Beta_Corp"), ("OwnerId", Ann), ("Rating", "Warm"), ("NumberOfEmployees", 12),
                ("Country", "DE")),
            Record(("Id", Foods), ("Company", "100% Foods"), ("OwnerId", Queue), ("AnnualRevenue", 250_000m), ("Country", "US"),
                ("IsConverted", true)),
            Record(("Id", Gamma), ("Company", "Gamma"), ("OwnerId", Bob), ("Rating", "Cold"), ("AnnualRevenue", 90_000.5m),
                ("NumberOfEmployees", 400), ("Country", "us")),
            Record(("Id", Delta), ("Company", "Deleted Co"), ("OwnerId", Queue), ("Rating", "Hot"), ("IsDeleted", true)),
        ],
        ["Task"] =
        [
            Task(1, "last week, late Saturday", "2026-03-01T07:59:59Z", "2026-02-27"),
            Task(2, "this week, Sunday midnight", "2026-03-01T08:00:00Z", "2026-03-03"),
            Task(3, "today, late evening", "2026-03-04T07:00:00Z", "2026-03-04"),
            Task(4, "tomorrow, just after midnight", "2026-03-04T08:30:00Z", "2026-03-05"),
            Task(5, "seven days ago", "2026-02-24T12:00:00Z", "2026-03-06"),
            Task(6, "eight days ago", "2026-02-24T07:00:00Z", null),
        ],
    });

    public static SoqlResult Run(OrgStore store, string soql, bool includeDeleted = false) =>
        SoqlEngine.Execute(store, soql, includeDeleted, Now, Zone);

    /// <summary>One field of every row, in result order.</summary>
    public static List<object?> Column(SoqlResult result, string field) => result.Rows.Select(r => r[field]).ToList();

    private static IReadOnlyDictionary<string, object?> Task(int n, string subject, string createdDate, string? activityDate) =>
        Record(("Id", SalesforceId.Create("00T", n)), ("Subject", subject), ("OwnerId", Ann), ("CreatedDate", createdDate),
            ("SystemModstamp", createdDate), ("ActivityDate", activityDate), ("Status", "Completed"));

    private static IReadOnlyDictionary<string, object?> Record(params (string Name, object? Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value);
}

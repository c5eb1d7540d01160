using LeadRouter.Org;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.IntegrationTests.Emulator;

/// <summary>Small orgs built for the emulator tests: the login user, a queue owner, and numbered leads.</summary>
internal static class TestOrg
{
    public const string Username = "integration@leadrouter.test";
    public static readonly string UserId = SalesforceId.Create(IdPrefix.User, 1);
    public static readonly DateTimeOffset Created = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public static string LeadId(int n) => SalesforceId.Create("00Q", n);

    /// <summary>An org with <paramref name="leads"/> open leads (ids LeadId(1..n)); the first <paramref name="deleted"/> are deleted.</summary>
    public static OrgStore WithLeads(int leads, int deleted = 0)
    {
        var users = new List<IReadOnlyDictionary<string, object?>>
        {
            new Dictionary<string, object?>
            {
                ["Id"] = UserId,
                ["Name"] = "Integration User",
                ["LastName"] = "User",
                ["Email"] = Username,
                ["Username"] = Username,
                ["IsActive"] = true,
            },
        };
        var leadRows = Enumerable.Range(1, leads).Select(n => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["Id"] = LeadId(n),
            ["OwnerId"] = UserId,
            ["LastName"] = $"Lead {n}",
            ["Company"] = $"Company {n}",
            ["Status"] = "Open - Not Contacted",
            ["IsConverted"] = false,
            ["CreatedDate"] = Created,
            ["SystemModstamp"] = Created,
        }).ToList();
        var store = OrgStore.Create(new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>>
        {
            ["User"] = users,
            ["Lead"] = leadRows,
        });
        for (var n = 1; n <= deleted; n++)
            store.Delete("Lead", LeadId(n));
        return store;
    }
}

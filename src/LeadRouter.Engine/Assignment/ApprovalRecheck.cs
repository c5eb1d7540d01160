using LeadRouter.Routing;
using LeadRouter.Rules;
using LeadRouter.Storage;

namespace LeadRouter.Assignment;

/// <summary>
/// Re-checks approved recommendations against the store before their owners are written
/// (<see cref="ApprovalCheck"/>): the store as it stands (approve does not sync), while the write itself
/// still re-reads each lead in Salesforce and writes only if it is unchanged.
/// </summary>
public static class ApprovalRecheck
{
    /// <summary>The refused recommendations, by lead id, each with its reason.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> RefusalsAsync(
        LeadRouterDatabase database, RoutingRules rules, IReadOnlyList<Recommendation> approved, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var (users, queues, leads) = await new RecordStore(database).LoadPeopleAndLeadsAsync(cancellationToken).ConfigureAwait(false);
        var givenThisWeek = await new RoutingStore(database)
            .ListAssignedSinceAsync(RoutingWeek.StartOf(now, TimeZoneInfo.FindSystemTimeZoneById(rules.Trust.TimeZone)), cancellationToken).ConfigureAwait(false);
        return ApprovalCheck.Refusals(
            rules,
            new RoutingInput(leads, users, queues, [], givenThisWeek, now),
            approved.Select(r => new Approval(r.LeadId, r.RepId!, r.Tier)).ToList());
    }
}

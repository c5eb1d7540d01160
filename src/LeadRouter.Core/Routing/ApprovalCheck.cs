using LeadRouter.Org;
using LeadRouter.Rules;

namespace LeadRouter.Routing;

/// <summary>A manager's approval of one recommendation: give this lead to this rep, in this tier.</summary>
public sealed record Approval(string LeadId, string RepId, string Tier);

/// <summary>
/// Re-checks approvals against the org as it stands now, since a recommendation may wait days for its
/// manager: the rep must still be active and available (the rules' unavailable reps, as routing reads
/// them), still under the tier's weekly capacity counting the leads already given this week and the
/// approvals granted before it in the same batch, and the lead still open, unconverted and owned by a
/// routing queue (the pool routing draws from). Pure: the caller brings the org and the week's assignments.
/// </summary>
public static class ApprovalCheck
{
    /// <summary>
    /// The refused approvals, by lead id, each with the reason in a sentence. <paramref name="input"/>'s
    /// <see cref="RoutingInput.AssignedThisWeek"/> are the leads already given this week; its Reps are not read.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Refusals(RoutingRules rules, RoutingInput input, IReadOnlyList<Approval> approvals)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(approvals);
        var pool = new LeadClassifier(rules, input.Queues, []);
        var unavailable = rules.UnavailableReps.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var users = input.Users.ToDictionary(u => Ids.Key(u.Id), StringComparer.Ordinal);
        var leads = input.Leads.ToDictionary(l => Ids.Key(l.Id), StringComparer.Ordinal);
        var given = input.AssignedThisWeek
            .GroupBy(a => (Ids.Key(a.RepId), a.Tier.ToUpperInvariant()))
            .ToDictionary(g => g.Key, g => g.Count());
        var refusals = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var approval in approvals)
        {
            var tier = rules.Tiers.FirstOrDefault(t => string.Equals(t.Name, approval.Tier, StringComparison.OrdinalIgnoreCase));
            var key = (Ids.Key(approval.RepId), approval.Tier.ToUpperInvariant());
            var refusal = RepRefusal(users.GetValueOrDefault(key.Item1), approval.RepId, unavailable)
                ?? LeadRefusal(leads.GetValueOrDefault(Ids.Key(approval.LeadId)), pool, rules, input.AsOf);
            if (refusal is null && tier?.WeeklyCapacity is { } capacity && given.GetValueOrDefault(key) >= capacity)
                refusal = $"the rep has already been given {given.GetValueOrDefault(key)} tier {tier.Name} leads this week, the tier's weekly capacity of {capacity}";
            if (refusal is null)
                given[key] = given.GetValueOrDefault(key) + 1;
            else
                refusals[approval.LeadId] = refusal;
        }
        return refusals;
    }

    private static string? RepRefusal(User? rep, string repId, IReadOnlySet<string> unavailable) => rep is null
        ? $"the rep {repId} is no longer a user of the org"
        : LeadTakers.PersonalExclusionOf(rep, unavailable) switch
        {
            ExclusionReason.Inactive => $"the rep {rep.Name} is no longer active",
            ExclusionReason.Unavailable => $"the rep {rep.Name} is marked unavailable in the routing rules",
            _ => null,
        };

    private static string? LeadRefusal(Lead? lead, LeadClassifier pool, RoutingRules rules, DateTimeOffset asOf)
    {
        if (lead is null)
            return "the lead is no longer in the org (deleted)";
        if (pool.InPool(lead, asOf))
            return null;
        if (lead.IsConverted)
            return "the lead was converted";
        if (lead.Status is { } status && rules.ClosedStatuses.Contains(status, StringComparer.OrdinalIgnoreCase))
            return $"the lead's status is now {status}";
        return $"the lead is no longer in a routing queue: it is owned by {lead.OwnerId}";
    }
}

using LeadRouter.Org;
using LeadRouter.Rules;

namespace LeadRouter.Routing;

/// <summary>The queues whose leads are routed: the rules name them by DeveloperName or by id.</summary>
public static class RoutingQueues
{
    /// <summary>
    /// The 18-character ids of the rules' queues. A name that is not a queue of the org contributes
    /// nothing and is reported through <paramref name="unknown"/>.
    /// </summary>
    public static IReadOnlySet<string> Resolve(RoutingRules rules, IReadOnlyList<Queue> queues, Action<string>? unknown = null)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in rules.Queues)
        {
            var queue = queues.FirstOrDefault(q => string.Equals(q.DeveloperName, entry, StringComparison.OrdinalIgnoreCase)
                                                   || Ids.Key(q.Id) == Ids.Key(entry));
            if (queue is not null)
                ids.Add(Ids.Key(queue.Id));
            else if (IdPrefix.IsQueue(entry) && SalesforceId.TryNormalize(entry, out var id))
                ids.Add(id);
            else
                unknown?.Invoke(entry);
        }
        return ids;
    }
}

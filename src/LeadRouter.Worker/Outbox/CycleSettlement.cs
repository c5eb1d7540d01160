using LeadRouter.Rules;
using LeadRouter.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LeadRouter.Worker.Outbox;

/// <summary>Lets a one-off command (cycle, route, demo) see its run through before it exits.</summary>
public static class CycleSettlement
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Publishes the run's messages, waits (up to two minutes) until the routing consumer has carried out
    /// every AutoAssign recommendation, publishes the outcomes, and returns the run's recommendations.
    /// </summary>
    public static async Task<IReadOnlyList<Recommendation>> SettleAsync(IServiceProvider services, Guid runId, CancellationToken cancellationToken)
    {
        var relay = services.GetRequiredService<OutboxRelay>();
        var store = new RoutingStore(services.GetRequiredService<LeadRouterDatabase>());
        var deadline = DateTimeOffset.UtcNow + Patience;
        await relay.DrainAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var recommendations = await store.ListRecommendationsAsync(runId, cancellationToken).ConfigureAwait(false);
            var waiting = recommendations.Any(r => r.Mode == nameof(RoutingMode.AutoAssign) && r.Status == RecommendationStatus.Pending);
            if (!waiting || DateTimeOffset.UtcNow > deadline)
            {
                await relay.DrainAsync(cancellationToken).ConfigureAwait(false);
                return recommendations;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }
}

using System.Globalization;
using LeadRouter.Assignment;
using LeadRouter.Storage;
using LeadRouter.Worker.Cli;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadRouter.Worker.Outbox;

/// <summary>
/// How a run ended: its recommendations, the AutoAssign leads (of this run or earlier ones) that are
/// still not assigned, each with its reason when Salesforce deferred it (none when the consumer was not
/// done in time), and how many outbox messages are still not published.
/// </summary>
public sealed record Settlement(IReadOnlyList<RecommendationOutcome> Recommendations, IReadOnlyList<Recommendation> NotYetAssigned, int Unpublished = 0)
{
    /// <summary>
    /// 0 when every AutoAssign lead reached a final state and every message went out; 3 when Salesforce
    /// deferred some leads; 1 when the consumer or the publishing was not done in time.
    /// </summary>
    public int ExitCode =>
        NotYetAssigned.Count == 0 ? (Unpublished == 0 ? ExitCodes.Ok : ExitCodes.Failed)
        : NotYetAssigned.Any(r => r.StatusReason is null) ? ExitCodes.Failed
        : ExitCodes.Salesforce;

    /// <summary>One line for people: how many leads and messages wait and why; null when none does.</summary>
    public string? Explain()
    {
        var unpublished = Unpublished == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
            $"{Unpublished} messages are not yet published (the broker refused them, or a stopped process still holds them); the next run publishes them.");
        if (NotYetAssigned.Count == 0)
            return Unpublished == 0 ? null : unpublished;
        var reasons = NotYetAssigned
            .GroupBy(r => r.StatusReason ?? "the routing consumer did not finish in time")
            .OrderByDescending(g => g.Count())
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()}: {g.Key}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{NotYetAssigned.Count} AutoAssign leads are not yet assigned ({string.Join("; ", reasons)}); the next run tries them again. {unpublished}").TrimEnd();
    }
}

/// <summary>Lets a one-off command (cycle, route, demo) see its run through before it exits.</summary>
public static class CycleSettlement
{
    /// <summary>Salesforce's deferrals are tried once more within the run before it reports them.</summary>
    private const int Rounds = 2;

    /// <summary>
    /// Publishes the run's messages, waits until the routing consumer has carried out every pending AutoAssign
    /// recommendation or Salesforce deferred it (giving up when none has been carried out for
    /// LeadRouter:SettleTimeout), publishes the outcomes (waiting, as long again at most, for messages
    /// another process claimed and has not yet marked sent), and returns the run's recommendations.
    /// </summary>
    public static async Task<IReadOnlyList<RecommendationOutcome>> SettleAsync(IServiceProvider services, Guid runId, CancellationToken cancellationToken) =>
        (await SettleRunAsync(services, runId, cancellationToken).ConfigureAwait(false)).Recommendations;

    /// <summary><see cref="SettleAsync"/>, also saying which AutoAssign leads are still not assigned.</summary>
    public static Task<Settlement> SettleRunAsync(IServiceProvider services, Guid runId, CancellationToken cancellationToken) =>
        // Every step can be taken again: publishing, waiting and re-driving deferred leads.
        TransientStoreErrors.RetryAsync(() => SettleOnceAsync(services, runId, cancellationToken),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CycleSettlement)), "Settling the run", cancellationToken);

    private static async Task<Settlement> SettleOnceAsync(IServiceProvider services, Guid runId, CancellationToken cancellationToken)
    {
        var relay = services.GetRequiredService<OutboxRelay>();
        var database = services.GetRequiredService<LeadRouterDatabase>();
        var time = services.GetRequiredService<TimeProvider>();
        var store = new RoutingStore(database);
        var patience = services.GetRequiredService<LeadRouterOptions>().SettleTimeout;
        await relay.DrainAsync(cancellationToken).ConfigureAwait(false);
        // The wait ends when the consumer stops making progress, not at a fixed time: a large org's week
        // carries out thousands of assignments, and a stuck consumer is still noticed within the timeout.
        var fewestOnTheirWay = int.MaxValue;
        var lastProgress = time.GetUtcNow();
        for (var round = 1; ; )
        {
            // Counted, not listed, while the consumer works: a large org's week waits on thousands of rows.
            var (waiting, deferred) = await store.CountPendingAutoAssignAsync(cancellationToken).ConfigureAwait(false);
            // A pending recommendation with a reason was deferred by Salesforce; without one it is still on its way.
            var onTheirWay = waiting - deferred;
            if (onTheirWay == 0 && waiting > 0 && round < Rounds)
            {
                round++;
                await StalledAssignments.RepublishAsync(database, time.GetUtcNow(), deferredOnly: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                await relay.DrainAsync(cancellationToken).ConfigureAwait(false);
                fewestOnTheirWay = int.MaxValue;
                continue;
            }
            if (onTheirWay < fewestOnTheirWay)
            {
                fewestOnTheirWay = onTheirWay;
                lastProgress = time.GetUtcNow();
            }
            if (onTheirWay == 0 || time.GetUtcNow() - lastProgress > patience)
            {
                await relay.DrainAsync(cancellationToken).ConfigureAwait(false);
                var unpublished = await OutboxBacklog.CountUnsentAsync(database, cancellationToken).ConfigureAwait(false);
                if (unpublished == 0 || time.GetUtcNow() - lastProgress > patience)
                {
                    return new Settlement(
                        await store.ListOutcomesAsync(runId, cancellationToken).ConfigureAwait(false),
                        await store.ListPendingAutoAssignAsync(cancellationToken: cancellationToken).ConfigureAwait(false),
                        unpublished);
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }
}

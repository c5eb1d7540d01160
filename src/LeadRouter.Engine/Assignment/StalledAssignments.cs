using LeadRouter.Contracts.V1;
using LeadRouter.Rules;
using LeadRouter.Storage;

namespace LeadRouter.Assignment;

/// <summary>
/// AutoAssign recommendations still pending after their message went out: the message was lost with a
/// killed in-memory bus, faulted into the error queue, or Salesforce deferred the write (a locked row,
/// an outage, the daily limit). Each is published again under its own message id (the consumer
/// de-duplicates), so every AutoAssign lead ends assigned or skipped by its run or the next one.
/// </summary>
public static class StalledAssignments
{
    /// <summary>
    /// Queues the messages of every pending AutoAssign recommendation (or only the deferred ones) for
    /// publishing again and clears their deferral reasons. Returns the recommendations concerned.
    /// </summary>
    /// <param name="exceptRun">
    /// A run just saved: its AutoAssign leads are all pending, with their messages not yet sent, so there is nothing
    /// to publish again (a large org's run would read 14,000 of them for nothing).
    /// </param>
    public static async Task<IReadOnlyList<Recommendation>> RepublishAsync(
        LeadRouterDatabase database, DateTimeOffset now, bool deferredOnly = false, Guid? exceptRun = null, CancellationToken cancellationToken = default)
    {
        var routing = new RoutingStore(database);
        var stalled = (await routing.ListPendingAutoAssignAsync(exceptRun, cancellationToken).ConfigureAwait(false))
            .Where(r => !deferredOnly || r.StatusReason is not null)
            .ToList();
        if (stalled.Count == 0)
            return stalled;
        await using var transaction = await database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await new Outbox(database).RepublishAsync(
            stalled.Select(r => LeadAssignmentRecommended.IdFor(r.RunId, r.LeadId)).ToList(), transaction, cancellationToken).ConfigureAwait(false);
        foreach (var deferred in stalled.Where(r => r.StatusReason is not null))
            await routing.DeferAsync(deferred.RunId, deferred.LeadId, null, now, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stalled;
    }
}

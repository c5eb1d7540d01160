using System.Text.Json;
using LeadRouter.Contracts.V1;
using LeadRouter.Cycle;
using LeadRouter.Org;
using LeadRouter.Routing;
using LeadRouter.Rules;
using LeadRouter.Salesforce;
using LeadRouter.Storage;
using LeadRouter.Telemetry;

namespace LeadRouter.Assignment;

/// <summary>A recommendation to carry out: give this lead to this rep.</summary>
public sealed record AssignmentRequest(Guid RunId, string LeadId, string RepId, Guid? MessageId = null);

/// <summary>What happened to one request: assigned, or skipped with the reason.</summary>
public sealed record AssignmentOutcome(AssignmentRequest Request, bool Assigned, SkipReason? Reason, string Detail, string? CurrentOwnerId);

/// <summary>
/// Writes lead owners back to Salesforce without clobbering a human: it re-reads each lead and writes
/// the owner only while the lead is still unconverted and owned by one of the routing queues, through
/// sObject collections (200 a call, Sforce-Auto-Assign: FALSE). Each outcome updates the
/// recommendation's status and enqueues LeadAssigned or LeadAssignmentSkipped in one transaction,
/// together with the processed-message marks that make redelivered messages harmless.
/// </summary>
public sealed class LeadAssigner(SalesforceClient salesforce, LeadRouterDatabase database, RoutingRules rules, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The consumer name under which processed message ids are recorded.</summary>
    public const string ConsumerName = "lead-assignment";

    /// <summary>
    /// Carries out the requests. Requests whose message was already processed are dropped first, so a
    /// duplicate changes nothing, not even in Salesforce.
    /// </summary>
    public async Task<IReadOnlyList<AssignmentOutcome>> AssignAsync(
        IReadOnlyList<AssignmentRequest> requests, CancellationToken cancellationToken = default)
    {
        var fresh = await DropProcessedAsync(requests, cancellationToken).ConfigureAwait(false);
        if (fresh.Count == 0)
            return [];

        // The rules name queues by DeveloperName or id; the synced queues say which ids those are.
        var routingQueueIds = RoutingQueues.Resolve(rules, await new RecordStore(database).LoadQueuesAsync(cancellationToken).ConfigureAwait(false));
        var current = await ReadLeadsAsync(fresh.Select(r => r.LeadId).Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false);
        var outcomes = new List<AssignmentOutcome>(fresh.Count);
        var writes = new List<AssignmentRequest>();
        foreach (var request in fresh)
        {
            if (!current.TryGetValue(request.LeadId, out var lead))
                outcomes.Add(Skip(request, SkipReason.LeadNotFound, "the lead no longer exists in Salesforce", null));
            else if (lead.IsConverted)
                outcomes.Add(Skip(request, SkipReason.LeadConverted, "the lead was converted meanwhile", lead.OwnerId));
            else if (!routingQueueIds.Contains(lead.OwnerId))
                outcomes.Add(Skip(request, SkipReason.OwnerChanged, $"someone took the lead meanwhile: it is now owned by {lead.OwnerId}", lead.OwnerId));
            else
                writes.Add(request);
        }

        if (writes.Count > 0)
        {
            var results = await salesforce.UpdateRecordsAsync(
                "Lead",
                writes.Select(w => new SObjectUpdate(w.LeadId, new Dictionary<string, object?> { ["OwnerId"] = w.RepId })).ToList(),
                cancellationToken).ConfigureAwait(false);
            foreach (var write in writes)
            {
                var queue = current[write.LeadId].OwnerId;
                outcomes.Add(results.TryGetValue(write.LeadId, out var result) && result.Success
                    ? new AssignmentOutcome(write, true, null, $"owner set to {write.RepId} (was queue {queue})", queue)
                    : Skip(write, SkipReason.WriteFailed, WriteError(result), queue));
            }
        }

        await RecordAsync(fresh, outcomes, cancellationToken).ConfigureAwait(false);
        foreach (var outcome in outcomes)
            LeadRouterTelemetry.RecommendationCarriedOut(outcome.Assigned ? "assigned" : outcome.Reason.ToString()!);
        return outcomes;
    }

    private static string WriteError(RecordSaveResult? result) =>
        result is null
            ? "Salesforce returned no result for the lead"
            : "Salesforce refused the owner: " + string.Join("; ", result.Errors.Select(e => $"{e.StatusCode}: {e.Message}"));

    private static AssignmentOutcome Skip(AssignmentRequest request, SkipReason reason, string detail, string? owner) =>
        new(request, false, reason, detail, owner);

    private async Task<List<AssignmentRequest>> DropProcessedAsync(IReadOnlyList<AssignmentRequest> requests, CancellationToken cancellationToken)
    {
        var withIds = requests.Where(r => r.MessageId is not null).Select(r => r.MessageId!.Value).ToList();
        if (withIds.Count == 0)
            return [.. requests];
        var seen = await new ProcessedMessages(database).WhichProcessedAsync(ConsumerName, withIds, cancellationToken).ConfigureAwait(false);
        return requests.Where(r => r.MessageId is not { } id || !seen.Contains(id)).ToList();
    }

    private async Task<Dictionary<string, (string OwnerId, bool IsConverted)>> ReadLeadsAsync(List<string> leadIds, CancellationToken cancellationToken)
    {
        var leads = new Dictionary<string, (string, bool)>(leadIds.Count, StringComparer.Ordinal);
        // A few hundred ids per query keeps the request URL well under Salesforce's limit.
        foreach (var chunk in leadIds.Chunk(200))
        {
            var query = Soql.Select("Id", "OwnerId", "IsConverted").From("Lead").Where(Soql.Field("Id").In(chunk)).Build();
            await foreach (var lead in salesforce.QueryAsync<JsonElement>(query, cancellationToken).ConfigureAwait(false))
            {
                leads[SalesforceId.Normalize(lead.GetProperty("Id").GetString()!)] =
                    (SalesforceId.Normalize(lead.GetProperty("OwnerId").GetString()!), lead.GetProperty("IsConverted").GetBoolean());
            }
        }
        return leads;
    }

    private async Task RecordAsync(IReadOnlyList<AssignmentRequest> requests, IReadOnlyList<AssignmentOutcome> outcomes, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var routing = new RoutingStore(database);
        var processed = new ProcessedMessages(database);
        await using var transaction = await database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // A copy of the message handled concurrently elsewhere got here first: its outcome is recorded there.
        var raced = new HashSet<AssignmentRequest>();
        foreach (var request in requests)
        {
            if (request.MessageId is { } id && !await processed.TryMarkProcessedAsync(ConsumerName, id, now, transaction, cancellationToken).ConfigureAwait(false))
                raced.Add(request);
        }
        var messages = new List<OutboxMessage>(outcomes.Count);
        foreach (var outcome in outcomes.Where(o => !raced.Contains(o.Request)))
        {
            var request = outcome.Request;
            await routing.SetStatusAsync(request.RunId, request.LeadId,
                outcome.Assigned ? RecommendationStatus.Assigned : RecommendationStatus.Skipped,
                outcome.Detail, now, transaction, cancellationToken).ConfigureAwait(false);
            messages.Add(outcome.Assigned
                ? OutboxMessages.Create(new LeadAssigned(request.RunId, request.LeadId, request.RepId, outcome.CurrentOwnerId!, now), now)
                : OutboxMessages.Create(new LeadAssignmentSkipped(request.RunId, request.LeadId, request.RepId, outcome.Reason!.Value,
                    outcome.Detail, outcome.CurrentOwnerId, now), now));
        }
        await new Outbox(database).EnqueueAsync(messages, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}

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

/// <summary>
/// What happened to one request: assigned, skipped with the reason, or deferred (neither: Salesforce
/// could not take the write now, e.g. a locked row or an outage; the recommendation stays pending).
/// </summary>
public sealed record AssignmentOutcome(AssignmentRequest Request, bool Assigned, SkipReason? Reason, string Detail, string? CurrentOwnerId)
{
    public bool Deferred => !Assigned && Reason is null;
}

/// <summary>
/// Writes lead owners back to Salesforce without clobbering a human: per 200 leads it re-reads them
/// (one SOQL query) and at once writes the owner of those still unconverted and owned by one of the
/// routing queues (Sforce-Auto-Assign: FALSE). Each outcome updates the recommendation's status and
/// enqueues LeadAssigned or LeadAssignmentSkipped in one transaction, together with the
/// processed-message marks that make redelivered messages harmless. A lead already owned by the
/// recommended rep was written by an earlier attempt that stopped before recording it.
/// The write's cost follows the risk. A lead changed within <see cref="RecentChange"/> before the read
/// is being worked on: its write is conditional on its LastModifiedDate as read (If-Unmodified-Since,
/// /composite, 25 a call), so a person who takes it between the read and the write keeps it. The
/// others, untouched for longer, go through sObject Collections (200 a call, about an eighth of the
/// calls): only a change landing in the one round trip between their read and their write would be
/// overwritten, the trade-off taken for them.
/// Failures Salesforce calls passing (locked rows, outages, the daily limit) leave the recommendation
/// pending with the reason and its message unmarked, so a later delivery or run carries it out.
/// </summary>
public sealed class LeadAssigner(SalesforceClient salesforce, LeadRouterDatabase database, RoutingRules rules, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The consumer name under which processed message ids are recorded.</summary>
    public const string ConsumerName = "lead-assignment";

    /// <summary>A lead changed this recently before the read is written on condition that it is still unchanged.</summary>
    public static readonly TimeSpan RecentChange = TimeSpan.FromHours(1);

    /// <summary>Per-record errors Salesforce may not repeat a moment later.</summary>
    private static readonly HashSet<string> PassingErrors = new(StringComparer.Ordinal)
    {
        SalesforceErrorCodes.UnableToLockRow, "SERVER_UNAVAILABLE", "REQUEST_LIMIT_EXCEEDED",
    };

    /// <summary>
    /// Carries out the requests. Requests whose message was already processed, whose recommendation
    /// is no longer pending (carried out, skipped, superseded by a newer run) or names another rep, are
    /// dropped first, so a duplicate, a late replay or a forged message changes nothing, not even in Salesforce.
    /// </summary>
    public async Task<IReadOnlyList<AssignmentOutcome>> AssignAsync(
        IReadOnlyList<AssignmentRequest> requests, CancellationToken cancellationToken = default)
    {
        var unprocessed = await DropProcessedAsync(requests, cancellationToken).ConfigureAwait(false);
        if (unprocessed.Count == 0)
            return [];
        var statuses = await new RoutingStore(database).StatusesAsync(unprocessed.Select(r => (r.RunId, r.LeadId)), cancellationToken).ConfigureAwait(false);
        // A request naming another rep than its recommendation (a forged or corrupted message) is neither
        // carried out nor marked processed: its id is the genuine message's, which must still get through.
        // A message published again may meet its first copy in the same batch.
        var fresh = unprocessed
            .Where(r => !statuses.TryGetValue((r.RunId, r.LeadId), out var recommendation)
                || string.Equals(recommendation.RepId, r.RepId, StringComparison.Ordinal))
            .DistinctBy(r => (r.RunId, r.LeadId)).ToList();
        var open = fresh.Where(r => statuses.TryGetValue((r.RunId, r.LeadId), out var recommendation)
            && recommendation.Status is RecommendationStatus.Pending or RecommendationStatus.Approved).ToList();

        var outcomes = new List<AssignmentOutcome>(open.Count);
        string? failure = null;
        // Read and write 200 at a time, so each write follows its read within one round trip. After a
        // failure Salesforce calls passing, the rest waits for a later attempt.
        foreach (var chunk in open.Chunk(SalesforceClient.MaxCollectionSize))
        {
            try
            {
                if (failure is null)
                {
                    outcomes.AddRange(await CarryOutAsync(chunk, cancellationToken).ConfigureAwait(false));
                    continue;
                }
            }
            catch (Exception e) when (IsPassing(e, cancellationToken))
            {
                failure = "Salesforce: " + e.Message;
            }
            outcomes.AddRange(chunk.Select(r => Defer(r, failure!)));
        }
        if (outcomes.Any(o => o.Assigned))
            CrashDrill.At(CrashDrill.OwnerWritten);
        await RecordAsync(fresh, outcomes, cancellationToken).ConfigureAwait(false);
        if (outcomes.Any(o => o.Assigned))
            CrashDrill.At(CrashDrill.AssignmentRecorded);
        foreach (var outcome in outcomes)
            LeadRouterTelemetry.RecommendationCarriedOut(outcome.Assigned ? "assigned" : outcome.Reason?.ToString() ?? "deferred");
        return outcomes;
    }

    private async Task<List<AssignmentOutcome>> CarryOutAsync(AssignmentRequest[] requests, CancellationToken cancellationToken)
    {
        // The rules name queues by DeveloperName or id; the synced queues say which ids those are.
        var routingQueueIds = RoutingQueues.Resolve(rules, await new RecordStore(database).LoadQueuesAsync(cancellationToken).ConfigureAwait(false));
        var current = await ReadLeadsAsync(requests.Select(r => r.LeadId).Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false);
        var outcomes = new List<AssignmentOutcome>(requests.Length);
        var writes = new List<AssignmentRequest>();
        var ownWrites = new List<AssignmentRequest>();
        foreach (var request in requests)
        {
            if (!current.TryGetValue(request.LeadId, out var lead))
                outcomes.Add(Skip(request, SkipReason.LeadNotFound, "the lead no longer exists in Salesforce", null));
            else if (lead.IsConverted)
                outcomes.Add(Skip(request, SkipReason.LeadConverted, "the lead was converted meanwhile", lead.OwnerId));
            else if (lead.OwnerId == request.RepId)
                ownWrites.Add(request);
            else if (!routingQueueIds.Contains(lead.OwnerId))
                outcomes.Add(Skip(request, SkipReason.OwnerChanged, $"someone took the lead meanwhile: it is now owned by {lead.OwnerId}", lead.OwnerId));
            else
                writes.Add(request);
        }

        if (ownWrites.Count > 0)
        {
            var queues = await RoutedFromQueuesAsync(ownWrites, cancellationToken).ConfigureAwait(false);
            foreach (var request in ownWrites)
            {
                var queue = queues.GetValueOrDefault(request.LeadId, request.RepId);
                outcomes.Add(new AssignmentOutcome(request, true, null, $"owner set to {request.RepId} (was queue {queue}; written by an earlier attempt)", queue));
            }
        }

        if (writes.Count > 0)
        {
            CrashDrill.At(CrashDrill.OwnerWriting);
            // A lead changed lately is written on condition of its last change as just read: a person who takes it meanwhile wins.
            var recentSince = _time.GetUtcNow() - RecentChange;
            var results = await salesforce.UpdateRecordsAsync(
                "Lead",
                writes.Select(w => new SObjectUpdate(
                    w.LeadId, new Dictionary<string, object?> { ["OwnerId"] = w.RepId },
                    current[w.LeadId].LastModified >= recentSince ? current[w.LeadId].LastModified : null)).ToList(),
                cancellationToken).ConfigureAwait(false);
            foreach (var write in writes)
            {
                var queue = current[write.LeadId].OwnerId;
                if (results.TryGetValue(write.LeadId, out var result) && result.Success)
                    outcomes.Add(new AssignmentOutcome(write, true, null, $"owner set to {write.RepId} (was queue {queue})", queue));
                else if (result is not null && result.Errors.Any(e => e.StatusCode == SalesforceErrorCodes.PreconditionFailed))
                    outcomes.Add(Skip(write, SkipReason.OwnerChanged, "someone changed the lead in the moments before the write; it was left as they set it", null));
                else if (result is not null && result.Errors.Count > 0 && result.Errors.All(e => PassingErrors.Contains(e.StatusCode)))
                    outcomes.Add(Defer(write, WriteError(result)));
                else
                    outcomes.Add(Skip(write, SkipReason.WriteFailed, WriteError(result), queue));
            }
        }
        return outcomes;
    }

    /// <summary>Failures of the whole call that a later attempt may not meet: outages, the daily limit, timeouts, sign-in trouble.</summary>
    private static bool IsPassing(Exception e, CancellationToken cancellationToken) => e switch
    {
        SalesforceApiException or SalesforceAuthException or SalesforceApiBudgetException or HttpRequestException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private static string WriteError(RecordSaveResult? result) =>
        result is null
            ? "Salesforce returned no result for the lead"
            : "Salesforce refused the owner: " + string.Join("; ", result.Errors.Select(e => $"{e.StatusCode}: {e.Message}"));

    private static AssignmentOutcome Skip(AssignmentRequest request, SkipReason reason, string detail, string? owner) =>
        new(request, false, reason, detail, owner);

    private static AssignmentOutcome Defer(AssignmentRequest request, string detail) =>
        new(request, false, null, "not yet assigned: " + detail, null);

    /// <summary>
    /// The queue each lead was routed from, as its recommendation recorded it; for a run saved before
    /// recommendations kept it, the owner the store synced (the queue, unless a sync ran since the write).
    /// </summary>
    private async Task<Dictionary<string, string>> RoutedFromQueuesAsync(List<AssignmentRequest> requests, CancellationToken cancellationToken)
    {
        var routing = new RoutingStore(database);
        var queues = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var run in requests.GroupBy(r => r.RunId))
        {
            var reasons = await routing.ReasonsAsync(run.Key, run.Select(r => r.LeadId).Distinct(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
            foreach (var (leadId, json) in reasons)
            {
                using var document = JsonDocument.Parse(json);
                if (document.RootElement.TryGetProperty("queue", out var queue) && queue.GetString() is { } id)
                    queues[leadId] = id;
            }
        }
        var unrecorded = requests.Select(r => r.LeadId).Where(l => !queues.ContainsKey(l)).ToList();
        if (unrecorded.Count > 0)
        {
            foreach (var (leadId, owner) in await routing.SyncedOwnersAsync(unrecorded, cancellationToken).ConfigureAwait(false))
                queues[leadId] = owner;
        }
        return queues;
    }

    private async Task<List<AssignmentRequest>> DropProcessedAsync(IReadOnlyList<AssignmentRequest> requests, CancellationToken cancellationToken)
    {
        var withIds = requests.Where(r => r.MessageId is not null).Select(r => r.MessageId!.Value).ToList();
        if (withIds.Count == 0)
            return [.. requests];
        var seen = await new ProcessedMessages(database).WhichProcessedAsync(ConsumerName, withIds, cancellationToken).ConfigureAwait(false);
        return requests.Where(r => r.MessageId is not { } id || !seen.Contains(id)).ToList();
    }

    private async Task<Dictionary<string, (string OwnerId, bool IsConverted, DateTimeOffset LastModified)>> ReadLeadsAsync(
        List<string> leadIds, CancellationToken cancellationToken)
    {
        var leads = new Dictionary<string, (string, bool, DateTimeOffset)>(leadIds.Count, StringComparer.Ordinal);
        // 200 ids (one chunk) per query keeps the request URL well under Salesforce's limit.
        foreach (var chunk in leadIds.Chunk(SalesforceClient.MaxCollectionSize))
        {
            var query = Soql.Select("Id", "OwnerId", "IsConverted", "LastModifiedDate").From("Lead").Where(Soql.Field("Id").In(chunk)).Build();
            await foreach (var lead in salesforce.QueryAsync<JsonElement>(query, cancellationToken).ConfigureAwait(false))
            {
                var modified = lead.GetProperty("LastModifiedDate").GetString()!;
                if (!SalesforceDateTimeConverter.TryParse(modified, out var lastModified))
                    throw new JsonException($"Lead {lead.GetProperty("Id").GetString()}: LastModifiedDate '{modified}' is not a Salesforce datetime.");
                leads[SalesforceId.Normalize(lead.GetProperty("Id").GetString()!)] =
                    (SalesforceId.Normalize(lead.GetProperty("OwnerId").GetString()!), lead.GetProperty("IsConverted").GetBoolean(), lastModified);
            }
        }
        return leads;
    }

    /// <summary>
    /// Records the outcomes and marks the messages processed, in one transaction. A deferred request's
    /// message stays unmarked (a redelivery tries again); a request whose recommendation was no longer
    /// open is only marked.
    /// </summary>
    private async Task RecordAsync(IReadOnlyList<AssignmentRequest> requests, IReadOnlyList<AssignmentOutcome> outcomes, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var routing = new RoutingStore(database);
        var processed = new ProcessedMessages(database);
        var deferred = outcomes.Where(o => o.Deferred).Select(o => o.Request).ToHashSet();
        await using var transaction = await database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // A copy of the message handled concurrently elsewhere got here first: its outcome is recorded there.
        var marking = requests.Where(r => !deferred.Contains(r) && r.MessageId is not null).ToList();
        var marked = await processed.TryMarkProcessedAsync(ConsumerName, marking.Select(r => r.MessageId!.Value).ToList(), now, transaction, cancellationToken)
            .ConfigureAwait(false);
        var raced = marking.Where((_, i) => !marked[i]).ToHashSet();
        var messages = new List<OutboxMessage>(outcomes.Count);
        var changes = new List<StatusChange>(outcomes.Count);
        foreach (var outcome in outcomes.Where(o => !raced.Contains(o.Request)))
        {
            var request = outcome.Request;
            if (outcome.Deferred)
            {
                await routing.DeferAsync(request.RunId, request.LeadId, outcome.Detail, now, transaction, cancellationToken).ConfigureAwait(false);
                continue;
            }
            changes.Add(new StatusChange(request.RunId, request.LeadId,
                outcome.Assigned ? RecommendationStatus.Assigned : RecommendationStatus.Skipped, outcome.Detail));
            messages.Add(outcome.Assigned
                ? OutboxMessages.Create(new LeadAssigned(request.RunId, request.LeadId, request.RepId, outcome.CurrentOwnerId!, now), now)
                : OutboxMessages.Create(new LeadAssignmentSkipped(request.RunId, request.LeadId, request.RepId, outcome.Reason!.Value,
                    outcome.Detail, outcome.CurrentOwnerId, now), now));
        }
        await routing.SetStatusesAsync(changes, now, transaction, cancellationToken).ConfigureAwait(false);
        await new Outbox(database).EnqueueAsync(messages, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}

using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using LeadRouter.Contracts.V1;
using LeadRouter.Cycle;
using LeadRouter.Storage;
using LeadRouter.Telemetry;
using LeadRouter.Worker.Messaging;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LeadRouter.Worker.Outbox;

/// <summary>
/// Publishes the outbox: claims a batch of unsent rows under a lease, publishes each (on RabbitMQ the
/// publish completes when the broker confirms it), and marks them sent. A message that fails to publish
/// is retried later with backoff; nothing is lost, and consumers de-duplicate on the stable message id.
/// Leases carry this host's owner id: at start the relay releases the leases of processes of this
/// machine that are gone (a killed worker's rows go out at once) and names the live holders.
/// </summary>
public sealed class OutboxRelay(
    LeadRouterDatabase database, IPublishEndpointProvider publishEndpoints, TimeProvider time, ILogger<OutboxRelay> logger, LeaseOwner owner)
    : BackgroundService
{
    /// <summary>Rows claimed, and publishes awaiting the broker's confirm, at once.</summary>
    public const int BatchSize = 200;
    // Long enough to publish two batches (the next is claimed while one is confirmed); a publisher killed mid-batch holds its rows no longer than this
    // (one that stops normally releases them), and a lease that runs out only risks a duplicate publish.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(2);

    /// <summary>Per contract, the send endpoint MassTransit publishes it on.</summary>
    private static readonly ConcurrentDictionary<Type, Func<IPublishEndpointProvider, Task<ISendEndpoint>>> PublishEndpoints = new();

    private readonly Storage.Outbox _outbox = new(database, owner);

    /// <summary>Rows this relay has claimed and not yet marked sent or failed.</summary>
    private readonly ConcurrentDictionary<Guid, bool> _leased = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ReportLeaseHoldersAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Outbox relay could not check who holds outbox leases");
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await DrainAsync(stoppingToken).ConfigureAwait(false) > 0)
                    continue;
            }
            catch (Exception e) when (TransientStoreErrors.IsTransient(e))
            {
                // The store is busy (a cycle saving a large run holds SQLite's write lock) or restarting: the rows wait.
                logger.LogWarning("Outbox relay waits for the store ({Reason}); retrying", e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Outbox relay failed; retrying");
            }
            await Task.Delay(Idle, time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops publishing and releases what this relay still holds, so another process publishes it at once.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        var unfinished = _leased.Keys.ToList();
        if (unfinished.Count > 0)
            await _outbox.ReleaseAsync(unfinished, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the leases of holders that are gone and names those still holding rows.</summary>
    private async Task ReportLeaseHoldersAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var gone in await _outbox.ReleaseGoneHoldersAsync(now, cancellationToken).ConfigureAwait(false))
            logger.LogWarning("Outbox: released {Rows} messages leased by {Owner}, a process that is gone; publishing them now", gone.Rows, gone.Owner);
        foreach (var holder in await _outbox.LeaseHoldersAsync(now, cancellationToken).ConfigureAwait(false))
            logger.LogInformation("Outbox: {Rows} messages are leased by {Owner} until {Until}", holder.Rows, holder.Owner, holder.Until);
    }

    /// <summary>
    /// Publishes until the outbox holds nothing claimable, batch after batch; returns how many messages were sent.
    /// The store and the broker work side by side: the next batch is claimed while the broker confirms this one,
    /// and this one is marked sent while the next goes out. Store calls stay one at a time (SQLite has one writer).
    /// </summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        var batch = await ClaimAsync(cancellationToken).ConfigureAwait(false);
        var publishing = batch.Count > 0 ? PublishBatchAsync(batch, cancellationToken) : null;
        while (publishing is not null)
        {
            var next = await ClaimAsync(cancellationToken).ConfigureAwait(false);
            var outcome = await publishing.ConfigureAwait(false);
            publishing = next.Count > 0 ? PublishBatchAsync(next, cancellationToken) : null;
            await RecordOutcomeAsync(outcome, cancellationToken).ConfigureAwait(false);
            sent += outcome.Sent.Count;
        }
        return sent;
    }

    private async Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(CancellationToken cancellationToken)
    {
        var claimed = await _outbox.ClaimAsync(BatchSize, time.GetUtcNow(), Lease, cancellationToken).ConfigureAwait(false);
        foreach (var row in claimed)
            _leased[row.Id] = true;
        return claimed;
    }

    /// <summary>
    /// Publishes a batch together (one after another, each waiting for its confirm, a large org's tens of thousands
    /// of messages would wait as many round trips) and collects each outcome; the store is left to the caller.
    /// </summary>
    private async Task<BatchOutcome> PublishBatchAsync(IReadOnlyList<ClaimedMessage> batch, CancellationToken cancellationToken)
    {
        var publishes = batch.Select(row => PublishAsync(row, cancellationToken)).ToList();
        var outcome = new BatchOutcome(new List<Guid>(batch.Count), []);
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                var recommendedMode = await publishes[i].ConfigureAwait(false);
                outcome.Sent.Add(batch[i].Id);
                if (recommendedMode is not null)
                    LeadRouterTelemetry.RecommendationPublished(recommendedMode);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome.Failed.Add((batch[i], e));
            }
        }
        return outcome;
    }

    /// <summary>
    /// Publishes a row's stored JSON as it is (<see cref="StoredJsonSerializer"/>) on the send endpoint MassTransit publishes
    /// its contract on (the contract's exchange, declared and bound as for a publish), as MassTransit's own outbox delivers
    /// stored messages: the payload is not read back into the contract, whose JSON the engine wrote and the store checked.
    /// A row of an unknown kind fails here rather than at a consumer. Returns a recommendation's mode (for the telemetry), read first.
    /// </summary>
    private async Task<string?> PublishAsync(ClaimedMessage row, CancellationToken cancellationToken)
    {
        var contract = OutboxMessages.ContractOf(row.Id, row.MessageType);
        var recommendedMode = contract == typeof(LeadAssignmentRecommended)
            ? JsonSerializer.Deserialize<RecommendedMode>(row.Payload, OutboxMessages.Json)!.Mode.ToString()
            : null;
        var endpoint = await PublishEndpoints.GetOrAdd(contract, PublishEndpointOf)(publishEndpoints).ConfigureAwait(false);
        await endpoint.Send(new SerializedMessageBody(), StoredJsonSerializer.Sending(row.Id, contract, row.Payload), cancellationToken)
            .ConfigureAwait(false);
        return recommendedMode;
    }

    private static Func<IPublishEndpointProvider, Task<ISendEndpoint>> PublishEndpointOf(Type contract) =>
        typeof(OutboxRelay).GetMethod(nameof(PublishEndpoint), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(contract).CreateDelegate<Func<IPublishEndpointProvider, Task<ISendEndpoint>>>();

    private static Task<ISendEndpoint> PublishEndpoint<T>(IPublishEndpointProvider provider)
        where T : class => provider.GetPublishSendEndpoint<T>();

    /// <summary>Marks the sent rows sent and gives each failed one its backoff.</summary>
    private async Task RecordOutcomeAsync(BatchOutcome outcome, CancellationToken cancellationToken)
    {
        foreach (var (row, error) in outcome.Failed)
        {
            // Backoff doubles with each attempt, capped at an hour.
            var retryIn = TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, row.Attempts)));
            logger.LogWarning(error, "Outbox message {Id} ({Kind}) not published, attempt {Attempt}; retry in {RetryIn}",
                row.Id, row.MessageType, row.Attempts + 1, retryIn);
            await _outbox.RecordFailureAsync(row.Id, error.Message, time.GetUtcNow() + retryIn, cancellationToken).ConfigureAwait(false);
            _leased.TryRemove(row.Id, out _);
        }
        if (outcome.Sent.Count == 0)
            return;
        CrashDrill.At(CrashDrill.OutboxPublished);
        await _outbox.MarkSentAsync(outcome.Sent, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        CrashDrill.At(CrashDrill.OutboxSent);
        foreach (var id in outcome.Sent)
            _leased.TryRemove(id, out _);
    }

    /// <summary>What the telemetry reads of a recommendation.</summary>
    private sealed record RecommendedMode(AssignmentMode Mode);

    private sealed record BatchOutcome(List<Guid> Sent, List<(ClaimedMessage Row, Exception Error)> Failed);
}

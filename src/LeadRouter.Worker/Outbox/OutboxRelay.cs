using System.Collections.Concurrent;
using LeadRouter.Contracts.V1;
using LeadRouter.Cycle;
using LeadRouter.Storage;
using LeadRouter.Telemetry;
using MassTransit;
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
public sealed class OutboxRelay(LeadRouterDatabase database, IPublishEndpoint publisher, TimeProvider time, ILogger<OutboxRelay> logger, LeaseOwner owner)
    : BackgroundService
{
    private const int BatchSize = 200;
    // Long enough to publish a batch; a publisher killed mid-batch holds its rows no longer than this
    // (one that stops normally releases them), and a lease that runs out only risks a duplicate publish.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(2);

    private readonly Storage.Outbox _outbox = new(database, owner);

    /// <summary>Rows this relay has claimed and not yet marked sent or failed.</summary>
    private readonly ConcurrentDictionary<Guid, bool> _leased = new();

    /// <summary>Publishes until the outbox holds nothing claimable; returns how many messages were sent.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var sent = await PublishBatchAsync(cancellationToken).ConfigureAwait(false);
            if (sent == 0)
                return total;
            total += sent;
        }
    }

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
                if (await PublishBatchAsync(stoppingToken).ConfigureAwait(false) > 0)
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

    private async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        var claimed = await _outbox.ClaimAsync(BatchSize, time.GetUtcNow(), Lease, cancellationToken).ConfigureAwait(false);
        if (claimed.Count == 0)
            return 0;
        foreach (var row in claimed)
            _leased[row.Id] = true;
        // Each publish waits for the broker's confirm: one after another, a large org's tens of thousands of
        // messages would wait as many round trips. The batch goes out together; each outcome is read after.
        var publishes = claimed.Select(row => PublishAsync(row, cancellationToken)).ToList();
        var sent = new List<Guid>(claimed.Count);
        for (var i = 0; i < claimed.Count; i++)
        {
            var row = claimed[i];
            try
            {
                var message = await publishes[i].ConfigureAwait(false);
                sent.Add(row.Id);
                if (message is LeadAssignmentRecommended recommended)
                    LeadRouterTelemetry.RecommendationPublished(recommended.Mode.ToString());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Backoff doubles with each attempt, capped at an hour.
                var retryIn = TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, row.Attempts)));
                logger.LogWarning(e, "Outbox message {Id} ({Kind}) not published, attempt {Attempt}; retry in {RetryIn}",
                    row.Id, row.MessageType, row.Attempts + 1, retryIn);
                await _outbox.RecordFailureAsync(row.Id, e.Message, time.GetUtcNow() + retryIn, cancellationToken).ConfigureAwait(false);
                _leased.TryRemove(row.Id, out _);
            }
        }
        if (sent.Count > 0)
        {
            CrashDrill.At(CrashDrill.OutboxPublished);
            await _outbox.MarkSentAsync(sent, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            CrashDrill.At(CrashDrill.OutboxSent);
        }
        foreach (var id in sent)
            _leased.TryRemove(id, out _);
        return claimed.Count;
    }

    private async Task<object> PublishAsync(ClaimedMessage row, CancellationToken cancellationToken)
    {
        var message = OutboxMessages.Read(row.Id, row.MessageType, row.Payload);
        await publisher.Publish(message, message.GetType(), cancellationToken).ConfigureAwait(false);
        return message;
    }
}

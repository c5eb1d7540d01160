using LeadRouter.Storage;
using LeadRouter.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadRouter.Cycle;

/// <summary>
/// One sync at a time across every process sharing the store: the hourly sync and the weekly cycle's
/// sync both fire at Monday 07:00 with the default schedule, `run` may run on two nodes, and someone may
/// start a manual `sync` meanwhile; two pulls at once would read the same changes twice and race on
/// the watermarks. Within a process the turns queue on a semaphore; across processes the sync holds
/// the store's "sync" lease, renewed while it pulls. The one that waits then pulls only what changed
/// meanwhile. Each turn takes a sync made for the rules in force at that moment (the rules file is
/// re-read when it changes).
/// </summary>
public sealed class SyncTurn(
    Func<SalesforceSync> sync, LeadRouterDatabase database, LeaseOwner owner, TimeProvider? time = null, ILogger<SyncTurn>? logger = null)
{
    /// <summary>How long the lease lasts unrenewed: a holder that died blocks others no longer (one of this machine not at all).</summary>
    internal static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly StoreLease _lease = new(database, StoreLease.Sync);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger<SyncTurn>.Instance;

    public async Task<SyncReport> RunAsync(DateTimeOffset asOf, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await TakeLeaseAsync(cancellationToken).ConfigureAwait(false);
            using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var renewal = RenewAsync(lost, renewing.Token);
            try
            {
                return await sync().RunAsync(asOf, progress, lost.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException(
                    "The sync stopped: it lost its store lease (not renewed in time), so another process may sync; the next sync resumes from the watermarks.");
            }
            finally
            {
                await renewing.CancelAsync().ConfigureAwait(false);
                await renewal.ConfigureAwait(false);
                await _lease.ReleaseAsync(owner, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task TakeLeaseAsync(CancellationToken cancellationToken)
    {
        var told = false;
        while (!await _lease.TryTakeAsync(owner, _time.GetUtcNow(), Lease, cancellationToken).ConfigureAwait(false))
        {
            if (!told)
            {
                var (holder, until) = await _lease.HolderAsync(cancellationToken).ConfigureAwait(false);
                _logger.LogWarning("Another process ({Holder}) is syncing, its lease runs to {Until}; this sync waits for it", holder, until);
                told = true;
            }
            await Task.Delay(Retry, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Renews the lease until told to stop; cancels <paramref name="lost"/> when it is lost or cannot be renewed before it runs out.</summary>
    private async Task RenewAsync(CancellationTokenSource lost, CancellationToken stop)
    {
        var renewedUntil = _time.GetUtcNow() + Lease;
        try
        {
            while (true)
            {
                await Task.Delay(Renewal, _time, stop).ConfigureAwait(false);
                try
                {
                    var now = _time.GetUtcNow();
                    if (await _lease.RenewAsync(owner, now, Lease, stop).ConfigureAwait(false))
                    {
                        renewedUntil = now + Lease;
                        continue;
                    }
                    _logger.LogError("The sync's store lease ran out and another process took it; this sync stops");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (_time.GetUtcNow() + Renewal < renewedUntil)
                    {
                        _logger.LogWarning(e, "The sync's store lease could not be renewed; trying again");
                        continue;
                    }
                    _logger.LogError(e, "The sync's store lease could not be renewed before it ran out; this sync stops");
                }
                await lost.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}

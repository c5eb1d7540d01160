using LeadRouter.Sync;

namespace LeadRouter.Cycle;

/// <summary>
/// One sync at a time in this process: the hourly sync and the weekly cycle's sync both fire at Monday
/// 07:00 with the default schedule, and two pulls at once would read the same changes twice and race
/// on the watermarks. The second waits, then pulls only what changed meanwhile. Each turn takes a
/// sync made for the rules in force at that moment (the rules file is re-read when it changes).
/// </summary>
public sealed class SyncTurn(Func<SalesforceSync> sync)
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    public async Task<SyncReport> RunAsync(DateTimeOffset asOf, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await sync().RunAsync(asOf, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }
}

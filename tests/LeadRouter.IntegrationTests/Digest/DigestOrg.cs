using LeadRouter.Cycle;
using LeadRouter.Digest;
using LeadRouter.IntegrationTests.Worker;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Sync;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadRouter.IntegrationTests.Digest;

/// <summary>
/// The small generated org (seed 11) synced once, then scored and routed four weeks running (as of
/// three, two and one week before <see cref="WorkerRig.AsOf"/>, then at it) so the last week's
/// digests have a stored trend and a stored last week to explain who moved.
/// </summary>
internal sealed class DigestOrg : IAsyncDisposable
{
    public const int Weeks = 4;

    private DigestOrg(WorkerRig rig, IHost host, CycleResult last)
    {
        Rig = rig;
        Host = host;
        Last = last;
    }

    public WorkerRig Rig { get; }
    public IHost Host { get; }

    /// <summary>The cycle as of <see cref="WorkerRig.AsOf"/>, whose digests the tests read.</summary>
    public CycleResult Last { get; }

    public IReadOnlyList<WrittenDigest> Digests => Last.Digests;

    private static Task<DigestOrg>? _shared;

    /// <summary>One org for every digest test of the run (setting it up takes a sync and four cycles); see <see cref="DigestOrgTeardown"/>.</summary>
    public static Task<DigestOrg> SharedAsync() => _shared ??= StartAsync();

    internal static async Task StopSharedAsync()
    {
        if (_shared is { IsCompletedSuccessfully: true })
            await (await _shared).DisposeAsync();
        _shared = null;
    }

    private static async Task<DigestOrg> StartAsync()
    {
        var rig = await WorkerRig.StartAsync(OrgSize.Small);
        var host = await rig.HostAsync(HostRole.Engine, start: false);
        await host.Services.GetRequiredService<SalesforceSync>().RunAsync(WorkerRig.AsOf);
        var cycle = host.Services.GetRequiredService<WeeklyCycle>();
        CycleResult? last = null;
        for (var weeksAgo = Weeks - 1; weeksAgo >= 0; weeksAgo--)
            last = await cycle.RunAsync(WorkerRig.AsOf.AddDays(-7 * weeksAgo), new CycleRun(Sync: false));
        Assert.That(last!.Saved, Is.True, "the last cycle was saved and wrote its digests");
        return new DigestOrg(rig, host, last);
    }

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        await Rig.DisposeAsync();
    }
}

/// <summary>Disposes the shared digest org after the namespace's tests.</summary>
[SetUpFixture]
public sealed class DigestOrgTeardown
{
    [OneTimeTearDown]
    public Task Stop() => DigestOrg.StopSharedAsync();
}

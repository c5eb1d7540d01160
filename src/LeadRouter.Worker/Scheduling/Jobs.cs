using LeadRouter.Cycle;
using Quartz;

namespace LeadRouter.Worker.Scheduling;

/// <summary>The hourly incremental pull. Never runs twice at once, nor beside the weekly cycle's own sync.</summary>
[DisallowConcurrentExecution]
public sealed class SyncJob(SyncTurn sync) : IJob
{
    public static readonly JobKey Key = new("sync", "leadrouter");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await sync.RunAsync(context.ScheduledFireTimeUtc ?? context.FireTimeUtc, null, cancellationToken).ConfigureAwait(false);
}

/// <summary>
/// The weekly cycle: sync, score, route, recommendations and messages. As-of is the scheduled fire
/// time, so a run that fires late (a missed run caught up on start) still scores the week it was for.
/// </summary>
[DisallowConcurrentExecution]
public sealed class WeeklyCycleJob(WeeklyCycle cycle) : IJob
{
    public static readonly JobKey Key = new("weekly-cycle", "leadrouter");

    /// <summary>Job data naming the as-of moment of a run fired by hand (a missed run caught up).</summary>
    public const string AsOfKey = "asOf";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var asOf = context.MergedJobDataMap.TryGetString(AsOfKey, out var text) && text is not null
            ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
            : context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        await cycle.RunAsync(asOf, new CycleRun(), null, cancellationToken).ConfigureAwait(false);
    }
}

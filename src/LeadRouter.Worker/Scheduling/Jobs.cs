using System.Diagnostics;
using System.Globalization;
using LeadRouter.Cycle;
using LeadRouter.Telemetry;
using Microsoft.Extensions.Logging;
using Quartz;

namespace LeadRouter.Worker.Scheduling;

/// <summary>The hourly incremental pull. Never runs twice at once, nor beside the weekly cycle's own sync.</summary>
[DisallowConcurrentExecution]
public sealed class SyncJob(SyncTurn sync, ILogger<SyncJob> logger) : IJob
{
    public static readonly JobKey Key = new("sync", "leadrouter");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        JobRun.MeasureAsync(Key, logger, () => sync.RunAsync(context.ScheduledFireTimeUtc ?? context.FireTimeUtc, null, cancellationToken));
}

/// <summary>
/// The weekly cycle: sync, score, route, recommendations and messages. As-of is the scheduled fire
/// time, so a run that fires late (a missed run caught up on start) still scores the week it was for.
/// </summary>
[DisallowConcurrentExecution]
public sealed class WeeklyCycleJob(WeeklyCycle cycle, ILogger<WeeklyCycleJob> logger) : IJob
{
    public static readonly JobKey Key = new("weekly-cycle", "leadrouter");

    /// <summary>Job data naming the as-of moment of a run fired by hand (a missed run caught up).</summary>
    public const string AsOfKey = "asOf";

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        JobRun.MeasureAsync(Key, logger, () => cycle.RunAsync(AsOf(context), new CycleRun(), null, cancellationToken));

    /// <summary>
    /// The week the firing is for: the as-of a catch-up named, else, when another worker died mid-run
    /// and this one recovers it, the original firing's scheduled time, else this firing's.
    /// </summary>
    internal static DateTimeOffset AsOf(IJobExecutionContext context)
    {
        var data = context.MergedJobDataMap;
        if (data.TryGetString(AsOfKey, out var text) && text is not null)
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
        if (context.Recovering && data.TryGetString(SchedulerConstants.FailedJobOriginalTriggerScheduledFireTime, out var original) && original is not null)
        {
            // Quartz writes it as Unix milliseconds; an ISO 8601 moment is read too.
            if (long.TryParse(original, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds))
                return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
            if (DateTimeOffset.TryParse(original, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
                return moment;
        }
        return context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
    }
}

/// <summary>What every job does around its work: a "Job" log scope, a span, and its duration on the job histogram.</summary>
internal static class JobRun
{
    public static async ValueTask MeasureAsync<T>(JobKey job, ILogger logger, Func<Task<T>> work)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Job"] = job.Name });
        using var activity = LeadRouterTelemetry.Traces.StartActivity($"job {job.Name}");
        var started = Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            await work().ConfigureAwait(false);
            succeeded = true;
        }
        finally
        {
            LeadRouterTelemetry.JobRan(job.Name, Stopwatch.GetElapsedTime(started), succeeded);
        }
    }
}

using LeadRouter.Storage;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace LeadRouter.Worker.Scheduling;

/// <summary>
/// With the in-memory schedule (SQLite), Quartz forgets missed firings across restarts. On start this
/// compares the last weekly run in the store with the cycle's latest scheduled time and, when that run
/// is missing, fires the cycle once for it.
/// </summary>
public sealed class MissedCycleCatchUp(
    ISchedulerFactory schedulers,
    LeadRouterDatabase database,
    IOptions<ScheduleOptions> schedule,
    TimeProvider time,
    ILogger<MissedCycleCatchUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var due = LatestScheduled(schedule.Value, time.GetUtcNow());
        if (due is null)
            return;
        var lastRun = await new RoutingStore(database).LatestRunAsync(stoppingToken).ConfigureAwait(false);
        if (lastRun is not null && lastRun.AsOf >= due.Value)
            return;
        logger.LogInformation("The weekly cycle due at {Due} did not run; running it now", due.Value);
        var scheduler = await schedulers.GetScheduler(stoppingToken).ConfigureAwait(false);
        await scheduler.TriggerJob(WeeklyCycleJob.Key, new JobDataMap { [WeeklyCycleJob.AsOfKey] = due.Value.ToString("O") }, stoppingToken).ConfigureAwait(false);
    }

    /// <summary>The most recent time at or before <paramref name="now"/> the weekly cron fires, within the last 8 days.</summary>
    internal static DateTimeOffset? LatestScheduled(ScheduleOptions schedule, DateTimeOffset now)
    {
        var cron = new CronExpression(schedule.WeeklyCycleCron, TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone));
        DateTimeOffset? latest = null;
        for (var next = cron.GetNextValidTimeAfter(now.AddDays(-8)); next is { } fire && fire <= now; next = cron.GetNextValidTimeAfter(fire))
            latest = fire;
        return latest;
    }
}

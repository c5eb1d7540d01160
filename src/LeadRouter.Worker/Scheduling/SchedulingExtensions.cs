using LeadRouter.Storage;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace LeadRouter.Worker.Scheduling;

public static class SchedulingExtensions
{
    /// <summary>
    /// Quartz with the two jobs. On SQL Server and PostgreSQL the schedule lives in the store's database
    /// (Quartz provisions its tables) and the scheduler is clustered, so several workers can run and each
    /// firing happens once; a weekly run missed while every worker was down fires once on start-up,
    /// not once per missed week. On SQLite the schedule is in memory and <see cref="MissedCycleCatchUp"/>
    /// does the catching up from the store's last run.
    /// </summary>
    public static IHostApplicationBuilder AddLeadRouterSchedule(
        this IHostApplicationBuilder builder, StorageOptions database, ScheduleOptions schedule)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        builder.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(s => s.InstanceName = "leadrouter");
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                quartz.UseInMemoryStore();
            }
            else
            {
                quartz.UsePersistentStore(store =>
                {
                    store.UseSystemTextJsonSerializer();
                    store.ProvisionSchema();
                    store.UseClustering();
                    if (database.Provider == DatabaseProvider.Postgres)
                        store.UsePostgres(database.ConnectionString);
                    else
                        store.UseSqlServer(database.ConnectionString);
                });
            }

            // Recovery: when a clustered worker dies mid-job, another runs it again (both jobs are safe to repeat).
            quartz.AddJob<SyncJob>(job => job.WithIdentity(SyncJob.Key).RequestRecovery());
            quartz.AddTrigger(trigger => trigger
                .ForJob(SyncJob.Key)
                .WithIdentity("sync", "leadrouter")
                // A missed hourly sync is simply done at the next hour.
                .WithCronSchedule(schedule.SyncCron, cron => cron.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));

            quartz.AddJob<WeeklyCycleJob>(job => job.WithIdentity(WeeklyCycleJob.Key).RequestRecovery());
            quartz.AddTrigger(trigger => trigger
                .ForJob(WeeklyCycleJob.Key)
                .WithIdentity("weekly-cycle", "leadrouter")
                .WithCronSchedule(schedule.WeeklyCycleCron, cron => cron.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        });
        builder.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        if (database.Provider == DatabaseProvider.Sqlite)
            builder.Services.AddHostedService<MissedCycleCatchUp>();
        return builder;
    }
}

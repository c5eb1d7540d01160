using LeadRouter.Rules;
using LeadRouter.Storage;
using LeadRouter.Sync;

namespace LeadRouter.Worker.Hosting;

/// <summary>
/// The worker's own settings, section "LeadRouter". The other sections under it belong to their
/// capability: LeadRouter:Salesforce, LeadRouter:Database, LeadRouter:Messaging, LeadRouter:Schedule.
/// </summary>
public sealed class LeadRouterOptions
{
    public const string SectionPath = "LeadRouter";

    /// <summary>The routing rules and trust settings file sales ops edit (JSON with comments).</summary>
    public string RulesFile { get; set; } = "routing-rules.jsonc";

    /// <summary>How often `run` looks for a changed rules file (see <see cref="RulesFileWatcher"/>).</summary>
    public TimeSpan RulesReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where each cycle writes the managers' weekly digests, one folder per ISO week.</summary>
    public string DigestFolder { get; set; } = ".leadrouter/digests";

    /// <summary>How far before the sync watermark each incremental read starts (see SyncOptions.Overlap).</summary>
    public TimeSpan SyncOverlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>LeadRouter:Sync:UseBulkApi and LeadRouter:Sync:BulkThreshold (see SyncOptions).</summary>
    public SyncSettings Sync { get; set; } = new();

    /// <summary>How long a one-off command waits for the routing consumer to carry out one more AutoAssign lead before it reports what is left.</summary>
    public TimeSpan SettleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The store; SQLite under the working folder unless configured.</summary>
    public StorageOptions Database { get; set; } = StorageOptions.SqliteFile(".leadrouter/leadrouter.db");
}

/// <summary>When the jobs run, section "LeadRouter:Schedule". Cron expressions are Quartz's (seconds first).</summary>
public sealed class ScheduleOptions
{
    public const string SectionPath = "LeadRouter:Schedule";

    /// <summary>Hourly, on the hour.</summary>
    public string SyncCron { get; set; } = "0 0 * * * ?";

    /// <summary>Mondays at 07:00 in the org's time zone.</summary>
    public string WeeklyCycleCron { get; set; } = "0 0 7 ? * MON";

    /// <summary>
    /// The org's time zone (IANA id), in which both crons are read. It is the rules file's
    /// trust.timeZone, the one place it is set: see <see cref="UseTimeZoneOf"/>.
    /// </summary>
    public string TimeZone { get; private set; } = "UTC";

    /// <summary>Reads the crons in the rules' time zone.</summary>
    /// <param name="configuredZone">LeadRouter:Schedule:TimeZone, which older set-ups still set.</param>
    /// <exception cref="ConfigurationException">The configured zone is not the rules file's.</exception>
    public void UseTimeZoneOf(RoutingRules rules, string rulesFile, string? configuredZone)
    {
        if (!string.IsNullOrWhiteSpace(configuredZone) && !string.Equals(configuredZone, rules.Trust.TimeZone, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationException(
                $"{SectionPath}:TimeZone is '{configuredZone}' but the rules file {rulesFile} says trust.timeZone '{rules.Trust.TimeZone}': " +
                "the org's time zone is set in the rules file only; remove the setting (or make the two agree).");
        }
        TimeZone = rules.Trust.TimeZone;
    }
}

/// <summary>How the sync reads (REST pages or Bulk API 2.0 query jobs) and commits (see SyncOptions).</summary>
public sealed class SyncSettings
{
    public bool UseBulkApi { get; set; } = true;

    public int BulkThreshold { get; set; } = SyncOptions.DefaultBulkThreshold;

    public int RowsPerCommit { get; set; } = SyncOptions.DefaultRowsPerCommit;
}

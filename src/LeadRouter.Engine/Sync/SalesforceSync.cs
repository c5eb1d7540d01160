using System.Text.Json;
using LeadRouter.Salesforce;
using LeadRouter.Storage;
using LeadRouter.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadRouter.Sync;

/// <summary>
/// Copies the Salesforce records LeadRouter scores into the store, incrementally. Per object it reads
/// (with queryAll, so deletions arrive as rows with IsDeleted) every row changed since the object's
/// watermark, in (SystemModstamp, Id) order, and commits each page together with the new watermark:
/// a crash or a Salesforce error mid-pull loses nothing, and the next run resumes where the last
/// commit left off. The calls made are the minimum: one per page of up to 2,000 rows per object.
/// </summary>
public sealed class SalesforceSync
{
    private readonly SalesforceClient _client;
    private readonly LeadRouterDatabase _database;
    private readonly RecordStore _records;
    private readonly WatermarkStore _watermarks;
    private readonly SyncOptions _options;
    private readonly int _pageSize;
    private readonly double _budgetShare;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SalesforceSync(
        SalesforceClient client,
        LeadRouterDatabase database,
        SalesforceOptions salesforceOptions,
        SyncOptions options,
        TimeProvider? time = null,
        ILogger<SalesforceSync>? logger = null)
    {
        options.Validate();
        _client = client;
        _database = database;
        _records = new RecordStore(database);
        _watermarks = new WatermarkStore(database);
        _options = options;
        _pageSize = salesforceOptions.QueryBatchSize;
        _budgetShare = salesforceOptions.ApiBudgetShare;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<SalesforceSync>.Instance;
    }

    /// <summary>
    /// Pulls every object. <paramref name="asOf"/> fixes the history window (the weeks before it);
    /// progress is reported after each committed page.
    /// </summary>
    public async Task<SyncReport> RunAsync(
        DateTimeOffset asOf, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var activity = LeadRouterTelemetry.Traces.StartActivity("sync");
        var historyStart = asOf.ToUniversalTime().AddDays(-7 * _options.HistoryWeeks);
        var callsAtStart = _client.CallsMade;
        // The least a pull can cost is one call per object: refuse to start when even that would take the
        // org past its share; pages beyond are checked as they go.
        await _client.EnsureApiBudgetAsync(ObjectCount, cancellationToken).ConfigureAwait(false);

        var reports = new List<ObjectSyncReport>(ObjectCount);
        var run = new Run(this, historyStart, progress, cancellationToken);
        reports.Add(await run.PullAsync(SyncedObjects.Users).ConfigureAwait(false));
        reports.Add(await run.PullAsync(SyncedObjects.Queues).ConfigureAwait(false));
        reports.Add(await run.PullAsync(SyncedObjects.Events).ConfigureAwait(false));
        reports.Add(await run.PullAsync(SyncedObjects.EventRelations).ConfigureAwait(false));
        reports.Add(await run.PullAsync(SyncedObjects.Tasks).ConfigureAwait(false));
        reports.Add(await run.PullAsync(SyncedObjects.Opportunities(_options.NextStepDateField)).ConfigureAwait(false));
        reports.Add(await run.PullAsync(SyncedObjects.ContactRoles).ConfigureAwait(false));
        reports.Add(await run.PullAsync(SyncedObjects.History).ConfigureAwait(false));
        reports.Add(await run.PullAsync(SyncedObjects.Leads(_options.LeadCustomFields)).ConfigureAwait(false));

        var report = new SyncReport(asOf, historyStart, reports, _client.CallsMade - callsAtStart, _client.LatestApiUsage);
        _logger.LogInformation("Sync done: {Summary}", report.Summary());
        LeadRouterTelemetry.Synced(report);
        return report;
    }

    private const int ObjectCount = 9;

    /// <summary>The state of one pull: its window, progress sink and cancellation.</summary>
    private sealed class Run(SalesforceSync sync, DateTimeOffset historyStart, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        private const int MaxIssuesKept = 20;

        public async Task<ObjectSyncReport> PullAsync<T>(SyncedObject<T> synced)
            where T : class
        {
            var watermark = await sync._watermarks.GetAsync(synced.Name, cancellationToken).ConfigureAwait(false);
            var query = synced.Query(watermark?.LastSystemModstamp - sync._options.Overlap, historyStart);
            var callsBefore = sync._client.CallsMade;
            var page = new List<SyncedRow<T>>(sync._pageSize);
            long read = 0, stored = 0, deleted = 0, rejected = 0;
            var issues = new List<string>();

            // Without an overlap, the rows up to the watermark were committed by the last pull; the query still
            // returns those of the watermark's second (SOQL datetime literals carry whole seconds): skip them.
            var resumeAfter = sync._options.Overlap == TimeSpan.Zero ? watermark : null;

            await foreach (var record in sync._client.QueryAllAsync<JsonElement>(query, cancellationToken).ConfigureAwait(false))
            {
                var row = new SalesforceRow(synced.Name, record);
                if (resumeAfter is not null && AlreadyCommitted(row, resumeAfter))
                    continue;
                read++;
                try
                {
                    page.Add(new SyncedRow<T>(row.Id, synced.Map(row), row.RequiredDateTime("SystemModstamp"), row.Bool("IsDeleted")));
                }
                catch (SalesforceRowException e)
                {
                    rejected++;
                    if (issues.Count < MaxIssuesKept)
                        issues.Add(e.Message);
                    continue;
                }
                if (page.Count == sync._pageSize)
                    (stored, deleted) = await CommitAsync(synced, page, stored, deleted, read).ConfigureAwait(false);
            }
            if (page.Count > 0)
                (stored, deleted) = await CommitAsync(synced, page, stored, deleted, read).ConfigureAwait(false);
            if (rejected > 0)
                sync._logger.LogWarning("{Object}: {Rejected} rows set aside, e.g. {Issue}", synced.Name, rejected, issues[0]);

            return new ObjectSyncReport(synced.Name, watermark is null, read, stored, deleted, rejected,
                sync._client.CallsMade - callsBefore, issues);
        }

        /// <summary>Whether the row comes at or before the watermark in the read's (SystemModstamp, Id) order.</summary>
        private static bool AlreadyCommitted(SalesforceRow row, Watermark watermark)
        {
            try
            {
                var stamp = row.RequiredDateTime("SystemModstamp");
                return stamp < watermark.LastSystemModstamp ||
                    (stamp == watermark.LastSystemModstamp && string.CompareOrdinal(row.Id, watermark.LastId) <= 0);
            }
            catch (SalesforceRowException)
            {
                return false; // Not skipped: the read sets it aside with its reason.
            }
        }

        private async Task<(long Stored, long Deleted)> CommitAsync<T>(
            SyncedObject<T> synced, List<SyncedRow<T>> page, long stored, long deleted, long read)
            where T : class
        {
            var last = page[^1];
            await using (var transaction = await sync._database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                await sync._records.UpsertAsync(page, transaction, cancellationToken).ConfigureAwait(false);
                await sync._watermarks.SaveAsync(
                    new Watermark(synced.Name, last.SystemModstamp, last.Id, sync._time.GetUtcNow()), transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            var deletedInPage = page.Count(row => row.IsDeleted);
            stored += page.Count - deletedInPage;
            deleted += deletedInPage;
            page.Clear();

            var usage = sync._client.LatestApiUsage;
            progress?.Report(new SyncProgress(synced.Name, read, sync._client.CallsMade, usage));
            // Stop between pages, with everything so far committed, before the org's allowance runs past its share.
            if (usage is not null)
            {
                var check = ApiBudgetCheck.For(new OrgLimit("DailyApiRequests", usage.Max, usage.Max - usage.Used), 1, sync._budgetShare);
                if (!check.Fits)
                    throw new SalesforceApiBudgetException(check);
            }
            return (stored, deleted);
        }
    }
}

/// <summary>Where a pull stands: the object being read, its rows so far, calls made, the org's API counter.</summary>
public sealed record SyncProgress(string ObjectName, long RowsRead, long CallsMade, ApiUsage? ApiUsage);

/// <summary>What one object's pull did.</summary>
/// <param name="FirstPull">True when the object had no watermark: the whole history window was read.</param>
/// <param name="Issues">The first few rows set aside and why.</param>
public sealed record ObjectSyncReport(
    string ObjectName,
    bool FirstPull,
    long RowsRead,
    long RowsStored,
    long RowsDeleted,
    long RowsRejected,
    long Calls,
    IReadOnlyList<string> Issues);

public sealed record SyncReport(
    DateTimeOffset AsOf,
    DateTimeOffset HistoryStart,
    IReadOnlyList<ObjectSyncReport> Objects,
    long Calls,
    ApiUsage? ApiUsage)
{
    public long RowsRead => Objects.Sum(o => o.RowsRead);
    public long RowsRejected => Objects.Sum(o => o.RowsRejected);

    public string Summary() =>
        string.Join(", ", Objects.Select(o => $"{o.ObjectName} {o.RowsRead}")) +
        $"; {Calls} calls" + (ApiUsage is { } u ? $", org at {u.Used}/{u.Max} today" : "");
}

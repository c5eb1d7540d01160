using System.Text.Json;
using System.Threading.Channels;
using LeadRouter.Salesforce;
using LeadRouter.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadRouter.Sync;

/// <summary>
/// Copies the Salesforce records LeadRouter scores into the store, incrementally. Per object it reads
/// (with queryAll, so deletions arrive as rows with IsDeleted) every row changed since the object's
/// watermark, in (SystemModstamp, Id) order, and commits its rows in transactions of
/// <see cref="SyncOptions.RowsPerCommit"/> rows together with the new watermark: a crash or a Salesforce
/// error mid-pull loses at most one uncommitted batch, and the next run resumes where the last commit
/// left off. The calls made are the minimum: one per page of up to 2,000 rows per object.
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
    /// progress is reported after each commit.
    /// </summary>
    public async Task<SyncReport> RunAsync(
        DateTimeOffset asOf, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
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
        return report;
    }

    private const int ObjectCount = 9;

    /// <summary>The state of one pull: its window, progress sink and cancellation.</summary>
    private sealed class Run(SalesforceSync sync, DateTimeOffset historyStart, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        /// <summary>
        /// Reads the object's rows on one task and stores them on this one, so the next Salesforce page is
        /// fetched and parsed while the current rows are written. A read that fails or runs out of API budget
        /// still has every row it handed over committed before the failure is thrown.
        /// </summary>
        public async Task<ObjectSyncReport> PullAsync<T>(SyncedObject<T> synced)
            where T : class
        {
            var watermark = await sync._watermarks.GetAsync(synced.Name, cancellationToken).ConfigureAwait(false);
            var callsBefore = sync._client.CallsMade;
            // Two pages in flight at most: the reader stays one page ahead of the writer.
            var pages = Channel.CreateBounded<ReadPage<T>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
            var reader = new PageReader<T>(sync, synced, watermark, historyStart);
            using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var reading = Task.Run(() => reader.ReadAsync(pages.Writer, stopReading.Token), stopReading.Token);

            long stored = 0, deleted = 0;
            var batch = new List<SyncedRow<T>>(Math.Min(sync._options.RowsPerCommit, 100_000));
            try
            {
                await foreach (var page in pages.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    batch.AddRange(page.Rows);
                    if (batch.Count >= sync._options.RowsPerCommit)
                        (stored, deleted) = await CommitAsync(synced, batch, stored, deleted, page.RowsRead).ConfigureAwait(false);
                }
                if (batch.Count > 0)
                    (stored, deleted) = await CommitAsync(synced, batch, stored, deleted, reader.RowsRead).ConfigureAwait(false);
            }
            catch
            {
                // The store failed: stop the read too; the store's error is the one to report.
                await stopReading.CancelAsync().ConfigureAwait(false);
                await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }
            await reading.ConfigureAwait(false); // Throws what stopped the read, now that what it read is committed.
            if (reader.RowsRejected > 0)
                sync._logger.LogWarning("{Object}: {Rejected} rows set aside, e.g. {Issue}", synced.Name, reader.RowsRejected, reader.Issues[0]);

            return new ObjectSyncReport(synced.Name, watermark is null, reader.RowsRead, stored, deleted, reader.RowsRejected,
                sync._client.CallsMade - callsBefore, reader.Issues);
        }

        private async Task<(long Stored, long Deleted)> CommitAsync<T>(
            SyncedObject<T> synced, List<SyncedRow<T>> batch, long stored, long deleted, long read)
            where T : class
        {
            var last = batch[^1];
            await using (var transaction = await sync._database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                await sync._records.UpsertAsync(batch, transaction, cancellationToken).ConfigureAwait(false);
                await sync._watermarks.SaveAsync(
                    new Watermark(synced.Name, last.SystemModstamp, last.Id, sync._time.GetUtcNow()), transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            var deletedInBatch = batch.Count(row => row.IsDeleted);
            stored += batch.Count - deletedInBatch;
            deleted += deletedInBatch;
            batch.Clear();
            progress?.Report(new SyncProgress(synced.Name, read, sync._client.CallsMade, sync._client.LatestApiUsage));
            return (stored, deleted);
        }
    }

    /// <summary>A page of rows ready to store, and how many rows the read had met by its end (set-aside ones included).</summary>
    private sealed record ReadPage<T>(List<SyncedRow<T>> Rows, long RowsRead)
        where T : class;

    /// <summary>Reads one object's changed rows from Salesforce and maps them, a page at a time.</summary>
    private sealed class PageReader<T>(SalesforceSync sync, SyncedObject<T> synced, Watermark? watermark, DateTimeOffset historyStart)
        where T : class
    {
        private const int MaxIssuesKept = 20;

        public long RowsRead { get; private set; }

        public long RowsRejected { get; private set; }

        public List<string> Issues { get; } = [];

        public async Task ReadAsync(ChannelWriter<ReadPage<T>> pages, CancellationToken cancellationToken)
        {
            try
            {
                await ReadPagesAsync(pages, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // The writer stores what was handed over whatever happened; the error surfaces from this task.
                pages.Complete();
            }
        }

        private async Task ReadPagesAsync(ChannelWriter<ReadPage<T>> pages, CancellationToken cancellationToken)
        {
            var query = synced.Query(watermark?.LastSystemModstamp - sync._options.Overlap, historyStart);
            // Without an overlap, the rows up to the watermark were committed by the last pull; the query still
            // returns those of the watermark's second (SOQL datetime literals carry whole seconds): skip them.
            var resumeAfter = sync._options.Overlap == TimeSpan.Zero ? watermark : null;
            var page = new List<SyncedRow<T>>(sync._pageSize);
            await foreach (var record in sync._client.QueryAllAsync<JsonElement>(query, cancellationToken).ConfigureAwait(false))
            {
                var row = new SalesforceRow(synced.Name, record);
                if (resumeAfter is not null && AlreadyCommitted(row, resumeAfter))
                    continue;
                RowsRead++;
                try
                {
                    page.Add(new SyncedRow<T>(row.Id, synced.Map(row), row.RequiredDateTime("SystemModstamp"), row.Bool("IsDeleted")));
                }
                catch (SalesforceRowException e)
                {
                    RowsRejected++;
                    if (Issues.Count < MaxIssuesKept)
                        Issues.Add(e.Message);
                    continue;
                }
                if (page.Count == sync._pageSize)
                {
                    await pages.WriteAsync(new ReadPage<T>(page, RowsRead), cancellationToken).ConfigureAwait(false);
                    page = new List<SyncedRow<T>>(sync._pageSize);
                    EnsureBudgetForNextPage();
                }
            }
            if (page.Count > 0)
                await pages.WriteAsync(new ReadPage<T>(page, RowsRead), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Stops between pages, before the org's allowance runs past its share.</summary>
        private void EnsureBudgetForNextPage()
        {
            if (sync._client.LatestApiUsage is not { } usage)
                return;
            var check = ApiBudgetCheck.For(new OrgLimit("DailyApiRequests", usage.Max, usage.Max - usage.Used), 1, sync._budgetShare);
            if (!check.Fits)
                throw new SalesforceApiBudgetException(check);
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

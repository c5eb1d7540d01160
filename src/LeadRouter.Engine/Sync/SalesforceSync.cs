using System.Text.Json;
using System.Threading.Channels;
using LeadRouter.Cycle;
using LeadRouter.Salesforce;
using LeadRouter.Storage;
using LeadRouter.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadRouter.Sync;

/// <summary>
/// Copies the Salesforce records LeadRouter scores into the store, incrementally. Per object it reads
/// (with queryAll, so deletions arrive as rows with IsDeleted) every row changed since the object's
/// watermark, in (SystemModstamp, Id) order, and commits its rows in transactions of
/// <see cref="SyncOptions.RowsPerCommit"/> rows together with the new watermark: a crash or a Salesforce
/// error mid-pull loses at most one uncommitted batch, and the next run resumes where the last commit
/// left off. The calls made are the minimum: one per page of up to 2,000 rows per object, plus, for
/// EventRelation after its first pull, one read of the invitations of events changed since the last
/// (a change to an event does not stamp its invitations).
/// Large reads go through Bulk API 2.0 query jobs instead (<see cref="SyncOptions.UseBulkApi"/>): a read whose
/// first REST page reports more than <see cref="SyncOptions.BulkThreshold"/> rows (the first pull of a large
/// object, a large delta) drops that page and reads through a job. A job's rows come in no order, so its batches are committed without moving the watermark, and the
/// watermark (the highest SystemModstamp and Id read) is committed only with the last batch, once every row is
/// stored: a crash mid-job repeats the whole read, never skips a row.
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

    /// <summary>Whether a read of this many rows goes through a Bulk job rather than REST pages.</summary>
    private bool ReadsInBulk(int totalRows) => _options.UseBulkApi && totalRows > _options.BulkThreshold;

    /// <summary>The state of one pull: its window, progress sink and cancellation.</summary>
    private sealed class Run(SalesforceSync sync, DateTimeOffset historyStart, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        public async Task<ObjectSyncReport> PullAsync<T>(SyncedObject<T> synced)
            where T : class
        {
            var watermark = await sync._watermarks.GetAsync(synced.Name, cancellationToken).ConfigureAwait(false);
            var from = watermark?.LastSystemModstamp - sync._options.Overlap;
            var read = new ReadPlan(synced.Query(from, historyStart), synced.Query(from, historyStart, ordered: false));
            var callsBefore = sync._client.CallsMade;
            var tally = new Tally();

            // Without an overlap, the rows up to the watermark were committed by the last pull; the query still
            // returns those of the watermark's second (SOQL datetime literals carry whole seconds): skip them.
            var resumeAfter = sync._options.Overlap == TimeSpan.Zero ? watermark : null;
            await ReadAndStoreAsync(synced, read, resumeAfter, advanceWatermark: true, tally).ConfigureAwait(false);
            if (synced.Parent is { } parent)
                await ReadParentChangesAsync(synced, parent, firstPull: watermark is null, tally).ConfigureAwait(false);
            CrashDrill.At(CrashDrill.SyncObjectDone);
            if (tally.Rejected > 0)
                sync._logger.LogWarning("{Object}: {Rejected} rows set aside, e.g. {Issue}", synced.Name, tally.Rejected, tally.Issues[0]);

            return new ObjectSyncReport(synced.Name, watermark is null, tally.Read, tally.Stored, tally.Deleted, tally.Rejected,
                sync._client.CallsMade - callsBefore, tally.Issues, tally.InBulk);
        }

        /// <summary>
        /// Reads the rows whose parent changed since the last such read (the invitations of an event moved into
        /// the window), then records how far the parent's changes are covered: the parent's watermark, which this
        /// run's pull of the parent has already advanced. A first pull read every relevant row already. The rows
        /// are upserted without moving the object's own watermark; a crash before the end repeats this read.
        /// </summary>
        private async Task ReadParentChangesAsync<T>(SyncedObject<T> synced, string parent, bool firstPull, Tally tally)
            where T : class
        {
            var coveredName = synced.Name + "_" + parent;
            var parentWatermark = await sync._watermarks.GetAsync(parent, cancellationToken).ConfigureAwait(false);
            if (!firstPull)
            {
                var covered = await sync._watermarks.GetAsync(coveredName, cancellationToken).ConfigureAwait(false);
                var from = covered?.LastSystemModstamp - sync._options.Overlap;
                var read = new ReadPlan(synced.ParentChangesQuery(from, historyStart), synced.ParentChangesQuery(from, historyStart, ordered: false));
                await ReadAndStoreAsync(synced, read, resumeAfter: null, advanceWatermark: false, tally).ConfigureAwait(false);
            }
            if (parentWatermark is not null)
            {
                await sync._watermarks.SaveAsync(parentWatermark with { ObjectName = coveredName, UpdatedAt = sync._time.GetUtcNow() },
                    cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Reads the query's rows on one task and stores them on this one, so the next Salesforce page is
        /// fetched and parsed while the current rows are written. A read that fails or runs out of API budget
        /// still has every row it handed over committed before the failure is thrown; the watermark moves with
        /// each batch of a REST read (its rows come in watermark order), and only at the end of a Bulk read.
        /// </summary>
        private async Task ReadAndStoreAsync<T>(SyncedObject<T> synced, ReadPlan read, Watermark? resumeAfter, bool advanceWatermark, Tally tally)
            where T : class
        {
            // Two pages in flight at most: the reader stays one page ahead of the writer.
            var pages = Channel.CreateBounded<List<SyncedRow<T>>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
            var reader = new PageReader<T>(sync, synced, read, resumeAfter, tally);
            using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var reading = Task.Run(() => reader.ReadAsync(pages.Writer, stopReading.Token), stopReading.Token);

            var batch = new List<SyncedRow<T>>(Math.Min(sync._options.RowsPerCommit, 100_000));
            try
            {
                await foreach (var page in pages.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    batch.AddRange(page);
                    if (batch.Count >= sync._options.RowsPerCommit)
                        await CommitAsync(synced, batch, advanceWatermark && !reader.InBulk ? LastOf(synced, batch) : null, tally).ConfigureAwait(false);
                }
                await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                tally.InBulk |= reader.InBulk;
                var watermark = !advanceWatermark ? null
                    : reader.InBulk ? (reading.IsCompletedSuccessfully && reader.Highest is { } highest ? sync.WatermarkOf(synced, highest) : null)
                    : batch.Count > 0 ? LastOf(synced, batch) : null;
                if (batch.Count > 0 || watermark is not null)
                    await CommitAsync(synced, batch, watermark, tally).ConfigureAwait(false);
            }
            catch
            {
                // The store failed: stop the read too; the store's error is the one to report.
                await stopReading.CancelAsync().ConfigureAwait(false);
                await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }
            await reading.ConfigureAwait(false); // Throws what stopped the read, now that what it read is committed.
        }

        private Watermark LastOf<T>(SyncedObject<T> synced, List<SyncedRow<T>> batch)
            where T : class =>
            sync.WatermarkOf(synced, (batch[^1].SystemModstamp, batch[^1].Id));

        private async Task CommitAsync<T>(SyncedObject<T> synced, List<SyncedRow<T>> batch, Watermark? watermark, Tally tally)
            where T : class
        {
            await using (var transaction = await sync._database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                if (batch.Count > 0)
                    await sync._records.UpsertAsync(batch, transaction, cancellationToken).ConfigureAwait(false);
                if (watermark is not null)
                    await sync._watermarks.SaveAsync(watermark, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            var deletedInBatch = batch.Count(row => row.IsDeleted);
            tally.Stored += batch.Count - deletedInBatch;
            tally.Deleted += deletedInBatch;
            batch.Clear();
            CrashDrill.At(CrashDrill.SyncPageStored);
            progress?.Report(new SyncProgress(synced.Name, Interlocked.Read(ref tally.Read), sync._client.CallsMade, sync._client.LatestApiUsage));
        }
    }

    private Watermark WatermarkOf<T>(SyncedObject<T> synced, (DateTimeOffset Stamp, string Id) row)
        where T : class =>
        new(synced.Name, row.Stamp, row.Id, _time.GetUtcNow());

    /// <summary>One read of an object: its REST query (in watermark order) and the same rows unordered for a Bulk job.</summary>
    private sealed record ReadPlan(SoqlQuery Rest, SoqlQuery Bulk);

    /// <summary>What one object's pull has done so far, across its reads (the read counters are written by the reader task).</summary>
    private sealed class Tally
    {
        public const int MaxIssuesKept = 20;
        public long Read;
        public long Stored;
        public long Deleted;
        public long Rejected;
        public readonly List<string> Issues = [];

        /// <summary>Whether a read of the pull went through a Bulk job.</summary>
        public bool InBulk;
    }

    /// <summary>Reads one query's rows from Salesforce (through REST or a Bulk job) and maps them, a page at a time.</summary>
    private sealed class PageReader<T>(SalesforceSync sync, SyncedObject<T> synced, ReadPlan read, Watermark? resumeAfter, Tally tally)
        where T : class
    {
        private List<SyncedRow<T>> _page = new(sync._pageSize);
        private volatile bool _inBulk;

        /// <summary>Whether the rows come from a Bulk job; decided before the first row is handed over.</summary>
        public bool InBulk => _inBulk;

        /// <summary>The highest (SystemModstamp, Id) handed over: a Bulk read's watermark once all its rows are stored.</summary>
        public (DateTimeOffset Stamp, string Id)? Highest { get; private set; }

        public async Task ReadAsync(ChannelWriter<List<SyncedRow<T>>> pages, CancellationToken cancellationToken)
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

        private async Task ReadPagesAsync(ChannelWriter<List<SyncedRow<T>>> pages, CancellationToken cancellationToken)
        {
            // The first page's totalSize decides: a large read drops that page and goes through a Bulk job.
            var rest = sync._client.QueryAllAsync<JsonElement>(read.Rest, total => !(_inBulk = sync.ReadsInBulk(total)), cancellationToken);
            await foreach (var record in rest.ConfigureAwait(false))
                await AddAsync(new SalesforceRow(synced.Name, record), pages, cancellationToken).ConfigureAwait(false);
            if (_inBulk)
            {
                await foreach (var row in sync._client.BulkQueryAsync(read.Bulk, includeDeleted: true, cancellationToken: cancellationToken).ConfigureAwait(false))
                    await AddAsync(new SalesforceRow(synced.Name, row), pages, cancellationToken).ConfigureAwait(false);
            }
            if (_page.Count > 0)
                await pages.WriteAsync(_page, cancellationToken).ConfigureAwait(false);
        }

        private async ValueTask AddAsync(SalesforceRow row, ChannelWriter<List<SyncedRow<T>>> pages, CancellationToken cancellationToken)
        {
            if (resumeAfter is not null && AlreadyCommitted(row, resumeAfter))
                return;
            Interlocked.Increment(ref tally.Read);
            SyncedRow<T> mapped;
            try
            {
                mapped = new SyncedRow<T>(row.Id, synced.Map(row), row.RequiredDateTime("SystemModstamp"), row.Bool("IsDeleted"));
            }
            catch (SalesforceRowException e)
            {
                tally.Rejected++;
                if (tally.Issues.Count < Tally.MaxIssuesKept)
                    tally.Issues.Add(e.Message);
                return;
            }
            if (Highest is not { } highest || mapped.SystemModstamp > highest.Stamp
                || (mapped.SystemModstamp == highest.Stamp && string.CompareOrdinal(mapped.Id, highest.Id) > 0))
                Highest = (mapped.SystemModstamp, mapped.Id);
            _page.Add(mapped);
            if (_page.Count == sync._pageSize)
            {
                await pages.WriteAsync(_page, cancellationToken).ConfigureAwait(false);
                _page = new List<SyncedRow<T>>(sync._pageSize);
                EnsureBudgetForNextPage();
            }
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
/// <param name="ReadInBulk">Whether the rows came through a Bulk API 2.0 query job rather than REST pages.</param>
public sealed record ObjectSyncReport(
    string ObjectName,
    bool FirstPull,
    long RowsRead,
    long RowsStored,
    long RowsDeleted,
    long RowsRejected,
    long Calls,
    IReadOnlyList<string> Issues,
    bool ReadInBulk = false);

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

using System.Collections.Concurrent;
using LeadRouter.Org;
using LeadRouter.SalesforceEmulator.Soql;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>Bulk API 2.0 job states, as Salesforce names them.</summary>
internal static class BulkJobState
{
    public const string UploadComplete = "UploadComplete";
    public const string InProgress = "InProgress";
    public const string JobComplete = "JobComplete";
    public const string Failed = "Failed";
    public const string Aborted = "Aborted";
}

/// <summary>
/// The org's Bulk API 2.0 query jobs. The query runs when the job is created (so bad SOQL is refused with 400
/// then, as Salesforce does), but the job only reports what a real one does: UploadComplete when created,
/// InProgress on its first look, and JobComplete (or Failed, when the emulator's bulk-job fault says so) from
/// the second look on. Deleted jobs are forgotten.
/// </summary>
internal sealed class BulkQueryJobs(TimeProvider clock)
{
    /// <summary>Salesforce's limit on query jobs per rolling 24 hours (DailyBulkV2QueryJobs).</summary>
    public const int DailyJobLimit = 10_000;

    private readonly ConcurrentDictionary<string, BulkQueryJob> _jobs = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>Jobs created since the emulator started (reported against <see cref="DailyJobLimit"/>).</summary>
    public long Created => Interlocked.Read(ref _sequence);

    public BulkQueryJob Create(BulkJobRequest request, BulkQueryResult result, string createdById, bool fails)
    {
        var id = SalesforceId.Create("750", Interlocked.Increment(ref _sequence));
        var job = new BulkQueryJob(id, request, result, createdById, clock.GetUtcNow(), fails);
        _jobs[id] = job;
        return job;
    }

    public BulkQueryJob? Find(string id) =>
        SalesforceId.TryNormalize(id, out var normalized) && _jobs.TryGetValue(normalized, out var job) ? job : null;

    public IReadOnlyList<BulkQueryJob> All() => [.. _jobs.Values.OrderBy(j => j.Id, StringComparer.Ordinal)];

    public void Delete(BulkQueryJob job) => _jobs.TryRemove(job.Id, out _);

    public DateTimeOffset Now => clock.GetUtcNow();
}

/// <summary>What a create-job request asked for, checked.</summary>
internal sealed record BulkJobRequest(string Operation, string Query, string ApiVersion, string ColumnDelimiter, string LineEnding)
{
    public bool IncludeDeleted => Operation == "queryAll";

    /// <summary>The delimiters Bulk API 2.0 offers, by name.</summary>
    public static readonly IReadOnlyDictionary<string, char> Delimiters = new Dictionary<string, char>(StringComparer.Ordinal)
    {
        ["COMMA"] = ',', ["TAB"] = '\t', ["PIPE"] = '|', ["SEMICOLON"] = ';', ["CARET"] = '^', ["BACKQUOTE"] = '`',
    };

    public char Delimiter => Delimiters[ColumnDelimiter];

    public string NewLine => LineEnding == "CRLF" ? "\r\n" : "\n";
}

internal sealed class BulkQueryJob(string id, BulkJobRequest request, BulkQueryResult result, string createdById, DateTimeOffset createdAt, bool fails)
{
    private readonly Lock _gate = new();
    private string _state = BulkJobState.UploadComplete;
    private DateTimeOffset _modifiedAt = createdAt;

    public string Id { get; } = id;
    public BulkJobRequest Request { get; } = request;
    public BulkQueryResult Result { get; } = result;
    public string CreatedById { get; } = createdById;
    public DateTimeOffset CreatedAt { get; } = createdAt;

    public string State
    {
        get
        {
            lock (_gate)
                return _state;
        }
    }

    public DateTimeOffset ModifiedAt
    {
        get
        {
            lock (_gate)
                return _modifiedAt;
        }
    }

    public bool IsTerminal => State is BulkJobState.JobComplete or BulkJobState.Failed or BulkJobState.Aborted;

    /// <summary>The message a Failed job reports.</summary>
    public string? ErrorMessage => State == BulkJobState.Failed
        ? "The query job failed (injected by the emulator's bulk-job-failure fault); create a new job to retry."
        : null;

    /// <summary>A client looked at the job: it moves one step towards its end (see <see cref="BulkQueryJobs"/>).</summary>
    public void Observe(DateTimeOffset now)
    {
        lock (_gate)
        {
            var next = _state switch
            {
                BulkJobState.UploadComplete => BulkJobState.InProgress,
                BulkJobState.InProgress => fails ? BulkJobState.Failed : BulkJobState.JobComplete,
                _ => _state,
            };
            if (next != _state)
            {
                _state = next;
                _modifiedAt = now;
            }
        }
    }

    /// <summary>Aborts a job still queued or running; false when it has already ended.</summary>
    public bool TryAbort(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_state is not (BulkJobState.UploadComplete or BulkJobState.InProgress))
                return false;
            _state = BulkJobState.Aborted;
            _modifiedAt = now;
            return true;
        }
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using nietras.SeparatedValues;

namespace LeadRouter.Salesforce;

/// <summary>
/// Bulk API 2.0 query jobs: for reads of many thousand rows, a few calls instead of one per 2,000 rows.
/// </summary>
public sealed partial class SalesforceClient
{
    /// <summary>Rows asked for per result set (maxRecords): one call and about 10 MB of CSV each.</summary>
    public const int DefaultBulkPageSize = 50_000;

    /// <summary>The first wait between looks at a job's state; each further wait doubles, up to RetryMaxDelay.</summary>
    private static readonly TimeSpan FirstBulkPollDelay = TimeSpan.FromMilliseconds(100);

    // Bulk reads are always asked for with these (they are also Salesforce's defaults).
    private static readonly SepReaderOptions CsvReader = Sep.New(',').Reader(o => o with
    {
        Unescape = true,
        // Statuses, picklist values and dates repeat on every row: keep one string per distinct value. Ids (18
        // characters) are left out: most are unique, and pooling them would only cost the hashing.
        CreateToString = SepToString.PoolPerCol(maximumStringLength: 16),
    });

    private readonly RetryPolicy _bulkPoll;

    private static RetryPolicy BulkPollPolicy(SalesforceOptions options, TimeProvider time, Func<TimeSpan, CancellationToken, Task>? wait) =>
        new(int.MaxValue, FirstBulkPollDelay, options.RetryMaxDelay, wait ?? ((delay, ct) => Task.Delay(delay, time, ct)));

    /// <summary>
    /// Runs a query as a Bulk API 2.0 query job and streams its rows: creates the job, looks at its state with
    /// a growing wait until it is JobComplete, reads the CSV result sets by locator, <paramref name="maxRecords"/>
    /// rows a call, and deletes the job. One result set is held at a time. A job that ends Failed or Aborted,
    /// or outlasts BulkJobTimeout, throws <see cref="SalesforceBulkJobException"/>. Salesforce does not promise
    /// any order of the rows. A null field reads as null.
    /// </summary>
    public async IAsyncEnumerable<BulkRow> BulkQueryAsync(
        SoqlQuery query, bool includeDeleted, int maxRecords = DefaultBulkPageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (query.IsCount)
            throw new ArgumentException("Bulk API 2.0 does not run COUNT() queries; use CountAsync.", nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);

        var jobId = await CreateBulkJobAsync(query, includeDeleted, cancellationToken).ConfigureAwait(false);
        var ended = false;
        try
        {
            try
            {
                await WaitForBulkJobAsync(jobId, query.ObjectName, cancellationToken).ConfigureAwait(false);
            }
            catch (SalesforceBulkJobException e) when (e.State is "Failed" or "Aborted")
            {
                ended = true; // Nothing to abort; the job is still deleted.
                throw;
            }
            ended = true;
            string? locator = null;
            BulkColumns? columns = null;
            do
            {
                var path = $"{BulkJobPath(jobId)}/results?maxRecords={maxRecords.ToString(CultureInfo.InvariantCulture)}"
                    + (locator is null ? "" : "&locator=" + Uri.EscapeDataString(locator));
                var reply = await SendForReplyAsync(new RestCall(HttpMethod.Get, path, Accept: "text/csv"), cancellationToken).ConfigureAwait(false);
                locator = NextLocator(reply);
                using var reader = CsvReader.From(reply.Body);
                columns ??= BulkColumns.From(reader.Header.ColNames);
                while (reader.MoveNext())
                    yield return ReadRow(reader, columns);
            }
            while (locator is not null);
        }
        finally
        {
            if (!cancellationToken.IsCancellationRequested)
                await EndBulkJobAsync(jobId, abort: !ended).ConfigureAwait(false);
        }
    }

    private async Task<string> CreateBulkJobAsync(SoqlQuery query, bool includeDeleted, CancellationToken cancellationToken)
    {
        var request = new Dictionary<string, string>
        {
            ["operation"] = includeDeleted ? "queryAll" : "query",
            ["query"] = query.Text,
            ["contentType"] = "CSV",
            ["columnDelimiter"] = "COMMA",
            ["lineEnding"] = "LF",
        };
        var body = await SendAsync(new RestCall(HttpMethod.Post, $"{DataPath}/jobs/query", Json(request)), cancellationToken).ConfigureAwait(false);
        return ReadBulkJob(body).Id;
    }

    /// <summary>Looks at the job until it ends, waiting longer each time; returns when it is JobComplete.</summary>
    private async Task WaitForBulkJobAsync(string jobId, string objectName, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        for (var look = 1; ; look++)
        {
            var job = ReadBulkJob(await SendAsync(new RestCall(HttpMethod.Get, BulkJobPath(jobId)), cancellationToken).ConfigureAwait(false));
            switch (job.State)
            {
                case "JobComplete":
                    _logger.LogDebug("Bulk query job {Job} on {Object}: {Rows} rows after {Looks} looks.", jobId, objectName, job.RecordsProcessed, look);
                    return;
                case "Failed" or "Aborted":
                    throw new SalesforceBulkJobException(jobId, objectName, job.State, job.ErrorMessage);
            }
            var delay = _bulkPoll.DelayFor(look, null);
            if (waited + delay > _options.BulkJobTimeout)
                throw new SalesforceBulkJobException(jobId, objectName, job.State, $"still not complete after {_options.BulkJobTimeout}; aborted");
            waited += delay;
            await _bulkPoll.WaitAsync(look, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the job (aborting it first when it had not ended). Best effort: a job left behind is deleted by Salesforce after 7 days.</summary>
    private async Task EndBulkJobAsync(string jobId, bool abort)
    {
        try
        {
            if (abort)
                await SendAsync(new RestCall(HttpMethod.Patch, BulkJobPath(jobId), Json(new { state = "Aborted" })), CancellationToken.None).ConfigureAwait(false);
            await SendAsync(new RestCall(HttpMethod.Delete, BulkJobPath(jobId)), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SalesforceApiException or HttpRequestException or IOException)
        {
            _logger.LogWarning("Bulk query job {Job} could not be {Action}: {Error}", jobId, abort ? "aborted and deleted" : "deleted", e.Message);
        }
    }

    /// <summary>The next result set's locator; Salesforce sends the string "null" after the last.</summary>
    private static string? NextLocator(Reply reply)
    {
        var locator = reply.Headers.TryGetValues("Sforce-Locator", out var values) ? values.FirstOrDefault() : null;
        return string.IsNullOrEmpty(locator) || locator == "null" ? null : locator;
    }

    private static BulkRow ReadRow(SepReader reader, BulkColumns columns)
    {
        var row = reader.Current;
        var values = new string?[columns.Count];
        for (var i = 0; i < values.Length && i < row.ColCount; i++)
        {
            var column = row[i];
            values[i] = column.Span.IsEmpty ? null : column.ToString();
        }
        return new BulkRow(columns, values);
    }

    private string BulkJobPath(string jobId) => $"{DataPath}/jobs/query/{Uri.EscapeDataString(jobId)}";

    private static BulkJob ReadBulkJob(byte[] body)
    {
        using var document = Parse(body, "Bulk query job");
        var root = document.RootElement;
        string? Text(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var id = Text("id") ?? throw new JsonException("Salesforce's Bulk query job has no id.");
        var state = Text("state") ?? throw new JsonException($"Salesforce's Bulk query job {id} has no state.");
        var processed = root.TryGetProperty("numberRecordsProcessed", out var n) && n.TryGetInt64(out var count) ? count : 0;
        return new BulkJob(id, state, Text("errorMessage"), processed);
    }

    private sealed record BulkJob(string Id, string State, string? ErrorMessage, long RecordsProcessed);
}

/// <summary>The columns of a Bulk result, by field name (any case; relationship fields dotted, e.g. Owner.Name).</summary>
public sealed class BulkColumns
{
    private readonly Dictionary<string, int> _ordinals;

    private BulkColumns(IReadOnlyList<string> names)
    {
        Names = names;
        _ordinals = new Dictionary<string, int>(names.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
            _ordinals.TryAdd(names[i], i);
    }

    public IReadOnlyList<string> Names { get; }
    public int Count => Names.Count;

    public static BulkColumns From(IReadOnlyList<string> names) => new([.. names]);

    public bool TryGetOrdinal(string field, out int ordinal) => _ordinals.TryGetValue(field, out ordinal);
}

/// <summary>One row of a Bulk result: each field's text as Salesforce wrote it, null when empty.</summary>
public readonly struct BulkRow(BulkColumns columns, string?[] values)
{
    public BulkColumns Columns => columns;

    /// <summary>The field's text; null when the field is empty or not in the result.</summary>
    public string? this[string field] => columns.TryGetOrdinal(field, out var ordinal) ? values[ordinal] : null;
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using LeadRouter.Org;
using LeadRouter.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadRouter.Salesforce;

/// <summary>
/// LeadRouter's Salesforce REST client. It signs in on first use, keeps the token until a call
/// answers 401 INVALID_SESSION_ID (then signs in again once and replays that call), retries
/// transient failures with backoff, streams query pages, and records the org's API usage from
/// every response. The HttpClient (and so the handler and base addresses) comes from outside.
/// </summary>
public sealed partial class SalesforceClient
{
    /// <summary>sObject Collections take at most 200 records a call.</summary>
    public const int MaxCollectionSize = 200;

    /// <summary>Subrequests in one /composite call.</summary>
    public const int MaxCompositeSubrequests = 25;

    /// <summary>Salesforce refuses request URLs much longer than this; a longer query must be split.</summary>
    public const int MaxQueryUrlLength = 16_000;

    private readonly HttpClient _http;
    private readonly SalesforceOptions _options;
    private readonly SalesforceAuthenticator _authenticator;
    private readonly RetryPolicy _retry;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _signIn = new(1, 1);
    private SalesforceToken? _token;
    private ApiUsage? _apiUsage;

    public SalesforceClient(HttpClient http, SalesforceOptions options, TimeProvider? time = null, ILogger<SalesforceClient>? logger = null)
        : this(http, options, time ?? TimeProvider.System, logger, wait: null)
    {
    }

    /// <param name="wait">Replaces the backoff wait (tests pass one that returns at once and records the delay).</param>
    private long _callsMade;

    internal SalesforceClient(HttpClient http, SalesforceOptions options, TimeProvider time, ILogger? logger, Func<TimeSpan, CancellationToken, Task>? wait)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _retry = SalesforceAuthenticator.RetryPolicyFor(options, time, wait);
        _bulkPoll = BulkPollPolicy(options, time, wait);
        _authenticator = new SalesforceAuthenticator(http, options, time, _logger, _retry);
    }

    /// <summary>The api-usage of the latest response (Sforce-Limit-Info), or null before the first call.</summary>
    public ApiUsage? LatestApiUsage => Volatile.Read(ref _apiUsage);

    /// <summary>REST calls this client has sent (authentication excluded), for reports of what a pull cost.</summary>
    public long CallsMade => Interlocked.Read(ref _callsMade);

    /// <summary>Signs in now rather than on the first call (to fail fast at start-up).</summary>
    public async Task SignInAsync(CancellationToken cancellationToken = default) =>
        await CurrentTokenAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Runs a query and streams its records page by page, following nextRecordsUrl.</summary>
    public IAsyncEnumerable<T> QueryAsync<T>(SoqlQuery query, CancellationToken cancellationToken = default) =>
        QueryRecordsAsync<T>(query, "query", null, cancellationToken);

    /// <summary>As <see cref="QueryAsync{T}"/>, including deleted and archived rows (closed activities older than a year).</summary>
    public IAsyncEnumerable<T> QueryAllAsync<T>(SoqlQuery query, CancellationToken cancellationToken = default) =>
        QueryRecordsAsync<T>(query, "queryAll", null, cancellationToken);

    /// <summary>
    /// As <see cref="QueryAllAsync{T}(SoqlQuery, CancellationToken)"/>, but first hands the result's totalSize to
    /// <paramref name="readOn"/>: when it answers false, no record is returned and the first page was the only call
    /// (e.g. to read a large result through Bulk API 2.0 instead).
    /// </summary>
    public IAsyncEnumerable<T> QueryAllAsync<T>(SoqlQuery query, Func<int, bool> readOn, CancellationToken cancellationToken = default) =>
        QueryRecordsAsync<T>(query, "queryAll", readOn, cancellationToken);

    /// <summary>Runs a <c>SELECT COUNT() FROM ...</c> query and returns the count.</summary>
    public async Task<int> CountAsync(SoqlQuery query, bool includeDeleted = false, CancellationToken cancellationToken = default)
    {
        if (!query.IsCount)
            throw new ArgumentException($"CountAsync needs a SELECT COUNT() query; got: {query.Text}", nameof(query));
        var body = await SendAsync(new RestCall(HttpMethod.Get, QueryPath(query, includeDeleted ? "queryAll" : "query"), IsQuery: true), cancellationToken).ConfigureAwait(false);
        return Read<QueryPage<JsonElement>>(body, "query result").TotalSize;
    }

    public async Task<T> GetRecordAsync<T>(string objectName, string id, IEnumerable<string>? fields = null, CancellationToken cancellationToken = default)
    {
        var path = $"{SObjectsPath(objectName)}/{SalesforceId.Normalize(id)}";
        var fieldList = fields?.Select(ApiNames.Field).ToList();
        if (fieldList is { Count: > 0 })
            path += "?fields=" + Uri.EscapeDataString(string.Join(",", fieldList));
        var body = await SendAsync(new RestCall(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        return Read<T>(body, $"{objectName} record");
    }

    /// <summary>Creates one record and returns its 18-character id. Not retried after a lost connection: the record may exist.</summary>
    public async Task<string> CreateRecordAsync(string objectName, IReadOnlyDictionary<string, object?> fields, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(new RestCall(HttpMethod.Post, SObjectsPath(objectName), Json(CheckedFields(fields))), cancellationToken).ConfigureAwait(false);
        var result = Read<SaveResultBody>(body, "create result");
        if (!result.Success || result.Id is null)
            throw new InvalidOperationException($"Salesforce did not report the id of the new {objectName}: {Describe(RecordErrors(result.Errors))}");
        return SalesforceId.Normalize(result.Id);
    }

    public async Task UpdateRecordAsync(string objectName, string id, IReadOnlyDictionary<string, object?> fields, CancellationToken cancellationToken = default)
    {
        var path = $"{SObjectsPath(objectName)}/{SalesforceId.Normalize(id)}";
        await SendAsync(new RestCall(HttpMethod.Patch, path, Json(CheckedFields(fields))), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Updates many records with sObject Collections (PATCH /composite/sobjects, allOrNone false),
    /// 200 a call. Conditional updates (<see cref="SObjectUpdate.UnmodifiedSince"/>) go as PATCH
    /// subrequests of /composite instead, 25 a call, each with its If-Unmodified-Since header
    /// (collections take no per-record headers). Records that failed with UNABLE_TO_LOCK_ROW are sent
    /// again with backoff; every other per-record failure is returned, not thrown. Results are keyed by
    /// 18-character id.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, RecordSaveResult>> UpdateRecordsAsync(
        string objectName, IReadOnlyCollection<SObjectUpdate> updates, CancellationToken cancellationToken = default)
    {
        ApiNames.Object(objectName);
        var checkedUpdates = CheckedUpdates(updates);
        var results = new Dictionary<string, RecordSaveResult>(checkedUpdates.Count, StringComparer.Ordinal);
        var conditional = checkedUpdates.Where(u => u.UnmodifiedSince is not null).ToList();
        foreach (var chunk in checkedUpdates.Where(u => u.UnmodifiedSince is null).Chunk(MaxCollectionSize))
            await UpdateChunkAsync(objectName, chunk, SaveCollectionAsync, results, cancellationToken).ConfigureAwait(false);
        foreach (var chunk in conditional.Chunk(MaxCompositeSubrequests))
            await UpdateChunkAsync(objectName, chunk, SaveCompositeAsync, results, cancellationToken).ConfigureAwait(false);
        return results;
    }

    public async Task<SObjectDescribe> DescribeAsync(string objectName, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(new RestCall(HttpMethod.Get, $"{SObjectsPath(objectName)}/describe"), cancellationToken).ConfigureAwait(false);
        return Read<SObjectDescribe>(body, $"{objectName} describe");
    }

    public async Task<OrgLimits> GetLimitsAsync(CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(new RestCall(HttpMethod.Get, $"{DataPath}/limits"), cancellationToken).ConfigureAwait(false);
        using var document = Parse(body, "limits");
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new JsonException("The limits response is not a JSON object.");
        var limits = new Dictionary<string, OrgLimit>(StringComparer.Ordinal);
        foreach (var limit in document.RootElement.EnumerateObject())
        {
            // Each limit is {Max, Remaining}; some also nest per-app or per-kind entries, which are not needed here.
            if (limit.Value.ValueKind == JsonValueKind.Object
                && limit.Value.TryGetProperty("Max", out var max) && max.TryGetInt64(out var maxValue)
                && limit.Value.TryGetProperty("Remaining", out var remaining) && remaining.TryGetInt64(out var remainingValue))
            {
                limits[limit.Name] = new OrgLimit(limit.Name, maxValue, remainingValue);
            }
        }
        return new OrgLimits(limits);
    }

    /// <summary>
    /// Reads the org's daily API allowance and refuses (throws <see cref="SalesforceApiBudgetException"/>)
    /// when a pull of <paramref name="estimatedCalls"/> calls would take the org past the configured share.
    /// </summary>
    public async Task<ApiBudgetCheck> EnsureApiBudgetAsync(long estimatedCalls, CancellationToken cancellationToken = default)
    {
        var limits = await GetLimitsAsync(cancellationToken).ConfigureAwait(false);
        var check = ApiBudgetCheck.For(limits.DailyApiRequests, estimatedCalls, _options.ApiBudgetShare);
        if (!check.Fits)
            throw new SalesforceApiBudgetException(check);
        _logger.LogInformation("{Budget}", check.Explain());
        return check;
    }

    private async IAsyncEnumerable<T> QueryRecordsAsync<T>(
        SoqlQuery query, string resource, Func<int, bool>? readOn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (query.IsCount)
            throw new ArgumentException("A COUNT() query returns no records; use CountAsync.", nameof(query));
        string? path = QueryPath(query, resource);
        while (path is not null)
        {
            var body = await SendAsync(new RestCall(HttpMethod.Get, path, IsQuery: true), cancellationToken).ConfigureAwait(false);
            var page = Read<QueryPage<T>>(body, "query result");
            if (readOn is not null && !readOn(page.TotalSize))
                yield break;
            readOn = null;
            foreach (var record in page.Records ?? [])
                yield return record;
            path = page.Done ? null : NextPage(page.NextRecordsUrl);
        }
    }

    private string QueryPath(SoqlQuery query, string resource)
    {
        var path = $"{DataPath}/{resource}?q={Uri.EscapeDataString(query.Text)}";
        if (path.Length > MaxQueryUrlLength)
            throw new ArgumentException(
                $"The {query.ObjectName} query is {path.Length} characters once encoded, over the {MaxQueryUrlLength} a request URL may have; split its IN lists into several queries.",
                nameof(query));
        return path;
    }

    /// <summary>The next page's path. Only a path under /services/data/ is followed, so the token never goes to another host.</summary>
    private static string NextPage(string? nextRecordsUrl)
    {
        if (nextRecordsUrl is null || !nextRecordsUrl.StartsWith("/services/data/", StringComparison.Ordinal) || nextRecordsUrl.Contains("//", StringComparison.Ordinal))
            throw new InvalidOperationException($"Salesforce said the query has more rows but gave an unusable nextRecordsUrl '{nextRecordsUrl}'.");
        return nextRecordsUrl;
    }

    private async Task UpdateChunkAsync(
        string objectName,
        SObjectUpdate[] chunk,
        Func<string, SObjectUpdate[], CancellationToken, Task<IReadOnlyList<RecordSaveResult>>> save,
        Dictionary<string, RecordSaveResult> results,
        CancellationToken cancellationToken)
    {
        var pending = chunk;
        for (var retry = 0; ; retry++)
        {
            var saved = await save(objectName, pending, cancellationToken).ConfigureAwait(false);
            var locked = new List<SObjectUpdate>();
            for (var i = 0; i < pending.Length; i++)
            {
                var result = saved[i];
                var onlyLocked = !result.Success && result.Errors.Count > 0 && result.Errors.All(e => e.StatusCode == SalesforceErrorCodes.UnableToLockRow);
                if (onlyLocked && retry < _retry.MaxRetries)
                    locked.Add(pending[i]);
                else
                    results[result.Id] = result;
            }
            if (locked.Count == 0)
                return;
            _logger.LogWarning("{Count} {Object} records were locked by another transaction; retry {Retry} of {MaxRetries}.", locked.Count, objectName, retry + 1, _retry.MaxRetries);
            await _retry.WaitAsync(retry + 1, null, cancellationToken).ConfigureAwait(false);
            pending = [.. locked];
        }
    }

    private async Task<IReadOnlyList<RecordSaveResult>> SaveCollectionAsync(string objectName, SObjectUpdate[] records, CancellationToken cancellationToken)
    {
        var request = new
        {
            allOrNone = false,
            records = records.Select(r =>
            {
                var record = new Dictionary<string, object?>(r.Fields.Count + 2)
                {
                    ["attributes"] = new { type = objectName },
                    ["id"] = r.Id,
                };
                foreach (var (field, value) in r.Fields)
                    record[field] = value;
                return record;
            }),
        };
        var body = await SendAsync(new RestCall(HttpMethod.Patch, $"{DataPath}/composite/sobjects", Json(request)), cancellationToken).ConfigureAwait(false);
        var saved = Read<List<SaveResultBody>>(body, "collection result");
        if (saved.Count != records.Length)
            throw new InvalidOperationException($"Salesforce returned {saved.Count} results for {records.Length} {objectName} records.");
        // Results come back in request order; a failed record may lack its id, so the id sent is used.
        return [.. records.Select((r, i) => new RecordSaveResult(r.Id, saved[i].Success, RecordErrors(saved[i].Errors)))];
    }

    private async Task<IReadOnlyList<RecordSaveResult>> SaveCompositeAsync(string objectName, SObjectUpdate[] records, CancellationToken cancellationToken)
    {
        var request = new
        {
            allOrNone = false,
            compositeRequest = records.Select((r, i) => new
            {
                method = "PATCH",
                url = $"{SObjectsPath(objectName)}/{r.Id}",
                referenceId = "r" + i.ToString(CultureInfo.InvariantCulture),
                body = r.Fields,
                httpHeaders = new Dictionary<string, string> { ["If-Unmodified-Since"] = r.UnmodifiedSince!.Value.UtcDateTime.ToString("r", CultureInfo.InvariantCulture) },
            }),
        };
        var body = await SendAsync(new RestCall(HttpMethod.Post, $"{DataPath}/composite", Json(request)), cancellationToken).ConfigureAwait(false);
        var answers = Read<CompositeResponseBody>(body, "composite result").CompositeResponse ?? [];
        if (answers.Count != records.Length)
            throw new InvalidOperationException($"Salesforce returned {answers.Count} results for {records.Length} {objectName} records.");
        return [.. records.Select((r, i) => answers[i].HttpStatusCode is >= 200 and < 300
            ? new RecordSaveResult(r.Id, true, [])
            : new RecordSaveResult(r.Id, false, SubrequestErrors(answers[i])))];
    }

    /// <summary>A failed subrequest's errors; a 412 is reported as <see cref="SalesforceErrorCodes.PreconditionFailed"/> whatever its body says.</summary>
    private static IReadOnlyList<RecordError> SubrequestErrors(CompositeResultBody answer)
    {
        var errors = answer.Body.ValueKind == JsonValueKind.Array
            ? answer.Body.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object)
                .Select(e => new RecordError(
                    e.TryGetProperty("errorCode", out var code) ? code.GetString() ?? "UNKNOWN" : "UNKNOWN",
                    e.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "",
                    []))
                .ToList()
            : [];
        if (answer.HttpStatusCode == (int)HttpStatusCode.PreconditionFailed)
            return [new RecordError(SalesforceErrorCodes.PreconditionFailed, errors.FirstOrDefault()?.Message ?? "the record changed after the date given", [])];
        return errors.Count > 0 ? errors : [new RecordError("UNKNOWN", $"HTTP {answer.HttpStatusCode}", [])];
    }

    private static List<SObjectUpdate> CheckedUpdates(IReadOnlyCollection<SObjectUpdate> updates)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var checkedUpdates = new List<SObjectUpdate>(updates.Count);
        foreach (var update in updates)
        {
            var id = SalesforceId.Normalize(update.Id);
            if (!seen.Add(id))
                throw new ArgumentException($"Record {id} appears twice in one update; merge its field changes first.", nameof(updates));
            checkedUpdates.Add(new SObjectUpdate(id, CheckedFields(update.Fields), update.UnmodifiedSince));
        }
        return checkedUpdates;
    }

    private static IReadOnlyDictionary<string, object?> CheckedFields(IReadOnlyDictionary<string, object?> fields)
    {
        if (fields.Count == 0)
            throw new ArgumentException("A write needs at least one field.", nameof(fields));
        foreach (var name in fields.Keys)
        {
            ApiNames.Field(name);
            if (name.Equals("Id", StringComparison.OrdinalIgnoreCase) || name.Equals("attributes", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"'{name}' cannot be written as a field; the record id is given separately.", nameof(fields));
        }
        return fields;
    }

    private static IReadOnlyList<RecordError> RecordErrors(List<SaveErrorBody>? errors) =>
        errors is null ? [] : [.. errors.Select(e => new RecordError(e.StatusCode ?? "UNKNOWN", e.Message ?? "", e.Fields ?? []))];

    private static string Describe(IReadOnlyList<RecordError> errors) =>
        errors.Count == 0 ? "no error given" : string.Join("; ", errors.Select(e => $"{e.StatusCode}: {e.Message}"));

    private string DataPath => $"/services/data/{_options.ApiVersion}";

    private string SObjectsPath(string objectName) => $"{DataPath}/sobjects/{ApiNames.Object(objectName)}";

    /// <summary>One REST call, rebuilt per attempt (a request message cannot be sent twice).</summary>
    private sealed record RestCall(HttpMethod Method, string Path, string? JsonBody = null, bool IsQuery = false, string Accept = "application/json")
    {
        // A POST that lost its connection may have created the record; only a refusal is safe to repeat.
        public bool SafeToRepeatAfterTransportFailure => Method != HttpMethod.Post;

        public override string ToString() => $"{Method} {Path.Split('?')[0]}";
    }

    private async Task<byte[]> SendAsync(RestCall call, CancellationToken cancellationToken) =>
        (await SendForReplyAsync(call, cancellationToken).ConfigureAwait(false)).Body;

    /// <summary>A successful answer: its body and the headers some resources answer with (Bulk's Sforce-Locator).</summary>
    private readonly record struct Reply(byte[] Body, HttpResponseHeaders Headers);

    private async Task<Reply> SendForReplyAsync(RestCall call, CancellationToken cancellationToken)
    {
        var signedInAgain = false;
        for (var retry = 0; ; )
        {
            var token = await CurrentTokenAsync(cancellationToken).ConfigureAwait(false);
            using var request = Request(call, token);
            HttpResponseMessage response;
            try
            {
                Interlocked.Increment(ref _callsMade);
                LeadRouterTelemetry.ApiCallSent();
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (call.SafeToRepeatAfterTransportFailure && RetryPolicy.IsTransient(e, cancellationToken) && retry < _retry.MaxRetries)
            {
                retry++;
                _logger.LogWarning("{Call} failed in transit ({Error}); retry {Retry} of {MaxRetries}.", call, e.GetType().Name, retry, _retry.MaxRetries);
                await _retry.WaitAsync(retry, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                RecordApiUsage(response);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                    return new Reply(body, response.Headers);

                var failure = Failure(call, response, body);
                if (response.StatusCode == HttpStatusCode.Unauthorized && failure.HasErrorCode(SalesforceErrorCodes.InvalidSessionId) && !signedInAgain)
                {
                    // Once per call: if the fresh session is refused too, the failure is real.
                    signedInAgain = true;
                    _logger.LogInformation("{Call}: the Salesforce session expired; signing in again.", call);
                    await RenewTokenAsync(token, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var transient = RetryPolicy.IsTransient(response.StatusCode) || failure.HasErrorCode(SalesforceErrorCodes.UnableToLockRow);
                if (transient && failure is not SalesforceRequestLimitExceededException && retry < _retry.MaxRetries)
                {
                    retry++;
                    _logger.LogWarning("{Call} answered {Status} {Codes}; retry {Retry} of {MaxRetries}.", call, (int)response.StatusCode, string.Join(",", failure.Errors.Select(e => e.ErrorCode)), retry, _retry.MaxRetries);
                    await _retry.WaitAsync(retry, response.Headers.RetryAfter?.Delta, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw failure;
            }
        }
    }

    private HttpRequestMessage Request(RestCall call, SalesforceToken token)
    {
        var request = new HttpRequestMessage(call.Method, new Uri(_options.InstanceUrl ?? token.InstanceUrl, call.Path));
        request.Headers.Authorization = new("Bearer", token.AccessToken);
        request.Headers.Accept.Add(new(call.Accept));
        if (call.IsQuery)
            request.Headers.Add("Sforce-Query-Options", $"batchSize={_options.QueryBatchSize}");
        if (call.Method != HttpMethod.Get)
        {
            // LeadRouter decides lead owners itself: the org's assignment rules must not re-route what it writes.
            request.Headers.Add("Sforce-Auto-Assign", "FALSE");
        }
        if (call.JsonBody is not null)
            request.Content = new StringContent(call.JsonBody, Encoding.UTF8, "application/json");
        return request;
    }

    private void RecordApiUsage(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues(ApiUsage.HeaderName, out var values)
            && ApiUsage.TryParse(string.Join(",", values), out var usage))
        {
            Volatile.Write(ref _apiUsage, usage);
            LeadRouterTelemetry.ApiUsageReported(usage);
        }
    }

    /// <summary>The exception a failed response stands for, with every entry of Salesforce's error array.</summary>
    private static SalesforceApiException Failure(string method, string path, HttpStatusCode status, string? mediaType, byte[] body)
    {
        List<ErrorBody>? errors = null;
        try
        {
            errors = JsonSerializer.Deserialize<List<ErrorBody>>(body, SalesforceJson.Options);
        }
        catch (JsonException)
        {
            // Not an error array (an HTML page from a proxy, an empty body): reported by status alone.
        }
        if (errors is null)
            return new SalesforceApiException(status, method, path, [], $"the body was not a Salesforce error array ({mediaType ?? "no content type"}, {body.Length} bytes)");

        var list = errors.Select(e => new SalesforceError(e.ErrorCode ?? "UNKNOWN", e.Message ?? "", e.Fields ?? [])).ToList();
        return list.Any(e => e.ErrorCode == SalesforceErrorCodes.RequestLimitExceeded)
            ? new SalesforceRequestLimitExceededException(status, method, path, list)
            : new SalesforceApiException(status, method, path, list);
    }

    private static SalesforceApiException Failure(RestCall call, HttpResponseMessage response, byte[] body) =>
        Failure(call.Method.Method, call.Path.Split('?')[0], response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);

    private async ValueTask<SalesforceToken> CurrentTokenAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _token) ?? await RenewTokenAsync(null, cancellationToken).ConfigureAwait(false);

    /// <summary>Signs in unless another caller already replaced <paramref name="stale"/> meanwhile (one sign-in for many callers).</summary>
    private async Task<SalesforceToken> RenewTokenAsync(SalesforceToken? stale, CancellationToken cancellationToken)
    {
        await _signIn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _token;
            if (current is not null && !ReferenceEquals(current, stale))
                return current;
            var fresh = await _authenticator.AuthenticateAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _token, fresh);
            return fresh;
        }
        finally
        {
            _signIn.Release();
        }
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, SalesforceJson.Options);

    private static JsonDocument Parse(byte[] body, string what)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new JsonException($"Salesforce's {what} is not valid JSON: {e.Message}", e);
        }
    }

    private static T Read<T>(byte[] body, string what)
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, SalesforceJson.Options);
        }
        catch (JsonException e)
        {
            throw new JsonException($"Salesforce's {what} could not be read as {typeof(T).Name}: {e.Message}", e);
        }
        return value ?? throw new JsonException($"Salesforce's {what} was empty.");
    }
}

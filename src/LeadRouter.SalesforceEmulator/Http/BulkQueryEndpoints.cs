using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Soql;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>
/// Bulk API 2.0 query jobs: POST /jobs/query (create), GET /jobs/query (list), GET, PATCH (abort) and DELETE
/// /jobs/query/{id}, and GET /jobs/query/{id}/results?locator=&amp;maxRecords= (CSV). Every call is an API
/// request like any other (the data filter counts it); jobs created are reported as DailyBulkV2QueryJobs.
/// Refusals use Salesforce's error array with API_ERROR (404 NOT_FOUND for an unknown job); SOQL errors keep
/// their REST codes (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE).
/// </summary>
internal static class BulkQueryEndpoints
{
    /// <summary>Rows in a result set when the client gives no maxRecords (Salesforce sends as many as fit a size limit).</summary>
    public const int DefaultMaxRecords = 100_000;

    public static void Map(RouteGroupBuilder data, EmulatorState state)
    {
        data.MapPost("/jobs/query", (HttpContext http, string version) => CreateAsync(http, state, version));
        data.MapGet("/jobs/query", () => new JsonBodyResult(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("done", true);
            w.WriteStartArray("records");
            foreach (var job in state.BulkJobs.All())
                WriteJob(w, job, created: false);
            w.WriteEndArray();
            w.WriteNull("nextRecordsUrl");
            w.WriteEndObject();
        }));
        data.MapGet("/jobs/query/{jobId}", (string jobId) => WithJob(state, jobId, job =>
        {
            job.Observe(state.BulkJobs.Now);
            return Info(job);
        }));
        data.MapMethods("/jobs/query/{jobId}", ["PATCH"], (HttpContext http, string jobId) => AbortAsync(http, state, jobId));
        data.MapDelete("/jobs/query/{jobId}", (string jobId) => WithJob(state, jobId, job =>
        {
            if (!job.IsTerminal)
                return Refuse("Error encountered when deleting the job because the job is not terminated");
            state.BulkJobs.Delete(job);
            return Results.NoContent();
        }));
        data.MapGet("/jobs/query/{jobId}/results", (HttpContext http, string version, string jobId) => WithJob(state, jobId, job => ResultSet(http, job, version)));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, EmulatorState state, string version)
    {
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Refuse("The request body is not valid JSON.");
        }
        if (body.ValueKind != JsonValueKind.Object)
            return Refuse("The request body must be a JSON object with operation and query.");

        var operation = Text(body, "operation");
        if (operation is not ("query" or "queryAll"))
            return Refuse($"operation must be query or queryAll, got '{operation ?? "(none)"}'.");
        var query = Text(body, "query");
        if (string.IsNullOrWhiteSpace(query))
            return Refuse("query is required.");
        if (Text(body, "contentType") is { } contentType && contentType != "CSV")
            return Refuse($"contentType must be CSV, got '{contentType}'.");
        var delimiter = Text(body, "columnDelimiter") ?? "COMMA";
        if (!BulkJobRequest.Delimiters.ContainsKey(delimiter))
            return Refuse($"columnDelimiter must be one of {string.Join(", ", BulkJobRequest.Delimiters.Keys)}, got '{delimiter}'.");
        var lineEnding = Text(body, "lineEnding") ?? "LF";
        if (lineEnding is not ("LF" or "CRLF"))
            return Refuse($"lineEnding must be LF or CRLF, got '{lineEnding}'.");

        var request = new BulkJobRequest(operation, query, version, delimiter, lineEnding);
        var result = SoqlEngine.ExecuteBulk(state.Store, query, request.IncludeDeleted, state.Now, state.Options.TimeZone, $"v{version}");
        var job = state.BulkJobs.Create(request, result, DataApiFilter.CurrentSession(http).UserId, state.Faults.FailBulkJob());
        return new JsonBodyResult(StatusCodes.Status200OK, w => WriteJob(w, job, created: true));
    }

    private static async Task<IResult> AbortAsync(HttpContext http, EmulatorState state, string jobId)
    {
        if (state.BulkJobs.Find(jobId) is not { } job)
            return DataApiFilter.NotFound();
        string? wanted = null;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                wanted = Text(document.RootElement, "state");
        }
        catch (JsonException)
        {
            // Reported below as a missing state.
        }
        if (wanted != BulkJobState.Aborted)
            return Refuse($"A query job can only be changed to the state Aborted, got '{wanted ?? "(none)"}'.");
        return job.TryAbort(state.BulkJobs.Now)
            ? Info(job)
            : Refuse($"The job is {job.State}: only a job in UploadComplete or InProgress can be aborted.");
    }

    private static IResult WithJob(EmulatorState state, string jobId, Func<BulkQueryJob, IResult> handle) =>
        state.BulkJobs.Find(jobId) is { } job ? handle(job) : DataApiFilter.NotFound();

    private static IResult ResultSet(HttpContext http, BulkQueryJob job, string version)
    {
        if (job.Request.ApiVersion != version)
            return JsonBodyResult.Error(StatusCodes.Status409Conflict, SoqlEngine.BulkError,
                $"The job was created with API version {job.Request.ApiVersion}; get its results with the same version.");
        if (job.State != BulkJobState.JobComplete)
            return Refuse($"The job is {job.State}: results are available once it is JobComplete.");

        var rows = job.Result.Result.Rows;
        var start = 0;
        var locator = http.Request.Query["locator"].ToString();
        if (locator.Length > 0 && (!TryReadLocator(locator, out start) || start <= 0 || start >= rows.Count))
            return Refuse($"Invalid locator '{locator}' for this job.");
        var maxRecords = DefaultMaxRecords;
        var maxText = http.Request.Query["maxRecords"].ToString();
        if (maxText.Length > 0 && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out maxRecords) || maxRecords < 1))
            return Refuse($"maxRecords must be a positive whole number, got '{maxText}'.");

        var count = Math.Min(maxRecords, rows.Count - start);
        var end = start + count;
        return new CsvPage(job, start, count, end < rows.Count ? Locator(end) : "null");
    }

    /// <summary>Locators are opaque strings (API 49.0 and later), here the row offset in unpadded base64.</summary>
    private static string Locator(int offset) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    private static bool TryReadLocator(string locator, out int offset)
    {
        offset = 0;
        var padded = locator.PadRight(locator.Length + (4 - locator.Length % 4) % 4, '=');
        var bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var length)
            && Utf8Parser.TryParse(bytes.AsSpan(0, length), out offset, out var used) && used == length;
    }

    private static JsonBodyResult Info(BulkQueryJob job) => new(StatusCodes.Status200OK, w => WriteJob(w, job, created: false));

    private static JsonBodyResult Refuse(string message) =>
        JsonBodyResult.Error(StatusCodes.Status400BadRequest, SoqlEngine.BulkError, message);

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The job info: the create response stops at columnDelimiter; a look at the job adds the processing figures.</summary>
    private static void WriteJob(Utf8JsonWriter w, BulkQueryJob job, bool created)
    {
        var state = job.State;
        w.WriteStartObject();
        w.WriteString("id", job.Id);
        w.WriteString("operation", job.Request.Operation);
        w.WriteString("object", job.Result.Result.ObjectName);
        w.WriteString("createdById", job.CreatedById);
        w.WriteString("createdDate", SalesforceJson.FormatDateTime(job.CreatedAt));
        w.WriteString("systemModstamp", SalesforceJson.FormatDateTime(job.ModifiedAt));
        w.WriteString("state", state);
        w.WriteString("concurrencyMode", "Parallel");
        w.WriteString("contentType", "CSV");
        w.WriteNumber("apiVersion", double.Parse(job.Request.ApiVersion, CultureInfo.InvariantCulture));
        if (!created)
            w.WriteString("jobType", "V2Query");
        w.WriteString("lineEnding", job.Request.LineEnding);
        w.WriteString("columnDelimiter", job.Request.ColumnDelimiter);
        if (!created)
        {
            w.WriteNumber("numberRecordsProcessed", state == BulkJobState.JobComplete ? job.Result.Result.Rows.Count : 0);
            w.WriteNumber("retries", 0);
            w.WriteNumber("totalProcessingTime", (long)(job.ModifiedAt - job.CreatedAt).TotalMilliseconds);
            w.WriteBoolean("isPkChunkingSupported", true);
            if (job.ErrorMessage is { } error)
                w.WriteString("errorMessage", error);
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// One result set as Salesforce writes it: a header of the selected field names (relationship fields dotted),
    /// every value in double quotes (inner quotes doubled), a null as nothing at all, booleans true/false, dates
    /// yyyy-MM-dd and datetimes yyyy-MM-ddTHH:mm:ss.fffZ. Streamed: only a small buffer is held.
    /// </summary>
    private sealed class CsvPage(BulkQueryJob job, int start, int count, string nextLocator) : IResult
    {
        private const int FlushAt = 64 * 1024;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/csv";
            response.Headers["Sforce-Locator"] = nextLocator;
            response.Headers["Sforce-NumberOfRecords"] = count.ToString(CultureInfo.InvariantCulture);

            var columns = job.Result.Columns;
            var delimiter = job.Request.Delimiter;
            var newLine = job.Request.NewLine;
            var rows = job.Result.Result.Rows;
            var text = new StringBuilder(FlushAt + 4096);
            await using var writer = new StreamWriter(response.Body, new UTF8Encoding(false), FlushAt);
            for (var c = 0; c < columns.Count; c++)
            {
                if (c > 0)
                    text.Append(delimiter);
                AppendQuoted(text, string.Join('.', columns[c]));
            }
            text.Append(newLine);
            for (var i = start; i < start + count; i++)
            {
                var row = rows[i];
                for (var c = 0; c < columns.Count; c++)
                {
                    if (c > 0)
                        text.Append(delimiter);
                    AppendValue(text, Navigate(row, columns[c]));
                }
                text.Append(newLine);
                if (text.Length >= FlushAt)
                {
                    await writer.WriteAsync(text, httpContext.RequestAborted);
                    text.Clear();
                }
            }
            await writer.WriteAsync(text, httpContext.RequestAborted);
        }

        /// <summary>The value at a column's path in the projected row; null when a lookup on the way is empty.</summary>
        private static object? Navigate(IReadOnlyDictionary<string, object?> row, string[] path)
        {
            object? value = row;
            foreach (var part in path)
            {
                if (value is not IReadOnlyDictionary<string, object?> level || !level.TryGetValue(part, out value))
                    return null;
            }
            return value;
        }

        private static void AppendValue(StringBuilder text, object? value)
        {
            switch (value)
            {
                case null:
                    return;
                case string s:
                    AppendQuoted(text, s);
                    return;
                case bool b:
                    text.Append(b ? "\"true\"" : "\"false\"");
                    return;
                case DateTimeOffset dateTime:
                    text.Append('"').Append(dateTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append('"');
                    return;
                case DateOnly date:
                    text.Append('"').Append(SalesforceJson.FormatDate(date)).Append('"');
                    return;
                case IFormattable number:
                    text.Append('"').Append(number.ToString(null, CultureInfo.InvariantCulture)).Append('"');
                    return;
                default:
                    throw new ArgumentException($"Cannot write a value of type {value.GetType().Name} to a Bulk result.", nameof(value));
            }
        }

        private static void AppendQuoted(StringBuilder text, string value)
        {
            text.Append('"');
            foreach (var ch in value)
            {
                if (ch == '"')
                    text.Append('"');
                text.Append(ch);
            }
            text.Append('"');
        }
    }
}

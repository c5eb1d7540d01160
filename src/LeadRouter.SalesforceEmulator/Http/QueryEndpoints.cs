using System.Globalization;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>
/// GET /query and /queryAll (includes deleted and archived rows), and the nextRecordsUrl pages:
/// /query/{locator}-{offset}. Pages hold the batch size asked for in Sforce-Query-Options
/// (200 to 2,000; default 2,000).
/// </summary>
internal static class QueryEndpoints
{
    private const int DefaultBatchSize = 2000;
    private const int MinBatchSize = 200;

    public static void Map(RouteGroupBuilder data, EmulatorState state)
    {
        data.MapGet("/query", (HttpContext http, string version) => Run(http, state, version, includeDeleted: false));
        data.MapGet("/queryAll", (HttpContext http, string version) => Run(http, state, version, includeDeleted: true));
        data.MapGet("/query/{next}", (string version, string next) => NextPage(state, version, next));
        data.MapGet("/queryAll/{next}", (string version, string next) => NextPage(state, version, next));
    }

    private static IResult Run(HttpContext http, EmulatorState state, string version, bool includeDeleted)
    {
        var soql = http.Request.Query["q"].ToString();
        if (string.IsNullOrWhiteSpace(soql))
            return JsonBodyResult.Error(StatusCodes.Status400BadRequest, "MALFORMED_QUERY", "A query string has to be specified");
        var batchSize = BatchSize(http.Request.Headers["Sforce-Query-Options"].ToString());
        var result = state.Query(soql, includeDeleted, $"v{version}");
        if (result.Rows.Count <= batchSize)
            return Page(version, result.TotalSize, result.Rows, 0, result.Rows.Count, locator: null);
        var locator = state.Cursors.Open(result.Rows, batchSize);
        return Page(version, result.TotalSize, result.Rows, 0, batchSize, locator);
    }

    private static IResult NextPage(EmulatorState state, string version, string next)
    {
        var dash = next.LastIndexOf('-');
        var cursor = dash > 0 ? state.Cursors.Find(next[..dash]) : null;
        if (cursor is null
            || !int.TryParse(next.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            || offset <= 0 || offset >= cursor.Rows.Count)
        {
            return JsonBodyResult.Error(StatusCodes.Status400BadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        var count = Math.Min(cursor.BatchSize, cursor.Rows.Count - offset);
        return Page(version, cursor.Rows.Count, cursor.Rows, offset, count, next[..dash]);
    }

    /// <summary>One page: totalSize, done, nextRecordsUrl (only while rows remain) and records.</summary>
    private static JsonBodyResult Page(
        string version, int totalSize, IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, int offset, int count, string? locator)
    {
        var end = offset + count;
        var done = end >= rows.Count;
        return new JsonBodyResult(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("totalSize", totalSize);
            w.WriteBoolean("done", done);
            if (!done)
                w.WriteString("nextRecordsUrl", $"/services/data/v{version}/query/{locator}-{end}");
            w.WriteStartArray("records");
            for (var i = offset; i < end; i++)
                SalesforceJson.WriteValue(w, rows[i]);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// The batchSize of a Sforce-Query-Options header, held to Salesforce's 200..2,000 range
    /// (Salesforce treats it as a preference, not a promise).
    /// </summary>
    internal static int BatchSize(string header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return DefaultBatchSize;
        foreach (var option in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = option.Split('=', 2, StringSplitOptions.TrimEntries);
            if (!parts[0].Equals("batchSize", StringComparison.OrdinalIgnoreCase))
                continue;
            if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                throw new SalesforceFault(StatusCodes.Status400BadRequest, "INVALID_HEADER_TYPE",
                    $"Sforce-Query-Options: batchSize must be a whole number between {MinBatchSize} and {DefaultBatchSize}, got '{option}'.");
            return Math.Clamp(size, MinBatchSize, DefaultBatchSize);
        }
        return DefaultBatchSize;
    }
}

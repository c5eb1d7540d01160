using System.Net;
using System.Text;

namespace LeadRouter.IntegrationTests.Sync;

/// <summary>
/// Sits between the Salesforce client and the emulator: counts sign-ins and 503s, and can rewrite
/// query responses to feed the sync a record Salesforce's own data would never produce.
/// </summary>
internal sealed class SyncTraffic(Func<string, string>? rewriteQueryBody = null) : DelegatingHandler(new HttpClientHandler())
{
    private int _signIns;
    private int _unavailable;
    private int _rewritten;

    public int SignIns => Volatile.Read(ref _signIns);

    public int Unavailable => Volatile.Read(ref _unavailable);

    /// <summary>Query responses the rewrite changed.</summary>
    public int Rewritten => Volatile.Read(ref _rewritten);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (path.EndsWith("/oauth2/token", StringComparison.Ordinal))
            Interlocked.Increment(ref _signIns);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            Interlocked.Increment(ref _unavailable);
        if (rewriteQueryBody is not null && response.IsSuccessStatusCode && path.Contains("/query", StringComparison.Ordinal))
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var rewritten = rewriteQueryBody(body);
            if (!ReferenceEquals(rewritten, body) && rewritten != body)
                Interlocked.Increment(ref _rewritten);
            response.Content = new StringContent(rewritten, Encoding.UTF8, "application/json");
        }
        return response;
    }

    /// <summary>
    /// Replaces the value of a date field (yyyy-MM-dd, ten characters) of one record in a query response
    /// body; the body is returned unchanged when the record is not on this page.
    /// </summary>
    public static string CorruptDate(string body, string recordId, string field, string badValue)
    {
        var record = body.IndexOf($"\"Id\":\"{recordId}\"", StringComparison.Ordinal);
        if (record < 0)
            return body;
        var marker = $"\"{field}\":\"";
        var at = body.IndexOf(marker, record, StringComparison.Ordinal);
        if (at < 0)
            return body;
        var value = at + marker.Length;
        return string.Concat(body.AsSpan(0, value), badValue, body.AsSpan(value + "yyyy-MM-dd".Length));
    }
}

using System.Net;
using System.Text;
using LeadRouter.Salesforce;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadRouter.Tests.Salesforce;

/// <summary>A request as the handler saw it, with its body read out.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string PathAndQuery => Uri.PathAndQuery;

    /// <summary>The decoded fields of a form-urlencoded body (the OAuth token calls).</summary>
    public IReadOnlyDictionary<string, string> Form() =>
        (Body ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
}

/// <summary>
/// An HttpMessageHandler that answers from a script, one step per request, in order, and records
/// every request. A request beyond the script fails the test.
/// </summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Queue<Func<RecordedRequest, HttpResponseMessage>> _script = new();

    public List<RecordedRequest> Requests { get; } = [];

    public int Unused => _script.Count;

    public IEnumerable<RecordedRequest> TokenRequests => Requests.Where(r => r.Uri.AbsolutePath == "/services/oauth2/token");

    public IEnumerable<RecordedRequest> ApiRequests => Requests.Where(r => r.Uri.AbsolutePath != "/services/oauth2/token");

    public ScriptedHandler Reply(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        _script.Enqueue(_ =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers)
                response.Headers.TryAddWithoutValidation(name, value);
            return response;
        });
        return this;
    }

    public ScriptedHandler NoContent()
    {
        _script.Enqueue(_ => new HttpResponseMessage(HttpStatusCode.NoContent));
        return this;
    }

    public ScriptedHandler Token(string accessToken = Fakes.AccessToken, string instanceUrl = Fakes.InstanceUrl) =>
        Reply(HttpStatusCode.OK, Fakes.TokenJson(accessToken, instanceUrl));

    public ScriptedHandler Throw(Exception exception)
    {
        _script.Enqueue(_ => throw exception);
        return this;
    }

    public ScriptedHandler Respond(Func<RecordedRequest, HttpResponseMessage> step)
    {
        _script.Enqueue(step);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body);
        Requests.Add(recorded);
        if (!_script.TryDequeue(out var step))
            throw new AssertionException($"Unexpected request {request.Method} {request.RequestUri}: the script is used up.");
        return step(recorded);
    }
}

/// <summary>Options, tokens and client wiring shared by the Salesforce tests.</summary>
internal static class Fakes
{
    public const string AccessToken = "00Dtest!access-token-1";
    public const string InstanceUrl = "https://na1.example.test";
    public const string Password = "Pa55word-very-secret";
    public const string SecurityToken = "SECTOKEN123";
    public const string ClientSecret = "client-secret-9f8e7d";
    public const string RefreshToken = "5Aep-refresh-token-secret";

    public static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);

    public static SalesforceOptions PasswordOptions(int maxRetries = 3) => new()
    {
        LoginUrl = new Uri("https://login.example.test"),
        AuthFlow = SalesforceAuthFlow.UsernamePassword,
        ClientId = "3MVG9-client-id",
        ClientSecret = ClientSecret,
        Username = "ops@example.com",
        Password = Password,
        SecurityToken = SecurityToken,
        QueryBatchSize = 500,
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(100),
        RetryMaxDelay = TimeSpan.FromSeconds(2),
    };

    public static string TokenJson(string accessToken = AccessToken, string instanceUrl = InstanceUrl) =>
        $$"""{"id":"https://login.example.test/id/00Dx0000000BV7z/005x00000012Q9P","issued_at":"1278448832702","instance_url":"{{instanceUrl}}","signature":"c2ln","access_token":"{{accessToken}}"}""";

    /// <summary>A client over the handler whose backoff waits return at once and are recorded in <paramref name="delays"/>.</summary>
    public static SalesforceClient Client(ScriptedHandler handler, SalesforceOptions options, List<TimeSpan> delays, ILogger? logger = null) =>
        new(new HttpClient(handler), options, new FixedTimeProvider(Now), logger ?? NullLogger.Instance, (delay, _) =>
        {
            delays.Add(delay);
            return Task.CompletedTask;
        });

    public static SalesforceClient Client(ScriptedHandler handler, SalesforceOptions? options = null) =>
        Client(handler, options ?? PasswordOptions(), []);

    public static string Errors(string errorCode, string message = "failure") =>
        $$"""[{"message":"{{message}}","errorCode":"{{errorCode}}"}]""";

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
            list.Add(item);
        return list;
    }
}

internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Keeps every formatted log line, to check what the client writes to logs.</summary>
internal sealed class CapturingLogger : ILogger
{
    public List<string> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Add($"{logLevel}: {formatter(state, exception)} {exception}");
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.IntegrationTests.Emulator;

/// <summary>An in-process emulator and an HttpClient logged in to it over real loopback HTTP.</summary>
internal sealed class EmulatorClient : IAsyncDisposable
{
    public const string Version = "v62.0";

    private EmulatorClient(EmulatorHost host, HttpClient http)
    {
        Host = host;
        Http = http;
    }

    public EmulatorHost Host { get; }
    public HttpClient Http { get; }

    public static async Task<EmulatorClient> StartAsync(OrgStore store, EmulatorOptions? options = null, bool login = true)
    {
        var host = await EmulatorHost.StartAsync(options ?? new EmulatorOptions(), store);
        var client = new EmulatorClient(host, new HttpClient { BaseAddress = host.BaseAddress });
        if (login)
        {
            var token = await client.TokenAsync(PasswordGrant(options ?? new EmulatorOptions()));
            Assert.That(token.StatusCode, Is.EqualTo(200), token.Body.ToString());
            client.Http.DefaultRequestHeaders.Authorization =
                new AuthenticationHeaderValue("Bearer", token.Body.GetProperty("access_token").GetString());
        }
        return client;
    }

    public static Dictionary<string, string> PasswordGrant(EmulatorOptions options) => new()
    {
        ["grant_type"] = "password",
        ["client_id"] = options.ClientId,
        ["client_secret"] = options.ClientSecret,
        ["username"] = options.Username,
        ["password"] = options.Password,
    };

    /// <summary>POSTs a form to /services/oauth2/token.</summary>
    public async Task<Reply> TokenAsync(Dictionary<string, string> form)
    {
        using var response = await Http.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(form));
        return await Reply.ReadAsync(response);
    }

    public async Task<Reply> GetAsync(string path, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(path));
        configure?.Invoke(request);
        using var response = await Http.SendAsync(request);
        return await Reply.ReadAsync(response);
    }

    public Task<Reply> QueryAsync(string soql, bool all = false, int? batchSize = null) =>
        GetAsync($"{(all ? "queryAll" : "query")}?q={Uri.EscapeDataString(soql)}", r =>
        {
            if (batchSize is not null)
                r.Headers.Add("Sforce-Query-Options", $"batchSize={batchSize}");
        });

    public async Task<Reply> SendJsonAsync(HttpMethod method, string path, object body, string? autoAssign = null)
    {
        using var request = new HttpRequestMessage(method, Url(path))
        {
            // A string body is sent as it is, so tests can send malformed JSON.
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (autoAssign is not null)
            request.Headers.Add("Sforce-Auto-Assign", autoAssign);
        using var response = await Http.SendAsync(request);
        return await Reply.ReadAsync(response);
    }

    /// <summary>Relative data paths ("query?q=...") go under /services/data/vNN.N/; absolute ones ("/services/...") stay.</summary>
    private static string Url(string path) => path.StartsWith('/') ? path : $"/services/data/{Version}/{path}";

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>A response read whole: status, headers and the JSON body (Undefined when empty).</summary>
internal sealed record Reply(int StatusCode, HttpResponseHeaders Headers, JsonElement Body)
{
    public static async Task<Reply> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new Reply((int)response.StatusCode, response.Headers, body);
    }

    /// <summary>The errorCode of a Salesforce error array.</summary>
    public string ErrorCode => Body[0].GetProperty("errorCode").GetString()!;

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}

/// <summary>A clock tests move by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

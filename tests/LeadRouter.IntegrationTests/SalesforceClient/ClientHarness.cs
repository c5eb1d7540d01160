using System.Collections.Concurrent;
using System.Net;
using LeadRouter.Salesforce;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Data;
using Microsoft.Extensions.Logging;
using LeadRouterClient = LeadRouter.Salesforce.SalesforceClient;

namespace LeadRouter.IntegrationTests.SalesforceClient;

/// <summary>
/// An in-process emulator on a free loopback port and LeadRouter's own <see cref="LeadRouterClient"/>
/// pointed at it over real HTTP. Every HTTP exchange the client makes (sign-ins included) is
/// recorded by <see cref="Exchanges"/>, and every log line it writes by <see cref="Log"/>.
/// </summary>
internal sealed class ClientHarness : IAsyncDisposable
{
    private readonly HttpClient _http;

    private ClientHarness(EmulatorHost host, HttpClient http, ExchangeRecorder exchanges, ListLogger<LeadRouterClient> log, LeadRouterClient client, SalesforceOptions options)
    {
        Host = host;
        _http = http;
        Exchanges = exchanges;
        Log = log;
        Client = client;
        Options = options;
    }

    public EmulatorHost Host { get; }
    public LeadRouterClient Client { get; }
    public SalesforceOptions Options { get; }
    public ExchangeRecorder Exchanges { get; }
    public ListLogger<LeadRouterClient> Log { get; }

    /// <summary>Token requests the client sent, i.e. sign-ins (each one reached the emulator's token endpoint).</summary>
    public int SignIns => Exchanges.Count(e => e.Path == "/services/oauth2/token");

    /// <summary>
    /// Starts the emulator over <paramref name="store"/> and a client signing in with the
    /// emulator's default username-password credentials, short retry delays, unless
    /// <paramref name="configure"/> changes the options.
    /// </summary>
    public static async Task<ClientHarness> StartAsync(
        OrgStore store, EmulatorOptions? emulatorOptions = null, Func<SalesforceOptions, SalesforceOptions>? configure = null)
    {
        var host = await EmulatorHost.StartAsync(emulatorOptions ?? new EmulatorOptions(), store);
        var options = DefaultOptions(host.BaseAddress);
        if (configure is not null)
            options = configure(options);
        var exchanges = new ExchangeRecorder { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) } };
        var http = new HttpClient(exchanges);
        var log = new ListLogger<LeadRouterClient>();
        var client = new LeadRouterClient(http, options, TimeProvider.System, log);
        return new ClientHarness(host, http, exchanges, log, client, options);
    }

    public static SalesforceOptions DefaultOptions(Uri emulator) => new()
    {
        LoginUrl = emulator,
        AuthFlow = SalesforceAuthFlow.UsernamePassword,
        ClientId = EmulatorOptions.DefaultClientId,
        ClientSecret = EmulatorOptions.DefaultClientSecret,
        Username = EmulatorOptions.DefaultUsername,
        Password = EmulatorOptions.DefaultPassword,
        RetryBaseDelay = TimeSpan.FromMilliseconds(2),
        RetryMaxDelay = TimeSpan.FromMilliseconds(20),
    };

    /// <summary>Another client (other options) against the same emulator, sharing the recorder and log.</summary>
    public LeadRouterClient NewClient(SalesforceOptions options) =>
        new(_http, options, TimeProvider.System, Log);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>One HTTP exchange as the client saw it: method, path (no query string) and status.</summary>
internal sealed record Exchange(string Method, string Path, HttpStatusCode Status);

/// <summary>Records every request the client sends and the status it got back, in order.</summary>
internal sealed class ExchangeRecorder : DelegatingHandler, IEnumerable<Exchange>
{
    private readonly ConcurrentQueue<Exchange> _exchanges = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        _exchanges.Enqueue(new Exchange(request.Method.Method, request.RequestUri!.AbsolutePath, response.StatusCode));
        return response;
    }

    public void Clear() => _exchanges.Clear();

    public IEnumerator<Exchange> GetEnumerator() => _exchanges.ToList().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Keeps every formatted log line, so tests can count sign-ins and retries and check no secret was written.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
}

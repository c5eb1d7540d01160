using System.Diagnostics;
using LeadRouter.SalesforceEmulator.Auth;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Faults;
using LeadRouter.SalesforceEmulator.Http;
using LeadRouter.SalesforceEmulator.Limits;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LeadRouter.SalesforceEmulator;

/// <summary>
/// A running emulator: Kestrel on a real loopback port speaking Salesforce's REST API over the
/// given <see cref="OrgStore"/>. Tests start one in-process with port 0 and talk to
/// <see cref="BaseAddress"/> over real HTTP; Program runs one from the command line.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorState _state;

    private EmulatorHost(WebApplication app, EmulatorState state, Uri baseAddress)
    {
        _app = app;
        _state = state;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the emulator answers, e.g. http://127.0.0.1:41234/ (the instance_url and the login URL).</summary>
    public Uri BaseAddress { get; }

    public OrgStore Store => _state.Store;

    /// <summary>The fault switches; set <see cref="FaultInjector.Settings"/> to change them while running.</summary>
    public FaultInjector Faults => _state.Faults;

    /// <summary>The daily API call counter behind Sforce-Limit-Info and REQUEST_LIMIT_EXCEEDED.</summary>
    public ApiUsage ApiUsage => _state.Usage;

    /// <summary>Accepted record writes, oldest first, with the Sforce-Auto-Assign header each came with.</summary>
    public IReadOnlyList<RecordedWrite> Writes => _state.Writes.Snapshot();

    public void ClearWrites() => _state.Writes.Clear();

    /// <summary>Ends every session: the next data call with an old token gets 401 INVALID_SESSION_ID.</summary>
    public void ExpireSessions() => _state.Sessions.ExpireAll();

    /// <summary>Starts listening; throws when the address is remote without AllowRemote or the port is taken.</summary>
    public static async Task<EmulatorHost> StartAsync(
        EmulatorOptions options, OrgStore store, bool logToConsole = false, CancellationToken cancellationToken = default)
    {
        var endPoint = options.ListenEndPoint();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endPoint));
        builder.Logging.ClearProviders();
        if (logToConsole)
            builder.Logging.AddSimpleConsole(c => c.SingleLine = true).AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var state = new EmulatorState(options, store);
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        if (logToConsole)
            app.Use(LogRequests);
        Map(app, state);
        await app.StartAsync(cancellationToken);

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorHost(app, state, new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal) + "/"));
    }

    private static void Map(WebApplication app, EmulatorState state)
    {
        app.MapPost("/services/oauth2/token", (HttpRequest request) => TokenEndpoint.Handle(request, state));
        ServiceEndpoints.MapVersions(app);
        var data = app.MapGroup("/services/data/v{version}").AddEndpointFilter<DataApiFilter>();
        ServiceEndpoints.Map(data, state);
        QueryEndpoints.Map(data, state);
        BulkQueryEndpoints.Map(data, state);
        SObjectEndpoints.Map(data, state);
        CompositeEndpoints.Map(data, state);
        AdminEndpoints.Map(app, state);
        // Anything else under the API answers like Salesforce rather than with an empty 404.
        app.MapFallback("/services/{**rest}", () => DataApiFilter.NotFound());
    }

    // One line per request: method, path (no query string: SOQL may carry customer data), status, time.
    // Headers are never logged, so tokens and secrets stay out of the log.
    private static async Task LogRequests(HttpContext http, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        await next(http);
        http.RequestServices.GetRequiredService<ILogger<EmulatorHost>>().LogInformation(
            "{Method} {Path} {Status} {Elapsed:0}ms", http.Request.Method, http.Request.Path, http.Response.StatusCode,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C or SIGTERM when run from the command line).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

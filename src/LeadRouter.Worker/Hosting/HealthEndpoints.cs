using System.Net;
using System.Text.Json;
using LeadRouter.Salesforce;
using LeadRouter.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LeadRouter.Worker.Hosting;

/// <summary>Where `leadrouter run` answers its health probes, section "LeadRouter:Health".</summary>
public sealed class HealthOptions
{
    public const string SectionPath = "LeadRouter:Health";

    /// <summary>
    /// The listener's prefixes, separated by ';'. Loopback unless set otherwise; in a container use
    /// http://+:8081/ so the kubelet can reach it. Empty turns the endpoints off.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:8081/";

    /// <summary>How long one readiness check may take before it counts as down.</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>The tag of the checks /health/ready runs (MassTransit tags its bus check the same way).</summary>
    public const string ReadyTag = "ready";

    /// <summary>The readiness checks: the store and Salesforce here; MassTransit adds the bus's, Quartz the scheduler's.</summary>
    public static IServiceCollection AddLeadRouterHealthChecks(this IServiceCollection services, HealthOptions options)
    {
        services.AddSingleton(options);
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("database", tags: [ReadyTag], timeout: options.CheckTimeout)
            .AddCheck<SalesforceHealthCheck>("salesforce", tags: [ReadyTag], timeout: options.CheckTimeout);
        return services;
    }

    /// <summary>
    /// The listener serving the checks, unless LeadRouter:Health:Urls is empty. Only `leadrouter run`
    /// adds it: the other verbs are short-lived, and in-process test hosts must not contend for the port.
    /// </summary>
    public static IServiceCollection AddHealthListener(this IServiceCollection services)
    {
        services.AddHostedService(sp => new HealthListener(
            sp.GetRequiredService<HealthOptions>(), sp.GetRequiredService<HealthCheckService>(), sp.GetRequiredService<ILogger<HealthListener>>()));
        return services;
    }

    /// <summary>The listener prefixes of LeadRouter:Health:Urls, each ending in '/' as HttpListener wants.</summary>
    public static IReadOnlyList<string> Prefixes(HealthOptions options) =>
        options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => url.EndsWith('/') ? url : url + "/")
            .ToList();

    /// <summary>The body of /health/ready: the overall status, each check's, and the names of those that are down.</summary>
    internal static object ReadyBody(HealthReport report) => new
    {
        status = report.Status.ToString(),
        down = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key).Order(StringComparer.Ordinal).ToArray(),
        checks = report.Entries.ToDictionary(
            e => e.Key,
            e => new { status = e.Value.Status.ToString(), description = e.Value.Description ?? e.Value.Exception?.Message }),
    };
}

/// <summary>The store answers and has every migration this version ships applied.</summary>
internal sealed class StoreHealthCheck(LeadRouterDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = await database.PendingMigrationsAsync(cancellationToken).ConfigureAwait(false);
        return pending.Count == 0
            ? HealthCheckResult.Healthy($"{database.Provider} reachable and migrated")
            : HealthCheckResult.Unhealthy($"{database.Provider} reachable but {pending.Count} migration(s) not applied, first '{pending[0]}'");
    }
}

/// <summary>
/// A Salesforce token is held or can be obtained. The client keeps its token until Salesforce refuses
/// it, so a probe signs in only when there is none: probes do not spend the org's logins.
/// </summary>
internal sealed class SalesforceHealthCheck(SalesforceClient salesforce) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await salesforce.SignInAsync(cancellationToken).ConfigureAwait(false);
        return HealthCheckResult.Healthy("token obtained");
    }
}

/// <summary>
/// A small HTTP listener for the probes: GET /health/live answers 200 while the process runs; GET
/// /health/ready runs the readiness checks and answers 200, or 503 naming what is down (JSON).
/// HttpListener rather than Kestrel: the worker's image is the plain .NET runtime.
/// </summary>
internal sealed class HealthListener(HealthOptions options, HealthCheckService checks, ILogger<HealthListener> logger) : IHostedService, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _serving;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var prefixes = HealthEndpoints.Prefixes(options);
        if (prefixes.Count == 0)
            return Task.CompletedTask;
        foreach (var prefix in prefixes)
        {
            try
            {
                _listener.Prefixes.Add(prefix);
            }
            catch (ArgumentException e)
            {
                throw new ConfigurationException($"{HealthOptions.SectionPath}:Urls: '{prefix}' is not an http://host:port/ prefix ({e.Message}).", e);
            }
        }
        try
        {
            _listener.Start();
        }
        catch (HttpListenerException e)
        {
            throw new ConfigurationException($"{HealthOptions.SectionPath}:Urls: cannot listen on {options.Urls}: {e.Message}.", e);
        }
        logger.LogInformation("Health endpoints on {Urls}: {Live}, {Ready}", options.Urls, HealthEndpoints.LivePath, HealthEndpoints.ReadyPath);
        _serving = ServeAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_listener.IsListening)
            _listener.Stop();
        if (_serving is not null)
            await _serving.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _listener.Close();
        _stopping.Dispose();
    }

    private async Task ServeAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException && stopping.IsCancellationRequested)
            {
                return;
            }
            // Each probe on its own: a slow readiness check does not hold up the liveness probe.
            _ = Task.Run(() => AnswerAsync(context, stopping), CancellationToken.None);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken stopping)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath.TrimEnd('/');
            if (context.Request.HttpMethod != "GET")
            {
                await WriteAsync(response, HttpStatusCode.MethodNotAllowed, new { status = "method not allowed" }).ConfigureAwait(false);
            }
            else if (path == HealthEndpoints.LivePath)
            {
                await WriteAsync(response, HttpStatusCode.OK, new { status = nameof(HealthStatus.Healthy) }).ConfigureAwait(false);
            }
            else if (path == HealthEndpoints.ReadyPath)
            {
                var report = await checks.CheckHealthAsync(c => c.Tags.Contains(HealthEndpoints.ReadyTag), stopping).ConfigureAwait(false);
                if (report.Status != HealthStatus.Healthy)
                {
                    logger.LogWarning("Not ready: {Down}", string.Join(", ", report.Entries
                        .Where(e => e.Value.Status != HealthStatus.Healthy)
                        .Select(e => $"{e.Key} ({e.Value.Description ?? e.Value.Exception?.Message})")));
                }
                await WriteAsync(response, report.Status == HealthStatus.Healthy ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable,
                    HealthEndpoints.ReadyBody(report)).ConfigureAwait(false);
            }
            else
            {
                await WriteAsync(response, HttpStatusCode.NotFound, new { status = "not found", paths = new[] { HealthEndpoints.LivePath, HealthEndpoints.ReadyPath } }).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // The prober hung up, or the worker is stopping: nothing to answer.
        }
        finally
        {
            response.Close();
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, HttpStatusCode status, object body)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, Json);
        response.StatusCode = (int)status;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        response.Headers["Cache-Control"] = "no-store";
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
    }
}

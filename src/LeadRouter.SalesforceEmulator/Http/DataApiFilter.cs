using System.Globalization;
using LeadRouter.SalesforceEmulator.Auth;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>
/// Runs before every /services/data/vNN.N call, in Salesforce's order: API version, bearer
/// session (401), injected latency and 503s, the daily API limit (403), then the handler. Every
/// answer after a valid session carries Sforce-Limit-Info; a <see cref="SalesforceFault"/> thrown
/// by a handler becomes Salesforce's error array.
/// </summary>
internal sealed class DataApiFilter(EmulatorState state, ILogger<DataApiFilter> log) : IEndpointFilter
{
    public const string SessionKey = "emulator.session";
    public const double OldestVersion = 20.0;
    public const double NewestVersion = 66.0;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!TryParseVersion(http.Request.RouteValues["version"] as string, out _))
            return NotFound();

        var faults = state.Faults.Settings;
        if (state.Sessions.Authenticate(http.Request.Headers.Authorization, faults) is not { } session)
        {
            http.Response.Headers.WWWAuthenticate = "Token";
            return JsonBodyResult.Error(StatusCodes.Status401Unauthorized, "INVALID_SESSION_ID", "Session expired or invalid");
        }
        http.Items[SessionKey] = session;

        if (faults.LatencyMs > 0)
            await Task.Delay(faults.LatencyMs, http.RequestAborted);
        if (state.Faults.ServerUnavailable())
        {
            http.Response.Headers.RetryAfter = "1";
            return JsonBodyResult.Error(StatusCodes.Status503ServiceUnavailable, "SERVER_UNAVAILABLE",
                "Server temporarily unavailable (injected by the emulator's unavailable-rate fault); retry later.");
        }

        var counted = state.Usage.TryCount(out var used);
        http.Response.Headers["Sforce-Limit-Info"] = state.Usage.Header(used);
        if (!counted)
            return JsonBodyResult.Error(StatusCodes.Status403Forbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");

        try
        {
            return await next(context);
        }
        catch (SalesforceFault fault)
        {
            return JsonBodyResult.Error(fault);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            return JsonBodyResult.Error(StatusCodes.Status500InternalServerError, "UNKNOWN_EXCEPTION",
                "An unexpected error occurred in the emulator; see its log.");
        }
    }

    public static JsonBodyResult NotFound() =>
        JsonBodyResult.Error(StatusCodes.Status404NotFound, "NOT_FOUND", "The requested resource does not exist");

    /// <summary>The session of the current data call (set by the filter).</summary>
    public static Session CurrentSession(HttpContext http) => (Session)http.Items[SessionKey]!;

    /// <summary>Accepts "NN.N" between the oldest and newest version the emulator lists.</summary>
    public static bool TryParseVersion(string? text, out double version) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out version)
        && text!.Contains('.', StringComparison.Ordinal)
        && version is >= OldestVersion and <= NewestVersion
        && version == Math.Floor(version);
}

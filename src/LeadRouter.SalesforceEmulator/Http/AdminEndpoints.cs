using System.Net;
using System.Text.Json;
using LeadRouter.SalesforceEmulator.Faults;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>
/// /_emulator: the switches a test or an operator flips at run time. Answered only to callers on
/// this machine (loopback), even when the emulator listens beyond it.
/// </summary>
internal static class AdminEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var admin = app.MapGroup("/_emulator").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Connection.RemoteIpAddress is { } caller && IPAddress.IsLoopback(caller)
                ? await next(context)
                : Results.Problem("The emulator's admin endpoints answer loopback callers only.", statusCode: StatusCodes.Status403Forbidden));

        admin.MapGet("/faults", () => Results.Json(state.Faults.Settings, Json));
        admin.MapPost("/faults", async (HttpContext http) =>
        {
            FaultSettings? settings;
            try
            {
                settings = await http.Request.ReadFromJsonAsync<FaultSettings>(Json, http.RequestAborted);
                if (settings is null)
                    return Results.Problem("Send the fault settings as a JSON object.", statusCode: StatusCodes.Status400BadRequest);
                state.Faults.Settings = settings;
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
            }
            return Results.Json(settings, Json);
        });
        admin.MapGet("/status", () => Results.Json(new
        {
            apiUsage = state.Usage.Used,
            dailyApiLimit = state.Usage.DailyLimit,
            faults = state.Faults.Settings,
            objects = state.Store.ObjectNames.Order(StringComparer.Ordinal),
        }, Json));
        admin.MapGet("/writes", () => Results.Json(
            state.Writes.Snapshot().Select(w => new { w.Operation, w.ObjectName, w.Id, w.AutoAssign, w.At }), Json));
        admin.MapPost("/sessions/expire", () =>
        {
            state.Sessions.ExpireAll();
            return Results.NoContent();
        });
    }
}

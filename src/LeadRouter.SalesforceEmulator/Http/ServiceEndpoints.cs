using System.Globalization;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>GET /services/data (versions, no session needed), GET /services/data/vNN.N (resources) and /limits.</summary>
internal static class ServiceEndpoints
{
    public static void MapVersions(IEndpointRouteBuilder app) =>
        app.MapGet("/services/data", () => new JsonBodyResult(StatusCodes.Status200OK, w =>
        {
            w.WriteStartArray();
            for (var version = DataApiFilter.OldestVersion; version <= DataApiFilter.NewestVersion; version++)
            {
                var text = version.ToString("0.0", CultureInfo.InvariantCulture);
                w.WriteStartObject();
                w.WriteString("label", ReleaseName(version));
                w.WriteString("url", $"/services/data/v{text}");
                w.WriteString("version", text);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));

    public static void Map(RouteGroupBuilder data, EmulatorState state)
    {
        data.MapGet("/", (string version) => new JsonBodyResult(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            foreach (var resource in new[] { "limits", "query", "queryAll", "sobjects", "composite" })
                w.WriteString(resource, $"/services/data/v{version}/{resource}");
            w.WriteEndObject();
        }));
        data.MapGet("/limits", () =>
        {
            var used = state.Usage.Used;
            return new JsonBodyResult(StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                WriteLimit(w, "DailyApiRequests", state.Usage.DailyLimit, state.Usage.DailyLimit - used);
                WriteLimit(w, "DailyBulkApiBatches", 15_000, 15_000);
                WriteLimit(w, "DailyBulkV2QueryJobs", BulkQueryJobs.DailyJobLimit, BulkQueryJobs.DailyJobLimit - state.BulkJobs.Created);
                WriteLimit(w, "DailyAsyncApexExecutions", 250_000, 250_000);
                WriteLimit(w, "DataStorageMB", 1_024, 1_024);
                WriteLimit(w, "FileStorageMB", 1_024, 1_024);
                WriteLimit(w, "SingleEmail", 5_000, 5_000);
                w.WriteEndObject();
            });
        });
    }

    private static void WriteLimit(System.Text.Json.Utf8JsonWriter w, string name, long max, long remaining)
    {
        w.WriteStartObject(name);
        w.WriteNumber("Max", max);
        w.WriteNumber("Remaining", Math.Max(0, remaining));
        w.WriteEndObject();
    }

    /// <summary>Salesforce ships three releases a year: v20.0 was Winter '11, then Spring, Summer, Winter ...</summary>
    private static string ReleaseName(double version)
    {
        var index = (int)version - 20;
        var season = (index % 3) switch { 0 => "Winter", 1 => "Spring", _ => "Summer" };
        return string.Create(CultureInfo.InvariantCulture, $"{season} '{11 + index / 3:00}");
    }
}

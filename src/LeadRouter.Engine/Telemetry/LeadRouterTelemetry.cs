using System.Diagnostics;
using System.Diagnostics.Metrics;
using LeadRouter.Cycle;
using LeadRouter.Salesforce;
using LeadRouter.Sync;

namespace LeadRouter.Telemetry;

/// <summary>
/// LeadRouter's own metrics (meter "LeadRouter") and traces (activity source "LeadRouter"). Measurements
/// cost nothing until something listens: the worker's OpenTelemetry set-up, or a test's MeterListener.
/// Names follow OpenTelemetry's conventions (dotted, lower case, unit in the instrument, not the name).
/// </summary>
public static class LeadRouterTelemetry
{
    public const string Name = "LeadRouter";

    public static readonly ActivitySource Traces = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> RowsSynced = Meter.CreateCounter<long>(
        "leadrouter.sync.rows", "{row}", "Rows read from Salesforce into the store, per object.");

    private static readonly Counter<long> ApiCalls = Meter.CreateCounter<long>(
        "leadrouter.salesforce.api.calls", "{call}", "REST calls this process sent to Salesforce (authentication excluded).");

    private static readonly Counter<long> RepsScored = Meter.CreateCounter<long>(
        "leadrouter.reps.scored", "{rep}", "Reps given a trust score by a saved weekly cycle.");

    private static readonly Counter<long> LeadsRouted = Meter.CreateCounter<long>(
        "leadrouter.leads.routed", "{lead}", "Leads a saved weekly cycle routed, per tier, mode and outcome (routed or unroutable).");

    private static readonly Counter<long> RecommendationsPublished = Meter.CreateCounter<long>(
        "leadrouter.recommendations.published", "{recommendation}", "Lead-assignment recommendations published to the bus, per mode.");

    private static readonly Counter<long> RecommendationsCarriedOut = Meter.CreateCounter<long>(
        "leadrouter.recommendations.assigned", "{recommendation}", "Recommendations carried out in Salesforce, per outcome (assigned, the skip reason, or deferred when Salesforce could not take it now).");

    private static readonly Counter<long> ConsumerFailures = Meter.CreateCounter<long>(
        "leadrouter.consumer.failures", "{message}", "Messages a consumer failed on (each attempt), per consumer and message type.");

    private static readonly Histogram<double> JobDurations = Meter.CreateHistogram<double>(
        "leadrouter.job.duration", "s", "How long each scheduled job ran, per job and outcome.");

    /// <summary>The org's daily API usage from the latest Salesforce response (Sforce-Limit-Info), read by the gauges.</summary>
    private static ApiUsage? _latestApiUsage;

    static LeadRouterTelemetry()
    {
        Meter.CreateObservableGauge("leadrouter.salesforce.api.used",
            () => Volatile.Read(ref _latestApiUsage) is { } u ? [new Measurement<long>(u.Used)] : Array.Empty<Measurement<long>>(),
            "{call}", "API requests the org has used today, as Salesforce last reported.");
        Meter.CreateObservableGauge("leadrouter.salesforce.api.remaining",
            () => Volatile.Read(ref _latestApiUsage) is { } u ? [new Measurement<long>(u.Max - u.Used)] : Array.Empty<Measurement<long>>(),
            "{call}", "API requests the org has left today, as Salesforce last reported.");
    }

    internal static void ApiCallSent() => ApiCalls.Add(1);

    internal static void ApiUsageReported(ApiUsage usage) => Volatile.Write(ref _latestApiUsage, usage);

    internal static void Synced(SyncReport report)
    {
        foreach (var o in report.Objects)
            RowsSynced.Add(o.RowsRead, new KeyValuePair<string, object?>("object", o.ObjectName));
    }

    internal static void CycleSaved(CycleResult cycle)
    {
        RepsScored.Add(cycle.Trust.Reps.Count);
        foreach (var tier in cycle.Routing.Decisions.GroupBy(d => (d.Tier, d.Mode)))
            LeadsRouted.Add(tier.Count(), Tags(tier.Key.Tier, tier.Key.Mode.ToString(), "routed"));
        foreach (var tier in cycle.Routing.Unroutable.GroupBy(u => u.Tier ?? "(none)", StringComparer.Ordinal))
            LeadsRouted.Add(tier.Count(), Tags(tier.Key, "Unroutable", "unroutable"));
    }

    private static TagList Tags(string tier, string mode, string outcome) =>
        new() { { "tier", tier }, { "mode", mode }, { "outcome", outcome } };

    public static void RecommendationPublished(string mode) =>
        RecommendationsPublished.Add(1, new KeyValuePair<string, object?>("mode", mode));

    /// <param name="outcome">"assigned", or the reason the lead was skipped.</param>
    internal static void RecommendationCarriedOut(string outcome) =>
        RecommendationsCarriedOut.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public static void ConsumerFailed(string consumer, string messageType) =>
        ConsumerFailures.Add(1, new TagList { { "consumer", consumer }, { "message.type", messageType } });

    public static void JobRan(string job, TimeSpan duration, bool succeeded) =>
        JobDurations.Record(duration.TotalSeconds, new TagList { { "job", job }, { "outcome", succeeded ? "ok" : "failed" } });
}

using LeadRouter.Telemetry;
using MassTransit;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Quartz.Diagnostics;

namespace LeadRouter.Worker.Hosting;

/// <summary>Where metrics, traces and logs are exported, section "LeadRouter:Telemetry".</summary>
public sealed class TelemetryOptions
{
    public const string SectionPath = "LeadRouter:Telemetry";

    /// <summary>The OpenTelemetry collector, e.g. http://otel-collector:4317. Not set: nothing is exported.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Grpc (port 4317) or HttpProtobuf (port 4318).</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>The service.name resource attribute every signal carries.</summary>
    public string ServiceName { get; set; } = "leadrouter";
}

public static class TelemetrySetup
{
    /// <summary>The activity sources traced: LeadRouter's own, MassTransit's and Quartz's.</summary>
    public static readonly string[] Sources = [LeadRouterTelemetry.Name, DiagnosticHeaders.DefaultListenerName, QuartzInstrumentation.ActivitySourceName];

    /// <summary>The meters exported, from the same three.</summary>
    public static readonly string[] Meters = [LeadRouterTelemetry.Name, InstrumentationOptions.MeterName, QuartzInstrumentation.MeterName];

    /// <summary>
    /// Counts consumer failures on LeadRouter's meter, and, when an OTLP endpoint is set, exports
    /// LeadRouter's, MassTransit's and Quartz's metrics and traces and the logs (with their scopes) there.
    /// </summary>
    public static IHostApplicationBuilder AddLeadRouterTelemetry(this IHostApplicationBuilder builder, TelemetryOptions options)
    {
        builder.Services.AddConsumeObserver<ConsumerFailureCounter>();
        if (options.OtlpEndpoint is not { } endpoint)
            return builder;

        void Exporter(OtlpExporterOptions otlp)
        {
            otlp.Endpoint = endpoint;
            otlp.Protocol = options.OtlpProtocol;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithMetrics(metrics => metrics.AddMeter(Meters).AddOtlpExporter(Exporter))
            .WithTracing(tracing => tracing.AddSource(Sources).AddOtlpExporter(Exporter));
        builder.Logging.AddOpenTelemetry(logs =>
        {
            logs.IncludeScopes = true;
            logs.IncludeFormattedMessage = true;
            logs.AddOtlpExporter(Exporter);
        });
        return builder;
    }
}

/// <summary>Counts each failed consume attempt (retries included) by consumer and message type.</summary>
internal sealed class ConsumerFailureCounter : IConsumeObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class
    {
        LeadRouterTelemetry.ConsumerFailed(context.ReceiveContext.InputAddress?.AbsolutePath.Split('/')[^1] ?? "unknown", TypeCache<T>.ShortName);
        return Task.CompletedTask;
    }
}

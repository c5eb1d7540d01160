using LeadRouter.Worker.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadRouter.IntegrationTests.Messaging;

/// <summary>A host wired with AddLeadRouterBus exactly as the worker does, from configuration keys.</summary>
internal static class BusHost
{
    /// <summary>Retries fast enough for tests: 10 ms, growing by 10 ms, at most 50 ms.</summary>
    public static Dictionary<string, string?> FastRetry(int limit) => new()
    {
        ["LeadRouter:Messaging:Retry:Limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["LeadRouter:Messaging:Retry:MinInterval"] = "00:00:00.010",
        ["LeadRouter:Messaging:Retry:MaxInterval"] = "00:00:00.050",
        ["LeadRouter:Messaging:Retry:IntervalDelta"] = "00:00:00.010",
    };

    public static IHost Build(
        IDictionary<string, string?> settings, ReceivedMessages received, Action<IBusRegistrationConfigurator> consumers,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(received);
        builder.Services.AddLogging();
        builder.Services.AddLeadRouterBus(builder.Configuration, consumers);
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    public static async Task<IHost> StartAsync(
        IDictionary<string, string?> settings, ReceivedMessages received, Action<IBusRegistrationConfigurator> consumers)
    {
        var host = Build(settings, received, consumers);
        await host.StartAsync();
        return host;
    }

    public static async Task StopAsync(IHost? host)
    {
        if (host is null) return;
        await host.StopAsync();
        host.Dispose();
    }
}

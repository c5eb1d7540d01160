using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadRouter.Worker.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>Every endpoint name starts with this, kebab-case: "leadrouter-lead-assignment".</summary>
    public const string EndpointPrefix = "leadrouter";

    /// <summary>How long the bus may take to start: a broker that cannot be reached is reported after this, not a minute later.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Adds the MassTransit bus configured from <see cref="MessagingOptions"/> (section
    /// "LeadRouter:Messaging", checked at start), and starts it with the host. Consumers registered
    /// in <paramref name="configureConsumers"/> get kebab-case endpoints "leadrouter-...", in-process
    /// exponential retry, then the endpoint's "_error" queue; no delayed redelivery, no scheduler.
    /// On RabbitMQ publishes wait for publisher confirms, and receive queues are quorum queues when
    /// RabbitMq:UseQuorumQueues is set.
    /// </summary>
    public static IServiceCollection AddLeadRouterBus(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        var section = configuration.GetSection(MessagingOptions.SectionPath);
        services.AddSingleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>();
        services.AddOptions<MessagingOptions>().Bind(section).ValidateOnStart();

        // The transport decides which MassTransit registration to make, so it is read now; an
        // unknown value fails here with the key in the message.
        MessagingTransport transport;
        try
        {
            transport = section.GetValue(nameof(MessagingOptions.Transport), MessagingTransport.InMemory);
        }
        catch (InvalidOperationException)
        {
            throw new Hosting.ConfigurationException(
                $"{MessagingOptions.SectionPath}:Transport: '{section[nameof(MessagingOptions.Transport)]}' is not a transport (InMemory or RabbitMq).");
        }

        // The outbox relay sends on the publish endpoints themselves (OutboxRelay.PublishAsync); MassTransit registers only IBus for them.
        services.AddSingleton<IPublishEndpointProvider>(provider => provider.GetRequiredService<IBus>());

        services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = true; // a broker that cannot be reached fails the start, not the first publish
            host.StartTimeout = StartTimeout;
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });

        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(EndpointPrefix, includeNamespace: false));
            // MassTransit 8.4+ reports usage to its makers over the internet unless told not to: the worker calls
            // nothing but Salesforce, its store and its broker.
            bus.ConfigureUsageTelemetryOptions(telemetry => telemetry.Enabled = false);
            configureConsumers?.Invoke(bus);

            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                var options = Options(context);
                if (options.Retry.Limit > 0)
                {
                    endpoint.UseMessageRetry(retry => retry.Exponential(
                        options.Retry.Limit, options.Retry.MinInterval, options.Retry.MaxInterval, options.Retry.IntervalDelta));
                }
                if (options.RabbitMq.UseQuorumQueues && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                    rabbit.SetQuorumQueue();
            });

            if (transport == MessagingTransport.RabbitMq)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    var options = Options(context);
                    var rabbit = options.RabbitMq;
                    cfg.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, host =>
                    {
                        host.Username(rabbit.Username);
                        host.Password(rabbit.Password!);
                        host.PublisherConfirmation = true;
                    });
                    cfg.PrefetchCount = options.PrefetchCount;
                    ConfigureBus(context, cfg, options);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    var options = Options(context);
                    cfg.ConcurrentMessageLimit = options.PrefetchCount;
                    ConfigureBus(context, cfg, options);
                });
            }
        });
        return services;
    }

    private static MessagingOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<MessagingOptions>>().Value;

    private static void ConfigureBus<TEndpoint>(
        IBusRegistrationContext context, IBusFactoryConfigurator<TEndpoint> cfg, MessagingOptions options)
        where TEndpoint : IReceiveEndpointConfigurator
    {
        context.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MessagingServiceCollectionExtensions))
            .LogInformation("Message bus: {MessagingOptions}", options);
        cfg.UseSendFilter(typeof(StableMessageIdFilter<>), context);
        cfg.UsePublishFilter(typeof(StableMessageIdFilter<>), context);
        cfg.ConfigureEndpoints(context);
    }
}

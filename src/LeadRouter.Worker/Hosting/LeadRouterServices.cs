using LeadRouter.Assignment;
using LeadRouter.Cycle;
using LeadRouter.Digest;
using LeadRouter.Rules;
using LeadRouter.Salesforce;
using LeadRouter.Storage;
using LeadRouter.Sync;
using LeadRouter.Worker.Assignment;
using LeadRouter.Worker.Messaging;
using LeadRouter.Worker.Outbox;
using LeadRouter.Worker.Scheduling;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LeadRouter.Worker.Hosting;

/// <summary>What a host is for: the whole service, or one command that needs only part of it.</summary>
public enum HostRole
{
    /// <summary>Store, rules and Salesforce: for commands that sync, score or route.</summary>
    Engine,

    /// <summary>Engine plus the bus, the routing consumer and the outbox relay (cycle, approve, demo).</summary>
    Messaging,

    /// <summary>Messaging plus the Quartz schedule: the `run` verb.</summary>
    Service,
}

public static class LeadRouterServices
{
    /// <summary>
    /// Builds the host from the standard configuration stack (appsettings.json, LEADROUTER_-less
    /// environment variables such as LeadRouter__Database__Provider, then <paramref name="overrides"/>).
    /// Every setting is checked now; errors name the setting. Secrets are never logged.
    /// </summary>
    public static IHost Build(HostRole role, IReadOnlyDictionary<string, string?> overrides, Action<IServiceCollection>? extra = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
            ApplicationName = "leadrouter",
        });
        // Commands print their own results: only warnings reach the log unless the service runs.
        builder.Logging.SetMinimumLevel(role == HostRole.Service ? LogLevel.Information : LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.AddLeadRouter(role);
        extra?.Invoke(builder.Services);
        return builder.Build();
    }

    public static IHostApplicationBuilder AddLeadRouter(this IHostApplicationBuilder builder, HostRole role)
    {
        var configuration = builder.Configuration;
        var options = Bind<LeadRouterOptions>(configuration, LeadRouterOptions.SectionPath);
        var schedule = Bind<ScheduleOptions>(configuration, ScheduleOptions.SectionPath);
        var salesforce = configuration.GetSection($"{LeadRouterOptions.SectionPath}:{SalesforceOptions.SectionName}").Get<SalesforceOptions>() ?? new SalesforceOptions();
        var digest = Bind<DigestOptions>(configuration, DigestOptions.SectionPath);
        if (digest.Problems() is { Count: > 0 } digestProblems)
            throw new ConfigurationException(string.Join(" ", digestProblems));
        var rules = LoadRules(options.RulesFile);
        // Commands that talk to Salesforce check its settings now, naming the bad ones; score, route
        // --dry-run and migrate work from the store alone and need none.
        if (role >= HostRole.Messaging)
            salesforce.Validate();

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(schedule));
        services.AddSingleton(rules);
        services.AddSingleton(new LeadRouterDatabase(options.Database));
        services.AddSingleton(salesforce);
        services.AddHttpClient(nameof(SalesforceClient));
        services.AddSingleton(sp => new SalesforceClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(SalesforceClient)), salesforce,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SalesforceClient>>()));
        services.AddSingleton(sp => new SalesforceSync(
            sp.GetRequiredService<SalesforceClient>(), sp.GetRequiredService<LeadRouterDatabase>(), salesforce,
            SyncOptionsFor(rules, options), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SalesforceSync>>()));
        services.AddSingleton(sp => new WeeklyCycle(
            sp.GetRequiredService<LeadRouterDatabase>(), rules, sp.GetRequiredService<SalesforceSync>(), options.DigestFolder,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WeeklyCycle>>(), digest.BaseUri(),
            digest.Smtp.Enabled ? new DigestMailer(digest.Smtp, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DigestMailer>>()) : null));
        services.AddSingleton(sp => new LeadAssigner(
            sp.GetRequiredService<SalesforceClient>(), sp.GetRequiredService<LeadRouterDatabase>(), rules, sp.GetRequiredService<TimeProvider>()));

        if (role >= HostRole.Messaging)
        {
            services.AddLeadRouterBus(configuration, bus => bus.AddConsumer<LeadAssignmentConsumer, LeadAssignmentConsumerDefinition>());
            services.AddSingleton<OutboxRelay>();
            services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        }
        if (role == HostRole.Service)
            builder.AddLeadRouterSchedule(options.Database, schedule);
        return builder;
    }

    /// <summary>What the sync copies follows from the rules: their custom lead fields, next-step date field and trust window.</summary>
    public static SyncOptions SyncOptionsFor(RoutingRules rules, LeadRouterOptions options) => new()
    {
        HistoryWeeks = rules.Trust.WindowWeeks + 1,
        Overlap = options.SyncOverlap,
        LeadCustomFields = rules.CustomFields,
        NextStepDateField = rules.Trust.NextStepDateField,
    };

    /// <summary>Loads the rules file, or fails listing every error with its line and JSON path.</summary>
    public static RoutingRules LoadRules(string path)
    {
        if (!File.Exists(path))
            throw new ConfigurationException($"LeadRouter:RulesFile: the rules file '{Path.GetFullPath(path)}' does not exist.");
        return RulesFile.Load(path).RulesOrThrow();
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>(o => o.ErrorOnUnknownConfiguration = false) ?? new T();
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationException($"{section}: {e.Message}", e);
        }
    }
}

/// <summary>A setting that is missing or wrong; the message names it.</summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

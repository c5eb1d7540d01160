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
using Microsoft.Extensions.Logging.Console;

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
        // Settings are read once, at start (the rules file has its own watch). Reloading appsettings.json on change
        // would watch the working directory and everything below it: with the SQLite store there, every write to the
        // database woke a file-system watcher.
        var initial = new ConfigurationManager();
        initial.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
            ApplicationName = "leadrouter",
            Configuration = initial,
        });
        // Commands print their own results: only warnings reach the log unless the service runs.
        builder.Logging.SetMinimumLevel(role == HostRole.Service ? LogLevel.Information : LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(overrides);
        // stdout carries only the command's result (--json must stay JSON): every log line goes to stderr. The
        // service logs one JSON object a line with its scopes (run id, job, lead id) for log collectors.
        if (role == HostRole.Service)
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        else
            builder.Logging.AddConsole(o => o.FormatterName = OneLineConsoleFormatter.FormatterName)
                .AddConsoleFormatter<OneLineConsoleFormatter, ConsoleFormatterOptions>();
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // A command reports its own failure to start in one line.
        if (role != HostRole.Service)
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.AddLeadRouter(role);
        extra?.Invoke(builder.Services);
        return builder.Build();
    }

    public static IHostApplicationBuilder AddLeadRouter(this IHostApplicationBuilder builder, HostRole role)
    {
        var configuration = builder.Configuration;
        var options = Bind<LeadRouterOptions>(configuration, LeadRouterOptions.SectionPath);
        var schedule = Bind<ScheduleOptions>(configuration, ScheduleOptions.SectionPath);
        var salesforce = Bind<SalesforceOptions>(configuration, $"{LeadRouterOptions.SectionPath}:{SalesforceOptions.SectionName}");
        var digest = Bind<DigestOptions>(configuration, DigestOptions.SectionPath);
        if (digest.Problems() is { Count: > 0 } digestProblems)
            throw new ConfigurationException(string.Join(" ", digestProblems));
        var rules = LoadRules(options.RulesFile);
        schedule.UseTimeZoneOf(rules, options.RulesFile, configuration[$"{ScheduleOptions.SectionPath}:{nameof(ScheduleOptions.TimeZone)}"]);
        // Commands that talk to Salesforce check its settings now, naming the bad ones; score, route
        // --dry-run and migrate work from the store alone and need none.
        if (role >= HostRole.Messaging)
            salesforce.Validate();
        if (role == HostRole.Service)
            ValidateSchedule(schedule);
        if (role >= HostRole.Messaging)
            EnsureFolder($"{LeadRouterOptions.SectionPath}:DigestFolder", options.DigestFolder);

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(schedule));
        // What depends on the rules is built from the rules in force each time it is resolved (each job
        // firing, each consumed batch): `run` reloads a changed rules file (RulesFileWatcher).
        services.AddSingleton(new RulesSource(options.RulesFile, rules));
        services.AddTransient(sp => sp.GetRequiredService<RulesSource>().Current);
        services.AddSingleton(new LeadRouterDatabase(options.Database));
        services.AddSingleton(salesforce);
        services.AddHttpClient(nameof(SalesforceClient));
        services.AddSingleton(sp => new SalesforceClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(SalesforceClient)), salesforce,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SalesforceClient>>()));
        services.AddTransient(sp => new SalesforceSync(
            sp.GetRequiredService<SalesforceClient>(), sp.GetRequiredService<LeadRouterDatabase>(), salesforce,
            SyncOptionsFor(sp.GetRequiredService<RoutingRules>(), options), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SalesforceSync>>()));
        // One owner id per host: it names this process in the store's leases (sync, outbox).
        services.AddSingleton(LeaseOwner.ForThisProcess());
        services.AddSingleton(sp => new SyncTurn(() => sp.GetRequiredService<SalesforceSync>(), sp.GetRequiredService<LeadRouterDatabase>(),
            sp.GetRequiredService<LeaseOwner>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SyncTurn>>()));
        // One mailer for the process: its retries and report outlive a single cycle's resolution.
        if (digest.Smtp.Enabled)
            services.AddSingleton(sp => new DigestMailer(digest.Smtp, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DigestMailer>>()));
        services.AddTransient(sp => new WeeklyCycle(
            sp.GetRequiredService<LeadRouterDatabase>(), sp.GetRequiredService<RoutingRules>(), sp.GetRequiredService<SyncTurn>(), options.DigestFolder,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WeeklyCycle>>(), digest.BaseUri(),
            sp.GetService<DigestMailer>()));
        services.AddTransient(sp => new LeadAssigner(
            sp.GetRequiredService<SalesforceClient>(), sp.GetRequiredService<LeadRouterDatabase>(), sp.GetRequiredService<RoutingRules>(), sp.GetRequiredService<TimeProvider>()));

        if (role >= HostRole.Messaging)
        {
            services.AddLeadRouterBus(configuration, bus => bus.AddConsumer<LeadAssignmentConsumer, LeadAssignmentConsumerDefinition>());
            services.AddSingleton<OutboxRelay>();
            services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        }
        builder.AddLeadRouterTelemetry(Bind<TelemetryOptions>(configuration, TelemetryOptions.SectionPath));
        if (role == HostRole.Service)
        {
            builder.AddLeadRouterSchedule(options.Database, schedule);
            services.AddHostedService<RulesFileWatcher>();
            services.AddLeadRouterHealthChecks(Bind<HealthOptions>(configuration, HealthOptions.SectionPath));
        }
        return builder;
    }

    /// <summary>What the sync copies follows from the rules: their custom lead fields, next-step date field and trust window.</summary>
    public static SyncOptions SyncOptionsFor(RoutingRules rules, LeadRouterOptions options) => new()
    {
        HistoryWeeks = rules.Trust.WindowWeeks + 1,
        Overlap = options.SyncOverlap,
        UseBulkApi = options.Sync.UseBulkApi,
        BulkThreshold = options.Sync.BulkThreshold,
        RowsPerCommit = options.Sync.RowsPerCommit,
        LeadCustomFields = rules.CustomFields,
        NextStepDateField = rules.Trust.NextStepDateField,
    };

    /// <summary>The schedule's time zone and crons, named by their settings when wrong.</summary>
    private static void ValidateSchedule(ScheduleOptions schedule)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(schedule.TimeZone, out _))
            throw new ConfigurationException($"{ScheduleOptions.SectionPath}:TimeZone: '{schedule.TimeZone}' is not a known time zone (an IANA id, e.g. Europe/Paris).");
        foreach (var (name, cron) in new[] { ("SyncCron", schedule.SyncCron), ("WeeklyCycleCron", schedule.WeeklyCycleCron) })
        {
            if (!Quartz.CronExpression.TryParse(cron, out _))
                throw new ConfigurationException($"{ScheduleOptions.SectionPath}:{name}: '{cron}' is not a Quartz cron expression (seconds first, e.g. 0 0 7 ? * MON).");
        }
    }

    /// <summary>Creates the folder a setting names, or fails naming the setting when it cannot be.</summary>
    private static void EnsureFolder(string setting, string path)
    {
        if (File.Exists(path))
            throw new ConfigurationException($"{setting}: '{Path.GetFullPath(path)}' is a file, not a folder.");
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ConfigurationException($"{setting}: the folder '{path}' cannot be created: {e.Message}", e);
        }
    }

    /// <summary>Loads the rules file, or fails listing every error with its line and JSON path.</summary>
    public static RoutingRules LoadRules(string path)
    {
        if (Directory.Exists(path))
            throw new ConfigurationException($"LeadRouter:RulesFile: '{Path.GetFullPath(path)}' is a folder, not a rules file.");
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

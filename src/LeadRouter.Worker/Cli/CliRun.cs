using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadRouter.Rules;
using LeadRouter.Salesforce;
using LeadRouter.Storage;
using LeadRouter.Worker.Hosting;
using LeadRouter.Worker.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LeadRouter.Worker.Cli;

/// <summary>Runs a verb: builds its host, turns known failures into a clear message and an exit code.</summary>
internal static class CliRun
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static IReadOnlyDictionary<string, string?> Overrides(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in parse.GetValue(LeadRouterCli.Set) ?? [])
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new ConfigurationException($"--set '{setting}': expected KEY=VALUE, e.g. LeadRouter:RulesFile=rules.jsonc.");
            overrides[setting[..equals]] = setting[(equals + 1)..];
        }
        return overrides;
    }

    /// <summary>Builds the host for <paramref name="role"/>, migrates the store, starts the host, runs <paramref name="work"/>.</summary>
    /// <remarks>
    /// <paramref name="check"/> runs against the opened store before the host starts: a request it refuses
    /// changes nothing, since the outbox relay and the routing consumer start with the host.
    /// </remarks>
    public static Task<int> WithHostAsync(
        ParseResult parse, HostRole role, Func<IServiceProvider, CancellationToken, Task<int>> work, CancellationToken cancellationToken,
        Func<IServiceProvider, CancellationToken, Task>? check = null) =>
        GuardAsync(async () =>
        {
            using var host = LeadRouterServices.Build(role, Overrides(parse));
            await OpenStoreAsync(host.Services, cancellationToken).ConfigureAwait(false);
            if (check is not null)
                await check(host.Services, cancellationToken).ConfigureAwait(false);
            await StartAsync(host, cancellationToken).ConfigureAwait(false);
            try
            {
                return await work(host.Services, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        });

    /// <summary>Migrates the store (returns the scripts applied); a store that cannot be opened or reached is a configuration error naming the setting.</summary>
    public static async Task<IReadOnlyList<string>> OpenStoreAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            return await services.GetRequiredService<LeadRouterDatabase>().MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or ArgumentException || e.InnerException is DbException or SocketException)
        {
            throw new ConfigurationException(
                $"LeadRouter:Database: the store cannot be opened with the configured Provider and ConnectionString: {FirstLine((e.InnerException ?? e).Message)}", e);
        }
    }

    /// <summary>Starts the host; a message broker that cannot be reached is a configuration error naming the setting.</summary>
    public static async Task StartAsync(IHost host, CancellationToken cancellationToken)
    {
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e.GetType().Namespace?.StartsWith("MassTransit", StringComparison.Ordinal) == true
                                  || e.GetType().Namespace?.StartsWith("RabbitMQ", StringComparison.Ordinal) == true
                                  || e is TimeoutException)
        {
            throw new ConfigurationException($"{MessagingOptions.SectionPath}: the message bus did not start: {e.Message}", e);
        }
    }

    /// <summary>
    /// Known failures become one line on stderr and an exit code; nothing secret is in these messages.
    /// Anything else is exit 1 with one line naming the file that holds the details.
    /// </summary>
    public static async Task<int> GuardAsync(Func<Task<int>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (RulesValidationException e)
        {
            await Console.Error.WriteLineAsync("leadrouter: " + FirstLine(e.Message)).ConfigureAwait(false);
            foreach (var error in e.Errors)
                await Console.Error.WriteLineAsync("  " + error).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is ConfigurationException or SalesforceOptionsException or StoreSchemaException or ArgumentException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync("leadrouter: " + e.Message).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is SalesforceApiException or SalesforceAuthException or SalesforceApiBudgetException or SalesforceBulkJobException)
        {
            await Console.Error.WriteLineAsync("leadrouter: Salesforce: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Salesforce;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync("leadrouter: Salesforce cannot be reached: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Salesforce;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var details = Path.Combine(Path.GetTempPath(), "leadrouter", string.Create(CultureInfo.InvariantCulture,
                $"error-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log"));
            Directory.CreateDirectory(Path.GetDirectoryName(details)!);
            await File.WriteAllTextAsync(details, e.ToString()).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"leadrouter: unexpected error: {FirstLine(e.Message)} (details in {details})").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Progress on one line, only when a person is watching the terminal.</summary>
    public static IProgress<string>? Progress(ParseResult parse) =>
        parse.GetValue(LeadRouterCli.Json) || Console.IsErrorRedirected
            ? null
            : new SynchronousProgress(text => Console.Error.Write($"\r\u001b[2K{text}"));

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}

using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadRouter.Rules;
using LeadRouter.Salesforce;
using LeadRouter.Storage;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
    public static Task<int> WithHostAsync(ParseResult parse, HostRole role, Func<IServiceProvider, CancellationToken, Task<int>> work, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            using var host = LeadRouterServices.Build(role, Overrides(parse));
            await host.Services.GetRequiredService<LeadRouterDatabase>().MigrateAsync(cancellationToken).ConfigureAwait(false);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await work(host.Services, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        });

    /// <summary>Known failures become one line on stderr and an exit code; nothing secret is in these messages.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (RulesValidationException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            foreach (var error in e.Errors)
                await Console.Error.WriteLineAsync("  " + error).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is ConfigurationException or SalesforceOptionsException or StoreSchemaException or ArgumentException)
        {
            await Console.Error.WriteLineAsync("leadrouter: " + e.Message).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is SalesforceApiException or SalesforceAuthException or SalesforceApiBudgetException)
        {
            await Console.Error.WriteLineAsync("leadrouter: Salesforce: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Salesforce;
        }
    }

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

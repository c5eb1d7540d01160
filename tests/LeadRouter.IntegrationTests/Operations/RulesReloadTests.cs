using LeadRouter.Demo;
using LeadRouter.IntegrationTests.Messaging;
using LeadRouter.IntegrationTests.Worker;
using LeadRouter.Rules;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LeadRouter.IntegrationTests.Operations;

/// <summary>The org's time zone lives in the rules file only, and `run` reloads that file when it changes.</summary>
[NonParallelizable]
public class RulesReloadTests
{
    private static readonly string Example = File.ReadAllText(EmbeddedSettings.ExampleRulesFile);

    [Test]
    public async Task RunReloadsAChangedRulesFileAndKeepsTheLastGoodRulesOnABadEdit()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, HealthEndpointTests.Quiet);
        var rulesFile = Path.Combine(rig.Folder, "routing-rules.jsonc");
        await File.WriteAllTextAsync(rulesFile, Example);
        rig.Settings["LeadRouter:RulesFile"] = rulesFile;
        rig.Settings["LeadRouter:RulesReloadInterval"] = "00:00:00.100";
        rig.Settings["LeadRouter:Health:Urls"] = "";
        var logs = new CapturedLogs();
        using var host = LeadRouterServices.Build(HostRole.Service, rig.Settings, services => services.AddSingleton<ILoggerProvider>(logs));
        await host.StartAsync();
        RoutingRules InForce() => host.Services.GetRequiredService<RoutingRules>();
        Assert.That(InForce().Version, Is.EqualTo("example-1"));

        await File.WriteAllTextAsync(rulesFile, Example.Replace("\"example-1\"", "\"example-2\"", StringComparison.Ordinal));
        await Until(() => InForce().Version == "example-2", "the edited rules to be in force");

        var badEdit = Example.Replace("\"minTrust\": 65", "\"minTrust\": \"high\"", StringComparison.Ordinal);
        Assert.That(badEdit, Is.Not.EqualTo(Example), "the example's tier A minTrust is the value this edit breaks");
        await File.WriteAllTextAsync(rulesFile, badEdit);
        await Until(() => logs.Text.Contains("is not valid", StringComparison.Ordinal), "the bad edit to be reported");
        Assert.That(InForce().Version, Is.EqualTo("example-2"), "a bad edit keeps the last good rules");
        Assert.That(logs.Text, Does.Contain("minTrust"), "the log names what is wrong");

        await File.WriteAllTextAsync(rulesFile, Example
            .Replace("\"example-1\"", "\"example-3\"", StringComparison.Ordinal)
            .Replace("\"timeZone\": \"UTC\"", "\"timeZone\": \"Europe/Berlin\"", StringComparison.Ordinal));
        await Until(() => logs.Text.Contains("moves trust.timeZone", StringComparison.Ordinal), "the zone change to be refused");
        Assert.That(InForce().Version, Is.EqualTo("example-2"), "the schedule's zone cannot move under a running worker");
        await host.StopAsync();
    }

    [Test]
    public void AScheduleTimeZoneThatDisagreesWithTheRulesFileIsRefusedNamingBoth()
    {
        var folder = Directory.CreateTempSubdirectory("leadrouter-zone-").FullName;
        try
        {
            var settings = EmbeddedSettings.For(new Uri("http://127.0.0.1:9/"), folder);
            settings["LeadRouter:Schedule:TimeZone"] = "Europe/Berlin";

            var refused = Assert.Throws<ConfigurationException>(() => LeadRouterServices.Build(HostRole.Service, settings).Dispose());

            Assert.That(refused!.Message, Does.Contain("LeadRouter:Schedule:TimeZone is 'Europe/Berlin'").And.Contain("trust.timeZone 'UTC'"));
            settings["LeadRouter:Schedule:TimeZone"] = "utc";
            using var agreeing = LeadRouterServices.Build(HostRole.Service, settings);
            Assert.That(agreeing.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ScheduleOptions>>().Value.TimeZone, Is.EqualTo("UTC"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void TheSettingsFilesAreReadOnceWithNoWatchOnTheWorkingDirectory()
    {
        var folder = Directory.CreateTempSubdirectory("leadrouter-settings-").FullName;
        try
        {
            using var host = LeadRouterServices.Build(HostRole.Service, EmbeddedSettings.For(new Uri("http://127.0.0.1:9/"), folder));

            var files = ((IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>()).Providers.OfType<FileConfigurationProvider>().ToList();
            Assert.That(files.Select(f => f.Source.Path), Does.Contain("appsettings.json"), "appsettings.json is still read");
            Assert.That(files.Where(f => f.Source.ReloadOnChange).Select(f => f.Source.Path), Is.Empty);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
                Assert.Fail($"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LeadRouter.IntegrationTests.Worker;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadRouter.IntegrationTests.Operations;

/// <summary>The service's health endpoints, served in-process on a free loopback port against the emulator.</summary>
[NonParallelizable]
public class HealthEndpointTests
{
    /// <summary>Schedule settings under which nothing fires during a test (and no missed cycle is caught up).</summary>
    internal static readonly Dictionary<string, string?> Quiet = new()
    {
        ["LeadRouter:Schedule:SyncCron"] = "0 0 0 1 1 ? 2099",
        ["LeadRouter:Schedule:WeeklyCycleCron"] = "0 0 0 1 1 ? 2099",
    };

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Test]
    public async Task ReadyNamesTheUnmigratedStoreThenTurnsReadyOnceMigrated()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, Quiet);
        var health = HealthUrl(rig);
        using var host = await ServiceAsync(rig, migrate: false);

        var live = await Http.GetAsync(health + "health/live");
        var (unready, down) = await ReadyAsync(health);

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(unready, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(down, Is.EqualTo(new[] { "database" }), "only the store is down: it has not been migrated");

        await host.Services.GetRequiredService<LeadRouterDatabase>().MigrateAsync();
        var (ready, nowDown) = await ReadyAsync(health);

        Assert.That(ready, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(nowDown, Is.Empty);
        await host.StopAsync();
    }

    [Test]
    public async Task ReadyChecksTheBusTheStoreAndSalesforceAndNamesSalesforceWhenItRefusesTheSignIn()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, Quiet);
        rig.Settings["LeadRouter:Salesforce:Password"] = "not-the-password";
        var health = HealthUrl(rig);
        using var host = await ServiceAsync(rig);

        var (status, down) = await ReadyAsync(health);
        var body = await Http.GetStringAsync(health + "health/live");

        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(down, Is.EqualTo(new[] { "salesforce" }));
        Assert.That(body, Does.Contain("Healthy"));
        await host.StopAsync();
    }

    [Test]
    public async Task OnlyTheTwoPathsAnswer()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, Quiet);
        var health = HealthUrl(rig);
        using var host = await ServiceAsync(rig);

        var (status, _) = await ReadyAsync(health);
        var other = await Http.GetAsync(health + "health");
        var post = await Http.PostAsync(health + "health/ready", null);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        await host.StopAsync();
    }

    /// <summary>Points the rig's health listener at a free loopback port and returns its base address.</summary>
    internal static string HealthUrl(WorkerRig rig)
    {
        var url = $"http://127.0.0.1:{FreePort()}/";
        rig.Settings["LeadRouter:Health:Urls"] = url;
        return url;
    }

    /// <summary>The `run` verb's host: the service with its health listener, started (its store migrated first unless told otherwise).</summary>
    internal static async Task<IHost> ServiceAsync(WorkerRig rig, bool migrate = true)
    {
        var host = LeadRouterServices.Build(HostRole.Service, rig.Settings, services => services.AddHealthListener());
        if (migrate)
            await host.Services.GetRequiredService<LeadRouterDatabase>().MigrateAsync();
        await host.StartAsync();
        return host;
    }

    internal static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>GET /health/ready: its status and the names of the checks it says are down.</summary>
    internal static async Task<(HttpStatusCode Status, string[] Down)> ReadyAsync(string health)
    {
        using var response = await Http.GetAsync(health + "health/ready");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks").EnumerateObject().Select(c => c.Name).ToList();
        Assert.That(checks, Is.SupersetOf(new[] { "database", "salesforce" }).And.Some.Contains("masstransit"), "the checks ready runs");
        return (response.StatusCode, body.RootElement.GetProperty("down").EnumerateArray().Select(d => d.GetString()!).ToArray());
    }
}

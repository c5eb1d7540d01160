using System.Text;
using System.Text.Json;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Faults;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Worker.Cli;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>What a whole `cycle` prints and leaves behind: the result alone on stdout, logs on stderr, no secret anywhere.</summary>
[NonParallelizable]
public class OutputAndSecretsTests
{
    private const string AsOf = "2026-11-23T07:00:00Z";

    [Test]
    public async Task JsonStaysJsonWhenWarningsAreLogged()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, new Dictionary<string, string?>
        {
            ["LeadRouter:Salesforce:RetryBaseDelay"] = "00:00:00.010",
            ["LeadRouter:Salesforce:RetryMaxDelay"] = "00:00:00.050",
        });
        rig.Emulator.Faults.Settings = new FaultSettings { UnavailableRate = 0.2, Seed = 2 };

        var run = await CliConsole.RunAsync([.. rig.SetOptions(), "cycle", "--json", "--as-of", AsOf]);

        Assert.That(run.Exit, Is.EqualTo(ExitCodes.Ok), run.Errors);
        Assert.That(run.Errors, Does.Contain("503 SERVER_UNAVAILABLE; retry"), "the retries were logged");
        using var document = JsonDocument.Parse(run.Output);
        Assert.That(document.RootElement.GetProperty("assignments").GetArrayLength(), Is.GreaterThan(0));
    }

    [Test]
    public async Task AWholeCycleLeavesNoSecretInLogsOutputDigestsMessagesOrTheStore()
    {
        string[] secrets = ["Pw-7Qz!secret-9931", "Cs-K2m#secret-4470", "St-Vb8secret-1206"];
        var emulator = new EmulatorOptions { Password = secrets[0] + secrets[2], ClientSecret = secrets[1] };
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small, new Dictionary<string, string?>
        {
            ["LeadRouter:Salesforce:Password"] = secrets[0],
            ["LeadRouter:Salesforce:SecurityToken"] = secrets[2],
            ["LeadRouter:Salesforce:ClientSecret"] = secrets[1],
            ["Logging:LogLevel:Default"] = "Trace",
        }, emulator);

        var run = await CliConsole.RunAsync([.. rig.SetOptions(), "cycle", "--json", "--as-of", AsOf]);
        var approve = await CliConsole.RunAsync([.. rig.SetOptions(), "approve", "--all"]);

        Assert.That(run.Exit, Is.EqualTo(ExitCodes.Ok), run.Errors);
        Assert.That(approve.Exit, Is.EqualTo(ExitCodes.Ok), approve.Errors);
        Assert.That(run.Errors, Does.Contain("dbug:").Or.Contain("trce:"), "the log was at its most detailed");
        var everything = new StringBuilder()
            .Append(run.Output).Append(run.Errors).Append(approve.Output).Append(approve.Errors);
        // The store (with its outbox: every message published) and the digests, byte for byte.
        foreach (var file in Directory.EnumerateFiles(rig.Folder, "*", SearchOption.AllDirectories))
            everything.Append(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)));
        Assert.That(Directory.EnumerateFiles(rig.Folder, "*.html", SearchOption.AllDirectories), Is.Not.Empty, "digests were written");
        foreach (var secret in secrets)
            Assert.That(everything.ToString(), Does.Not.Contain(secret));
    }
}

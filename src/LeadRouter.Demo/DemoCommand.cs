using System.CommandLine;
using LeadRouter.Cycle;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Cli;
using LeadRouter.Worker.Hosting;
using LeadRouter.Worker.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace LeadRouter.Demo;

/// <summary>
/// `leadrouter-demo` (`dotnet run --project src/LeadRouter.Demo`): a whole weekly cycle on embedded defaults, with nothing installed but the .NET
/// SDK. Starts the Salesforce emulator in-process on a loopback port with a generated org (or an org
/// file), syncs it into a fresh SQLite store, scores, routes, publishes over the in-memory bus, lets
/// the routing consumer write the AutoAssign tiers back into the emulator, writes each manager's digest
/// and prints a summary (or, with --json, the whole result).
/// </summary>
internal static class DemoCommand
{
    public static RootCommand Create()
    {
        var org = new Option<FileInfo?>("--org") { Description = "An org file to load instead of generating one." };
        var rules = new Option<FileInfo?>("--rules") { Description = "A routing rules file instead of the shipped example." };
        var size = new Option<OrgSize>("--size") { Description = "Size of the generated org.", DefaultValueFactory = _ => OrgSize.Medium };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated org.", DefaultValueFactory = _ => 42 };
        var folder = new Option<DirectoryInfo>("--out")
        {
            Description = "Where the demo keeps its store and digests (the previous demo's are replaced).",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".leadrouter", "demo")),
        };
        var command = new RootCommand("LeadRouter demo: a whole weekly cycle against a local Salesforce emulator, on embedded defaults.")
        {
            org, rules, size, seed, folder, LeadRouterCli.AsOf, LeadRouterCli.Set, LeadRouterCli.Json, LeadRouterCli.Verbose,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async () =>
        {
            var asOf = parse.GetValue(LeadRouterCli.AsOf) ?? TimeProvider.System.GetUtcNow();
            var progress = CliRun.Progress(parse);
            progress?.Report("Preparing the org");
            var store = parse.GetValue(org) is { } orgFile
                ? LoadOrg(orgFile)
                : OrgStore.Create(OrgGenerator.Generate(parse.GetValue(size), parse.GetValue(seed), asOf).Records);
            await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions(), store, cancellationToken: ct).ConfigureAwait(false);

            var work = parse.GetValue(folder)!;
            StartAfresh(work);
            var settings = EmbeddedSettings.For(emulator.BaseAddress, work.FullName, parse.GetValue(rules)?.FullName);
            foreach (var (key, value) in CliRun.Overrides(parse))
                settings[key] = value;

            using var host = LeadRouterServices.Build(HostRole.Messaging, settings);
            await host.Services.GetRequiredService<LeadRouterDatabase>().MigrateAsync(ct).ConfigureAwait(false);
            await host.StartAsync(ct).ConfigureAwait(false);
            try
            {
                var result = await host.Services.GetRequiredService<WeeklyCycle>().RunAsync(asOf, new CycleRun(), progress, ct).ConfigureAwait(false);
                progress?.Report("Publishing and assigning");
                var settlement = await CycleSettlement.SettleRunAsync(host.Services, result.RunId, ct).ConfigureAwait(false);
                progress?.Report("");
                return Verbs.Report(parse, result, settlement);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }));
        return command;
    }

    /// <summary>Removes the previous demo's store and digests, and nothing else the folder may hold.</summary>
    private static void StartAfresh(DirectoryInfo folder)
    {
        folder.Create();
        foreach (var file in folder.EnumerateFiles("leadrouter.db*"))
            file.Delete();
        var digests = new DirectoryInfo(Path.Combine(folder.FullName, "digests"));
        if (digests.Exists)
            digests.Delete(recursive: true);
    }

    /// <summary>Loads an org file; anything wrong in it is bad input (exit 2), named by the loader's one line.</summary>
    private static OrgStore LoadOrg(FileInfo file)
    {
        if (!file.Exists)
            throw new ConfigurationException($"--org: the org file '{file.FullName}' does not exist.");
        try
        {
            using var stream = file.OpenRead();
            return OrgStore.Load(stream);
        }
        catch (OrgDataException e)
        {
            throw new ConfigurationException($"--org {file.Name}: {e.Message}", e);
        }
    }
}

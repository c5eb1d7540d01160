using LeadRouter.Cycle;
using LeadRouter.Demo;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// A worker wired to an in-process Salesforce emulator holding a generated org, with its own SQLite
/// store (or the settings a test passes), on the transport the test chooses.
/// </summary>
internal sealed class WorkerRig : IAsyncDisposable
{
    public static readonly DateTimeOffset AsOf = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);

    private WorkerRig(EmulatorHost emulator, string folder, Dictionary<string, string?> settings)
    {
        Emulator = emulator;
        Folder = folder;
        Settings = settings;
    }

    public EmulatorHost Emulator { get; }
    public string Folder { get; }
    public Dictionary<string, string?> Settings { get; }

    public static Task<WorkerRig> StartAsync(
        OrgSize size, IReadOnlyDictionary<string, string?>? settings = null, EmulatorOptions? emulatorOptions = null) =>
        StartAsync(OrgStore.Create(OrgGenerator.Generate(size, seed: 11, AsOf).Records), settings, emulatorOptions);

    /// <summary>A worker on the given org (an org file loaded by the test, say).</summary>
    public static async Task<WorkerRig> StartAsync(
        OrgStore store, IReadOnlyDictionary<string, string?>? settings = null, EmulatorOptions? emulatorOptions = null)
    {
        var emulator = await EmulatorHost.StartAsync(emulatorOptions ?? new EmulatorOptions(), store);
        var folder = Directory.CreateTempSubdirectory("leadrouter-worker-").FullName;
        var all = EmbeddedSettings.For(emulator.BaseAddress, folder);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        return new WorkerRig(emulator, folder, all);
    }

    /// <summary>A host on these settings, its store migrated and (unless told otherwise) started.</summary>
    public async Task<IHost> HostAsync(HostRole role, bool start = true, Action<IServiceCollection>? extra = null)
    {
        var host = LeadRouterServices.Build(role, Settings, extra);
        await host.Services.GetRequiredService<LeadRouterDatabase>().MigrateAsync();
        if (start)
            await host.StartAsync();
        return host;
    }

    /// <summary>The rig's settings as --set options for the command line.</summary>
    public IEnumerable<string> SetOptions() => Settings.SelectMany(s => new[] { "--set", $"{s.Key}={s.Value}" });

    public static Task<CycleResult> CycleAsync(IHost host) =>
        host.Services.GetRequiredService<WeeklyCycle>().RunAsync(AsOf, new CycleRun());

    /// <summary>Owner writes the emulator accepted, by lead id.</summary>
    public ILookup<string, RecordedWrite> OwnerWrites() =>
        Emulator.Writes.Where(w => w.ObjectName == "Lead" && w.Fields.ContainsKey("OwnerId")).ToLookup(w => w.Id);

    /// <summary>
    /// A drill's tally over its AutoAssign recommendations (as the store ends with them): lost (not assigned,
    /// or Salesforce does not show the rep as owner), duplicated (owner written more than once) and
    /// overwritten (an owner written on a lead that was not to be assigned).
    /// </summary>
    public (int Lost, int Duplicated, int Overwritten) Tally(IReadOnlyCollection<RecommendationOutcome> autoAssign)
    {
        var writes = OwnerWrites();
        var leads = autoAssign.Select(r => r.LeadId).ToHashSet(StringComparer.Ordinal);
        return (
            autoAssign.Count(r => r.Status != RecommendationStatus.Assigned || !Equals(Emulator.Store.Get("Lead", r.LeadId)?["OwnerId"], r.RepId)),
            writes.Count(w => w.Count() > 1),
            writes.Count(w => !leads.Contains(w.Key)));
    }

    public async ValueTask DisposeAsync()
    {
        await Emulator.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}

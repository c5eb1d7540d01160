using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// An org file whose text holds emoji, right-to-left script, quotes and backslashes (what would break a
/// SOQL string literal built by hand) is read, synced, stored and routed with every character intact.
/// </summary>
[NonParallelizable]
public class OrgTextTests
{
    private const string RepName = "سارة الحربي 😀 O'Neil";
    private const string Company = "O'Brien \\ \"Söhne\" ' OR Name != '' 🚀 شركة";

    [Test]
    public async Task EmojiRightToLeftTextQuotesAndBackslashesSurviveTheOrgFileTheSyncAndRouting()
    {
        var records = OrgGenerator.Generate(OrgSize.Small, seed: 11, WorkerRig.AsOf).Records
            .ToDictionary(r => r.Key, r => r.Value.ToList());
        // A seller: the owner of an opportunity.
        var rep = records["User"].First(u => Equals(u["Id"], records["Opportunity"][0]["OwnerId"]));
        var lead = records["Lead"].First(l => ((string)l["OwnerId"]!).StartsWith("00G", StringComparison.Ordinal) && l["IsConverted"] is false);
        Replace(records["User"], rep, "Name", RepName);
        Replace(records["Lead"], lead, "Company", Company);
        // Through the org file, as `demo --org` and the emulator's --org read it.
        using var file = new MemoryStream();
        OrgStore.Create(records.ToDictionary(r => r.Key, r => (IReadOnlyList<IReadOnlyDictionary<string, object?>>)r.Value)).Save(file);
        file.Position = 0;
        await using var rig = await WorkerRig.StartAsync(OrgStore.Load(file));

        using var engine = await rig.HostAsync(HostRole.Engine, start: false);
        var result = await WorkerRig.CycleAsync(engine);

        var (users, _, leads) = await new RecordStore(engine.Services.GetRequiredService<LeadRouterDatabase>()).LoadPeopleAndLeadsAsync();
        Assert.That(users.Single(u => u.Id == (string)rep["Id"]!).Name, Is.EqualTo(RepName));
        Assert.That(leads.Single(l => l.Id == (string)lead["Id"]!).Company, Is.EqualTo(Company));
        Assert.That(result.Routing.Decisions.Select(d => d.LeadId).Concat(result.Routing.Unroutable.Select(u => u.LeadId)),
            Does.Contain((string)lead["Id"]!), "the lead was routed like any other");
        Assert.That(result.Trust.Reps.Single(r => r.RepId == (string)rep["Id"]!).Name, Is.EqualTo(RepName));
    }

    private static void Replace(List<IReadOnlyDictionary<string, object?>> list, IReadOnlyDictionary<string, object?> record, string field, string value) =>
        list[list.IndexOf(record)] = new Dictionary<string, object?>(record) { [field] = value };
}

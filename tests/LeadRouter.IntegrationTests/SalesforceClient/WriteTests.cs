using LeadRouter.IntegrationTests.Emulator;
using LeadRouter.Salesforce;
using LeadRouter.SalesforceEmulator.Faults;

namespace LeadRouter.IntegrationTests.SalesforceClient;

/// <summary>UpdateRecordsAsync (sObject Collections) and single writes against the emulator's store.</summary>
public sealed class WriteTests
{
    private const string Working = "Working - Contacted";
    private const string Untouched = "Open - Not Contacted";

    [Test]
    public async Task A_collection_update_of_450_records_returns_per_record_results_and_applies_only_the_good_ones()
    {
        // Leads 1-5 are deleted, leads 10 and 20 get a value their field cannot hold, and the emulator
        // rejects a seeded tenth of the rest with a validation rule.
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(450, deleted: 5));
        harness.Host.Faults.Settings = new FaultSettings { CollectionFailureRate = 0.1, Seed = 3 };
        var badValue = new[] { TestOrg.LeadId(10), TestOrg.LeadId(20) };
        var updates = Enumerable.Range(1, 450).Select(n => new SObjectUpdate(TestOrg.LeadId(n), new Dictionary<string, object?>
        {
            ["Status"] = Working,
            ["NumberOfEmployees"] = badValue.Contains(TestOrg.LeadId(n)) ? "a few hundred" : n,
        })).ToList();

        var results = await harness.Client.UpdateRecordsAsync("Lead", updates);

        var failed = results.Values.Where(r => !r.Success).ToList();
        var succeeded = results.Values.Where(r => r.Success).Select(r => r.Id).ToList();
        var codes = failed.SelectMany(r => r.Errors).Select(e => e.StatusCode).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(results.Keys, Is.EquivalentTo(updates.Select(u => u.Id)), "one result per record, keyed by its id");
            Assert.That(harness.Exchanges.Count(e => e.Method == "PATCH" && e.Path.EndsWith("/composite/sobjects", StringComparison.Ordinal)), Is.EqualTo(3),
                "200 + 200 + 50 records");
            Assert.That(failed.Select(r => r.Errors.Count), Is.All.GreaterThan(0), "every failure says why");
            Assert.That(Enumerable.Range(1, 5).Select(n => results[TestOrg.LeadId(n)].Errors[0].StatusCode), Is.All.EqualTo("ENTITY_IS_DELETED"));
            Assert.That(badValue.Select(id => results[id].Success), Is.All.False);
            Assert.That(badValue.Select(id => results[id].Errors[0].StatusCode), Is.All.EqualTo("INVALID_TYPE_ON_FIELD_IN_RECORD"));
            Assert.That(badValue.Select(id => results[id].Errors[0].Fields), Is.All.EqualTo(new[] { "NumberOfEmployees" }));
            Assert.That(codes, Has.Some.EqualTo("FIELD_CUSTOM_VALIDATION_EXCEPTION"));
            Assert.That(succeeded, Has.Count.InRange(350, 440), "the seeded tenth failed, not all and not none");
            Assert.That(succeeded.Select(id => harness.Host.Store.Get("Lead", id)!["Status"]), Is.All.EqualTo(Working));
            Assert.That(failed.Select(r => harness.Host.Store.GetIncludingDeleted("Lead", r.Id)!["Status"]), Is.All.EqualTo(Untouched), "a failed record saved nothing");
            Assert.That(harness.Host.Writes.Select(w => w.Id), Is.EquivalentTo(succeeded), "the emulator accepted exactly the good ones");
            Assert.That(harness.Host.Writes.Select(w => w.AutoAssign), Is.All.EqualTo("FALSE"));
        });
    }

    [Test]
    public async Task Records_locked_by_another_transaction_are_sent_again_until_saved()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(300), configure: o => o with { MaxRetries = 10 });
        harness.Host.Faults.Settings = new FaultSettings { LockRowRate = 0.25, Seed = 11 };
        var updates = Enumerable.Range(1, 300)
            .Select(n => new SObjectUpdate(TestOrg.LeadId(n), new Dictionary<string, object?> { ["Status"] = Working })).ToList();

        var results = await harness.Client.UpdateRecordsAsync("Lead", updates);

        Assert.Multiple(() =>
        {
            Assert.That(results.Values.Select(r => r.Success), Is.All.True);
            Assert.That(updates.Select(u => harness.Host.Store.Get("Lead", u.Id)!["Status"]), Is.All.EqualTo(Working));
            Assert.That(harness.Exchanges.Count(e => e.Path.EndsWith("/composite/sobjects", StringComparison.Ordinal)), Is.GreaterThan(2),
                "the locked records went again in further calls");
            Assert.That(harness.Log.Lines, Has.Some.Contains("locked by another transaction"));
            Assert.That(harness.Host.Writes.Select(w => w.Id), Is.EquivalentTo(updates.Select(u => u.Id)), "each record saved once");
        });
    }

    [Test]
    public async Task A_single_update_refused_with_UNABLE_TO_LOCK_ROW_is_retried()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(20), configure: o => o with { MaxRetries = 10 });
        harness.Host.Faults.Settings = new FaultSettings { LockRowRate = 0.3, Seed = 5 };

        for (var n = 1; n <= 20; n++)
            await harness.Client.UpdateRecordAsync("Lead", TestOrg.LeadId(n), new Dictionary<string, object?> { ["Status"] = Working });

        Assert.Multiple(() =>
        {
            Assert.That(Enumerable.Range(1, 20).Select(n => harness.Host.Store.Get("Lead", TestOrg.LeadId(n))!["Status"]), Is.All.EqualTo(Working));
            Assert.That(harness.Exchanges.Count(e => e.Status == System.Net.HttpStatusCode.BadRequest), Is.GreaterThan(0), "some writes met a locked row");
            Assert.That(harness.Log.Lines, Has.Some.Contains("UNABLE_TO_LOCK_ROW"));
            Assert.That(harness.Host.Writes.Select(w => w.AutoAssign), Is.All.EqualTo("FALSE"));
            Assert.That(harness.Host.Writes, Has.Count.EqualTo(20));
        });
    }

    [Test]
    public async Task Creates_send_Sforce_Auto_Assign_FALSE_too()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(0));

        var id = await harness.Client.CreateRecordAsync("Lead", new Dictionary<string, object?> { ["LastName"] = "Nguyen", ["Company"] = "Acme" });

        Assert.Multiple(() =>
        {
            Assert.That(id, Has.Length.EqualTo(18).And.StartWith("00Q"));
            Assert.That(harness.Host.Store.Get("Lead", id)!["Company"], Is.EqualTo("Acme"));
            Assert.That(harness.Host.Writes.Single().AutoAssign, Is.EqualTo("FALSE"));
        });
    }
}

using System.Net;
using LeadRouter.IntegrationTests.Emulator;
using LeadRouter.Salesforce;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Faults;

namespace LeadRouter.IntegrationTests.SalesforceClient;

/// <summary>The org's API limit and injected outages, as the client meets them.</summary>
public sealed class LimitsAndFaultsTests
{
    private static readonly SoqlQuery AllLeads = Soql.Select("Id", "Company", "Status", "IsDeleted").From("Lead").Build();

    [Test]
    public async Task An_exhausted_daily_limit_throws_REQUEST_LIMIT_EXCEEDED_at_once()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(10), new EmulatorOptions { DailyApiLimit = 50 });
        harness.Host.ApiUsage.SetUsed(50);

        var refused = Assert.ThrowsAsync<SalesforceRequestLimitExceededException>(() => QueryTests.ToListAsync(harness.Client.QueryAsync<LeadRow>(AllLeads)));

        var dataCalls = harness.Exchanges.Where(e => e.Path.StartsWith("/services/data/", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(refused!.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(refused.HasErrorCode(SalesforceErrorCodes.RequestLimitExceeded), Is.True);
            Assert.That(refused.Message, Does.Contain("REQUEST_LIMIT_EXCEEDED").And.Contain("not retried"));
            Assert.That(dataCalls, Has.Count.EqualTo(1), "no retry");
        });
    }

    [Test]
    public async Task A_limit_reached_mid_pull_stops_the_pull_after_the_pages_already_read()
    {
        await using var harness = await ClientHarness.StartAsync(
            TestOrg.WithLeads(5_100), new EmulatorOptions { DailyApiLimit = 5 }, o => o with { QueryBatchSize = 200 });

        var read = 0;
        var refused = Assert.ThrowsAsync<SalesforceRequestLimitExceededException>(async () =>
        {
            await foreach (var _ in harness.Client.QueryAsync<LeadRow>(AllLeads))
                read++;
        });

        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.Not.Null);
            Assert.That(read, Is.EqualTo(1_000), "five pages of 200 fitted the limit");
            Assert.That(harness.Exchanges.Count(e => e.Status == HttpStatusCode.Forbidden), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task EnsureApiBudget_refuses_a_pull_beyond_the_configured_share_naming_the_numbers()
    {
        await using var harness = await ClientHarness.StartAsync(
            TestOrg.WithLeads(1), new EmulatorOptions { DailyApiLimit = 1_000 }, o => o with { ApiBudgetShare = 0.5 });
        harness.Host.ApiUsage.SetUsed(400);

        var refused = Assert.ThrowsAsync<SalesforceApiBudgetException>(() => harness.Client.EnsureApiBudgetAsync(estimatedCalls: 150));
        var fits = await harness.Client.EnsureApiBudgetAsync(estimatedCalls: 50);

        var check = refused!.Check;
        Assert.Multiple(() =>
        {
            Assert.That(check.Max, Is.EqualTo(1_000));
            Assert.That(check.Used, Is.InRange(400, 401), "the limits call itself may be counted");
            Assert.That(check.Allowed, Is.EqualTo(500));
            Assert.That(check.Fits, Is.False);
            Assert.That(refused.Message, Does.Contain("150").And.Contain($"used {check.Used} of its 1000").And.Contain("0.5").And.Contain("allows 500"));
            Assert.That(fits.Fits, Is.True);
            Assert.That(harness.Exchanges.Where(e => e.Path.StartsWith("/services/data/", StringComparison.Ordinal)).Select(e => e.Path),
                Is.All.EndsWith("/limits"), "a refused pull reads the limits and nothing else");
        });
    }

    [Test]
    public async Task Injected_503s_are_survived_by_the_retries_and_the_pull_is_complete()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(5_100), configure: o => o with { QueryBatchSize = 200, MaxRetries = 10 });
        harness.Host.Faults.Settings = new FaultSettings { UnavailableRate = 0.3, Seed = 4 };

        var ids = await QueryTests.ToListAsync(harness.Client.QueryAsync<LeadRow>(AllLeads));

        var unavailable = harness.Exchanges.Count(e => e.Status == HttpStatusCode.ServiceUnavailable);
        Assert.Multiple(() =>
        {
            Assert.That(ids.Select(l => l.Id), Is.Unique);
            Assert.That(ids, Has.Count.EqualTo(5_100));
            Assert.That(unavailable, Is.GreaterThan(0), "the seeded faults hit some pages");
            Assert.That(harness.Client.CallsMade, Is.EqualTo(26 + unavailable), "each 503 cost exactly one more call");
            Assert.That(harness.Host.ApiUsage.Used, Is.EqualTo(26), "the emulator does not count its injected 503s");
            Assert.That(harness.Log.Lines.Count(l => l.Contains("answered 503", StringComparison.Ordinal)), Is.EqualTo(unavailable));
        });
    }
}

using System.Net;
using LeadRouter.Salesforce;

namespace LeadRouter.Tests.Salesforce;

public class ApiBudgetTests
{
    [TestCase("api-usage=18/15000", 18, 15000)]
    [TestCase("api-usage=0/5000000", 0, 5000000)]
    [TestCase("per-app-api-usage=17/250(appName=sample-app), api-usage=25/15000", 25, 15000)]
    [TestCase(" API-USAGE=7/100 ", 7, 100)]
    public void Limit_info_header_is_parsed(string header, long used, long max)
    {
        Assert.That(ApiUsage.TryParse(header, out var usage), Is.True);
        Assert.That(usage, Is.EqualTo(new ApiUsage(used, max)));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("per-app-api-usage=17/250(appName=x)")]
    [TestCase("api-usage=18")]
    [TestCase("api-usage=-1/15000")]
    [TestCase("api-usage=a/b")]
    public void A_header_without_api_usage_is_not_parsed(string? header)
    {
        Assert.That(ApiUsage.TryParse(header, out _), Is.False);
    }

    [Test]
    public void A_pull_within_the_share_fits()
    {
        var check = ApiBudgetCheck.For(new OrgLimit("DailyApiRequests", 15000, 14000), estimatedCalls: 6000, share: 0.5);

        Assert.Multiple(() =>
        {
            Assert.That(check.Fits, Is.True);
            Assert.That(check.Allowed, Is.EqualTo(7500));
            Assert.That(check.Available, Is.EqualTo(6500));
        });
    }

    [Test]
    public void A_pull_past_the_share_does_not_fit_and_the_explanation_names_the_numbers()
    {
        var check = ApiBudgetCheck.For(new OrgLimit("DailyApiRequests", 15000, 13800), estimatedCalls: 6400, share: 0.5);

        Assert.Multiple(() =>
        {
            Assert.That(check.Fits, Is.False);
            Assert.That(check.Explain(), Is.EqualTo(
                "Refusing to start the pull: it needs about 6400 API calls; the org has used 1200 of its 15000 daily calls, " +
                "and the configured share 0.5 allows 7500 in all (6300 left)."));
        });
    }

    [Test]
    public async Task The_client_reads_the_limits_and_refuses_a_pull_that_would_pass_the_share()
    {
        const string limits = """{"DailyApiRequests":{"Max":15000,"Remaining":9000,"LeadRouter":{"Max":0,"Remaining":0}},"DailyBulkApiBatches":{"Max":15000,"Remaining":15000}}""";
        var handler = new ScriptedHandler().Token().Reply(HttpStatusCode.OK, limits).Reply(HttpStatusCode.OK, limits);
        var client = Fakes.Client(handler, Fakes.PasswordOptions() with { ApiBudgetShare = 0.6 }, []);

        var fits = await client.EnsureApiBudgetAsync(2999);
        var refused = Assert.ThrowsAsync<SalesforceApiBudgetException>(() => client.EnsureApiBudgetAsync(3001))!;

        Assert.Multiple(() =>
        {
            Assert.That(handler.ApiRequests.First().PathAndQuery, Is.EqualTo("/services/data/v62.0/limits"));
            Assert.That(fits.Fits, Is.True);
            Assert.That(refused.Check.Used, Is.EqualTo(6000));
            Assert.That(refused.Message, Does.Contain("3001").And.Contain("6000 of its 15000").And.Contain("0.6 allows 9000"));
        });
    }

    [Test]
    public void Limits_without_daily_api_requests_are_an_error_naming_it()
    {
        var limits = new OrgLimits(new Dictionary<string, OrgLimit>());

        Assert.That(() => limits.DailyApiRequests, Throws.InvalidOperationException.With.Message.Contains("DailyApiRequests"));
    }
}

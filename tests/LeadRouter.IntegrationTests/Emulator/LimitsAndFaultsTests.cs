using System.Diagnostics;
using System.Net.Http.Json;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Faults;

namespace LeadRouter.IntegrationTests.Emulator;

public sealed class LimitsAndFaultsTests
{
    [Test]
    public async Task Every_data_call_counts_against_the_daily_limit_until_request_limit_exceeded()
    {
        var lateEvening = new DateTimeOffset(2026, 11, 27, 23, 30, 0, TimeSpan.Zero);
        var clock = new ManualClock(lateEvening);
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1), new EmulatorOptions { DailyApiLimit = 3, Clock = clock });

        var replies = new List<Reply>();
        for (var i = 0; i < 4; i++)
            replies.Add(await emulator.QueryAsync("SELECT Id FROM Lead"));
        var versions = await emulator.GetAsync("/services/data");
        clock.Now = lateEvening.AddMinutes(40);
        var nextDay = await emulator.GetAsync("limits");

        Assert.Multiple(() =>
        {
            Assert.That(replies.Select(r => r.StatusCode), Is.EqualTo(new[] { 200, 200, 200, 403 }));
            Assert.That(replies.Select(r => r.Header("Sforce-Limit-Info")),
                Is.EqualTo(new[] { "api-usage=1/3", "api-usage=2/3", "api-usage=3/3", "api-usage=3/3" }));
            Assert.That(versions.StatusCode, Is.EqualTo(200), "the versions list needs no session and is not counted");
            Assert.That(versions.Header("Sforce-Limit-Info"), Is.Null);
            Assert.That(nextDay.StatusCode, Is.EqualTo(200), "a new UTC day starts a new count");
            Assert.That(nextDay.Body.GetProperty("DailyApiRequests").GetProperty("Max").GetInt64(), Is.EqualTo(3));
            Assert.That(nextDay.Body.GetProperty("DailyApiRequests").GetProperty("Remaining").GetInt64(), Is.EqualTo(2));
            Assert.That(emulator.Host.ApiUsage.Used, Is.EqualTo(1));
        });
        Samples.AssertSameBody(replies[3].Body, "error_request_limit_exceeded.json");
    }

    [Test]
    public async Task Session_expiry_fault_ends_the_session_after_n_calls()
    {
        var options = new EmulatorOptions { Faults = new FaultSettings { SessionExpiresAfterCalls = 2 } };
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1), options);

        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await emulator.GetAsync("limits")).StatusCode);
        var relogin = await emulator.TokenAsync(EmulatorClient.PasswordGrant(options));
        emulator.Http.DefaultRequestHeaders.Authorization = new("Bearer", relogin.Body.GetProperty("access_token").GetString());
        var afterRelogin = await emulator.GetAsync("limits");

        Assert.That(statuses, Is.EqualTo(new[] { 200, 200, 401, 401 }));
        Assert.That(afterRelogin.StatusCode, Is.EqualTo(200), "logging in again gives a fresh session");
    }

    [Test]
    public async Task Unavailable_fault_answers_503_at_a_seeded_rate()
    {
        async Task<List<int>> Run(int seed)
        {
            var options = new EmulatorOptions { Faults = new FaultSettings { UnavailableRate = 0.5, Seed = seed } };
            await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1), options);
            var statuses = new List<int>();
            for (var i = 0; i < 40; i++)
            {
                var reply = await emulator.GetAsync("limits");
                statuses.Add(reply.StatusCode);
                if (reply.StatusCode == 503)
                    Assert.That(reply.ErrorCode, Is.EqualTo("SERVER_UNAVAILABLE"));
            }
            Assert.That(emulator.Host.ApiUsage.Used, Is.EqualTo(statuses.Count(s => s == 200)), "503s are not counted");
            return statuses;
        }

        var first = await Run(seed: 7);
        var again = await Run(seed: 7);

        Assert.That(first, Is.EqualTo(again), "same seed, same faults");
        Assert.That(first.Count(s => s == 503), Is.InRange(10, 30));
        Assert.That(first.Distinct(), Is.EquivalentTo(new[] { 200, 503 }));
    }

    [Test]
    public async Task Lock_row_and_collection_failure_faults_fail_writes_without_saving_them()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(10));
        emulator.Host.Faults.Settings = new FaultSettings { LockRowRate = 1 };

        var locked = await emulator.SendJsonAsync(HttpMethod.Patch, $"sobjects/Lead/{TestOrg.LeadId(1)}", new { Status = "Working" });

        emulator.Host.Faults.Settings = new FaultSettings { CollectionFailureRate = 0.5, Seed = 3 };
        var collection = await emulator.SendJsonAsync(HttpMethod.Patch, "composite/sobjects", new
        {
            allOrNone = false,
            records = Enumerable.Range(1, 10)
                .Select(n => new Dictionary<string, object> { ["attributes"] = new { type = "Lead" }, ["id"] = TestOrg.LeadId(n), ["Status"] = "Working" })
                .ToArray(),
        });

        Assert.Multiple(() =>
        {
            Assert.That(locked.StatusCode, Is.EqualTo(400));
            Assert.That(locked.ErrorCode, Is.EqualTo("UNABLE_TO_LOCK_ROW"));
            var results = collection.Body.EnumerateArray().ToList();
            var failed = results.Where(r => !r.GetProperty("success").GetBoolean()).ToList();
            Assert.That(failed, Has.Count.InRange(1, 9), "a partial failure");
            Assert.That(failed.Select(r => r.GetProperty("errors")[0].GetProperty("statusCode").GetString()),
                Is.All.EqualTo("FIELD_CUSTOM_VALIDATION_EXCEPTION"));
            Assert.That(emulator.Host.Writes, Has.Count.EqualTo(10 - failed.Count));
        });
        var recorded = Samples.Read("error_unable_to_lock_row.json")[0];
        Assert.That(locked.Body[0].EnumerateObject().Select(p => p.Name), Is.EqualTo(recorded.EnumerateObject().Select(p => p.Name)));
        Assert.That(locked.Body[0].GetProperty("message").GetString(), Is.EqualTo($"unable to obtain exclusive access to this record or 1 records: {TestOrg.LeadId(1)}"));
    }

    [Test]
    public async Task Latency_fault_delays_data_calls_but_not_logins()
    {
        await using var emulator = await EmulatorClient.StartAsync(
            TestOrg.WithLeads(1), new EmulatorOptions { Faults = new FaultSettings { LatencyMs = 200 } });

        var watch = Stopwatch.StartNew();
        var reply = await emulator.GetAsync("limits");
        var delayed = watch.Elapsed;

        Assert.That(reply.StatusCode, Is.EqualTo(200));
        Assert.That(delayed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(190)), "the injected delay is a lower bound");
    }

    [Test]
    public async Task Admin_endpoint_switches_faults_at_run_time_and_rejects_bad_settings()
    {
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1));

        var set = await emulator.Http.PostAsJsonAsync("/_emulator/faults", new { unavailableRate = 1.0, seed = 5 });
        var during = await emulator.GetAsync("limits");
        var badRate = await emulator.Http.PostAsJsonAsync("/_emulator/faults", new { unavailableRate = 2.0 });
        var unknownSwitch = await emulator.Http.PostAsJsonAsync("/_emulator/faults", new { explode = true });
        var cleared = await emulator.Http.PostAsJsonAsync("/_emulator/faults", new { });
        var after = await emulator.GetAsync("limits");
        var badRateMessage = await badRate.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That((int)set.StatusCode, Is.EqualTo(200));
            Assert.That(during.StatusCode, Is.EqualTo(503));
            Assert.That((int)badRate.StatusCode, Is.EqualTo(400));
            Assert.That(badRateMessage, Does.Contain("unavailableRate"));
            Assert.That((int)unknownSwitch.StatusCode, Is.EqualTo(400));
            Assert.That((int)cleared.StatusCode, Is.EqualTo(200));
            Assert.That(after.StatusCode, Is.EqualTo(200));
            Assert.That(emulator.Host.Faults.Settings, Is.EqualTo(FaultSettings.None));
        });
    }
}

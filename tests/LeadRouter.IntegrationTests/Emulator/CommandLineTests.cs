using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Faults;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.SalesforceEmulator.Soql;

namespace LeadRouter.IntegrationTests.Emulator;

public sealed class CommandLineTests
{
    [Test]
    public void Defaults_listen_on_loopback_with_the_documented_credentials()
    {
        var commandLine = EmulatorCommandLine.Parse([])!;

        Assert.Multiple(() =>
        {
            Assert.That(commandLine.Options.Url, Is.EqualTo(new Uri("http://127.0.0.1:8484")));
            Assert.That(commandLine.Options.Username, Is.EqualTo("integration@leadrouter.test"));
            Assert.That(commandLine.Options.DailyApiLimit, Is.EqualTo(15_000));
            Assert.That(commandLine.Options.Faults, Is.EqualTo(FaultSettings.None));
            Assert.That(commandLine.OrgFile, Is.Null);
            Assert.That(commandLine.Generate, Is.Null);
        });
    }

    [Test]
    public void Every_option_is_read()
    {
        var commandLine = EmulatorCommandLine.Parse([
            "--urls", "http://127.0.0.1:9300", "--generate", "Medium", "--seed", "7", "--as-of", "2026-11-27T09:00:00Z",
            "--save", "out.json", "--username", "u@x.test", "--password", "p", "--client-id", "c", "--client-secret", "s",
            "--refresh-token", "r", "--session-timeout", "5", "--daily-limit", "99", "--time-zone", "America/New_York",
            "--session-expires-after", "3", "--unavailable-rate", "0.25", "--latency-ms", "40", "--lock-row-rate", "0.1",
            "--collection-failure-rate", "0.5", "--fault-seed", "11",
        ])!;

        var options = commandLine.Options;
        Assert.Multiple(() =>
        {
            Assert.That(options.Url.Port, Is.EqualTo(9300));
            Assert.That((commandLine.Generate, commandLine.Seed, commandLine.SaveFile), Is.EqualTo(((OrgSize?)OrgSize.Medium, 7, "out.json")));
            Assert.That(commandLine.AsOf, Is.EqualTo(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero)));
            Assert.That((options.Username, options.Password, options.ClientId, options.ClientSecret, options.RefreshToken),
                Is.EqualTo(("u@x.test", "p", "c", "s", "r")));
            Assert.That(options.SessionTimeout, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(options.DailyApiLimit, Is.EqualTo(99));
            Assert.That(options.TimeZone.Id, Is.EqualTo("America/New_York"));
            Assert.That(options.Faults, Is.EqualTo(new FaultSettings
            {
                SessionExpiresAfterCalls = 3, UnavailableRate = 0.25, LatencyMs = 40, LockRowRate = 0.1, CollectionFailureRate = 0.5, Seed = 11,
            }));
        });
    }

    [TestCase(new[] { "--urls", "http://0.0.0.0:8484" }, "--allow-remote")]
    [TestCase(new[] { "--unavailable-rate", "1.5" }, "--unavailable-rate")]
    [TestCase(new[] { "--daily-limit", "0" }, "--daily-limit")]
    [TestCase(new[] { "--daily-limit" }, "--daily-limit")]
    [TestCase(new[] { "--time-zone", "Mars/Olympus" }, "Mars/Olympus")]
    [TestCase(new[] { "--org", "a.json", "--generate", "small" }, "not both")]
    [TestCase(new[] { "--seed", "3" }, "--generate")]
    [TestCase(new[] { "--generate", "huge" }, "huge")]
    [TestCase(new[] { "--frobnicate" }, "--frobnicate")]
    public void Bad_options_are_refused_naming_the_problem(string[] args, string named) =>
        Assert.That(() => EmulatorCommandLine.Parse(args), Throws.ArgumentException.With.Message.Contains(named));

    [Test]
    public void Remote_address_is_allowed_only_when_asked_for()
    {
        var commandLine = EmulatorCommandLine.Parse(["--urls", "http://0.0.0.0:8484", "--allow-remote"])!;

        Assert.That(commandLine.Options.AllowRemote, Is.True);
        Assert.That(() => EmulatorHost.StartAsync(new EmulatorOptions { Url = new Uri("http://0.0.0.0:0") }, new OrgStore()),
            Throws.ArgumentException.With.Message.Contains("non-loopback"));
    }

    [Test]
    public void Generate_builds_the_same_org_for_the_same_seed_and_moment()
    {
        string[] args = ["--generate", "small", "--seed", "3", "--as-of", "2026-11-27T09:00:00Z"];

        var first = OrgSource.Build(EmulatorCommandLine.Parse(args)!);
        var second = OrgSource.Build(EmulatorCommandLine.Parse(args)!);

        int Count(OrgStore store, string type) => SoqlEngine.Execute(store, $"SELECT COUNT() FROM {type}", false, DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc).TotalSize;
        Assert.Multiple(() =>
        {
            Assert.That(Count(first, "User"), Is.GreaterThan(20), "20 reps, their managers and more");
            Assert.That(Count(first, "Lead"), Is.Positive);
            Assert.That(new[] { "User", "Lead", "Task" }.Select(t => Count(second, t)), Is.EqualTo(new[] { "User", "Lead", "Task" }.Select(t => Count(first, t))));
        });
    }

    [Test]
    public void Help_returns_no_command_line() => Assert.That(EmulatorCommandLine.Parse(["--help"]), Is.Null);
}

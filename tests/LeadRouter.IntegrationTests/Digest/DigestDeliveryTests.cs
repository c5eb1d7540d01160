using System.Net;
using System.Net.Sockets;
using LeadRouter.Cycle;
using LeadRouter.Digest;
using LeadRouter.Worker.Hosting;
using MimeKit;

namespace LeadRouter.IntegrationTests.Digest;

/// <summary>
/// Where a digest goes: the files and the URL the WeeklyDigestReady event carries, e-mail through the
/// private SMTP server scripts/test.sh starts (scripts/services/smtp.sh), and failed sends reported.
/// </summary>
[NonParallelizable]
public class DigestDeliveryTests
{
    private DigestOrg _org = null!;
    private string _folder = "";

    [OneTimeSetUp]
    public async Task RunFourWeeks() => _org = await DigestOrg.SharedAsync();

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("leadrouter-digest-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task TheEventCarriesTheDigestUrlUnderTheConfiguredBaseUrl()
    {
        var options = new DigestOptions { BaseUrl = "https://reports.example.com/leadrouter/digests" };
        var written = await new DigestWriter(_folder, options.BaseUri()).WriteAsync(_org.Digests.Select(d => d.Digest).ToList());

        foreach (var digest in written)
        {
            var ready = CycleMessages.DigestReady(_org.Last.RunId, digest);
            Assert.That(ready.DigestUri, Is.EqualTo(new Uri($"https://reports.example.com/leadrouter/digests/2026-W48/{digest.ManagerId}.html")));
            Assert.That(ready.TextUri, Is.EqualTo(new Uri($"https://reports.example.com/leadrouter/digests/2026-W48/{digest.ManagerId}.txt")));
            Assert.That(File.ReadAllText(Path.Combine(_folder, "2026-W48", digest.ManagerId + ".txt")), Does.StartWith("Weekly digest 2026-W48"));
            Assert.That(File.ReadAllText(Path.Combine(_folder, "2026-W48", digest.ManagerId + ".html")), Does.StartWith("<!DOCTYPE html>"));
        }
    }

    [Test]
    public void BadDigestSettingsStopTheStartNamingTheSetting()
    {
        var settings = new Dictionary<string, string?>(_org.Rig.Settings)
        {
            ["LeadRouter:Digest:BaseUrl"] = "https://user:secret@reports.example.com/",
            ["LeadRouter:Digest:Smtp:Host"] = "127.0.0.1",
            ["LeadRouter:Digest:Smtp:From"] = "not an address",
        };
        var error = Assert.Throws<ConfigurationException>(() => LeadRouterServices.Build(HostRole.Engine, settings).Dispose());
        Assert.That(error!.Message, Does.Contain("LeadRouter:Digest:BaseUrl").And.Contain("LeadRouter:Digest:Smtp:From"));
    }

    [Test]
    public async Task AFailedSendIsRetriedThenReportedNeverDropped()
    {
        // A loopback port nobody listens on: every connection is refused.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var mailer = new DigestMailer(new SmtpOptions
        {
            Host = "127.0.0.1", Port = port, Security = SmtpSecurity.None, From = "leadrouter@example.com",
            SendAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(10),
        });
        var noAddress = _org.Digests[0] with { Digest = _org.Digests[0].Digest with { ManagerEmail = null } };

        var outcomes = await mailer.SendAsync([_org.Digests[1], noAddress]);

        Assert.That(outcomes, Has.Count.EqualTo(2));
        Assert.That(outcomes[0].Sent, Is.False);
        Assert.That(outcomes[0].Attempts, Is.EqualTo(3));
        Assert.That(outcomes[0].Error, Is.Not.Empty);
        Assert.That(outcomes[1], Is.EqualTo(new DigestMailing(noAddress.ManagerId, null, false, 0,
            "the manager has no usable e-mail address in Salesforce (User.Email)")));
    }

    [Test]
    public async Task EachManagerReceivesTheDigestWithHtmlAndTextParts()
    {
        var server = Environment.GetEnvironmentVariable("LEADROUTER_TEST_SMTP");
        var maildir = Environment.GetEnvironmentVariable("LEADROUTER_TEST_SMTP_MAILDIR");
        if (string.IsNullOrWhiteSpace(server) || string.IsNullOrWhiteSpace(maildir))
            Assert.Ignore("LEADROUTER_TEST_SMTP is not set: no SMTP server to send to (scripts/test.sh starts one with scripts/services/smtp.sh).");
        var hostAndPort = server.Split(':');
        var mailer = new DigestMailer(new SmtpOptions
        {
            Host = hostAndPort[0], Port = int.Parse(hostAndPort[1], System.Globalization.CultureInfo.InvariantCulture),
            Security = SmtpSecurity.None, From = "LeadRouter <leadrouter@example.com>",
        });
        var before = Received(maildir).ToHashSet();

        var outcomes = await mailer.SendAsync(_org.Digests);

        Assert.That(outcomes.Select(o => o.Error), Has.All.Null);
        var received = Received(maildir).Where(f => !before.Contains(f)).Select(f => MimeMessage.Load(f)).ToList();
        Assert.That(received, Has.Count.EqualTo(_org.Digests.Count));
        foreach (var digest in _org.Digests)
        {
            var message = received.Single(m => m.To.Mailboxes.Single().Address == digest.Digest.ManagerEmail);
            Assert.That(message.Subject, Does.StartWith("Weekly digest 2026-W48"));
            Assert.That(Lf(message.TextBody ?? ""), Is.EqualTo(Lf(File.ReadAllText(digest.TextPath))));
            Assert.That(message.HtmlBody, Does.Contain("Your team at a glance").And.Contain(digest.ManagerName));
        }
    }

    /// <summary>The messages a Maildir holds (new and cur).</summary>
    private static IEnumerable<string> Received(string maildir) =>
        new[] { "new", "cur" }.Select(d => Path.Combine(maildir, d)).Where(Directory.Exists).SelectMany(Directory.EnumerateFiles);

    private static string Lf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}

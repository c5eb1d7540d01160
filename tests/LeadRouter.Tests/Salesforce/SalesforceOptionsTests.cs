using System.Security.Cryptography;
using LeadRouter.Salesforce;

namespace LeadRouter.Tests.Salesforce;

public class SalesforceOptionsTests
{
    [Test]
    public void Complete_password_settings_have_no_problems()
    {
        Assert.That(Fakes.PasswordOptions().Problems(), Is.Empty);
    }

    [Test]
    public void Defaults_are_api_v62_batches_of_2000_and_half_the_daily_allowance()
    {
        var options = new SalesforceOptions();
        Assert.Multiple(() =>
        {
            Assert.That(options.ApiVersion, Is.EqualTo("v62.0"));
            Assert.That(options.QueryBatchSize, Is.EqualTo(2000));
            Assert.That(options.ApiBudgetShare, Is.EqualTo(0.5));
        });
    }

    [TestCase(nameof(SalesforceOptions.ClientSecret))]
    [TestCase(nameof(SalesforceOptions.Username))]
    [TestCase(nameof(SalesforceOptions.Password))]
    [TestCase(nameof(SalesforceOptions.ClientId))]
    public void A_missing_password_flow_credential_is_named(string setting)
    {
        var options = setting switch
        {
            nameof(SalesforceOptions.ClientSecret) => Fakes.PasswordOptions() with { ClientSecret = null },
            nameof(SalesforceOptions.Username) => Fakes.PasswordOptions() with { Username = "" },
            nameof(SalesforceOptions.Password) => Fakes.PasswordOptions() with { Password = " " },
            _ => Fakes.PasswordOptions() with { ClientId = null },
        };

        var error = Assert.Throws<SalesforceOptionsException>(options.Validate)!;

        Assert.That(error.Problems, Has.Exactly(1).Contains($"Salesforce:{setting} is required"));
    }

    [Test]
    public void Each_flow_asks_for_its_own_credentials()
    {
        var bare = new SalesforceOptions { LoginUrl = new Uri("https://login.salesforce.com"), ClientId = "id" };
        Assert.Multiple(() =>
        {
            Assert.That(string.Join(" ", (bare with { AuthFlow = SalesforceAuthFlow.JwtBearer }).Problems()),
                Does.Contain("Salesforce:Username").And.Contain("Salesforce:PrivateKeyPem").And.Not.Contain("ClientSecret"));
            Assert.That(string.Join(" ", (bare with { AuthFlow = SalesforceAuthFlow.ClientCredentials }).Problems()),
                Does.Contain("Salesforce:ClientSecret").And.Not.Contain("Username"));
            Assert.That(string.Join(" ", (bare with { AuthFlow = SalesforceAuthFlow.RefreshToken }).Problems()),
                Does.Contain("Salesforce:RefreshToken").And.Not.Contain("ClientSecret"));
        });
    }

    [TestCase("http://login.salesforce.com", "must use https")]
    [TestCase("https://login.salesforce.com/services/oauth2/token", "bare origin")]
    public void A_login_url_that_would_leak_or_mislead_is_refused(string url, string expected)
    {
        var problems = (Fakes.PasswordOptions() with { LoginUrl = new Uri(url) }).Problems();

        Assert.That(problems, Has.Exactly(1).Matches<string>(p => p.Contains("Salesforce:LoginUrl") && p.Contains(expected)));
    }

    [Test]
    public void Plain_http_is_allowed_to_a_loopback_emulator()
    {
        var options = Fakes.PasswordOptions() with { LoginUrl = new Uri("http://127.0.0.1:5080"), InstanceUrl = new Uri("http://localhost:5080") };

        Assert.That(options.Problems(), Is.Empty);
    }

    [TestCase(100, nameof(SalesforceOptions.QueryBatchSize))]
    [TestCase(2001, nameof(SalesforceOptions.QueryBatchSize))]
    public void Batch_size_outside_200_to_2000_is_named(int batchSize, string setting)
    {
        var problems = (Fakes.PasswordOptions() with { QueryBatchSize = batchSize }).Problems();

        Assert.That(problems, Has.Exactly(1).Matches<string>(p => p.Contains($"Salesforce:{setting}") && p.Contains($"was {batchSize}")));
    }

    [TestCase(0.0)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void Budget_share_outside_0_to_1_is_named(double share)
    {
        var problems = (Fakes.PasswordOptions() with { ApiBudgetShare = share }).Problems();

        Assert.That(problems, Has.Exactly(1).Contains("Salesforce:ApiBudgetShare"));
    }

    [TestCase("62.0")]
    [TestCase("v62")]
    [TestCase("v62.0/../../x")]
    public void A_malformed_api_version_is_named(string version)
    {
        var problems = (Fakes.PasswordOptions() with { ApiVersion = version }).Problems();

        Assert.That(problems, Has.Exactly(1).Contains("Salesforce:ApiVersion"));
    }

    [Test]
    public void Retry_settings_are_bounded()
    {
        var problems = (Fakes.PasswordOptions() with { MaxRetries = 50, RetryMaxDelay = TimeSpan.FromMilliseconds(1) }).Problems();

        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.Some.Contains("Salesforce:MaxRetries"));
            Assert.That(problems, Has.Some.Contains("Salesforce:RetryMaxDelay"));
        });
    }

    [Test]
    public void A_private_key_that_is_not_one_is_named_without_echoing_it()
    {
        const string notAKey = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----";
        var options = new SalesforceOptions
        {
            LoginUrl = new Uri("https://login.salesforce.com"),
            AuthFlow = SalesforceAuthFlow.JwtBearer,
            ClientId = "id",
            Username = "u@example.com",
            PrivateKeyPem = notAKey,
        };

        var error = Assert.Throws<SalesforceOptionsException>(options.Validate)!;

        Assert.That(error.Message, Does.Contain("Salesforce:PrivateKeyPem").And.Not.Contain("bm90IGEga2V5"));
    }

    [Test]
    public void A_public_key_is_not_accepted_as_the_signing_key()
    {
        using var rsa = RSA.Create(2048);
        var options = new SalesforceOptions
        {
            LoginUrl = new Uri("https://login.salesforce.com"),
            AuthFlow = SalesforceAuthFlow.JwtBearer,
            ClientId = "id",
            Username = "u@example.com",
            PrivateKeyPem = rsa.ExportSubjectPublicKeyInfoPem(),
        };

        Assert.That(options.Problems(), Has.Exactly(1).Contains("Salesforce:PrivateKeyPem"));
    }

    [Test]
    public void ToString_shows_settings_but_no_secret()
    {
        var options = Fakes.PasswordOptions() with { RefreshToken = Fakes.RefreshToken, PrivateKeyPem = "-----BEGIN PRIVATE KEY-----secretkey" };

        var text = options.ToString();

        Assert.That(text, Does.Contain("ops@example.com").And.Contain("UsernamePassword")
            .And.Not.Contain(Fakes.Password).And.Not.Contain(Fakes.ClientSecret).And.Not.Contain(Fakes.SecurityToken)
            .And.Not.Contain(Fakes.RefreshToken).And.Not.Contain("secretkey"));
    }
}

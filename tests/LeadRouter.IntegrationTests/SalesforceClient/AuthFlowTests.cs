using System.Security.Cryptography;
using LeadRouter.IntegrationTests.Emulator;
using LeadRouter.Salesforce;
using LeadRouter.SalesforceEmulator;

namespace LeadRouter.IntegrationTests.SalesforceClient;

/// <summary>Every OAuth flow the client supports signs in to the emulator and then reads data with the token.</summary>
public sealed class AuthFlowTests
{
    private static readonly SoqlQuery CountLeads = Soql.SelectCount().From("Lead").Build();

    [Test]
    public async Task Username_password_flow_signs_in_and_reads()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(3));

        var count = await harness.Client.CountAsync(CountLeads);

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(3));
            Assert.That(harness.SignIns, Is.EqualTo(1));
            Assert.That(harness.Log.Lines, Has.Some.Contains("Signed in to Salesforce (UsernamePassword)"));
        });
    }

    [Test]
    public async Task Jwt_bearer_flow_signs_with_the_private_key_the_emulator_checks_with_the_public_key()
    {
        using var key = RSA.Create(2048);
        using var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        await using var harness = await ClientHarness.StartAsync(
            TestOrg.WithLeads(4), new EmulatorOptions { JwtPublicKey = publicKey },
            o => o with { AuthFlow = SalesforceAuthFlow.JwtBearer, ClientSecret = null, Password = null, PrivateKeyPem = key.ExportPkcs8PrivateKeyPem() });

        var count = await harness.Client.CountAsync(CountLeads);

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(4));
            Assert.That(harness.SignIns, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Jwt_bearer_signed_with_another_key_is_refused_with_invalid_grant()
    {
        using var trusted = RSA.Create(2048);
        using var other = RSA.Create(2048);
        using var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(trusted.ExportSubjectPublicKeyInfo(), out _);
        var otherPem = other.ExportPkcs8PrivateKeyPem();
        await using var harness = await ClientHarness.StartAsync(
            TestOrg.WithLeads(1), new EmulatorOptions { JwtPublicKey = publicKey },
            o => o with { AuthFlow = SalesforceAuthFlow.JwtBearer, PrivateKeyPem = otherPem });

        var refused = Assert.ThrowsAsync<SalesforceAuthException>(() => harness.Client.SignInAsync());

        Assert.Multiple(() =>
        {
            Assert.That(refused!.Error, Is.EqualTo("invalid_grant"));
            Assert.That(refused.Message, Does.Not.Contain("PRIVATE KEY"));
            Assert.That(refused.Message, Does.Not.Contain(otherPem.Split('\n')[1]), "no line of the key");
        });
    }

    [Test]
    public async Task Client_credentials_flow_signs_in_and_reads()
    {
        await using var harness = await ClientHarness.StartAsync(
            TestOrg.WithLeads(5), configure: o => o with { AuthFlow = SalesforceAuthFlow.ClientCredentials, Username = null, Password = null });

        Assert.That(await harness.Client.CountAsync(CountLeads), Is.EqualTo(5));
    }

    [Test]
    public async Task Refresh_token_flow_signs_in_and_reads()
    {
        await using var harness = await ClientHarness.StartAsync(
            TestOrg.WithLeads(6), configure: o => o with
            {
                AuthFlow = SalesforceAuthFlow.RefreshToken,
                RefreshToken = EmulatorOptions.DefaultRefreshToken,
                ClientSecret = null,
                Username = null,
                Password = null,
            });

        Assert.That(await harness.Client.CountAsync(CountLeads), Is.EqualTo(6));
    }

    [Test]
    public async Task Wrong_password_is_invalid_grant_without_the_password_in_the_message()
    {
        const string wrongPassword = "Not-The-Password-9f3a";
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(1), configure: o => o with { Password = wrongPassword, SecurityToken = "tok3nXYZ" });

        var refused = Assert.ThrowsAsync<SalesforceAuthException>(() => harness.Client.CountAsync(CountLeads));

        Assert.Multiple(() =>
        {
            Assert.That(refused!.Error, Is.EqualTo("invalid_grant"));
            Assert.That(refused.Status, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
            Assert.That(refused.Message, Does.Contain("invalid_grant"));
            Assert.That(refused.ToString(), Does.Not.Contain(wrongPassword).And.Not.Contain("tok3nXYZ"));
            Assert.That(harness.Log.Lines, Has.None.Contains(wrongPassword));
            Assert.That(harness.SignIns, Is.EqualTo(1), "a refused sign-in is not retried");
        });
    }

    [Test]
    public async Task Wrong_client_secret_is_invalid_client_without_the_secret_in_the_message()
    {
        const string wrongSecret = "wrong-client-secret-77c1";
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(1), configure: o => o with { ClientSecret = wrongSecret });

        var refused = Assert.ThrowsAsync<SalesforceAuthException>(() => harness.Client.SignInAsync());

        Assert.Multiple(() =>
        {
            Assert.That(refused!.Error, Is.EqualTo("invalid_client"));
            Assert.That(refused.ToString(), Does.Not.Contain(wrongSecret).And.Not.Contain(EmulatorOptions.DefaultPassword));
        });
    }

    [Test]
    public async Task Unknown_client_id_and_wrong_refresh_token_name_their_oauth_errors()
    {
        await using var harness = await ClientHarness.StartAsync(TestOrg.WithLeads(1));
        var unknownClient = harness.NewClient(harness.Options with { ClientId = "someone-else" });
        var staleRefresh = harness.NewClient(harness.Options with { AuthFlow = SalesforceAuthFlow.RefreshToken, RefreshToken = "revoked-refresh-token-5d2" });

        var clientRefused = Assert.ThrowsAsync<SalesforceAuthException>(() => unknownClient.SignInAsync());
        var refreshRefused = Assert.ThrowsAsync<SalesforceAuthException>(() => staleRefresh.SignInAsync());

        Assert.Multiple(() =>
        {
            Assert.That(clientRefused!.Error, Is.EqualTo("invalid_client_id"));
            Assert.That(refreshRefused!.Error, Is.EqualTo("invalid_grant"));
            Assert.That(refreshRefused.ToString(), Does.Not.Contain("revoked-refresh-token-5d2"));
        });
    }
}

using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Auth;

namespace LeadRouter.IntegrationTests.Emulator;

public sealed class OAuthTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Password_grant_returns_a_salesforce_shaped_token_that_opens_the_data_api()
    {
        var options = new EmulatorOptions { Clock = new ManualClock(Now) };
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(3), options, login: false);

        var token = await emulator.TokenAsync(EmulatorClient.PasswordGrant(options));

        Assert.That(token.StatusCode, Is.EqualTo(200));
        var body = token.Body;
        var instanceUrl = emulator.Host.BaseAddress.ToString().TrimEnd('/');
        var id = body.GetProperty("id").GetString()!;
        var issuedAt = body.GetProperty("issued_at").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("instance_url").GetString(), Is.EqualTo(instanceUrl));
            Assert.That(id, Does.Match($@"^{instanceUrl}/id/00D\w{{15}}/{TestOrg.UserId}$"), "id URL ends with org id / user id");
            Assert.That(issuedAt, Is.EqualTo(Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
            Assert.That(body.GetProperty("access_token").GetString(), Does.Match(@"^00D\w{12}!\S{40,}$"));
            Assert.That(body.TryGetProperty("expires_in", out _), Is.False, "Salesforce sends no expires_in");
            var expected = Convert.ToBase64String(HMACSHA256.HashData(
                Encoding.UTF8.GetBytes(options.ClientSecret), Encoding.UTF8.GetBytes(id + issuedAt)));
            Assert.That(body.GetProperty("signature").GetString(), Is.EqualTo(expected));
        });

        emulator.Http.DefaultRequestHeaders.Authorization = new("Bearer", body.GetProperty("access_token").GetString());
        var query = await emulator.QueryAsync("SELECT Id FROM Lead");
        Assert.That(query.StatusCode, Is.EqualTo(200));
        Assert.That(query.Body.GetProperty("totalSize").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task Wrong_password_is_invalid_grant_and_wrong_client_is_invalid_client_id_like_salesforce()
    {
        var options = new EmulatorOptions();
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1), options, login: false);

        var badPassword = EmulatorClient.PasswordGrant(options);
        badPassword["password"] = "not-the-password";
        var badClient = EmulatorClient.PasswordGrant(options);
        badClient["client_id"] = "someone-else";
        var badSecret = EmulatorClient.PasswordGrant(options);
        badSecret["client_secret"] = "guess";

        var grant = await emulator.TokenAsync(badPassword);
        var client = await emulator.TokenAsync(badClient);
        var secret = await emulator.TokenAsync(badSecret);
        var unsupported = await emulator.TokenAsync(new() { ["grant_type"] = "authorization_code" });

        Assert.Multiple(() =>
        {
            Assert.That(grant.StatusCode, Is.EqualTo(400));
            Assert.That(grant.Body.GetProperty("error").GetString(), Is.EqualTo("invalid_grant"));
            Assert.That(grant.Body.GetProperty("error_description").GetString(), Does.StartWith("authentication failure"));
            Assert.That(client.StatusCode, Is.EqualTo(400));
            Assert.That(client.Body.GetProperty("error").GetString(), Is.EqualTo("invalid_client_id"));
            Assert.That(secret.Body.GetProperty("error").GetString(), Is.EqualTo("invalid_client"));
            Assert.That(unsupported.Body.GetProperty("error").GetString(), Is.EqualTo("unsupported_grant_type"));
        });
        Samples.AssertSameBody(client.Body, "oauth_error_invalid_client_id.json");
    }

    [Test]
    public async Task Client_credentials_and_refresh_token_grants_issue_working_tokens()
    {
        var options = new EmulatorOptions();
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(1), options, login: false);

        var clientCredentials = await emulator.TokenAsync(new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = options.ClientId,
            ["client_secret"] = options.ClientSecret,
        });
        var refresh = await emulator.TokenAsync(new()
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = options.ClientId,
            ["client_secret"] = options.ClientSecret,
            ["refresh_token"] = options.RefreshToken,
        });
        var badRefresh = await emulator.TokenAsync(new()
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = options.ClientId,
            ["refresh_token"] = "stale",
        });

        Assert.Multiple(() =>
        {
            Assert.That(clientCredentials.StatusCode, Is.EqualTo(200));
            Assert.That(refresh.StatusCode, Is.EqualTo(200));
            Assert.That(refresh.Body.TryGetProperty("refresh_token", out _), Is.False, "a refresh grant returns no new refresh token");
            Assert.That(badRefresh.StatusCode, Is.EqualTo(400));
            Assert.That(badRefresh.Body.GetProperty("error").GetString(), Is.EqualTo("invalid_grant"));
        });
        foreach (var token in new[] { clientCredentials, refresh })
        {
            emulator.Http.DefaultRequestHeaders.Authorization = new("Bearer", token.Body.GetProperty("access_token").GetString());
            Assert.That((await emulator.GetAsync("limits")).StatusCode, Is.EqualTo(200));
        }
    }

    [Test]
    public async Task Jwt_bearer_grant_checks_signature_issuer_audience_and_expiry()
    {
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=leadrouter-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
        using var otherKey = RSA.Create(2048);
        var options = new EmulatorOptions { Clock = new ManualClock(Now), JwtPublicKey = certificate.GetRSAPublicKey() };
        await using var emulator = await EmulatorClient.StartAsync(TestOrg.WithLeads(2), options, login: false);
        var audience = emulator.Host.BaseAddress.ToString().TrimEnd('/');

        async Task<Reply> Grant(string assertion) => await emulator.TokenAsync(new()
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
            ["assertion"] = assertion,
        });
        var good = await Grant(Jwt(key, options.ClientId, options.Username, audience, Now.AddMinutes(3)));
        var loginAudience = await Grant(Jwt(key, options.ClientId, options.Username, "https://login.salesforce.com", Now.AddMinutes(3)));
        var wrongKey = await Grant(Jwt(otherKey, options.ClientId, options.Username, audience, Now.AddMinutes(3)));
        var wrongIssuer = await Grant(Jwt(key, "another-app", options.Username, audience, Now.AddMinutes(3)));
        var wrongAudience = await Grant(Jwt(key, options.ClientId, options.Username, "https://example.org", Now.AddMinutes(3)));
        var expired = await Grant(Jwt(key, options.ClientId, options.Username, audience, Now.AddSeconds(-1)));
        var garbage = await Grant("not.a.jwt");

        Assert.Multiple(() =>
        {
            Assert.That(good.StatusCode, Is.EqualTo(200), good.Body.ToString());
            Assert.That(loginAudience.StatusCode, Is.EqualTo(200), loginAudience.Body.ToString());
            Assert.That(good.Body.GetProperty("instance_url").GetString(), Is.EqualTo(audience));
            Assert.That(wrongKey.Body.GetProperty("error").GetString(), Is.EqualTo("invalid_grant"));
            Assert.That(wrongKey.Body.GetProperty("error_description").GetString(), Does.Contain("signature"));
            Assert.That(wrongIssuer.Body.GetProperty("error").GetString(), Is.EqualTo("invalid_client_id"));
            Assert.That(wrongAudience.Body.GetProperty("error_description").GetString(), Does.Contain("audience"));
            Assert.That(expired.Body.GetProperty("error").GetString(), Is.EqualTo("invalid_grant"));
            Assert.That(expired.StatusCode, Is.EqualTo(400));
            Assert.That(garbage.StatusCode, Is.EqualTo(400));
        });
    }

    [Test]
    public void Jwt_certificate_loads_from_a_pem_certificate_file_and_a_pem_public_key()
    {
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=leadrouter-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
        var certificateFile = Path.GetTempFileName();
        var publicKeyFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
            File.WriteAllText(publicKeyFile, key.ExportSubjectPublicKeyInfoPem());
            var data = "header.payload"u8.ToArray();
            var signature = key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            foreach (var file in new[] { certificateFile, publicKeyFile })
            {
                using var loaded = JwtAssertion.LoadPublicKey(file);
                Assert.That(loaded.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), Is.True, file);
            }
            File.WriteAllText(publicKeyFile, "not a key");
            Assert.That(() => JwtAssertion.LoadPublicKey(publicKeyFile), Throws.ArgumentException.With.Message.Contains(publicKeyFile));
        }
        finally
        {
            File.Delete(certificateFile);
            File.Delete(publicKeyFile);
        }
    }

    [Test]
    public async Task Missing_unknown_and_idle_expired_tokens_get_invalid_session_id()
    {
        var clock = new ManualClock(Now);
        await using var emulator = await EmulatorClient.StartAsync(
            TestOrg.WithLeads(1), new EmulatorOptions { Clock = clock, SessionTimeout = TimeSpan.FromMinutes(30) });
        var token = emulator.Http.DefaultRequestHeaders.Authorization;

        var fresh = await emulator.GetAsync("limits");
        emulator.Http.DefaultRequestHeaders.Authorization = null;
        var missing = await emulator.GetAsync("limits");
        emulator.Http.DefaultRequestHeaders.Authorization = new("Bearer", "00D000000000000!made-up");
        var unknown = await emulator.GetAsync("limits");
        emulator.Http.DefaultRequestHeaders.Authorization = token;
        clock.Now = Now.AddMinutes(31);
        var idle = await emulator.GetAsync("limits");

        Assert.Multiple(() =>
        {
            Assert.That(fresh.StatusCode, Is.EqualTo(200));
            foreach (var reply in new[] { missing, unknown, idle })
            {
                Assert.That(reply.StatusCode, Is.EqualTo(401));
                Assert.That(reply.ErrorCode, Is.EqualTo("INVALID_SESSION_ID"));
            }
        });
        Samples.AssertSameBody(idle.Body, "error_invalid_session_id.json");
    }

    private static string Jwt(RSA key, string issuer, string subject, string audience, DateTimeOffset expires)
    {
        static string Encode(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
        var unsigned = $"{Encode(new { alg = "RS256" })}.{Encode(new { iss = issuer, sub = subject, aud = audience, exp = expires.ToUnixTimeSeconds() })}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(unsigned), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{unsigned}.{Base64Url.EncodeToString(signature)}";
    }
}

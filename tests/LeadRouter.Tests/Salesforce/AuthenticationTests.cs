using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeadRouter.Salesforce;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadRouter.Tests.Salesforce;

public class AuthenticationTests
{
    private static readonly Lazy<RSA> Key = new(() => RSA.Create(2048));

    private static SalesforceOptions JwtOptions() => new()
    {
        LoginUrl = new Uri("https://login.salesforce.com"),
        AuthFlow = SalesforceAuthFlow.JwtBearer,
        ClientId = "3MVG9-consumer-key",
        Username = "integration@example.com",
        PrivateKeyPem = Key.Value.ExportPkcs8PrivateKeyPem(),
    };

    private static SalesforceAuthenticator Authenticator(ScriptedHandler handler, SalesforceOptions options) =>
        new(new HttpClient(handler), options, new FixedTimeProvider(Fakes.Now), NullLogger.Instance,
            new RetryPolicy(options.MaxRetries, TimeSpan.Zero, TimeSpan.Zero, (_, _) => Task.CompletedTask));

    [Test]
    public async Task Username_password_flow_posts_the_password_with_the_security_token()
    {
        var handler = new ScriptedHandler().Token();

        var token = await Authenticator(handler, Fakes.PasswordOptions()).AuthenticateAsync();

        var request = handler.Requests.Single();
        var form = request.Form();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
            Assert.That(request.Uri.ToString(), Is.EqualTo("https://login.example.test/services/oauth2/token"));
            Assert.That(form["grant_type"], Is.EqualTo("password"));
            Assert.That(form["client_id"], Is.EqualTo("3MVG9-client-id"));
            Assert.That(form["client_secret"], Is.EqualTo(Fakes.ClientSecret));
            Assert.That(form["username"], Is.EqualTo("ops@example.com"));
            Assert.That(form["password"], Is.EqualTo(Fakes.Password + Fakes.SecurityToken));
            Assert.That(token.AccessToken, Is.EqualTo(Fakes.AccessToken));
            Assert.That(token.InstanceUrl, Is.EqualTo(new Uri(Fakes.InstanceUrl)));
        });
    }

    [Test]
    public async Task Issued_at_is_read_as_epoch_milliseconds()
    {
        var handler = new ScriptedHandler().Token();

        var token = await Authenticator(handler, Fakes.PasswordOptions()).AuthenticateAsync();

        Assert.That(token.IssuedAt, Is.EqualTo(new DateTimeOffset(2010, 7, 6, 20, 40, 32, 702, TimeSpan.Zero)));
    }

    [Test]
    public async Task Client_credentials_flow_sends_only_the_app_credentials()
    {
        var options = Fakes.PasswordOptions() with { AuthFlow = SalesforceAuthFlow.ClientCredentials, Username = null, Password = null, SecurityToken = null };
        var handler = new ScriptedHandler().Token();

        await Authenticator(handler, options).AuthenticateAsync();

        Assert.That(handler.Requests.Single().Form(), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "3MVG9-client-id",
            ["client_secret"] = Fakes.ClientSecret,
        }));
    }

    [Test]
    public async Task Refresh_token_flow_uses_a_rotated_refresh_token_next_time()
    {
        var options = Fakes.PasswordOptions() with
        {
            AuthFlow = SalesforceAuthFlow.RefreshToken,
            Username = null,
            Password = null,
            RefreshToken = Fakes.RefreshToken,
        };
        var rotated = """{"access_token":"a2","instance_url":"https://na1.example.test","issued_at":"1309974610026","refresh_token":"rotated-refresh"}""";
        var handler = new ScriptedHandler().Reply(HttpStatusCode.OK, rotated).Token();
        var authenticator = Authenticator(handler, options);

        await authenticator.AuthenticateAsync();
        await authenticator.AuthenticateAsync();

        var forms = handler.Requests.Select(r => r.Form()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(forms[0]["grant_type"], Is.EqualTo("refresh_token"));
            Assert.That(forms[0]["refresh_token"], Is.EqualTo(Fakes.RefreshToken));
            Assert.That(forms[0]["client_secret"], Is.EqualTo(Fakes.ClientSecret));
            Assert.That(forms[1]["refresh_token"], Is.EqualTo("rotated-refresh"));
        });
    }

    [Test]
    public async Task Jwt_bearer_assertion_verifies_with_the_public_key_and_carries_the_claims()
    {
        var handler = new ScriptedHandler().Token();

        await Authenticator(handler, JwtOptions()).AuthenticateAsync();

        var form = handler.Requests.Single().Form();
        var parts = form["assertion"].Split('.');
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        using var publicKey = RSA.Create();
        publicKey.ImportFromPem(Key.Value.ExportSubjectPublicKeyInfoPem());
        var verifies = publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        Assert.Multiple(() =>
        {
            Assert.That(form["grant_type"], Is.EqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer"));
            Assert.That(parts, Has.Length.EqualTo(3));
            Assert.That(verifies, Is.True, "signature must verify with the certificate's public key");
            Assert.That(header.GetProperty("alg").GetString(), Is.EqualTo("RS256"));
            Assert.That(claims.GetProperty("iss").GetString(), Is.EqualTo("3MVG9-consumer-key"));
            Assert.That(claims.GetProperty("sub").GetString(), Is.EqualTo("integration@example.com"));
            Assert.That(claims.GetProperty("aud").GetString(), Is.EqualTo("https://login.salesforce.com"));
            Assert.That(claims.GetProperty("exp").GetInt64(), Is.EqualTo(Fakes.Now.AddMinutes(3).ToUnixTimeSeconds()));
        });
    }

    [Test]
    public void Jwt_assertion_signed_by_another_key_does_not_verify()
    {
        using var otherKey = RSA.Create(2048);
        var assertion = JwtBearerAssertion.Create("id", "u@example.com", new Uri("https://login.salesforce.com"), otherKey.ExportPkcs8PrivateKeyPem(), Fakes.Now);
        var parts = assertion.Split('.');

        var verifies = Key.Value.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        Assert.That(verifies, Is.False);
    }

    [Test]
    public void An_oauth_error_becomes_a_typed_exception_without_any_credential()
    {
        var handler = new ScriptedHandler().Reply(HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"authentication failure"}""");

        var error = Assert.ThrowsAsync<SalesforceAuthException>(() => Authenticator(handler, Fakes.PasswordOptions()).AuthenticateAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Error, Is.EqualTo("invalid_grant"));
            Assert.That(error.Description, Is.EqualTo("authentication failure"));
            Assert.That(error.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(error.ToString(), Does.Not.Contain(Fakes.Password).And.Not.Contain(Fakes.ClientSecret).And.Not.Contain(Fakes.SecurityToken));
        });
    }

    [Test]
    public void A_token_endpoint_answering_html_is_reported_by_status()
    {
        var handler = new ScriptedHandler().Reply(HttpStatusCode.InternalServerError, "<html>oops</html>");

        var error = Assert.ThrowsAsync<SalesforceAuthException>(() => Authenticator(handler, Fakes.PasswordOptions()).AuthenticateAsync())!;

        Assert.That(error.Error, Is.EqualTo("unexpected_response"));
    }

    [Test]
    public void A_token_response_without_an_access_token_is_refused()
    {
        var handler = new ScriptedHandler().Reply(HttpStatusCode.OK, """{"instance_url":"https://na1.example.test"}""");

        var error = Assert.ThrowsAsync<SalesforceAuthException>(() => Authenticator(handler, Fakes.PasswordOptions()).AuthenticateAsync())!;

        Assert.That(error.Description, Does.Contain("access_token"));
    }

    [TestCase("http://na1.example.test")]
    [TestCase("ftp://na1.example.test")]
    [TestCase("not a url")]
    public void A_token_whose_instance_url_would_expose_it_is_refused(string instanceUrl)
    {
        var handler = new ScriptedHandler().Reply(HttpStatusCode.OK, Fakes.TokenJson(instanceUrl: instanceUrl));

        var error = Assert.ThrowsAsync<SalesforceAuthException>(() => Authenticator(handler, Fakes.PasswordOptions()).AuthenticateAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Error, Is.EqualTo("invalid_token_response"));
            Assert.That(error.Description, Does.Contain("instance_url"));
            Assert.That(error.Message, Does.Not.Contain(Fakes.AccessToken));
        });
    }

    [Test]
    public async Task A_loopback_emulator_may_answer_over_http()
    {
        var handler = new ScriptedHandler().Token(instanceUrl: "http://127.0.0.1:5080");

        var token = await Authenticator(handler, Fakes.PasswordOptions()).AuthenticateAsync();

        Assert.That(token.InstanceUrl, Is.EqualTo(new Uri("http://127.0.0.1:5080")));
    }

    [Test]
    public async Task Token_endpoint_outages_and_resets_are_retried()
    {
        var handler = new ScriptedHandler()
            .Reply(HttpStatusCode.ServiceUnavailable, "")
            .Throw(new HttpRequestException(HttpRequestError.ConnectionError, "reset", new SocketException((int)SocketError.ConnectionReset)))
            .Token();

        var token = await Authenticator(handler, Fakes.PasswordOptions()).AuthenticateAsync();

        Assert.Multiple(() =>
        {
            Assert.That(token.AccessToken, Is.EqualTo(Fakes.AccessToken));
            Assert.That(handler.Requests, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task Token_ToString_hides_the_tokens()
    {
        var handler = new ScriptedHandler().Reply(HttpStatusCode.OK,
            """{"access_token":"SECRET-ACCESS","refresh_token":"SECRET-REFRESH","instance_url":"https://na1.example.test"}""");

        var token = await Authenticator(handler, Fakes.PasswordOptions()).AuthenticateAsync();

        Assert.That(token.ToString(), Does.Contain("na1.example.test").And.Not.Contain("SECRET"));
    }
}

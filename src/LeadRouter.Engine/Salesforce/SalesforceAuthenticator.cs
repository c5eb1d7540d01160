using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadRouter.Salesforce;

/// <summary>
/// Gets access tokens from <c>{LoginUrl}/services/oauth2/token</c> with the configured flow.
/// Transient failures (503, timeouts, dropped connections) are retried with backoff; an OAuth
/// error body becomes a <see cref="SalesforceAuthException"/>. Credentials are never logged.
/// </summary>
public sealed class SalesforceAuthenticator
{
    private const string TokenPath = "/services/oauth2/token";

    private readonly HttpClient _http;
    private readonly SalesforceOptions _options;
    private readonly TimeProvider _time;
    private readonly RetryPolicy _retry;
    private readonly ILogger _logger;

    // A refresh-token response may rotate the refresh token; the newest one is used next time.
    private string? _refreshToken;

    public SalesforceAuthenticator(HttpClient http, SalesforceOptions options, TimeProvider? time = null, ILogger? logger = null)
        : this(http, options, time ?? TimeProvider.System, logger, RetryPolicyFor(options, time ?? TimeProvider.System, null))
    {
    }

    internal SalesforceAuthenticator(HttpClient http, SalesforceOptions options, TimeProvider time, ILogger? logger, RetryPolicy retry)
    {
        options.Validate();
        _http = http;
        _options = options;
        _time = time;
        _retry = retry;
        _logger = logger ?? NullLogger.Instance;
        _refreshToken = options.RefreshToken;
    }

    public async Task<SalesforceToken> AuthenticateAsync(CancellationToken cancellationToken = default)
    {
        var tokenUrl = new Uri(_options.LoginUrl!, TokenPath);
        for (var retry = 0; ; retry++)
        {
            // The form is rebuilt per attempt: a JWT assertion carries a fresh exp.
            using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl) { Content = new FormUrlEncodedContent(Form()) };
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (RetryPolicy.IsTransient(e, cancellationToken) && retry < _retry.MaxRetries)
            {
                _logger.LogWarning("Salesforce sign-in ({Flow}) failed in transit ({Error}); retry {Retry} of {MaxRetries}.", _options.AuthFlow, e.GetType().Name, retry + 1, _retry.MaxRetries);
                await _retry.WaitAsync(retry + 1, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    var token = SalesforceToken.Parse(body);
                    if (token.RefreshToken is not null && _options.AuthFlow == SalesforceAuthFlow.RefreshToken)
                        _refreshToken = token.RefreshToken;
                    _logger.LogInformation("Signed in to Salesforce ({Flow}); instance {InstanceUrl}.", _options.AuthFlow, token.InstanceUrl);
                    return token;
                }
                if (RetryPolicy.IsTransient(response.StatusCode) && retry < _retry.MaxRetries)
                {
                    _logger.LogWarning("Salesforce sign-in ({Flow}) answered {Status}; retry {Retry} of {MaxRetries}.", _options.AuthFlow, (int)response.StatusCode, retry + 1, _retry.MaxRetries);
                    await _retry.WaitAsync(retry + 1, response.Headers.RetryAfter?.Delta, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw AuthFailure(response.StatusCode, body);
            }
        }
    }

    private IEnumerable<KeyValuePair<string, string>> Form()
    {
        var o = _options;
        switch (o.AuthFlow)
        {
            case SalesforceAuthFlow.UsernamePassword:
                yield return new("grant_type", "password");
                yield return new("client_id", o.ClientId!);
                yield return new("client_secret", o.ClientSecret!);
                yield return new("username", o.Username!);
                yield return new("password", o.Password + o.SecurityToken);
                break;
            case SalesforceAuthFlow.JwtBearer:
                yield return new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
                yield return new("assertion", JwtBearerAssertion.Create(o.ClientId!, o.Username!, o.LoginUrl!, o.PrivateKeyPem!, _time.GetUtcNow()));
                break;
            case SalesforceAuthFlow.ClientCredentials:
                yield return new("grant_type", "client_credentials");
                yield return new("client_id", o.ClientId!);
                yield return new("client_secret", o.ClientSecret!);
                break;
            case SalesforceAuthFlow.RefreshToken:
                yield return new("grant_type", "refresh_token");
                yield return new("client_id", o.ClientId!);
                if (!string.IsNullOrEmpty(o.ClientSecret))
                    yield return new("client_secret", o.ClientSecret);
                yield return new("refresh_token", _refreshToken!);
                break;
            default:
                throw new InvalidOperationException($"Unknown auth flow {o.AuthFlow}.");
        }
    }

    /// <summary>The OAuth error of a failed token call; a body that is not one is reported by status alone.</summary>
    internal static SalesforceAuthException AuthFailure(HttpStatusCode status, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                var description = root.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                return new SalesforceAuthException(status, error.GetString()!, description);
            }
        }
        catch (JsonException)
        {
            // Not JSON (an HTML error page from a proxy): fall through.
        }
        return new SalesforceAuthException(status, "unexpected_response", "the token endpoint did not answer with an OAuth error body");
    }

    internal static RetryPolicy RetryPolicyFor(SalesforceOptions options, TimeProvider time, Func<TimeSpan, CancellationToken, Task>? wait) =>
        new(options.MaxRetries, options.RetryBaseDelay, options.RetryMaxDelay, wait ?? ((delay, ct) => Task.Delay(delay, time, ct)));
}

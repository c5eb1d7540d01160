using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LeadRouter.SalesforceEmulator.Http;

namespace LeadRouter.SalesforceEmulator.Auth;

/// <summary>
/// POST /services/oauth2/token: the username-password, JWT bearer, client credentials and
/// refresh token grants, answered in Salesforce's shape (issued_at in epoch milliseconds as a
/// string, no expires_in, an HMAC signature over id + issued_at keyed by the client secret).
/// </summary>
internal static class TokenEndpoint
{
    private const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    public static async Task<IResult> Handle(HttpRequest request, EmulatorState state)
    {
        var parameters = await ReadParameters(request);
        var options = state.Options;
        var instanceUrl = $"{request.Scheme}://{request.Host}";
        string? Param(string name) => parameters.TryGetValue(name, out var value) ? value : null;

        var error = Param("grant_type") switch
        {
            "password" => CheckClient(Param("client_id"), Param("client_secret"), options)
                ?? (Param("username") == options.Username && FixedTimeEquals(Param("password"), options.Password)
                    ? null
                    : new OAuthError("invalid_grant", "authentication failure")),
            "client_credentials" => CheckClient(Param("client_id"), Param("client_secret"), options),
            "refresh_token" => CheckClient(Param("client_id"), Param("client_secret") ?? options.ClientSecret, options)
                ?? (FixedTimeEquals(Param("refresh_token"), options.RefreshToken)
                    ? null
                    : new OAuthError("invalid_grant", "expired access/refresh token")),
            JwtBearerGrant => Param("assertion") is { } assertion
                ? JwtAssertion.Check(assertion, options.JwtPublicKey, options.ClientId, options.Username,
                    [instanceUrl, "https://login.salesforce.com", "https://test.salesforce.com"], state.Now)
                : new OAuthError("invalid_request", "assertion is required"),
            null => new OAuthError("unsupported_grant_type", "grant_type is required"),
            _ => new OAuthError("unsupported_grant_type", "grant type not supported"),
        };
        if (error is not null)
            return new JsonBodyResult(StatusCodes.Status400BadRequest, w =>
            {
                w.WriteStartObject();
                w.WriteString("error", error.Error);
                w.WriteString("error_description", error.Description);
                w.WriteEndObject();
            });

        var userId = state.LoginUserId();
        var session = state.Sessions.Issue(state.OrgId, userId);
        var id = $"{instanceUrl}/id/{state.OrgId}/{userId}";
        var issuedAt = state.Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.ClientSecret), Encoding.UTF8.GetBytes(id + issuedAt)));
        return new JsonBodyResult(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("access_token", session.AccessToken);
            w.WriteString("instance_url", instanceUrl);
            w.WriteString("id", id);
            w.WriteString("token_type", "Bearer");
            w.WriteString("issued_at", issuedAt);
            w.WriteString("signature", signature);
            w.WriteString("scope", "api");
            w.WriteEndObject();
        });
    }

    private static OAuthError? CheckClient(string? clientId, string? clientSecret, EmulatorOptions options) =>
        clientId != options.ClientId ? new("invalid_client_id", "client identifier invalid")
        : !FixedTimeEquals(clientSecret, options.ClientSecret) ? new("invalid_client", "invalid client credentials")
        : null;

    private static bool FixedTimeEquals(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <summary>Form fields, falling back to the query string as Salesforce also accepts.</summary>
    private static async Task<Dictionary<string, string>> ReadParameters(HttpRequest request)
    {
        var parameters = request.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            foreach (var field in await request.ReadFormAsync())
                parameters[field.Key] = field.Value.ToString();
        }
        return parameters;
    }
}

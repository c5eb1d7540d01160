using System.Net;
using System.Security.Cryptography;
using LeadRouter.SalesforceEmulator.Faults;

namespace LeadRouter.SalesforceEmulator;

/// <summary>
/// How an emulator instance behaves: where it listens, which credentials it accepts, its API
/// limit, its clock and the faults it injects. The defaults are documented in the README; they
/// are well-known test values, never real secrets.
/// </summary>
public sealed record EmulatorOptions
{
    public const string DefaultUsername = "integration@leadrouter.test";
    public const string DefaultPassword = "emulator-password";
    public const string DefaultClientId = "leadrouter-emulator-client";
    public const string DefaultClientSecret = "emulator-client-secret";
    public const string DefaultRefreshToken = "emulator-refresh-token";

    /// <summary>Listen address: an http URL with an IP (or localhost) and a port; port 0 picks a free port.</summary>
    public Uri Url { get; init; } = new("http://127.0.0.1:0");

    /// <summary>Without this, any address other than loopback is refused.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>The one user who can log in; sessions act as the User record with this Username when the org has one.</summary>
    public string Username { get; init; } = DefaultUsername;

    public string Password { get; init; } = DefaultPassword;

    /// <summary>The connected app's consumer key (also the JWT "iss").</summary>
    public string ClientId { get; init; } = DefaultClientId;

    public string ClientSecret { get; init; } = DefaultClientSecret;

    /// <summary>The refresh token the refresh_token grant accepts, as if obtained earlier through the web-server flow.</summary>
    public string RefreshToken { get; init; } = DefaultRefreshToken;

    /// <summary>Public key that checks RS256 JWT bearer assertions; null disables the JWT grant.</summary>
    public RSA? JwtPublicKey { get; init; }

    /// <summary>Sessions expire after this much inactivity (Salesforce's default session timeout is 2 hours).</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>API calls allowed per UTC day before 403 REQUEST_LIMIT_EXCEEDED.</summary>
    public long DailyApiLimit { get; init; } = 15_000;

    /// <summary>The org's time zone: resolves TODAY, LAST_N_DAYS and the like in SOQL.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    public FaultSettings Faults { get; init; } = FaultSettings.None;

    /// <summary>The emulator's clock; tests pass a fake one to expire sessions or roll the API day.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The endpoint Kestrel listens on; throws when the address is remote and <see cref="AllowRemote"/> is off.</summary>
    internal IPEndPoint ListenEndPoint()
    {
        if (Url.Scheme != Uri.UriSchemeHttp)
            throw new ArgumentException($"Listen URL '{Url}' must use http: the emulator serves plain HTTP on loopback.");
        var host = Url.Host.Trim('[', ']');
        var address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new ArgumentException($"Listen URL '{Url}' must name an IP address or localhost, not '{Url.Host}'.");
        if (!IPAddress.IsLoopback(address) && !AllowRemote)
            throw new ArgumentException(
                $"Refusing to listen on non-loopback address {address} (from '{Url}'): pass --allow-remote to expose the emulator beyond this machine.");
        return new IPEndPoint(address, Url.Port);
    }
}

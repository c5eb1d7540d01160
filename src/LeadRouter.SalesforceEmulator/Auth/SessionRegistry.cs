using System.Collections.Concurrent;
using System.Security.Cryptography;
using LeadRouter.SalesforceEmulator.Faults;

namespace LeadRouter.SalesforceEmulator.Auth;

/// <summary>An access token the emulator issued and the user it acts as.</summary>
internal sealed class Session(string accessToken, string userId, DateTimeOffset issuedAt)
{
    public string AccessToken { get; } = accessToken;
    public string UserId { get; } = userId;
    public DateTimeOffset LastUsed { get; set; } = issuedAt;
    public int Calls { get; set; }
}

/// <summary>Issues access tokens and checks the bearer token of each data call.</summary>
internal sealed class SessionRegistry(TimeProvider clock, TimeSpan timeout)
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>Issues a token shaped like Salesforce's: the org id, "!", then random characters.</summary>
    public Session Issue(string orgId, string userId)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(72)).Replace('+', '.').Replace('/', '_').TrimEnd('=');
        var session = new Session($"{orgId[..15]}!{secret}", userId, clock.GetUtcNow());
        _sessions[session.AccessToken] = session;
        return session;
    }

    /// <summary>
    /// The live session for an "Authorization: Bearer ..." header and counts the call; null when
    /// the header is missing, the token unknown, idle past the timeout, or expired by the
    /// session-expiry fault (which ends the session for good, like a real expiry).
    /// </summary>
    public Session? Authenticate(string? authorization, FaultSettings faults)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return null;
        var token = authorization[scheme.Length..].Trim();
        if (!_sessions.TryGetValue(token, out var session))
            return null;
        var now = clock.GetUtcNow();
        lock (session)
        {
            var expired = now - session.LastUsed > timeout || session.Calls >= faults.SessionExpiresAfterCalls;
            if (expired)
            {
                _sessions.TryRemove(token, out _);
                return null;
            }
            session.Calls++;
            session.LastUsed = now;
            return session;
        }
    }

    /// <summary>Ends every session, as an administrator's "expire all sessions" would.</summary>
    public void ExpireAll() => _sessions.Clear();
}
